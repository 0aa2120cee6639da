# XDP metadata and IPv6: bpf_xdp_adjust_meta() makes room before the packet,
# the program reads the packet pointers again (the helper moves the packet),
# checks meta + 4 against data and writes a @struct there; the IPv6 header
# (kernel ipv6hdr) is read with its bitfields (version, priority), an array
# field (flow_lbl) and addresses through the anonymous union and in6_addr's
# in6_u union. A failed check returns XDP_ABORTED (0).
#
# PACKET: 02000000000202000000000186dd6ab12345000a1140000000000000000000000000000000010000000000000000000000000000000204d20035000a00006869 2
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import bpf_ntohs, bpf_ntohl
from vmlinux import struct_xdp_md, ipv6hdr, udphdr, XDP_PASS, XDP_ABORTED
from ctypes import c_uint32


@bpf
@struct
class mark:
    value: c_uint32


@bpf
@section("xdp")
def meta_v6(ctx: struct_xdp_md) -> c_uint32:
    if bpf_xdp_adjust_meta(ctx, -4) != 0:
        return XDP_ABORTED
    data = ctx.data
    meta = ctx.data_meta
    end = ctx.data_end
    if meta + 4 > data:
        return XDP_ABORTED
    m = mark(meta)
    m.value = 0xABCD1234
    if data + 62 > end:
        return XDP_ABORTED
    ip6 = ipv6hdr(data + 14)
    if ip6.version != 6 or ip6.priority != 10:
        return XDP_ABORTED
    if ip6.nexthdr != 17 or ip6.hop_limit != 64 or bpf_ntohs(ip6.payload_len) != 10:
        return XDP_ABORTED
    if ip6.flow_lbl[0] != 0xB1 or ip6.flow_lbl[2] != 0x45:
        return XDP_ABORTED
    if ip6.saddr.in6_u.u6_addr8[15] != 1 or ip6.daddr.in6_u.u6_addr8[15] != 2:
        return XDP_ABORTED
    if ip6.saddr.in6_u.u6_addr32[0] != 0 or bpf_ntohl(ip6.daddr.in6_u.u6_addr32[3]) != 2:
        return XDP_ABORTED
    udp = udphdr(data + 54)
    if bpf_ntohs(udp.dest) != 53 or bpf_ntohs(udp.source) != 1234:
        return XDP_ABORTED
    if mark(meta).value != 0xABCD1234:
        return XDP_ABORTED
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
