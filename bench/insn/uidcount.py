# uidcount - count file opens per user with `m[k] += 1`.
#
# The C side uses libbpf-tools' bpf_map_lookup_or_try_init() helper (insert
# zero with BPF_NOEXIST, look up again, then __sync_fetch_and_add), the most
# common way C tools write the same counter.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import HashMap
from pybpf.helper import uid
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def opens() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=1024)


@bpf
@section("tracepoint/syscalls/sys_enter_openat")
def count_open(ctx: c_void_p) -> c_int32:
    opens[uid()] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
