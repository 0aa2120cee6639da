# The v3 atomics: fetch forms give the old value in the place's type (sign
# or zero extended), wrap-around on 32-bit places, xchg and cmpxchg on
# fields, elements and map items, a compare-and-swap retry loop, missing
# places giving 0.
# MIN-MCPU: 3
# EXPECT-MAP: peaks 1 6400000000000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import (atomic_and, atomic_or, atomic_xor, atomic_fetch_add, atomic_fetch_sub,
                          atomic_fetch_and, atomic_fetch_or, atomic_fetch_xor, atomic_xchg,
                          atomic_cmpxchg)
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def u32() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def s32() -> c_int32:
    return c_int32(0)


@bpf
@bpfglobal
def s64() -> c_int64:
    return c_int64(0)


@bpf
@bpfglobal
def arr() -> c_uint32 * 4:
    return (c_uint32 * 4)()


@bpf
@struct
class state:
    flags: c_uint32
    owner: c_int32
    seq: c_uint64


@bpf
@map
def states() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=state, max_entries=2)


@bpf
@map
def peaks() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
def store_max(k: c_uint32, v: c_uint64) -> c_int64:
    # a compare-and-swap retry loop on a map item
    for i in range(8):
        old = peaks[k]
        if old >= v:
            return i
        if atomic_cmpxchg(peaks[k], old, v) == old:
            return i
    return -1


@bpf
@section("raw_tp/sys_enter")
def old_values(ctx: c_void_p) -> c_int32:
    global u32, s32, s64
    if atomic_fetch_sub(u32, 1) != 0 or u32 != 4294967295:
        return 1
    if atomic_fetch_add(u32, 2) != 4294967295 or u32 != 1:  # zero extended
        return 2
    s32 = -one
    if atomic_fetch_and(s32, 0xF0) != -1 or s32 != 0xF0:  # sign extended
        return 3
    if atomic_fetch_or(s32, -one * 256) != 0xF0 or s32 != -16:
        return 4
    if atomic_fetch_xor(s32, -one) != -16 or s32 != 15:
        return 5
    s64 = one << 40
    if atomic_fetch_add(s64, -one) != 1 << 40 or s64 != (1 << 40) - 1:
        return 6
    if atomic_xchg(s64, -one) != (1 << 40) - 1 or s64 != -1:
        return 7
    r = atomic_fetch_add(u32, 0) + 1  # the result has the place's type
    if r != 2:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def without_results(ctx: c_void_p) -> c_int32:
    global u32
    u32 = 0xF0F0
    atomic_and(u32, 0xFF00)
    atomic_or(u32, 0x000F)
    atomic_xor(u32, 0xFFFF)
    if u32 != 0x0FF0:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def on_places(ctx: c_void_p) -> c_int32:
    i = one * 3
    arr[i] = 7
    if atomic_xchg(arr[i], 8) != 7 or arr[3] != 8:
        return 1
    if atomic_cmpxchg(arr[i], 8, 9) != 8 or arr[3] != 9:
        return 2
    j = one * 4
    if atomic_xchg(arr[j], 5) != 0 or atomic_cmpxchg(arr[j], 0, 5) != 0:  # out of range
        return 3
    s = states.lookup(1)
    if s is None:
        return 4
    if atomic_cmpxchg(s.owner, 0, -one * 5) != 0 or s.owner != -5:  # taken
        return 5
    if atomic_cmpxchg(s.owner, 0, 6) != -5 or s.owner != -5:  # busy: unchanged
        return 6
    if atomic_fetch_or(states[1].flags, 4) != 0 or atomic_fetch_add(s.seq, 1) != 0:
        return 7
    if states[1].flags != 4 or states[1].seq != 1:
        return 8
    gone = states.lookup(one * 2)
    if atomic_fetch_add(gone.seq, 1) != 0 or atomic_xchg(gone.flags, 1) != 0:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def cas_loop(ctx: c_void_p) -> c_int32:
    peaks[1] = 10
    if store_max(1, one * 50) != 0 or peaks[1] != 50:
        return 1
    if store_max(1, 20) != 0 or peaks[1] != 50:  # smaller: unchanged
        return 2
    if store_max(1, one * 100) != 0 or peaks[1] != 100:
        return 3
    if atomic_cmpxchg(peaks[2], 0, 1) != 0 or 2 in peaks:  # missing: no insert
        return 4
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
