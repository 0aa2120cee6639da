# ARGS: --btf /nonexistent/vmlinux.btf
# An unannotated context whose fields are read is typed from its section
# with the kernel's BTF, read for it even in a file that does not import
# from vmlinux: a missing --btf file is reported at the first field read
# (once; the other program that needs it reports nothing more).
from pybpf import bpf, section, bpfglobal
from ctypes import c_int32


@bpf
@section("tracepoint/sched/sched_process_exec")
def on_exec(ctx) -> c_int32:
    return 0


@bpf
@section("xdp")
def parse(ctx) -> c_int32:
    if ctx.data + 14 > ctx.data_end:  # ERROR "cannot read kernel BTF from '/nonexistent/vmlinux.btf': no such file"
        return 1
    return 2


@bpf
@section("tracepoint/syscalls/sys_enter_close")
def on_close(ctx) -> c_int32:
    return ctx.args[0]


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
