# hist_log2 - the branch-free log2 of libbpf-tools (bits.bpf.h log2/log2l)
# in a subprogram-free program, counted in a global array (`hist[slot] += 1`
# is bounds-checked; the C checks the index the same way).
from pybpf import bpf, map, section, bpfglobal
from pybpf.helper import ktime, random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@bpfglobal
def hist() -> c_uint64 * 64:
    return (c_uint64 * 64)()


@bpf
@section("raw_tp/sys_exit")
def sample(ctx: c_void_p) -> c_int32:
    v = ktime() ^ (c_uint64(random()) << 20)
    # log2l: split the 64-bit value, then log2 of 32 bits
    hi = c_uint32(v >> 32)
    if hi:
        x = hi
        base = c_uint32(32)
    else:
        x = c_uint32(v)
        base = c_uint32(0)
    r = c_uint32(x > 0xFFFF) << 4
    x >>= r
    shift = c_uint32(x > 0xFF) << 3
    x >>= shift
    r |= shift
    shift = c_uint32(x > 0xF) << 2
    x >>= shift
    r |= shift
    shift = c_uint32(x > 0x3) << 1
    x >>= shift
    r |= shift
    r |= x >> 1
    slot = base + r
    hist[slot] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
