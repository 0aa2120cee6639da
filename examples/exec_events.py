# exec_events.py - stream one event per exec through a ring buffer.
#
# Each event is a @struct with the process id, user id, a timestamp and the
# new program's command name (comm).
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer
from pybpf.helper import pid, uid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class exec_event:
    pid: c_uint32
    uid: c_uint32
    ts: c_uint64
    comm: str(16)


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=256 * 1024)


@bpf
@section("tracepoint/sched/sched_process_exec")
def on_exec(ctx: c_void_p) -> c_int32:
    e = exec_event()
    e.pid = pid()
    e.uid = uid()
    e.ts = ktime()
    comm(e.comm)
    events.output(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
