/*
 * rt_btf.bpf.c - BTF types and globals for test_btf.c: a hash map with a
 * struct value, globals in .rodata, .data, .bss and a custom .data.* section,
 * and an XDP program (run with BPF_PROG_TEST_RUN) that uses them:
 * out = factor * in; runs += 1; extra += 1; only_static += 2.
 */
#include "rt_btf.h"

#include <linux/bpf.h>
/* after linux/bpf.h, which defines the types it uses */
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, rt_u32);
	__type(value, struct rt_value);
} values SEC(".maps");

const volatile rt_u32 factor = 3;      /* .rodata */
unsigned long long runs = 100;	       /* .data */
unsigned long long out;		       /* .bss */
unsigned long long in;		       /* .bss */
int extra SEC(".data.extra") = 42;     /* .data.extra */
static volatile int hidden_static = 5; /* .data, static: still a global */
/* only static variables: libbpf 1.1 does not make this map mmapable */
static volatile unsigned int only_static SEC(".data.st") = 9;

SEC("xdp")
int rt_btf_prog(struct xdp_md *ctx)
{
	out = factor * in + hidden_static - 5;
	runs++;
	extra++;
	only_static += 2;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
