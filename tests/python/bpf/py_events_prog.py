# py_events_prog.py - a program in the pybpf dialect, compiled by pybpf
# itself for tests/python/test_pybpf_objects.py: on getppid() of the
# process in cfg[0], an @struct event to a ring buffer and a perf event
# array and into a HashMap, and a per-CPU count (the record's seq).
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer, PerfEventArray, HashMap, ArrayMap, PerCPUArrayMap
from pybpf.helper import pid, comm
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class event:
    pid: c_uint32
    seq: c_uint32
    cookie: c_uint64
    comm: str(16)


@bpf
@map
def cfg() -> ArrayMap:
    return ArrayMap(value=c_uint64, max_entries=2)


@bpf
@map
def ring() -> RingBuffer:
    return RingBuffer(max_entries=64 * 1024)


@bpf
@map
def perf() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@map
def last() -> HashMap:
    return HashMap(key=c_uint32, value=event, max_entries=16)


@bpf
@map
def calls() -> PerCPUArrayMap:
    return PerCPUArrayMap(value=c_uint64, max_entries=2)


@bpf
@section("tracepoint/syscalls/sys_enter_getppid")
def on_getppid(ctx: c_void_p) -> c_int32:
    if pid() != cfg[0]:
        return 0
    calls[0] += 1
    e = event()
    e.pid = pid()
    e.seq = c_uint32(calls[0])
    e.cookie = cfg[1]
    comm(e.comm)
    ring.output(e)
    perf.output(e)
    last[e.pid] = e
    global triggered
    triggered = triggered + 1
    if e.seq == 1:
        print(f"first event from {e.pid}")
    return 0


@bpf
@bpfglobal
def triggered() -> c_uint64:
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
