# comm_filter - compare the task's name with a configured one (a read-only
# str(16) global) byte by byte in a loop, count matches per pid.
from typing import Final
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@bpfglobal
def target() -> Final[str(16)]:
    return "bash"


@bpf
@struct
class name:
    buf: str(16)


@bpf
@map
def matches() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1024)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def on_exec(ctx: c_void_p) -> c_int32:
    n = name()
    comm(n.buf)
    for i in range(16):
        if n.buf[i] != target[i]:
            return 0
        if n.buf[i] == 0:
            break
    matches[pid()] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
