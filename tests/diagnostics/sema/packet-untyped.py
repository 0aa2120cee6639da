# A context annotated c_void_p (pythonbpf's spelling) stays opaque, also in
# an XDP program: its packet pointers need the context's type (leave it
# unannotated, or annotate it with struct_xdp_md from vmlinux).
from pybpf import bpf, section, bpfglobal
from ctypes import c_uint32, c_void_p


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_uint32:
    data = ctx.data  # ERROR "the context is untyped \(c_void_p\): 'data' needs its type"
    return 2


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
