from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@struct
class half:
    data: str(400)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    a = half()  # ERROR "this program needs more than the 512 bytes of stack BPF allows"
    b = half()
    comm(a.data)
    comm(b.data)
    print(a.data, b.data)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
