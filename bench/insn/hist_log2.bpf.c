/* hist_log2 - libbpf-tools' branch-free log2l (bits.bpf.h), counted in a
 * global array with a checked index. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

__u64 hist[64];

static __always_inline __u64 log2(__u32 v)
{
	__u32 shift, r;

	r = (v > 0xFFFF) << 4;
	v >>= r;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u64 log2l(__u64 v)
{
	__u32 hi = v >> 32;

	if (hi)
		return log2(hi) + 32;
	else
		return log2(v);
}

SEC("raw_tp/sys_exit")
int sample(void *ctx)
{
	__u64 v = bpf_ktime_get_ns() ^ ((__u64)bpf_get_prandom_u32() << 20);
	__u32 slot = log2l(v);

	if (slot < 64)
		hist[slot] += 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
