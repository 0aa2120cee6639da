# Ring buffer and perf event array records of several shapes: narrow
# integers, arrays, nested structs, globals; reserve with nested fields,
# arrays written at run-time indexes, conditional submit and discard. The
# harness checks the records' bytes in order.
# EXPECT-RECORD: ring ab
# EXPECT-RECORD: ring 3412
# EXPECT-RECORD: ring 01000000feffffff03000000
# EXPECT-RECORD: ring 0500000000000000090000000a000000
# EXPECT-RECORD: ring 2a000000
# EXPECT-RECORD: ring 070000000000000000000000ffffff7f0000000000000000
# EXPECT-RECORD: ring 010000000000000000000000000000000200000000000000
# EXPECT-RECORD: ring 030000000000000000000000000000000200000000000000
# EXPECT-RECORD: perf 0800000000000000090000000a000000
# EXPECT-RECORD: perf ffffffffffffffff
# EXPECT-RECORD: perf 0102
# EXPECT-RECORD: perf 0b00000000000000
# EXPECT-RECORD: perf 0c00000000000000
# EXPECT-RECORD: perf 0d000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer, PerfEventArray
from pybpf.helper import perf_event_output
from ctypes import c_void_p, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class inner:
    a: c_uint32
    b: c_uint32


@bpf
@struct
class event:
    ts: c_uint64
    in1: inner


@bpf
@struct
class sample:
    id: c_uint64
    vals: c_int16 * 4
    extra: c_uint32
    pad: c_uint32


@bpf
@bpfglobal
def answer() -> c_uint32:
    return c_uint32(42)


@bpf
@map
def ring() -> RingBuffer:
    return RingBuffer(max_entries=8192)


@bpf
@map
def perf() -> PerfEventArray:
    return PerfEventArray(key_size=c_uint32, value_size=c_uint32)


@bpf
@section("raw_tp/sys_enter")
def ring_shapes(ctx: c_void_p) -> c_int32:
    if ring.output(c_uint8(one * 0x1AB)) != 0:  # 1 byte
        return 1
    if ring.output(c_uint16(one * 0x1234)) != 0:
        return 2
    arr: c_int32 * 3
    arr[0] = 1
    arr[1] = -2
    arr[2] = 3
    if ring.output(arr) != 0:
        return 3
    e = event()
    e.ts = 5
    e.in1.a = 9
    e.in1.b = one * 10
    if ring.output(e) != 0:
        return 4
    if ring.output(answer) != 0:  # a global
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def ring_reserved(ctx: c_void_p) -> c_int32:
    s = ring.reserve(sample)
    if s is None:
        return 1
    s.id = 7
    s.vals[0] = 0  # reserved memory is not zeroed: write every field
    s.vals[1] = 0
    s.extra = 0
    s.pad = 0
    i = one * 2
    s.vals[i] = -one  # run-time index into the record
    s.vals[i + 1] = 0x7FFF
    s.vals[i + 2] = 5  # out of range: nothing
    ring.submit(s)
    for k in range(3):
        r = ring.reserve(sample)
        if r is None:
            return 2
        r.id = k + 1
        for j in range(4):
            r.vals[j] = 0
        r.extra = 2
        r.pad = 0
        if k % 2 == 0:
            ring.submit(r)  # k = 0 and 2
        else:
            ring.discard(r)
    return 0


@bpf
@section("raw_tp/sys_enter")
def perf_shapes(ctx: c_void_p) -> c_int32:
    e = event()
    e.ts = one * 8
    e.in1.a = 9
    e.in1.b = 10
    if perf.output(e) != 0:
        return 1
    if perf.output(c_uint64(-one)) != 0:
        return 2
    b: c_uint8 * 2
    b[0] = 1
    b[1] = 2
    if perf.output(b) != 0:
        return 3
    # the helper itself: the context given or left out, the size left out
    v = c_uint64(one * 11)
    if perf_event_output(ctx, perf, 0xFFFFFFFF, v) != 0:
        return 4
    v = one * 12
    if perf_event_output(perf, 0xFFFFFFFF, v) != 0:
        return 5
    v = one * 13
    if perf_event_output(ctx, perf, 0xFFFFFFFF, v, 4) != 0:
        return 6
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
