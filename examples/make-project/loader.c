/*
 * loader.c - loads counter.py through its generated skeleton
 * (counter.skel.h), calls getppid a few times and prints what the program
 * counted, from the map and from the global.
 */
#include "counter.skel.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	struct counter_bpf *skel = counter_bpf__open();
	if (!skel) {
		perror("counter_bpf__open");
		return 1;
	}
	skel->bss->target_pid = (unsigned int)getpid();
	int err = counter_bpf__load(skel);
	if (!err)
		err = counter_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "cannot load or attach: %d\n", err);
		counter_bpf__destroy(skel);
		return 1;
	}
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
	unsigned int key = (unsigned int)getpid();
	unsigned long long count = 0;
	err = bpf_map__lookup_elem(skel->maps.calls, &key, sizeof key, &count, sizeof count, 0);
	printf("map: %llu getppid calls\n", err ? 0 : count);
	printf("global: %llu getppid calls\n", skel->bss->total);
	counter_bpf__destroy(skel);
	return 0;
}
