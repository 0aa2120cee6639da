from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8

from vmlinux import struct_task_struct

@bpf
@map
def tasks() -> HashMap:
    return HashMap(key=c_uint32, value=struct_task_struct, max_entries=16)  # ERROR "kernel struct 'task_struct' is only read through a kernel pointer, as struct_task_struct\(address\)"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
