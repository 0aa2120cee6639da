# Lookup results: pointers into map values or None, tested with if/not/is
# None/is not None, read as values (0 when None), written through, passed
# to subprograms by reference, rebound, used in and/or and conditional
# expressions; helper pointer results.
# EXPECT-MAP: recs 2 0b000000000000000700000000000000
# EXPECT-MAP: nums 1 0b00000000000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64, c_uint8


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class rec:
    count: c_uint64
    kind: c_uint8
    extra: c_uint32


@bpf
@map
def nums() -> HashMap:
    return HashMap(key=c_uint32, value=c_int64, max_entries=8)


@bpf
@map
def recs() -> HashMap:
    return HashMap(key=c_uint32, value=rec, max_entries=8)


@bpf
@map
def arr() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint32, max_entries=2)


@bpf
def touch(r: rec, n: c_uint64):
    r.count += n
    r.kind = 7


@bpf
@section("raw_tp/sys_enter")
def tests(ctx: c_void_p) -> c_int32:
    hit = arr.lookup(0)
    miss = arr.lookup(2)
    if not hit or miss:
        return 1
    if hit is None or miss is not None:
        return 2
    if not (hit is not None) or not (miss is None):
        return 3
    n = 0
    if hit:
        n += 1
    if not miss:
        n += 10
    if miss:
        n += 100
    if n != 11:
        return 4
    if (1 if hit else 2) != 1 or (1 if miss else 2) != 2:
        return 5
    if hit != 0 or not hit:  # found, holding 0: the pointer is what is tested
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def as_values(ctx: c_void_p) -> c_int32:
    nums[1] = -one * 5
    v = nums.lookup(1)
    w = nums.lookup(2)  # missing
    if v != -5 or v * 2 != -10 or v + w != -5 or w != 0:
        return 1
    if not (v < 0) or w < 0:
        return 2
    if (w or 9) != 9 or (v or 9) != -5:  # the value, or 0
        return 3
    if (v and 4) != 4 or (w and 4) != 0:
        return 4
    x = v + 0  # a number
    x += 1
    if nums[1] != -5 or x != -4:
        return 5
    nums.update(1, v + 16)
    if nums[1] != 11:
        return 6
    a = arr.lookup(1)
    arr.update(1, 5)  # an array slot is updated in place
    if a != 5:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def through_pointers(ctx: c_void_p) -> c_int32:
    recs[2] = rec()
    p = recs.lookup(2)
    if p is None:
        return 1
    p.count = 10
    p.count += one
    p.extra = 0
    q = recs.lookup(3)
    q.count = 99  # None: nothing happens
    q.count += 1
    if 3 in recs or q.count != 0:
        return 2
    if recs[2].count != 11:
        return 3
    p = recs.lookup(3)  # rebinding to a missing key
    if p is not None:
        return 4
    p = recs.lookup(2)
    if p.count != 11:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def to_subprograms(ctx: c_void_p) -> c_int32:
    p = recs.lookup(2)
    if p is None:
        return 1
    touch(p, 0)  # refers to the map's value
    if recs[2].kind != 7 or recs[2].count != 11:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def helper_pointers(ctx: c_void_p) -> c_int32:
    k = c_uint32(1)
    p = map_lookup_elem(nums, k)
    if p is None:
        return 1
    k = 5
    if map_lookup_elem(nums, k) is not None:
        return 2
    r = bpf_map_lookup_elem(recs, c_uint32(2))
    if r is None:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
