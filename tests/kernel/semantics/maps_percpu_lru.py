# Per-CPU hashes and arrays (a program sees its CPU's value) and LRU hashes
# (inserting into a full LRU map evicts instead of failing), with lookup,
# update, delete, `in` and m[k] op= n. The harness checks the per-CPU
# values (some CPU holds them).
# EXPECT-MAP: pch 1 0f00000000000000
# EXPECT-MAP: pch 2 none
# EXPECT-MAP: pca 3 0900000005000000
# EXPECT-MAP: lru 19 1300000000000000
# EXPECT-MAP: lrupc 7 fcffffff
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerCPUHashMap, PerCPUArrayMap, LRUHashMap, LRUPerCPUHashMap, BPF_NOEXIST
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class pairs:
    a: c_uint32
    b: c_uint32


@bpf
@map
def pch() -> PerCPUHashMap:
    return PerCPUHashMap(key=c_uint32, value=c_uint64, max_entries=8)


@bpf
@map
def pca() -> PerCPUArrayMap:
    return PerCPUArrayMap(key=c_uint32, value=pairs, max_entries=4)


@bpf
@map
def lru() -> LRUHashMap:
    return LRUHashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@map
def lrupc() -> LRUPerCPUHashMap:
    return LRUPerCPUHashMap(key=c_uint32, value=c_int32, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def percpu_hash(ctx: c_void_p) -> c_int32:
    if 1 in pch or pch[1] != 0:
        return 1
    pch[1] = 10
    pch[1] += one * 5
    if pch[1] != 15 or pch.lookup(1) is None:
        return 2
    if pch.update(1, 0, BPF_NOEXIST) != -17:
        return 3
    pch[2] -= 1  # missing: inserted
    if pch[2] != 0xFFFFFFFFFFFFFFFF:
        return 4
    if pch.delete(2) != 0 or 2 in pch or pch.delete(2) != -2:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def percpu_array(ctx: c_void_p) -> c_int32:
    p = pca.lookup(3)
    if p is None or p.a != 0 or p.b != 0:  # slots exist, zeroed
        return 1
    p.a = 4
    pca[3].a += 5
    pca[3].b = one * 5
    if pca[3].a != 9 or pca[3].b != 5:
        return 2
    if pca.lookup(4) is not None or 4 in pca:
        return 3
    if pca.delete(3) != -22:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def lru_evicts(ctx: c_void_p) -> c_int32:
    for i in range(20):
        if lru.update(i, i) != 0:  # never -E2BIG: old entries are evicted
            return 1
    if lru[19] != 19 or 19 not in lru:  # the newest is there
        return 2
    evicted = 0
    for i in range(20):
        if i not in lru:
            evicted = 1
            break
    if not evicted:
        return 3
    lru[19] += 0
    if lru.delete(19) != 0 or 19 in lru:
        return 4
    lru[19] = 19
    return 0


@bpf
@section("raw_tp/sys_enter")
def lru_percpu(ctx: c_void_p) -> c_int32:
    lrupc[7] = -one
    lrupc[7] -= 3
    if lrupc[7] != -4 or 7 not in lrupc:
        return 1
    lrupc.update(8, 8)
    if lrupc.lookup(8) != 8:
        return 2
    del lrupc[8]
    if 8 in lrupc:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
