# runtime_index - arrays indexed with run-time values: a slot chosen from
# the configuration in the map (any value: checked against the length, as
# the verifier requires in C too) and one masked into range.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import random, smp_processor_id
from ctypes import c_void_p, c_int32, c_uint32, c_uint64

SLOTS = 8


@bpf
@struct
class ring:
    pos: c_uint32
    sel: c_uint32
    vals: c_uint64 * SLOTS
    per_cpu: c_uint32 * SLOTS


@bpf
@map
def rings() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=ring, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def record(ctx: c_void_p) -> c_int32:
    r = rings.lookup(random() & 3)
    if r is None:
        return 0
    i = r.pos
    r.vals[i] = random()            # checked: i may be anything
    r.pos = (i + 1) % SLOTS
    r.per_cpu[smp_processor_id() & (SLOTS - 1)] += 1   # masked: always in range
    return c_int32(r.vals[r.sel])   # checked read: 0 when out of range


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
