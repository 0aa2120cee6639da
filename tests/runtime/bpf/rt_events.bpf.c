/*
 * rt_events.bpf.c - the runtime tests' main BPF program.
 *
 * On every getpid() of the process named in config[0], it counts the call
 * in the `counts` hash map (key: tgid) and reports it four ways: a struct
 * rt_event in the `events` ring buffer, the sequence number in the `seqs`
 * ring buffer, the same rt_event through the `perf_events` perf buffer, and
 * a marker line in trace_pipe.
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#include "rt_events.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rt_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
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

SEC("tracepoint/syscalls/sys_enter_getpid")
int on_getpid(void *ctx)
{
	__u32 zero = 0;
	struct rt_config *cfg = bpf_map_lookup_elem(&config, &zero);
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct rt_event e = {};
	__u64 *count, seq = 1;

	if (!cfg || cfg->tgid != tgid)
		return 0;
	count = bpf_map_lookup_elem(&counts, &tgid);
	if (count)
		seq = *count + 1;
	bpf_map_update_elem(&counts, &tgid, &seq, BPF_ANY);

	e.pid = tgid;
	e.seq = seq;
	e.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	bpf_ringbuf_output(&seqs, &seq, sizeof(seq), 0);
	bpf_perf_event_output(ctx, &perf_events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	bpf_printk(RT_MARKER " nonce=%u seq=%llu", cfg->nonce, seq);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
