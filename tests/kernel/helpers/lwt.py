# Helpers of the lightweight tunnel program types (routes with "encap bpf",
# and seg6local "End.BPF"). Loaded by test_helpers.c, not run. The seg6
# helpers are in lwt_seg6.py.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_uint32

BPF_LWT_ENCAP_IP = 2
BPF_OK = 0
BPF_DROP = 2


@bpf
@struct
class ip_header:
    bytes: c_uint32 * 5


@bpf
@section("lwt_in")
def encap_in(ctx: c_void_p) -> c_int32:
    ip = ip_header()
    ip.bytes[0] = 0x45
    if lwt_push_encap(BPF_LWT_ENCAP_IP, ip) != 0:  # context and size filled in
        return BPF_DROP
    return BPF_OK


@bpf
@section("lwt_xmit")
def encap_xmit(ctx: c_void_p) -> c_int32:
    ip = ip_header()
    if lwt_push_encap(ctx, BPF_LWT_ENCAP_IP, ip, 20) != 0:
        return BPF_DROP
    return BPF_OK


@bpf
@section("lwt_out")
def out(ctx: c_void_p) -> c_int32:
    ip = ip_header()
    if skb_load_bytes(0, ip) != 0 or get_route_realm() != 0:
        return BPF_DROP
    return BPF_OK


@bpf
@section("lwt_seg6local")
def seg6_base(ctx: c_void_p) -> c_int32:
    # only base helpers: the seg6 ones are in lwt_seg6.py, which kernels
    # without CONFIG_IPV6_SEG6_BPF refuse
    if ktime_get_ns() == 0:
        return BPF_DROP
    return BPF_OK


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
