# nested - nested structs and an array of structs in a map value, the
# element chosen at run time (checked), fields updated in place.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, tid, ktime, smp_processor_id
from ctypes import c_void_p, c_int32, c_uint16, c_uint32, c_uint64

NCPU = 8


@bpf
@struct
class span:
    start_ns: c_uint64
    total_ns: c_uint64
    count: c_uint32
    max_us: c_uint32


@bpf
@struct
class proc:
    run: span
    wait: span
    cpus: span * NCPU
    last_cpu: c_uint16
    migrations: c_uint16


@bpf
@map
def procs() -> HashMap:
    return HashMap(key=c_uint32, value=proc, max_entries=1024)


@bpf
@section("tracepoint/sched/sched_switch")
def on_switch(ctx: c_void_p) -> c_int32:
    p = procs.lookup(pid())
    if p is None:
        return 0
    now = ktime()
    cpu = smp_processor_id()
    d = now - p.run.start_ns
    p.run.total_ns += d
    p.run.count += 1
    us = c_uint32(d // 1000)
    if us > p.run.max_us:
        p.run.max_us = us
    p.wait.start_ns = now
    p.cpus[cpu].total_ns += d
    p.cpus[cpu].count += 1
    if p.last_cpu != cpu:
        p.migrations += 1
        p.last_cpu = cpu
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
