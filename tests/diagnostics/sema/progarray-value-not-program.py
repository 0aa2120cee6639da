from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8
from pybpf.maps import QueueMap, BloomFilter, StackTraceMap, ProgArray, LPMTrie


@bpf
def helper_fn() -> c_int32:
    return 0

@bpf
@map
def progs() -> ProgArray:
    return ProgArray(max_entries=2, values=[helper_fn])  # ERROR "ProgArray values are BPF programs"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
