# Found by hand with fuzz_frontend (UBSan): folding products of constants near
# 2**64 overflowed __int128 ("signed integer overflow", compiler/sema_const.c
# fold_binop and ipow). Exactly they overflow 64 bits (an error); with a typed
# operand they wrap like C.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64

W = c_uint64(18446744073709551615) * c_uint64(18446744073709551615)
X = 18446744073709551615 * 18446744073709551615
Y = 18446744073709551615 ** 2


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    print(f"{W} {X} {Y}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
