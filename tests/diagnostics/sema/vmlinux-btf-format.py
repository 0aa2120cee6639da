# ARGS: --btf /dev/null
# The file given with --btf is not raw BTF.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32

from vmlinux import XDP_PASS  # ERROR "cannot read kernel BTF from '/dev/null': not a raw BTF file \(such as /sys/kernel/btf/vmlinux\)"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
