/*
 * py_test.bpf.c - the BPF programs of the Python package tests
 * (tests/python/test_*.py): maps of each kind, events through ring and perf
 * buffers and trace_pipe, probes, XDP, globals.
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct event {
	__u32 pid;
	__u32 seq;
	__u64 ts;
	char comm[16];
};

/* globals: the traced process and a nonce (rodata, set before load), counters */
const volatile __u32 target_pid = 0;
const volatile __u32 nonce = 0;
__u64 hits = 0;		 /* .bss */
__u32 step = 1;		 /* .data: added to seq */
char label[8] = "pybpf"; /* .data */

/* maps of each kind, written and read from Python */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __s64);
} array_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} percpu_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} percpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8);
	__type(key, __u64);
	__type(value, __u32);
} lru_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct event);
} struct_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u32);
} queue_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

/* events */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} seqs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_events SEC(".maps");

/* counts per program (key: 0 getpid tp, 1 raw tp, 2 uprobe, 3 uretprobe, 4 xdp, 5 kprobe) */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

static void bump(__u32 idx)
{
	__u64 *c = bpf_map_lookup_elem(&counters, &idx);

	if (c)
		__sync_fetch_and_add(c, 1);
}

static int is_target(void)
{
	return target_pid && (bpf_get_current_pid_tgid() >> 32) == target_pid;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	struct event e = {};
	__u64 seq;

	if (!is_target())
		return 0;
	bump(0);
	seq = __sync_fetch_and_add(&hits, 1) + step;
	e.pid = target_pid;
	e.seq = (__u32)seq;
	e.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	bpf_ringbuf_output(&seqs, &seq, sizeof(seq), 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	bpf_printk("pybpf-py-marker nonce=%u seq=%llu", nonce, seq);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int on_sys_enter(void *ctx)
{
	if (is_target())
		bump(1);
	return 0;
}

SEC("uprobe")
int on_uprobe(void *ctx)
{
	if (is_target())
		bump(2);
	return 0;
}

SEC("uretprobe")
int on_uretprobe(void *ctx)
{
	if (is_target())
		bump(3);
	return 0;
}

SEC("kprobe")
int on_kprobe(void *ctx)
{
	if (is_target())
		bump(5);
	return 0;
}

SEC("xdp")
int on_xdp(struct xdp_md *ctx)
{
	bump(4);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
