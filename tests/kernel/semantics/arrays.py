# Fixed arrays (T * N) as locals, struct fields, 2-D arrays and arrays of
# structs: constant indexes (negative ones count from the end), run-time
# indexes of several types, out-of-range reads giving 0 and writes doing
# nothing (the neighbours stay intact), signed narrow elements, copies.
from pybpf import bpf, section, bpfglobal, struct
from ctypes import (c_void_p, c_int8, c_uint8, c_int16, c_uint16, c_int32, c_uint32, c_int64,
                    c_uint64)


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class guarded:
    before: c_uint32
    vals: c_uint32 * 4
    after: c_uint32


@bpf
@struct
class cell:
    tag: c_uint8
    grid: c_int16 * 3


@bpf
@struct
class board:
    cells: cell * 4
    count: c_uint32


@bpf
@bpfglobal
def table() -> c_int32 * 5:
    return (c_int32 * 5)(-1, -2, -3, -4, -5)


@bpf
@section("raw_tp/sys_enter")
def local_arrays(ctx: c_void_p) -> c_int32:
    a: c_uint32 * 4
    if a[0] != 0 or a[1] != 0 or a[2] != 0 or a[3] != 0:  # zeroed
        return 1
    a[0] = 10
    a[3] = 13
    a[-2] = 12  # a[2]
    if a[-1] != 13 or a[-4] != 10 or a[2] != 12:
        return 2
    a[1] = one * 0x100000005  # truncated to 32 bits
    if a[1] != 5:
        return 3
    t = 0
    for i in range(4):
        t += a[i]
    if t != 40:
        return 4
    b: c_int64 * 2
    b[0] = -one
    b[1] = b[0] * 2
    if b[1] != -2:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def runtime_indexes(ctx: c_void_p) -> c_int32:
    a: c_uint64 * 8
    for i in range(8):
        a[i] = i * i
    k = one * 5
    if a[k] != 25 or a[k + 2] != 49 or a[k - 5] != 0:
        return 1
    k8 = c_uint8(k)
    k32 = c_int32(k)
    k64 = c_uint64(k)
    if a[k8] != 25 or a[k32] != 25 or a[k64] != 25:
        return 2
    a[k8 + 1] = 100
    a[k64 - 1] += 1
    if a[6] != 100 or a[4] != 17:
        return 3
    j = one * 7
    a[j] = a[j] - a[j - 1]
    if a[7] != 0xFFFFFFFFFFFFFFCD:  # 49 - 100 in unsigned elements
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def out_of_range(ctx: c_void_p) -> c_int32:
    g = guarded()
    g.before = 0xAAAA
    g.after = 0xBBBB
    n = one * 4
    g.vals[n] = 1  # one past the end: nothing happens
    g.vals[n + 100] = 2
    g.vals[-one] = 3  # a negative run-time index is out of range
    g.vals[c_uint64(-one)] = 4
    g.vals[c_int32(-one)] = 5
    g.vals[c_uint32(-one)] = 6
    if g.before != 0xAAAA or g.after != 0xBBBB:
        return 1
    for i in range(4):
        if g.vals[i] != 0:
            return 2
    if g.vals[n] != 0 or g.vals[-one] != 0 or g.vals[c_uint64(-one)] != 0:
        return 3
    g.vals[n - 1] = 9  # the last one is in range
    if g.vals[3] != 9 or g.after != 0xBBBB:
        return 4
    g.vals[n] += 5  # an augmented write out of range does nothing either
    if g.after != 0xBBBB:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def signed_elements(ctx: c_void_p) -> c_int32:
    a: c_int8 * 4
    a[0] = one * 200  # -56
    a[1] = -one
    a[2] = one * 127
    a[3] = a[2] + 1  # 128 -> -128
    if a[0] != -56 or a[1] != -1 or a[3] != -128:
        return 1
    if a[0] + a[1] != -57:
        return 2
    s: c_int16 * 2
    s[0] = one * 0x18000
    if s[0] != -32768 or c_int64(s[0]) != -32768:
        return 3
    u: c_uint16 * 2
    u[1] = -one
    if u[1] != 65535 or u[1] + 1 != 65536:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def two_dimensions(ctx: c_void_p) -> c_int32:
    m: (c_uint8 * 3) * 4
    for r in range(4):
        for c in range(3):
            m[r][c] = r * 10 + c
    if m[0][0] != 0 or m[3][2] != 32 or m[1][2] != 12 or m[-1][-1] != 32:
        return 1
    i = one * 2
    if m[i][i] != 22 or m[i + 1][i - 2] != 30:
        return 2
    if m[i + 2][0] != 0 or m[0][i + 1] != 0:  # out of range in either index
        return 3
    m[i][i + 1] = 99  # nothing
    if m[3][0] != 30:  # the next row is untouched
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def arrays_of_structs(ctx: c_void_p) -> c_int32:
    b = board()
    i = one
    b.cells[i].tag = 7
    b.cells[i].grid[2] = -3
    b.cells[3].grid[i] = 300
    b.cells[i + 3].tag = 5  # out of range
    b.cells[-1].tag = 8
    if b.cells[1].tag != 7 or b.cells[1].grid[2] != -3 or b.cells[3].grid[1] != 300:
        return 1
    if b.cells[3].tag != 8 or b.count != 0:
        return 2
    t = 0
    for k in range(4):
        t += b.cells[k].tag
    if t != 15:
        return 3
    c = cell()
    c = b.cells[1]  # a copy of the element
    c.tag = 1
    if b.cells[1].tag != 7 or c.grid[2] != -3:
        return 4
    b.cells[0] = c  # whole-element assignment
    if b.cells[0].tag != 1 or b.cells[0].grid[2] != -3:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def global_array(ctx: c_void_p) -> c_int32:
    i = one * 4
    if table[i] != -5 or table[0] != -1 or table[-1] != -5:
        return 1
    if table[i + 1] != 0 or table[-one] != 0:
        return 2
    table[i - 2] *= 10
    table[i + 1] = 7  # nothing
    s = 0
    for k in range(5):
        s += table[k]
    if s != -1 - 2 - 30 - 4 - 5:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def array_copies(ctx: c_void_p) -> c_int32:
    a: c_uint32 * 3
    a[0] = 1
    a[1] = 2
    a[2] = 3
    b: c_uint32 * 3
    b = a  # copies the elements
    b[0] = 100
    if a[0] != 1 or b[0] != 100 or b[2] != 3:
        return 1
    g = guarded()
    g.vals[0] = 5
    h = guarded()
    h = g
    h.vals[0] = 6
    if g.vals[0] != 5 or h.vals[0] != 6:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
