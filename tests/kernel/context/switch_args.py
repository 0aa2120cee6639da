# tp_btf and raw_tp programs on sched_switch take the event's arguments as
# parameters typed from the kernel's BTF (btf_trace_sched_switch): `prev` is
# the task switched out, which is the current task, so its pid and tgid
# are the helpers' tid() and pid(). tp_btf reads them with direct loads
# (BTF pointers), raw_tp with CO-RE probe reads.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid, tid
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_task_struct


@bpf
@map
def btf_args() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=3)


@bpf
@map
def raw_args() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=3)


@bpf
@section("tp_btf/sched_switch")
def on_switch_btf(ctx, preempt, prev, next, prev_state) -> c_int32:
    if prev.pid == tid() and prev.tgid == pid():
        btf_args[0] += 1
    else:
        btf_args[1] += 1
    if next.pid == tid():
        btf_args[2] += 1
    return 0


@bpf
@section("raw_tp/sched_switch")
def on_switch_raw(ctx, preempt, prev, next) -> c_int32:
    if prev.pid == tid() and prev.tgid == pid() and prev.comm[0] != 0:
        raw_args[0] += 1
    else:
        raw_args[1] += 1
    if next.pid == tid():
        raw_args[2] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
