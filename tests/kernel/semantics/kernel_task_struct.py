# Kernel types from vmlinux BTF: CO-RE reads of the current task_struct
# (pid, tgid, comm, real_parent->tgid, nested and anonymous members),
# checked against the helpers and against what the test process knows about
# itself (raw tracepoints run in the caller's context under
# BPF_PROG_TEST_RUN).
# CHECK-TASK: out
# MOVED-BTF: task_struct 64 pid tgid real_parent comm se
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import pid, tid, comm
from pybpf.helper import bpf_core_field_exists, bpf_core_field_size
from pybpf.helper import bpf_core_type_exists, bpf_core_type_size
from ctypes import c_void_p, c_int32, c_uint32, c_uint64
from vmlinux import struct_task_struct, task_struct, BPF_ANY, TASK_COMM_LEN


@bpf
@struct
class task_info:
    pid: c_uint32
    tgid: c_uint32
    ppid: c_uint32
    size: c_uint32
    comm: str(16)


@bpf
@map
def out() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=task_info, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def fill(ctx: c_void_p) -> c_int32:
    task = struct_task_struct(bpf_get_current_task())
    t = task_info()
    t.pid = task.pid
    t.tgid = task.tgid
    t.ppid = task.real_parent.tgid
    t.comm = task.comm
    t.size = bpf_core_type_size(struct_task_struct)
    out.update(0, t, BPF_ANY)
    return 0


@bpf
@section("raw_tp/sys_enter")
def compare(ctx: c_void_p) -> c_int32:
    # the plain name works too, and the reads agree with the helpers
    task = task_struct(bpf_get_current_task())
    if task.tgid != pid():
        return 1
    if task.pid != tid():
        return 2
    buf = task_info()
    comm(buf.comm)
    name = task.comm
    for i in range(TASK_COMM_LEN):
        if name[i] != buf.comm[i]:
            return 3
    # an element at a constant index is read alone (args[1]-style access)
    if task.comm[1] != buf.comm[1]:
        return 13
    if task.real_parent.real_parent.pid < 0:
        return 4
    # a nested struct member, read in place
    if task.se.load.weight == 0:
        return 5
    # a field inside an anonymous struct member (mm_struct's), through a
    # pointer that may be NULL (kernel threads have no mm)
    mm = task.mm
    if not mm:
        return 6
    if mm.total_vm == 0:
        return 7
    # CO-RE queries, answered by libbpf from the running kernel's BTF
    if bpf_core_field_exists(task.real_parent) != 1:
        return 8
    if bpf_core_field_size(task.comm) != TASK_COMM_LEN:
        return 9
    if bpf_core_field_size(task.se.load.weight) != 8:
        return 10
    if bpf_core_type_exists(struct_task_struct) != 1:
        return 11
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
