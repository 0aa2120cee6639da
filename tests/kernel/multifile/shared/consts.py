# A local module imported by ../imports.py: constants (folded here, in this
# module's scope: SCALE is 3 here, whatever the importer calls SCALE), a
# @struct, @bpf subprograms that use this module's names, and a map.
from pybpf import bpf, map, struct
from pybpf.maps import ArrayMap
from ctypes import c_uint32, c_uint64
from shared.base import BASE

SCALE = 3
LIMIT = BASE + 23  # 123
SLOTS = 4


@bpf
@struct
class point:
    x: c_uint32
    y: c_uint64


@bpf
@map
def hits() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=SLOTS)


@bpf
def scale(v: c_uint64) -> c_uint64:
    return v * SCALE + helper_offset()


@bpf
def helper_offset() -> c_uint64:
    return BASE


@bpf
def norm(p: point) -> c_uint64:
    hits[1] += 1
    return p.x + p.y


@bpf
def never_used(v: c_uint64) -> c_uint64:
    return v + 1
