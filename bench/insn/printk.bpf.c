/* printk - bpf_printk() lines with 2-3 arguments. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

SEC("tracepoint/syscalls/sys_enter_execve")
int trace_exec(void *ctx)
{
	char comm[16] = {};
	__u32 pid, uid;

	bpf_get_current_comm(comm, sizeof(comm));
	pid = bpf_get_current_pid_tgid() >> 32;
	bpf_printk("exec pid=%u comm=%s", pid, comm);
	uid = (__u32)bpf_get_current_uid_gid();
	if (uid == 0)
		bpf_printk("root exec at %llu by %u", bpf_ktime_get_ns(), pid);
	else
		bpf_printk("user %u exec, pid %x", uid, pid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
