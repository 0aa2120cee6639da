from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=2 @ 3)  # ERROR "operator not allowed in a constant expression"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
