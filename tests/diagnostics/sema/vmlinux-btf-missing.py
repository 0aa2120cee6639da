# ARGS: --btf /nonexistent/vmlinux.btf
# The BTF file given with --btf does not exist.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32

from vmlinux import XDP_PASS  # ERROR "cannot read kernel BTF from '/nonexistent/vmlinux.btf': no such file"


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
