# XDP over crafted packets: Ethernet/IPv4/UDP parsed with the kernel's
# header structs (vmlinux), bounds checks the verifier accepts, the ihl
# bitfield for a variable offset (IP options), byte order helpers; counts per
# UDP destination port and drops port 9999. A failed field check returns
# XDP_ABORTED (0).
#
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d2270f000d000068656c6c6f 1
# PACKET: 02000000000202000000000108004600002500010000401100000a0000010a0000020101010104d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004500002100010000400600000a0000010a00000204d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000186dd4500002100010000401100000a0000010a00000204d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004500002100010000401100000a000001 2
# EXPECT-MAP: ports 53 0200000000000000
# EXPECT-MAP: ports 9999 0100000000000000
# EXPECT-MAP: ports 1234 none
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import bpf_ntohs, bpf_htons, bpf_ntohl
from vmlinux import struct_xdp_md, ethhdr, iphdr, udphdr, XDP_PASS, XDP_DROP, XDP_ABORTED
from ctypes import c_uint32, c_uint64

ETH_P_IP = 0x0800


@bpf
@map
def ports() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=64)


@bpf
@section("xdp")
def udp_ports(ctx: struct_xdp_md) -> c_uint32:
    data = ctx.data
    data_end = ctx.data_end
    if data + 14 > data_end:
        return XDP_PASS
    eth = ethhdr(data)
    if eth.h_proto != bpf_htons(ETH_P_IP):
        return XDP_PASS
    if eth.h_dest[5] != 2 or eth.h_source[5] != 1:
        return XDP_ABORTED
    if data + 34 > data_end:
        return XDP_PASS
    ip = iphdr(data + 14)
    if ip.version != 4 or ip.ttl != 64:
        return XDP_ABORTED
    if bpf_ntohl(ip.saddr) != 0x0A000001 or bpf_ntohl(ip.daddr) != 0x0A000002:
        return XDP_ABORTED
    if ip.protocol != 17:
        return XDP_PASS
    udp = udphdr(data + 14 + ip.ihl * 4)
    if udp + 8 > data_end:
        return XDP_PASS
    if bpf_ntohs(udp.source) != 1234 or bpf_ntohs(udp.len) != 13:
        return XDP_ABORTED
    port: c_uint32 = bpf_ntohs(udp.dest)
    n = ports.lookup(port)
    if n:
        ports.update(port, n + 1)
    else:
        ports.update(port, 1)
    if port == 9999:
        return XDP_DROP
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
