/* linear_hist - a linear histogram of the time between events: 20 buckets
 * of 50 us plus overflow, in a global array (index checked), with count
 * and sum. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define BUCKETS 20
#define STEP_NS 50000

__u64 buckets[BUCKETS + 1];
__u64 last_ns = 0;
__u64 count = 0;
__u64 sum_ns = 0;

SEC("raw_tp/sys_exit")
int record(void *ctx)
{
	__u64 now = bpf_ktime_get_ns(), delta, b;

	if (last_ns == 0) {
		last_ns = now;
		return 0;
	}
	delta = now - last_ns;
	last_ns = now;
	b = delta / STEP_NS;
	if (b > BUCKETS)
		b = BUCKETS;
	buckets[b] += 1;
	count += 1;
	sum_ns += delta;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
