# Atomic read-modify-write builtins on globals, struct fields, array
# elements and map items. Each check returns its number.
# MIN-MCPU: 3
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import (
    atomic_add,
    atomic_sub,
    atomic_and,
    atomic_or,
    atomic_xor,
    atomic_fetch_add,
    atomic_fetch_sub,
    atomic_fetch_and,
    atomic_fetch_or,
    atomic_fetch_xor,
    atomic_xchg,
    atomic_cmpxchg,
)
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@bpfglobal
def g64() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def g32() -> c_int32:
    return c_int32(0)


@bpf
@struct
class counters:
    hits: c_uint64
    mask: c_uint32
    small: c_int32
    slots: c_int64 * 4


@bpf
@map
def cnt() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=counters, max_entries=1)


@bpf
@map
def h() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def on_globals(ctx: c_void_p) -> c_int32:
    global g64, g32
    g64 = 10
    atomic_add(g64, 5)
    if g64 != 15:
        return 1
    atomic_sub(g64, 20)  # wraps around
    if g64 != 0xFFFFFFFFFFFFFFFB:
        return 2
    g64 = 0xF0
    atomic_and(g64, 0x3C)
    if g64 != 0x30:
        return 3
    atomic_or(g64, 0x101)
    if g64 != 0x131:
        return 4
    atomic_xor(g64, 0x11)
    if g64 != 0x120:
        return 5
    if atomic_fetch_add(g64, 1) != 0x120 or g64 != 0x121:
        return 6
    if atomic_fetch_sub(g64, 0x21) != 0x121 or g64 != 0x100:
        return 7
    if atomic_fetch_or(g64, 3) != 0x100 or g64 != 0x103:
        return 8
    if atomic_fetch_and(g64, 6) != 0x103 or g64 != 2:
        return 9
    if atomic_fetch_xor(g64, 7) != 2 or g64 != 5:
        return 10
    if atomic_xchg(g64, 42) != 5 or g64 != 42:
        return 11
    if atomic_cmpxchg(g64, 41, 1) != 42 or g64 != 42:  # no match: unchanged
        return 12
    if atomic_cmpxchg(g64, 42, 1) != 42 or g64 != 1:
        return 13
    # 32-bit, signed: the old value comes back with its sign
    g32 = -5
    if atomic_fetch_add(g32, 3) != -5 or g32 != -2:
        return 14
    if atomic_xchg(g32, -100) != -2 or g32 != -100:
        return 15
    if atomic_cmpxchg(g32, -100, 7) != -100 or g32 != 7:
        return 16
    atomic_sub(g32, 10)
    if g32 != -3:
        return 17
    return 0


@bpf
@section("raw_tp/sys_enter")
def on_fields(ctx: c_void_p) -> c_int32:
    c = cnt.lookup(0)
    if c is None:
        return 20
    c.hits = 1
    c.mask = 0xFF
    c.small = 0
    atomic_add(c.hits, 2)
    atomic_and(c.mask, 0x0F)
    if c.hits != 3 or c.mask != 0x0F:
        return 21
    if atomic_fetch_sub(c.small, 1) != 0 or c.small != -1:
        return 22
    i: c_uint32 = 2
    c.slots[i] = 10
    if atomic_fetch_add(c.slots[i], 5) != 10 or c.slots[2] != 15:
        return 23
    # an index out of range: nothing happens, the fetch gives 0
    j: c_uint32 = 9
    if atomic_fetch_add(c.slots[j], 5) != 0:
        return 24
    if c.slots[0] + c.slots[1] + c.slots[2] + c.slots[3] != 15:
        return 25
    # map items: the value when the key is there, nothing (and 0) otherwise
    h[1] = 100
    atomic_add(h[1], 1)
    if h[1] != 101:
        return 26
    if atomic_xchg(h[1], 7) != 101 or h[1] != 7:
        return 27
    if atomic_fetch_add(h[2], 1) != 0 or 2 in h:
        return 28
    atomic_or(h[3], 1)
    if 3 in h:
        return 29
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
