# Found by hand with fuzz_frontend (UBSan): the size of an array of arrays
# overflows int ("signed integer overflow: 524288 * 65536",
# compiler/sema_types.c type_array, called from sema_type_expr in
# compiler/sema_module.c). Each dimension is checked (<= 65536) but not the
# total size; with gcc it wraps to 0 and `pybpf compile` writes an object whose
# BTF says `struct big` has size 0. Expected: an error on the type.
from pybpf import bpf, section, bpfglobal, struct, map
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint64, c_uint32


@bpf
@struct
class big:
    data: (c_uint64 * 65536) * 65536


@bpf
@map
def m() -> HashMap:
    return HashMap(key=c_uint32, value=big, max_entries=1)


@bpf
@section("tracepoint/syscalls/sys_enter_execve")
def prog(ctx: c_void_p) -> c_int32:
    v = m.lookup(0)
    if v:
        print(f"{v.data[1][2]}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
