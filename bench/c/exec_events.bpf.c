/*
 * exec_events.bpf.c - examples/exec_events.py written in C, as a clang +
 * libbpf user would: one event per exec through the `events` ring buffer.
 *
 * Same as the Python version: the event struct has the same fields in the
 * same order (C layout, 32 bytes), starts zeroed, gets pid() (the process id, upper 32 bits
 * of bpf_get_current_pid_tgid()), uid() (low 32 bits of
 * bpf_get_current_uid_gid()), ktime() and comm(), and is copied into a
 * 256 KiB ring buffer with bpf_ringbuf_output(..., 0).
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct exec_event {
	__u32 pid;
	__u32 uid;
	__u64 ts;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct exec_event e = {};

	e.pid = (__u32)(bpf_get_current_pid_tgid() >> 32);
	e.uid = (__u32)bpf_get_current_uid_gid();
	e.ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e.comm, sizeof(e.comm));
	bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
