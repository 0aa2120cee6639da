# A kernel function the kernel does not export to BPF (no bpf_kfunc tag in
# its BTF) cannot be imported.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import do_sys_open  # ERROR "'do_sys_open' is a kernel function but not a kfunc"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
