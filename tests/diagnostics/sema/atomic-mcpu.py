from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import atomic_add, atomic_fetch_or, atomic_cmpxchg, atomic_xchg
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8, c_uint16

# ARGS: --mcpu=v2

@bpf
@bpfglobal
def flags() -> c_uint32:
    return c_uint32(0)


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    atomic_add(flags, 1)  # add works on every CPU version
    return atomic_fetch_or(flags, 2)  # ERROR "atomic_fetch_or\(\) needs --mcpu=v3 or later \(v2 was asked for\)"



@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
