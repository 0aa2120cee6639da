# cgroup_skb programs read packet memory (not write it); their packet starts
# at the network header. The context is typed __sk_buff from the section.
# Returns 1 (allow) when the checks hold, 0 otherwise; the checks use the
# `<=` and `not >` forms of the bounds check.
#
# PACKET: 02000000000202000000000108004500002100010000401100000a0000010a00000204d20035000d000068656c6c6f 1
# PACKET: 02000000000202000000000108004600002500010000401100000a0000010a0000020101010104d2270f000d000068656c6c6f 1
from pybpf import bpf, section, bpfglobal
from pybpf.helper import bpf_ntohs, bpf_ntohl
from vmlinux import iphdr, udphdr
from ctypes import c_int32


@bpf
@section("cgroup_skb/ingress")
def allow(skb) -> c_int32:
    data = skb.data
    end = skb.data_end
    ok = 0
    ip = iphdr(data)
    if ip + 20 <= end:
        if ip.version == 4 and ip.protocol == 17 and bpf_ntohl(ip.saddr) == 0x0A000001:
            udp = udphdr(ip + ip.ihl * 4)
            if not udp + 8 > end:
                if bpf_ntohs(udp.source) == 1234:
                    ok = 1
    # the verifier wants 0 or 1 in R0, also at -O0 (where ok is on the stack)
    return ok & 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
