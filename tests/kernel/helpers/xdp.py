# Helpers of XDP programs: moving the packet's head, metadata and tail,
# reading and writing packet bytes, and forwarding decisions. The context
# is an opaque pointer to pybpf, so packet data goes through
# xdp_load_bytes()/xdp_store_bytes(). Loaded by test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32


@bpf
@struct
class ethhdr:
    dest: c_uint8 * 6
    source: c_uint8 * 6
    proto: c_uint16


@bpf
@struct
class fib_params:  # struct bpf_fib_lookup (64 bytes)
    family: c_uint8
    l4_protocol: c_uint8
    sport: c_uint16
    dport: c_uint16
    tot_len: c_uint16
    ifindex: c_uint32
    tos: c_uint32
    src: c_uint32 * 4
    dst: c_uint32 * 4
    vlan_proto: c_uint16
    vlan_tci: c_uint16
    smac: c_uint8 * 6
    dmac: c_uint8 * 6


@bpf
@section("xdp")
def resize(ctx: c_void_p) -> c_int32:
    n = xdp_adjust_head(0) + xdp_adjust_meta(0) + xdp_adjust_tail(0)
    if n != 0:
        return XDP_ABORTED
    return XDP_PASS


@bpf
@section("xdp")
def swap_macs(ctx: c_void_p) -> c_int32:
    if xdp_get_buff_len(ctx) < 14:
        return XDP_PASS
    eth = ethhdr()
    if xdp_load_bytes(0, eth) != 0:  # context and size filled in
        return XDP_ABORTED
    mac = ethhdr()
    for i in range(6):
        mac.dest[i] = eth.source[i]
        mac.source[i] = eth.dest[i]
    mac.proto = eth.proto
    xdp_store_bytes(ctx, 0, mac, 14)
    return XDP_TX


@bpf
@section("xdp")
def forward(ctx: c_void_p) -> c_int32:
    f = fib_params()
    f.family = 2
    f.ifindex = 1
    if fib_lookup(f, 0) != 0:
        return XDP_PASS
    mtu = c_uint32(0)
    if check_mtu(f.ifindex, mtu, 0, 0) != 0:
        return XDP_DROP
    return c_int32(redirect(f.ifindex, 0))


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
