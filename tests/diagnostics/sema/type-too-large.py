from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@struct
class big:
    data: (c_uint64 * 65536) * 65536  # ERROR "array type 'c_uint64 \* 65536 \* 65536' is larger than 1 GiB"


@bpf
@struct
class wide:
    a: (c_uint64 * 65536) * 1024
    b: (c_uint64 * 65536) * 1024
    c: c_uint64  # ERROR "struct 'wide' is larger than 1 GiB at field 'c'"


@bpf
@section("raw_tp/sys_enter")
def prog(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
