# Assignment forms: augmented assignment with every operator on every width
# (the result converts back to the target's type), on fields, elements and
# globals; tuple assignment (all values are taken before any is stored);
# several targets; annotated assignment; a local keeps its first type.
from pybpf import bpf, section, bpfglobal, struct
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
@bpfglobal
def gx() -> c_int32:
    return c_int32(5)


@bpf
@struct
class box:
    a: c_uint8
    b: c_int16
    c: c_uint32
    d: c_int64
    arr: c_int32 * 3


@bpf
def counted(v: c_int64) -> c_int64:
    global calls
    calls += 1
    return v


@bpf
@section("raw_tp/sys_enter")
def every_operator(ctx: c_void_p) -> c_int32:
    o = one
    x = o * 10
    x += 5
    x -= 20
    if x != -5:
        return 1
    x *= -3
    if x != 15:
        return 2
    x /= 2
    x //= 2
    if x != 3:
        return 3
    x %= 2
    if x != 1:
        return 4
    x <<= 10
    x >>= 2
    if x != 256:
        return 5
    x |= 15  # 0x10f
    x &= 0x1F3  # 0x103
    x ^= 0x101
    if x != 2:
        return 6
    x -= 10
    x >>= 1  # arithmetic
    if x != -4:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def narrow_targets(ctx: c_void_p) -> c_int32:
    o = one
    a: c_uint8 = o * 100
    a += 200  # 300 -> 44
    if a != 44:
        return 1
    a -= 45
    if a != 255:
        return 2
    a *= 2  # 510 -> 254
    if a != 254:
        return 3
    b: c_int16 = o * 200
    b *= 200  # 40000 -> -25536
    if b != -25536:
        return 4
    b -= 10000  # -35536 -> 30000
    if b != 30000:
        return 5
    c: c_uint32 = o * 5
    c -= 10
    if c != 4294967291:
        return 6
    c /= 2  # unsigned division
    if c != 2147483645:
        return 7
    d: c_int8 = o * 100
    d += d  # 200 -> -56
    if d != -56:
        return 8
    e: c_uint64 = o
    e -= 2
    if e != 0xFFFFFFFFFFFFFFFF:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def places(ctx: c_void_p) -> c_int32:
    global gx, calls
    o = one
    s = box()
    s.a = 250
    s.a += o * 10
    s.b -= o * 5
    s.c -= o
    s.d += o << 40
    if s.a != 4 or s.b != -5 or s.c != 4294967295 or s.d != 1099511627776:
        return 1
    i = o
    s.arr[i] += 7
    s.arr[i] *= -3
    s.arr[i + 1] -= 1
    if s.arr[0] != 0 or s.arr[1] != -21 or s.arr[2] != -1:
        return 2
    gx += 10
    gx *= -2
    if gx != -30:
        return 3
    calls = 0
    s.arr[counted(0)] += 5  # the index runs once
    if calls != 1 or s.arr[0] != 5:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def tuples(ctx: c_void_p) -> c_int32:
    o = one
    a, b = o, o * 2
    a, b = b, a
    if a != 2 or b != 1:
        return 1
    x, y, z = o, o * 2, o * 3
    x, y, z = y, z, x  # rotation
    if x != 2 or y != 3 or z != 1:
        return 2
    [x, y] = [z, x]  # lists unpack like tuples
    (y, z) = [x, y]
    if x != 1 or y != 1 or z != 2:
        return 8
    f0, f1 = o - 1, o
    for i in range(10):
        f0, f1 = f1, f0 + f1
    if f0 != 55 or f1 != 89:
        return 3
    s = box()
    s.a, s.b, s.arr[2] = o * 7, -o, o * 9
    if s.a != 7 or s.b != -1 or s.arr[2] != 9:
        return 4
    s.arr[0], s.arr[1] = s.arr[2], s.arr[0]  # read before written
    if s.arr[0] != 9 or s.arr[1] != 0:
        return 5
    i = o
    j = o * 2
    s.arr[i], s.arr[j] = s.arr[j], s.arr[i]  # run-time indexes: a swap
    if s.arr[1] != 9 or s.arr[2] != 0:
        return 6
    (p, q) = (o * 4, o * 5)
    m, n = q, p
    if p != 4 or q != 5 or m != 5 or n != 4:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def several_targets(ctx: c_void_p) -> c_int32:
    global calls
    calls = 0
    a = b = c = counted(7)  # the value is computed once
    if calls != 1 or a != 7 or b != 7 or c != 7:
        return 1
    n: c_uint8 = 0
    m = n = one * 300  # each target converts to its own type
    if n != 44 or m != 300:
        return 2
    s = box()
    s.c = s.a = one * 0x1FF
    if s.a != 0xFF or s.c != 0x1FF:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def annotated(ctx: c_void_p) -> c_int32:
    o = one
    x: c_uint16 = o * 70000
    if x != 4464:
        return 1
    y: c_int8 = o * 0x80
    if y != -128:
        return 2
    z: c_uint64 = -o
    if z >> 60 != 15:
        return 3
    w: int = o << 35
    if w != 34359738368:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def first_type_wins(ctx: c_void_p) -> c_int32:
    o = one
    x = c_uint8(o)
    x = o * 1000  # converted to c_uint8: 232
    if x != 232:
        return 1
    y = o * 0  # c_int64
    y = c_uint8(255) + o
    if y != 256:
        return 2
    z = c_int16(o)
    z = -o * 40000  # -40000 -> 25536
    if z != 25536:
        return 3
    u = c_uint32(o)
    u = -o
    if u != 4294967295:
        return 4
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
