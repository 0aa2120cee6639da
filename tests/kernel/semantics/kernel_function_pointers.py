# Function-pointer members of kernel structs (task->sched_class->enqueue_task,
# file->f_op->read_iter...) are read as addresses: u64 values that compare,
# store and print. Direct reads through bpf_get_current_task_btf() agree with
# probe reads through bpf_get_current_task(); the current task's scheduling
# class has an enqueue_task, and a read stored in a variable or a map keeps
# its value.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64
from vmlinux import struct_task_struct


@bpf
@map
def addrs() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def fnptrs(ctx: c_void_p) -> c_int32:
    task = bpf_get_current_task_btf()
    probed = struct_task_struct(bpf_get_current_task())
    enq = task.sched_class.enqueue_task
    if enq == 0:
        return 1
    if enq != probed.sched_class.enqueue_task:
        return 2
    if task.sched_class.dequeue_task != probed.sched_class.dequeue_task:
        return 3
    if enq == task.sched_class.dequeue_task:
        return 4  # two different functions
    addrs[0] = enq
    stored: c_uint64 = addrs[0]
    if stored != enq:
        return 5
    # a kernel address: in the upper half of the address space
    if stored < 0xffff000000000000:
        return 6
    if task.mm:
        exe = task.mm.exe_file
        if exe:
            if exe.f_op.open != probed.mm.exe_file.f_op.open:
                return 7
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
