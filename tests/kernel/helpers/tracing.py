# Helpers of the tracing program types: raw tracepoints, tracepoints,
# kprobes, uprobes, perf events, BTF tracepoints and iterators. Each program
# calls a few helpers by their kernel names (found without an import, as in
# every file here), with arguments the verifier accepts; the arguments
# pybpf can fill in (context, buffer sizes, flags) are often left out.
# test_helpers.c loads every program (it runs none of them) and checks that
# every helper the kernel allows is called somewhere in this directory.
from pybpf import bpf, map, section, bpfglobal, struct
from pybpf.maps import PerfEventArray, StackTraceMap
from ctypes import c_void_p, c_int32, c_int64, c_uint32, c_uint64

BPF_F_CURRENT_CPU = 0xFFFFFFFF


@bpf
@struct
class perf_value:  # struct bpf_perf_event_value
    counter: c_uint64
    enabled: c_uint64
    running: c_uint64


@bpf
@struct
class pidns_info:  # struct bpf_pidns_info
    pid: c_uint32
    tgid: c_uint32


@bpf
@struct
class btf_ptr:  # struct btf_ptr
    ptr: c_uint64
    type_id: c_uint32
    flags: c_uint32


@bpf
@struct
class buffers:  # BPF code has no local arrays: they live in a struct
    text: str(64)
    name: str(16)
    frames: c_uint64 * 16
    branches: c_uint64 * 24  # struct perf_branch_entry: 24 bytes


@bpf
@struct
class sample:
    pid: c_uint32
    cpu: c_uint32
    time: c_uint64


@bpf
@map
def counters() -> PerfEventArray:
    return PerfEventArray(key_size=c_int32, value_size=c_int32)


@bpf
@map
def stacks() -> StackTraceMap:
    return StackTraceMap(max_entries=64, depth=16)


@bpf
@section("raw_tp/sys_enter")
def clocks(ctx: c_void_p) -> c_int32:
    t = ktime_get_ns() + ktime_get_boot_ns() + ktime_get_tai_ns() + jiffies64()
    return c_int32(t == 0)


@bpf
@section("raw_tp/sys_enter")
def current_task(ctx: c_void_p) -> c_int32:
    id = get_current_pid_tgid() + get_current_uid_gid()
    b = buffers()
    get_current_comm(b.name)
    cpu = get_smp_processor_id() + get_numa_node_id()
    cg = get_current_cgroup_id() + get_current_ancestor_cgroup_id(1)
    classid = get_cgroup_classid(ctx)
    r = get_prandom_u32()
    ns = pidns_info()
    get_ns_current_pid_tgid(0, 0, ns)
    return c_int32(id + cpu + cg + classid + r + ns.pid == 0)


@bpf
@section("raw_tp/sys_enter")
def task_pointers(ctx: c_void_p) -> c_int32:
    if get_current_task() == 0:
        return 1
    task = get_current_task_btf()
    b = buffers()
    if get_task_stack(task, b.frames, 0) < 0:
        return 2
    if task_pt_regs(task) == 0:
        return 3
    return 0


@bpf
@section("raw_tp/sys_enter")
def reading_memory(ctx: c_void_p) -> c_int32:
    addr = c_uint64(get_current_task())
    word = c_uint64(0)
    b = buffers()
    n = probe_read_kernel(word, addr) + probe_read_kernel_str(b.text, addr)
    n += probe_read_user(word, 0x1000) + probe_read_user_str(b.text, 0x1000)
    n += probe_read(word, addr) + probe_read_str(b.text, addr)
    return c_int32(n == 0)


@bpf
@section("raw_tp/sys_enter")
def stacks_and_counters(ctx: c_void_p) -> c_int32:
    b = buffers()
    n = get_stack(b.frames) + get_stackid(ctx, stacks, 0)
    n += c_int64(perf_event_read(counters, BPF_F_CURRENT_CPU))
    v = perf_value()
    n += perf_event_read_value(counters, BPF_F_CURRENT_CPU, v)
    n += get_branch_snapshot(b.branches)
    return c_int32(n == 0)


@bpf
@section("raw_tp/sys_enter")
def perf_output(ctx: c_void_p) -> c_int32:
    s = sample()
    s.pid = c_uint32(get_current_pid_tgid() >> 32)
    s.time = ktime_get_ns()
    return c_int32(perf_event_output(counters, BPF_F_CURRENT_CPU, s))


@bpf
@section("raw_tp/sys_enter")
def formatting(ctx: c_void_p) -> c_int32:
    b = buffers()
    b.frames[0] = 7
    b.frames[1] = 35
    n = snprintf(b.text, "%d-%d", b.frames)
    print("four values:", n, b.frames[0], b.frames[1], ktime_get_ns())  # trace_vprintk
    v = c_int64(0)
    u = c_uint64(0)
    n += strtol("-12", 0, v) + strtoul("34", 0, u)
    n += strncmp("abc", "abd")
    p = btf_ptr()
    p.ptr = get_current_task()
    p.type_id = 1
    n += snprintf_btf(b.text, p, 0)
    return c_int32(n == 0)


@bpf
@section("raw_tp/sys_enter")
def signals(ctx: c_void_p) -> c_int32:
    if get_current_pid_tgid() != 0:  # never: pid 0 makes no syscalls
        return 0
    return c_int32(send_signal(0) + send_signal_thread(0))


@bpf
@section("tracepoint/syscalls/sys_enter_getpid")
def tracepoint(ctx: c_void_p) -> c_int32:
    return c_int32(get_attach_cookie(ctx) == 1)


@bpf
@section("raw_tp.w/sys_enter")
def writable_raw_tracepoint(ctx: c_void_p) -> c_int32:
    return c_int32(get_attach_cookie(ctx) == 1)


@bpf
@section("tp_btf/sys_enter")
def btf_tracepoint(ctx: c_void_p) -> c_int32:
    b = buffers()
    return c_int32(get_task_stack(get_current_task_btf(), b.frames, 0) < 0)


@bpf
@section("iter/task")
def task_iterator(ctx: c_void_p) -> c_int32:
    # seq_printf() needs ctx->meta->seq: pybpf cannot read context fields yet
    return c_int32(get_current_cgroup_id() == 0)


@bpf
@section("uprobe")
def user_probe(ctx: c_void_p) -> c_int32:
    return c_int32(get_func_ip(ctx) + get_attach_cookie(ctx) == 0)


@bpf
@section("kprobe/do_nanosleep")
def kprobe_context(ctx: c_void_p) -> c_int32:
    ip = get_func_ip(ctx)
    cookie = get_attach_cookie(ctx)
    return c_int32(ip + cookie == 0)


@bpf
@section("kprobe.multi/do_nanosleep")
def kprobe_multi(ctx: c_void_p) -> c_int32:
    return c_int32(get_func_ip(ctx) == get_attach_cookie(ctx))


@bpf
@section("perf_event")
def perf_event_context(ctx: c_void_p) -> c_int32:
    v = perf_value()
    n = perf_prog_read_value(v)
    b = buffers()
    n += read_branch_records(b.branches, 0)
    return c_int32(n)


@bpf
@bpfglobal
def LICENSE() -> str:
    return "GPL"
