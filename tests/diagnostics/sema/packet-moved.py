# Helpers that move the packet (bpf_xdp_adjust_head and friends) make the
# verifier forget every packet pointer: using one read before the call is an
# error; reading ctx.data again (and checking again) is fine.
from pybpf import bpf, section, bpfglobal
from vmlinux import struct_xdp_md, ethhdr, XDP_PASS
from ctypes import c_uint32


@bpf
@section("xdp")
def prog(ctx: struct_xdp_md) -> c_uint32:
    data = ctx.data
    end = ctx.data_end
    if data + 14 > end:
        return XDP_PASS
    bpf_xdp_adjust_head(ctx, 4)
    p = data + 1  # ERROR "packet pointer 'data' is used after bpf_xdp_adjust_head\(\), which moves the packet: the verifier has forgotten it"
    data = ctx.data
    end = ctx.data_end
    x = ethhdr(data).h_proto  # ERROR "packet access to 'h_proto' \(bytes 12 to 14 after data\) is not preceded"
    if data + 14 > end:
        return XDP_PASS
    y = ethhdr(data).h_proto
    return XDP_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
