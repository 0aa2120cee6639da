# Relative imports (`from . import m`, `from .m import X`, `from .. import
# m`, `from ...m import X`) in modules of a package, `import pkg.mod`
# without `as` (then `pkg.mod.X`), and a package's __init__.py.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32
import shared.rel.deep.calc
import shared.rel
from shared import rel
from shared.rel import vals, R0
from shared.rel.deep import leaf


@bpf
@section("raw_tp/sys_enter")
def relative(ctx: c_void_p) -> c_int32:
    if shared.rel.deep.calc.TOTAL != 26:
        return 1
    if shared.rel.deep.calc.calc(4) != 30:
        return 2
    if shared.rel.R0 != 5 or rel.R0 != 5 or R0 != 5:
        return 3
    if vals.V != 10 or leaf.LEAF != 3 or shared.rel.vals.V != 10:
        return 4
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
