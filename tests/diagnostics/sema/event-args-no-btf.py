# Event arguments are typed from the kernel's BTF, which is read only for a
# file that imports from vmlinux.
from pybpf import bpf, section, bpfglobal
from ctypes import c_int32


@bpf
@section("tp_btf/sched_switch")
def on_switch(ctx, preempt, prev, next) -> c_int32:  # ERROR "the parameters after the context are the event's arguments, typed from the kernel's BTF: import from vmlinux to use them"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
