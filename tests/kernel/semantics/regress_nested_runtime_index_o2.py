# Regression (fixed): verifier rejects valid code at -O2 (every --mcpu; -O0 loads and passes).
# dialect.md: "pybpf emits the check where the verifier can see it, so indexing
# with any run-time value passes the verifier". Two run-time indexes in one
# place, t.ms[i].items[i - 1].w, on a stack struct: at -O2 the element offset
# of the outer index (i * 12) is computed from the unchecked i and added to the
# frame pointer after the check on a different register, so the kernel says
#   "math between fp pointer and register with unbounded min value is not allowed".
# C semantics: the program returns 0 (t.ms[1].items[0].w == 9).
from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_uint8, c_int16, c_int32, c_int64, c_uint32

@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)

@bpf
@struct
class leaf:
    v: c_int16
    w: c_uint8

@bpf
@struct
class mid:
    items: leaf * 2
    n: c_uint32

@bpf
@struct
class top:
    ms: mid * 2

@bpf
@section("raw_tp/sys_enter")
def nested_index(ctx: c_void_p) -> c_int32:
    t = top()
    i = one
    t.ms[i].items[i - 1].w = 9
    if t.ms[1].items[0].w != 9:
        return 1
    return 0

@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
