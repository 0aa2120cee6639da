/* subprogs - BPF-to-BPF calls (static __noinline functions): integer
 * arguments and a struct by pointer. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct bucket {
	__u64 tokens;
	__u64 last_ns;
	__u64 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct bucket);
} buckets SEC(".maps");

static __noinline __u64 clamp(__u64 v, __u64 lo, __u64 hi)
{
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return v;
}

static __noinline __u64 refill(struct bucket *b, __u64 now, __u64 rate, __u64 burst)
{
	__u64 elapsed = now - b->last_ns;

	b->tokens = clamp(b->tokens + (elapsed >> 20) * rate, 0, burst);
	b->last_ns = now;
	return b->tokens;
}

static __noinline int take(struct bucket *b, __u64 cost)
{
	if (b->tokens < cost) {
		b->drops += 1;
		return 0;
	}
	b->tokens -= cost;
	return 1;
}

SEC("raw_tp/sys_enter")
int limit(void *ctx)
{
	__u32 k = bpf_get_current_pid_tgid() >> 32;
	struct bucket *b = bpf_map_lookup_elem(&buckets, &k);

	if (!b) {
		struct bucket fresh = {};

		fresh.tokens = 64;
		fresh.last_ns = bpf_ktime_get_ns();
		bpf_map_update_elem(&buckets, &k, &fresh, BPF_ANY);
		return 0;
	}
	refill(b, bpf_ktime_get_ns(), 4, 64);
	return take(b, 1 + (bpf_get_prandom_u32() & 3));
}

char LICENSE[] SEC("license") = "GPL";
