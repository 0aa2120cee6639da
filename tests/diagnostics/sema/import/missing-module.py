# ARGS: -I{dir}/modules
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from nosuch_module import VALUE  # ERROR "no module named 'nosuch_module'"
import nosuch_either  # ERROR "no module named 'nosuch_either'"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return VALUE + nosuch_either.OTHER


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
