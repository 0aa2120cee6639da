# Conversions written as ctype calls: truncation to narrower types, sign and
# zero extension to wider ones, chains of casts, casts of constants (folded by
# C rules once a typed value is involved), c_bool (bool) and c_char conversions.
from pybpf import bpf, section, bpfglobal
from ctypes import (c_void_p, c_bool, c_char, c_int8, c_uint8, c_int16, c_uint16, c_int32,
                    c_uint32, c_int64, c_uint64)


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
def truncate(ctx: c_void_p) -> c_int32:
    z = zero
    if c_uint8(z + 0x1234) != 0x34:
        return 1
    if c_int8(z + 0x80) != -128:
        return 2
    if c_int8(z + 0x7F) != 127:
        return 3
    if c_int16(z + 0x18000) != -32768:
        return 4
    if c_uint16(z + 0x12345678) != 0x5678:
        return 5
    if c_int32(z + 0x180000000) != -2147483648:
        return 6
    if c_uint32(z + 0x123456789) != 0x23456789:
        return 7
    if c_int32(z + 0xFFFFFFFF00000005) != 5:
        return 8
    if c_uint8(z - 1) != 255 or c_uint16(z - 1) != 65535 or c_uint32(z - 1) != 4294967295:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def extend(ctx: c_void_p) -> c_int32:
    z = zero
    if c_int64(c_int8(z + 0xF0)) != -16:
        return 1
    if c_int64(c_int16(z + 0x8001)) != -32767:
        return 2
    if c_int64(c_int32(z + 0xFFFFFFFE)) != -2:
        return 3
    if c_uint64(c_int32(z - 2)) != 0xFFFFFFFFFFFFFFFE:  # sign extension first
        return 4
    if c_uint64(c_uint32(z - 2)) != 0xFFFFFFFE:  # zero extension
        return 5
    if c_int32(c_uint8(z - 1)) != 255:
        return 6
    if c_int32(c_int8(z + 255)) != -1:
        return 7
    if c_uint32(c_int8(z - 1)) != 4294967295:
        return 8
    if c_uint32(c_uint16(z - 1)) != 65535:
        return 9
    if c_int64(c_uint64(z - 1)) != -1:
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def chains(ctx: c_void_p) -> c_int32:
    z = zero
    if c_uint8(c_int16(c_int32(z + 70000))) != 112:  # 0x11170 -> 0x1170 -> 0x70
        return 1
    if c_int8(c_uint16(z - 129)) != 127:  # 0xff7f -> 0x7f
        return 2
    if c_int16(c_uint8(z + 200)) != 200:
        return 3
    if c_uint16(c_int8(z + 200)) != 65480:  # -56 as 16 bits
        return 4
    if c_int64(c_uint32(c_int16(z - 1))) != 4294967295:
        return 5
    if c_uint64(c_int64(c_uint32(z - 1))) != 4294967295:
        return 6
    x: c_uint16 = c_int8(z - 2)  # assignment converts too
    if x != 65534:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def constants(ctx: c_void_p) -> c_int32:
    # typed constants fold with C's rules
    if c_uint8(300) != 44 or c_int8(200) != -56 or c_uint16(-1) != 65535:
        return 1
    if c_uint32(-1) != 4294967295 or c_int64(c_uint32(-1)) != 4294967295:
        return 2
    if c_uint32(7) - 10 != 4294967293:  # unsigned int wraps
        return 3
    if c_int32(-7) / 2 != -3 or c_int32(-7) % 2 != -1:
        return 4
    if c_uint8(255) + 1 != 256:  # promoted
        return 5
    if c_uint64(0) - 1 != 0xFFFFFFFFFFFFFFFF:
        return 6
    if c_int16(c_uint16(40000)) != -25536:
        return 7
    if c_int32(0x7FFFFFFF) + c_int64(1) != 0x80000000:
        return 8
    if c_uint32(-2) / 2 != 2147483647:  # unsigned division
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def to_bool(ctx: c_void_p) -> c_int32:
    z = zero
    if c_bool(z) != 0 or c_bool(z + 1) != 1 or c_bool(z + 2) != 1:
        return 1
    if c_bool(z + 256) != 1:  # not a truncation to 8 bits
        return 2
    if c_bool(z - 1) != 1:
        return 3
    if c_bool(z + 0x100000000) != 1 or c_bool(z + 0x8000000000000000) != 1:
        return 4
    if c_bool(c_uint8(z + 256)) != 0:  # the byte is 0
        return 5
    b: c_bool = z + 0x10
    if b != 1:
        return 6
    b = z
    if b != 0:
        return 7
    if c_bool(z + 5) + c_bool(z + 7) != 2:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def in_arithmetic(ctx: c_void_p) -> c_int32:
    o = one
    if c_uint32(-o) + c_int64(o) != 4294967296:  # long long wins
        return 1
    if c_uint32(o * 0x10000) * c_uint32(o * 0x10000) != 0:  # unsigned int wraps
        return 2
    if c_int8(-o) * c_uint8(o * 255) != -255:  # both promoted to int
        return 3
    if c_int32(-o) + c_uint32(o) != 0:  # unsigned int: 0xffffffff + 1
        return 4
    if c_int32(-o) * c_uint32(o * 2) != 4294967294:
        return 5
    if c_int64(c_int32(-o) + c_uint32(o * 0)) != 4294967295:
        return 6
    if c_uint16(o * 65535) + c_uint16(o) != 65536:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def chars(ctx: c_void_p) -> c_int32:
    z = zero
    a = c_char(z + 65)
    if a != 65 or a + 1 != 66:
        return 1
    h = c_char(z + 200)  # char is signed on BPF
    if h != -56 or h >= 0:
        return 2
    if c_uint8(h) != 200:
        return 3
    c: c_char = z + 0x161  # truncated to 8 bits
    if c != 0x61:
        return 4
    if c - a != 32:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def bools(ctx: c_void_p) -> c_int32:
    z = zero
    b: bool = z + 5  # bool is c_bool
    c = c_bool(z)
    if b != 1 or c != 0:
        return 1
    if b + b != 2 or b - c_bool(z + 1) != 0:  # promoted to int
        return 2
    if ~b != -2 or -b != -1:
        return 3
    if not b or c or not (b > c):
        return 4
    d: c_bool = b + b  # 2 is non-zero: 1
    if d != 1:
        return 5
    if b * 100 != 100 or b << 3 != 8:
        return 6
    b &= c
    if b:
        return 7
    b = z - 1
    b ^= 1  # 1 ^ 1
    if b != 0:
        return 8
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
