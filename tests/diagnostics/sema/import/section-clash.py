# ARGS: -I{dir}/modules
# Imported maps and globals are checked against the sections too.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from secclash import xdp, license
# ERROR@modules/secclash.py:9 "map 'xdp' has the name of a program section"
# ERROR@modules/secclash.py:15 "global 'license' has the name of the license section"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    xdp[0] = 1
    return license


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
