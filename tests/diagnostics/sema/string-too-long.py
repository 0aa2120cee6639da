from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_uint32


@bpf
@struct
class rec:
    name: str(4)
    id: c_uint32


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    r = rec()
    r.name = "abcd"  # four bytes fit (without the NUL, as in C)
    r.name = "abcde"  # ERROR "the string has 5 bytes; 'str\(4\)' holds 4"
    r.id = "x"  # ERROR "assignment to field: expected 'c_uint32', got 'str\(2\)'"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
