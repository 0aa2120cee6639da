/* struct_copy - copy a map value into a local, change it, store it in
 * another map, then reset the original. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct io_stat {
	__u64 reads;
	__u64 writes;
	__u64 rbytes;
	__u64 wbytes;
	__u64 since_ns;
	__u32 pid;
	__u32 flags;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct io_stat);
} live SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct io_stat);
} snapshots SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_fsync")
int snapshot(void *ctx)
{
	__u32 k = bpf_get_current_pid_tgid() >> 32;
	struct io_stat *cur = bpf_map_lookup_elem(&live, &k);
	struct io_stat snap;

	if (!cur)
		return 0;
	snap = *cur;
	snap.flags |= 1;
	snap.pid = k;
	bpf_map_update_elem(&snapshots, &k, &snap, BPF_ANY);
	cur->reads = 0;
	cur->writes = 0;
	cur->since_ns = bpf_ktime_get_ns();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
