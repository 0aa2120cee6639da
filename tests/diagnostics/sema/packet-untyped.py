# Without a vmlinux import an XDP program's context stays c_void_p (as in
# pythonbpf, where struct_xdp_md needs the import): its packet pointers need
# the annotation.
from pybpf import bpf, section, bpfglobal
from ctypes import c_uint32


@bpf
@section("xdp")
def prog(ctx) -> c_uint32:
    data = ctx.data  # ERROR "the context is untyped \(c_void_p\): 'data' needs its type"
    return 2


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
