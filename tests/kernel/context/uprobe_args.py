# uprobe and uretprobe programs: the parameters after the context are the
# registers of the probed function's arguments (PT_REGS_PARM1..6, u64) and
# its return value (PT_REGS_RC); the context is the user pt_regs, read with
# direct CO-RE loads. TARGET is replaced by the test with the path of the
# compiled uprobe_target.c, which calls pybpf_probe_target(11, 22, 33, 44,
# 55, 66) once and gets 231.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_pt_regs


@bpf
@map
def hits() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("uprobe/TARGET:pybpf_probe_target")
def on_call(ctx, a, b, c, d, e, f) -> c_int32:
    if a == 11 and b == 22 and c == 33 and d == 44 and e == 55 and f == 66:
        hits[0] += 1
    if PT_REGS_PARM1(ctx) == 11 and PT_REGS_PARM6(ctx) == 66 and ctx.si == 22:
        if PT_REGS_IP(ctx) != 0 and PT_REGS_SP(ctx) != 0:
            hits[1] += 1
    return 0


@bpf
@section("uretprobe/TARGET:pybpf_probe_target")
def on_return(ctx, rc) -> c_int32:
    if rc == 231 and PT_REGS_RC(ctx) == 231:
        hits[2] += 1
    else:
        hits[3] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
