# XDP over crafted packets in a file that imports nothing from vmlinux: the
# unannotated context reads ctx.data and ctx.data_end, so the compiler reads
# the kernel BTF for this program alone (sema_lazyctx.c) and types the
# context xdp_md from the section; headers are @struct classes of the
# program's own. Drops UDP port 9999 (XDP_DROP) and counts the others
# (XDP_PASS); a bad IP header length returns XDP_ABORTED.
#
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d2270f000d000068656c6c6f 1
# PACKET: 02000000000202000000000108004600002500010000401100000a0000010a0000020101010104d20007000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004500002100010000400600000a0000010a00000204d20035000d000068656c6c6f 2
# PACKET: 02000000000202000000000108004100002100010000401100000a0000010a00000204d20035000d000068656c6c6f 0
# PACKET: 02000000000202000000000108064500002100010000401100000a000001 2
# EXPECT-MAP: ports 53 0100000000000000
# EXPECT-MAP: ports 7 0100000000000000
# EXPECT-MAP: ports 9999 none
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import bpf_ntohs
from ctypes import c_int32, c_uint8, c_uint16, c_uint32, c_uint64

XDP_ABORTED = 0
XDP_DROP = 1
XDP_PASS = 2


@bpf
@struct
class eth_header:
    dst: c_uint8 * 6
    src: c_uint8 * 6
    proto: c_uint16


@bpf
@struct
class ip_header:
    version_ihl: c_uint8
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
class udp_header:
    sport: c_uint16
    dport: c_uint16
    length: c_uint16
    check: c_uint16


@bpf
@map
def ports() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=64)


@bpf
@section("xdp")
def drop_port(ctx) -> c_int32:
    data = ctx.data
    data_end = ctx.data_end
    eth = eth_header(data)
    ip = ip_header(data + 14)
    if data + 34 > data_end or bpf_ntohs(eth.proto) != 0x0800:
        return XDP_PASS
    if ip.protocol != 17:
        return XDP_PASS
    hlen = (ip.version_ihl & 15) * 4
    if hlen < 20:
        return XDP_ABORTED
    udp = udp_header(data + 14 + hlen)
    if udp + 8 > data_end:
        return XDP_PASS
    port: c_uint32 = bpf_ntohs(udp.dport)
    if port == 9999:
        return XDP_DROP
    n = ports.lookup(port)
    if n:
        ports.update(port, n + 1)
    else:
        ports.update(port, 1)
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
