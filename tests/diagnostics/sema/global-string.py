from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8
from typing import Final


@bpf
@bpfglobal
def name() -> str(2):
    return "hello"  # ERROR "the string has 5 bytes; 'str\(2\)' holds 2"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
