# and/or/not and conditional expressions: Python's values (the deciding
# operand), short-circuit proved by side effects on a global and on a map
# (the map's contents are checked by the harness), precedence.
# EXPECT-MAP: touched 1 none
# EXPECT-MAP: touched 2 none
# EXPECT-MAP: touched 3 03000000
# EXPECT-MAP: touched 4 04000000
# EXPECT-MAP: touched 5 none
# EXPECT-MAP: touched 6 06000000
# EXPECT-MAP: touched 7 none
# EXPECT-MAP: touched 8 08000000
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def calls() -> c_int64:
    return c_int64(0)


@bpf
@map
def touched() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=16)


@bpf
def bump(v: c_int64) -> c_int64:
    global calls
    calls += 1
    return v


@bpf
def touch(k: c_uint32) -> c_int64:
    touched[k] = k
    return 1


@bpf
@section("raw_tp/sys_enter")
def values(ctx: c_void_p) -> c_int32:
    z = one - 1
    a = one * 7
    if (z or z or a) != 7:
        return 1
    if (a and 2 and 3) != 3:
        return 2
    if (a and z and 3) != 0:
        return 3
    if (z or a and 3) != 3:  # and binds tighter than or
        return 4
    if (a or z and 9) != 7:
        return 5
    if (z and 9 or 5) != 5:
        return 6
    if (z or z) != 0:
        return 7
    x = a and z - 3  # the deciding operand: -3
    if x != -3:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def short_circuit_global(ctx: c_void_p) -> c_int32:
    global calls
    z = one - 1
    a = one
    calls = 0
    if z and bump(1):
        return 1
    if calls != 0:
        return 2
    if not (a or bump(1)):
        return 3
    if calls != 0:
        return 4
    if not (z or bump(1)):  # runs
        return 5
    if not (a and bump(1)):  # runs
        return 6
    if calls != 2:
        return 7
    r = z and bump(1) or bump(4)  # only the last runs
    if r != 4 or calls != 3:
        return 8
    r = a or bump(1) and bump(2)  # a decides
    if r != 1 or calls != 3:
        return 9
    r = bump(0) or bump(0) or bump(6)  # all three run
    if r != 6 or calls != 6:
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def short_circuit_map(ctx: c_void_p) -> c_int32:
    z = one - 1
    a = one
    if z and touch(1):  # never runs
        return 1
    if a or touch(2):  # never runs
        pass
    if not (a and touch(3)):
        return 2
    if not (z or touch(4)):
        return 3
    x = touch(5) if z else a  # one branch only
    y = a if z else touch(6)
    if x != 1 or y != 1:
        return 4
    if (touch(7) if z else z) or touch(8):
        pass
    if 1 in touched or 2 in touched or 5 in touched or 7 in touched:
        return 5
    if touched[3] != 3 or touched[4] != 4 or touched[6] != 6 or touched[8] != 8:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def nots(ctx: c_void_p) -> c_int32:
    z = one - 1
    a = one * 5
    if (not a) != 0 or (not z) != 1:
        return 1
    if (not not a) != 1:  # normalised to 1
        return 2
    if not a == 4:  # not (a == 4)
        pass
    else:
        return 3
    if (not c_uint64(one << 63)) != 0:
        return 4
    if (not c_uint8(one * 256)) != 1:
        return 5
    if not a and z:  # (not a) and z
        return 6
    if (not z) + (not z) != 2:
        return 7
    if not (a > 4) or not (not z):
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def conditional(ctx: c_void_p) -> c_int32:
    global calls
    z = one - 1
    a = one * 3
    if (10 if a else 20) != 10 or (10 if z else 20) != 20:
        return 1
    if (1 if z else 2 if a else 3) != 2:  # nested on the right
        return 2
    if (1 if z else 2 if z else 3) != 3:
        return 3
    if ((5 if a else 6) + 1) * 2 != 12:
        return 4
    calls = 0
    r = bump(1) if a > 2 else bump(2)
    if r != 1 or calls != 1:
        return 5
    r = bump(1) if a > 5 else bump(2)
    if r != 2 or calls != 2:
        return 6
    u = c_uint8(one * 200)
    s = c_int64(-one)
    m = u if z else s  # the common type: c_int64
    if m != -1:
        return 7
    n = c_uint32(-one) if a else c_int64(0)  # long long: 4294967295
    if n != 4294967295:
        return 8
    w = c_uint32(z) if z else -1  # unsigned int, as C's ?: converts
    if w < 0 or w != 4294967295:
        return 9
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
