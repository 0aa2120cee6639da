from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import atomic_add, atomic_fetch_or, atomic_cmpxchg, atomic_xchg
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8, c_uint16


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    x: c_uint64 = 1
    atomic_add(x + 1, 2)  # ERROR "atomic_add\(\) changes a variable, field, element or map item, not 'c_uint64'"
    return 0



@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
