# shared.rel.deep.calc: relative imports one and two levels up.
from pybpf import bpf
from ctypes import c_uint64
from .. import vals
from ..vals import V
from ... import base
from . import leaf
from .leaf import LEAF as L

TOTAL = vals.V + V + leaf.LEAF + L  # 10 + 10 + 3 + 3


@bpf
def calc(x: c_uint64) -> c_uint64:
    return x + TOTAL + base.BASE - vals.FROM_BASE
