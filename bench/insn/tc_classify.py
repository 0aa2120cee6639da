# tc_classify - a tc (sched_cls) classifier: read the IPv4 DSCP and
# protocol with bpf_skb_load_bytes, count per DSCP class in a per-CPU hash,
# and mark bulk traffic; always TC_ACT_OK.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerCPUHashMap
from ctypes import c_void_p, c_int32, c_uint8, c_uint16, c_uint32, c_uint64

TC_ACT_OK = 0


@bpf
@struct
class cls_stat:
    packets: c_uint64
    tcp: c_uint64
    udp: c_uint64


@bpf
@map
def dscp_stats() -> PerCPUHashMap:
    return PerCPUHashMap(key=c_uint32, value=cls_stat, max_entries=64)


@bpf
@section("tc")
def classify(ctx: c_void_p) -> c_int32:
    h = c_uint16(0)
    tos = c_uint8(0)
    proto = c_uint8(0)
    if skb_load_bytes(ctx, 12, h, 2) < 0 or h != 0x0008:
        return TC_ACT_OK
    if skb_load_bytes(ctx, 15, tos, 1) < 0 or skb_load_bytes(ctx, 23, proto, 1) < 0:
        return TC_ACT_OK
    dscp = c_uint32(tos >> 2)
    s = dscp_stats.lookup(dscp)
    if s is None:
        fresh = cls_stat()
        dscp_stats.update(dscp, fresh, 1)  # BPF_NOEXIST
        s = dscp_stats.lookup(dscp)
        if s is None:
            return TC_ACT_OK
    s.packets += 1
    if proto == 6:
        s.tcp += 1
    elif proto == 17:
        s.udp += 1
    return TC_ACT_OK


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
