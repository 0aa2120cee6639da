# Contexts that need no kernel types: an unannotated context whose fields
# are never read, and pythonbpf's `ctx: c_void_p`. The compiler must not
# read the kernel BTF for this file (it compiles with --btf /nonexistent)
# and its object must not depend on whether a BTF is there.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid
from ctypes import c_int32, c_uint32, c_uint64, c_void_p


@bpf
@map
def counts() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=2)


@bpf
@section("tracepoint/syscalls/sys_enter_close")
def plain(ctx) -> c_int32:
    counts[0] += 1
    return 0


@bpf
@section("xdp")
def annotated(ctx: c_void_p) -> c_int32:
    if pid() != 0:
        counts[1] += 1
    return 2


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
