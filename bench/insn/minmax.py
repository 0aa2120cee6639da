# minmax - per-key summary of a sample: count, sum, min and max, with the
# min/max comparisons and a first-sample insert.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class summary:
    count: c_uint64
    sum: c_uint64
    min: c_uint32
    max: c_uint32


@bpf
@map
def sizes() -> HashMap:
    return HashMap(key=c_uint32, value=summary, max_entries=1024)


@bpf
@section("tracepoint/syscalls/sys_exit_read")
def on_read(ctx: c_void_p) -> c_int32:
    n = random() & 0xFFFFF
    k = pid()
    s = sizes.lookup(k)
    if s is None:
        first = summary()
        first.count = 1
        first.sum = n
        first.min = n
        first.max = n
        sizes.update(k, first)
        return 0
    s.count += 1
    s.sum += n
    if n < s.min:
        s.min = n
    if n > s.max:
        s.max = n
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
