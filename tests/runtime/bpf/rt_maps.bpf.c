/*
 * rt_maps.bpf.c - maps for the batch, clear and pin tests, and the
 * before-load options:
 *   kv      hash u32 -> u64, 64 entries (max_entries changed by a test)
 *   arr     array u32 -> u64, 8 entries
 *   pq      queue of u64
 *   bad     a program the verifier rejects: it only loads if a test turns
 *           its autoload off
 *   good    a program that reads kv, so kv is used
 */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} kv SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} arr SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 8);
	__type(value, __u64);
} pq SEC(".maps");

SEC("raw_tracepoint")
int bad(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&kv, &key);

	return *v == 1; /* rejected: v may be NULL */
}

SEC("raw_tracepoint")
int good(void *ctx)
{
	__u32 key = 0;
	__u64 *v = bpf_map_lookup_elem(&kv, &key), *a = bpf_map_lookup_elem(&arr, &key);

	return (v ? *v : 0) + (a ? *a : 0);
}

char LICENSE[] SEC("license") = "GPL";
