/*
 * py_attach.bpf.c - the programs of tests/python/test_attach.py, one per
 * attach kind. cfg[0] holds the UDP port the tests send to: XDP and tc
 * count only IPv4 UDP packets to it. hits[] counts per program:
 *   0 up_entry (uprobe)     1 up_return (uretprobe)    2 xdp_count
 *   3 tc_count (tc)         4 sock_count (socket; drops when cfg[1] is 1)
 *   5 sock_create (cgroup/sock_create; denies when cfg[2] is 1)
 *   6 on_sample (perf_event)
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
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline __u32 cfg_get(__u32 slot)
{
	__u32 *v = bpf_map_lookup_elem(&cfg, &slot);

	return v ? *v : 0;
}

static __always_inline void bump(__u32 slot)
{
	__u64 *n = bpf_map_lookup_elem(&hits, &slot);

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

SEC("uprobe")
int up_entry(void *ctx)
{
	bump(0);
	return 0;
}

SEC("uretprobe")
int up_return(void *ctx)
{
	bump(1);
	return 0;
}

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	if (to_port((void *)(long)ctx->data, (void *)(long)ctx->data_end))
		bump(2);
	return XDP_PASS;
}

SEC("tc")
int tc_count(struct __sk_buff *skb)
{
	if (to_port((void *)(long)skb->data, (void *)(long)skb->data_end))
		bump(3);
	return TC_ACT_OK;
}

SEC("socket")
int sock_count(struct __sk_buff *skb)
{
	bump(4);
	return cfg_get(1) == 1 ? 0 : skb->len;
}

SEC("cgroup/sock_create")
int sock_create(struct bpf_sock *sk)
{
	bump(5);
	return cfg_get(2) == 1 ? 0 : 1;
}

SEC("perf_event")
int on_sample(void *ctx)
{
	bump(6);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
