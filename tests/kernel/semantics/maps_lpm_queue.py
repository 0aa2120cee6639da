# LPM tries (longest prefix match, a /0 default, exact /32 entries, deleting
# a prefix falls back to a shorter one, 16-byte keys), queues and stacks
# (order, peek without removing, full maps, struct values, pop into a
# variable), bloom filters (never a false negative).
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import LPMTrie, QueueMap, StackMap, BloomFilter, BPF_EXIST
from ctypes import c_void_p, c_uint8, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class v4key:
    prefixlen: c_uint32
    addr: c_uint8 * 4


@bpf
@struct
class v6key:
    prefixlen: c_uint32
    addr: c_uint8 * 16


@bpf
@struct
class job:
    id: c_uint32
    prio: c_int32


@bpf
@map
def routes() -> LPMTrie:
    return LPMTrie(key=v4key, value=c_uint32, max_entries=16)


@bpf
@map
def routes6() -> LPMTrie:
    return LPMTrie(key=v6key, value=c_uint64, max_entries=16)


@bpf
@map
def q() -> QueueMap:
    return QueueMap(value=c_uint64, max_entries=3)


@bpf
@map
def st() -> StackMap:
    return StackMap(value=c_int32, max_entries=3)


@bpf
@map
def jobs() -> QueueMap:
    return QueueMap(value=job, max_entries=4)


@bpf
@map
def bloom() -> BloomFilter:
    return BloomFilter(value=c_uint64, max_entries=128, hashes=4)


@bpf
def addr4(k: v4key, bits: c_uint32, a: c_uint32, b: c_uint32, c: c_uint32):
    k.prefixlen = bits
    k.addr[0] = a
    k.addr[1] = b
    k.addr[2] = c


@bpf
@section("raw_tp/sys_enter")
def longest_prefix(ctx: c_void_p) -> c_int32:
    k = v4key()
    routes[k] = 100  # 0.0.0.0/0: the default
    addr4(k, 8, 10, 0, 0)
    routes[k] = 8
    addr4(k, 24, 10, 1, 2)
    routes[k] = 24
    k.prefixlen = 32
    k.addr[3] = 3
    routes[k] = 32  # 10.1.2.3/32
    x = v4key()
    addr4(x, 32, 10, 1, 2)
    x.addr[3] = 3
    if routes[x] != 32:
        return 1
    x.addr[3] = 4
    if routes[x] != 24:
        return 2
    x.addr[2] = 3
    if routes[x] != 8:
        return 3
    x.addr[0] = 192
    if routes[x] != 100 or x not in routes:
        return 4
    addr4(k, 24, 10, 1, 2)
    del routes[k]  # 10.1.2.0/24 goes: 10.1.2.4 falls back to /8
    addr4(x, 32, 10, 1, 2)
    x.addr[3] = 4
    if routes[x] != 8:
        return 5
    k.prefixlen = 33  # longer than the data: refused
    if routes.update(k, 1) == 0:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def ipv6(ctx: c_void_p) -> c_int32:
    k = v6key()
    k.prefixlen = 16
    k.addr[0] = 0x20
    k.addr[1] = 0x01
    routes6[k] = 1 << 40
    k.prefixlen = 128
    k.addr[15] = 1
    routes6[k] = 2
    x = v6key()
    x.prefixlen = 128
    x.addr[0] = 0x20
    x.addr[1] = 0x01
    x.addr[15] = one
    if routes6[x] != 2:
        return 1
    x.addr[15] = 2
    if routes6[x] != 1 << 40:
        return 2
    x.addr[1] = 2
    if x in routes6 or routes6[x] != 0:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def queue_order(ctx: c_void_p) -> c_int32:
    if q.push(one << 40) != 0 or q.push(2) != 0 or q.push(3) != 0:
        return 1
    if q.push(4) != -7:  # full: -E2BIG
        return 2
    if q.peek() != 1 << 40 or q.peek() != 1 << 40:  # peek does not remove
        return 3
    if q.push(4, BPF_EXIST) != 0:  # full, BPF_EXIST: the oldest goes
        return 4
    if q.pop() != 2 or q.pop() != 3 or q.pop() != 4:
        return 5
    v = c_uint64(99)
    if q.peek(v) != -2 or q.pop(v) != -2:  # empty: -ENOENT
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def stack_order(ctx: c_void_p) -> c_int32:
    for i in range(3):
        if st.push(-i) != 0:
            return 1
    if st.push(7) != -7:
        return 2
    if st.peek() != -2:
        return 3
    v = c_int32(0)
    if st.pop(v) != 0 or v != -2:
        return 4
    if st.pop() != -1 or st.pop() != 0:
        return 5
    if st.pop(v) != -2 or st.pop() != 0:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def struct_queue(ctx: c_void_p) -> c_int32:
    j = job()
    for i in range(3):
        j.id = i + 1
        j.prio = -i
        if jobs.push(j) != 0:
            return 1
    out = job()
    if jobs.peek(out) != 0 or out.id != 1 or out.prio != 0:
        return 2
    if jobs.pop(out) != 0 or jobs.pop(out) != 0:
        return 3
    if out.id != 2 or out.prio != -1:
        return 4
    if jobs.pop(out) != 0 or out.id != 3 or jobs.pop(out) != -2:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def bloom_filter(ctx: c_void_p) -> c_int32:
    for i in range(16):
        if bloom.push((one << 32) + i * 7) != 0:
            return 1
    for i in range(16):  # no false negatives
        if (one << 32) + i * 7 not in bloom:
            return 2
        if bloom.peek((1 << 32) + i * 7) != 0:
            return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
