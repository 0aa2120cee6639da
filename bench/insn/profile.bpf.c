/* profile - a sampling profiler: samples per (pid, kernel stack, user
 * stack, comm), counted with lookup / __sync_fetch_and_add /
 * update(BPF_NOEXIST) plus the retry `counts[k] += 1` does. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct stack_key {
	__u32 pid;
	__s32 kern_stack_id;
	__s32 user_stack_id;
	char name[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__type(key, struct stack_key);
	__type(value, __u64);
} counts SEC(".maps");

SEC("perf_event")
int do_sample(struct bpf_perf_event_data *ctx)
{
	struct stack_key k = {};
	__u64 *v, one = 1;

	k.pid = bpf_get_current_pid_tgid() >> 32;
	if (k.pid == 0)
		return 0; /* idle */
	bpf_get_current_comm(k.name, sizeof(k.name));
	k.kern_stack_id = bpf_get_stackid(ctx, &stacks, 0);
	k.user_stack_id = bpf_get_stackid(ctx, &stacks, BPF_F_USER_STACK);
	v = bpf_map_lookup_elem(&counts, &k);
	if (v) {
		__sync_fetch_and_add(v, 1);
	} else if (bpf_map_update_elem(&counts, &k, &one, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&counts, &k);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
