# Packet accesses the verifier would reject: no bounds check before them, a
# check that covers too few bytes, a variable offset no check covers, a
# negative offset, the wrong branch of a check, a pointer changed in a loop;
# writes to a bitfield; what packet pointers and data_end do not allow.
from pybpf import bpf, section, bpfglobal, struct
from vmlinux import struct_xdp_md, ethhdr, iphdr, udphdr, XDP_PASS
from ctypes import c_uint8, c_uint32


@bpf
@struct
class hdr:
    a: c_uint8
    b: c_uint8


@bpf
@section("xdp")
def prog(ctx: struct_xdp_md) -> c_uint32:
    data = ctx.data
    data_end = ctx.data_end
    eth = ethhdr(data)
    x = eth.h_proto  # ERROR "packet access to 'h_proto' \(bytes 12 to 14 after data\) is not preceded by a bounds check the verifier accepts"
    if data + 14 > data_end:
        return XDP_PASS
    y = eth.h_proto
    ip = iphdr(data + 14)
    z = ip.protocol  # ERROR "packet access to 'protocol' \(bytes 23 to 24 after data\) is not preceded"
    if data + 34 > data_end:
        return XDP_PASS
    n = ip.ihl * 4
    p = udphdr(data + 14 + n).dest  # ERROR "'dest' is read through a packet pointer with a variable offset that no bounds check covers"
    q = ethhdr(data - 2).h_proto  # ERROR "packet access to 'h_proto' \(bytes 10 to 12 after data\)"
    udp = udphdr(data + 14 + n)
    if udp + 8 <= data_end:
        r = udp.dest
    else:
        s = udp.source  # ERROR "packet access to 'source' \(bytes 0 to 2 after udp\)"
    for i in range(3):
        t = udp.len  # ERROR "packet access to 'len' \(bytes 4 to 6 after udp\)"
        udp = udphdr(data + 14 + n + i)
    ip.ihl = 5  # ERROR "'ihl' is a bitfield: bitfields in packet memory are only read"
    e = ethhdr(data_end)  # ERROR "data_end marks the end of the packet: it has no fields and is only compared"
    f = data_end + 1  # ERROR "data_end marks the end of the packet"
    g = data * 2  # ERROR "a packet pointer only takes an integer added or subtracted \(a byte offset\), or another packet pointer subtracted, not '\*'"
    g2 = -data  # ERROR "a packet pointer only takes an integer added or subtracted \(a byte offset\), or another packet pointer subtracted, not '-'"
    h = data.h_proto  # ERROR "a packet pointer has no fields; apply a header struct to it first"
    k = eth.h_protoo  # ERROR "struct 'ethhdr' has no field 'h_protoo'"
    m = hdr(data).c  # ERROR "struct 'hdr' has no field 'c'"
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
