# perf_output - events through a perf event array (bpf_perf_event_output on
# the current CPU), the pre-ring-buffer way tools stream records.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerfEventArray
from pybpf.helper import pid, tid, ktime, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class kill_event:
    ts: c_uint64
    pid: c_uint32
    tid: c_uint32
    comm: str(16)


@bpf
@map
def events() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_uint32)


@bpf
@section("tracepoint/syscalls/sys_enter_kill")
def on_kill(ctx: c_void_p) -> c_int32:
    e = kill_event()
    e.ts = ktime()
    e.pid = pid()
    e.tid = tid()
    comm(e.comm)
    events.output(e)
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
