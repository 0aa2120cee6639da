/*
 * skel_loader.c - loads skel_prog.py through its generated skeleton
 * (skel_prog.skel.h, from `pybpf gen skeleton`) with plain libbpf: sets a
 * .bss global before load, attaches, calls getppid 3 times, then prints the
 * globals (read through the skeleton's mmaped pointers) and the map entry.
 */
#include "skel_prog.skel.h"

#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	struct skel_prog_bpf *skel = skel_prog_bpf__open();
	if (!skel) {
		perror("open");
		return 1;
	}
	printf("before load: step=%llu\n", skel->data->step);
	skel->bss->target_pid = (unsigned int)getpid();
	skel->data->step = 7;
	int err = skel_prog_bpf__load(skel);
	if (!err)
		err = skel_prog_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "load/attach: %d\n", err);
		skel_prog_bpf__destroy(skel);
		return 1;
	}
	if (!skel->links.on_getppid) {
		fprintf(stderr, "no link\n");
		return 1;
	}
	for (int i = 0; i < 3; i++)
		syscall(SYS_getppid);
	unsigned int key = 7;
	unsigned long long count = 0;
	err = bpf_map__lookup_elem(skel->maps.counts, &key, sizeof key, &count, sizeof count, 0);
	printf("hits=%llu last.calls=%llu last.pid_ok=%d counts[7]=%llu lookup=%d\n",
	       skel->bss->hits, skel->bss->last.calls,
	       skel->bss->last.last_pid == (unsigned int)getpid(), count, err);
	skel_prog_bpf__detach(skel);
	skel_prog_bpf__destroy(skel);
	return 0;
}
