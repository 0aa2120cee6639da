# Programs whose type restricts the return value (cgroup, cgroup_skb,
# sockops, sk_lookup: [0, 1]; cgroup_skb/egress: [0, 3]), returning
# constants, variables set under a condition and values returned from several
# paths. At -O0 the locals and the return value live in stack slots: the
# verifier must still see their range (test_return_ranges.py checks them at
# -O0, -O1 and -O2).
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_uint32
from vmlinux import struct_bpf_sock  # noqa: F401 (contexts typed from their section)

AF_INET = 2


@bpf
@section("cgroup/sock_create")
def sock_create_const(ctx: c_void_p) -> c_int32:
    return 1


@bpf
@section("cgroup/sock_create")
def sock_create_typed(ctx) -> c_int32:
    allow = 1
    if ctx.family == 10 and ctx.type == 2:
        allow = 0
    return allow


@bpf
@section("cgroup/sock_release")
def sock_release(ctx) -> c_int32:
    return 1


@bpf
@section("cgroup/post_bind4")
def post_bind4(ctx) -> c_int32:
    if ctx.src_port == 1:
        return 0
    return 1


@bpf
@section("cgroup/connect4")
def connect4(ctx) -> c_int32:
    verdict: c_int32 = 1
    if ctx.user_family == AF_INET and ctx.user_port == 0:
        verdict = 0
    return verdict


@bpf
@section("cgroup/bind6")
def bind6(ctx) -> c_int32:
    ok = ctx.user_port != 7
    return 1 if ok else 0


@bpf
@section("cgroup/sendmsg4")
def sendmsg4(ctx) -> c_int32:
    return 1


@bpf
@section("cgroup/getsockopt")
def on_getsockopt(ctx) -> c_int32:
    return 1


@bpf
@section("cgroup/setsockopt")
def on_setsockopt(ctx) -> c_int32:
    r = 1
    if ctx.level == 12345:
        r = 0
    return r


@bpf
@section("cgroup/sysctl")
def on_sysctl(ctx) -> c_int32:
    if ctx.write:
        return 0
    return 1


@bpf
@section("cgroup/dev")
def on_dev(ctx) -> c_int32:
    deny: c_uint32 = 0
    if ctx.major == 4242:
        deny = 1
    return 1 - deny


@bpf
@section("cgroup_skb/ingress")
def skb_ingress(ctx) -> c_int32:
    return 1


@bpf
@section("cgroup_skb/egress")
def skb_egress(ctx) -> c_int32:
    v = 1
    if ctx.len > 1400:
        v = 3
    return v


@bpf
@section("sockops")
def on_sockops(ctx) -> c_int32:
    n = 0
    for i in range(4):
        n += 1
    if ctx.op == n:
        return 0
    return 1


@bpf
@section("sk_lookup")
def on_sk_lookup(ctx) -> c_int32:
    action = 1
    if ctx.local_port == 4242:
        action = 0
    return action


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
