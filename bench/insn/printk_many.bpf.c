/* printk_many - bpf_printk() with six arguments (libbpf switches to
 * bpf_trace_vprintk beyond three). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

SEC("raw_tp/sched_process_fork")
int fork(void *ctx)
{
	bpf_printk("fork pid=%u tid=%u uid=%u gid=%u cpu=%u t=%llu",
		   (__u32)(bpf_get_current_pid_tgid() >> 32), (__u32)bpf_get_current_pid_tgid(),
		   (__u32)bpf_get_current_uid_gid(), (__u32)(bpf_get_current_uid_gid() >> 32),
		   bpf_get_smp_processor_id(), bpf_ktime_get_ns());
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
