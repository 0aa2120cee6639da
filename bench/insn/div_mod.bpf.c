/* div_mod - unsigned division and remainder by run-time values; the BPF
 * instructions give x / 0 == 0 and x % 0 == x. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct window {
	__u64 sum_ns;
	__u64 count;
	__u64 avg_ns;
	__u64 per_ms;
	__u32 ring_pos;
	__u32 ring_len;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct window);
} win SEC(".maps");

SEC("raw_tp/sys_enter")
int average(void *ctx)
{
	__u32 zero = 0;
	struct window *w = bpf_map_lookup_elem(&win, &zero);
	__u64 d;

	if (!w)
		return 0;
	d = bpf_ktime_get_ns() % 100000;
	w->sum_ns += d;
	w->count += 1;
	w->avg_ns = w->sum_ns / w->count;
	w->per_ms = w->count * 1000000 / (w->sum_ns + 1);
	w->ring_pos = (w->ring_pos + bpf_get_prandom_u32()) % w->ring_len;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
