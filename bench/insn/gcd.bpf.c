/* gcd - Euclid's algorithm in a bounded while loop; the reduced ratio is
 * stored in a map. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct ratio {
	__u64 num;
	__u64 den;
	__u32 rounds;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ratio);
} ratios SEC(".maps");

SEC("raw_tp/sys_enter")
int reduce(void *ctx)
{
	__u64 a = (__u64)bpf_get_prandom_u32() + 1;
	__u64 b = (bpf_ktime_get_ns() & 0xFFFFFF) + 1;
	__u64 x = a, y = b, t;
	__u32 n = 0, zero = 0;
	struct ratio *r;

	while (y != 0 && n < 64) {
		t = x % y;
		x = y;
		y = t;
		n++;
	}
	r = bpf_map_lookup_elem(&ratios, &zero);
	if (!r)
		return 0;
	r->num = a / x;
	r->den = b / x;
	r->rounds = n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
