# Small integer algorithms with well-known results, exercising wrap-around
# multiplication, shifts, xor, division and remainder together: CRC-32 and
# FNV-1a check values, Euclid's gcd, Collatz steps, integer square roots,
# bit reversal, xorshift and the murmur3 finaliser, saturating arithmetic.
from typing import Final
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int8, c_uint8, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def digits() -> Final[c_uint8 * 9]:  # read-only: the verifier knows the bytes
    return (c_uint8 * 9)(0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39)  # "123456789"


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
def gcd(a: c_int64, b: c_int64) -> c_int64:
    for i in range(64):
        if b == 0:
            break
        a, b = b, a % b
    return a


@bpf
def isqrt(n: c_uint32) -> c_uint32:
    r = c_uint32(0)
    for i in range(256):
        if (r + 1) * (r + 1) > n:
            break
        r += 1
    return r


@bpf
def sat_add8(a: c_int8, b: c_int8) -> c_int8:
    s = a + b  # int: no overflow
    if s > 127:
        return 127
    if s < -128:
        return -128
    return s


@bpf
@section("raw_tp/sys_enter")
def crc32(ctx: c_void_p) -> c_int32:
    crc = c_uint32(0xFFFFFFFF)
    for i in range(9):
        crc ^= digits[i]
        for b in range(8):
            mask = -(crc & 1)  # unsigned int: 0 or 0xffffffff
            crc = (crc >> 1) ^ (0xEDB88320 & mask)
    crc = ~crc
    if crc != 0xCBF43926:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def fnv1a(ctx: c_void_p) -> c_int32:
    h32 = c_uint32(0x811C9DC5)
    h64 = c_uint64(0xCBF29CE484222325)
    a = c_uint8(one * 0x61)  # "a"
    h32 = (h32 ^ a) * 0x01000193
    h64 = (h64 ^ a) * 0x100000001B3
    if h32 != 0xE40C292C:
        return 1
    if h64 != 0xAF63DC4C8601EC8C:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def euclid(ctx: c_void_p) -> c_int32:
    o = one
    if gcd(o * 1071, o * 462) != 21:
        return 1
    if gcd(o * 17, o * 5) != 1 or gcd(o * 12, 0) != 12:
        return 2
    if gcd(-o * 12, o * 18) != 6:  # -12 % 18 = -12, 18 % -12 = 6, -12 % 6 = 0
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def square_roots(ctx: c_void_p) -> c_int32:
    o = one
    if isqrt(o * 99) != 9 or isqrt(o * 100) != 10 or isqrt(0) != 0:
        return 1
    if isqrt(o * 65535) != 255 or isqrt(o * 65536) != 256:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def collatz(ctx: c_void_p) -> c_int32:
    n = 27  # a constant: the verifier follows the one path
    steps = 0
    for i in range(200):
        if n == 1:
            break
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    if steps != 111:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def bit_reverse(ctx: c_void_p) -> c_int32:
    x = c_uint32(one * 0x00000001)
    r = c_uint32(0)
    for i in range(32):
        r = (r << 1) | (x & 1)
        x >>= 1
    if r != 0x80000000:
        return 1
    x = c_uint32(one * 0x12345678)
    r = 0
    for i in range(32):
        r = (r << 1) | (x & 1)
        x >>= 1
    if c_uint32(r) != 0x1E6A2C48:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def mixers(ctx: c_void_p) -> c_int32:
    x = c_uint64(one)
    x ^= x << 13
    x ^= x >> 7
    x ^= x << 17
    if x != 0x40822041:  # xorshift64 from 1, one step
        return 1
    k = c_uint64(one)
    k ^= k >> 33
    k *= 0xFF51AFD7ED558CCD
    k ^= k >> 33
    k *= 0xC4CEB9FE1A85EC53
    k ^= k >> 33
    if k != 0xB456BCFC34C2CB2C:  # murmur3 fmix64(1)
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def saturating(ctx: c_void_p) -> c_int32:
    o = one
    if sat_add8(o * 100, o * 100) != 127 or sat_add8(-o * 100, -o * 100) != -128:
        return 1
    if sat_add8(o * 100, -o * 100) != 0 or sat_add8(o * 127, 0) != 127:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
