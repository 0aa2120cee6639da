# Typed contexts in a file that imports nothing from vmlinux: the compiler
# reads the kernel BTF because these programs need it (sema_lazyctx.c).
# on_close's unannotated context has fields read, so it is typed from the
# section (the sys_enter record: id, args[6]); on_switch takes the
# sched_switch tracepoint's arguments as parameters (prev is the current
# task); on_close_opaque's context is annotated c_void_p and stays opaque
# (passed to a helper only).
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap
from pybpf.helper import pid, tid
from ctypes import c_int32, c_uint32, c_uint64, c_void_p


@bpf
@map
def checks() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=6)


@bpf
@section("tracepoint/syscalls/sys_enter_close")
def on_close(ctx) -> c_int32:
    if ctx.args[0] == 4242:
        checks[0] += 1
        if ctx.id == 3:  # __NR_close on x86-64
            checks[1] += 1
        else:
            checks[2] += 1
    return 0


@bpf
@section("tp_btf/sched_switch")
def on_switch(ctx, preempt, prev, next) -> c_int32:
    if prev.pid == tid() and prev.tgid == pid():
        checks[3] += 1
    return 0


@bpf
@section("tracepoint/syscalls/sys_enter_close")
def on_close_opaque(ctx: c_void_p) -> c_int32:
    if pid() != 0:
        checks[4] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
