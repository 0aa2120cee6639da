# Helpers of seg6local "End.BPF" programs. Loaded by test_helpers.c, not
# run. Kernels built without CONFIG_IPV6_SEG6_BPF offer these helpers to no
# program type: test_helpers then notes that this file cannot load there.
from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_uint8, c_uint32

SEG6_LOCAL_ACTION_END_X = 2
BPF_OK = 0
BPF_DROP = 2


@bpf
@struct
class ipv6_addr:
    bytes: c_uint8 * 16


@bpf
@section("lwt_seg6local")
def seg6(ctx: c_void_p) -> c_int32:
    tag = c_uint32(7)
    n = lwt_seg6_store_bytes(44, tag)  # the size of tag filled in
    n += lwt_seg6_adjust_srh(48, 0)
    nexthop = ipv6_addr()
    n += lwt_seg6_action(SEG6_LOCAL_ACTION_END_X, nexthop)
    if n != 0:
        return BPF_DROP
    return BPF_OK


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
