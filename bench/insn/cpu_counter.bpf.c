/* cpu_counter - count events per CPU in an array slot with
 * __sync_fetch_and_add. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} per_cpu SEC(".maps");

SEC("tracepoint/sched/sched_switch")
int on_switch(void *ctx)
{
	__u32 cpu = bpf_get_smp_processor_id();
	__u64 *v = bpf_map_lookup_elem(&per_cpu, &cpu);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
