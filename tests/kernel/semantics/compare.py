# Comparisons: the usual arithmetic conversions decide signedness (C), results
# are int 0 or 1, chained comparisons evaluate each operand once and stop at
# the first false link, truth tests look at every bit.
from pybpf import bpf, section, bpfglobal
from ctypes import (c_void_p, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64,
                    c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def calls() -> c_int64:
    return c_int64(0)


@bpf
def bump(v: c_int64) -> c_int64:
    global calls
    calls += 1
    return v


@bpf
@section("raw_tp/sys_enter")
def mixed_signedness(ctx: c_void_p) -> c_int32:
    o = one
    if c_int32(-o) < c_uint32(o):  # -1 becomes 0xffffffff
        return 1
    if not (c_int64(-o) < c_uint32(o)):  # long long holds every unsigned int
        return 2
    if c_int32(-o) < c_uint64(o):  # -1 becomes 2**64 - 1
        return 3
    if not (c_int8(-o) < c_uint8(o)):  # both become int
        return 4
    if not (c_int16(-o) < c_uint16(o)):
        return 5
    if not (c_int32(-o) < c_uint16(o)):  # unsigned short becomes int
        return 6
    if c_int64(-o) < c_uint64(o):
        return 7
    if not (c_uint32(-o) > c_int32(o)):
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def equality_widths(ctx: c_void_p) -> c_int32:
    o = one
    if c_uint8(-o) == -1:  # 255 against -1 as ints
        return 1
    if not (c_uint32(-o) == -1):  # both 0xffffffff
        return 2
    if c_int8(-o) == 255:
        return 3
    if c_uint16(-o) == c_int16(-o):  # 65535 against -1
        return 4
    if not (c_uint32(-o) == c_int32(-o)):
        return 5
    if not (c_uint64(-o) == c_int64(-o)) or not (c_uint64(-o) == c_int32(-o)):
        return 6
    if c_uint64(c_uint32(-o)) == c_int64(-o):
        return 7
    if c_int64(-o) != -1 or not (c_int64(-o) == 0xFFFFFFFFFFFFFFFF):  # unsigned long long
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def extremes(ctx: c_void_p) -> c_int32:
    lo = c_int64(one << 63)
    hi = c_int64(c_uint64(lo) - 1)
    if not (lo < hi) or lo >= 0 or hi <= 0:
        return 1
    if not (c_uint64(lo) > c_uint64(hi)):
        return 2
    i32lo = c_int32(one << 31)
    if i32lo != -2147483648 or not (i32lo < 0):
        return 3
    if not (c_uint32(i32lo) > 2147483647):
        return 4
    if not (lo <= lo) or lo < lo or not (hi >= hi):
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def results_are_ints(ctx: c_void_p) -> c_int32:
    a = one * 3
    b = one * 5
    if (a < b) + (b < a) + (a == a) != 2:
        return 1
    if (a != b) * 7 != 7:
        return 2
    if (a > b) - 1 != -1:
        return 3
    r = a <= b
    r = r << 4
    if r != 16:
        return 4
    if ((a < b) == (b > a)) != 1:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def chains(ctx: c_void_p) -> c_int32:
    a = one * 3
    if not (1 < a < 5) or not (0 <= a <= 3) or 3 < a < 9:
        return 1
    if not (1 < 2 < a < 4 < 5):  # five links
        return 2
    if 1 < 2 < a < 3 < 5:
        return 3
    if not (a == 3 == a) or a == 3 == 4:
        return 4
    if not (0 < a > 2) or 0 < a > 4:  # links need not be ordered
        return 5
    if not (a != 4 != a):  # 3 != 4 and 4 != 3
        return 6
    b = c_uint32(one)
    if not (-1 < a < b + 5):  # each link converts on its own
        return 7
    if -1 < b:  # unsigned: -1 is 0xffffffff
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def chain_evaluation(ctx: c_void_p) -> c_int32:
    global calls
    a = one * 3
    calls = 0
    if not (0 < bump(a) < 10):  # the middle operand runs once
        return 1
    if calls != 1:
        return 2
    if 5 < a < bump(a):  # false at the first link: bump never runs
        return 3
    if calls != 1:
        return 4
    if not (bump(1) < bump(2) < bump(3)):
        return 5
    if calls != 4:
        return 6
    if bump(2) < bump(1) < bump(3):  # stops after the first link
        return 7
    if calls != 6:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def truth_tests(ctx: c_void_p) -> c_int32:
    big = c_uint64(one << 63)
    if not big:  # only the top bit set
        return 1
    high = one << 32
    if not high:
        return 2
    lo32 = c_uint32(high)  # truncated: zero
    if lo32:
        return 3
    b = c_uint8(one * 256)
    if b:
        return 4
    n = c_int8(-one)
    if not n:
        return 5
    if not (high & (one << 32)):
        return 6
    count = 0
    while big:
        big = big >> 8
        count += 1
    if count != 8:
        return 7
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
