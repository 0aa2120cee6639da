/* bits - population count (Kernighan), parity by folding, lowest set bit. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct bitstat {
	__u64 ones;
	__u64 odd;
	__u64 low_hist[32];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bitstat);
} stats SEC(".maps");

SEC("raw_tp/sys_enter")
int bits(void *ctx)
{
	__u32 zero = 0, x, v, n = 0, p, low = 0;
	struct bitstat *s = bpf_map_lookup_elem(&stats, &zero);

	if (!s)
		return 0;
	x = bpf_get_prandom_u32();
	v = x;
	for (int i = 0; i < 32; i++) {
		if (v == 0)
			break;
		v &= v - 1;
		n++;
	}
	p = x ^ (x >> 16);
	p ^= p >> 8;
	p ^= p >> 4;
	p ^= p >> 2;
	p ^= p >> 1;
	if (x) {
		while ((x & 1) == 0 && low < 31) {
			x >>= 1;
			low++;
		}
		s->low_hist[low] += 1;
	}
	s->ones += n;
	s->odd += p & 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
