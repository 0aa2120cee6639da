/* tc_classify - a tc classifier counting IPv4 packets per DSCP class in a
 * per-CPU hash (insert-then-lookup on first use). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
/* clang-format on */

struct cls_stat {
	__u64 packets;
	__u64 tcp;
	__u64 udp;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, struct cls_stat);
} dscp_stats SEC(".maps");

SEC("tc")
int classify(struct __sk_buff *skb)
{
	__u16 h = 0;
	__u8 tos = 0, proto = 0;
	__u32 dscp;
	struct cls_stat *s;

	if (bpf_skb_load_bytes(skb, 12, &h, 2) < 0 || h != bpf_htons(0x0800))
		return TC_ACT_OK;
	if (bpf_skb_load_bytes(skb, 15, &tos, 1) < 0 || bpf_skb_load_bytes(skb, 23, &proto, 1) < 0)
		return TC_ACT_OK;
	dscp = tos >> 2;
	s = bpf_map_lookup_elem(&dscp_stats, &dscp);
	if (!s) {
		struct cls_stat fresh = {};

		bpf_map_update_elem(&dscp_stats, &dscp, &fresh, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&dscp_stats, &dscp);
		if (!s)
			return TC_ACT_OK;
	}
	s->packets += 1;
	if (proto == 6)
		s->tcp += 1;
	else if (proto == 17)
		s->udp += 1;
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "GPL";
