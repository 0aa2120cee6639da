# Control flow: if/elif/else, while, for over range, break, continue, else
# clauses, early return, nested loops. Loop bounds come from a global, masked
# so the verifier can bound the loops.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64, c_uint32


@bpf
@bpfglobal
def ten() -> c_int64:
    return c_int64(10)


@bpf
@section("raw_tp/sys_enter")
def branches(ctx: c_void_p) -> c_int32:
    n = ten
    if n < 5:
        return 1
    elif n < 10:
        return 2
    elif n == 10:
        r = 3
    else:
        return 4
    if r != 3:
        return 5
    if not n:
        return 6
    if n != 10:
        return 7
    else:
        pass
    return 0


@bpf
@section("raw_tp/sys_enter")
def loops(ctx: c_void_p) -> c_int32:
    n = ten & 15
    total = 0
    i = 1
    while i <= n:
        total += i
        i += 1
    if total != 55:
        return 1
    s = 0
    for j in range(n):
        s += j
    if s != 45 or j != 9:
        return 2
    s = 0
    for j in range(2, n, 3):  # 2, 5, 8
        s += j
    if s != 15:
        return 3
    s = 0
    for j in range(n, 0, -2):  # 10, 8, 6, 4, 2
        s += j
    if s != 30:
        return 4
    s = 0
    for j in range(n):
        if j == 2:
            continue
        if j == 5:
            break
        s += j
    if s != 1 + 3 + 4:
        return 5
    found = 0
    for j in range(n):
        if j == 100:
            break
    else:
        found = 1
    if found != 1:
        return 6
    k = 0
    while k < n:
        k += 1
        if k == 3:
            break
    else:
        return 7
    pairs = 0
    for a in range(4):
        for b in range(a):
            pairs += 1
    if pairs != 6:
        return 8
    empty = 0
    for j in range(n, 0):
        empty += 1
    if empty != 0:
        return 9
    return 0


@bpf
@section("raw_tp/sys_enter")
def early_return(ctx: c_void_p) -> c_int32:
    for i in range(ten & 15):
        if i == 7:
            return 0
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
