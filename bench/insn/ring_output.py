# ring_output - one event per process exit through a ring buffer, copied
# with output(): a zeroed struct filled field by field.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer
from pybpf.helper import pid, tid, uid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class exit_event:
    pid: c_uint32
    tid: c_uint32
    uid: c_uint32
    cpu: c_uint32
    ts: c_uint64
    comm: str(16)


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=256 * 1024)


@bpf
@section("tracepoint/sched/sched_process_exit")
def on_exit(ctx: c_void_p) -> c_int32:
    e = exit_event()
    e.pid = pid()
    e.tid = tid()
    if e.pid != e.tid:
        return 0  # a thread, not the process
    e.uid = uid()
    e.cpu = smp_processor_id()
    e.ts = ktime()
    comm(e.comm)
    events.output(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
