from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import atomic_add, atomic_fetch_or, atomic_cmpxchg, atomic_xchg
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8, c_uint16


@bpf
@bpfglobal
def small() -> c_uint16:
    return c_uint16(0)


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    atomic_xchg(small, 2)  # ERROR "atomic operations work on 32- and 64-bit integers, not 'c_uint16'"
    return 0



@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
