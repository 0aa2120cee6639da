/*
 * py_reject.bpf.c - a program the verifier rejects (it reads a hash map value
 * without checking the lookup for NULL), for the error tests.
 */
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
int bad_deref(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&values, &key);

	return (int)*v;
}

char LICENSE[] SEC("license") = "GPL";
