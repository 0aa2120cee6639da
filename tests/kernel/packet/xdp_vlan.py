# A loop over up to two VLAN tags (802.1Q) before the IPv4 header: a packet
# pointer with a variable offset from a local advanced in the loop, each
# tag bounds-checked inside the loop. IPv4 behind 0-2 tags is dropped
# (XDP_DROP), 3 tags, IPv6 or a short packet pass; a wrong ttl aborts.
#
# PACKET: 02000000000202000000000108004500001c00010000401100000a0000010a0000020001000200080000 1
# PACKET: 0200000000020200000000018100006408004500001c00010000401100000a0000010a0000020001000200080000 1
# PACKET: 020000000002020000000001810000648100006508004500001c00010000401100000a0000010a0000020001000200080000 1
# PACKET: 02000000000202000000000181000064810000658100006608004500001c00010000401100000a0000010a0000020001000200080000 2
# PACKET: 0200000000020200000000018100006486dd4500001c00010000401100000a0000010a0000020001000200080000 2
# PACKET: 0200000000020200000000018100006408004500001c0001000040110000 2
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import bpf_ntohs, bpf_htons
from vmlinux import struct_xdp_md, ethhdr, iphdr, XDP_PASS, XDP_DROP, XDP_ABORTED
from ctypes import c_uint16, c_uint32, c_uint64


@bpf
@struct
class vlan_hdr:
    tci: c_uint16
    proto: c_uint16


@bpf
@section("xdp")
def vlan_ipv4(ctx: struct_xdp_md) -> c_uint32:
    data = ctx.data
    end = ctx.data_end
    eth = ethhdr(data)
    if eth + 14 > end:
        return XDP_PASS
    proto = eth.h_proto
    off: c_uint64 = 14
    for i in range(2):
        if proto != bpf_htons(0x8100):
            break
        v = vlan_hdr(data + off)
        if v + 4 > end:
            return XDP_PASS
        proto = v.proto
        off += 4
    if proto != bpf_htons(0x0800):
        return XDP_PASS
    ip = iphdr(data + off)
    if ip + 20 > end:
        return XDP_PASS
    if ip.ttl != 64:
        return XDP_ABORTED
    return XDP_DROP


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
