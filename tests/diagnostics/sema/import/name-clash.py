# ARGS: -I{dir}/modules
# Maps, globals and programs of all modules share the object's namespace.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_void_p, c_int64, c_uint32, c_uint64
from clash import counts as their_counts
# ERROR@modules/clash.py:9 "imported map 'counts' has the name of map 'counts'"


@bpf
@map
def counts() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=2)


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    their_counts[0] = 1
    counts[0] = 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
