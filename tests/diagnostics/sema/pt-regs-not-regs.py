# PT_REGS_PARM1() and friends read a register of a pt_regs pointer.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
from vmlinux import struct_pt_regs


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def not_regs(ctx: c_void_p) -> c_int32:
    x = PT_REGS_PARM1(ctx)  # ERROR "PT_REGS_PARM1\(\) reads a register of a pt_regs pointer \(a kprobe's or uprobe's context in a file that imports from vmlinux\), not of 'c_void_p'"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
