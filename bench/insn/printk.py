# printk - print() with f-strings: each becomes one bpf_trace_printk with
# the conversion chosen by the value's type.
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import pid, uid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class task_name:
    comm: str(16)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def trace_exec(ctx: c_void_p) -> c_int32:
    t = task_name()
    comm(t.comm)
    p = pid()
    print(f"exec pid={p} comm={t.comm}")
    u = uid()
    if u == 0:
        print(f"root exec at {ktime()} by {p}")
    else:
        print(f"user {u} exec, pid {p:x}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
