/*
 * skel_loader_libpybpf.c - loads skel_prog.py through its generated
 * libpybpf skeleton (`pybpf gen skeleton --libpybpf`, skel_prog.skel.h):
 * sets .bss/.data globals before load through the section pointers, loads,
 * attaches, calls getppid 3 times and prints the globals (through the
 * mmaped section pointers and libpybpf's global API) and the map entry;
 * then writes a global after load both ways, detaches, and shows that the
 * program no longer runs.
 */
#include "skel_prog.skel.h"

#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned long long global_u64(struct skel_prog_bpf *skel, const char *name)
{
	unsigned long long v = 0;
	struct pybpf_global *g = pybpf_object__find_global(skel->obj, name);
	if (!g || pybpf_global__read(g, &v, sizeof v))
		return ~0ULL;
	return v;
}

static void getppid_n(int n)
{
	for (int i = 0; i < n; i++)
		syscall(SYS_getppid);
}

int main(void)
{
	struct skel_prog_bpf *skel = skel_prog_bpf__open();
	if (!skel) {
		perror("open");
		return 1;
	}
	printf("before load: step=%llu global=%llu object=%s\n", skel->data->step,
	       global_u64(skel, "step"), pybpf_object__name(skel->obj));
	skel->bss->target_pid = (unsigned int)getpid();
	skel->data->step = 7;
	int err = skel_prog_bpf__load(skel);
	if (!err)
		err = skel_prog_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "load/attach: %d\n%s", err, pybpf_object__load_log(skel->obj));
		skel_prog_bpf__destroy(skel);
		return 1;
	}
	if (!skel->links.on_getppid || !skel->bss || !skel->data) {
		fprintf(stderr, "no link or section\n");
		return 1;
	}
	printf("prog=%s section=%s map=%s\n", pybpf_program__name(skel->progs.on_getppid),
	       pybpf_program__section_name(skel->progs.on_getppid),
	       pybpf_map__name(skel->maps.counts));
	getppid_n(3);
	unsigned int key = 7;
	unsigned long long count = 0;
	err = pybpf_map__lookup(skel->maps.counts, &key, sizeof key, &count, sizeof count, 0);
	printf("hits=%llu global=%llu last.calls=%llu last.pid_ok=%d counts[7]=%llu lookup=%d\n",
	       skel->bss->hits, global_u64(skel, "hits"), skel->bss->last.calls,
	       skel->bss->last.last_pid == (unsigned int)getpid(), count, err);
	skel->data->step = 100; /* through the mapping of the live map */
	getppid_n(1);
	printf("after step=100: hits=%llu\n", skel->bss->hits);
	unsigned long long step = 1000; /* through libpybpf's global API */
	err = pybpf_global__write(pybpf_object__find_global(skel->obj, "step"), &step, sizeof step);
	getppid_n(1);
	printf("after step=1000: hits=%llu step=%llu write=%d\n", skel->bss->hits, skel->data->step,
	       err);
	skel_prog_bpf__detach(skel);
	getppid_n(2);
	printf("detached: hits=%llu link=%p\n", skel->bss->hits, (void *)skel->links.on_getppid);
	skel_prog_bpf__destroy(skel);
	return 0;
}
