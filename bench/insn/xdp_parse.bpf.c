/* xdp_parse - XDP parsing of Ethernet / IPv4 / UDP headers copied out with
 * bpf_xdp_load_bytes() (pybpf has no direct packet access, so both sides
 * use the helper); per-protocol per-CPU counters; UDP to port 9 dropped.
 * Each header struct is zeroed where it is first used, as in the Python. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
/* clang-format on */

struct counter {
	__u64 packets;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, struct counter);
} proto_count SEC(".maps");

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	struct ethhdr eth = {};
	struct counter *c;
	__u32 ihl, proto;

	if (bpf_xdp_load_bytes(ctx, 0, &eth, sizeof(eth)) < 0)
		return XDP_PASS;
	if (eth.h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr ip = {};
	if (bpf_xdp_load_bytes(ctx, sizeof(eth), &ip, sizeof(ip)) < 0)
		return XDP_PASS;
	ihl = ip.ihl;
	if (ihl < 5)
		return XDP_DROP;
	proto = ip.protocol;
	c = bpf_map_lookup_elem(&proto_count, &proto);
	if (c) {
		c->packets += 1;
		c->bytes += bpf_ntohs(ip.tot_len);
	}
	if (ip.protocol != IPPROTO_UDP)
		return XDP_PASS;
	struct udphdr udp = {};
	if (bpf_xdp_load_bytes(ctx, sizeof(eth) + ihl * 4, &udp, sizeof(udp)) < 0)
		return XDP_PASS;
	if (udp.dest == bpf_htons(9))
		return XDP_DROP;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
