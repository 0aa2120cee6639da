# Calls of kfuncs are checked against their prototypes in the kernel's BTF.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint32
from vmlinux import struct_task_struct, bpf_task_release, bpf_task_from_pid, bpf_strlen
from vmlinux import bpf_wq_set_callback_impl, bpf_rdonly_cast, bpf_modify_return_test2


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    bpf_task_release()  # ERROR "bpf_task_release\(\) takes 1 argument, got 0"
    bpf_task_from_pid(1, 2)  # ERROR "bpf_task_from_pid\(\) takes 1 argument, got 2"
    bpf_task_release(1)  # ERROR "argument 1 of bpf_task_release\(\) must be a 'struct_task_struct \*', not 'c_int32'"
    bpf_task_release(None)  # ERROR "argument 1 of bpf_task_release\(\) must be a 'struct_task_struct \*', not 'None'"
    bpf_task_release(struct_task_struct(bpf_get_current_task()))  # ERROR "argument 1 of bpf_task_release\(\) is a kernel pointer made from an address"
    n = bpf_strlen(1 + 2)  # ERROR "argument 1 of bpf_strlen\(\) points to memory: pass a pointer, a variable or a buffer, not a 'c_int32' value"
    bpf_wq_set_callback_impl(None, None, 0, None)  # ERROR "kfunc bpf_wq_set_callback_impl\(\) cannot be called from pybpf: parameter 2 \('callback_fn'\) has a type pybpf does not pass"
    k = c_uint32(7)
    bpf_rdonly_cast(ctx, k)  # ERROR "argument 2 of bpf_rdonly_cast\(\) must be a constant \(parameter 'btf_id__k'\)"
    bpf_task_from_pid(pid=1)  # ERROR "bpf_task_from_pid\(\) takes no keyword arguments"
    bpf_modify_return_test2(1, 2, 3, 4, 5, 6, 7)  # ERROR "kfunc bpf_modify_return_test2\(\) cannot be called from pybpf: BPF calls pass at most 5 arguments"
    bpf_task_release(bpf_get_current_task_btf().real_parent)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
