# -D values are untyped constants like literals: 2**64-1 is accepted, and
# folding with it follows the usual rules.
from pybpf import bpf, section, bpfglobal
from ctypes import c_int64, c_void_p

# ARGS: -D BIG=0xffff_ffff_ffff_ffff -D SMALL=-0x8000000000000000 -D OK=+0b101

BIG = 1
SMALL = 1
OK = 1


@bpf
@section("xdp")
def f(ctx: c_void_p) -> c_int64:
    a = BIG + 1  # ERROR "constant expression overflows 64 bits"
    return SMALL + OK


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
