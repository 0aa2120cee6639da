/*
 * rt_core.bpf.c - open options: a CO-RE field read (so loading needs kernel
 * BTF, from btf_custom_path when given) and a map pinned by name (under
 * pin_root_path; the tests always set it).
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct task_struct {
	int tgid;
} __attribute__((preserve_access_index));

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared SEC(".maps");

SEC("raw_tracepoint")
int core_tgid(void *ctx)
{
	struct task_struct *task = (void *)bpf_get_current_task();
	__u32 zero = 0;
	__u64 tgid = (__u64)BPF_CORE_READ(task, tgid);

	bpf_map_update_elem(&shared, &zero, &tgid, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
