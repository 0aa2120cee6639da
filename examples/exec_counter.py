# exec_counter.py - count execve calls per process (keyed by process id).
#
# A process that execs several times (sh -c 'exec ...') keeps its pid, so its
# counter goes up once per exec.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def execs() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=10240)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def count_exec(ctx: c_void_p) -> c_int32:
    p = pid()
    n = execs.lookup(p)
    if n:
        execs.update(p, n + 1)
    else:
        execs.update(p, 1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
