from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, ArrayMap, RingBuffer, PerfEventArray
from pybpf.helper import ktime, pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_uint8


def userspace():
    print("no BPF here")
# WARNING@0 "no BPF programs"


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
