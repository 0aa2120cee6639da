# Integer arithmetic with C semantics on ctypes types, on run-time values
# (globals, so nothing folds at compile time). Each check returns its number.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64, c_int8, c_int16


@bpf
@bpfglobal
def seven() -> c_int64:
    return c_int64(7)


@bpf
@bpfglobal
def minus_two() -> c_int64:
    return c_int64(-2)


@bpf
@bpfglobal
def zero() -> c_int64:
    return c_int64(0)


@bpf
@bpfglobal
def u250() -> c_uint8:
    return c_uint8(250)


@bpf
@bpfglobal
def u32_max() -> c_uint32:
    return c_uint32(4294967295)


@bpf
@bpfglobal
def u64_big() -> c_uint64:
    return c_uint64(0x8000000000000000)


@bpf
@bpfglobal
def shift33() -> c_uint32:
    return c_uint32(33)


@bpf
@section("raw_tp/sys_enter")
def signed_ops(ctx: c_void_p) -> c_int32:
    a = seven
    b = minus_two
    if a + b != 5:
        return 1
    if a - b != 9:
        return 2
    if a * b != -14:
        return 3
    if a / b != -3:  # truncates toward zero
        return 4
    if a // b != -3:
        return 5
    if a % b != 1:  # sign of the dividend
        return 6
    if -a % 2 != -1:
        return 7
    if -a / 2 != -3:
        return 8
    if b / a != 0:
        return 9
    if -16 * a >> 2 != -28:  # arithmetic shift
        return 10
    if a << 2 != 28:
        return 11
    if (a & 3) != 3 or (a | 8) != 15 or (a ^ 5) != 2:
        return 12
    if ~a != -8 or -a != -7 or +a != 7:
        return 13
    if a / zero != 0 or a % zero != 7:  # BPF's division by zero
        return 14
    if -a / zero != 0 or -a % zero != -7:
        return 15
    return 0


@bpf
@section("raw_tp/sys_enter")
def unsigned_ops(ctx: c_void_p) -> c_int32:
    x: c_uint8 = u250
    x += 10  # wraps at 8 bits
    if x != 4:
        return 1
    y = u250 + 10  # promoted to int: no wrap
    if y != 260:
        return 2
    m = u32_max
    if m + 1 != 0:  # unsigned 32-bit wraps
        return 3
    if m > -1:  # -1 converts to 4294967295 (C)
        return 4
    if m / 2 != 2147483647:
        return 5
    if m >> 31 != 1:  # logical shift
        return 6
    if c_int32(m) != -1:
        return 7
    big = u64_big
    if big / 2 != 0x4000000000000000:
        return 8
    if big % 3 != 2:
        return 9
    if c_int64(big) >= 0:
        return 10
    if m << shift33 != 0xFFFFFFFE:  # shift count modulo 32
        return 11
    if c_uint32(1) << shift33 != 2:
        return 12
    return 0


@bpf
@section("raw_tp/sys_enter")
def mixed_widths(ctx: c_void_p) -> c_int32:
    small: c_int8 = c_int8(seven * 20)  # 140 wraps to -116
    if small != -116:
        return 1
    h: c_int16 = c_int16(seven * 10000)  # 70000 wraps to 4464
    if h != 4464:
        return 2
    mixed = c_int64(-1) + c_uint32(seven)  # long long wins
    if mixed != 6:
        return 3
    u = c_uint64(minus_two)
    if u != 0xFFFFFFFFFFFFFFFE:
        return 4
    if c_uint8(minus_two) != 254:
        return 5
    n = 1 << 40  # untyped constants fold exactly
    if n != 1099511627776:
        return 6
    k = seven * n
    if k != 7696581394432:
        return 7
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
