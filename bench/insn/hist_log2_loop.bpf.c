/* hist_log2_loop - a log2 histogram: the slot is the value's bit length,
 * found with a bounded loop, counted with __sync_fetch_and_add. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define MAX_SLOTS 32

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, MAX_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

SEC("raw_tp/sys_enter")
int sample(void *ctx)
{
	__u32 v = bpf_get_prandom_u32();
	__u32 slot = 0;
	__u64 *count;

	for (int i = 0; i < MAX_SLOTS; i++) {
		if (v == 0)
			break;
		v >>= 1;
		slot++;
	}
	if (slot >= MAX_SLOTS)
		slot = MAX_SLOTS - 1;
	count = bpf_map_lookup_elem(&hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
