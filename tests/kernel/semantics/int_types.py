# Every ctypes integer type and alias: wrap-around at its width when stored,
# promotion to int in arithmetic, sign or zero extension when widened,
# comparisons with negative numbers. Inputs come from globals so nothing
# folds at compile time. Each check returns its number.
from pybpf import bpf, section, bpfglobal, struct
from ctypes import (c_void_p, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64,
                    c_uint64, c_byte, c_ubyte, c_short, c_ushort, c_int, c_uint, c_long,
                    c_ulong, c_longlong, c_ulonglong, c_size_t, c_ssize_t)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def minus_one() -> c_int64:
    return c_int64(-1)


@bpf
@struct
class all_widths:
    a: c_int8
    b: c_uint8
    c: c_int16
    d: c_uint16
    e: c_int32
    f: c_uint32
    g: c_int64
    h: c_uint64


@bpf
@section("raw_tp/sys_enter")
def t_int8(ctx: c_void_p) -> c_int32:
    x: c_int8 = one * 127
    if x != 127:
        return 1
    x += 1  # 128 wraps to -128
    if x != -128:
        return 2
    x -= 1  # -129 wraps to 127
    if x != 127:
        return 3
    y = x + x  # promoted to int: no wrap
    if y != 254:
        return 4
    z: c_int8 = one * 200  # 200 - 256
    if z != -56:
        return 5
    if c_int64(z) != -56:  # sign extension
        return 6
    if c_uint64(z) != 0xFFFFFFFFFFFFFFC8:
        return 7
    if z >= 0 or not (z > -57) or z < -56:
        return 8
    w: c_int8 = one * 0x1FF  # 511: low byte 0xff
    if w != -1:
        return 9
    m: c_int8 = one * -128
    if -m != 128 or m * m != 16384:  # int arithmetic
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_uint8(ctx: c_void_p) -> c_int32:
    x: c_uint8 = one * 255
    x += 1
    if x != 0:
        return 1
    x -= 1
    if x != 255:
        return 2
    if x + 1 != 256:  # promoted to int
        return 3
    if not (x > -1):  # int comparison: 255 > -1
        return 4
    y: c_uint8 = minus_one
    if y != 255:
        return 5
    if c_int64(y) != 255 or c_int8(y) != -1:  # zero extension; reinterpretation
        return 6
    if -y != -255:  # negation of a promoted value
        return 7
    if ~y != -256:
        return 8
    z: c_uint8 = one * 0x1234
    if z != 0x34:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_int16(ctx: c_void_p) -> c_int32:
    x: c_int16 = one * 32767
    x += 1
    if x != -32768:
        return 1
    x -= 1
    if x != 32767:
        return 2
    if x + x != 65534:
        return 3
    y: c_int16 = one * 40000
    if y != -25536:
        return 4
    if c_int64(y) != -25536 or c_uint32(y) != 0xFFFF9C40:
        return 5
    z: c_int16 = minus_one
    if z != -1 or c_uint16(z) != 65535:
        return 6
    if z * 32768 != -32768:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_uint16(ctx: c_void_p) -> c_int32:
    x: c_uint16 = one * 65535
    x += 1
    if x != 0:
        return 1
    x -= 1
    if x != 65535:
        return 2
    if x * 2 != 131070:  # promoted to int
        return 3
    if c_uint32(x) * x != 4294836225:
        return 4
    if not (x > -1):
        return 5
    y: c_uint16 = minus_one * 3
    if y != 65533:
        return 6
    if c_int16(y) != -3:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_int32(ctx: c_void_p) -> c_int32:
    x: c_int32 = one * 2147483647
    x += 1
    if x != -2147483648:
        return 1
    x -= 1
    if x != 2147483647:
        return 2
    y = x + 0  # int + int stays int
    if c_uint32(y) + 1 != 2147483648:
        return 3
    if c_int64(x) + 1 != 2147483648:
        return 4
    z: c_int32 = one * 0x1FFFFFFFF
    if z != -1:
        return 5
    if c_uint64(z) != 0xFFFFFFFFFFFFFFFF or c_uint32(z) != 4294967295:
        return 6
    if z * z != 1:
        return 7
    w: c_int32 = one * 3000000000
    if w != -1294967296:
        return 8
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_uint32(ctx: c_void_p) -> c_int32:
    x: c_uint32 = one * 4294967295
    x += 1
    if x != 0:
        return 1
    x -= 1
    if x != 4294967295:
        return 2
    if x + 1 != 0:  # unsigned int: wraps
        return 3
    if not (x == -1):  # -1 becomes 4294967295
        return 4
    if x < 1:
        return 5
    if c_int64(x) != 4294967295:  # zero extension
        return 6
    y: c_uint32 = minus_one * 5
    if y != 4294967291:
        return 7
    if y * 2 != 4294967286:
        return 8
    if c_int32(y) != -5:
        return 9
    if x * x != 1:
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_int64(ctx: c_void_p) -> c_int32:
    x: c_int64 = one * 0x7FFFFFFFFFFFFFFF
    if x != 0x7FFFFFFFFFFFFFFF or x <= 0:
        return 1
    x = -x - 1
    if x != -0x8000000000000000 or x >= 0:
        return 2
    x = c_int64(c_uint64(x) - 1)  # wraps through unsigned
    if x != 0x7FFFFFFFFFFFFFFF:
        return 8
    y: c_int64 = minus_one
    if y * 0x7FFFFFFFFFFFFFFF != -0x7FFFFFFFFFFFFFFF:
        return 3
    if c_uint64(y) != 0xFFFFFFFFFFFFFFFF:
        return 4
    if c_int32(x) != -1 or c_int16(x) != -1 or c_uint8(x) != 255:
        return 5
    z = one << 62
    if c_uint64(z) * 4 != 0 or z * -2 != -0x8000000000000000:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_uint64(ctx: c_void_p) -> c_int32:
    x: c_uint64 = minus_one
    if x != 0xFFFFFFFFFFFFFFFF:
        return 1
    x += 1
    if x != 0:
        return 2
    x -= 1
    if x != 18446744073709551615:
        return 3
    if not (x > 0) or x < 1:
        return 4
    if not (x == -1):  # -1 converts to the same value
        return 5
    if not (x > -2) or x < -2:  # -2 converts to 0xFFFFFFFFFFFFFFFE
        return 6
    if c_int64(x) != -1:
        return 7
    if x / 2 != 0x7FFFFFFFFFFFFFFF:
        return 8
    if x >> 63 != 1:
        return 9
    if x * x != 1:
        return 10
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_aliases_small(ctx: c_void_p) -> c_int32:
    a: c_byte = one * 255
    if a != -1:
        return 1
    b: c_ubyte = minus_one
    if b != 255:
        return 2
    c: c_short = one * 65535
    if c != -1:
        return 3
    d: c_ushort = minus_one
    if d != 65535:
        return 4
    e: c_int = one * 0xFFFFFFFF
    if e != -1:
        return 5
    f: c_uint = minus_one
    if f != 4294967295:
        return 6
    if f + 1 != 0 or e + 1 != 0:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_aliases_big(ctx: c_void_p) -> c_int32:
    a: c_long = minus_one
    b: c_ulong = minus_one
    c: c_longlong = minus_one
    d: c_ulonglong = minus_one
    e: c_size_t = minus_one
    f: c_ssize_t = minus_one
    if a != -1 or c != -1 or f != -1:
        return 1
    if b != 0xFFFFFFFFFFFFFFFF or d != 0xFFFFFFFFFFFFFFFF or e != 0xFFFFFFFFFFFFFFFF:
        return 2
    if a >= 0 or c >= 0 or f >= 0:  # signed
        return 3
    if b < 1 or d < 1 or e < 1:  # unsigned
        return 4
    if a >> 1 != -1 or b >> 1 != 0x7FFFFFFFFFFFFFFF:  # arithmetic vs logical shift
        return 5
    if e >> 63 != 1 or f >> 63 != -1:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_python_int(ctx: c_void_p) -> c_int32:
    x: int = one << 40  # int is c_int64
    if x != 1099511627776:
        return 1
    y = 0  # an integer constant gives c_int64 too
    y = one << 50
    if y != 1125899906842624:
        return 2
    y -= one << 51
    if y >= 0:
        return 3
    if y != -1125899906842624:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def t_struct_fields(ctx: c_void_p) -> c_int32:
    s = all_widths()
    m = minus_one
    s.a = m
    s.b = m
    s.c = m
    s.d = m
    s.e = m
    s.f = m
    s.g = m
    s.h = m
    if s.a != -1 or s.c != -1 or s.e != -1 or s.g != -1:
        return 1
    if s.b != 255 or s.d != 65535 or s.f != 4294967295 or s.h != 0xFFFFFFFFFFFFFFFF:
        return 2
    if s.a + s.b != 254 or s.c + s.d != 65534:
        return 3
    if s.e + s.f != 4294967294:  # unsigned int wins: wraps
        return 4
    if s.g + s.f != 4294967294:  # long long wins
        return 5
    if s.g + s.h != 0xFFFFFFFFFFFFFFFE:
        return 6
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
