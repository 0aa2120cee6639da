# div_mod - unsigned division and remainder by run-time values (averages,
# rates, wrap-around indexes); BPF defines x / 0 as 0 and x % 0 as x, which
# is what the C code gets from the same instructions.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import ktime, random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class window:
    sum_ns: c_uint64
    count: c_uint64
    avg_ns: c_uint64
    per_ms: c_uint64
    ring_pos: c_uint32
    ring_len: c_uint32


@bpf
@map
def win() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=window, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def average(ctx: c_void_p) -> c_int32:
    w = win.lookup(0)
    if w is None:
        return 0
    d = ktime() % 100000
    w.sum_ns += d
    w.count += 1
    w.avg_ns = w.sum_ns / w.count
    w.per_ms = w.count * 1000000 / (w.sum_ns + 1)
    w.ring_pos = (w.ring_pos + random()) % w.ring_len
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
