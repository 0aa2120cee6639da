/*
 * loader_libpybpf.c - loader.c again, on the libpybpf flavour of the
 * skeleton (counter_libpybpf.skel.h, `pybpf gen skeleton --libpybpf`): the
 * members are libpybpf handles, so the map is read with pybpf_map__lookup
 * and a failed load can show the verifier's verdict at its Python line.
 */
#include "counter_libpybpf.skel.h"

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
	if (err) {
		struct pybpf_load_error e = {.sz = sizeof(e)};
		if (pybpf_object__load_error(skel->obj, &e) == 0 && e.file)
			fprintf(stderr, "%s:%d:%d: %s\n", e.file, e.line, e.col, e.message);
	}
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
	err = pybpf_map__lookup(skel->maps.calls, &key, sizeof key, &count, sizeof count, 0);
	printf("map: %llu getppid calls\n", err ? 0 : count);
	printf("global: %llu getppid calls\n", skel->bss->total);
	counter_bpf__destroy(skel);
	return 0;
}
