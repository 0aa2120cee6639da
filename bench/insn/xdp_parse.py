# xdp_parse - XDP packet parsing. The dialect has no direct packet access
# (ctx is opaque), so headers are copied out with bpf_xdp_load_bytes(), on
# both sides: Ethernet, then IPv4 (variable header length), then UDP; count
# packets per IP protocol, drop UDP to the discard port.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerCPUArrayMap
from pybpf.helper import XDP_PASS, XDP_DROP
from ctypes import c_void_p, c_int32, c_uint8, c_uint16, c_uint32, c_uint64

ETH_P_IP_BE = 0x0008  # htons(0x0800)
DISCARD_PORT_BE = 0x0900  # htons(9)
UDP = 17


@bpf
@struct
class ethhdr:
    dst: c_uint8 * 6
    src: c_uint8 * 6
    proto: c_uint16


@bpf
@struct
class iphdr:
    ver_ihl: c_uint8
    tos: c_uint8
    tot_len: c_uint16
    id: c_uint16
    frag_off: c_uint16
    ttl: c_uint8
    protocol: c_uint8
    check: c_uint16
    saddr: c_uint32
    daddr: c_uint32


@bpf
@struct
class udphdr:
    source: c_uint16
    dest: c_uint16
    len: c_uint16
    check: c_uint16


@bpf
@struct
class counter:
    packets: c_uint64
    bytes: c_uint64


@bpf
@map
def proto_count() -> PerCPUArrayMap:
    return PerCPUArrayMap(key=c_uint32, value=counter, max_entries=256)


@bpf
@section("xdp")
def xdp_count(ctx: c_void_p) -> c_int32:
    eth = ethhdr()
    if xdp_load_bytes(ctx, 0, eth, 14) < 0:
        return XDP_PASS
    if eth.proto != ETH_P_IP_BE:
        return XDP_PASS
    ip = iphdr()
    if xdp_load_bytes(ctx, 14, ip, 20) < 0:
        return XDP_PASS
    ihl = ip.ver_ihl & 0xF
    if ihl < 5:
        return XDP_DROP
    c = proto_count.lookup(ip.protocol)
    if c:
        c.packets += 1
        c.bytes += (ip.tot_len >> 8) | ((ip.tot_len & 0xFF) << 8)
    if ip.protocol != UDP:
        return XDP_PASS
    udp = udphdr()
    if xdp_load_bytes(ctx, 14 + ihl * 4, udp, 8) < 0:
        return XDP_PASS
    if udp.dest == DISCARD_PORT_BE:
        return XDP_DROP
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
