# ARGS: --btf /nonexistent/vmlinux.btf
# Event arguments are typed from the kernel's BTF, read for them even in a
# file that does not import from vmlinux: a missing --btf file is reported
# at the first event argument.
from pybpf import bpf, section, bpfglobal
from ctypes import c_int32


@bpf
@section("tp_btf/sched_switch")
def on_switch(ctx, preempt, prev, next) -> c_int32:  # ERROR "cannot read kernel BTF from '/nonexistent/vmlinux.btf': no such file"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
