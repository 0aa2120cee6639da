# output() to a ring buffer and to a perf event array, and typed
# reserve/submit/discard on the ring buffer; the records' bytes are checked
# by the harness (little-endian). A discarded record never arrives.
# EXPECT-RECORD: ring 2a00000000000000ffffffff
# EXPECT-RECORD: ring 0700000000000000
# EXPECT-RECORD: ring 6300000000000000feffffff
# EXPECT-RECORD: perf 2a00000000000000ffffffff
# EXPECT-RECORD: perf 07000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer, PerfEventArray
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class rec:
    a: c_uint64
    b: c_int32


@bpf
@map
def ring() -> RingBuffer:
    return RingBuffer(max_entries=4096)


@bpf
@map
def perf() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@section("raw_tp/sys_enter")
def to_ring(ctx: c_void_p) -> c_int32:
    r = rec()
    r.a = 42
    r.b = -1
    if ring.output(r) != 0:
        return 1
    if ring.output(c_uint64(7)) != 0:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def to_perf(ctx: c_void_p) -> c_int32:
    r = rec()
    r.a = 42
    r.b = -1
    if perf.output(r) != 0:
        return 1
    if perf.output(c_uint32(7)) != 0:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def to_ring_reserved(ctx: c_void_p) -> c_int32:
    r = ring.reserve(rec)
    if r is None:
        return 1
    r.a = 99
    r.b = -2
    ring.submit(r)
    d = ring.reserve(rec)
    if d:
        d.a = 1
        ring.discard(d)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
