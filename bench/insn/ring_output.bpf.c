/* ring_output - one event per process exit, copied into a ring buffer with
 * bpf_ringbuf_output. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct exit_event {
	__u32 pid;
	__u32 tid;
	__u32 uid;
	__u32 cpu;
	__u64 ts;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	struct exit_event e = {};
	__u64 id = bpf_get_current_pid_tgid();

	e.pid = id >> 32;
	e.tid = (__u32)bpf_get_current_pid_tgid();
	if (e.pid != e.tid)
		return 0; /* a thread, not the process */
	e.uid = (__u32)bpf_get_current_uid_gid();
	e.cpu = bpf_get_smp_processor_id();
	e.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
