# Module-level integer constants: folded exactly between themselves (like
# Python ints, no overflow), typed by their value once they meet typed values
# (int, then long long, then unsigned long long), usable as array lengths,
# map sizes and loop bounds; constant expressions with typed values folded
# by C's rules.
# EXPECT-MAP: squares 7 31000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from ctypes import c_void_p, c_int8, c_uint8, c_int32, c_uint32, c_int64, c_uint64

N = 8
NEG = -5
MASK = 0xFF
WIDE = 1 << 40
ALL32 = 0xFFFFFFFF  # does not fit int: long long
ALL64 = 0xFFFFFFFFFFFFFFFF  # does not fit long long: unsigned long long
DERIVED = N * 3 + MASK  # 279
HUGE = (1 << 62) * 2 - 1  # folds exactly: 2**63 - 1
SHIFTED = WIDE >> 38


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class sized:
    vals: c_uint32 * N
    bytes: c_uint8 * (N // 2)


@bpf
@map
def squares() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint32, max_entries=N)


@bpf
@section("raw_tp/sys_enter")
def values(ctx: c_void_p) -> c_int32:
    if N != 8 or NEG != -5 or MASK != 255 or DERIVED != 279:
        return 1
    if WIDE != 1099511627776 or SHIFTED != 4 or HUGE != 0x7FFFFFFFFFFFFFFF:
        return 2
    if N * NEG != -40 or NEG * NEG != 25 or -NEG != 5:
        return 3
    if (ALL64 - 1) // 2 != HUGE or -HUGE - 1 != -(1 << 63):  # exact folding
        return 4
    x = one * N
    if x + NEG != 3 or x * NEG != -40:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def constant_types(ctx: c_void_p) -> c_int32:
    o = one
    if c_int32(-o) == ALL32:  # int -1 against long long 4294967295
        return 1
    if not (c_uint32(-o) == ALL32):
        return 2
    if not (c_int64(-o) == ALL64):  # unsigned long long: -1 converts
        return 3
    if ALL64 <= 0 or ALL64 >> 63 != 1:
        return 4
    if c_uint32(o) - N != 4294967289:  # int 8 converts to unsigned int
        return 5
    if c_int32(o) + WIDE != 1099511627777:  # long long
        return 6
    if c_uint8(o * 200) + MASK != 455:  # both int
        return 7
    if c_int8(-o) & MASK != 255:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def as_sizes(ctx: c_void_p) -> c_int32:
    s = sized()
    for i in range(N):
        s.vals[i] = i * i
    k = one * (N - 1)
    if s.vals[k] != 49 or s.vals[k + 1] != 0:  # N elements
        return 1
    s.bytes[3] = MASK
    if s.bytes[3] != 255 or s.bytes[k - 3] != 0:  # N // 2 elements
        return 2
    for i in range(N):
        squares[i] = s.vals[i]
    if squares.lookup(N) is not None or squares[N - 1] != 49:
        return 3
    t = 0
    for i in range(NEG, N):
        t += i
    if t != 13:  # -5 .. 7
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def folding(ctx: c_void_p) -> c_int32:
    # folded at compile time, with C's rules (division truncates)
    if -7 // 2 != -3 or -7 % 2 != -1 or 7 // -2 != -3 or 7 % -2 != 1:
        return 1
    if c_int32(-7) >> 1 != -4 or c_uint32(1) << 31 != 0x80000000:
        return 2
    if c_uint8(200) * c_uint8(2) != 400:  # int
        return 3
    if c_int16(-1) // c_uint16(2) != 0:  # int: -1 / 2
        return 4
    if c_uint32(-7) % 3 != 0:  # 4294967289 % 3
        return 5
    if c_int64(-7) // 2 != -3 or c_int64(-7) % 2 != -1:
        return 6
    if c_uint32(7) / -2 != 0 or c_uint64(7) % -3 != 7:  # the divisor becomes unsigned
        return 7
    if c_int8(-128) // -1 != 128:
        return 8
    if ~c_uint8(0) != -1 or ~c_uint32(0) != 4294967295:
        return 9
    if c_int64(1) << 63 != -0x8000000000000000:
        return 10
    if 5 - 10 != -5 or (1 << 63) - 1 + (1 << 63) != 0xFFFFFFFFFFFFFFFF:
        return 11
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
