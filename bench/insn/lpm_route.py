# lpm_route - longest-prefix match on an IPv4 address (an LPM trie keyed by
# prefix length + address bytes), counting hits per matched route class.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import LPMTrie, ArrayMap
from pybpf.helper import random, atomic_add
from ctypes import c_void_p, c_int32, c_uint8, c_uint32, c_uint64


@bpf
@struct
class v4_key:
    prefixlen: c_uint32
    addr: c_uint8 * 4


@bpf
@map
def routes() -> LPMTrie:
    return LPMTrie(key=v4_key, value=c_uint32, max_entries=1024)


@bpf
@map
def class_hits() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=16)


@bpf
@section("raw_tp/sys_enter")
def route(ctx: c_void_p) -> c_int32:
    a = random()
    k = v4_key()
    k.prefixlen = 32
    k.addr[0] = a >> 24
    k.addr[1] = a >> 16
    k.addr[2] = a >> 8
    k.addr[3] = a
    cls = routes.lookup(k)
    if cls is None:
        atomic_add(class_hits[15], 1)
        return 0
    atomic_add(class_hits[cls & 15], 1)
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
