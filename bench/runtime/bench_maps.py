# bench_maps.py - the maps runtime_bench.py reads and writes from Python.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1 << 20)


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def touch(ctx: c_void_p) -> c_int32:
    counts[0] = 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
