# The other map classes: per-CPU and LRU hashes and arrays, LPM tries,
# queues and stacks, bloom filters, stack traces and prog arrays (tail
# calls), with the methods of each family.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import (PerCPUHashMap, PerCPUArrayMap, LRUHashMap, LRUPerCPUHashMap,
                        LPMTrie, QueueMap, StackMap, BloomFilter, StackTraceMap, ProgArray)
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint32, c_uint64


@bpf
@struct
class ipv4_prefix:
    prefixlen: c_uint32
    addr: c_uint8 * 4


@bpf
@map
def pcpu_hash() -> PerCPUHashMap:
    return PerCPUHashMap(key=c_uint32, value=c_uint64, max_entries=8)


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
    return LRUPerCPUHashMap(key=c_uint32, value=c_uint32, max_entries=8)


@bpf
@map
def routes() -> LPMTrie:
    return LPMTrie(key=ipv4_prefix, value=c_uint32, max_entries=16)


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
def stacks() -> StackTraceMap:
    return StackTraceMap(max_entries=16, depth=32)


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
def per_cpu_and_lru(ctx: c_void_p) -> c_int32:
    pcpu_hash[1] = 10
    pcpu_hash[1] += 5
    if pcpu_hash[1] != 15:
        return 1
    pcpu_array[2] += 7
    if pcpu_array[2] != 7 or pcpu_array[3] != 0:
        return 2
    lru[4] = 40
    if lru[4] != 40 or 5 in lru:
        return 3
    lru_pcpu.update(6, 60)
    if lru_pcpu.lookup(6) != 60:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def lpm(ctx: c_void_p) -> c_int32:
    k = ipv4_prefix()
    k.prefixlen = 8
    k.addr[0] = 10
    routes[k] = 1  # 10.0.0.0/8
    k.prefixlen = 16
    k.addr[1] = 1
    routes[k] = 2  # 10.1.0.0/16
    q = ipv4_prefix()
    q.prefixlen = 32
    q.addr[0] = 10
    q.addr[1] = 1
    q.addr[2] = 2
    q.addr[3] = 3
    if routes[q] != 2:  # longest prefix wins
        return 1
    q.addr[1] = 2
    if routes[q] != 1:
        return 2
    q.addr[0] = 11
    if q in routes:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def queues(ctx: c_void_p) -> c_int32:
    for i in range(3):
        if fifo.push(i + 1) != 0 or lifo.push(i + 10) != 0:
            return 1
    if fifo.peek() != 1 or lifo.peek() != 12:
        return 2
    if fifo.pop() != 1 or fifo.pop() != 2:
        return 3
    if lifo.pop() != 12 or lifo.pop() != 11:
        return 4
    v = c_uint32(0)
    if fifo.pop(v) != 0 or v != 3:
        return 5
    if fifo.pop(v) != -2:  # empty: -ENOENT
        return 6
    if fifo.pop() != 0:  # empty: zero
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def bloom(ctx: c_void_p) -> c_int32:
    if seen.push(5) != 0:
        return 1
    if 5 not in seen or seen.peek(5) != 0:
        return 2
    if 6 in seen and 7 in seen and 8 in seen:  # at worst a rare false positive
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def stack_ids(ctx: c_void_p) -> c_int32:
    if stacks.get_stackid() < 0:  # the kernel stack under the test run was stored
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def tail_calls(ctx: c_void_p) -> c_int32:
    progs.tail_call(0)  # tail_target returns 0 for us
    return 1  # only reached when the tail call fails


@bpf
@section("raw_tp/sys_enter")
def tail_call_missing(ctx: c_void_p) -> c_int32:
    progs.tail_call(2)  # no program at index 2: the call falls through
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
