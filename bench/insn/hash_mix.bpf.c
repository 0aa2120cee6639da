/* hash_mix - a jhash-style 32-bit mix (__jhash_final with rol32) of pid,
 * tid and time, bucketed into 256 counters. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define GOLDEN 0x9E3779B9

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} buckets SEC(".maps");

static __always_inline __u32 rol32(__u32 word, unsigned int shift)
{
	return (word << shift) | (word >> ((-shift) & 31));
}

SEC("raw_tp/sys_enter")
int spread(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 a = (__u32)(id >> 32) + GOLDEN;
	__u32 b = (__u32)bpf_get_current_pid_tgid() + GOLDEN;
	__u32 c = (__u32)bpf_ktime_get_ns() + GOLDEN;
	__u32 h;
	__u64 *v;

	c ^= b;
	c -= rol32(b, 14);
	a ^= c;
	a -= rol32(c, 11);
	b ^= a;
	b -= rol32(a, 25);
	c ^= b;
	c -= rol32(b, 16);
	a ^= c;
	a -= rol32(c, 4);
	b ^= a;
	b -= rol32(a, 14);
	c ^= b;
	c -= rol32(b, 24);
	h = (c * 2654435761u) >> 24;
	v = bpf_map_lookup_elem(&buckets, &h);
	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
