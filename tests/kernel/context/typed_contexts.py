# Unannotated contexts typed from their section in a file that imports from
# vmlinux, read with direct CO-RE loads the verifier accepts as context
# accesses; helpers that take the context still get it. Checked with
# `pybpf check` (the verifier; cgroup programs need a cgroup to attach).
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap, PerfEventArray
from ctypes import c_int32, c_uint32, c_uint64
from vmlinux import struct_pt_regs

AF_INET = 2


@bpf
@map
def seen() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def events() -> PerfEventArray:
    return PerfEventArray(key_size=c_uint32, value_size=c_uint32)


@bpf
@section("kprobe/do_unlinkat")
def kprobe_regs(ctx) -> c_int32:
    seen[0] = ctx.di + PT_REGS_PARM2(ctx) + PT_REGS_RC(ctx) + PT_REGS_FP(ctx)
    events.output(ctx.ip)
    return 0


@bpf
@section("kprobe/do_unlinkat")
def kprobe_args(ctx, dfd, name) -> c_int32:
    if dfd == -100:
        seen[1] = name.refcnt.counter
    return 0


@bpf
@section("kretprobe/do_unlinkat")
def kretprobe_ret(ctx, ret) -> c_int32:
    if ret < 0:
        seen[2] += 1
    return 0


@bpf
@section("perf_event")
def on_sample(ctx) -> c_int32:
    seen[3] = ctx.sample_period + ctx.addr + ctx.regs.ip
    return 0


@bpf
@section("cgroup/connect4")
def on_connect(ctx) -> c_int32:
    if ctx.user_family == AF_INET and ctx.user_port != 0:
        seen[4] = ctx.user_ip4
    return 1


@bpf
@section("cgroup/getsockopt")
def on_getsockopt(ctx) -> c_int32:
    seen[5] = ctx.level + ctx.optname
    return 1


@bpf
@section("cgroup/sock_create")
def on_sock(ctx) -> c_int32:
    seen[6] = ctx.family + ctx.type + ctx.protocol
    return 1


@bpf
@section("socket")
def on_packet(ctx) -> c_int32:
    b = c_uint32(0)
    bpf_skb_load_bytes(ctx, 0, b, 1)
    seen[7] = ctx.len + ctx.protocol + b
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
