/* minmax - per-key count, sum, min and max of a sample. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct summary {
	__u64 count;
	__u64 sum;
	__u32 min;
	__u32 max;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct summary);
} sizes SEC(".maps");

SEC("tracepoint/syscalls/sys_exit_read")
int on_read(void *ctx)
{
	__u32 n = bpf_get_prandom_u32() & 0xFFFFF;
	__u32 k = bpf_get_current_pid_tgid() >> 32;
	struct summary *s = bpf_map_lookup_elem(&sizes, &k);

	if (!s) {
		struct summary first = {};

		first.count = 1;
		first.sum = n;
		first.min = n;
		first.max = n;
		bpf_map_update_elem(&sizes, &k, &first, BPF_ANY);
		return 0;
	}
	s->count += 1;
	s->sum += n;
	if (n < s->min)
		s->min = n;
	if (n > s->max)
		s->max = n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
