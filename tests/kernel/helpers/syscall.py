# Helpers of BPF_PROG_TYPE_SYSCALL programs (section "syscall", run with
# BPF_PROG_TEST_RUN; always sleepable): the bpf() syscall from BPF, kernel
# symbols, and reading user memory. Loaded by test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64

BPF_MAP_CREATE = 0
BTF_KIND_STRUCT = 4


@bpf
@struct
class map_attr:  # the start of union bpf_attr for BPF_MAP_CREATE
    map_type: c_uint32
    key_size: c_uint32
    value_size: c_uint32
    max_entries: c_uint32
    map_flags: c_uint32


@bpf
@struct
class name:
    buf: str(16)


@bpf
@section("syscall")
def bpf_from_bpf(ctx: c_void_p) -> c_int32:
    attr = map_attr()
    attr.map_type = 2  # BPF_MAP_TYPE_ARRAY
    attr.key_size = 4
    attr.value_size = 8
    attr.max_entries = 1
    fd = sys_bpf(BPF_MAP_CREATE, attr)  # size of attr filled in
    if fd >= 0:
        sys_close(c_uint32(fd))
    return 0


@bpf
@section("syscall")
def kernel_symbols(ctx: c_void_p) -> c_int32:
    addr = c_uint64(0)
    n = kallsyms_lookup_name("bpf_prog_put", 0, addr)  # size of the literal filled in
    s = name()
    s.buf[0] = 116  # "task_struct"
    n += btf_find_by_name_kind(s.buf, BTF_KIND_STRUCT, 0)
    return c_int32(n < 0)


@bpf
@section("syscall")
def user_memory(ctx: c_void_p) -> c_int32:
    v = c_uint64(0)
    n = copy_from_user(v, 0x10000)  # size of v filled in
    n += copy_from_user_task(v, 8, 0x10000, get_current_task_btf(), 0)
    return c_int32(n < 0)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
