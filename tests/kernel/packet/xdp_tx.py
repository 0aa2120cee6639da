# Writes to packet memory: an XDP program swaps the Ethernet addresses
# (arrays copied in and out of the packet) and decrements the IPv4 TTL, then
# sends the packet back (XDP_TX); the test checks the packet it leaves.
# The ttl goes through an annotated local and a compound assignment.
#
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d20035000d000068656c6c6f 3 020000000001020000000002080045000021000100003f1100000a0000010a00000204d20035000d000068656c6c6f
from pybpf import bpf, section, bpfglobal
from vmlinux import ethhdr, iphdr, XDP_TX, XDP_PASS
from ctypes import c_uint8, c_uint32


@bpf
@section("xdp")
def reflect(ctx) -> c_uint32:
    data = ctx.data
    end = ctx.data_end
    eth = ethhdr(data)
    if eth + 14 > end:
        return XDP_PASS
    mac = eth.h_dest
    eth.h_dest = eth.h_source
    eth.h_source = mac
    ip = iphdr(eth + 14)
    if ip + 20 <= end:
        ip.ttl -= 1
    return XDP_TX


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
