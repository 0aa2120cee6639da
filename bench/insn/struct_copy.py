# struct_copy - copy a struct out of one map, change the copy, store it in
# another map; the original stays as it was (a snapshot-and-reset).
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, ktime
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class io_stat:
    reads: c_uint64
    writes: c_uint64
    rbytes: c_uint64
    wbytes: c_uint64
    since_ns: c_uint64
    pid: c_uint32
    flags: c_uint32


@bpf
@map
def live() -> HashMap:
    return HashMap(key=c_uint32, value=io_stat, max_entries=1024)


@bpf
@map
def snapshots() -> HashMap:
    return HashMap(key=c_uint32, value=io_stat, max_entries=1024)


@bpf
@section("tracepoint/syscalls/sys_enter_fsync")
def snapshot(ctx: c_void_p) -> c_int32:
    k = pid()
    cur = live.lookup(k)
    if cur is None:
        return 0
    snap = io_stat()
    snap = cur  # a copy
    snap.flags |= 1
    snap.pid = k
    snapshots.update(k, snap)
    cur.reads = 0
    cur.writes = 0
    cur.since_ns = ktime()
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
