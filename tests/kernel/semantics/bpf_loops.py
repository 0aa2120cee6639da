# bpf_loop with @bpf callbacks: the index runs 0..n-1, returning 1 stops the
# loop early (the result counts the calls made), zero iterations, a state
# struct holding an array, callbacks that use maps, globals and other
# subprograms, the flags argument given or left out.
# EXPECT-MAP: squares 9 5100000000000000
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap
from ctypes import c_void_p, c_int32, c_uint32, c_int64, c_uint64


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def visits() -> c_uint64:
    return c_uint64(0)


@bpf
@struct
class acc:
    sum: c_uint64
    calls: c_uint32
    limit: c_uint32
    seen: c_uint32 * 8


@bpf
@map
def squares() -> HashMap:
    return HashMap(key=c_uint32, value=c_uint64, max_entries=16)


@bpf
def square(x: c_uint64) -> c_uint64:
    return x * x


@bpf
def add_up(i: c_uint64, st: acc) -> c_int64:
    st.sum += i
    st.calls += 1
    st.seen[i] = 1  # out of range for i >= 8: nothing
    return 0


@bpf
def until_limit(i: c_uint64, st: acc) -> c_int64:
    st.calls += 1
    if i >= st.limit:
        return 1  # stop
    st.sum += i
    return 0


@bpf
def fill_map(i: c_uint64, st: acc) -> c_int64:
    global visits
    visits += 1
    squares[i] = square(i)
    return 0


@bpf
@section("raw_tp/sys_enter")
def full_runs(ctx: c_void_p) -> c_int32:
    st = acc()
    n = bpf_loop(10, add_up, st, 0)
    if n != 10 or st.calls != 10 or st.sum != 45:
        return 1
    for k in range(8):
        if st.seen[k] != 1:
            return 2
    st2 = acc()
    if bpf_loop(one * 100, add_up, st2) != 100 or st2.sum != 4950:  # a run-time count
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def early_stop(ctx: c_void_p) -> c_int32:
    st = acc()
    st.limit = 4
    n = bpf_loop(10, until_limit, st)
    if n != 5 or st.calls != 5 or st.sum != 6:  # 0..3 added, stopped at 4
        return 1
    st.limit = 0
    st.calls = 0
    if bpf_loop(10, until_limit, st) != 1 or st.calls != 1:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def no_iterations(ctx: c_void_p) -> c_int32:
    st = acc()
    if bpf_loop(0, add_up, st) != 0 or st.calls != 0:
        return 1
    if loop(one - 1, add_up, st) != 0 or st.sum != 0:  # without bpf_
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def with_maps(ctx: c_void_p) -> c_int32:
    st = acc()
    if bpf_loop(10, fill_map, st) != 10 or visits != 10:
        return 1
    if squares[9] != 81 or squares[3] != 9 or 10 in squares:
        return 2
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
