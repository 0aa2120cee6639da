/* lpm_route - longest-prefix match of an IPv4 address in an LPM trie. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct v4_key);
	__type(value, __u32);
} routes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} class_hits SEC(".maps");

static __always_inline void hit(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&class_hits, &slot);

	if (v)
		__sync_fetch_and_add(v, 1);
}

SEC("raw_tp/sys_enter")
int route(void *ctx)
{
	__u32 a = bpf_get_prandom_u32();
	struct v4_key k = {};
	__u32 *cls;

	k.prefixlen = 32;
	k.addr[0] = a >> 24;
	k.addr[1] = a >> 16;
	k.addr[2] = a >> 8;
	k.addr[3] = a;
	cls = bpf_map_lookup_elem(&routes, &k);
	if (!cls) {
		hit(15);
		return 0;
	}
	hit(*cls & 15);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
