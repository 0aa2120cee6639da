/* uidcount - count file opens per user with libbpf-tools'
 * bpf_map_lookup_or_try_init() (maps.bpf.h) and __sync_fetch_and_add. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define EEXIST 17

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} opens SEC(".maps");

static __always_inline void *bpf_map_lookup_or_try_init(void *map, const void *key,
							const void *init)
{
	void *val;
	long err;

	val = bpf_map_lookup_elem(map, key);
	if (val)
		return val;
	err = bpf_map_update_elem(map, key, init, BPF_NOEXIST);
	if (err && err != -EEXIST)
		return 0;
	return bpf_map_lookup_elem(map, key);
}

SEC("tracepoint/syscalls/sys_enter_openat")
int count_open(void *ctx)
{
	__u32 uid = (__u32)bpf_get_current_uid_gid();
	static const __u64 zero;
	__u64 *v = bpf_map_lookup_or_try_init(&opens, &uid, &zero);

	if (v)
		__sync_fetch_and_add(v, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
