# Regression (fixed): with several assignment targets, the value stored into the second
# target is the first target's converted value, not the expression's value.
# Python: `n = m = v` assigns v to n and v to m; each target converts v to its
# own type (dialect.md: "Later assignments convert to that type"). Expected:
# n == 44 (300 in a c_uint8), m == 300 (a new c_int64 local). pybpf stores
# zext(trunc(v)) into m, so m == 44 and the program returns 2.
# (`m = n = v` in the other order gives m == 300: the order of targets matters.)
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64, c_uint8


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@section("raw_tp/sys_enter")
def several_targets(ctx: c_void_p) -> c_int32:
    n: c_uint8 = 0
    n = m = one * 300
    if n != 44:
        return 1
    if m != 300:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
