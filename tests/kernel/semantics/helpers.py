# Kernel helpers from the catalog (libbpf's bpf_helper_defs.h), called by
# their kernel names with or without bpf_, with the arguments pybpf can fill
# in left out: the context, the size of the buffer before, and flags.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from pybpf.helper import pid, tid, comm
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@struct
class pair:
    a: c_uint64
    b: c_uint64


@bpf
@struct
class loop_state:
    sum: c_uint64
    calls: c_uint32


@bpf
@struct
class text:
    buf: str(32)
    name: str(16)


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
def add_index(index: c_uint64, st: loop_state) -> c_int64:
    st.sum += index
    st.calls += 1
    return 0  # 0: go on, 1: stop


@bpf
@section("raw_tp/sys_enter")
def names_and_prefix(ctx: c_void_p) -> c_int32:
    t1 = bpf_ktime_get_ns()
    t2 = ktime_get_ns()
    if t1 == 0 or t2 < t1:
        return 1
    pt = get_current_pid_tgid()
    if pt >> 32 != pid() or c_uint32(pt) != tid():
        return 2
    if get_smp_processor_id() != bpf_get_smp_processor_id():
        return 3
    if get_current_task() == 0:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def filled_arguments(ctx: c_void_p) -> c_int32:
    src = pair()
    src.a = 0x1122334455667788
    src.b = 42
    dst = pair()
    if probe_read_kernel(dst, src) != 0:  # size: sizeof(dst)
        return 1
    if dst.a != 0x1122334455667788 or dst.b != 42:
        return 2
    if bpf_probe_read_kernel(dst, 8, src) != 0:  # all arguments given
        return 3
    t = text()
    if get_current_comm(t.name) != 0:  # size: sizeof(t.name)
        return 4
    t2 = text()
    comm(t2.name)
    if probe_read_kernel_str(t.buf, t2.name) <= 0:  # copies the NUL-ended string
        return 5
    n = get_stack(t.buf)  # context and size filled in, flags 0
    if n < 0:
        return 6
    return 0


@bpf
@section("raw_tp/sys_enter")
def callbacks(ctx: c_void_p) -> c_int32:
    st = loop_state()
    n = bpf_loop(5, add_index, st)  # flags left out
    if n != 5 or st.calls != 5 or st.sum != 0 + 1 + 2 + 3 + 4:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def maps_by_helper(ctx: c_void_p) -> c_int32:
    k = c_uint32(3)
    v = c_uint64(30)
    if map_update_elem(counts, k, v) != 0:  # flags left out: BPF_ANY
        return 1
    if map_lookup_elem(counts, k) is None:
        return 2
    if counts[3] != 30:
        return 3
    if map_delete_elem(counts, k) != 0 or 3 in counts:
        return 4
    return 0


@bpf
@section("raw_tp/sys_enter")
def strings(ctx: c_void_p) -> c_int32:
    t = text()
    args = pair()
    args.a = 7
    args.b = 35
    n = snprintf(t.buf, "%d-%d", args)  # sizes of t.buf and args filled in
    if n != 5:  # "7-35" and its NUL
        return 1
    r = c_int64(0)
    if strtol("1234", 0, r) != 4 or r != 1234:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
