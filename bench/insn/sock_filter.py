# sock_filter - a socket filter that keeps only TCP packets to or from port
# 22 or 443 (IPv4, headers read with bpf_skb_load_bytes), returning the
# number of bytes to keep; counts what it kept.
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import atomic_add
from ctypes import c_void_p, c_int32, c_uint8, c_uint16, c_uint32, c_uint64


@bpf
@struct
class ports:
    sport: c_uint16
    dport: c_uint16


@bpf
@bpfglobal
def kept() -> c_uint64:
    return c_uint64(0)


@bpf
@section("socket")
def ssh_https(ctx: c_void_p) -> c_int32:
    proto = c_uint16(0)
    if skb_load_bytes(ctx, 12, proto, 2) < 0 or proto != 0x0008:
        return 0
    vi = c_uint8(0)
    if skb_load_bytes(ctx, 14, vi, 1) < 0:
        return 0
    l4 = c_uint8(0)
    if skb_load_bytes(ctx, 23, l4, 1) < 0 or l4 != 6:
        return 0
    p = ports()
    if skb_load_bytes(ctx, 14 + (vi & 0xF) * 4, p, 4) < 0:
        return 0
    s = (p.sport >> 8) | ((p.sport & 0xFF) << 8)
    d = (p.dport >> 8) | ((p.dport & 0xFF) << 8)
    if s == 22 or d == 22 or s == 443 or d == 443:
        atomic_add(kept, 1)
        return -1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
