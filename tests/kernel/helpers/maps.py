# Every map class, with the map flags pybpf supports, and the helpers that
# work on maps, ring buffers, spin locks, timers, dynptrs and callbacks.
# Raw tracepoint programs (and tc ones where tracing programs may not go):
# loaded by test_helpers.c, not run.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import (HashMap, ArrayMap, PerCPUHashMap, PerCPUArrayMap, LRUHashMap,
                        LRUPerCPUHashMap, LPMTrie, PerfEventArray, RingBuffer, StackTraceMap,
                        QueueMap, StackMap, BloomFilter, ProgArray, ArrayOfMaps, HashOfMaps,
                        BPF_F_NO_PREALLOC,
                        BPF_F_NO_COMMON_LRU, BPF_F_MMAPABLE, BPF_F_ZERO_SEED, BPF_F_RDONLY_PROG,
                        BPF_F_WRONLY_PROG, BPF_F_NUMA_NODE, BPF_NOEXIST, BPF_EXIST, BPF_ANY)
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64

CLOCK_MONOTONIC = 1


@bpf
@struct
class ipv4_prefix:
    prefixlen: c_uint32
    addr: c_uint8 * 4


@bpf
@struct
class event:
    pid: c_uint32
    cpu: c_uint32
    time: c_uint64


@bpf
@struct
class bpf_spin_lock:  # the kernel finds the lock by this BTF name
    val: c_uint32


@bpf
@struct
class locked:
    lock: bpf_spin_lock
    count: c_uint32


@bpf
@struct
class bpf_timer:  # likewise: 16 bytes, 8-aligned
    opaque: c_uint64 * 2


@bpf
@struct
class timed:
    timer: bpf_timer
    fired: c_uint64


@bpf
@struct
class bpf_dynptr:  # a dynptr lives in a 16-byte stack slot
    opaque: c_uint64 * 2


@bpf
@struct
class walk:
    sum: c_uint64
    n: c_uint32


@bpf
@map
def hash() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=64, flags=BPF_F_NO_PREALLOC)


@bpf
@map
def array() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4, flags=BPF_F_MMAPABLE)


@bpf
@map
def config() -> ArrayMap:
    return ArrayMap(value=c_uint64, max_entries=1, flags=BPF_F_RDONLY_PROG)


@bpf
@map
def log() -> ArrayMap:
    return ArrayMap(value=c_uint64, max_entries=1, flags=BPF_F_WRONLY_PROG)


@bpf
@map
def on_node() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint32, max_entries=4, flags=BPF_F_NUMA_NODE)


@bpf
@map
def pcpu_hash() -> PerCPUHashMap:
    return PerCPUHashMap(key=c_uint32, value=c_uint64, max_entries=8, flags=BPF_F_ZERO_SEED)


@bpf
@map
def pcpu_array() -> PerCPUArrayMap:
    return PerCPUArrayMap(value=c_uint64, max_entries=4)


@bpf
@map
def lru() -> LRUHashMap:
    return LRUHashMap(key=c_uint32, value=c_uint32, max_entries=8)


@bpf
@map
def lru_pcpu() -> LRUPerCPUHashMap:
    return LRUPerCPUHashMap(key=c_uint32, value=c_uint32, max_entries=8,
                            flags=BPF_F_NO_COMMON_LRU)


@bpf
@map
def routes() -> LPMTrie:
    return LPMTrie(key=ipv4_prefix, value=c_uint32, max_entries=16)


@bpf
@map
def perf() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@map
def ring() -> RingBuffer:
    return RingBuffer(max_entries=4096)


@bpf
@map
def stacks() -> StackTraceMap:
    return StackTraceMap(max_entries=16, depth=32)


@bpf
@map
def fifo() -> QueueMap:
    return QueueMap(value=c_uint32, max_entries=4)


@bpf
@map
def lifo() -> StackMap:
    return StackMap(value=c_uint64, max_entries=4)


@bpf
@map
def seen() -> BloomFilter:
    return BloomFilter(value=c_uint32, max_entries=64, hashes=3)


@bpf
@map
def locks() -> HashMap:
    return HashMap(key=c_uint32, value=locked, max_entries=4)


@bpf
@map
def timers() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=timed, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def tail_target(ctx: c_void_p) -> c_int32:
    return 0


@bpf
@map
def progs() -> ProgArray:
    return ProgArray(max_entries=4, values=[tail_target])


@bpf
@section("raw_tp/sys_enter")
def keyed(ctx: c_void_p) -> c_int32:
    k = c_uint32(1)
    v = c_uint64(10)
    n = map_update_elem(hash, k, v, BPF_NOEXIST) + map_delete_elem(hash, k)
    if map_lookup_elem(array, k) is None:
        return 1
    array[2] += 1
    n += config[0]
    log[0] = 1
    on_node[1] = 2
    pcpu_hash.update(1, 5, BPF_ANY)
    pcpu_array[0] += 1
    if map_lookup_percpu_elem(pcpu_array, k, 0) is None:
        return 2
    lru[3] = 30
    lru_pcpu.update(4, 40)
    if lru_pcpu.update(4, 41, BPF_EXIST) != 0:
        return 3
    p = ipv4_prefix()
    p.prefixlen = 8
    p.addr[0] = 10
    routes[p] = 1
    return c_int32(n)


@bpf
@section("raw_tp/sys_enter")
def queues(ctx: c_void_p) -> c_int32:
    v = c_uint32(7)
    n = map_push_elem(fifo, v, 0) + map_pop_elem(fifo, v) + map_peek_elem(fifo, v)
    lifo.push(8)
    n += lifo.pop()
    seen.push(v)
    if v in seen:
        n += 1
    return c_int32(n)


@bpf
@section("raw_tp/sys_enter")
def outputs(ctx: c_void_p) -> c_int32:
    e = event()
    e.pid = c_uint32(get_current_pid_tgid() >> 32)
    n = ringbuf_output(ring, e, 0) + perf.output(e)
    r = ringbuf_reserve(ring, 16, 0)
    if r:
        ringbuf_submit(r, 0)
    d = ring.reserve(event)
    if d:
        ringbuf_discard(d, 0)
    n += c_int64(ringbuf_query(ring, 0))
    n += stacks.get_stackid(0)
    return c_int32(n)


@bpf
@map
def arrays() -> ArrayOfMaps:
    return ArrayOfMaps(max_entries=2, values=[array])


@bpf
@map
def hashes() -> HashOfMaps:
    return HashOfMaps(key=c_uint32, inner=hash, max_entries=2, flags=BPF_F_NO_PREALLOC)


@bpf
@section("raw_tp/sys_enter")
def maps_of_maps(ctx: c_void_p) -> c_int32:
    a = arrays[0]
    h = hashes.lookup(1)
    if a is None or h is None:
        return 1
    p = map_lookup_elem(a, 0)  # an inner map passed to a helper
    return 0 if p is None else 2


@bpf
@section("raw_tp/sys_enter")
def tail_calls(ctx: c_void_p) -> c_int32:
    tail_call(ctx, progs, 0)
    progs.tail_call(1)
    return 0


@bpf
@section("tc")  # tracing programs cannot take spin locks
def spin_locks(ctx: c_void_p) -> c_int32:
    v = locks.lookup(0)
    if v is None:
        return 0
    spin_lock(v.lock)
    v.count += 1
    spin_unlock(v.lock)
    return 0


@bpf
def on_timer(m: c_void_p, key: c_void_p, value: c_void_p) -> c_int32:
    return 0


@bpf
@section("tc")  # nor use timers
def timer(ctx: c_void_p) -> c_int32:
    t = timers.lookup(0)
    if t is None:
        return 0
    timer_init(t.timer, timers, CLOCK_MONOTONIC)
    timer_set_callback(t.timer, on_timer)
    timer_start(t.timer, 1000000, 0)
    timer_cancel(t.timer)
    return 0


@bpf
def add_value(m: c_void_p, key: c_void_p, value: c_void_p, w: walk) -> c_int64:
    w.n += 1
    return 0


@bpf
def step(i: c_uint64, w: walk) -> c_int64:
    w.sum += i
    return 0


@bpf
@section("raw_tp/sys_enter")
def callbacks(ctx: c_void_p) -> c_int32:
    w = walk()
    n = for_each_map_elem(hash, add_value, w, 0)
    n += loop(4, step, w, 0)
    return c_int32(n)


@bpf
def on_vma(task: c_void_p, vma: c_void_p, w: walk) -> c_int64:
    w.n += 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def vmas(ctx: c_void_p) -> c_int32:
    w = walk()
    return c_int32(find_vma(get_current_task_btf(), 0x400000, on_vma, w, 0))


@bpf
@section("raw_tp/sys_enter")
def dynptrs(ctx: c_void_p) -> c_int32:
    v = array.lookup(0)
    if v is None:
        return 0
    d = bpf_dynptr()
    n = dynptr_from_mem(v, 8, 0, d)
    x = c_uint64(0)
    n += dynptr_read(x, 8, d, 0, 0) + dynptr_write(d, 0, x, 8, 0)
    if dynptr_data(d, 0, 8) is None:
        n += 1
    r = bpf_dynptr()
    ringbuf_reserve_dynptr(ring, 16, 0, r)
    ringbuf_submit_dynptr(r, 0)
    r2 = bpf_dynptr()
    ringbuf_reserve_dynptr(ring, 16, 0, r2)
    ringbuf_discard_dynptr(r2, 0)
    return c_int32(n)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
