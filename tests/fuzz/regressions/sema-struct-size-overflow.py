# Found by hand with fuzz_frontend (UBSan): a struct's field offsets overflow
# int ("signed integer overflow: 1610612736 + 536870912",
# compiler/sema_module.c:397 in sema_layout_struct). Each field is allowed
# (512 MiB) but the struct is not bounded; with gcc the offsets wrap and
# `pybpf compile` writes an object whose BTF says `struct big` has size 16.
# Expected: an error on the struct (or field) that is too large.
from pybpf import bpf, section, bpfglobal, struct, map
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint64, c_uint32


@bpf
@struct
class big:
    a: (c_uint64 * 65536) * 1024
    b: (c_uint64 * 65536) * 1024
    c: (c_uint64 * 65536) * 1024
    d: (c_uint64 * 65536) * 1024
    e: (c_uint64 * 65536) * 1024


@bpf
@map
def m() -> HashMap:
    return HashMap(key=c_uint32, value=big, max_entries=1)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    v = m.lookup(0)
    if v:
        print(f"{v.e[3][4]}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
