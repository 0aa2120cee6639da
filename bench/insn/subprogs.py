# subprogs - BPF-to-BPF calls: integer helpers and a struct passed by
# reference, each a subprogram (never inlined); the C side marks its
# functions __noinline so both compile to the same calls.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, ktime, random
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@struct
class bucket:
    tokens: c_uint64
    last_ns: c_uint64
    drops: c_uint64


@bpf
@map
def buckets() -> HashMap:
    return HashMap(key=c_uint32, value=bucket, max_entries=1024)


@bpf
def clamp(v: c_uint64, lo: c_uint64, hi: c_uint64) -> c_uint64:
    if v < lo:
        return lo
    if v > hi:
        return hi
    return v


@bpf
def refill(b: bucket, now: c_uint64, rate: c_uint64, burst: c_uint64) -> c_uint64:
    elapsed = now - b.last_ns
    b.tokens = clamp(b.tokens + (elapsed >> 20) * rate, 0, burst)
    b.last_ns = now
    return b.tokens


@bpf
def take(b: bucket, cost: c_uint64) -> c_int32:
    if b.tokens < cost:
        b.drops += 1
        return 0
    b.tokens -= cost
    return 1


@bpf
@section("raw_tp/sys_enter")
def limit(ctx: c_void_p) -> c_int32:
    k = pid()
    b = buckets.lookup(k)
    if b is None:
        fresh = bucket()
        fresh.tokens = 64
        fresh.last_ns = ktime()
        buckets.update(k, fresh)
        return 0
    refill(b, ktime(), 4, 64)
    return take(b, 1 + (random() & 3))


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
