# print(): strings, f-strings, conversions chosen by type, format specs,
# sep/end, more than three values (bpf_trace_vprintk), string buffers.
# EXPECT-TRACE: plain text, 100% literal
# EXPECT-TRACE: signed -7 unsigned 4294967295 wide -9000000000 big 18446744073709551615
# EXPECT-TRACE: hex ff HEX FF char A spec-d -7 spec-u 4294967289
# EXPECT-TRACE: a-b-c!
# EXPECT-TRACE: 1 2 3 4 5 6 7 8
# EXPECT-TRACE: comm=pybpf-semtest bool=1
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import comm
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64, c_char, c_bool


@bpf
@struct
class named:
    name: str(16)


@bpf
@bpfglobal
def minus_seven() -> c_int32:
    return c_int32(-7)


@bpf
@section("raw_tp/sys_enter")
def p1_plain(ctx: c_void_p) -> c_int32:
    print("plain text, 100% literal")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p2_types(ctx: c_void_p) -> c_int32:
    s = minus_seven
    u = c_uint32(4294967295)
    w = c_int64(s) * 1285714286 + 2
    print(f"signed {s} unsigned {u} wide {w} big {c_uint64(18446744073709551615)}")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p3_specs(ctx: c_void_p) -> c_int32:
    v = c_uint32(255) + minus_seven * 0
    ch = c_char(65)
    print(f"hex {v:x} HEX {v:X} char {ch} spec-d {minus_seven:d} spec-u {minus_seven:u}")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p4_sep_end(ctx: c_void_p) -> c_int32:
    print("a", "b", "c", sep="-", end="!\n")
    return 0


@bpf
@section("raw_tp/sys_enter")
def p5_many(ctx: c_void_p) -> c_int32:
    one = minus_seven + 8
    print(one, one + 1, one + 2, one + 3, one + 4, one + 5, one + 6, one + 7)
    return 0


@bpf
@section("raw_tp/sys_enter")
def p6_buffers(ctx: c_void_p) -> c_int32:
    n = named()
    comm(n.name)
    b = c_bool(minus_seven)
    print(f"comm={n.name} bool={b}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
