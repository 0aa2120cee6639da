# Found by fuzz_compile: zeroing a local struct larger than 1024 bytes makes
# LLVM's BPF back end fail with "A call to built-in function 'memset' is not
# supported" (an internal compiler error) instead of the 512-byte stack error.
from pybpf import bpf, bpfglobal, section, struct
from pybpf.helper import comm
from ctypes import c_void_p, c_int32


@bpf
@struct
class big:
    data: str(2048)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    b = big()
    comm(b.data)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
