# exec_parents.py - for each process that execs, its parent's and
# grandparent's process ids, read from the kernel's task_struct.
#
# bpf_task_from_pid() is a kfunc (a kernel function exported to BPF,
# imported from vmlinux): it gives a reference to the task, a BTF pointer
# whose fields are read with direct CO-RE loads (correct on any kernel with
# BTF), or None when no task has that pid. The reference goes back with
# bpf_task_release() on every path, as the verifier requires.
#
#   pybpf run examples/exec_parents.py -c 'sh -c /bin/true'
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid
from ctypes import c_void_p, c_int32, c_uint32
from vmlinux import bpf_task_from_pid, bpf_task_release


@bpf
@struct
class lineage:
    parent: c_uint32
    grandparent: c_uint32


@bpf
@map
def parents() -> HashMap:
    return HashMap(key=c_uint32, value=lineage, max_entries=10240)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def on_exec(ctx: c_void_p) -> c_int32:
    me = pid()
    task = bpf_task_from_pid(me)
    if task:
        parent = task.real_parent
        parents[me] = lineage(parent=parent.tgid, grandparent=parent.real_parent.tgid)
        bpf_task_release(task)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
