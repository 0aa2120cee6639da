/*
 * rt_events.h - records shared by rt_events.bpf.c and the runtime tests
 * (included by the BPF program and by the test program alike).
 */
#ifndef RT_EVENTS_H
#define RT_EVENTS_H

#include <linux/types.h>

/* config[0], written by the test before it attaches */
struct rt_config {
	__u32 tgid;  /* only this process's getpid() calls are traced */
	__u32 nonce; /* printed in the trace_pipe marker */
};

/* one per traced getpid(), in the `events` ring buffer and the perf buffer */
struct rt_event {
	__u32 pid;
	__u32 seq; /* 1 for the first call, 2 for the second, ... */
	__u64 ts;
	char comm[16];
};

#define RT_MARKER "pybpf-rt-marker"

#endif
