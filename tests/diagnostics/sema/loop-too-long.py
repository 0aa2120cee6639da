from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    n: c_uint64 = 0
    for i in range(1000000):  # fine: at most a million iterations
        n += i & 1
    for i in range(0, 3000000, 2):  # WARNING "this loop runs 1500000 times; the verifier gives up after 1000000 instructions"
        n += i & 1
    for i in range(5000000, 0, -2):  # WARNING "this loop runs 2500000 times"
        n += i & 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
