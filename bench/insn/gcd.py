# gcd - Euclid's algorithm in a bounded while loop (at most 64 rounds) on
# two sampled values, and the reduced ratio stored in a map.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import random, ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class ratio:
    num: c_uint64
    den: c_uint64
    rounds: c_uint32
    pad: c_uint32


@bpf
@map
def ratios() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=ratio, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def reduce(ctx: c_void_p) -> c_int32:
    a = c_uint64(random()) + 1
    b = (ktime() & 0xFFFFFF) + 1
    x = a
    y = b
    n = c_uint32(0)
    while y != 0 and n < 64:
        t = x % y
        x = y
        y = t
        n += 1
    r = ratios.lookup(0)
    if r is None:
        return 0
    r.num = a / x
    r.den = b / x
    r.rounds = n
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
