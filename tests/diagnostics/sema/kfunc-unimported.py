# A kfunc called in a file that does not import it from vmlinux (here, a
# file without kernel types at all) says how to import it.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    bpf_rcu_read_lock()  # ERROR "'bpf_rcu_read_lock' is a kfunc: import it with 'from vmlinux import bpf_rcu_read_lock'"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
