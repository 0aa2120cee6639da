# @struct layout (C alignment and padding, checked byte for byte in maps by
# the harness), nested structs three levels deep with arrays of structs,
# whole-struct and sub-struct copies, writes through map pointers into
# nested fields, c_bool and c_char fields.
# EXPECT-MAP: flat 1 1100332244000000887766550000000000ffeeddccbbaa99
# EXPECT-MAP: nested 1 01000000ab0000000403020101000302ffff7f00
# EXPECT-MAP: nested 2 000000000c0000000b00000000000000ffff0000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from ctypes import (c_void_p, c_bool, c_char, c_int8, c_uint8, c_int16, c_uint16, c_int32,
                    c_uint32, c_int64, c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class rec:
    a: c_uint8
    b: c_uint16
    c: c_uint8
    d: c_uint32
    e: c_uint64


@bpf
@struct
class inner:
    x: c_uint8
    y: c_uint32


@bpf
@struct
class outer:
    flag: c_bool
    in1: inner
    arr: c_uint16 * 3
    tail: c_int8


@bpf
@struct
class leaf:
    v: c_int16
    w: c_uint8


@bpf
@struct
class mid:
    items: leaf * 2
    n: c_uint32


@bpf
@struct
class top:
    tag: c_char
    m: mid
    ms: mid * 2


@bpf
@map
def flat() -> HashMap:
    return HashMap(key=c_uint32, value=rec, max_entries=4)


@bpf
@map
def nested() -> HashMap:
    return HashMap(key=c_uint32, value=outer, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def layout_flat(ctx: c_void_p) -> c_int32:
    r = rec()
    r.a = one * 0x11
    r.b = one * 0x2233
    r.c = one * 0x44
    r.d = one * 0x55667788
    r.e = one * 0x99AABBCCDDEEFF00
    flat[1] = r
    p = flat[1]
    if p.a != 0x11 or p.b != 0x2233 or p.c != 0x44 or p.d != 0x55667788:
        return 1
    if p.e != 0x99AABBCCDDEEFF00:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def layout_nested(ctx: c_void_p) -> c_int32:
    o = outer()
    o.flag = one * 2  # stored as 1
    o.in1.x = one * 0xAB
    o.in1.y = one * 0x01020304
    o.arr[0] = one
    o.arr[1] = one * 0x203
    o.arr[2] = -one
    o.tail = one * 0x7F
    nested[1] = o
    q = nested[1]
    if q.flag != 1 or q.in1.x != 0xAB or q.in1.y != 0x01020304 or q.arr[2] != 0xFFFF:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def map_writeback(ctx: c_void_p) -> c_int32:
    nested[2] = outer()
    p = nested.lookup(2)
    if p is None:
        return 1
    i = one * 2
    p.in1.y += 11  # writes into the map's value
    p.in1.x = 12
    p.arr[i] -= 1  # 0xffff
    p.arr[i + 1] = 5  # out of range: nothing
    p.tail = one * 0xFF00  # truncated to 0
    p.flag = one - 1
    if nested[2].in1.y != 11 or nested[2].arr[2] != 0xFFFF or nested[2].tail != 0:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def three_levels(ctx: c_void_p) -> c_int32:
    t = top()
    i = one
    t.tag = one * 0x41
    t.m.items[i].v = -one * 300
    t.m.items[0].w = one * 257  # 1
    t.m.n = 2
    t.ms[i].items[i].v = one * 7
    t.ms[i].items[0].w = 9
    t.ms[0].n = t.ms[i].items[i].v * 3
    if t.tag != 65 or t.m.items[1].v != -300 or t.m.items[0].w != 1 or t.m.n != 2:
        return 1
    if t.ms[1].items[1].v != 7 or t.ms[1].items[0].w != 9 or t.ms[0].n != 21:
        return 2
    if t.ms[0].items[1].v != 0 or t.ms[i + 1].n != 0:  # untouched, out of range
        return 3
    s = 0
    for a in range(2):
        for b in range(2):
            s += t.ms[a].items[b].v + t.ms[a].items[b].w
    if s != 16:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def sub_struct_copies(ctx: c_void_p) -> c_int32:
    o = outer()
    n = inner()
    n.x = 5
    n.y = one * 6
    o.in1 = n  # copy into a field
    n.y = 60
    if o.in1.x != 5 or o.in1.y != 6:
        return 1
    m = inner()
    m = o.in1  # copy out of a field
    m.x = 50
    if o.in1.x != 5 or m.y != 6:
        return 2
    t = top()
    t.m.items[1].v = 4
    t.ms[0] = t.m  # nested struct with arrays
    t.m.items[1].v = 8
    if t.ms[0].items[1].v != 4 or t.m.items[1].v != 8:
        return 3
    t.ms[1].items[0] = t.ms[0].items[1]
    if t.ms[1].items[0].v != 4:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def bool_and_char_fields(ctx: c_void_p) -> c_int32:
    o = outer()
    o.flag = one * 256  # non-zero: 1
    if o.flag != 1:
        return 1
    o.flag = one << 40
    if o.flag != 1:
        return 2
    o.flag = o.flag - 1
    if o.flag:
        return 3
    t = top()
    t.tag = one * 0xE9  # char is signed
    if t.tag != -23:
        return 4
    t.tag += 1
    if t.tag != -22:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
