# Helpers that read the current task, checked against what the test process
# knows about itself (raw tracepoints run in the caller's context under
# BPF_PROG_TEST_RUN).
# CHECK-CONTEXT: out
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import ArrayMap
from pybpf.helper import pid, tid, uid, gid, ktime, smp_processor_id, comm, random
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@struct
class context:
    pid: c_uint32
    tid: c_uint32
    uid: c_uint32
    gid: c_uint32
    ktime: c_uint64
    cpu: c_uint32
    pad: c_uint32
    comm: str(16)


@bpf
@map
def out() -> ArrayMap:
    return ArrayMap(key=c_uint32, value=context, max_entries=1)


@bpf
@section("raw_tp/sys_enter")
def fill(ctx: c_void_p) -> c_int32:
    c = context()
    c.pid = pid()
    c.tid = tid()
    c.uid = uid()
    c.gid = gid()
    c.ktime = ktime()
    c.cpu = smp_processor_id()
    comm(c.comm)
    out.update(0, c)
    return 0


@bpf
@section("raw_tp/sys_enter")
def randomness(ctx: c_void_p) -> c_int32:
    # 8 draws of a 32-bit random number are not all equal
    first = random()
    same = 1
    for i in range(8):
        if random() != first:
            same = 0
    return same


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
