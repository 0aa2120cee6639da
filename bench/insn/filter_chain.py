# filter_chain - the typical tool prologue: several early-exit filters
# (process, user, cgroup-less name prefix, rate) before an event is built
# and sent through a ring buffer.
from typing import Final
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer, PerCPUArrayMap
from pybpf.helper import pid, tid, uid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64, c_bool


@bpf
@struct
class event:
    ts: c_uint64
    pid: c_uint32
    tid: c_uint32
    uid: c_uint32
    seq: c_uint32
    comm: str(16)


@bpf
@struct
class rate:
    window_ns: c_uint64
    sent: c_uint32
    dropped: c_uint32


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=1 << 20)


@bpf
@map
def rates() -> PerCPUArrayMap:
    return PerCPUArrayMap(key=c_uint32, value=rate, max_entries=1)


@bpf
@bpfglobal
def filter_pid() -> Final[c_uint32]:
    return c_uint32(0)


@bpf
@bpfglobal
def filter_uid() -> Final[c_uint32]:
    return c_uint32(0xFFFFFFFF)


@bpf
@bpfglobal
def skip_threads() -> Final[c_bool]:
    return c_bool(1)


@bpf
@bpfglobal
def max_per_ms() -> Final[c_uint32]:
    return c_uint32(100)


@bpf
@section("tracepoint/syscalls/sys_enter_unlinkat")
def on_unlink(ctx: c_void_p) -> c_int32:
    p = pid()
    t = tid()
    if filter_pid and p != filter_pid:
        return 0
    if skip_threads and p != t:
        return 0
    u = uid()
    if filter_uid != 0xFFFFFFFF and u != filter_uid:
        return 0
    r = rates.lookup(0)
    if r is None:
        return 0
    now = ktime()
    if now - r.window_ns > 1000000:
        r.window_ns = now
        r.sent = 0
    if r.sent >= max_per_ms:
        r.dropped += 1
        return 0
    r.sent += 1
    e = events.reserve(event)
    if e is None:
        return 0
    e.ts = now
    e.pid = p
    e.tid = t
    e.uid = u
    e.seq = r.sent
    comm(e.comm)
    events.submit(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
