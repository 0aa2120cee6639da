from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@struct
class rec:
    vals: c_uint32 * 4


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    r = rec()
    r.vals[4] = 1  # ERROR "index 4 is out of range for 'c_uint32 \* 4'"
    r.vals[-5] = 1  # ERROR "index -5 is out of range"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
