/* loop_cb - bpf_loop() with a callback: walk a pseudo-random sequence. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct walk {
	__u32 x;
	__u64 sum;
	__u32 steps;
	__u32 hits;
};

__u64 result = 0;

static long step(__u32 index, void *ctx)
{
	struct walk *w = ctx;

	w->x = w->x * 1103515245 + 12345;
	w->sum += w->x >> 16;
	w->steps += 1;
	if ((w->x & 0xFF) == 0x42) {
		w->hits += 1;
		return 1; /* stop */
	}
	return 0;
}

SEC("raw_tp/sys_enter")
int run_walk(void *ctx)
{
	struct walk w = {};
	long n;

	w.x = bpf_get_prandom_u32();
	n = bpf_loop(100, step, &w, 0);
	result = w.sum + w.hits + n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
