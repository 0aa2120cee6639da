# atomics - lock-free bookkeeping: a global sequence number (fetch_add), a
# high-water mark kept with a compare-and-swap loop, and flag bits with
# atomic_or in a map value.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import pid, random, atomic_add, atomic_or, atomic_fetch_add, atomic_cmpxchg
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class shared:
    inflight: c_uint64
    peak: c_uint64
    flags: c_uint64
    last_seq: c_uint64


@bpf
@map
def state() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=shared, max_entries=1)


@bpf
@bpfglobal
def seq() -> c_uint64:
    return c_uint64(0)


@bpf
@section("raw_tp/sys_enter")
def track(ctx: c_void_p) -> c_int32:
    s = state.lookup(0)
    if s is None:
        return 0
    n = atomic_fetch_add(s.inflight, 1) + 1
    for i in range(4):  # raise the peak to n unless someone raised it higher
        old = s.peak
        if old >= n:
            break
        if atomic_cmpxchg(s.peak, old, n) == old:
            break
    atomic_or(s.flags, c_uint64(1) << (pid() & 63))
    s.last_seq = atomic_fetch_add(seq, 1)
    if random() & 1:
        atomic_add(s.inflight, -1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
