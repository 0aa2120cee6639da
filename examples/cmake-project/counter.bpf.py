# counter.bpf.py - counts the getppid calls of one process (the loader sets
# target_pid before loading) in a map and in a global.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64
from counter_common import MAX_PIDS, is_target


@bpf
@map
def calls() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=MAX_PIDS)


@bpf
@bpfglobal
def target_pid() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def total() -> c_uint64:
    return c_uint64(0)


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def on_getppid(ctx: c_void_p) -> c_int32:
    global total
    p = pid()
    if is_target(p, target_pid):
        calls[p] += 1
        total += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
