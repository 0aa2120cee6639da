from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    n: c_uint64 = 0
    while True:  # a break leaves it
        n += 1
        if n > 10:
            break
    while 1:  # a return leaves it
        if n > 20:
            return 1
        n += 1
    while True:  # ERROR "this loop never ends: the verifier rejects loops it cannot bound"
        for i in range(4):
            if i == n:
                break  # leaves the inner loop only
        n += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
