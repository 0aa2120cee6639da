# atomic_add and atomic_sub, which every --mcpu has, on 32 and 64-bit
# globals, struct fields in map values, array elements at run-time indexes
# and map items; places that do not exist are left alone; m[k] += n.
# EXPECT-MAP: vals 0 0a000000000000000000000000000000f6ffffff00000000
# EXPECT-MAP: hits 5 0300000000000000
# EXPECT-MAP: hits 6 none
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from pybpf.helper import atomic_add, atomic_sub
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def g64() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def g32() -> c_int32:
    return c_int32(0)


@bpf
@bpfglobal
def gu32() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def garr() -> c_int64 * 4:
    return (c_int64 * 4)()


@bpf
@struct
class slot:
    total: c_uint64
    slots: c_int32 * 2
    delta: c_int32


@bpf
@map
def vals() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=slot, max_entries=1)


@bpf
@map
def hits() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@section("raw_tp/sys_enter")
def on_globals(ctx: c_void_p) -> c_int32:
    global g64, g32, gu32
    atomic_add(g64, one * 5)
    atomic_add(g64, 10)
    if g64 != 15:
        return 1
    atomic_sub(g64, 16)
    if g64 != 0xFFFFFFFFFFFFFFFF:
        return 2
    atomic_add(g32, -one * 7)
    if g32 != -7:
        return 3
    atomic_sub(g32, -one * 10)
    if g32 != 3:
        return 4
    atomic_sub(gu32, 1)  # wraps at 32 bits
    if gu32 != 4294967295:
        return 5
    atomic_add(gu32, 2)
    if gu32 != 1:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def on_elements(ctx: c_void_p) -> c_int32:
    i = one * 2
    atomic_add(garr[i], 5)
    atomic_sub(garr[i + 1], 3)
    atomic_add(garr[i + 2], 100)  # out of range: nothing
    atomic_add(garr[-one], 100)
    if garr[2] != 5 or garr[3] != -3 or garr[0] != 0 or garr[1] != 0:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def on_map_values(ctx: c_void_p) -> c_int32:
    v = vals.lookup(0)
    if v is None:
        return 1
    atomic_add(v.total, 7)
    atomic_add(vals[0].total, one * 3)
    atomic_sub(v.delta, 10)
    i = one
    atomic_add(v.slots[i], 4)
    atomic_sub(v.slots[i], 4)
    if v.total != 10 or v.delta != -10 or v.slots[1] != 0:
        return 2
    missing = vals.lookup(one)  # no slot 1
    atomic_add(missing.total, 1)  # nothing happens
    hits[5] = 1
    atomic_add(hits[5], 1)
    hits[5] += 1  # an atomic add too
    atomic_add(hits[6], 1)  # missing: nothing, no insert
    if hits[5] != 3 or 6 in hits:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
