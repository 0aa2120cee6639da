# Subscripts: array elements (constant and run-time indexes, bounds, arrays of
# structs) and map items (m[k], m[k] = v, del m[k], k in m, m[k] op= n).
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64


@bpf
@struct
class point:
    x: c_int32
    y: c_int32


@bpf
@struct
class shape:
    vals: c_uint32 * 4
    pts: point * 3
    small: c_uint8 * 5


@bpf
@struct
class stat:
    hits: c_uint64
    last: c_uint32


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=16)


@bpf
@map
def stats() -> HashMap:
    return HashMap(key=c_uint32, value=stat, max_entries=16)


@bpf
@map
def hist() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64 * 4, max_entries=2)


@bpf
@bpfglobal
def two() -> c_int64:
    return c_int64(2)


@bpf
@section("raw_tp/sys_enter")
def arrays(ctx: c_void_p) -> c_int32:
    s = shape()
    s.vals[0] = 10
    s.vals[3] = 13
    i = two
    s.vals[i] = 12  # run-time index
    if s.vals[0] != 10 or s.vals[2] != 12 or s.vals[3] != 13 or s.vals[1] != 0:
        return 1
    if s.vals[-1] != 13 or s.vals[i + 1] != 13:
        return 2
    big = i + 10
    if s.vals[big] != 0:  # out of range reads 0
        return 3
    s.vals[big] = 99  # out of range writes nothing
    neg = i - 3
    if s.vals[neg] != 0:  # a negative run-time index is out of range
        return 4
    total = 0
    for k in range(4):
        total += s.vals[k]
    if total != 35:
        return 5
    s.pts[1].x = 7
    s.pts[i].y = -8
    if s.pts[1].x != 7 or s.pts[2].y != -8 or s.pts[0].x != 0:
        return 6
    s.small[4] = 300  # narrow elements truncate
    if s.small[4] != 44:
        return 7
    s.vals[1] += 5
    s.vals[i] *= 2
    if s.vals[1] != 5 or s.vals[2] != 24:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def map_items(ctx: c_void_p) -> c_int32:
    if counts[1] != 0:  # a missing item reads as 0
        return 1
    if 1 in counts or not (1 not in counts):
        return 2
    counts[1] = 41
    if counts[1] != 41 or 1 not in counts:
        return 3
    counts[1] += 1  # found: atomic add
    counts[2] += 5  # missing: inserted
    counts[2] -= 2
    if counts[1] != 42 or counts[2] != 3:
        return 4
    counts[3] |= 6
    counts[3] &= 3
    counts[4] *= 9  # 0 * 9 inserted
    if counts[3] != 2 or counts[4] != 0 or 4 not in counts:
        return 5
    x = counts[1]  # a copy of the number
    x += 100
    if counts[1] != 42 or x != 142:
        return 6
    del counts[1]
    if 1 in counts:
        return 7
    k = c_uint32(two)
    counts[k * 3] = k
    if counts[6] != 2:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def struct_items(ctx: c_void_p) -> c_int32:
    stats[5] = stat()
    stats[5].hits += 1
    stats[5].hits += 1
    stats[5].last = 77
    if stats[5].hits != 2 or stats[5].last != 77:
        return 1
    s = stats[5]  # refers to the map's struct
    s.hits = 10
    if stats[5].hits != 10:
        return 2
    if stats[6].hits != 0:  # missing: reads 0
        return 3
    stats[6].hits = 1  # missing: writes nothing
    if 6 in stats:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def array_values(ctx: c_void_p) -> c_int32:
    i = two
    hist[0][i] += 3
    hist[0][1] = 4
    if hist[0][2] != 3 or hist[0][1] != 4 or hist[1][2] != 0:
        return 1
    if hist[5][0] != 0:  # no such slot
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
