/* latency - syscall latency: entry time per thread in a hash, the delta at
 * exit counted in a log2 histogram (usecs), plus a global total. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, __u64);
} start SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 27);
	__type(key, __u32);
	__type(value, __u64);
} hist SEC(".maps");

__u64 total_ns = 0;

SEC("raw_tp/sys_enter")
int enter(void *ctx)
{
	__u64 ts = bpf_ktime_get_ns(); /* Python evaluates the value first */
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	bpf_map_update_elem(&start, &tid, &ts, BPF_ANY);
	return 0;
}

SEC("raw_tp/sys_exit")
int leave(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	__u64 *ts = bpf_map_lookup_elem(&start, &tid);
	__u64 delta, us, *count;
	__u32 slot = 0;

	if (!ts)
		return 0;
	delta = bpf_ktime_get_ns() - *ts;
	bpf_map_delete_elem(&start, &tid);
	__sync_fetch_and_add(&total_ns, delta);
	us = delta / 1000;
	while (us > 0 && slot < 26) {
		us >>= 1;
		slot++;
	}
	count = bpf_map_lookup_elem(&hist, &slot);
	if (count)
		__sync_fetch_and_add(count, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
