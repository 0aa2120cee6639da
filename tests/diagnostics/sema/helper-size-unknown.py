from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@struct
class event:
    pid: c_uint32
    ts: c_uint64
    name: str(16)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    probe_read_kernel(ctx, 0)  # ERROR "the size of argument 1 of bpf_probe_read_kernel\(\) cannot be inferred"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
