# @bpfglobal variables: reads, writes with `global`, shadowing locals,
# module-level constants; arrays, structs and strings as globals with their
# initial values; read-only (Final) globals in .rodata.
# EXPECT-TRACE: greeting=hi
from typing import Final
from pybpf import bpf, section, bpfglobal, struct
from ctypes import c_void_p, c_int32, c_int64, c_uint8, c_uint16, c_uint32, c_uint64

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
@struct
class config:
    level: c_uint8
    port: c_uint16
    limit: c_uint64


@bpf
@bpfglobal
def hist() -> c_uint64 * 8:
    return (c_uint64 * 8)()


@bpf
@bpfglobal
def primes() -> c_uint32 * 4:
    return (c_uint32 * 4)(2, 3, 5, 7)


@bpf
@bpfglobal
def squares():
    return (c_uint16 * 3)(0, 1, 4)  # the type comes from the value


@bpf
@bpfglobal
def cfg() -> config:
    return config(level=3, limit=1 << 40)


@bpf
@bpfglobal
def greeting() -> str(8):
    return "hi"


@bpf
@bpfglobal
def max_rate() -> Final[c_uint32]:
    return c_uint32(250)


@bpf
@bpfglobal
def defaults() -> Final[config]:
    return config(7, 8080, 99)


@bpf
@section("raw_tp/sys_enter")
def aggregates(ctx: c_void_p) -> c_int32:
    if primes[0] != 2 or primes[3] != 7 or squares[2] != 4:
        return 1
    i = start + 5  # 2, from a global
    hist[i] += 1
    hist[i] += 1
    hist[0] = primes[1] * 10
    if hist[2] != 2 or hist[0] != 30 or hist[7] != 0:
        return 2
    if cfg.level != 3 or cfg.port != 0 or cfg.limit != 1 << 40:
        return 3
    cfg.port = 443  # fields of a global struct are writable (no `global` needed)
    if cfg.port != 443:
        return 4
    local = config()
    local = cfg  # a copy
    local.level = 9
    if cfg.level != 3:
        return 5
    if max_rate != 250 or defaults.port != 8080 or defaults.limit != 99:
        return 6
    print(f"greeting={greeting}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
