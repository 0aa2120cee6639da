# Regression (fixed): a run-time index that LLVM can bound (here b <= 20 after the
# clamp) loses pybpf's guard, and the verifier cannot bound it itself (the
# 32-bit div leaves the upper half unknown to it), so the object does not
# load although dialect.md says "indexing with any run-time value passes
# the verifier".
#   pybpf compile index_guard_folded.py -o x.o -O2 --mcpu=v3
#   bpftool prog loadall x.o /sys/fs/bpf/x   -> "math between map_value
#   pointer and register with unbounded min value is not allowed"
from pybpf import bpf, section, bpfglobal
from pybpf.helper import random
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@bpfglobal
def buckets() -> c_uint64 * 21:
    return (c_uint64 * 21)()


@bpf
@section("raw_tp/sys_exit")
def record(ctx: c_void_p) -> c_int32:
    b = (random() % 2000) // 50
    if b > 20:
        b = 20
    buckets[b] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
