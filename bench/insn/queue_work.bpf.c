/* queue_work - producer/consumer through a QUEUE map, ages pushed to a
 * STACK map (BPF_EXIST overwrites the oldest). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct item {
	__u64 ts;
	__u32 pid;
	__u32 kind;
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 1024);
	__type(value, struct item);
} work SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 64);
	__type(value, __u64);
} recent SEC(".maps");

SEC("raw_tp/sys_enter")
int produce(void *ctx)
{
	struct item it = {};

	it.ts = bpf_ktime_get_ns();
	it.pid = bpf_get_current_pid_tgid() >> 32;
	it.kind = 1;
	if (bpf_map_push_elem(&work, &it, 0) != 0)
		return 1; /* full */
	return 0;
}

SEC("raw_tp/sys_exit")
int consume(void *ctx)
{
	struct item it = {};

	for (int i = 0; i < 4; i++) {
		__u64 age;

		if (bpf_map_pop_elem(&work, &it) != 0)
			break;
		age = bpf_ktime_get_ns() - it.ts;
		bpf_map_push_elem(&recent, &age, BPF_EXIST);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
