# Tail calls through a ProgArray: constant and run-time indexes, a chain of
# two tail calls, empty slots and indexes past the end falling through. Each
# target counts its runs in a global; the last program checks the counts of
# every earlier run (programs of one section run in source order).
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ProgArray
from ctypes import c_void_p, c_int32, c_int64, c_uint32


@bpf
@bpfglobal
def one() -> c_int64:
    return c_int64(1)


@bpf
@bpfglobal
def runs0() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def runs1() -> c_uint32:
    return c_uint32(0)


@bpf
@bpfglobal
def runs2() -> c_uint32:
    return c_uint32(0)


@bpf
@section("raw_tp/sys_enter")
def target0(ctx: c_void_p) -> c_int32:
    global runs0
    runs0 += 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def target2(ctx: c_void_p) -> c_int32:
    global runs2
    runs2 += 1
    return 0


@bpf
@map
def jump() -> ProgArray:
    return ProgArray(max_entries=4, values=[target0, None, target2])


@bpf
@section("raw_tp/sys_enter")
def target1(ctx: c_void_p) -> c_int32:
    global runs1
    runs1 += 1
    jump.tail_call(2)  # a chain: target1 -> target2
    return 11


@bpf
@section("raw_tp/sys_enter")
def by_constant(ctx: c_void_p) -> c_int32:
    jump.tail_call(0)
    return 1


@bpf
@section("raw_tp/sys_enter")
def by_runtime_index(ctx: c_void_p) -> c_int32:
    i = one * 2
    jump.tail_call(i)
    return 1


@bpf
@section("raw_tp/sys_enter")
def falls_through(ctx: c_void_p) -> c_int32:
    jump.tail_call(1)  # slot 1 is empty (filled only by userspace)
    jump.tail_call(3)
    jump.tail_call(one * 4)  # past the end
    jump.tail_call(-one)
    return 0


@bpf
@section("raw_tp/sys_enter")
def zz_counts(ctx: c_void_p) -> c_int32:
    # target0: itself, by_constant; target2: itself, target1's chain,
    # by_runtime_index; target1 only ran on its own
    if runs0 != 2:
        return 1
    if runs1 != 1:
        return 2
    if runs2 != 3:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
