# ARGS: -I{dir}/modules
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from limits import LIMT, sample  # ERROR "module 'limits' has no name 'LIMT'"
import limits


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    s = sample(count=1, total=2)
    return LIMT + limits.SCALLE + s.count  # ERROR "module 'limits' has no name 'SCALLE'"


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
