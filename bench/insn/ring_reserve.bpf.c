/* ring_reserve - build the event in place in the ring buffer
 * (bpf_ringbuf_reserve/submit), discarding it when filtered out. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct open_event {
	__u64 ts;
	__u32 pid;
	__u32 uid;
	__u32 flags;
	__s32 ret;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

const volatile __u32 min_uid = 1000;

SEC("tracepoint/syscalls/sys_exit_openat")
int on_open(void *ctx)
{
	struct open_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e)
		return 0;
	e->ts = bpf_ktime_get_ns();
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->flags = 0;
	e->ret = 0;
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	if (e->uid < min_uid) {
		bpf_ringbuf_discard(e, 0);
		return 0;
	}
	bpf_ringbuf_submit(e, 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
