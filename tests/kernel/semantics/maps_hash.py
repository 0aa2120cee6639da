# HashMap in depth: keys of several types (converted to the key type, struct
# keys with padding), narrow, array and struct values, update flags, a full
# map, delete and re-insert, m[k] op= n inserting missing keys. The maps'
# final contents are checked by the harness.
# EXPECT-MAP: small 44 c8
# EXPECT-MAP: small 45 90
# EXPECT-MAP: signed -1 fbffffffffffffff
# EXPECT-MAP: signed 1 none
# EXPECT-MAP: wide 0x10000000000 0700000000000000
# EXPECT-MAP: full 2 01000000
# EXPECT-MAP: full 5 none
# EXPECT-MAP: items 3 feffffff
# EXPECT-MAP: items 4 0c000000
# EXPECT-MAP: arrays 9 0100020003000000
# EXPECT-MAP: h16 1 feff
# EXPECT-MAP: h8 2 ff
# EXPECT-MAP: a16 0 0100
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, BPF_ANY, BPF_NOEXIST, BPF_EXIST
from ctypes import c_void_p, c_int8, c_uint8, c_uint16, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class flow:
    src: c_uint32
    port: c_uint16
    dst: c_uint32


@bpf
@struct
class counter:
    packets: c_uint64
    bytes: c_uint32


@bpf
@map
def small() -> HashMap:
    return HashMap(key=c_uint8, value=c_uint8, max_entries=8)


@bpf
@map
def signed() -> HashMap:
    return HashMap(key=c_int32, value=c_int64, max_entries=8)


@bpf
@map
def wide() -> HashMap:
    return HashMap(key=c_uint64, value=c_uint64, max_entries=8)


@bpf
@map
def flows() -> HashMap:
    return HashMap(key=flow, value=counter, max_entries=8)


@bpf
@map
def full() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=4)


@bpf
@map
def items() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=8)


@bpf
@map
def arrays() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint16 * 4, max_entries=4)


@bpf
@map
def h16() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint16, max_entries=4)


@bpf
@map
def h8() -> HashMap:
    return HashMap(key=c_uint32, value=c_int8, max_entries=4)


@bpf
@map
def a16() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint16, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def key_types(ctx: c_void_p) -> c_int32:
    small[one * 300] = 200  # key 300 becomes 44
    if 44 not in small or small[44] != 200 or small[300] != 200:
        return 1
    small[one * 45] = one * 400  # value 400 becomes 144
    if small[45] != 144:
        return 2
    signed[-one] = -5
    signed[one] = 6
    if signed[-1] != -5 or signed[c_int32(0xFFFFFFFF)] != -5:
        return 3
    del signed[1]
    if 1 in signed:
        return 4
    wide[one << 40] = 7
    if wide[1 << 40] != 7 or wide[0] != 0 or 0 in wide:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def struct_keys(ctx: c_void_p) -> c_int32:
    k = flow()
    k.src = 0x0A000001
    k.port = 443
    k.dst = 0x0A000002
    c = counter()
    c.packets = 1
    c.bytes = 60
    flows[k] = c
    q = flow()
    q.src = 0x0A000001
    q.dst = 0x0A000002
    if q in flows:  # the port differs
        return 1
    q.port = one * 443
    if q not in flows:
        return 2
    p = flows.lookup(q)
    if p is None or p.packets != 1 or p.bytes != 60:
        return 3
    p.packets += 1
    flows[q].bytes += 40
    if flows[k].packets != 2 or flows[k].bytes != 100:
        return 4
    del flows[k]
    if flows.lookup(q) is not None:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def flags(ctx: c_void_p) -> c_int32:
    if items.update(1, 10, BPF_EXIST) != -2:  # missing: -ENOENT
        return 1
    if items.update(1, 10, BPF_NOEXIST) != 0:
        return 2
    if items.update(1, 11, BPF_NOEXIST) != -17 or items[1] != 10:  # -EEXIST
        return 3
    if items.update(1, 12, BPF_EXIST) != 0 or items[1] != 12:
        return 4
    if items.update(1, 13, BPF_ANY) != 0 or items[1] != 13:
        return 5
    if items.delete(1) != 0 or items.delete(1) != -2:
        return 6
    if items.update(1, 14, BPF_EXIST) != -2 or 1 in items:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def full_map(ctx: c_void_p) -> c_int32:
    for i in range(4):
        if full.update(i + 1, i) != 0:
            return 1
    if full.update(5, 5) != -7:  # no room: -E2BIG
        return 2
    if full.update(4, 40) != 0 or full[4] != 40:  # existing keys can change
        return 3
    del full[4]
    if full.update(5, 50) != 0 or full[5] != 50:  # room again
        return 4
    del full[5]
    if 5 in full or full[2] != 1:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def item_ops(ctx: c_void_p) -> c_int32:
    items[3] -= 2  # missing: inserts -2
    if items[3] != 4294967294:
        return 1
    items[3] += one * 5
    if items[3] != 3:
        return 2
    items[3] *= 0  # a plain read-modify-write
    items[3] -= 2
    if items[3] != 4294967294:
        return 3
    items[4] |= 12  # missing: inserts 0 | 12
    if items[4] != 12:
        return 4
    items[3] = items[3]  # read and write the same item
    items[5] = 0
    del items[5]
    del items[6]  # missing: nothing happens
    if 5 in items or 6 in items:
        return 5
    small[45] += 200  # 8-bit values wrap
    if small[45] != 88:
        return 6
    small[45] += 56
    return 0


@bpf
@section("raw_tp/sys_enter")
def array_values(ctx: c_void_p) -> c_int32:
    arrays[9] = arrays[8]  # a missing item reads as zeros
    i = one * 2
    arrays[9][0] = 1
    arrays[9][i - 1] = 2
    arrays[9][i] += 3
    arrays[9][i + 2] = 4  # out of range: nothing
    if arrays[9][0] != 1 or arrays[9][1] != 2 or arrays[9][2] != 3 or arrays[9][3] != 0:
        return 1
    if 8 in arrays:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def narrow_values(ctx: c_void_p) -> c_int32:
    h16[1] -= 2  # missing: inserts -2, stored as 65534
    if h16[1] != 65534:
        return 1
    h16[1] += one * 0x10000  # wraps back
    if h16[1] != 65534:
        return 2
    h8[2] -= 1
    if h8[2] != -1:
        return 3
    h8[2] *= 3  # -3
    h8[2] //= -3  # 1
    h8[2] -= 2  # -1
    if h8[2] != -1:
        return 4
    a16[0] = 65535
    a16[0] += 2
    if a16[0] != 1:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
