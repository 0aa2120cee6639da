# bloom_seen - report a process the first time it is seen: a bloom filter
# answers "maybe seen" cheaply, a hash confirms, new ones are recorded.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import BloomFilter, HashMap
from pybpf.helper import pid, ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def maybe_seen() -> BloomFilter:
    return BloomFilter(value=c_uint32, max_entries=4096, hashes=3)


@bpf
@map
def first_seen() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4096)


@bpf
@section("raw_tp/sys_enter")
def check(ctx: c_void_p) -> c_int32:
    p = pid()
    if p in maybe_seen and p in first_seen:
        return 0
    maybe_seen.push(p)
    first_seen.update(p, ktime(), 1)  # BPF_NOEXIST
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
