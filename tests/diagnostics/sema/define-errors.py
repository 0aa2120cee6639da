# -D NAME=VALUE errors: they are about the command line, so they have no
# location; each -D is checked on its own.
from pybpf import bpf, section, bpfglobal
from ctypes import c_int64, c_void_p
from typing import Final

# ARGS: -D LIMIT=abc -D SCALE=1.5 -D LIMIT=99999999999999999999 -D NOPE=1 -D DUP=1 -D helper=1 -D =3 -D LIMIT
# ERROR@0 "-D LIMIT=abc: 'abc' is not a 64-bit integer"
# ERROR@0 "-D SCALE=1\.5: '1\.5' is not a 64-bit integer"
# ERROR@0 "-D LIMIT=99999999999999999999: '99999999999999999999' is not a 64-bit integer"
# ERROR@0 "-D NOPE=1: no module-level constant 'NOPE'"
# ERROR@0 "-D DUP=1: 'DUP' is not a module-level constant \(NAME = value, bound once\)"
# ERROR@0 "-D helper=1: 'helper' is not a module-level constant"
# ERROR@0 "-D '=3': expected NAME=VALUE"
# ERROR@0 "-D 'LIMIT': expected NAME=VALUE"

LIMIT = 5
SCALE: Final = 3
DUP = 1
DUP = 2


def helper():
    return LIMIT


@bpf
@section("xdp")
def f(ctx: c_void_p) -> c_int64:
    return LIMIT + SCALE


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
