# bits - bit manipulation: population count (Kernighan's loop, at most 32
# rounds), parity by folding, and the index of the lowest set bit.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class bitstat:
    ones: c_uint64
    odd: c_uint64
    low_hist: c_uint64 * 32


@bpf
@map
def stats() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=bitstat, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def bits(ctx: c_void_p) -> c_int32:
    s = stats.lookup(0)
    if s is None:
        return 0
    x = random()
    n = c_uint32(0)
    v = x
    for i in range(32):
        if v == 0:
            break
        v &= v - 1
        n += 1
    p = x ^ (x >> 16)
    p ^= p >> 8
    p ^= p >> 4
    p ^= p >> 2
    p ^= p >> 1
    low = c_uint32(0)
    if x:
        while (x & 1) == 0 and low < 31:
            x >>= 1
            low += 1
        s.low_hist[low] += 1
    s.ones += n
    s.odd += p & 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
