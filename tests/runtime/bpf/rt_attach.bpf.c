/*
 * rt_attach.bpf.c - programs for the attach_all tests, in this order:
 *   tp_getppid     tracepoint: counts the test's getppid() calls in hits[0]
 *   raw_sys_enter  raw tracepoint: counts the same calls in hits[1]
 *   xdp_pass       XDP: libbpf cannot auto-attach it, attach_all skips it
 *   tp_missing     tracepoint that does not exist: attaching it fails
 * The test process writes its tgid into target[0] after loading.
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <asm/unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void hit(__u32 slot)
{
	__u32 zero = 0, tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 *want = bpf_map_lookup_elem(&target, &zero);
	__u64 *n;

	if (!want || *want != tgid)
		return;
	n = bpf_map_lookup_elem(&hits, &slot);
	if (n)
		__sync_fetch_and_add(n, 1);
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int tp_getppid(void *ctx)
{
	hit(0);
	return 0;
}

SEC("raw_tracepoint/sys_enter")
int raw_sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == __NR_getppid)
		hit(1);
	return 0;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("tracepoint/syscalls/sys_enter_pybpf_no_such_syscall")
int tp_missing(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
