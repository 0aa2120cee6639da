/*
 * hello_world.bpf.c - examples/hello_world.py written in C, as a clang +
 * libbpf user would: on every execve, print "exec at <ns>" to trace_pipe and
 * store the time in `last` under key 0.
 *
 * Same as the Python version: HASH map u64 -> u64 with one entry, two
 * bpf_ktime_get_ns() calls (one for the message, one for the map), no newline
 * in the format (the kernel ends each trace line), update flags BPF_ANY (0).
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u64);
	__type(value, __u64);
} last SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int hello(void *ctx)
{
	__u64 key = 0, now;

	bpf_printk("exec at %llu", bpf_ktime_get_ns());
	now = bpf_ktime_get_ns();
	bpf_map_update_elem(&last, &key, &now, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
