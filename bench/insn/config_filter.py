# config_filter - read-only configuration (Final globals in .rodata, set by
# userspace before load) filters events; plain globals count what passed
# and what was filtered.
from typing import Final
from pybpf import bpf, section, bpfglobal
from pybpf.helper import pid, uid, ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_bool


@bpf
@bpfglobal
def target_pid() -> Final[c_uint32]:
    return c_uint32(0)


@bpf
@bpfglobal
def min_uid() -> Final[c_uint32]:
    return c_uint32(0)


@bpf
@bpfglobal
def sample_every() -> Final[c_uint32]:
    return c_uint32(1)


@bpf
@bpfglobal
def enabled() -> Final[c_bool]:
    return c_bool(1)


@bpf
@bpfglobal
def seen() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def filtered() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def last_ns() -> c_uint64:
    return c_uint64(0)


@bpf
@section("tracepoint/syscalls/sys_enter_write")
def on_write(ctx: c_void_p) -> c_int32:
    global seen, filtered, last_ns
    if not enabled:
        return 0
    seen += 1
    if target_pid and pid() != target_pid:
        filtered += 1
        return 0
    if uid() < min_uid:
        filtered += 1
        return 0
    if sample_every > 1 and seen % sample_every != 0:
        return 0
    last_ns = ktime()
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
