# Helpers by their friendly names, by kernel name with and without bpf_, and
# with arguments pybpf fills in: the friendly names agree with the kernel
# helpers, clocks are ordered, string, map and ring buffer helpers give the
# kernel's results.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import QueueMap, HashMap, RingBuffer
from pybpf.helper import pid, tid, uid, gid, ktime, comm, random, smp_processor_id
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64


@bpf
@struct
class names:
    name: str(16)
    other: str(16)


@bpf
@map
def fifo() -> QueueMap:
    return QueueMap(value=c_uint32, max_entries=4)


@bpf
@map
def table() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def ring() -> RingBuffer:
    return RingBuffer(max_entries=8192)


@bpf
@section("raw_tp/sys_enter")
def friendly_names(ctx: c_void_p) -> c_int32:
    pt = bpf_get_current_pid_tgid()
    if pid() != pt >> 32 or tid() != c_uint32(pt):
        return 1
    ug = get_current_uid_gid()
    if uid() != c_uint32(ug) or gid() != ug >> 32:
        return 2
    if smp_processor_id() != bpf_get_smp_processor_id():
        return 3
    t0 = ktime()
    t1 = bpf_ktime_get_ns()
    t2 = ktime_get_ns()
    if t0 == 0 or t1 < t0 or t2 < t1:
        return 4
    r = random()
    if r > 0xFFFFFFFF or get_prandom_u32() > 0xFFFFFFFF:  # 32-bit results
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def clocks(ctx: c_void_p) -> c_int32:
    mono = bpf_ktime_get_ns()
    boot = ktime_get_boot_ns()  # counts suspend too
    if boot < mono:
        return 1
    if jiffies64() == 0 or bpf_jiffies64() == 0:
        return 2
    tai = bpf_ktime_get_tai_ns()  # since 1970
    if tai < mono:
        return 3
    if bpf_ktime_get_ns() < mono:  # monotonic
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def task_helpers(ctx: c_void_p) -> c_int32:
    n = names()
    if get_current_comm(n.name) != 0:
        return 1
    m = names()
    comm(m.other)
    for i in range(16):
        if n.name[i] != m.other[i]:
            return 2
    if n.name[0] != 112 or n.name[5] != 45:  # "pybpf-semtest"
        return 3
    if bpf_strncmp(n.name, 16, "pybpf-semtest") != 0:
        return 4
    if strncmp(n.name, 5, "pybpf") != 0 or strncmp(n.name, 16, "pybpf") == 0:
        return 5
    if get_current_task() == 0 or get_current_cgroup_id() == 0:
        return 6
    if get_numa_node_id() < 0:
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def conversions(ctx: c_void_p) -> c_int32:
    r = c_int64(0)
    if strtol("-0x1F", 0, r) != 5 or r != -31:
        return 1
    if bpf_strtol("077", 0, r) != 3 or r != 63:  # octal
        return 2
    u = c_uint64(0)
    if strtoul("ff", 16, u) != 2 or u != 255:
        return 3
    if strtoul("42abc", 10, u) != 2 or u != 42:  # stops at the first non-digit
        return 4
    if strtol("xyz", 0, r) >= 0:  # no digits: an error
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def map_helpers(ctx: c_void_p) -> c_int32:
    v = c_uint32(7)
    if map_push_elem(fifo, v) != 0 or bpf_map_push_elem(fifo, c_uint32(8), 0) != 0:
        return 1
    out = c_uint32(0)
    if map_peek_elem(fifo, out) != 0 or out != 7:
        return 2
    if bpf_map_pop_elem(fifo, out) != 0 or out != 7:
        return 3
    if map_pop_elem(fifo, out) != 0 or out != 8 or map_pop_elem(fifo, out) != -2:
        return 4
    k = c_uint32(1)
    x = c_uint64(10)
    if bpf_map_update_elem(table, k, x, 1) != 0 or map_update_elem(table, k, x, 1) != -17:
        return 5
    if bpf_map_delete_elem(table, k) != 0 or map_delete_elem(table, k) != -2:
        return 6
    if ringbuf_query(ring, 1) != 8192:  # BPF_RB_RING_SIZE
        return 7
    if bpf_ringbuf_query(ring, 0) != 0:  # BPF_RB_AVAIL_DATA: nothing written
        return 8
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
