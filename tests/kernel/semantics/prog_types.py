# Programs of other types, run by BPF_PROG_TEST_RUN on a 64-byte zeroed
# packet: XDP (packet length, loads and stores, moving head and tail, the
# XDP_* constants), tc classifiers and socket filters (skb_load_bytes,
# skb_store_bytes), with C arithmetic on the packet's bytes.
from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32


@bpf
@struct
class header:
    dst: c_uint8 * 6
    src: c_uint8 * 6
    proto: c_uint16


@bpf
@struct
class block:
    w: c_uint32 * 4


@bpf
@section("xdp")
def xdp_constants(ctx: c_void_p) -> c_int32:
    if XDP_ABORTED != 0 or XDP_DROP != 1 or XDP_PASS != 2 or XDP_TX != 3 or XDP_REDIRECT != 4:
        return 1
    return 0


@bpf
@section("xdp")
def xdp_bytes(ctx: c_void_p) -> c_int32:
    if xdp_get_buff_len(ctx) != 64:
        return 1
    h = header()
    h.proto = 0xFFFF
    if xdp_load_bytes(0, h) != 0:
        return 2
    if h.proto != 0 or h.dst[5] != 0:  # the packet is zeroed
        return 3
    for i in range(6):
        h.dst[i] = 0xF0 + i
    h.proto = 0x0008
    if xdp_store_bytes(ctx, 0, h, 14) != 0:
        return 4
    g = header()
    if xdp_load_bytes(0, g) != 0:
        return 5
    if g.dst[0] != 0xF0 or g.dst[5] != 0xF5 or g.proto != 8:
        return 6
    s = 0
    for i in range(6):
        s += g.dst[i]  # promoted: no 8-bit wrap
    if s != 6 * 0xF0 + 15:
        return 7
    if xdp_load_bytes(60, g) == 0:  # 14 bytes from 60: past the end
        return 8
    return 0


@bpf
@section("xdp")
def xdp_resize(ctx: c_void_p) -> c_int32:
    if xdp_adjust_tail(-4) != 0 or xdp_get_buff_len(ctx) != 60:
        return 1
    if xdp_adjust_head(14) != 0 or xdp_get_buff_len(ctx) != 46:
        return 2
    if xdp_adjust_head(-14) != 0 or xdp_get_buff_len(ctx) != 60:
        return 3
    return 0


@bpf
@section("tc")
def tc_bytes(ctx: c_void_p) -> c_int32:
    b = block()
    b.w[0] = 1
    if skb_load_bytes(0, b) != 0 or b.w[0] != 0:  # context and size filled in
        return 1
    b.w[1] = 0xDEADBEEF
    if skb_store_bytes(16, b, 16, 0) != 0:
        return 2
    c = block()
    if skb_load_bytes(ctx, 16, c, 16) != 0:
        return 3
    if c.w[1] != 0xDEADBEEF or c.w[0] != 0:
        return 4
    if c.w[1] >> 28 != 13 or c_uint16(c.w[1]) != 0xBEEF:
        return 5
    if skb_load_bytes(60, c) == 0:  # past the end
        return 6
    return 0


@bpf
@section("socket")
def socket_bytes(ctx: c_void_p) -> c_int32:
    b = block()
    # a socket filter sees the packet after its 14-byte Ethernet header: 50 bytes
    b.w[3] = 7
    if skb_load_bytes(34, b) != 0:
        return 1
    if b.w[3] != 0:
        return 2
    if skb_load_bytes(35, b) == 0:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
