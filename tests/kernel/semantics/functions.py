# BPF subprograms: @bpf functions without @section, called from programs
# and from each other (BPF-to-BPF calls): integer parameters and returns,
# five parameters, structs and arrays passed by reference, None returns,
# maps and globals used inside, defaults when annotations are missing.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64


@bpf
@struct
class acc:
    total: c_uint64
    count: c_uint32
    items: c_uint32 * 4


@bpf
@map
def seen() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@bpfglobal
def calls() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def nine() -> c_int64:
    return c_int64(9)


@bpf
def add(a: c_int64, b: c_int64) -> c_int64:
    return a + b


@bpf
def mix(a: c_uint8, b: c_int32, c: c_uint64, d: c_int64, e: c_uint32) -> c_int64:
    return a + b * 10 + c * 100 + d * 1000 + e * 10000


@bpf
def narrow(x: c_uint8) -> c_uint8:
    return x + 1  # wraps at 8 bits when returned


@bpf
def record(a: acc, value: c_uint32):
    # a refers to the caller's struct
    global calls
    calls += 1
    if a.count < 4:
        a.items[a.count] = value
    a.total += value
    a.count += 1


@bpf
def fill(items: c_uint32 * 4, base: c_uint32):
    for i in range(4):
        items[i] = base + i


@bpf
def sum_items(a: acc) -> c_uint64:
    s = 0
    for i in range(4):
        s += a.items[i]
    return s


@bpf
def remember(k: c_uint32) -> c_int64:
    seen[k] += 1
    return seen[k]


@bpf
def clamp(x, lo, hi):  # no annotations: c_int64 everywhere
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@bpf
def twice(x: c_int64) -> c_int64:
    return add(x, x)  # a function calling a function


@bpf
@section("raw_tp/sys_enter")
def integers(ctx: c_void_p) -> c_int32:
    n = nine
    if add(n, 1) != 10 or add(-n, 2) != -7:
        return 1
    if mix(1, 2, 3, 4, 5) != 54321:
        return 2
    if narrow(255) != 0 or narrow(c_uint8(n)) != 10:
        return 3
    if clamp(n, 0, 5) != 5 or clamp(-n, 0, 5) != 0 or clamp(3, 0, 5) != 3:
        return 4
    if twice(n) != 18:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def references(ctx: c_void_p) -> c_int32:
    a = acc()
    record(a, 5)
    record(a, 7)
    if a.total != 12 or a.count != 2 or a.items[0] != 5 or a.items[1] != 7:
        return 1
    fill(a.items, 10)
    if a.items[3] != 13 or sum_items(a) != 46:
        return 2
    if calls != 2:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def with_maps(ctx: c_void_p) -> c_int32:
    if remember(3) != 1 or remember(3) != 2 or remember(4) != 1:
        return 1
    if seen[3] != 2:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
