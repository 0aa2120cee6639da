/*
 * rt_reject.bpf.c - a program the kernel verifier must reject: it reads
 * through a map lookup result without checking it for NULL. The runtime
 * tests expect the load to fail with the verifier's log kept, and that log
 * to point back at this file's source line.
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} values SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getpid")
int deref_unchecked(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&values, &key);

	return *value == 42; /* rejected: value may be NULL */
}

char LICENSE[] SEC("license") = "GPL";
