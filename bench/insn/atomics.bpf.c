/* atomics - __sync builtins: fetch-and-add sequence numbers, a
 * compare-and-swap high-water mark, atomic or of flag bits. */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct shared {
	__u64 inflight;
	__u64 peak;
	__u64 flags;
	__u64 last_seq;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct shared);
} state SEC(".maps");

__u64 seq = 0;

SEC("raw_tp/sys_enter")
int track(void *ctx)
{
	__u32 zero = 0;
	struct shared *s = bpf_map_lookup_elem(&state, &zero);
	__u64 n;

	if (!s)
		return 0;
	n = __sync_fetch_and_add(&s->inflight, 1) + 1;
	for (int i = 0; i < 4; i++) { /* raise the peak to n unless it is higher */
		__u64 old = s->peak;

		if (old >= n)
			break;
		if (__sync_val_compare_and_swap(&s->peak, old, n) == old)
			break;
	}
	__sync_fetch_and_or(&s->flags, 1ull << ((bpf_get_current_pid_tgid() >> 32) & 63));
	s->last_seq = __sync_fetch_and_add(&seq, 1);
	if (bpf_get_prandom_u32() & 1)
		__sync_fetch_and_add(&s->inflight, -1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
