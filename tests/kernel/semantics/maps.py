# Maps: HashMap and ArrayMap lookup/update/delete with pythonbpf's pointer
# semantics, struct values written through the lookup pointer, m().lookup,
# update without a value, update flags.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@struct
class stats:
    count: c_uint64
    last: c_uint32
    flags: c_uint32


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=16)


@bpf
@map
def table() -> HashMap:
    return HashMap(key_type=c_uint64, value_type=stats, max_entries=16)


@bpf
@map
def slots() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_int64, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def hash_ops(ctx: c_void_p) -> c_int32:
    if counts.lookup(5) is not None:
        return 1
    if counts.update(5, 40) != 0:
        return 2
    v = counts.lookup(5)
    if not v:
        return 3
    if v != 40 or v + 2 != 42:  # a lookup used as a value reads through
        return 4
    counts.update(5, v + 1)
    if counts.lookup(5) != 41:
        return 5
    if counts().lookup(5) != 41:  # pythonbpf's m().lookup
        return 6
    if counts.update(5, 1, 1) != -17:  # BPF_NOEXIST on an existing key: -EEXIST
        return 7
    if counts.delete(5) != 0:
        return 8
    if counts.lookup(5):
        return 9
    if counts.delete(5) != -2:  # -ENOENT
        return 10
    missing = counts.lookup(6)
    if missing != 0:  # reading a missing value gives 0
        return 11
    counts.update(7)  # no value: stores zero
    z = counts.lookup(7)
    if z is None or z != 0:
        return 12
    key = c_uint32(9)
    counts.update(key, key * 2)
    if counts.lookup(9) != 18:
        return 13
    return 0


@bpf
@section("raw_tp/sys_enter")
def struct_values(ctx: c_void_p) -> c_int32:
    s = stats()
    s.count = 1
    s.last = 7
    table.update(100, s)
    p = table.lookup(100)
    if p is None:
        return 1
    p.count += 10  # writes into the map
    p.flags = 3
    q = table.lookup(100)
    if q.count != 11 or q.last != 7 or q.flags != 3:
        return 2
    copy = stats()
    copy = q  # a copy, not a pointer
    copy.count = 99
    if table.lookup(100).count != 11:
        return 3
    gone = table.lookup(101)
    if gone.count != 0:  # a missing struct reads as zero
        return 4
    gone.count = 5  # writing through None does nothing
    if table.lookup(101):
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def array_ops(ctx: c_void_p) -> c_int32:
    v = slots.lookup(2)
    if v is None or v != 0:  # array slots exist and start at zero
        return 1
    slots.update(2, -5)
    if slots.lookup(2) != -5:
        return 2
    if slots.lookup(4) is not None:  # past max_entries
        return 3
    if slots.update(4, 1) == 0:
        return 4
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
