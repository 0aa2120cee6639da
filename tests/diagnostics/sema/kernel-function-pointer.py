# A function-pointer member of a kernel struct is read as an address (a u64
# value); calling it is an error, through a BTF pointer or a probe read.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import struct_task_struct


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    task = bpf_get_current_task_btf()
    addr = task.sched_class.enqueue_task
    task.sched_class.enqueue_task(0)  # ERROR "'enqueue_task' is a kernel function pointer: BPF code cannot call it \(read it as an address\)"
    probed = struct_task_struct(bpf_get_current_task())
    probed.sched_class.yield_task()  # ERROR "'yield_task' is a kernel function pointer: BPF code cannot call it \(read it as an address\)"
    if addr == 0:
        return 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
