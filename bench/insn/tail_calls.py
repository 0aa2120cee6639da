# tail_calls - a dispatcher that jumps to one of three handlers through a
# ProgArray (filled at load time), falling back when the slot is empty.
from pybpf import bpf, map, section, bpfglobal
from pybpf.maps import ProgArray, ArrayMap
from pybpf.helper import pid, random, atomic_add
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@map
def hits() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=c_uint64, max_entries=4)


@bpf
@section("raw_tp/sys_enter")
def handle_a(ctx: c_void_p) -> c_int32:
    atomic_add(hits[0], 1)
    return 0


@bpf
@section("raw_tp/sys_enter")
def handle_b(ctx: c_void_p) -> c_int32:
    atomic_add(hits[1], random() & 7)
    return 0


@bpf
@section("raw_tp/sys_enter")
def handle_c(ctx: c_void_p) -> c_int32:
    atomic_add(hits[2], pid())
    return 0


@bpf
@map
def handlers() -> ProgArray:
    return ProgArray(max_entries=4, values=[handle_a, handle_b, handle_c])


@bpf
@section("raw_tp/sys_enter")
def dispatch(ctx: c_void_p) -> c_int32:
    handlers.tail_call(pid() % 4)
    atomic_add(hits[3], 1)  # slot 3 is empty: the call falls through
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
