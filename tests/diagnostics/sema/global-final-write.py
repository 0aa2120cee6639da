from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8
from typing import Final


@bpf
@bpfglobal
def limit() -> Final[c_uint32]:
    return c_uint32(5)


@bpf
@section("tracepoint/syscalls/sys_exit_execve")
def writer(ctx: c_void_p) -> c_int32:
    global limit
    limit = 6  # ERROR "'limit' is read-only \(Final\): userspace sets it before the program is loaded"
    return 0


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
