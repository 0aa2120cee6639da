# Kernel probe reads and bpf_get_current_task_btf() in networking program
# types: this kernel (6.18) gives bpf_probe_read_kernel and
# bpf_get_current_task[_btf] to every program type loaded with CAP_PERFMON
# (bpf_base_func_proto), so pybpf does not reject them by program type;
# `pybpf check` shows the verifier accepts them.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_task_struct


@bpf
@map
def pids() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=3)


@bpf
@section("xdp")
def xdp_task(ctx) -> c_int32:
    pids[0] = bpf_get_current_task_btf().tgid
    return 2


@bpf
@section("socket")
def socket_task(ctx) -> c_int32:
    pids[1] = struct_task_struct(bpf_get_current_task()).real_parent.tgid
    return 0


@bpf
@section("cgroup_skb/ingress")
def cgroup_task(ctx) -> c_int32:
    pids[2] = bpf_get_current_task_btf().real_parent.pid + ctx.len
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
