# CO-RE enum values and type ids: bpf_core_enum_value() gives the running
# kernel's value of an enumerator (BPF_FUNC_get_current_task is 35 in the
# UAPI), bpf_core_enum_value_exists() whether it has it, and
# bpf_core_type_id_kernel() / _local() the BTF ids of a type in the
# kernel's BTF and in the program's own (both non-zero, and different:
# the program's BTF is small).
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import struct_task_struct, enum_bpf_func_id, BPF_FUNC_get_current_task


@bpf
@section("raw_tp/sys_enter")
def enums(ctx: c_void_p) -> c_int32:
    if bpf_core_enum_value(enum_bpf_func_id, BPF_FUNC_get_current_task) != 35:
        return 1
    if bpf_core_enum_value(enum_bpf_func_id, BPF_FUNC_get_current_task) != BPF_FUNC_get_current_task:
        return 2
    if bpf_core_enum_value_exists(enum_bpf_func_id, BPF_FUNC_get_current_task) != 1:
        return 3
    kernel = bpf_core_type_id_kernel(struct_task_struct)
    local = bpf_core_type_id_local(struct_task_struct)
    if kernel == 0 or local == 0 or kernel == local:
        return 4
    if bpf_core_type_id_kernel(enum_bpf_func_id) == 0:
        return 5
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
