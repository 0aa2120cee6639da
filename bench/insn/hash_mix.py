# hash_mix - arithmetic-heavy: a jhash-style 32-bit mix of the process id,
# thread id and time (rotates, adds, xors), bucketed into 256 counters.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid, tid, ktime, atomic_add
from ctypes import c_void_p, c_int32, c_uint32, c_uint64

GOLDEN = 0x9E3779B9


@bpf
@map
def buckets() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=256)


@bpf
@section("raw_tp/sys_enter")
def spread(ctx: c_void_p) -> c_int32:
    # GOLDEN does not fit a C int, so as a constant it is a long long:
    # annotating keeps the arithmetic in 32 bits, as C's unsigned literal does
    a: c_uint32 = pid() + GOLDEN
    b: c_uint32 = tid() + GOLDEN
    c: c_uint32 = c_uint32(ktime()) + GOLDEN
    # __jhash_final(a, b, c)
    c ^= b
    c -= (b << 14) | (b >> 18)
    a ^= c
    a -= (c << 11) | (c >> 21)
    b ^= a
    b -= (a << 25) | (a >> 7)
    c ^= b
    c -= (b << 16) | (b >> 16)
    a ^= c
    a -= (c << 4) | (c >> 28)
    b ^= a
    b -= (a << 14) | (a >> 18)
    c ^= b
    c -= (b << 24) | (b >> 8)
    h = (c * c_uint32(2654435761)) >> 24
    atomic_add(buckets[h], 1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
