# @struct: zeroed construction, field reads and writes, narrow fields,
# nested structs, string buffers, struct copies, tuple assignment.
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import comm
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32, c_uint64, c_bool


@bpf
@struct
class inner:
    a: c_uint8
    b: c_uint64


@bpf
@struct
class outer:
    flag: c_bool
    small: c_uint16
    nested: inner
    name: str(16)
    big: c_int64


@bpf
@bpfglobal
def three() -> c_int64:
    return c_int64(3)


@bpf
@section("raw_tp/sys_enter")
def fields(ctx: c_void_p) -> c_int32:
    o = outer()
    if o.flag or o.small or o.nested.a or o.nested.b or o.big:
        return 1
    o.small = 70000  # truncated to 16 bits
    if o.small != 4464:
        return 2
    o.nested.a = 300  # truncated to 8 bits
    o.nested.b = three * 1000000000000
    if o.nested.a != 44 or o.nested.b != 3000000000000:
        return 3
    o.flag = three  # any non-zero value is True
    if o.flag != 1:
        return 4
    o.big = -three
    o.big *= 2
    if o.big != -6:
        return 5
    p = outer()
    p = o  # copy
    p.big = 1
    if o.big != -6 or p.big != 1 or p.nested.b != 3000000000000:
        return 6
    x, y = three, three + 1
    x, y = y, x  # both values are taken before storing
    if x != 4 or y != 3:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def buffers(ctx: c_void_p) -> c_int32:
    o = outer()
    if comm(o.name) != 0:
        return 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
