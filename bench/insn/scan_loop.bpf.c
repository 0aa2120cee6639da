/* scan_loop - a bounded loop over an array in a map value with continue
 * and break. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define N   16
#define END 0xFFFFFFFFu

struct table {
	__u32 vals[N];
	__u64 sum;
	__u32 used;
	__s32 first_big;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct table);
} tables SEC(".maps");

SEC("raw_tp/sys_enter")
int scan(void *ctx)
{
	__u32 zero = 0;
	struct table *t = bpf_map_lookup_elem(&tables, &zero);
	__u64 total = 0;
	__u32 used = 0;
	__s32 first = -1;

	if (!t)
		return 0;
	for (int i = 0; i < N; i++) {
		__u32 v = t->vals[i];

		if (v == END)
			break;
		if (v == 0)
			continue;
		total += v;
		used++;
		if (first < 0 && v > 1000)
			first = i;
	}
	t->sum = total;
	t->used = used;
	t->first_big = first;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
