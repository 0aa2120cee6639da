# queue_work - producer/consumer through a queue map: one program pushes
# work items, another pops them into a stack map of recent items.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import QueueMap, StackMap
from pybpf.helper import pid, ktime
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@struct
class item:
    ts: c_uint64
    pid: c_uint32
    kind: c_uint32


@bpf
@map
def work() -> QueueMap:
    return QueueMap(value=item, max_entries=1024)


@bpf
@map
def recent() -> StackMap:
    return StackMap(value=c_uint64, max_entries=64)


@bpf
@section("raw_tp/sys_enter")
def produce(ctx: c_void_p) -> c_int32:
    it = item()
    it.ts = ktime()
    it.pid = pid()
    it.kind = 1
    if work.push(it) != 0:
        return 1  # full
    return 0


@bpf
@section("raw_tp/sys_exit")
def consume(ctx: c_void_p) -> c_int32:
    it = item()
    for i in range(4):
        if work.pop(it) != 0:
            break
        recent.push(ktime() - it.ts, 2)  # BPF_EXIST: overwrite the oldest
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
