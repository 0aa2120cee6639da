# A misspelt kfunc is reported at the import, with the closest kfunc the
# kernel's BTF has.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import bpf_rcu_read_lock, bpf_task_from_pidd  # ERROR "kernel BTF '/sys/kernel/btf/vmlinux' has no kfunc 'bpf_task_from_pidd'"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    bpf_rcu_read_lock()
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
