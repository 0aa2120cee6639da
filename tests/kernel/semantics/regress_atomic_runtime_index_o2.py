# Regression (fixed): verifier rejects valid code at -O2 (--mcpu v3 and v4; -O0 loads and
# passes). Atomics on a global array element at a run-time index: after
# arr[i] (i = 3) has been checked, the range check of arr[i + 1] is folded by
# LLVM into a test on another register, and the atomic_xchg on arr[i + 1] is
# reached with an offset the verifier cannot bound:
#   "invalid access to map value, value_size=16 off=16 size=4".
# dialect.md: an out-of-range place is left alone and the atomic gives 0;
# indexing with any run-time value passes the verifier. The same code with
# plain reads/writes instead of atomics loads fine.
# C semantics: the program returns 0.
# MIN-MCPU: 3
from pybpf import bpf, section, bpfglobal
from pybpf.helper import atomic_xchg, atomic_cmpxchg
from ctypes import c_void_p, c_int32, c_uint32, c_int64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def arr() -> c_uint32 * 4:
    return (c_uint32 * 4)()


@bpf
@section("raw_tp/sys_enter")
def two_indexes(ctx: c_void_p) -> c_int32:
    i = one * 3
    arr[i] = 7
    if atomic_xchg(arr[i], 8) != 7 or arr[3] != 8:
        return 1
    if atomic_xchg(arr[i + 1], 5) != 0 or atomic_cmpxchg(arr[i + 1], 0, 5) != 0:  # out of range
        return 2
    if arr[0] + arr[1] + arr[2] != 0:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
