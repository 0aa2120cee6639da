# An imported module for the import tests (not a test itself).
from ctypes import c_uint32, c_uint64
from pybpf import bpf, struct

LIMIT = 10
SCALE = LIMIT * 4


@bpf
@struct
class sample:
    count: c_uint32
    total: c_uint64


@bpf
def scaled(x: c_uint64) -> c_uint64:
    return x * SCALE
