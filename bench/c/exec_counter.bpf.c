/*
 * exec_counter.bpf.c - examples/exec_counter.py written in C, as a clang +
 * libbpf user would: count execve calls per process id in `execs`.
 *
 * Same as the Python version: HASH map u32 -> u64 with 10240 entries; the key
 * is pybpf's pid(), the process id: the upper 32 bits of
 * bpf_get_current_pid_tgid(); an existing count is read and written back plus one,
 * a missing one is created as 1, both with BPF_ANY.
 */
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
} execs SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_execve")
int count_exec(void *ctx)
{
	__u32 p = (__u32)(bpf_get_current_pid_tgid() >> 32);
	__u64 *n = bpf_map_lookup_elem(&execs, &p);
	__u64 value;

	if (n) {
		value = *n + 1;
		bpf_map_update_elem(&execs, &p, &value, BPF_ANY);
	} else {
		value = 1;
		bpf_map_update_elem(&execs, &p, &value, BPF_ANY);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
