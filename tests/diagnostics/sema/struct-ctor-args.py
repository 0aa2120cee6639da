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
    e = event(1, 2, "x")  # fine: every field, in order
    e = event(1, 2, "x", 4)  # ERROR "'event' has 3 fields, got 4 values"
    e = event(1, pid=2)  # ERROR "field 'pid' is given twice"
    e = event(ts=1, ts=2)  # ERROR "field 'ts' is given twice"
    e = event(comm=1)  # ERROR "struct 'event' has no field 'comm'"
    e = event(name=5)  # ERROR "struct field: expected 'str\(16\)', got 'c_int32'"
    a = (c_uint32 * 2)(1, 2, 3)  # ERROR "'c_uint32 \* 2' has 2 elements, got 3 values"
    a = (c_uint32 * 2)(x=1)  # ERROR "array values are given by position"
    a = (c_uint32 * 2)(e)  # ERROR "array element: expected 'c_uint32', got 'event'"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
