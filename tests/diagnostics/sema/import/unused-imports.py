# ARGS: -I{dir}/modules
# Imports that BPF code does not use are userspace Python: never followed,
# so a missing module or name is no error.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int64
from pybpf import BPF
import os
import nosuch_module
from nosuch_module import anything
from limits import no_such_name
from limits import LIMIT, scaled

UNUSED = os.getpid()


@bpf
@section("xdp")
def prog(ctx: c_void_p) -> c_int64:
    return scaled(LIMIT)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"


if __name__ == "__main__":
    BPF()
