# Division and remainder with C semantics on every --mcpu: / and // truncate
# toward zero, % takes the dividend's sign, for 64, 32 and narrow signed types,
# mixed signedness (the usual arithmetic conversions), unsigned extremes,
# constant divisors, and BPF's division by zero (x / 0 is 0, x % 0 is x).
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int8, c_uint8, c_int16, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def zero() -> c_int64:
    return c_int64(0)


@bpf
@section("raw_tp/sys_enter")
def div_int64(ctx: c_void_p) -> c_int32:
    o = one
    p = o * 7
    n = -p
    two = o * 2
    if p / two != 3 or n / two != -3 or p / -two != -3 or n / -two != 3:
        return 1
    if p // two != 3 or n // two != -3 or p // -two != -3 or n // -two != 3:
        return 2
    if (o * 6) / -two != -3 or (o * -6) / -two != 3:  # exact
        return 3
    if o / -o != -1 or -o / o != -1 or -o / -o != 1:
        return 4
    lo = c_int64(o << 63)
    if lo / two != -4611686018427387904 or lo / -two != 4611686018427387904:
        return 5
    hi = c_int64(c_uint64(lo) - 1)
    if hi / -o != -9223372036854775807 or (lo + 1) / -o != 9223372036854775807:
        return 6
    if lo / (o * 3) != -3074457345618258602:
        return 7
    if two / n != 0 or -two / p != 0:  # |dividend| < |divisor|
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def mod_int64(ctx: c_void_p) -> c_int32:
    o = one
    p = o * 7
    n = -p
    two = o * 2
    if p % two != 1 or n % two != -1 or p % -two != 1 or n % -two != -1:
        return 1
    if (o * 6) % -(o * 3) != 0 or (o * -6) % (o * 4) != -2:
        return 2
    lo = c_int64(o << 63)
    if lo % (o * 3) != -2 or lo % (o * 1000000007) != -291172004:
        return 3
    if lo % two != 0 or (lo + 1) % two != -1:
        return 4
    if two % n != 2 or -two % p != -2:
        return 5
    if (p / two) * two + p % two != p or (n / -two) * -two + n % -two != n:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def div_int32(ctx: c_void_p) -> c_int32:
    p = c_int32(one * 7)
    n = c_int32(-one * 7)
    two = c_int32(one * 2)
    if n / two != -3 or p / -two != -3 or n / -two != 3 or n % two != -1 or p % -two != 1:
        return 1
    lo = c_int32(one << 31)  # -2147483648
    if lo / two != -1073741824 or lo / -two != 1073741824:
        return 2
    if lo % 10 != -8 or lo % -7 != -2 or lo / 7 != -306783378:
        return 3
    m = c_int32(-one * 1000000007)
    if m / -3 != 333333335 or m % -3 != -2 or m / 7 != -142857143 or m % -7 != -6:
        return 4
    q = n / two  # stays int
    if c_uint32(q) != 4294967293:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def div_narrow(ctx: c_void_p) -> c_int32:
    a = c_int8(-one * 128)
    if a / c_int8(-one) != 128:  # promoted to int: no overflow
        return 1
    b: c_int8 = a / c_int8(-one)  # stored back: wraps
    if b != -128:
        return 2
    s = c_int16(-one * 32768)
    if s / -1 != 32768:
        return 3
    if c_int8(-one * 7) % c_int8(one * 3) != -1:
        return 4
    if c_uint8(one * 250) / c_int8(-one * 5) != -50:  # both int
        return 5
    if c_uint8(one * 250) % c_int8(-one * 7) != 5:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def div_mixed(ctx: c_void_p) -> c_int32:
    o = one
    if c_int32(-o * 7) / c_uint32(o * 2) != 2147483644:  # unsigned int
        return 1
    if c_int64(-o * 7) / c_uint32(o * 2) != -3:  # long long
        return 2
    if c_int32(-o * 7) / c_uint64(o * 2) != 9223372036854775804:  # unsigned long long
        return 3
    if c_uint32(o * 7) / c_int32(-o * 2) != 0:  # 7 / 4294967294
        return 4
    if c_int64(-o * 7) % c_uint32(o * 3) != -1:
        return 5
    if c_int32(-o * 7) % c_uint32(o * 3) != 0:  # 4294967289 % 3
        return 6
    if c_uint64(o * 100) / c_int64(-o) != 0:  # 100 / (2**64 - 1)
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def div_unsigned(ctx: c_void_p) -> c_int32:
    u = c_uint64(-one)
    if u / 3 != 6148914691236517205 or u % 10 != 5:
        return 1
    h = c_uint64(one << 63)
    if h / (h - 1) != 1 or h % (h - 1) != 1:
        return 2
    w = c_uint32(-one)
    if w / 7 != 613566756 or w % 7 != 3:
        return 3
    if w / w != 1 or h / u != 0 or u / h != 1:
        return 4
    b = c_uint8(one * 255)
    if b / 16 != 15 or b % 16 != 15:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def div_by_zero(ctx: c_void_p) -> c_int32:
    z = zero
    o = one
    if (o * 7) / z != 0 or (-o * 7) / z != 0 or (o * 7) // z != 0:
        return 1
    if (o * 7) % z != 7 or (-o * 7) % z != -7:
        return 2
    z32 = c_int32(z)
    if c_int32(-o * 9) / z32 != 0 or c_int32(-o * 9) % z32 != -9:
        return 3
    uz = c_uint64(z)
    if c_uint64(-o) / uz != 0 or c_uint64(-o) % uz != 0xFFFFFFFFFFFFFFFF:
        return 4
    if c_uint32(-o) % c_uint32(z) != 4294967295:
        return 5
    x = o * 40
    x /= z
    y = o * 40
    y %= z
    if x != 0 or y != 40:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def augmented(ctx: c_void_p) -> c_int32:
    x = -one * 100
    x //= 7  # -14
    if x != -14:
        return 1
    x /= -4  # 3
    if x != 3:
        return 2
    y = -one * 100
    y %= 7
    if y != -2:
        return 3
    y %= -1
    if y != 0:
        return 4
    s: c_int8 = -one * 100
    s //= 3
    if s != -33:
        return 5
    u: c_uint32 = -one * 100  # 4294967196
    u //= 3
    if u != 1431655732:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def constant_divisors(ctx: c_void_p) -> c_int32:
    x = -one * 1000000007
    if x / -3 != 333333335 or x % -3 != -2:
        return 1
    if x / 4 != -250000001 or x % 4 != -3:  # not an arithmetic shift
        return 2
    if x / -8 != 125000000 or x % 8 != -7:
        return 3
    if x / -1 != 1000000007 or x % -1 != 0 or x / 1 != x:
        return 4
    y = c_int32(x)
    if y / -3 != 333333335 or y % 4 != -3 or y / -8 != 125000000 or y % 8 != -7:
        return 5
    big = one * 0x123456789ABCDEF
    if big / -1000 != -81985529216486 or big % -1000 != 895:
        return 6
    if -big / 1000 != -81985529216486 or -big % 1000 != -895:
        return 7
    if (-one * 7) / 2 != -3 or (-one * 7) % 2 != -1:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def negative_divisors(ctx: c_void_p) -> c_int32:
    o = one
    if c_uint32(o * 7) / -2 != 0:  # -2 becomes 4294967294
        return 1
    if c_uint64(o * 7) % -3 != 7:
        return 2
    if c_uint32(o * 0xFFFFFFFE) / -2 != 1:
        return 3
    if c_uint8(o * 7) / -2 != -3:  # promoted to int
        return 4
    if c_uint16(o * 7) % -3 != 1:
        return 5
    if c_int32(-o * 7) / c_int8(-o * 2) != 3:
        return 6
    if c_int32(-o * 8) // 4 != -2 or c_int32(-o * 9) // 4 != -2 or c_int32(-o * 9) % 4 != -1:
        return 7
    if c_int64(-o * 9) // 8 != -1 or c_int64(-o * 9) % 8 != -1 or c_int64(-o * 9) % -8 != -1:
        return 8
    if c_int16(-o * 9) // 8 != -1 or c_int8(-o * 9) % 8 != -1:
        return 9
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
