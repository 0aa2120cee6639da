# profile - a sampling profiler (perf_event program): count samples per
# (pid, kernel stack, user stack) in a hash keyed by a struct, like
# libbpf-tools' profile.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import HashMap, StackTraceMap
from pybpf.helper import pid, comm
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64

BPF_F_USER_STACK = 256


@bpf
@struct
class stack_key:
    pid: c_uint32
    kern_stack_id: c_int32
    user_stack_id: c_int32
    name: str(16)


@bpf
@map
def stacks() -> StackTraceMap:
    return StackTraceMap(max_entries=16384, depth=127)


@bpf
@map
def counts() -> HashMap:
    return HashMap(key=stack_key, value=c_uint64, max_entries=16384)


@bpf
@section("perf_event")
def do_sample(ctx: c_void_p) -> c_int32:
    k = stack_key()
    k.pid = pid()
    if k.pid == 0:
        return 0  # idle
    comm(k.name)
    k.kern_stack_id = stacks.get_stackid(0)
    k.user_stack_id = stacks.get_stackid(BPF_F_USER_STACK)
    counts[k] += 1
    return 0


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
