# syscount - count system calls per process with the in-place `m[k] += 1`.
#
# C equivalent: lookup; found: __sync_fetch_and_add; missing: insert 1 with
# BPF_NOEXIST and, when another CPU inserted the key first, add to its value.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=10240)


@bpf
@section("raw_tp/sys_enter")
def sys_enter(ctx: c_void_p) -> c_int32:
    counts[pid()] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
