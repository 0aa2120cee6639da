from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ArrayMap, HashMap, ArrayOfMaps, HashOfMaps
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def a4() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def a8() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def h() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=8)


@bpf
@map
def good() -> ArrayOfMaps:
    return ArrayOfMaps(inner=a4, max_entries=2, values=[a4])


@bpf
@map
def mixed() -> ArrayOfMaps:
    return ArrayOfMaps(max_entries=4, values=[a4, a8, h])  # ERROR "map 'a8' does not fit in 'mixed': the kernel wants maps like 'a4' \(type, key and value sizes, flags, max_entries\)"  # ERROR "map 'h' does not fit in 'mixed'"


@bpf
@map
def wrong_key() -> HashOfMaps:
    return HashOfMaps(key=c_uint64, max_entries=4, values=[h])  # ERROR "HashOfMaps keys are 32-bit indexes \(c_uint32\) when values=\[...\] fills it, not 'c_uint64'"


@bpf
@map
def array_key() -> ArrayOfMaps:
    return ArrayOfMaps(key=c_uint64, inner=a4, max_entries=4)  # ERROR "ArrayOfMaps keys are 32-bit indexes \(c_uint32\) when it is an array, not 'c_uint64'"


@bpf
@map
def not_a_map() -> ArrayOfMaps:
    return ArrayOfMaps(inner=c_uint32, max_entries=4)  # ERROR "ArrayOfMaps holds maps declared with @map \(or None\)"


@bpf
@map
def nested() -> ArrayOfMaps:
    return ArrayOfMaps(inner=good, max_entries=4)  # ERROR "a map of maps cannot hold maps of maps \('good'\)"


@bpf
@map
def empty() -> HashOfMaps:  # ERROR "HashOfMaps 'empty' needs an inner map: inner=m"
    return HashOfMaps(key=c_uint32, max_entries=4, values=[None])


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
