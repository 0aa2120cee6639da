# exec_stats - per-process exec statistics in a struct value, updated through
# the lookup pointer (plain read-modify-write, as `v->count++` in C) or
# inserted when missing.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class exec_stat:
    count: c_uint64
    first_ns: c_uint64
    last_ns: c_uint64


@bpf
@map
def stats() -> HashMap:
    return HashMap(key=c_uint32, value=exec_stat, max_entries=4096)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def on_exec(ctx: c_void_p) -> c_int32:
    p = pid()
    now = ktime()
    s = stats.lookup(p)
    if s:
        s.count += 1
        s.last_ns = now
    else:
        n = exec_stat()
        n.count = 1
        n.first_ns = now
        n.last_ns = now
        stats.update(p, n)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
