# Shifts and bit operators: the result has the promoted left operand's type,
# >> is arithmetic on signed and logical on unsigned values, counts are taken
# modulo the (promoted) width, as the BPF shift instructions do; & | ^ ~ on
# every width with the usual arithmetic conversions; augmented forms.
from pybpf import bpf, section, bpfglobal
from ctypes import (c_void_p, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64,
                    c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@section("raw_tp/sys_enter")
def shift_left(ctx: c_void_p) -> c_int32:
    o = one
    total = c_uint64(0)
    for i in range(64):
        total += c_uint64(o) << i  # every bit once
    if total != 0xFFFFFFFFFFFFFFFF:
        return 1
    if c_uint64(o * 0xFF) << (o * 60) != 0xF000000000000000:  # high bits are lost
        return 2
    if c_uint32(o) << (o * 31) != 0x80000000:
        return 3
    if c_uint32(o * 0xFF) << (o * 28) != 0xF0000000:
        return 4
    if (o * 5) << (o * 40) != 5497558138880:
        return 5
    if (-o) << (o * 4) != -16:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def shift_right(ctx: c_void_p) -> c_int32:
    o = one
    m = -o
    for i in range(64):
        if m >> i != -1:
            return 1
    if (-o * 16) >> (o * 2) != -4 or (-o * 17) >> (o * 2) != -5:  # rounds down
        return 2
    if c_int64(o << 63) >> (o * 63) != -1:
        return 3
    if c_int32(-o * 256) >> (o * 4) != -16:
        return 4
    if c_int8(-o * 128) >> (o * 1) != -64:
        return 5
    if c_uint64(o << 63) >> (o * 63) != 1:
        return 6
    if c_uint32(-o) >> (o * 31) != 1 or c_uint32(-o) >> (o * 16) != 0xFFFF:
        return 7
    if c_uint8(-o) >> (o * 7) != 1 or c_uint16(-o) >> (o * 8) != 0xFF:
        return 8
    if c_uint64(-o) >> (o * 32) != 0xFFFFFFFF:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def large_counts(ctx: c_void_p) -> c_int32:
    o = one
    x = c_uint64(o * 3)
    if x << (o * 64) != 3:  # 64 mod 64 = 0
        return 1
    if x << (o * 65) != 6:
        return 2
    if c_uint64(o) << (o * 127) != 0x8000000000000000:
        return 3
    if c_uint8(o) << (o * 33) != 2:  # promoted to int: modulo 32
        return 4
    if c_int32(o) << (o * 36) != 16:
        return 5
    if (-o * 8) >> (o * 66) != -2:
        return 6
    if c_uint64(o) << (o - 2) != 0x8000000000000000:  # -1 mod 64 = 63
        return 7
    if c_uint32(o << 31) >> (o * 63) != 1:  # 63 mod 32 = 31
        return 8
    if c_uint64(o) << c_uint8(o * 65) != 2:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def shift_types(ctx: c_void_p) -> c_int32:
    o = one
    if c_uint32(o) << c_int64(o * 32 - 1) != 0x80000000:  # the count's type does not matter
        return 1
    if c_uint32(-o) << (o * 4) != 0xFFFFFFF0:  # wraps at 32 bits
        return 2
    if c_uint8(o) << (o * 8) != 256:  # int
        return 3
    if c_uint8(o * 0x80) << (o * 24) != -2147483648:  # int: into the sign bit
        return 4
    if c_int16(-o) << (o * 16) != -65536:
        return 5
    if c_int32(o) << c_uint64(o * 4) != 16:
        return 6
    r = c_uint16(o) << (o * 20)  # an int
    if r != 1048576:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def shift_augmented(ctx: c_void_p) -> c_int32:
    o = one
    x: c_uint8 = o * 0x81
    x <<= o  # 0x102 stored in 8 bits
    if x != 2:
        return 1
    x >>= o
    if x != 1:
        return 2
    y: c_int8 = -o * 128
    y >>= o
    if y != -64:
        return 3
    y <<= o * 2  # -256 stored in 8 bits
    if y != 0:
        return 4
    z: c_uint32 = -o
    z >>= o * 28
    if z != 15:
        return 5
    w = -o * 1024
    w >>= o * 3
    if w != -128:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def shift_constants(ctx: c_void_p) -> c_int32:
    if 1 << 40 != 1099511627776:
        return 1
    if (1 << 63) <= 0 or (1 << 63) >> 63 != 1:  # beyond long long: unsigned long long
        return 2
    if 0xFF << 56 != 0xFF00000000000000:
        return 3
    if -1 >> 1 != -1 or -8 >> 1 != -4:
        return 4
    if (1 << 32) - 1 != 4294967295:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def bits_basic(ctx: c_void_p) -> c_int32:
    o = one
    m = -o
    if m & 0xFF != 255 or (-o * 256) | 255 != -1:
        return 1
    x = o * 0x0F0F
    if x ^ x != 0 or x ^ m != ~x or ~x != -0x0F10:
        return 2
    if (x & 0xFF) != 0x0F or (x | 0xF0) != 0x0FFF or (x ^ 0xFFFF) != 0xF0F0:
        return 3
    if ~m != 0 or ~(o - 1) != -1:
        return 4
    if (x & 0x100) == 0:
        return 5
    if (o << 63 | o) != c_int64(0x8000000000000001):
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def bits_widths(ctx: c_void_p) -> c_int32:
    o = one
    z = o - 1
    if ~c_uint8(z) != -1 or ~c_uint16(o * 0xFF) != -256:  # promoted to int
        return 1
    if ~c_uint32(z) != 0xFFFFFFFF or ~c_uint64(z) != 0xFFFFFFFFFFFFFFFF:
        return 2
    if ~c_int8(z) != -1 or ~c_int32(o) != -2:
        return 3
    if c_int32(-o) & c_uint64(0xFFFF0000FFFF0000) != 0xFFFF0000FFFF0000:  # sign extended
        return 4
    if c_uint32(-o) & c_int64(-o) != 0xFFFFFFFF:  # zero extended
        return 5
    if c_int8(-o) & c_uint8(o * 0xF0) != 0xF0:
        return 6
    if c_int8(-o) | c_uint16(z) != -1:
        return 7
    if c_uint32(o * 0xF0F0F0F0) ^ c_int32(-o) != 0x0F0F0F0F:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def bits_tricks(ctx: c_void_p) -> c_int32:
    x = c_uint64(one * 0xB600000000000058)
    n = 0
    v = x
    for i in range(64):
        if not v:
            break
        v &= v - 1  # clears the lowest set bit
        n += 1
    if n != 8:
        return 1
    if x & (~x + 1) != 8:  # the lowest set bit
        return 2
    w = c_uint32(one * 0x12345678)
    rot = (w << 8) | (w >> 24)
    if rot != 0x34567812:
        return 3
    swapped = ((w & 0xFF) << 24) | ((w & 0xFF00) << 8) | ((w >> 8) & 0xFF00) | (w >> 24)
    if swapped != 0x78563412:
        return 4
    if (w >> 12) & 0xFF != 0x45:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def bits_augmented(ctx: c_void_p) -> c_int32:
    o = one
    x: c_uint8 = o * 0x0F
    x |= o * 0x100  # the high bit is lost when stored
    if x != 0x0F:
        return 1
    x ^= o * 0x1FF
    if x != 0xF0:
        return 2
    x &= o * 0x3C
    if x != 0x30:
        return 3
    s: c_int16 = o * 0x1234
    s ^= o * 0xFFFF
    if s != ~0x1234:
        return 4
    u: c_uint64 = -o
    u &= o << 40
    if u != 1 << 40:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
