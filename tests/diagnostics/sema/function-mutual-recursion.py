from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
def even(n: c_uint32) -> c_uint32:
    return odd(n - 1) if n else 1

@bpf
def odd(n: c_uint32) -> c_uint32:
    return even(n - 1) if n else 0  # ERROR "recursive call: 'odd' calls 'even'"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return even(4)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
