# xdp_port_counter.py - count UDP packets per destination port, drop one port.
#
# An XDP program parses Ethernet, IPv4 and UDP with the kernel's own header
# structs (from vmlinux), each access after the bounds check the verifier
# wants; the IPv4 header length comes from the ihl bitfield (IP options).
# Packets to DROP_PORT (-D DROP_PORT=N) are dropped, all others pass.
#
#   pybpf compile examples/xdp_port_counter.py
#   then attach it to an interface, e.g. from Python:
#   pybpf.load("xdp_port_counter.bpf.o").programs["count_ports"].attach_xdp("eth0")
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import bpf_ntohs, bpf_htons
from vmlinux import struct_xdp_md, ethhdr, iphdr, udphdr, XDP_PASS, XDP_DROP
from ctypes import c_uint32, c_uint64

ETH_P_IP = 0x0800
IPPROTO_UDP = 17
DROP_PORT = 9999


@bpf
@map
def ports() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1024)


@bpf
@section("xdp")
def count_ports(ctx: struct_xdp_md) -> c_uint32:
    data = ctx.data
    data_end = ctx.data_end
    if data + 34 > data_end:  # Ethernet (14) + IPv4 without options (20)
        return XDP_PASS
    eth = ethhdr(data)
    if eth.h_proto != bpf_htons(ETH_P_IP):
        return XDP_PASS
    ip = iphdr(data + 14)
    if ip.protocol != IPPROTO_UDP:
        return XDP_PASS
    udp = udphdr(data + 14 + ip.ihl * 4)
    if udp + 8 > data_end:
        return XDP_PASS
    port: c_uint32 = bpf_ntohs(udp.dest)
    n = ports.lookup(port)
    if n:
        ports.update(port, n + 1)
    else:
        ports.update(port, 1)
    if port == DROP_PORT:
        return XDP_DROP
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
