# Fields of kernel structs: unknown fields (with the closest field's name),
# fields of types pybpf does not read (__int128), writes to kernel memory, copies of kernel structs, CO-RE
# queries on what is not a kernel field or type.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32

from vmlinux import struct_task_struct, union___u128_halves


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    task = struct_task_struct(bpf_get_current_task())
    x = task.tgdi  # ERROR "kernel struct 'task_struct' has no field 'tgdi'"
    y = task.real_parent.bogus_field_name  # ERROR "kernel struct 'task_struct' has no field 'bogus_field_name'"
    task.pid = 1  # ERROR "kernel memory cannot be written: 'pid' is a field of a kernel struct"
    task.real_parent.tgid += 1  # ERROR "kernel memory cannot be written: 'tgid' is a field of a kernel struct"
    se = task.se  # ERROR "kernel struct 'sched_entity' cannot be copied out of kernel memory; read its fields in place"
    h = union___u128_halves(0)
    z = h.full  # ERROR "field 'full' of kernel union '__u128_halves' cannot be read yet \(a type pybpf does not read\)"
    a = bpf_core_field_exists(task)  # ERROR "bpf_core_field_exists\(\) takes a field of a kernel struct, as in bpf_core_field_exists\(task.pid\)"
    b = bpf_core_type_size(c_int32)  # ERROR "bpf_core_type_size\(\) takes a kernel struct or union from vmlinux, as in bpf_core_type_size\(struct_task_struct\)"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
