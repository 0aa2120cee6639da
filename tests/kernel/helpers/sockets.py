# Helpers of the socket program types: socket filters, SO_REUSEPORT
# selection, flow dissectors, socket lookup, and the sockmap parsers and
# verdicts (sk_skb, sk_msg). Loaded by test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8

BPF_HDR_START_MAC = 0
SK_PASS = 1


@bpf
@struct
class header:
    bytes: c_uint8 * 20


@bpf
@section("socket")
def socket_filter(ctx: c_void_p) -> c_int32:
    h = header()
    if skb_load_bytes(0, h.bytes) != 0:
        return 0
    if get_socket_uid() != 0 or get_socket_cookie(ctx) == 0:
        return 0  # drop
    return 64  # keep the first 64 bytes


@bpf
@section("sk_reuseport")
def reuseport(ctx: c_void_p) -> c_int32:
    h = header()
    skb_load_bytes_relative(0, h.bytes, BPF_HDR_START_MAC)
    return SK_PASS


@bpf
@section("flow_dissector")
def dissector(ctx: c_void_p) -> c_int32:
    h = header()
    if skb_load_bytes(0, h.bytes) != 0:
        return 2  # BPF_DROP
    return 0  # BPF_OK


@bpf
@section("sk_lookup")
def lookup(ctx: c_void_p) -> c_int32:
    # sk_assign() here takes a socket from a sockmap (no pybpf class yet)
    if ktime_get_coarse_ns() == 0:
        return 0  # SK_DROP
    return SK_PASS


@bpf
@section("sk_skb/stream_parser")
def parser(ctx: c_void_p) -> c_int32:
    h = header()
    if skb_pull_data(20) != 0 or skb_load_bytes(0, h.bytes) != 0:
        return 0
    return 20  # the message length


@bpf
@section("sk_skb/stream_verdict")
def verdict(ctx: c_void_p) -> c_int32:
    h = header()
    n = skb_store_bytes(0, h.bytes, 0) + skb_adjust_room(0, 0, 0)
    n += skb_change_tail(64, 0) + skb_change_head(0, 0)
    return SK_PASS


@bpf
@section("sk_msg")
def message(ctx: c_void_p) -> c_int32:
    n = msg_apply_bytes(64) + msg_cork_bytes(16)
    n += msg_pull_data(0, 16, 0) + msg_push_data(0, 4, 0) + msg_pop_data(0, 4, 0)
    return SK_PASS


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
