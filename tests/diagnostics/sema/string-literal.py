from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    x = "hello"  # a str(6)
    y = x[0] + "a"  # ERROR "a string can only be printed, stored in a str\(N\) buffer or used as a map key"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
