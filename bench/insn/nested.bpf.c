/* nested - nested structs and an array of structs in a map value, the
 * element chosen at run time (checked against the length). */
/* linux/bpf.h must come before bpf_helpers.h */
/* clang-format off */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
/* clang-format on */

#define NCPU 8

struct span {
	__u64 start_ns;
	__u64 total_ns;
	__u32 count;
	__u32 max_us;
};

struct proc {
	struct span run;
	struct span wait;
	struct span cpus[NCPU];
	__u16 last_cpu;
	__u16 migrations;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct proc);
} procs SEC(".maps");

SEC("tracepoint/sched/sched_switch")
int on_switch(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	struct proc *p = bpf_map_lookup_elem(&procs, &pid);
	__u64 now, d;
	__u32 cpu, us;

	if (!p)
		return 0;
	now = bpf_ktime_get_ns();
	cpu = bpf_get_smp_processor_id();
	d = now - p->run.start_ns;
	p->run.total_ns += d;
	p->run.count += 1;
	us = d / 1000;
	if (us > p->run.max_us)
		p->run.max_us = us;
	p->wait.start_ns = now;
	if (cpu < NCPU) {
		p->cpus[cpu].total_ns += d;
		p->cpus[cpu].count += 1;
	}
	if (p->last_cpu != cpu) {
		p->migrations += 1;
		p->last_cpu = cpu;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
