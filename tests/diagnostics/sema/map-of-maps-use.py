from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap, ArrayOfMaps
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def a4() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def outer() -> ArrayOfMaps:
    return ArrayOfMaps(inner=a4, max_entries=2, values=[a4])


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    inner = outer[0]  # fine: an inner map, or None
    inner[1] = 2
    outer[1] = inner  # ERROR "BPF code can only look up in ArrayOfMaps 'outer'; userspace fills it"
    del outer[0]  # ERROR "BPF code can only look up in ArrayOfMaps 'outer'; userspace fills it"
    x = outer[0][1]  # ERROR "use a map found in a map of maps through a variable: inner = outer\[k\], then inner\[key\]"
    outer.update(0, inner)  # ERROR "map 'outer' has no method 'update'"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
