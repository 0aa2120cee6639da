# Packet pointers by program type: socket filters cannot use them, cgroup_skb
# programs only read packet memory.
from pybpf import bpf, section, bpfglobal
from vmlinux import struct___sk_buff, ethhdr
from ctypes import c_int32


@bpf
@section("socket")
def filt(skb: struct___sk_buff) -> c_int32:
    d = skb.data  # ERROR "'data' is a packet pointer, which socket filters cannot use directly"
    return 0


@bpf
@section("cgroup_skb/egress")
def egress(skb) -> c_int32:
    data = skb.data
    if data + 14 > skb.data_end:
        return 1
    eth = ethhdr(data)
    eth.h_proto = 0  # ERROR "cgroup_skb programs can read packet memory but not write it"
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
