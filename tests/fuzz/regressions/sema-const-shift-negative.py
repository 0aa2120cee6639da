# Found by hand with fuzz_frontend (UBSan): folding a left shift of a negative
# constant shifted a negative __int128 ("left shift of negative value",
# compiler/sema_const.c fold_binop).
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64

N = -2**63 << 0
M = c_int64(-1) << 63


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    print(f"{N} {M} {c_int32(-1) << 31}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
