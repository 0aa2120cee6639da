from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8
from pybpf.maps import QueueMap, BloomFilter, StackTraceMap, ProgArray, LPMTrie


@bpf
@map
def progs() -> ProgArray:
    return ProgArray(max_entries=1, values=[prog, prog])  # ERROR "values has 2 programs but max_entries is 1"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
