/* runtime_index - arrays in a map value indexed with run-time values: a
 * stored position (checked, as the verifier requires) and a masked one. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define SLOTS 8

struct ring {
	__u32 pos;
	__u32 sel;
	__u64 vals[SLOTS];
	__u32 per_cpu[SLOTS];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, struct ring);
} rings SEC(".maps");

SEC("raw_tp/sys_enter")
int record(void *ctx)
{
	__u32 key = bpf_get_prandom_u32() & 3;
	struct ring *r = bpf_map_lookup_elem(&rings, &key);
	__u32 i, sel;
	__u64 v;

	if (!r)
		return 0;
	i = r->pos;
	v = bpf_get_prandom_u32(); /* Python evaluates the value before the index */
	if (i < SLOTS)
		r->vals[i] = v;
	r->pos = (i + 1) % SLOTS;
	r->per_cpu[bpf_get_smp_processor_id() & (SLOTS - 1)] += 1;
	sel = r->sel;
	return sel < SLOTS ? (int)r->vals[sel] : 0;
}

char LICENSE[] SEC("license") = "GPL";
