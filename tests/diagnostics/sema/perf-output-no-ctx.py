from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


@bpf
@map
def events() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)

@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog() -> c_int32:
    x = ktime()
    events.output(x)  # ERROR "PerfEventArray.output\(\) needs the program's context"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
