/* bloom_seen - a bloom filter in front of a hash to spot new processes. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 4096);
	__uint(map_extra, 3);
	__type(value, __u32);
} maybe_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} first_seen SEC(".maps");

SEC("raw_tp/sys_enter")
int check(void *ctx)
{
	__u32 p = bpf_get_current_pid_tgid() >> 32;
	__u64 now;

	if (bpf_map_peek_elem(&maybe_seen, &p) == 0 && bpf_map_lookup_elem(&first_seen, &p))
		return 0;
	bpf_map_push_elem(&maybe_seen, &p, 0);
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&first_seen, &p, &now, BPF_NOEXIST);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
