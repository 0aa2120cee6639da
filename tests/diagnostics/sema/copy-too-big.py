from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@struct
class big:
    data: str(2048)


@bpf
@map
def store() -> ArrayMap:
    return ArrayMap(value=big, max_entries=1)


@bpf
@bpfglobal
def template() -> big:
    return big("x")


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    store[0] = template  # ERROR "this copies an object too large for the 512-byte BPF stack"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
