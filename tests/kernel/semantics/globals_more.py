# Globals of every width in .bss (zero) and .data (initialised), arrays with
# partial and list initialisers, nested struct globals, read-only Final
# globals (scalars, arrays, structs) indexed at run time, values persisting
# from one program to the next, writes from subprograms, parameters that
# shadow globals.
from typing import Final
from pybpf import bpf, section, bpfglobal, struct
from ctypes import (c_void_p, c_bool, c_char, c_int8, c_uint8, c_int16, c_uint16, c_int32,
                    c_uint32, c_int64, c_uint64)


@bpf
@struct
class point:
    x: c_int16
    y: c_int16


@bpf
@struct
class segment:
    a: point
    b: point
    tags: c_uint8 * 3
    weight: c_uint64


@bpf
@bpfglobal
def b8() -> c_uint8:
    return c_uint8(0)


@bpf
@bpfglobal
def b16() -> c_int16:
    return c_int16(0)


@bpf
@bpfglobal
def b32() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def b64() -> c_int64:
    return c_int64(0)


@bpf
@bpfglobal
def d8() -> c_int8:
    return c_int8(-100)


@bpf
@bpfglobal
def d16() -> c_uint16:
    return c_uint16(65535)


@bpf
@bpfglobal
def d32() -> c_int32:
    return c_int32(-2147483648)


@bpf
@bpfglobal
def d64() -> c_uint64:
    return c_uint64(0xFFFFFFFFFFFFFFFF)


@bpf
@bpfglobal
def dbool() -> c_bool:
    return c_bool(True)


@bpf
@bpfglobal
def dchar() -> c_char:
    return c_char(0x7A)


@bpf
@bpfglobal
def partial() -> c_int16 * 6:
    return (c_int16 * 6)(-1, 2, -3)


@bpf
@bpfglobal
def listed() -> c_uint32 * 4:
    return [10, 20, 30, 40]


@bpf
@bpfglobal
def seg() -> segment:
    return segment(weight=1 << 50)


@bpf
@bpfglobal
def ro_limit() -> Final[c_int32]:
    return c_int32(-42)


@bpf
@bpfglobal
def ro_table() -> Final[c_uint16 * 4]:
    return (c_uint16 * 4)(1, 10, 100, 1000)


@bpf
@bpfglobal
def ro_point() -> Final[point]:
    return point(-7, 8)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
def bump_all(k: c_int64):
    global b8, b16, b32, b64
    b8 += k
    b16 -= k
    b32 += k
    b64 -= k


@bpf
def uses_name(b64: c_int64) -> c_int64:
    return b64 * 2  # the parameter, not the global


@bpf
@section("raw_tp/sys_enter")
def bss_scalars(ctx: c_void_p) -> c_int32:
    global b8, b16, b32, b64
    if b8 != 0 or b16 != 0 or b32 != 0 or b64 != 0:
        return 1
    b8 = one * 300  # stored in 8 bits
    b16 = one * 40000
    b32 = -one
    b64 = one << 40
    if b8 != 44 or b16 != -25536 or b32 != 4294967295 or b64 != 1099511627776:
        return 2
    b8 += 250
    if b8 != 38:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def data_scalars(ctx: c_void_p) -> c_int32:
    if d8 != -100 or d16 != 65535 or d32 != -2147483648 or d64 != 0xFFFFFFFFFFFFFFFF:
        return 1
    if dbool != 1 or dchar != 122:
        return 2
    if d8 + d16 != 65435 or d32 + 1 != -2147483647:
        return 3
    if c_int64(d32) * 2 != -4294967296:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def arrays(ctx: c_void_p) -> c_int32:
    if partial[0] != -1 or partial[2] != -3 or partial[3] != 0 or partial[5] != 0:
        return 1
    if listed[0] != 10 or listed[3] != 40 or listed[-1] != 40:
        return 2
    i = one * 3
    partial[i + 2] = -6
    listed[i] += 2
    if partial[-1] != -6 or listed[3] != 42:
        return 3
    s = 0
    for k in range(6):
        s += partial[k]
    if s != -8:
        return 4
    if partial[i + 3] != 0 or listed[i + 1] != 0:  # out of range
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def structs(ctx: c_void_p) -> c_int32:
    if seg.weight != 1 << 50 or seg.a.x != 0 or seg.tags[2] != 0:
        return 1
    seg.a.x = -one * 5
    seg.b.y = seg.a.x * 3
    i = one * 2
    seg.tags[i] = 255
    seg.tags[i] += 2
    if seg.a.x != -5 or seg.b.y != -15 or seg.tags[2] != 1:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def read_only(ctx: c_void_p) -> c_int32:
    if ro_limit != -42 or ro_limit * 2 != -84:
        return 1
    s = 0
    for k in range(4):
        s += ro_table[k]
    if s != 1111:
        return 2
    i = one * 3
    if ro_table[i] != 1000 or ro_table[i + 1] != 0 or ro_table[-1] != 1000:
        return 3
    if ro_point.x != -7 or ro_point.y != 8:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def subprogram_writes(ctx: c_void_p) -> c_int32:
    # runs after bss_scalars: b8 38, b16 -25536, b32 4294967295, b64 2**40
    bump_all(one * 2)
    if b8 != 40 or b16 != -25538 or b32 != 1 or b64 != 1099511627774:
        return 1
    if uses_name(3) != 6 or b64 != 1099511627774:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def persisted(ctx: c_void_p) -> c_int32:
    # every earlier program of this object wrote here
    if listed[3] != 42 or partial[5] != -6 or seg.tags[2] != 1 or seg.b.y != -15:
        return 1
    if b8 != 40:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def whole_assignment(ctx: c_void_p) -> c_int32:
    global seg, listed
    s = segment()
    s.a.x = 3
    s.tags[1] = 4
    s.weight = 5
    seg = s  # a whole struct global, copied
    s.weight = 6
    if seg.a.x != 3 or seg.tags[1] != 4 or seg.weight != 5 or seg.b.y != 0:
        return 1
    a: c_uint32 * 4
    a[0] = 7
    listed = a  # a whole array global
    if listed[0] != 7 or listed[3] != 0:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
