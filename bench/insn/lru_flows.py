# lru_flows - per-flow accounting in an LRU hash keyed by a struct (the
# kind of key network and I/O tools build), value updated in place.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import LRUHashMap
from pybpf.helper import pid, tid, ktime, random
from ctypes import c_void_p, c_int32, c_uint8, c_uint16, c_uint32, c_uint64


@bpf
@struct
class flow_key:
    saddr: c_uint32
    daddr: c_uint32
    sport: c_uint16
    dport: c_uint16
    proto: c_uint8
    pad: c_uint8 * 3


@bpf
@struct
class flow_val:
    packets: c_uint64
    bytes: c_uint64
    first_ns: c_uint64
    last_ns: c_uint64


@bpf
@map
def flows() -> LRUHashMap:
    return LRUHashMap(key=flow_key, value=flow_val, max_entries=65536)


@bpf
@section("raw_tp/sys_enter")
def account(ctx: c_void_p) -> c_int32:
    r = random()
    k = flow_key()
    k.saddr = pid()
    k.daddr = tid()
    k.sport = r
    k.dport = r >> 16
    k.proto = 6
    size = (r & 0x3FF) + 64
    now = ktime()
    v = flows.lookup(k)
    if v:
        v.packets += 1
        v.bytes += size
        v.last_ns = now
        return 0
    n = flow_val()
    n.packets = 1
    n.bytes = size
    n.first_ns = now
    n.last_ns = now
    flows.update(k, n)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
