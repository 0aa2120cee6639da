/* sock_filter - a socket filter keeping TCP packets to or from port 22 or
 * 443 (IPv4, read with bpf_skb_load_bytes). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
/* clang-format on */

struct ports {
	__u16 sport;
	__u16 dport;
};

__u64 kept = 0;

SEC("socket")
int ssh_https(struct __sk_buff *skb)
{
	__u16 proto = 0, s, d;
	__u8 vi = 0, l4 = 0;
	struct ports p = {};

	if (bpf_skb_load_bytes(skb, 12, &proto, 2) < 0 || proto != bpf_htons(0x0800))
		return 0;
	if (bpf_skb_load_bytes(skb, 14, &vi, 1) < 0)
		return 0;
	if (bpf_skb_load_bytes(skb, 23, &l4, 1) < 0 || l4 != 6)
		return 0;
	if (bpf_skb_load_bytes(skb, 14 + (vi & 0xF) * 4, &p, 4) < 0)
		return 0;
	s = bpf_ntohs(p.sport);
	d = bpf_ntohs(p.dport);
	if (s == 22 || d == 22 || s == 443 || d == 443) {
		__sync_fetch_and_add(&kept, 1);
		return -1;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
