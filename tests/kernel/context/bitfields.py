# Bitfields of kernel structs, read with CO-RE bitfield relocations (byte
# offset, byte size, left and right shifts): task_struct's
# sched_reset_on_fork is 1 exactly when the task asked for
# SCHED_RESET_ON_FORK. The test's command closes fd 4242 before asking and
# fd 4243 after; the program records the bit, read through a BTF pointer
# (direct loads) and through bpf_probe_read_kernel, at both closes. Other
# bitfields of the same bytes (and a 4-bit one) must agree between the two
# reads.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_task_struct

NR_CLOSE = 3


@bpf
@map
def bits() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=6)


@bpf
@section("tp_btf/sys_enter")
def on_close(ctx, regs, id) -> c_int32:
    if id != NR_CLOSE:
        return 0
    fd = regs.di
    if fd != 4242 and fd != 4243:
        return 0
    task = bpf_get_current_task_btf()
    probed = struct_task_struct(bpf_get_current_task())
    slot = 0 if fd == 4242 else 2
    bits[slot] = 10 + task.sched_reset_on_fork
    bits[slot + 1] = 10 + probed.sched_reset_on_fork
    same = (task.sched_contributes_to_load == probed.sched_contributes_to_load
            and task.in_execve == probed.in_execve
            and task.sched_remote_wakeup == probed.sched_remote_wakeup
            and task.in_iowait == probed.in_iowait)
    if same and bpf_core_field_size(task.sched_reset_on_fork) >= 1:
        bits[4] += 1
    else:
        bits[5] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
