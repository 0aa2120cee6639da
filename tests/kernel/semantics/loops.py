# Statements: if/elif/else ladders, while and for-in-range with break,
# continue and else, range forms (start, stop, negative and large steps,
# empty ranges), loop bounds evaluated once, the loop variable after the loop,
# nested loops, pass, early returns from inside loops.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32


@bpf
@bpfglobal
def ten() -> c_int64:
    return c_int64(10)


@bpf
@bpfglobal
def calls() -> c_int64:
    return c_int64(0)


@bpf
def counted(v: c_int64) -> c_int64:
    global calls
    calls += 1
    return v


@bpf
def classify(v: c_int64) -> c_int64:
    if v < 0:
        return 1
    elif v == 0:
        return 2
    elif v < 10:
        if v % 2 == 0:
            return 3
        else:
            return 4
    elif v < 100:
        return 5
    else:
        pass
    return 6


@bpf
@section("raw_tp/sys_enter")
def ladders(ctx: c_void_p) -> c_int32:
    n = ten
    if classify(-n) != 1 or classify(n - 10) != 2 or classify(n - 6) != 3:
        return 1
    if classify(n - 3) != 4 or classify(n * 5) != 5 or classify(n * 10) != 6:
        return 2
    r = 0
    if n > 5:
        if n > 8:
            if n > 9:
                r = 3
            else:
                r = 2
        else:
            r = 1
    if r != 3:
        return 3
    if n == 1:
        r = 10
    elif n == 2:
        r = 20
    elif n == 10:
        r = 100
    elif n == 10:  # never reached: the first true branch wins
        r = 1000
    else:
        r = 0
    if r != 100:
        return 4
    if n < 0:
        return 5
    else:
        if n > 20:
            return 6
        elif n > 5:
            r = 7
    if r != 7:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def while_loops(ctx: c_void_p) -> c_int32:
    n = ten & 15
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 3 == 0:
            continue  # 3, 6, 9 skipped
        s += i
    if s != 55 - 18 or i != 10:
        return 1
    i = 0
    while i < n:
        if i == 4:
            break
        i += 1
    else:
        return 2  # skipped after break
    if i != 4:
        return 3
    ran = 0
    while i > 100:
        ran = 1
    else:
        ran = 2  # runs when the condition is false at once
    if ran != 2:
        return 4
    a = 0
    pairs = 0
    while a < 4:
        b = 0
        while b < 4:
            if b > a:
                break  # inner loop only
            pairs += 1
            b += 1
        a += 1
    if pairs != 10:
        return 5
    k = 0
    while k < n:
        k += 1
        if k > 100:
            break
    else:
        k += 1000  # no break: else runs
    if k != 1010:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def range_forms(ctx: c_void_p) -> c_int32:
    n = ten & 15
    s = 0
    for i in range(-3, 3):
        s += i
    if s != -3:
        return 1
    s = 0
    for i in range(5, -5, -3):  # 5, 2, -1, -4
        s += i
    if s != 2 or i != -4:
        return 2
    s = 0
    for i in range(0, n, 4):  # 0, 4, 8
        s += i
    if s != 12 or i != 8:
        return 3
    c = 0
    for i in range(n, n):
        c += 1
    for i in range(n, 0, 1):
        c += 1
    for i in range(0, n, -1):
        c += 1
    if c != 0:
        return 4
    j = 99
    for j in range(n - 10):  # empty: j keeps its value
        pass
    if j != 99:
        return 5
    s = 0
    for i in range(n - 1, -1, -1):  # 9 .. 0
        s = s * 2 + (i & 1)
    if s != 0b1010101010:
        return 6
    s = 0
    for i in range(1, n, 100):  # one iteration
        s += i
    if s != 1:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def for_else(ctx: c_void_p) -> c_int32:
    n = ten & 15
    r = 0
    for i in range(n):
        if i == 20:
            break
    else:
        r = 1
    if r != 1:
        return 1
    r = 0
    for i in range(n):
        if i == 3:
            break
    else:
        r = 1
    if r != 0 or i != 3:
        return 2
    r = 0
    for i in range(n):
        if i == n - 1:
            continue  # continue on the last pass: else still runs
    else:
        r = 5
    if r != 5:
        return 3
    outer = 0
    for a in range(3):
        for b in range(3):
            if b == 1:
                break
        else:
            outer += 100  # never: the inner loop always breaks
        outer += 1
    if outer != 3:
        return 4
    r = 0
    for i in range(0):
        r = 1
    else:
        r += 2
    if r != 2:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def nested(ctx: c_void_p) -> c_int32:
    n = ten & 15
    found = 0
    for a in range(n):
        for b in range(n):
            if a * b == 42:
                found = a * 100 + b
                break
        if found:
            break
    if found != 607:
        return 1
    total = 0
    for a in range(4):
        if a == 2:
            continue
        for b in range(4):
            if b == a:
                continue
            total += 1
    if total != 9:
        return 2
    cells = 0
    for a in range(3):
        for b in range(3):
            for c in range(3):
                cells += 1
    if cells != 27:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def bounds_once(ctx: c_void_p) -> c_int32:
    global calls
    n = ten & 15
    runs = 0
    m = n
    for i in range(m):
        m += 1  # the bound was taken before the loop
        runs += 1
    if runs != 10 or m != 20:
        return 1
    calls = 0
    runs = 0
    for i in range(counted(2), counted(n)):
        runs += 1
    if calls != 2 or runs != 8:
        return 2
    w = 0
    calls = 0
    while counted(w) < 5:  # a while condition runs every time
        w += 1
    if calls != 6:
        return 3
    for i in range(n):
        i += 100  # changing the variable does not change the iterations
        runs += 1
    if runs != 18 or i != 109:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def typed_loops(ctx: c_void_p) -> c_int32:
    n = ten & 15  # narrow loop counters are not bounded by the verifier at -O0
    s = c_uint32(0)
    for i in range(n):
        s += i
    if s != 45:
        return 1
    x: c_uint8 = 250
    steps = 0
    for k in range(20):
        x += 1  # wraps at 8 bits
        steps += 1
        if x == 0:
            break
    if steps != 6:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def early_exits(ctx: c_void_p) -> c_int32:
    n = ten & 15
    for a in range(n):
        for b in range(n):
            if a == 3 and b == 4:
                if a * b != 12:
                    return 1
                return 0
    return 2


@bpf
@section("raw_tp/sys_enter")
def passes(ctx: c_void_p) -> c_int32:
    n = ten
    if n:
        pass
    else:
        return 1
    for i in range(3):
        pass
    k = 0
    while k < 3:
        k += 1
        pass
    if n == 10:
        pass
    elif n == 11:
        return 2
    else:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
