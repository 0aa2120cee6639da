# A module whose map and global have the names of sections of the importer.
from pybpf import bpf, map, bpfglobal
from pybpf.maps import ArrayMap
from ctypes import c_uint32, c_uint64


@bpf
@map
def xdp() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=2)


@bpf
@bpfglobal
def license() -> c_uint64:
    return 1
