from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    x = probe_read_kernel(1)  # ERROR "bpf_probe_read_kernel\(\) takes 3 arguments, got 1"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
