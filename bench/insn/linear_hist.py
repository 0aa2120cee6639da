# linear_hist - a linear histogram of the time between events: 20 buckets
# of 50 us and an overflow bucket, in a global array, plus count and sum.
from pybpf import bpf, section, bpfglobal
from pybpf.helper import ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64

BUCKETS = 20
STEP_NS = 50000


@bpf
@bpfglobal
def buckets() -> c_uint64 * (BUCKETS + 1):
    return (c_uint64 * (BUCKETS + 1))()


@bpf
@bpfglobal
def last_ns() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def count() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def sum_ns() -> c_uint64:
    return c_uint64(0)


@bpf
@section("raw_tp/sys_exit")
def record(ctx: c_void_p) -> c_int32:
    global last_ns, count, sum_ns
    now = ktime()
    if last_ns == 0:
        last_ns = now
        return 0
    delta = now - last_ns
    last_ns = now
    b = delta // STEP_NS
    if b > BUCKETS:
        b = BUCKETS
    buckets[b] += 1
    count += 1
    sum_ns += delta
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
