/* exec_stats - per-process exec statistics in a struct value, updated in
 * place through the lookup pointer or inserted (BPF_ANY) when missing. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct exec_stat {
	__u64 count;
	__u64 first_ns;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exec_stat);
} stats SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int on_exec(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 now = bpf_ktime_get_ns();
	struct exec_stat *s = bpf_map_lookup_elem(&stats, &pid);

	if (s) {
		s->count += 1;
		s->last_ns = now;
	} else {
		struct exec_stat n = {};

		n.count = 1;
		n.first_ns = now;
		n.last_ns = now;
		bpf_map_update_elem(&stats, &pid, &n, BPF_ANY);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
