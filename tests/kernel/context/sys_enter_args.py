# raw_tp and tp_btf programs on sys_enter: `regs` is the task's user
# pt_regs (a kernel pointer: probe reads for raw_tp, direct loads for
# tp_btf) and `id` the syscall number, which x86-64 keeps in regs->orig_ax
# at syscall entry. PT_REGS_PARM1(regs) is the first syscall argument's
# register: for close() the fd, which the test closes (a bad fd, 4242).
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_pt_regs

NR_CLOSE = 3


@bpf
@map
def checks() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=6)


@bpf
@section("raw_tp/sys_enter")
def on_enter_raw(ctx, regs, id) -> c_int32:
    if regs.orig_ax == id:
        checks[0] += 1
    else:
        checks[1] += 1
    if id == NR_CLOSE and PT_REGS_PARM1(regs) == 4242:
        checks[4] += 1
    return 0


@bpf
@section("tp_btf/sys_enter")
def on_enter_btf(ctx, regs, id) -> c_int32:
    if regs.orig_ax == id:
        checks[2] += 1
    else:
        checks[3] += 1
    if id == NR_CLOSE and regs.di == 4242:
        checks[5] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
