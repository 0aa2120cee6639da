# Maps of maps: ArrayOfMaps and HashOfMaps filled at load time (values=),
# inner maps found by lookup, m[k] and `in`, and used like maps by name;
# an inner map that is not there (None) reads as empty and ignores writes.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap, HashMap, ArrayOfMaps, HashOfMaps, QueueMap
from pybpf.helper import map_lookup_elem
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def small_a() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def small_b() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def arrays() -> ArrayOfMaps:
    return ArrayOfMaps(key=c_uint32, inner=small_a, max_entries=4, values=[small_a, small_b])


@bpf
@map
def counts_x() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def counts_y() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def tables() -> HashOfMaps:
    return HashOfMaps(c_uint32, counts_x, 4, [counts_x, None, counts_y])


@bpf
@map
def queue_a() -> QueueMap:
    return QueueMap(value=c_uint32, max_entries=4)


@bpf
@map
def queues() -> ArrayOfMaps:
    return ArrayOfMaps(max_entries=1, values=[queue_a])


@bpf
@section("raw_tp/sys_enter")
def array_of_arrays(ctx: c_void_p) -> c_int32:
    a = arrays[0]
    if a is None:
        return 1
    a[1] = 11
    if small_a[1] != 11 or a[1] != 11:
        return 2
    b = arrays.lookup(1)
    if b is None:
        return 3
    b[1] = 22
    b[2] += 5
    if small_b[1] != 22 or small_b[2] != 5 or small_a[1] != 11:
        return 4
    v = b.lookup(2)
    if v is None or v != 5:
        return 5
    # slots 2 and 3 hold no map
    if 0 not in arrays or 2 in arrays:
        return 6
    c = arrays[2]
    if c is not None:
        return 7
    c[1] = 5  # nothing happens
    c[1] += 1
    if c[1] != 0 or c.lookup(1) is not None or 1 in c:
        return 8
    # an index beyond max_entries
    i: c_uint32 = 9
    if arrays[i] is not None:
        return 9
    # a helper takes an inner map like a map by name
    p = map_lookup_elem(a, 1)
    if p is None:
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def hash_of_hashes(ctx: c_void_p) -> c_int32:
    x = tables[0]
    y = tables.lookup(2)
    if x is None or y is None:
        return 20
    x[7] = 70
    y[7] = 700
    if counts_x[7] != 70 or counts_y[7] != 700:
        return 21
    x[8] += 1
    x[8] += 1
    if counts_x[8] != 2 or 8 in y:
        return 22
    del x[8]
    if 8 in counts_x:
        return 23
    x.update(9, 90)
    if counts_x[9] != 90:
        return 24
    x.delete(9)
    if 9 in x:
        return 25
    if 1 in tables or tables[1] is not None:
        return 26
    # a variable can hold either inner map
    t = tables[0]
    t = tables[2]
    if t[7] != 700:
        return 27
    return 0


@bpf
@section("raw_tp/sys_enter")
def inner_queue(ctx: c_void_p) -> c_int32:
    q = queues[0]
    if q is None:
        return 30
    q.push(5)
    q.push(6)
    v: c_uint32 = 0
    if q.pop(v) != 0 or v != 5:
        return 31
    if q.pop() != 6 or q.pop() != 0:
        return 32
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
