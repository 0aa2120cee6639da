# percpu_stats - per-CPU statistics in a PerCPUArrayMap struct value:
# no atomics needed, each CPU writes its own copy.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerCPUArrayMap
from pybpf.helper import ktime, random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class cpu_stat:
    events: c_uint64
    bytes: c_uint64
    max_size: c_uint32
    small: c_uint32
    last_ns: c_uint64


@bpf
@map
def stats() -> PerCPUArrayMap:
    return PerCPUArrayMap(key=c_uint32, value=cpu_stat, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def account(ctx: c_void_p) -> c_int32:
    size = random() & 0xFFFF
    s = stats.lookup(0)
    if not s:
        return 0
    s.events += 1
    s.bytes += size
    if size > s.max_size:
        s.max_size = size
    if size < 256:
        s.small += 1
    s.last_ns = ktime()
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
