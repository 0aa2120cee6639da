# printk_many - print() with more than three values: bpf_trace_vprintk with
# the values in a u64 array on the stack.
from pybpf import bpf, section, bpfglobal
from pybpf.helper import pid, tid, uid, gid, ktime, smp_processor_id
from ctypes import c_void_p, c_int32, c_uint32, c_uint64


@bpf
@section("raw_tp/sched_process_fork")
def fork(ctx: c_void_p) -> c_int32:
    print(f"fork pid={pid()} tid={tid()} uid={uid()} gid={gid()} cpu={smp_processor_id()} t={ktime()}")
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
