# Helpers of tc classifiers (section "tc", BPF_PROG_TYPE_SCHED_CLS): packet
# bytes and checksums, tunnels, VLANs, redirects, routing, sockets and
# SYN cookies. pybpf programs see their context as an opaque pointer, so
# packet data goes through skb_load_bytes() and friends. Loaded by
# test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32, c_uint64

BPF_F_CURRENT_NETNS = -1
ETH_P_IPV6 = 0x86DD
ETH_P_8021Q = 0x8100
BPF_HDR_START_NET = 1
BPF_ADJ_ROOM_NET = 0
BPF_CSUM_LEVEL_QUERY = 0
TC_ACT_OK = 0


@bpf
@struct
class packet:
    bytes: c_uint8 * 64


@bpf
@struct
class words:  # csum_diff() works on 32-bit words
    w: c_uint32 * 4


@bpf
@struct
class tunnel_key:  # struct bpf_tunnel_key
    tunnel_id: c_uint32
    remote_ipv6: c_uint32 * 4
    tunnel_tos: c_uint8
    tunnel_ttl: c_uint8
    tunnel_ext: c_uint16
    tunnel_label: c_uint32
    local_ipv6: c_uint32 * 4


@bpf
@struct
class xfrm_state:  # struct bpf_xfrm_state
    reqid: c_uint32
    spi: c_uint32
    family: c_uint16
    ext: c_uint16
    remote_ipv6: c_uint32 * 4


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
@struct
class redir_neigh:  # struct bpf_redir_neigh
    nh_family: c_uint32
    ipv6_nh: c_uint32 * 4


@bpf
@struct
class tuple4:  # struct bpf_sock_tuple, IPv4 part
    saddr: c_uint32
    daddr: c_uint32
    sport: c_uint16
    dport: c_uint16


@bpf
@struct
class iphdr:
    bytes: c_uint32 * 5


@bpf
@struct
class ipv6hdr:
    bytes: c_uint32 * 10


@bpf
@struct
class tcphdr:
    bytes: c_uint32 * 5


@bpf
@section("tc")
def packet_bytes(ctx: c_void_p) -> c_int32:
    p = packet()
    n = skb_load_bytes(0, p.bytes)  # context and size filled in
    n += skb_load_bytes_relative(ctx, 0, p.bytes, 20, BPF_HDR_START_NET)
    n += skb_store_bytes(ctx, 0, p.bytes, 14, 0)
    n += skb_pull_data(0) + skb_change_tail(64, 0) + skb_change_head(0, 0)
    n += skb_adjust_room(0, BPF_ADJ_ROOM_NET, 0)
    n += skb_change_proto(ETH_P_IPV6, 0) + skb_change_type(0)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("tc")
def checksums(ctx: c_void_p) -> c_int32:
    a = words()
    b = words()
    b.w[0] = 1
    n = csum_diff(a.w, b.w, 0)  # both sizes filled in
    n += l3_csum_replace(24, 0, 1, 2) + l4_csum_replace(50, 0, 1, 4)
    n += csum_update(0) + csum_level(BPF_CSUM_LEVEL_QUERY)
    set_hash_invalid()
    n += get_hash_recalc() + set_hash(42)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("tc")
def tunnels_and_vlans(ctx: c_void_p) -> c_int32:
    k = tunnel_key()
    n = skb_get_tunnel_key(k, 0)  # context and size filled in
    k.tunnel_id = 7
    n += skb_set_tunnel_key(ctx, k, 44, 0)
    p = packet()
    n += skb_get_tunnel_opt(p.bytes) + skb_set_tunnel_opt(p.bytes)
    n += skb_vlan_push(ETH_P_8021Q, 1) + skb_vlan_pop()
    x = xfrm_state()
    n += skb_get_xfrm_state(0, x)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("tc")
def redirects(ctx: c_void_p) -> c_int32:
    n = clone_redirect(1, 0)
    f = fib_params()
    f.family = 2
    f.ifindex = 1
    n += fib_lookup(f, 0)
    mtu = c_uint32(0)
    n += check_mtu(1, mtu, 0, 0)
    nh = redir_neigh()
    if n == 1:
        return c_int32(redirect_neigh(1, nh, 0))
    if n == 2:
        return c_int32(redirect_peer(1, 0))
    return c_int32(redirect(1, 0))


@bpf
@section("tc")
def metadata(ctx: c_void_p) -> c_int32:
    n = get_socket_cookie(ctx) + get_socket_uid() + get_route_realm()
    n += get_netns_cookie(ctx) + get_cgroup_classid()
    n += skb_cgroup_classid() + skb_cgroup_id() + skb_ancestor_cgroup_id(0)
    n += ktime_get_coarse_ns()
    skb_ecn_set_ce()
    skb_set_tstamp(0, 0)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("tc")
def sockets(ctx: c_void_p) -> c_int32:
    t = tuple4()
    n = c_int64(0)
    sk = sk_lookup_tcp(t, BPF_F_CURRENT_NETNS, 0)  # context and size filled in
    if sk:
        if sk_fullsock(sk):
            n += 1
        if tcp_sock(sk):
            n += 2
        if get_listener_sock(sk):
            n += 4
        sk_release(sk)
    u = sk_lookup_udp(ctx, t, 12, BPF_F_CURRENT_NETNS, 0)
    if u:
        n += sk_assign(u, 0)
        sk_release(u)
    c = skc_lookup_tcp(t, BPF_F_CURRENT_NETNS, 0)
    if c:
        if skc_to_tcp_sock(c):
            n += 1
        if skc_to_tcp6_sock(c):
            n += 1
        if skc_to_tcp_timewait_sock(c):
            n += 1
        if skc_to_tcp_request_sock(c):
            n += 1
        if skc_to_udp6_sock(c):
            n += 1
        if skc_to_unix_sock(c):
            n += 1
        if skc_to_mptcp_sock(c):
            n += 1
        sk_release(c)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("tc")
def syncookies(ctx: c_void_p) -> c_int32:
    ip = iphdr()
    ip6 = ipv6hdr()
    th = tcphdr()
    n = tcp_raw_gen_syncookie_ipv4(ip, th) + tcp_raw_gen_syncookie_ipv6(ip6, th)
    n += tcp_raw_check_syncookie_ipv4(ip, th) + tcp_raw_check_syncookie_ipv6(ip6, th)
    t = tuple4()
    sk = skc_lookup_tcp(t, BPF_F_CURRENT_NETNS, 0)
    if sk:
        n += tcp_check_syncookie(sk, ip, th) + tcp_gen_syncookie(sk, ip, th)
        sk_release(sk)
    return TC_ACT_OK + c_int32(n == 0)


@bpf
@section("action")  # a tc action: the same helpers
def tc_action(ctx: c_void_p) -> c_int32:
    p = packet()
    skb_load_bytes(0, p.bytes)
    return c_int32(skb_store_bytes(0, p.bytes, 0) == 0)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
