# ring_reserve - build the event in place in the ring buffer: reserve,
# fill, then submit, or discard it when the process is filtered out.
from typing import Final
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer
from pybpf.helper import pid, uid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class open_event:
    ts: c_uint64
    pid: c_uint32
    uid: c_uint32
    flags: c_uint32
    ret: c_int32
    comm: str(16)


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=256 * 1024)


@bpf
@bpfglobal
def min_uid() -> Final[c_uint32]:
    return c_uint32(1000)


@bpf
@section("tracepoint/syscalls/sys_exit_openat")
def on_open(ctx: c_void_p) -> c_int32:
    e = events.reserve(open_event)
    if e is None:
        return 0
    e.ts = ktime()
    e.pid = pid()
    e.uid = uid()
    e.flags = 0
    e.ret = 0
    comm(e.comm)
    if e.uid < min_uid:
        events.discard(e)
        return 0
    events.submit(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
