# cpu_counter - count events per CPU in an ArrayMap slot with atomic_add()
# (the slot exists for every index below max_entries; a missing one is left
# alone, as the C code's `if (v)` does).
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import smp_processor_id, atomic_add
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def per_cpu() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=64)


@bpf
@section("tracepoint/sched/sched_switch")
def on_switch(ctx: c_void_p) -> c_int32:
    atomic_add(per_cpu[smp_processor_id()], 1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
