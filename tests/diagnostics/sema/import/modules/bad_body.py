# An imported module whose subprogram has an error: reported in this file.
from ctypes import c_uint64
from pybpf import bpf


@bpf
def broken(x: c_uint64) -> c_uint64:
    return x + not_defined_anywhere
