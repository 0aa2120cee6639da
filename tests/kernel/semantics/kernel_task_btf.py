# A BTF pointer (bpf_get_current_task_btf) is read with direct CO-RE loads,
# and pointers read through it are BTF pointers too; the values agree with
# probe reads through bpf_get_current_task() and with the helpers.
from pybpf import bpf, section, bpfglobal
from pybpf.helper import pid, tid, comm
from ctypes import c_void_p, c_int32
from vmlinux import struct_task_struct


@bpf
@section("raw_tp/sys_enter")
def direct(ctx: c_void_p) -> c_int32:
    task = bpf_get_current_task_btf()
    if task.tgid != pid():
        return 1
    if task.pid != tid():
        return 2
    probed = struct_task_struct(bpf_get_current_task())
    if task.real_parent.tgid != probed.real_parent.tgid:
        return 3
    if task.real_parent.real_parent.pid != probed.real_parent.real_parent.pid:
        return 4
    name = task.comm
    other = probed.comm
    for i in range(16):
        if name[i] != other[i]:
            return 5
    if task.comm[2] != probed.comm[2]:
        return 8
    if task.se.load.weight != probed.se.load.weight:
        return 6
    if task.mm.total_vm != probed.mm.total_vm:
        return 7
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
