# latency - syscall latency: the entry time per thread in a hash map, the
# exit computes the delta, deletes the entry and counts it in a log2
# histogram (usecs, loop form), and keeps the total.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import tid, ktime, atomic_add
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def start() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=10240)


@bpf
@map
def hist() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=27)


@bpf
@bpfglobal
def total_ns() -> c_uint64:
    return c_uint64(0)


@bpf
@section("raw_tp/sys_enter")
def enter(ctx: c_void_p) -> c_int32:
    start[tid()] = ktime()
    return 0


@bpf
@section("raw_tp/sys_exit")
def leave(ctx: c_void_p) -> c_int32:
    t = tid()
    ts = start.lookup(t)
    if ts is None:
        return 0
    delta = ktime() - ts
    del start[t]
    atomic_add(total_ns, delta)
    us = delta // 1000
    slot = c_uint32(0)
    while us > 0 and slot < 26:
        us >>= 1
        slot += 1
    atomic_add(hist[slot], 1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
