# kfuncs: kernel functions exported to BPF, imported from vmlinux and called
# through .ksyms externs that libbpf resolves against the kernel's BTF.
# bpf_rcu_read_lock/unlock may be called from any program type; the task
# kfuncs (bpf_task_from_pid, bpf_task_acquire, bpf_task_release) from XDP,
# tc, tracing and syscall programs, not from raw tracepoints. A task pointer
# a kfunc returns is a BTF pointer: its fields are direct CO-RE loads.
from pybpf import bpf, section, bpfglobal
from pybpf.helper import pid, tid
from ctypes import c_void_p, c_int32, c_uint32
from vmlinux import bpf_rcu_read_lock, bpf_rcu_read_unlock
from vmlinux import bpf_rcu_read_lock as rcu_lock  # the same extern
from vmlinux import bpf_task_from_pid, bpf_task_acquire, bpf_task_release
from vmlinux import struct_xdp_md


@bpf
@section("raw_tp/sys_enter")
def rcu_section(ctx: c_void_p) -> c_int32:
    bpf_rcu_read_lock()
    task = bpf_get_current_task_btf()
    parent = task.real_parent.tgid
    bpf_rcu_read_unlock()
    rcu_lock()
    bpf_rcu_read_unlock()
    if task.tgid != pid():
        return 1
    if task.pid != tid():
        return 2
    if parent == 0:
        return 3
    return 0


# pid 2 is kthreadd, the kernel thread every kernel starts second (pid 1,
# init, is not always visible to bpf_task_from_pid: it is not in this VM)
@bpf
@section("xdp")
def task_from_pid(ctx: struct_xdp_md) -> c_int32:
    t = bpf_task_from_pid(2)
    if not t:
        return 1
    ok = 0
    if t.pid != 2:
        ok = 2
    if t.tgid != 2:
        ok = 3
    name = t.comm  # "kthreadd"
    if name[0] != 107 or name[1] != 116 or name[7] != 100 or name[8] != 0:
        ok = 4
    extra = bpf_task_acquire(t)
    if extra:
        if extra.pid != 2:
            ok = 5
        bpf_task_release(extra)
    else:
        ok = 6
    bpf_task_release(t)
    if ok != 0:
        return ok
    # a pid no task has: None
    none = bpf_task_from_pid(-5)
    if none:
        bpf_task_release(none)
        return 7
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
