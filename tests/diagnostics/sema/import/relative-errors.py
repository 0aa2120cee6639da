# ARGS: -I{dir}/modules
# Relative imports are looked for from the importing file's directory.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from .nosuch_sibling import X  # ERROR "no module named '.nosuch_sibling'"
import rpkg.inner.bad
import rpkg.inner.nosuch
# ERROR@modules/rpkg/inner/bad.py:2 "no module named '\.missing'"
# ERROR@modules/rpkg/inner/bad.py:3 "no module named '\.\.\.'"
# ERROR@modules/rpkg/inner/bad.py:4 "module '\.\.' has no name 'BAES'"


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return X + rpkg.inner.nosuch.Y  # ERROR "module 'rpkg.inner' has no name 'nosuch'"


@bpf
@section("tc")
def prog2(ctx: c_void_p) -> c_int64:
    return rpkg.inner.bad.VALUE + rpkg.inner.bad.nothing_here + rpkg.inner.bad.BASE + rpkg.inner.bad.BAES


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
