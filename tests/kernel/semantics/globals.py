# @bpfglobal variables: reads, writes with `global`, shadowing locals,
# module-level constants.
from pybpf import bpf, section, bpfglobal
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64

LIMIT = 1 << 10
HALF = LIMIT // 2


@bpf
@bpfglobal
def counter() -> c_uint64:
    return c_uint64(0)


@bpf
@bpfglobal
def start() -> c_int32:
    return c_int32(-3)


@bpf
@section("raw_tp/sys_enter")
def writes(ctx: c_void_p) -> c_int32:
    global counter
    if counter != 0 or start != -3:
        return 1
    counter = 5
    counter += 2
    if counter != 7:
        return 2
    return 0


@bpf
@section("raw_tp/sys_enter")
def reads_after(ctx: c_void_p) -> c_int32:
    # runs after `writes` in the same object: globals persist
    if counter != 7:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def shadowing(ctx: c_void_p) -> c_int32:
    start = 10  # a local: the global is untouched
    start += 1
    if start != 11:
        return 1
    return 0


@bpf
@section("raw_tp/sys_enter")
def zz_check_shadow(ctx: c_void_p) -> c_int32:
    if start != -3:
        return 1
    if LIMIT != 1024 or HALF != 512:
        return 2
    x = counter + LIMIT
    if x != 1031:
        return 3
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
