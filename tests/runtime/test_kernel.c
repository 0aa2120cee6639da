/*
 * test_kernel.c - libpybpf against the running kernel (needs root).
 *
 * Loads the objects built from tests/runtime/bpf/ (from files and from
 * memory), checks what the kernel reports about the programs (ids, BTF, line
 * info resolving to the .bpf.c source), attaches a getpid() tracepoint and
 * triggers it, then reads the results every way the runtime offers: the hash
 * map, two ring buffers, a perf buffer and trace_pipe. It also checks that a
 * program the verifier rejects fails with the verifier's log kept, and that
 * a failing attach_all leaves no link behind. Kernel links are counted with
 * the kernel's own link ids, independently of the library.
 *
 * Every test loads its own objects; the programs only react to this
 * process's tgid, and the trace_pipe test looks only for its own marker.
 */
#include "bpf/rt_events.h"
#include "rt_test.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>
#include <pybpf/libpybpf.h>
#include <sys/prctl.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* getpid() itself fires the traced tracepoint: call it once, in main() */
static __u32 my_pid;
static __u32 nonce;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void call_getpid(int times)
{
	while (times-- > 0)
		syscall(SYS_getpid);
}

static void call_getppid(int times)
{
	while (times-- > 0)
		syscall(SYS_getppid);
}

/* Opens and loads rt_events.bpf.o and points it at this process. */
static struct pybpf_object *load_events(void)
{
	struct rt_config cfg = {.tgid = my_pid, .nonce = nonce};
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_events"), NULL);
	const struct pybpf_map *config;
	__u32 zero = 0;

	if (!obj)
		return NULL;
	config = pybpf_object__find_map_by_name(obj, "config");
	if (pybpf_object__load(obj) < 0 || !config ||
	    pybpf_map__update(config, &zero, sizeof(zero), &cfg, sizeof(cfg), BPF_ANY) < 0) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* The kernel id of a loaded program, 0 on error. */
static __u32 prog_id(const struct pybpf_program *prog)
{
	LIBPYBPF_OPTS(pybpf_prog_info, info);

	return pybpf_program__info(prog, &info) == 0 ? info.id : 0;
}

/* How many kernel links point at one of the n programs. */
static int links_to(const __u32 *ids, size_t n)
{
	__u32 id = 0;
	int cnt = 0;

	while (bpf_link_get_next_id(id, &id) == 0) {
		struct bpf_link_info info;
		__u32 len = sizeof(info);
		int fd = bpf_link_get_fd_by_id(id);
		size_t i;

		if (fd < 0)
			continue; /* went away meanwhile */
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) {
			for (i = 0; i < n; i++)
				cnt += info.prog_id == ids[i];
		}
		close(fd);
	}
	return cnt;
}

/* links_to(), waiting up to a second for it to reach `want` (link teardown
 * may finish asynchronously in the kernel). */
static int links_settle(const __u32 *ids, size_t n, int want)
{
	long long deadline = now_ms() + 1000;
	int cnt;

	while ((cnt = links_to(ids, n)) != want && now_ms() < deadline)
		usleep(10 * 1000);
	return cnt;
}

static void test_mount_helpers(void)
{
	struct statfs st;

	CHECK(pybpf_mount_bpffs() == 0);
	CHECK(statfs("/sys/fs/bpf", &st) == 0 && (unsigned long)st.f_type == BPF_FS_MAGIC);
	CHECK(pybpf_mount_tracefs() == 0);
	CHECK(access("/sys/kernel/tracing/trace_pipe", R_OK) == 0 ||
	      access("/sys/kernel/debug/tracing/trace_pipe", R_OK) == 0);
	/* a second call finds them mounted */
	CHECK(pybpf_mount_bpffs() == 0);
	CHECK(pybpf_mount_tracefs() == 0);
}

static void test_load_and_info(void)
{
	struct pybpf_object *obj = load_events();
	const struct pybpf_program *prog;
	LIBPYBPF_OPTS(pybpf_prog_info, info);
	struct pybpf_prog_info old;

	REQUIRE(obj);
	CHECK(strstr(pybpf_object__load_log(obj), "BEGIN PROG LOAD LOG") == NULL);
	prog = pybpf_object__find_program_by_name(obj, "on_getpid");
	REQUIRE(prog);
	CHECK(pybpf_program__fd(prog) >= 0);
	CHECK(pybpf_map__fd(pybpf_object__find_map_by_name(obj, "counts")) >= 0);

	REQUIRE(pybpf_program__info(prog, &info) == 0);
	CHECK(info.sz == sizeof(info));
	CHECK(info.id != 0);
	CHECK(info.type == BPF_PROG_TYPE_TRACEPOINT);
	CHECK(info.btf_id != 0);
	CHECK(info.nr_func_info == 1);
	CHECK(info.nr_line_info > 5);
	CHECK(info.xlated_insn_cnt > 20);
	CHECK(info.jited_len > 0);
	CHECK(info.nr_jited_funcs == 1);
	CHECK(info.verified_insns > 0);
	CHECK(strcmp(info.name, "on_getpid") == 0);

	/* a caller built with a smaller struct gets only what it knows */
	memset(&old, 0xab, sizeof(old));
	old.sz = offsetof(struct pybpf_prog_info, btf_id);
	CHECK(pybpf_program__info(prog, &old) == 0);
	CHECK(old.id == info.id && old.type == info.type);
	CHECK(old.btf_id == 0xabababab);
	old.sz = 0;
	errno = 0;
	CHECK(pybpf_program__info(prog, &old) == -EINVAL && errno == EINVAL);

	/* libbpf refuses a second load */
	CHECK(pybpf_object__load(obj) < 0 && errno != 0);
out:
	pybpf_object__close(obj);
}

/* The object from memory and the one from the file are separate programs. */
static void test_load_from_memory(void)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .object_name = "memobj");
	struct pybpf_object *mem = NULL, *file = NULL;
	const struct pybpf_program *mp, *fp;
	size_t size = 0;
	char *buf = rt_read_file(rt_obj_path("rt_events"), &size);

	REQUIRE(buf);
	mem = pybpf_object__open_mem(buf, size, &opts);
	free(buf); /* the object keeps its own copy until load */
	REQUIRE(mem);
	CHECK(pybpf_object__load(mem) == 0);
	file = load_events();
	REQUIRE(file);
	mp = pybpf_object__find_program_by_name(mem, "on_getpid");
	fp = pybpf_object__find_program_by_name(file, "on_getpid");
	REQUIRE(mp && fp);
	CHECK(pybpf_program__fd(mp) >= 0);
	CHECK(prog_id(mp) != 0 && prog_id(fp) != 0 && prog_id(mp) != prog_id(fp));
	CHECK(strcmp(pybpf_object__name(mem), "memobj") == 0);
	CHECK(pybpf_object__find_map_by_name(mem, ".rodata") != NULL);
	CHECK(strcmp(pybpf_map__name(pybpf_object__find_map_by_name(mem, ".rodata")),
		     "memobj.rodata") == 0);
out:
	pybpf_object__close(mem);
	pybpf_object__close(file);
}

/* Line `n` (1-based) of a text file, without leading blanks; "" if none. */
static const char *source_line(const char *path, __u32 n)
{
	static char line[512];
	FILE *f = fopen(path, "r");
	const char *p = "";

	line[0] = '\0';
	while (f && n-- > 0 && fgets(line, sizeof(line), f))
		;
	if (f)
		fclose(f);
	line[strcspn(line, "\n")] = '\0';
	p = line + strspn(line, " \t");
	return p;
}

/* The kernel's copy of the line table points at rt_events.bpf.c's lines. */
static void test_line_info(void)
{
	struct pybpf_object *obj = load_events();
	const struct pybpf_program *prog;
	struct pybpf_line_info *li = NULL;
	LIBPYBPF_OPTS(pybpf_prog_info, info);
	const struct pybpf_line *l, *first, *last;
	const char *src = RT_SRC_DIR "/bpf/rt_events.bpf.c";
	int saw_pid_tgid = 0, bad_file = 0, bad_text = 0, unsorted = 0;
	size_t i, n;

	REQUIRE(obj);
	prog = pybpf_object__find_program_by_name(obj, "on_getpid");
	REQUIRE(prog && pybpf_program__info(prog, &info) == 0);
	li = pybpf_program__line_info(prog);
	REQUIRE(li);
	n = pybpf_line_info__cnt(li);
	CHECK(n == info.nr_line_info);
	REQUIRE(n > 0);
	for (i = 0; i < n; i++) {
		size_t flen;

		l = pybpf_line_info__line(li, i);
		flen = strlen(l->file);
		if (flen < 15 || strcmp(l->file + flen - 15, "rt_events.bpf.c") != 0)
			bad_file++;
		/* the text the kernel holds is the source file's line */
		if (l->line == 0 ||
		    strcmp(l->text + strspn(l->text, " \t"), source_line(src, l->line)) != 0) {
			printf("  line %u: kernel has '%s', file has '%s'\n", l->line, l->text,
			       source_line(src, l->line));
			bad_text++;
		}
		if (strstr(l->text, "bpf_get_current_pid_tgid()"))
			saw_pid_tgid = 1;
		if (i > 0 && l->insn_off < pybpf_line_info__line(li, i - 1)->insn_off)
			unsorted++;
	}
	CHECK(bad_file == 0);
	CHECK(bad_text == 0);
	CHECK(saw_pid_tgid);
	CHECK(unsorted == 0);

	first = pybpf_line_info__line(li, 0);
	last = pybpf_line_info__line(li, n - 1);
	CHECK(first->insn_off == 0);
	CHECK(strstr(first->text, "int on_getpid(void *ctx)") != NULL);
	CHECK(pybpf_line_info__find(li, 0) == first);
	CHECK(pybpf_line_info__find(li, last->insn_off + 100) == last);
	errno = 0;
	CHECK(pybpf_line_info__line(li, n) == NULL && errno == ERANGE);
out:
	pybpf_line_info__free(li);
	pybpf_object__close(obj);
}

static void test_attach_and_map(void)
{
	struct pybpf_object *obj = load_events();
	const struct pybpf_program *prog;
	const struct pybpf_map *counts;
	struct pybpf_link *link = NULL;
	__u32 me = my_pid, key, next, none = 0;
	__u64 value = 0, one = 1;
	int keys = 0, found = 0, err;

	REQUIRE(obj);
	prog = pybpf_object__find_program_by_name(obj, "on_getpid");
	counts = pybpf_object__find_map_by_name(obj, "counts");
	REQUIRE(prog && counts);
	link = pybpf_program__attach(prog);
	REQUIRE(link);
	CHECK(pybpf_link__fd(link) >= 0);
	CHECK(pybpf_link__bpf_link(link) != NULL);

	call_getpid(3);
	CHECK(pybpf_map__lookup(counts, &me, sizeof(me), &value, sizeof(value), 0) == 0);
	CHECK(value == 3);

	/* only this process's calls are counted: one key, ours */
	for (err = pybpf_map__get_next_key(counts, NULL, &next, sizeof(next)); err == 0;
	     err = pybpf_map__get_next_key(counts, &key, &next, sizeof(next))) {
		keys++;
		found += next == me;
		key = next;
	}
	CHECK(err == -ENOENT && errno == ENOENT);
	CHECK(keys == 1 && found == 1);

	errno = 0;
	CHECK(pybpf_map__update(counts, &me, sizeof(me), &one, sizeof(one), BPF_NOEXIST) ==
		      -EEXIST &&
	      errno == EEXIST);
	errno = 0;
	CHECK(pybpf_map__update(counts, &none, sizeof(none), &one, sizeof(one), BPF_EXIST) ==
		      -ENOENT &&
	      errno == ENOENT);
	errno = 0;
	CHECK(pybpf_map__lookup(counts, &me, sizeof(__u64), &value, sizeof(value), 0) == -EINVAL &&
	      errno == EINVAL);
	CHECK(strstr(rt_messages, "map 'counts'") != NULL); /* libbpf names the map */
	errno = 0;
	CHECK(pybpf_map__lookup(counts, &me, sizeof(me), &value, 4, 0) == -EINVAL);

	CHECK(pybpf_map__update(counts, &me, sizeof(me), &one, sizeof(one), BPF_EXIST) == 0);
	call_getpid(1);
	CHECK(pybpf_map__lookup(counts, &me, sizeof(me), &value, sizeof(value), 0) == 0);
	CHECK(value == 2);

	CHECK(pybpf_map__delete(counts, &me, sizeof(me), 0) == 0);
	errno = 0;
	CHECK(pybpf_map__lookup(counts, &me, sizeof(me), &value, sizeof(value), 0) == -ENOENT &&
	      errno == ENOENT);
	CHECK(pybpf_map__delete(counts, &me, sizeof(me), 0) == -ENOENT);

	/* detached: calls are no longer counted */
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	call_getpid(2);
	CHECK(pybpf_map__lookup(counts, &me, sizeof(me), &value, sizeof(value), 0) == -ENOENT);
out:
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

struct ring_events {
	int cnt, bad_size;
	struct rt_event ev[8];
};

struct ring_seqs {
	int cnt, bad_size, stop_with;
	__u64 seq[8];
};

static int on_ring_event(void *ctx, void *data, size_t size)
{
	struct ring_events *r = ctx;

	if (size != sizeof(struct rt_event))
		r->bad_size++;
	else if (r->cnt < 8)
		memcpy(&r->ev[r->cnt++], data, size);
	return 0;
}

static int on_ring_seq(void *ctx, void *data, size_t size)
{
	struct ring_seqs *s = ctx;

	if (s->stop_with)
		return s->stop_with;
	if (size != sizeof(__u64))
		s->bad_size++;
	else if (s->cnt < 8)
		memcpy(&s->seq[s->cnt++], data, size);
	return 0;
}

/* Two ring buffers, one consumer, each with its own callback and context. */
static void test_ring_buffer(void)
{
	struct pybpf_object *obj = load_events();
	struct pybpf_ring_buffer *rb = NULL;
	struct pybpf_link *link = NULL;
	struct ring_events evs = {0};
	struct ring_seqs seqs = {0};
	char comm[16] = {0};
	long long deadline;
	int i, n, total = 0;

	REQUIRE(obj);
	rb = pybpf_ring_buffer__new(pybpf_object__find_map_by_name(obj, "events"), on_ring_event,
				    &evs, NULL);
	REQUIRE(rb);
	CHECK(pybpf_ring_buffer__add(rb, pybpf_object__find_map_by_name(obj, "seqs"), on_ring_seq,
				     &seqs) == 0);
	errno = 0;
	CHECK(pybpf_ring_buffer__add(rb, pybpf_object__find_map_by_name(obj, "counts"), on_ring_seq,
				     &seqs) == -EINVAL &&
	      errno == EINVAL);
	CHECK(pybpf_ring_buffer__epoll_fd(rb) >= 0);
	CHECK(pybpf_ring_buffer__poll(rb, 0) == 0); /* nothing yet */

	link = pybpf_program__attach(pybpf_object__find_program_by_name(obj, "on_getpid"));
	REQUIRE(link);
	call_getpid(3);
	deadline = now_ms() + 2000;
	while ((evs.cnt < 3 || seqs.cnt < 3) && now_ms() < deadline) {
		n = pybpf_ring_buffer__poll(rb, 100);
		CHECK(n >= 0);
		total += n > 0 ? n : 0;
	}
	CHECK(evs.cnt == 3 && seqs.cnt == 3 && total == 6);
	CHECK(evs.bad_size == 0 && seqs.bad_size == 0);
	prctl(PR_GET_NAME, comm);
	for (i = 0; i < evs.cnt; i++) {
		CHECK(evs.ev[i].pid == my_pid);
		CHECK(evs.ev[i].seq == (__u32)i + 1); /* one ring: records in order */
		CHECK(seqs.seq[i] == (__u64)i + 1);
		CHECK(strncmp(evs.ev[i].comm, comm, sizeof(comm)) == 0);
		CHECK(i == 0 || evs.ev[i].ts >= evs.ev[i - 1].ts);
	}
	CHECK(pybpf_ring_buffer__consume(rb) == 0);

	/* a negative callback return stops consuming and is returned */
	seqs.stop_with = -ECANCELED;
	call_getpid(1);
	deadline = now_ms() + 2000;
	do
		n = pybpf_ring_buffer__poll(rb, 100);
	while (n >= 0 && now_ms() < deadline);
	CHECK(n == -ECANCELED && errno == ECANCELED);
	/* the record that stopped it is consumed; the other ring's is not lost */
	seqs.stop_with = 0;
	deadline = now_ms() + 2000;
	while (evs.cnt < 4 && now_ms() < deadline)
		CHECK(pybpf_ring_buffer__poll(rb, 100) >= 0);
	CHECK(evs.cnt == 4 && seqs.cnt == 3);
out:
	pybpf_ring_buffer__free(rb);
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

struct perf_state {
	int cnt, bad, seen; /* seen: bit (seq - 1) for each seq received */
	__u64 lost;
};

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct perf_state *p = ctx;
	struct rt_event e;

	p->cnt++;
	if (size < sizeof(e) || cpu < 0) {
		p->bad++;
		return;
	}
	memcpy(&e, data, sizeof(e));
	if (e.pid != my_pid || e.seq < 1 || e.seq > 8)
		p->bad++;
	else
		p->seen |= 1 << (e.seq - 1);
}

static void on_perf_lost(void *ctx, int cpu, __u64 cnt)
{
	((struct perf_state *)ctx)->lost += cnt;
}

static void test_perf_buffer(void)
{
	struct pybpf_object *obj = load_events();
	struct pybpf_perf_buffer *pb = NULL;
	struct pybpf_link *link = NULL;
	struct perf_state ps = {0};
	const struct pybpf_map *map;
	long long deadline;

	REQUIRE(obj);
	map = pybpf_object__find_map_by_name(obj, "perf_events");
	REQUIRE(map);
	{
		LIBPYBPF_OPTS(pybpf_perf_buffer_opts, bad, .page_cnt = 3);

		errno = 0;
		CHECK(!pybpf_perf_buffer__new(map, on_perf_sample, &ps, &bad) && errno == EINVAL);
		CHECK(strstr(rt_messages, "page_cnt 3 is not a power of two") != NULL);
	}
	{
		LIBPYBPF_OPTS(pybpf_perf_buffer_opts, opts, .page_cnt = 4, .lost_cb = on_perf_lost);

		pb = pybpf_perf_buffer__new(map, on_perf_sample, &ps, &opts);
	}
	REQUIRE(pb);
	CHECK(pybpf_perf_buffer__epoll_fd(pb) >= 0);

	link = pybpf_program__attach(pybpf_object__find_program_by_name(obj, "on_getpid"));
	REQUIRE(link);
	call_getpid(3);
	deadline = now_ms() + 2000;
	while (ps.cnt < 3 && now_ms() < deadline)
		CHECK(pybpf_perf_buffer__poll(pb, 100) >= 0);
	CHECK(pybpf_perf_buffer__consume(pb) == 0);
	CHECK(ps.cnt == 3);
	CHECK(ps.bad == 0);
	CHECK(ps.seen == 7); /* seq 1, 2 and 3; per-CPU buffers need not keep order */
	CHECK(ps.lost == 0);
out:
	pybpf_perf_buffer__free(pb);
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

/* bpf_printk's line reaches trace_pipe; we look only for our own marker. */
static void test_trace_pipe(void)
{
	struct pybpf_trace_pipe *tp = pybpf_trace_pipe__open();
	struct pybpf_object *obj = NULL;
	struct pybpf_link *link = NULL;
	const char *line = NULL;
	char want[128];
	long long deadline;
	int n, found = 0;

	REQUIRE(tp);
	CHECK(pybpf_trace_pipe__fd(tp) >= 0);
	n = pybpf_trace_pipe__read_line(tp, 0, &line);
	CHECK(n >= 0 || (n == -ETIMEDOUT && errno == ETIMEDOUT));

	obj = load_events();
	REQUIRE(obj);
	link = pybpf_program__attach(pybpf_object__find_program_by_name(obj, "on_getpid"));
	REQUIRE(link);
	call_getpid(2);
	snprintf(want, sizeof(want), "%s nonce=%u seq=2", RT_MARKER, nonce);
	deadline = now_ms() + 5000;
	while (!found && now_ms() < deadline) {
		n = pybpf_trace_pipe__read_line(tp, (int)(deadline - now_ms()), &line);
		if (n < 0)
			break;
		found = strstr(line, want) != NULL;
		CHECK((size_t)n == strlen(line));
	}
	CHECK(found);
	if (found)
		CHECK(strstr(line, "bpf_trace_printk: ") != NULL);
out:
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
	pybpf_trace_pipe__close(tp);
}

/* The verifier's refusal comes back as an error with its log, and the log
 * points at the C source line (from BTF line info). */
static void test_verifier_reject(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_reject"), NULL);
	const char *log;
	int err;

	REQUIRE(obj);
	err = pybpf_object__load(obj);
	CHECK(err < 0 && errno == -err);
	log = pybpf_object__load_log(obj);
	REQUIRE(log);
	CHECK(strlen(log) > 0);
	CHECK(strstr(log, "BEGIN PROG LOAD LOG") != NULL);
	CHECK(strstr(log, "invalid mem access") != NULL);
	CHECK(strstr(log, "return *value == 42;") != NULL);
	CHECK(strstr(log, "rt_reject.bpf.c:") != NULL);
	CHECK(strstr(log, "prog 'deref_unchecked'") != NULL);
	CHECK(pybpf_program__fd(pybpf_object__find_program_by_name(obj, "deref_unchecked")) < 0);
out:
	pybpf_object__close(obj);
}

/*
 * The 1-based line and column of `needle` in the file at path (0, 0 if it
 * is not there): where the test expects the verifier's rejection.
 */
static void find_in_file(const char *path, const char *needle, int *line, int *col)
{
	size_t size = 0, bol = 0, at;
	char *text = rt_read_file(path, &size), *hit;

	*line = *col = 0;
	if (!text)
		return;
	hit = strstr(text, needle);
	if (hit) {
		at = (size_t)(hit - text);
		*line = 1;
		for (size_t i = 0; i < at; i++)
			if (text[i] == '\n') {
				(*line)++;
				bol = i + 1;
			}
		*col = (int)(at - bol) + 1;
	}
	free(text);
}

/* One rejection of rt_reject.bpf.o, from a file or from memory. */
static void check_load_error(struct pybpf_object *obj, int line, int col)
{
	LIBPYBPF_OPTS(pybpf_load_error, le);
	char *log = NULL;

	CHECK(pybpf_object__load_error(obj, &le) == -ENOENT && errno == ENOENT); /* not loaded */
	REQUIRE(pybpf_object__load(obj) < 0);
	REQUIRE(pybpf_object__load_error(obj, &le) == 0);
	CHECK(le.sz == sizeof(le));
	REQUIRE(le.prog_name && le.section && le.file && le.source_line && le.log);
	CHECK(strcmp(le.prog_name, "deref_unchecked") == 0);
	CHECK(strcmp(le.section, "tracepoint/syscalls/sys_enter_getpid") == 0);
	CHECK(le.insn > 0);
	CHECK(strcmp(le.message, "R0 invalid mem access 'map_value_or_null'") == 0);
	CHECK(strcmp(le.file, RT_SRC_DIR "/bpf/rt_reject.bpf.c") == 0);
	CHECK(le.line == line);
	CHECK(le.col == col);
	CHECK(strstr(le.source_line, "return *value == 42;") != NULL);
	/* the log is this program's, without libbpf's markers */
	CHECK(le.log_len > 0 && le.log > pybpf_object__load_log(obj));
	log = strndup(le.log, le.log_len);
	REQUIRE(log);
	CHECK(strstr(log, "invalid mem access") != NULL);
	CHECK(strstr(log, "PROG LOAD LOG") == NULL);
out:
	free(log);
}

/* pybpf_object__load_error(): the rejected program, the instruction, the
 * complaint and the C source location of the unchecked dereference. */
static void test_load_error(void)
{
	const char *src = RT_SRC_DIR "/bpf/rt_reject.bpf.c";
	struct pybpf_object *file = NULL, *mem = NULL, *ok = NULL;
	struct pybpf_load_error small;
	size_t size = 0;
	char *buf = NULL;
	int line, col;

	/* clang puts the load at the dereference's '*' */
	find_in_file(src, "*value == 42;", &line, &col);
	REQUIRE(line > 0);
	file = pybpf_object__open_file(rt_obj_path("rt_reject"), NULL);
	REQUIRE(file);
	check_load_error(file, line, col);
	buf = rt_read_file(rt_obj_path("rt_reject"), &size);
	REQUIRE(buf);
	mem = pybpf_object__open_mem(buf, size, NULL);
	REQUIRE(mem);
	check_load_error(mem, line, col);

	/* an older caller's smaller struct: only its fields are written */
	memset(&small, 0x5a, sizeof(small));
	small.sz = offsetof(struct pybpf_load_error, insn);
	CHECK(pybpf_object__load_error(mem, &small) == 0);
	CHECK(small.prog_name && strcmp(small.prog_name, "deref_unchecked") == 0);
	CHECK(small.insn == (long)0x5a5a5a5a5a5a5a5aL && small.line == 0x5a5a5a5a);

	CHECK(pybpf_object__load_error(NULL, &small) == -EINVAL && errno == EINVAL);
	CHECK(pybpf_object__load_error(mem, NULL) == -EINVAL);
	small.sz = 0;
	CHECK(pybpf_object__load_error(mem, &small) == -EINVAL);

	/* a load that succeeded has no rejection */
	ok = load_events();
	REQUIRE(ok);
	small.sz = sizeof(small);
	CHECK(pybpf_object__load_error(ok, &small) == -ENOENT && errno == ENOENT);
out:
	free(buf);
	pybpf_object__close(file);
	pybpf_object__close(mem);
	pybpf_object__close(ok);
}

/* hits[0] and hits[1] of rt_attach.bpf.o */
static int read_hits(const struct pybpf_map *hits, __u64 *h0, __u64 *h1)
{
	__u32 k0 = 0, k1 = 1;

	return pybpf_map__lookup(hits, &k0, sizeof(k0), h0, sizeof(*h0), 0) ||
	       pybpf_map__lookup(hits, &k1, sizeof(k1), h1, sizeof(*h1), 0);
}

static void test_attach_all(void)
{
	static const char *const order[] = {"tp_getppid", "raw_sys_enter", "xdp_pass",
					    "tp_missing"};
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_attach"), NULL);
	const struct pybpf_program *p, *missing;
	const struct pybpf_map *hits, *target;
	__u32 ids[4], zero = 0, me = my_pid;
	__u64 h0 = 1, h1 = 1;
	size_t i = 0;
	int err;

	REQUIRE(obj);
	REQUIRE(pybpf_object__load(obj) == 0);
	hits = pybpf_object__find_map_by_name(obj, "hits");
	target = pybpf_object__find_map_by_name(obj, "target");
	missing = pybpf_object__find_program_by_name(obj, "tp_missing");
	REQUIRE(hits && target && missing);
	REQUIRE(pybpf_map__update(target, &zero, sizeof(zero), &me, sizeof(me), BPF_ANY) == 0);

	/* the failing program comes last: attach_all attaches the others first */
	pybpf_object__for_each_program (p, obj) {
		REQUIRE(i < 4 && strcmp(pybpf_program__name(p), order[i]) == 0);
		ids[i++] = prog_id(p);
	}
	REQUIRE(i == 4 && ids[0] && ids[1] && ids[2] && ids[3]);
	CHECK(links_to(ids, 4) == 0);

	/* failure: nothing stays attached, nothing runs */
	err = pybpf_object__attach_all(obj);
	CHECK(err == -ENOENT && errno == ENOENT);
	CHECK(strstr(rt_messages, "object 'rt_attach': attach_all failed at prog 'tp_missing' "
				  "(No such file or directory); detached all") != NULL);
	pybpf_object__for_each_program (p, obj) {
		CHECK(pybpf_program__link(p) == NULL);
	}
	CHECK(links_settle(ids, 4, 0) == 0);
	call_getppid(2);
	CHECK(read_hits(hits, &h0, &h1) == 0 && h0 == 0 && h1 == 0);

	/* without the bad one: two attached, xdp skipped */
	bpf_program__set_autoattach(pybpf_program__bpf_program(missing), false);
	CHECK(pybpf_object__attach_all(obj) == 2);
	CHECK(pybpf_program__link(pybpf_object__find_program_by_name(obj, "tp_getppid")) != NULL);
	CHECK(pybpf_program__link(pybpf_object__find_program_by_name(obj, "xdp_pass")) == NULL);
	CHECK(links_to(ids, 4) == 2);
	CHECK(pybpf_object__attach_all(obj) == 2); /* again: nothing new */
	CHECK(links_to(ids, 4) == 2);
	call_getppid(2);
	CHECK(read_hits(hits, &h0, &h1) == 0 && h0 == 2 && h1 == 2);

	pybpf_object__detach_all(obj);
	CHECK(links_settle(ids, 4, 0) == 0);
	call_getppid(2);
	CHECK(read_hits(hits, &h0, &h1) == 0 && h0 == 2 && h1 == 2);
out:
	pybpf_object__close(obj);
}

/* What libbpf cannot attach from the section name alone. */
static void test_attach_unsupported(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_attach"), NULL);
	struct pybpf_link *link = NULL;

	REQUIRE(obj && pybpf_object__load(obj) == 0);
	errno = 0;
	link = pybpf_program__attach(pybpf_object__find_program_by_name(obj, "xdp_pass"));
	CHECK(!link && errno == EOPNOTSUPP);
out:
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

/* Closing an object detaches what attach_all attached. */
static void test_close_detaches(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_attach"), NULL);
	const struct pybpf_program *p;
	__u32 ids[4];
	size_t i = 0;

	REQUIRE(obj && pybpf_object__load(obj) == 0);
	bpf_program__set_autoattach(
		pybpf_program__bpf_program(pybpf_object__find_program_by_name(obj, "tp_missing")),
		false);
	pybpf_object__for_each_program (p, obj) {
		REQUIRE(i < 4);
		ids[i++] = prog_id(p);
	}
	CHECK(pybpf_object__attach_all(obj) == 2);
	CHECK(links_to(ids, 4) == 2);
	pybpf_object__close(obj);
	obj = NULL;
	CHECK(links_settle(ids, 4, 0) == 0);
out:
	pybpf_object__close(obj);
}

/* A link the caller owns keeps its program attached after the object is
 * closed, until the link is destroyed. */
static void test_link_outlives_object(void)
{
	struct pybpf_object *obj = load_events();
	struct pybpf_link *link = NULL;
	const struct pybpf_program *prog;
	__u32 id;

	REQUIRE(obj);
	prog = pybpf_object__find_program_by_name(obj, "on_getpid");
	REQUIRE(prog);
	id = prog_id(prog);
	link = pybpf_program__attach(prog);
	REQUIRE(link);
	pybpf_object__close(obj);
	obj = NULL;
	CHECK(links_to(&id, 1) == 1);
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(links_settle(&id, 1, 0) == 0);
out:
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: the runtime kernel tests need root\n");
		return 0;
	}
	my_pid = (__u32)getpid();
	nonce = my_pid ^ (__u32)now_ms() ^ 0x5eed;
	pybpf_set_print(rt_print);
	RUN(test_mount_helpers);
	RUN(test_load_and_info);
	RUN(test_load_from_memory);
	RUN(test_line_info);
	RUN(test_attach_and_map);
	RUN(test_ring_buffer);
	RUN(test_perf_buffer);
	RUN(test_trace_pipe);
	RUN(test_verifier_reject);
	RUN(test_load_error);
	RUN(test_attach_all);
	RUN(test_attach_unsupported);
	RUN(test_close_detaches);
	RUN(test_link_outlives_object);
	return rt_finish();
}
