/* percpu_stats - per-CPU statistics in a PERCPU_ARRAY struct value, updated
 * without atomics. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct cpu_stat {
	__u64 events;
	__u64 bytes;
	__u32 max_size;
	__u32 small;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cpu_stat);
} stats SEC(".maps");

SEC("raw_tp/sys_enter")
int account(void *ctx)
{
	__u32 size = bpf_get_prandom_u32() & 0xFFFF;
	__u32 zero = 0;
	struct cpu_stat *s = bpf_map_lookup_elem(&stats, &zero);

	if (!s)
		return 0;
	s->events += 1;
	s->bytes += size;
	if (size > s->max_size)
		s->max_size = size;
	if (size < 256)
		s->small += 1;
	s->last_ns = bpf_ktime_get_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
