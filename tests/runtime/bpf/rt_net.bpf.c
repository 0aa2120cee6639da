/*
 * rt_net.bpf.c - programs for the network attach tests. cfg[0] holds the
 * UDP port the tests send to; XDP and tc count only IPv4 UDP packets to it.
 *   xdp_count     XDP: pkts[0]++, XDP_PASS
 *   xdp_other     XDP: passes everything (replaces xdp_count in a test)
 *   tc_count      tc (direct action): pkts[1]++, TC_ACT_OK
 *   sock_count    socket filter: pkts[2]++; drops when cfg[1] is 1
 *   sock_create   cgroup/sock_create: pkts[3]++; denies when cfg[2] is 1
 *   percpu_bump   raw tracepoint, for test_run on a given CPU: adds args[0]
 *                 to pcpu_array[0] and pcpu_hash[7], returns args[1]
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/pkt_cls.h>
#include <linux/udp.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u32);
} cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} pkts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} pcpu_array SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} pcpu_hash SEC(".maps");

static __always_inline __u32 cfg_get(__u32 slot)
{
	__u32 *v = bpf_map_lookup_elem(&cfg, &slot);

	return v ? *v : 0;
}

static __always_inline void count(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&pkts, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
}

/* An IPv4 UDP packet to the port in cfg[0]? */
static __always_inline int to_port(void *data, void *end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip;
	struct udphdr *udp;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP || ip->ihl != 5)
		return 0;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > end)
		return 0;
	return udp->dest == bpf_htons((__u16)cfg_get(0));
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	if (to_port((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		count(0);
	return XDP_PASS;
}

SEC("xdp")
int xdp_other(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	if (to_port((void *)(long)skb->data, (void *)(long)skb->data_end))
		count(1);
	return TC_ACT_OK;
}

SEC("socket")
int sock_count(struct __sk_buff *skb)
{
	count(2);
	return cfg_get(1) == 1 ? 0 : skb->len;
}

SEC("cgroup/sock_create")
int sock_create(struct bpf_sock *sk)
{
	count(3);
	return cfg_get(2) == 1 ? 0 : 1;
}

SEC("raw_tracepoint")
int percpu_bump(struct bpf_raw_tracepoint_args *ctx)
{
	__u32 zero = 0, seven = 7;
	__u64 *v = bpf_map_lookup_elem(&pcpu_array, &zero), init = ctx->args[0];

	if (v)
		*v += ctx->args[0];
	v = bpf_map_lookup_elem(&pcpu_hash, &seven);
	if (v)
		*v += ctx->args[0];
	else
		bpf_map_update_elem(&pcpu_hash, &seven, &init, BPF_NOEXIST);
	return (int)ctx->args[1];
}

char LICENSE[] SEC("license") = "GPL";
