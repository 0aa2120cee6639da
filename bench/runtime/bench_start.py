# bench_start.py - prints a line on every getppid(); runtime_bench.py times
# `pybpf run` from process start to the first line, against bpftrace running
# the equivalent one-liner.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def hit(ctx: c_void_p) -> c_int32:
    print("hit")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
