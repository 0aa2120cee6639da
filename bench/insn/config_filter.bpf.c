/* config_filter - `const volatile` configuration in .rodata filters events;
 * globals count them. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

const volatile __u32 target_pid = 0;
const volatile __u32 min_uid = 0;
const volatile __u32 sample_every = 1;
const volatile _Bool enabled = 1;

__u64 seen = 0;
__u64 filtered = 0;
__u64 last_ns = 0;

SEC("tracepoint/syscalls/sys_enter_write")
int on_write(void *ctx)
{
	if (!enabled)
		return 0;
	seen += 1;
	if (target_pid && (bpf_get_current_pid_tgid() >> 32) != target_pid) {
		filtered += 1;
		return 0;
	}
	if ((__u32)bpf_get_current_uid_gid() < min_uid) {
		filtered += 1;
		return 0;
	}
	if (sample_every > 1 && seen % sample_every != 0)
		return 0;
	last_ns = bpf_ktime_get_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
