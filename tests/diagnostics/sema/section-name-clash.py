from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@section("xdp")
def xdp(ctx: c_void_p) -> c_int32:  # ERROR "program 'xdp' has the name of a program section; rename it"
    return 2


@bpf
@section("tc")
def classify(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@map
def tc() -> HashMap:  # ERROR "map 'tc' has the name of a program section; rename it"
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@bpfglobal
def license() -> c_uint32:  # ERROR "global 'license' has the name of the license section; rename it"
    return c_uint32(1)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
