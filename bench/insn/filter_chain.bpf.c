/* filter_chain - early-exit filters (pid, threads, uid, per-CPU rate)
 * before a ring buffer event is reserved, filled and submitted. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct event {
	__u64 ts;
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 seq;
	char comm[16];
};

struct rate {
	__u64 window_ns;
	__u32 sent;
	__u32 dropped;
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rate);
} rates SEC(".maps");

const volatile __u32 filter_pid = 0;
const volatile __u32 filter_uid = 0xFFFFFFFF;
const volatile _Bool skip_threads = 1;
const volatile __u32 max_per_ms = 100;

SEC("tracepoint/syscalls/sys_enter_unlinkat")
int on_unlink(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid(), now;
	__u32 p = id >> 32, t = (__u32)id, u, zero = 0;
	struct rate *r;
	struct event *e;

	if (filter_pid && p != filter_pid)
		return 0;
	if (skip_threads && p != t)
		return 0;
	u = (__u32)bpf_get_current_uid_gid();
	if (filter_uid != 0xFFFFFFFF && u != filter_uid)
		return 0;
	r = bpf_map_lookup_elem(&rates, &zero);
	if (!r)
		return 0;
	now = bpf_ktime_get_ns();
	if (now - r->window_ns > 1000000) {
		r->window_ns = now;
		r->sent = 0;
	}
	if (r->sent >= max_per_ms) {
		r->dropped += 1;
		return 0;
	}
	r->sent += 1;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 0;
	e->ts = now;
	e->pid = p;
	e->tid = t;
	e->uid = u;
	e->seq = r->sent;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
