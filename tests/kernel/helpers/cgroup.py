# Helpers of the cgroup program types: socket address hooks (bind,
# connect, sendmsg), socket options, sock_ops, sysctl, devices and
# cgroup_skb. Loaded by test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32

SOL_SOCKET = 1
SO_MARK = 36
AF_INET = 2
BPF_SOCK_OPS_RTT_CB_FLAG = 8
BPF_F_CURRENT_NETNS = -1


@bpf
@struct
class sockaddr_in:
    family: c_uint16
    port: c_uint16
    addr: c_uint32
    zero: c_uint8 * 8


@bpf
@struct
class text:
    buf: str(64)


@bpf
@struct
class tuple4:  # struct bpf_sock_tuple, IPv4 part
    saddr: c_uint32
    daddr: c_uint32
    sport: c_uint16
    dport: c_uint16


@bpf
@section("cgroup/connect4")
def connect4(ctx: c_void_p) -> c_int32:
    sa = sockaddr_in()
    sa.family = AF_INET
    n = bind(sa)  # context and size filled in
    mark = c_int32(0)
    n += getsockopt(ctx, SOL_SOCKET, SO_MARK, mark)  # size of mark filled in
    mark = 7
    n += setsockopt(ctx, SOL_SOCKET, SO_MARK, mark)
    n += get_socket_cookie(ctx) + get_netns_cookie(ctx)
    if n < 0:
        return 0  # refuse the connection
    return 1  # allow it


@bpf
@section("cgroup/bind4")
def bind4(ctx: c_void_p) -> c_int32:
    mark = c_int32(1)
    return c_int32(setsockopt(ctx, SOL_SOCKET, SO_MARK, mark) == 0)


@bpf
@section("cgroup/recvmsg4")
def recvmsg4(ctx: c_void_p) -> c_int32:
    get_socket_cookie(ctx)
    return 1  # the only value allowed here


@bpf
@section("cgroup/getpeername4")
def getpeername4(ctx: c_void_p) -> c_int32:
    get_netns_cookie(ctx)
    return 1


@bpf
@section("cgroup/getsockname4")
def getsockname4(ctx: c_void_p) -> c_int32:
    get_socket_cookie(ctx)
    return 1


@bpf
@section("cgroup/post_bind4")
def post_bind4(ctx: c_void_p) -> c_int32:
    return c_int32(get_retval() == 0)


@bpf
@section("cgroup/sendmsg4")
def sendmsg4(ctx: c_void_p) -> c_int32:
    t = tuple4()
    sk = sk_lookup_udp(t, BPF_F_CURRENT_NETNS, 0)
    if sk:
        sk_release(sk)
    return 1


@bpf
@section("cgroup/sock_create")
def sock_create(ctx: c_void_p) -> c_int32:
    if get_retval() != 0:
        set_retval(0)
    return 1


@bpf
@section("cgroup/dev")
def device(ctx: c_void_p) -> c_int32:
    return c_int32(get_retval() == 0)


@bpf
@section("cgroup/getsockopt")
def getsockopt_hook(ctx: c_void_p) -> c_int32:
    return c_int32(get_retval() == 0)


@bpf
@section("cgroup/setsockopt")
def sockopt(ctx: c_void_p) -> c_int32:
    # getsockopt() here wants ctx->sk, a field pybpf cannot read yet
    if get_retval() < 0:
        set_retval(0)
    return 1


@bpf
@section("cgroup/sysctl")
def sysctl(ctx: c_void_p) -> c_int32:
    t = text()
    n = sysctl_get_name(t.buf, 0)  # context and size filled in
    n += sysctl_get_current_value(t.buf) + sysctl_get_new_value(t.buf)
    n += sysctl_set_new_value("1")  # size of the literal filled in
    return 1


@bpf
@section("cgroup_skb/ingress")
def skb_ingress(ctx: c_void_p) -> c_int32:
    t = tuple4()
    n = c_int64(0)
    sk = sk_lookup_tcp(t, BPF_F_CURRENT_NETNS, 0)
    if sk:
        n += sk_cgroup_id(sk) + sk_ancestor_cgroup_id(sk, 1)
        sk_release(sk)
    return 1


@bpf
@section("sockops")
def sock_ops(ctx: c_void_p) -> c_int32:
    n = sock_ops_cb_flags_set(BPF_SOCK_OPS_RTT_CB_FLAG)
    opt = text()
    n += load_hdr_opt(opt.buf, 4, 0) + store_hdr_opt(opt.buf, 4, 0)
    n += reserve_hdr_opt(4, 0)
    mark = c_int32(0)
    n += getsockopt(ctx, SOL_SOCKET, SO_MARK, mark) + setsockopt(ctx, SOL_SOCKET, SO_MARK, mark)
    return 1


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
