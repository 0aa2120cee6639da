/* tail_calls - a dispatcher tail-calling one of three handlers through a
 * PROG_ARRAY initialised from the object. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static __always_inline void add(__u32 slot, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);

	if (v)
		__sync_fetch_and_add(v, n);
}

SEC("raw_tp/sys_enter")
int handle_a(void *ctx)
{
	add(0, 1);
	return 0;
}

SEC("raw_tp/sys_enter")
int handle_b(void *ctx)
{
	add(1, bpf_get_prandom_u32() & 7);
	return 0;
}

SEC("raw_tp/sys_enter")
int handle_c(void *ctx)
{
	add(2, bpf_get_current_pid_tgid() >> 32);
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(void *));
} handlers SEC(".maps") = {
	.values = {(void *)&handle_a, (void *)&handle_b, (void *)&handle_c},
};

SEC("raw_tp/sys_enter")
int dispatch(void *ctx)
{
	bpf_tail_call(ctx, &handlers, (__u32)(bpf_get_current_pid_tgid() >> 32) % 4);
	add(3, 1); /* slot 3 is empty: the call falls through */
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
