# Comparisons, chained comparisons, and/or/not (short-circuit, Python values),
# conditional expressions.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_int64, c_uint32


@bpf
@bpfglobal
def three() -> c_int64:
    return c_int64(3)


@bpf
@bpfglobal
def zero() -> c_int64:
    return c_int64(0)


@bpf
@map
def seen() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=8)


@bpf
@section("raw_tp/sys_enter")
def compare(ctx: c_void_p) -> c_int32:
    a = three
    if not (1 < a < 5):
        return 1
    if 1 < a < 2:
        return 2
    if not (a == 3 != 4):
        return 3
    if a <= 2 or a >= 4:
        return 4
    if (a > 2) != 1 or (a < 2) != 0:  # comparisons are 0 or 1
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def boolean_values(ctx: c_void_p) -> c_int32:
    a = three
    z = zero
    if (z or 5) != 5:
        return 1
    if (a or 5) != 3:
        return 2
    if (a and 4) != 4:
        return 3
    if (z and 4) != 0:
        return 4
    if (not z) != 1 or (not a) != 0:
        return 5
    if (a if z else 9) != 9:
        return 6
    if (a if a else 9) != 3:
        return 7
    if not (a and not z):
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def short_circuit(ctx: c_void_p) -> c_int32:
    z = zero
    a = three
    if z and seen.update(1, 1) == 0:  # the update must not run
        return 1
    if seen.lookup(1):
        return 2
    if a or seen.update(2, 2) == 0:
        pass
    if seen.lookup(2) is not None:
        return 3
    if not (a and seen.update(3, 3) == 0):  # this update runs
        return 4
    v = seen.lookup(3)
    if v is None or v != 3:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
