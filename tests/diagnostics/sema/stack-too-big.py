from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@struct
class big:
    data: str(1024)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    b = big()  # ERROR "'big' takes 1024 bytes, more than the 512-byte BPF stack"
    comm(b.data)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
