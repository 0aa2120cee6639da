# loop_cb - bpf_loop() with a callback subprogram: walk up to 100 steps of
# a pseudo-random sequence, summing and stopping early at a marker.
from pybpf import bpf, section, bpfglobal, struct
from pybpf.helper import random
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64


@bpf
@struct
class walk:
    x: c_uint32
    sum: c_uint64
    steps: c_uint32
    hits: c_uint32


@bpf
@bpfglobal
def result() -> c_uint64:
    return c_uint64(0)


@bpf
def step(index: c_uint32, w: walk) -> c_int64:
    w.x = w.x * 1103515245 + 12345
    w.sum += w.x >> 16
    w.steps += 1
    if (w.x & 0xFF) == 0x42:
        w.hits += 1
        return 1  # stop
    return 0


@bpf
@section("raw_tp/sys_enter")
def run_walk(ctx: c_void_p) -> c_int32:
    global result
    w = walk()
    w.x = random()
    n = bpf_loop(100, step, w, 0)
    result = w.sum + w.hits + n
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
