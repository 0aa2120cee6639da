# A program for the skeleton test (test_cli.py SkeletonTest): a map, globals
# in .bss and .data (one of them a struct), one tracepoint program that counts
# the getppid calls of the process whose pid the loader sets before load.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class stats:
    calls: c_uint64
    last_pid: c_uint32


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=16)


@bpf
@bpfglobal
def target_pid() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def step() -> c_uint64:
    return c_uint64(5)


@bpf
@bpfglobal
def hits() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def last() -> stats:
    return stats()


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def on_getppid(ctx: c_void_p) -> c_int32:
    global hits
    if pid() == target_pid:
        hits += step
        last.calls += 1
        last.last_pid = pid()
        counts[7] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
