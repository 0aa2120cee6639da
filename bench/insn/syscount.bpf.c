/* syscount - count system calls per process: the lookup /
 * __sync_fetch_and_add / update(BPF_NOEXIST) idiom, retrying the add when
 * another CPU inserted the key first (what `counts[pid()] += 1` means). */
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
} counts SEC(".maps");

SEC("raw_tp/sys_enter")
int sys_enter(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 *v = bpf_map_lookup_elem(&counts, &pid);

	if (v) {
		__sync_fetch_and_add(v, 1);
	} else {
		__u64 one = 1;

		if (bpf_map_update_elem(&counts, &pid, &one, BPF_NOEXIST)) {
			v = bpf_map_lookup_elem(&counts, &pid);
			if (v)
				__sync_fetch_and_add(v, 1);
		}
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
