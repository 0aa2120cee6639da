# An unknown kernel name is reported at the import, with the closest name
# the kernel's BTF has.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32

from vmlinux import XDP_PASS, struct_task_strct  # ERROR "kernel BTF '/sys/kernel/btf/vmlinux' has no type or constant 'struct_task_strct'"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
