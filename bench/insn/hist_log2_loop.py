# hist_log2_loop - a log2 histogram of a value, the slot found with a
# bounded loop (the bit length), counted in an ArrayMap with atomic_add().
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import random, atomic_add
from ctypes import c_void_p, c_int32, c_uint32, c_uint64

MAX_SLOTS = 32


@bpf
@map
def hist() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=MAX_SLOTS)


@bpf
@section("raw_tp/sys_enter")
def sample(ctx: c_void_p) -> c_int32:
    v = random()
    slot = c_uint32(0)
    for i in range(MAX_SLOTS):
        if v == 0:
            break
        v >>= 1
        slot += 1
    if slot >= MAX_SLOTS:
        slot = MAX_SLOTS - 1
    atomic_add(hist[slot], 1)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
