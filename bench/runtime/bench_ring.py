# bench_ring.py - one ring buffer record per run of an XDP program;
# runtime_bench.py runs it with BPF_PROG_TEST_RUN (repeat=N) to fill the
# buffer, then times how fast the records reach a Python callback.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import RingBuffer
from pybpf.helper import ktime
from ctypes import c_void_p, c_int32, c_uint64


@bpf
@struct
class sample:
    seq: c_uint64
    ts: c_uint64


@bpf
@map
def events() -> RingBuffer:
    return RingBuffer(max_entries=1 << 24)


@bpf
@bpfglobal
def seq() -> c_uint64:
    return 0


@bpf
@section("xdp")
def produce(ctx: c_void_p) -> c_int32:
    global seq
    s = sample()
    s.seq = seq
    s.ts = ktime()
    seq = seq + 1
    events.output(s)
    return 2


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
