/* lru_flows - per-flow accounting in an LRU hash keyed by a struct. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct flow_val {
	__u64 packets;
	__u64 bytes;
	__u64 first_ns;
	__u64 last_ns;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} flows SEC(".maps");

SEC("raw_tp/sys_enter")
int account(void *ctx)
{
	__u32 r = bpf_get_prandom_u32();
	struct flow_key k = {};
	struct flow_val *v, n = {};
	__u32 size;
	__u64 now;

	k.saddr = bpf_get_current_pid_tgid() >> 32;
	k.daddr = (__u32)bpf_get_current_pid_tgid();
	k.sport = r;
	k.dport = r >> 16;
	k.proto = 6;
	size = (r & 0x3FF) + 64;
	now = bpf_ktime_get_ns();
	v = bpf_map_lookup_elem(&flows, &k);
	if (v) {
		v->packets += 1;
		v->bytes += size;
		v->last_ns = now;
		return 0;
	}
	n.packets = 1;
	n.bytes = size;
	n.first_ns = now;
	n.last_ns = now;
	bpf_map_update_elem(&flows, &k, &n, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
