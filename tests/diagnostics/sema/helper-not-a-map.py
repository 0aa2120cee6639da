from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    x = map_lookup_elem(5, 1)  # ERROR "argument 1 of bpf_map_lookup_elem\(\) must be a map"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
