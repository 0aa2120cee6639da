/*
 * rt_target.c - the program the uprobe and USDT tests probe. It calls
 * rt_target_func(i) for i = 1..N (N = argv[1], default 1), which returns
 * 2 * i + 1, and fires the USDT probe pybpf_rt:tick with i after each call.
 */
#include <stdlib.h>
#ifndef RT_NO_SDT
#include <sys/sdt.h>
#else
#define DTRACE_PROBE1(provider, name, arg) ((void)(arg))
#endif

__attribute__((noinline, used)) int rt_target_func(int x)
{
	__asm__ volatile("" ::: "memory");
	return 2 * x + 1;
}

int main(int argc, char **argv)
{
	volatile int sum = 0;
	int i, n = argc > 1 ? atoi(argv[1]) : 1;

	for (i = 1; i <= n; i++) {
		sum += rt_target_func(i);
		DTRACE_PROBE1(pybpf_rt, tick, i);
	}
	return sum > 0 ? 0 : 1;
}
