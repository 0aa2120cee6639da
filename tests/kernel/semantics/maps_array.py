# ArrayMap in depth: every slot exists and starts at zero, keys are 32-bit
# indexes (negative keys wrap to huge indexes), delete is refused, update
# flags, struct and array values written in place, m[k] op= n. The final
# contents are checked by the harness.
# EXPECT-MAP: nums 0 0500000000000000
# EXPECT-MAP: nums 1 fdffffffffffffff
# EXPECT-MAP: nums 2 0000000000000000
# EXPECT-MAP: nums 3 2a00000000000000
# EXPECT-MAP: recs 1 0700ffff000000000900000000000000
# EXPECT-MAP: grid 0 000000000000000000000000ff000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap, BPF_ANY, BPF_NOEXIST, BPF_EXIST
from ctypes import c_void_p, c_int16, c_uint16, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@struct
class rec:
    a: c_uint16
    b: c_int16
    c: c_uint64


@bpf
@map
def nums() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_int64, max_entries=4)


@bpf
@map
def recs() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=rec, max_entries=2)


@bpf
@map
def grid() -> ArrayMap:
    return ArrayMap(value=c_uint32 * 4, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def slots(ctx: c_void_p) -> c_int32:
    for i in range(4):
        if i not in nums or nums.lookup(i) is None or nums[i] != 0:
            return 1
    if 4 in nums or nums.lookup(4) is not None:
        return 2
    if -one in nums:  # key 0xffffffff
        return 3
    if nums.delete(0) != -22:  # -EINVAL: array slots cannot be deleted
        return 4
    if nums.update(0, 5, BPF_NOEXIST) != -17:  # every slot exists
        return 5
    if nums.update(0, 5, BPF_EXIST) != 0 or nums[0] != 5:
        return 6
    if nums.update(4, 1, BPF_ANY) != -7:  # past the end: -E2BIG
        return 7
    return 0


@bpf
@section("raw_tp/sys_enter")
def item_ops(ctx: c_void_p) -> c_int32:
    i = one
    nums[i] -= 3
    if nums[1] != -3:
        return 1
    nums[i + 2] += 40
    nums[i + 2] += 2
    nums[i + 3] += 9  # past the end: nothing
    if nums[3] != 42 or nums[4] != 0:
        return 2
    del nums[2]  # refused: the slot stays
    if 2 not in nums:
        return 3
    v = nums[3]
    v += 1  # a copy
    if nums[3] != 42:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def struct_values(ctx: c_void_p) -> c_int32:
    p = recs.lookup(1)
    if p is None:
        return 1
    p.a = 7
    p.b = -one
    p.c = 9
    if recs[1].a != 7 or recs[1].b != -1 or recs[1].c != 9:
        return 2
    q = recs.lookup(one * 2)  # past the end
    if q is not None or q.c != 0:
        return 3
    recs[0] = recs[1]
    recs[0].c += 1
    if recs[0].c != 10 or recs[1].c != 9:
        return 4
    recs[0] = rec()  # zeroed again
    if recs[0].a != 0:
        return 5
    return 0


@bpf
@section("raw_tp/sys_enter")
def array_values(ctx: c_void_p) -> c_int32:
    g = grid.lookup(0)
    if g is None:
        return 1
    i = one * 3
    g[i] = 0xFF
    grid[0][i - 1] = 5
    grid[0][i - 1] -= 5
    g[i + 1] = 1  # out of range: nothing
    if grid[0][3] != 255 or grid[0][2] != 0:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
