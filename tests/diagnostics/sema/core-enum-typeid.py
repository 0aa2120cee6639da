# bpf_core_enum_value[_exists]() take a kernel enum and an enumerator's
# name; bpf_core_type_id_local/kernel() a kernel struct, union or enum.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import struct_task_struct, enum_bpf_func_id


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    a = bpf_core_enum_value(struct_task_struct, BPF_FUNC_map_lookup_elem)  # ERROR "bpf_core_enum_value\(\) takes a kernel enum from vmlinux and an enumerator's name, as in bpf_core_enum_value\(enum_bpf_func_id, BPF_FUNC_get_current_task\)"
    b = bpf_core_enum_value_exists(enum_bpf_func_id, BPF_FUNC_no_such_helper)  # ERROR "kernel enum 'enum_bpf_func_id' has no enumerator 'BPF_FUNC_no_such_helper'"
    c = bpf_core_type_id_kernel(c_int32)  # ERROR "bpf_core_type_id_kernel\(\) takes a kernel struct, union or enum from vmlinux, as in bpf_core_type_id_kernel\(struct_task_struct\)"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
