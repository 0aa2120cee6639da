# BPF subprograms: arguments converted to the parameter types, typed returns
# converted to the return type, None functions and bare returns, structs,
# sub-structs and arrays passed by reference, deep call chains, left-to-right
# argument evaluation, and one subprogram shared by several programs.
from pybpf import bpf, section, bpfglobal, struct
from ctypes import (c_void_p, c_bool, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32,
                    c_int64, c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def order() -> c_int64:
    return c_int64(0)


@bpf
@bpfglobal
def shared_calls() -> c_uint32:
    return c_uint32(0)


@bpf
@struct
class pair:
    lo: c_uint16
    hi: c_int32


@bpf
@struct
class holder:
    p: pair
    q: pair
    vals: c_int64 * 4
    n: c_uint32


@bpf
def five(a: c_uint8, b: c_int16, c: c_uint32, d: c_int8, e: c_uint64) -> c_int64:
    return a + b + c + d + e


@bpf
def widen(a: c_uint32, b: c_int32) -> c_int64:
    return c_int64(a) + b


@bpf
def untyped(x, y):
    return x - y


@bpf
def ret_i8(v: c_int64) -> c_int8:
    return v


@bpf
def ret_u16(v: c_int64) -> c_uint16:
    return v


@bpf
def ret_bool(v: c_int64) -> c_bool:
    return v


@bpf
def ret_u32(v: c_int64) -> c_uint32:
    return v


@bpf
def ret_u64(v: c_int64) -> c_uint64:
    return v


@bpf
def note(v: c_int64):
    global order
    order = order * 10 + v


@bpf
def noted(v: c_int64) -> c_int64:
    note(v)
    return v


@bpf
def early(h: holder, v: c_int64):
    if v < 0:
        return
    h.n += 1
    if v > 100:
        return
    h.n += 10


@bpf
def set_pair(p: pair, lo: c_uint32, hi: c_int64):
    p.lo = lo
    p.hi = hi


@bpf
def sum4(vals: c_int64 * 4) -> c_int64:
    s = 0
    for i in range(4):
        s += vals[i]
    return s


@bpf
def scale(vals: c_int64 * 4, k: c_int64) -> c_int64:
    for i in range(4):
        vals[i] *= k
    return k


@bpf
def level4(x: c_int64) -> c_int64:
    return x * 2


@bpf
def level3(x: c_int64, y: c_int64) -> c_int64:
    return level4(x) + y


@bpf
def level2(x: c_int64, y: c_int64, z: c_int64) -> c_int64:
    return level3(x, y) * z


@bpf
def level1(h: holder) -> c_int64:
    return level2(h.p.hi, h.q.hi, h.vals[1])


@bpf
def shared(x: c_uint32) -> c_uint32:
    global shared_calls
    shared_calls += 1
    return x * 3


@bpf
@section("raw_tp/sys_enter")
def argument_conversion(ctx: c_void_p) -> c_int32:
    o = one
    # 44 + 4464 + 4294967295 wraps in unsigned int (4507), - 56, then + 7 as u64
    if five(o * 300, o * 70000, -o, o * 200, o * 7) != 4458:
        return 1
    if five(o, o, o, o, o) != 5:
        return 2
    if widen(-o, -o) != 4294967294:
        return 3
    if untyped(c_uint32(-o), o) != 4294967294:  # c_int64 parameters
        return 4
    if untyped(o, o * 3) != -2:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def return_conversion(ctx: c_void_p) -> c_int32:
    o = one
    if ret_i8(o * 200) != -56 or ret_i8(o * 127) != 127:
        return 1
    if ret_u16(-o) != 65535 or ret_u16(o * 65536) != 0:
        return 2
    if ret_bool(o * 256) != 1 or ret_bool(o - 1) != 0 or ret_bool(-o) != 1:
        return 3
    if ret_u32(-o) != 4294967295 or ret_u32(-o) + 1 != 0:
        return 4
    if ret_u64(-o) != 0xFFFFFFFFFFFFFFFF or ret_u64(-o) < 1:
        return 5
    if c_int64(ret_u32(-o)) != 4294967295 or c_int64(ret_i8(-o)) != -1:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def none_functions(ctx: c_void_p) -> c_int32:
    global order
    h = holder()
    early(h, -one)
    if h.n != 0:
        return 1
    early(h, one * 200)
    if h.n != 1:
        return 2
    early(h, one)
    if h.n != 12:
        return 3
    order = 0
    note(one)
    note(one * 2)
    if order != 12:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def evaluation_order(ctx: c_void_p) -> c_int32:
    global order
    order = 0
    r = untyped(noted(one * 3), noted(one * 5))  # left to right
    if order != 35 or r != -2:
        return 1
    order = 0
    r = five(noted(1), noted(2), noted(3), noted(4), noted(5))
    if order != 12345 or r != 15:
        return 2
    order = 0
    r = noted(7) + noted(8) * noted(9)
    if order != 789 or r != 79:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def by_reference(ctx: c_void_p) -> c_int32:
    h = holder()
    set_pair(h.p, one * 0x10001, -one * 9)  # a sub-struct: written in place
    set_pair(h.q, 3, 4)
    if h.p.lo != 1 or h.p.hi != -9 or h.q.lo != 3 or h.q.hi != 4:
        return 1
    for i in range(4):
        h.vals[i] = i + 1
    if sum4(h.vals) != 10:
        return 2
    scale(h.vals, -one * 2)
    if h.vals[0] != -2 or h.vals[3] != -8 or sum4(h.vals) != -20:
        return 3
    local: c_int64 * 4
    local[2] = 5
    scale(local, one * 3)
    if local[2] != 15 or sum4(local) != 15:
        return 4
    p = pair()
    set_pair(p, -one, one << 33)  # truncated when stored
    if p.lo != 65535 or p.hi != 0:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def call_chains(ctx: c_void_p) -> c_int32:
    h = holder()
    h.p.hi = 3
    h.q.hi = 4
    h.vals[1] = -one
    if level1(h) != -10:  # ((3 * 2) + 4) * -1
        return 1
    if level2(one, one, one) != 3 or level3(one * 5, 0) != 10:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def shared_a(ctx: c_void_p) -> c_int32:
    if shared(one * 5) != 15:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def shared_b(ctx: c_void_p) -> c_int32:
    if shared(-one) != 4294967293:  # unsigned int wraps
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def shared_c(ctx: c_void_p) -> c_int32:
    # runs after shared_a and shared_b in the same object
    if shared(0) != 0 or shared_calls != 3:
        return 1
    return 0


@bpf
def mixed_refs(p: pair, q: pair, x: c_int64, arr: c_int64 * 4, y: c_uint32) -> c_int64:
    p.lo = q.lo + x
    arr[y] = 9
    arr[y + 4] = 9  # out of range: nothing
    return p.hi + q.hi


@bpf
@section("raw_tp/sys_enter")
def five_references(ctx: c_void_p) -> c_int32:
    h = holder()
    h.p.hi = 8
    h.q.hi = 100
    h.q.lo = 1
    if mixed_refs(h.p, h.q, one * 2, h.vals, 2) != 108:
        return 1
    if h.p.lo != 3 or h.vals[2] != 9 or h.n != 0 or h.vals[3] != 0:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
