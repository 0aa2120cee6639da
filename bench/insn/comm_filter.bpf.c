/* comm_filter - compare the task name with a `const volatile char[16]`
 * in a loop; count matches per pid (lookup / fetch_add / NOEXIST insert
 * with retry, as `m[k] += 1`). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

const volatile char target[16] = "bash";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} matches SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int on_exec(void *ctx)
{
	char buf[16] = {};
	__u32 pid;
	__u64 *v, one = 1;

	bpf_get_current_comm(buf, sizeof(buf));
	for (int i = 0; i < 16; i++) {
		if (buf[i] != target[i])
			return 0;
		if (buf[i] == 0)
			break;
	}
	pid = bpf_get_current_pid_tgid() >> 32;
	v = bpf_map_lookup_elem(&matches, &pid);
	if (v) {
		__sync_fetch_and_add(v, 1);
	} else if (bpf_map_update_elem(&matches, &pid, &one, BPF_NOEXIST)) {
		v = bpf_map_lookup_elem(&matches, &pid);
		if (v)
			__sync_fetch_and_add(v, 1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
