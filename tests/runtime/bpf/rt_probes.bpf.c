/*
 * rt_probes.bpf.c - programs for the explicit attach tests. Their sections
 * name no target, so only the test's explicit attach calls attach them.
 *   tp_any        tracepoint: counts this process's calls in hits[0]
 *   raw_any       raw tracepoint (sys_enter): counts getppid() in hits[1]
 *   kp_any        kprobe: hits[2] (this kernel has no kprobes: attach fails)
 *   up_entry      uprobe: hits[3]++, the first argument summed in sums[0]
 *   up_return     uretprobe: hits[4]++, the return value summed in sums[1]
 *   usdt_tick     USDT: hits[5]++, argument 0 summed in sums[2], cookie in sums[3]
 *   on_sample     perf event: this process's samples in hits[6]
 * tp_any, raw_any and on_sample only count the tgid in target[0]; the probes
 * count every process (only the tests' rt_target runs the probed binary).
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <asm/unistd.h>
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/bpf_perf_event.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} target SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} sums SEC(".maps");

static __always_inline void add(void *map, __u32 slot, __u64 value)
{
	__u64 *n = bpf_map_lookup_elem(map, &slot);

	if (n)
		__sync_fetch_and_add(n, value);
}

static __always_inline int is_target(void)
{
	__u32 zero = 0, tgid = bpf_get_current_pid_tgid() >> 32;
	__u32 *want = bpf_map_lookup_elem(&target, &zero);

	return want && *want == tgid;
}

SEC("tracepoint")
int tp_any(void *ctx)
{
	if (is_target())
		add(&hits, 0, 1);
	return 0;
}

SEC("raw_tracepoint")
int raw_any(struct bpf_raw_tracepoint_args *ctx)
{
	if (ctx->args[1] == __NR_getppid && is_target())
		add(&hits, 1, 1);
	return 0;
}

SEC("kprobe")
int kp_any(void *ctx)
{
	add(&hits, 2, 1);
	return 0;
}

SEC("uprobe")
int BPF_KPROBE(up_entry, int x)
{
	add(&hits, 3, 1);
	add(&sums, 0, (__u64)x);
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(up_return, int ret)
{
	add(&hits, 4, 1);
	add(&sums, 1, (__u64)ret);
	return 0;
}

SEC("usdt")
int usdt_tick(struct pt_regs *ctx)
{
	long arg = 0;

	add(&hits, 5, 1);
	if (bpf_usdt_arg(ctx, 0, &arg) == 0)
		add(&sums, 2, (__u64)arg);
	add(&sums, 3, bpf_usdt_cookie(ctx));
	return 0;
}

SEC("perf_event")
int on_sample(struct bpf_perf_event_data *ctx)
{
	if (is_target())
		add(&hits, 6, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
