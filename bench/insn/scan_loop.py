# scan_loop - a bounded loop over an array in a map value with continue
# (skip empty slots) and break (stop at the end marker), summing and
# finding the first slot above a threshold.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from ctypes import c_void_p, c_int32, c_uint32, c_uint64

N = 16
END = 0xFFFFFFFF


@bpf
@struct
class table:
    vals: c_uint32 * N
    sum: c_uint64
    used: c_uint32
    first_big: c_int32


@bpf
@map
def tables() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=table, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def scan(ctx: c_void_p) -> c_int32:
    t = tables.lookup(0)
    if not t:
        return 0
    total = c_uint64(0)
    used = c_uint32(0)
    first = c_int32(-1)
    for i in range(N):
        v = t.vals[i]
        if v == END:
            break
        if v == 0:
            continue
        total += v
        used += 1
        if first < 0 and v > 1000:
            first = i
    t.sum = total
    t.used = used
    t.first_big = first
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
