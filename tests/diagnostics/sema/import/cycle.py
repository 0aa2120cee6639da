# ARGS: -I{dir}/modules
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from cyc_a import A
# ERROR@modules/cyc_b.py:1 "import cycle: cyc_a -> cyc_b -> cyc_a"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return A


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
