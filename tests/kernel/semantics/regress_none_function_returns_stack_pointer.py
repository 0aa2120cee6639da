# Regression (fixed): verifier rejects valid code at --mcpu=v1 -O0 (v2..v4 and -O2 load).
# A subprogram returning None that writes array elements through an array
# parameter with a run-time index leaves a stack pointer in R0 at its exit;
# the kernel says "cannot return stack pointer to the caller". A None
# function's R0 is meaningless, so pybpf should not leave a frame pointer
# there (e.g. return 0 from the BPF function).
# C semantics: the program returns 0 (local[2] == 15).
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
def scale(vals: c_int64 * 4, k: c_int64):
    for i in range(4):
        vals[i] *= k


@bpf
@section("raw_tp/sys_enter")
def none_function(ctx: c_void_p) -> c_int32:
    local: c_int64 * 4
    local[2] = 5
    scale(local, one * 3)
    if local[2] != 15:
        return 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
