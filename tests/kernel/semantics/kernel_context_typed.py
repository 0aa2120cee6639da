# Program contexts typed with kernel structs (pythonbpf's `ctx: struct_X`):
# fields are read with direct loads at CO-RE relocated offsets, which the
# verifier rewrites into the real context accesses. BPF_PROG_TEST_RUN gives
# tc and socket filter programs a 64-byte packet.
from pybpf import bpf, section, bpfglobal
from ctypes import c_int32
from vmlinux import struct___sk_buff


@bpf
@section("tc")
def skb_len(skb: struct___sk_buff) -> c_int32:
    if skb.len != 64:
        return 1
    if skb.ifindex != 1:  # BPF_PROG_TEST_RUN runs it on the loopback device
        return 2
    return 0


@bpf
@section("socket")
def socket_len(skb: struct___sk_buff) -> c_int32:
    if skb.len != 50:  # socket filters see the packet after its Ethernet header
        return 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
