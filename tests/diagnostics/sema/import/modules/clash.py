# A module whose map has the name of the importer's map.
from pybpf import bpf, map
from pybpf.maps import ArrayMap
from ctypes import c_uint32, c_uint64


@bpf
@map
def counts() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=2)
