# ARGS: -I{dir}/modules
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from bad_body import broken
from bad_syntax import X
# ERROR@modules/bad_body.py:8 "name 'not_defined_anywhere' is not defined"
# ERROR@modules/bad_syntax.py:2 "'\(' was never closed"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return broken(1) + X


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
