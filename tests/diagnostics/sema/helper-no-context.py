from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
def grab(buf: c_uint64 * 4) -> c_int64:
    return get_stack(buf)  # ERROR "bpf_get_stack\(\) needs the program's context, and 'grab' has no context parameter"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    b = c_uint32(0)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
