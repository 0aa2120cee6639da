# The parameters after a program's context are its event's arguments,
# typed from the kernel's BTF: sections without event arguments, unknown
# tracepoints and functions, annotations, too many parameters, arguments
# pybpf cannot read, kprobes without a pt_regs context.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint64
from vmlinux import struct_task_struct


@bpf
@section("xdp")
def two(ctx, other) -> c_int32:  # ERROR "a BPF program takes one parameter \(its context\), not 2"
    return 0


@bpf
@section("raw_tp/no_such_tracepoint")  # ERROR "kernel BTF '.*' has no tracepoint 'btf_trace_no_such_tracepoint': the program's parameters after the context cannot be typed"
def unknown_tp(ctx, a) -> c_int32:
    return 0


@bpf
@section("fentry/no_such_kernel_function")  # ERROR "kernel BTF '.*' has no function 'no_such_kernel_function'"
def unknown_fn(ctx, a) -> c_int32:
    return 0


@bpf
@section("tp_btf/sched_switch")
def annotated(ctx, preempt, prev: c_uint64) -> c_int32:  # ERROR "event argument 'prev' takes its type from the kernel's BTF; remove the annotation"
    return 0


@bpf
@section("raw_tp/sched_switch")
def too_many(ctx, preempt, prev, next, state, more) -> c_int32:  # ERROR "'sched_switch' gives 4 values to the program's parameters after the context, not 5"
    return 0


@bpf
@section("kretprobe/do_unlinkat")
def two_returns(ctx, ret, other) -> c_int32:  # ERROR "'do_unlinkat' gives 1 value to the program's parameters after the context, not 2"
    return 0


@bpf
@section("fentry/ZSTD_CCtx_setCParams")
def by_value(ctx, cctx, cparams) -> c_int32:  # ERROR "event argument 'cparams' has a kernel type pybpf does not read \(a struct passed by value\)"
    return 0


@bpf
@section("kprobe/do_unlinkat")
def untyped_regs(ctx: c_void_p, dfd) -> c_int32:  # ERROR "the arguments of a kprobe program are read from its pt_regs context: leave 'ctx' unannotated or annotate it struct_pt_regs"
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
