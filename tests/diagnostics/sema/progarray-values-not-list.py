from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8
from pybpf.maps import QueueMap, BloomFilter, StackTraceMap, ProgArray, LPMTrie


@bpf
@map
def progs() -> ProgArray:
    return ProgArray(max_entries=4, values=5)  # ERROR "values must be a list of programs"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
