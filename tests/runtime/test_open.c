/*
 * test_open.c - libpybpf tests that need no privileges: opening objects
 * from a file and from memory, their programs and maps before load, option
 * and argument checking, errors and messages, and the NULL-accepting frees.
 * Nothing here talks to the BPF system call except to see it refused for
 * objects that are not loaded.
 */
#include "bpf/rt_events.h"
#include "rt_test.h"

#include <bpf/libbpf.h>
#include <pybpf/libpybpf.h>

/* Counts the messages the library sends, and keeps the last one. */
static int msg_cnt;
static char last_msg[512];

__attribute__((format(printf, 2, 0))) static int counting_print(enum pybpf_print_level level,
								const char *fmt, va_list args)
{
	if (level == PYBPF_DEBUG)
		return 0;
	msg_cnt++;
	vsnprintf(last_msg, sizeof(last_msg), fmt, args);
	return 0;
}

/* The maps of rt_events.bpf.c, as declared there. */
static void check_events_maps(const struct pybpf_object *obj)
{
	const struct pybpf_map *m;
	size_t n = 0;

	m = pybpf_object__find_map_by_name(obj, "config");
	if (CHECK(m)) {
		CHECK(pybpf_map__type(m) == BPF_MAP_TYPE_ARRAY);
		CHECK(pybpf_map__key_size(m) == 4);
		CHECK(pybpf_map__value_size(m) == sizeof(struct rt_config));
		CHECK(pybpf_map__max_entries(m) == 1);
		CHECK(pybpf_map__object(m) == obj);
	}
	m = pybpf_object__find_map_by_name(obj, "counts");
	if (CHECK(m)) {
		CHECK(pybpf_map__type(m) == BPF_MAP_TYPE_HASH);
		CHECK(pybpf_map__key_size(m) == 4 && pybpf_map__value_size(m) == 8);
		CHECK(pybpf_map__max_entries(m) == 64);
	}
	m = pybpf_object__find_map_by_name(obj, "events");
	CHECK(m && pybpf_map__type(m) == BPF_MAP_TYPE_RINGBUF &&
	      pybpf_map__max_entries(m) == 64 * 1024);
	m = pybpf_object__find_map_by_name(obj, "seqs");
	CHECK(m && pybpf_map__type(m) == BPF_MAP_TYPE_RINGBUF);
	m = pybpf_object__find_map_by_name(obj, "perf_events");
	CHECK(m && pybpf_map__type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	/* bpf_printk's format string lives in the object's .rodata map */
	m = pybpf_object__find_map_by_name(obj, ".rodata");
	CHECK(m && pybpf_map__type(m) == BPF_MAP_TYPE_ARRAY);

	errno = 0;
	CHECK(!pybpf_object__find_map_by_name(obj, "no_such_map") && errno == ENOENT);

	pybpf_object__for_each_map (m, obj) {
		CHECK(pybpf_map__name(m) != NULL);
		CHECK(pybpf_object__find_map_by_name(obj, pybpf_map__name(m)) == m);
		n++;
	}
	CHECK(n == pybpf_object__map_cnt(obj));
	CHECK(n == 6);
}

static void check_events_program(const struct pybpf_object *obj)
{
	const struct pybpf_program *p, *q;
	size_t n = 0;

	p = pybpf_object__find_program_by_name(obj, "on_getpid");
	REQUIRE(p);
	CHECK(strcmp(pybpf_program__name(p), "on_getpid") == 0);
	CHECK(strcmp(pybpf_program__section_name(p), "tracepoint/syscalls/sys_enter_getpid") == 0);
	CHECK(pybpf_program__type(p) == BPF_PROG_TYPE_TRACEPOINT);
	CHECK(pybpf_program__object(p) == obj);
	CHECK(pybpf_program__bpf_program(p) != NULL);
	errno = 0;
	CHECK(pybpf_program__fd(p) == -EBADF && errno == EBADF); /* not loaded */
	CHECK(pybpf_program__link(p) == NULL);

	pybpf_object__for_each_program (q, obj) {
		n++;
	}
	CHECK(n == 1 && pybpf_object__program_cnt(obj) == 1);
	CHECK(pybpf_object__next_program(obj, NULL) == p);
	CHECK(pybpf_object__next_program(obj, p) == NULL);
	errno = 0;
	CHECK(!pybpf_object__find_program_by_name(obj, "nope") && errno == ENOENT);
out:;
}

static void test_open_file(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_events"), NULL);

	REQUIRE(obj);
	CHECK(strcmp(pybpf_object__name(obj), "rt_events") == 0);
	CHECK(pybpf_object__bpf_object(obj) != NULL);
	CHECK(pybpf_object__load_log(obj) != NULL);
	check_events_program(obj);
	check_events_maps(obj);
out:
	pybpf_object__close(obj);
}

/* open_mem copies the bytes: the object must survive its buffer. */
static void test_open_mem_copies(void)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .object_name = "memobj");
	struct pybpf_object *obj = NULL;
	size_t size = 0;
	char *buf = rt_read_file(rt_obj_path("rt_events"), &size);

	REQUIRE(buf);
	obj = pybpf_object__open_mem(buf, size, &opts);
	memset(buf, 0xff, size);
	free(buf);
	REQUIRE(obj);
	CHECK(strcmp(pybpf_object__name(obj), "memobj") == 0);
	check_events_program(obj);
	check_events_maps(obj);
out:
	pybpf_object__close(obj);
}

static void test_open_errors(void)
{
	static const char garbage[] = "\177ELF but not really an ELF file at all";
	struct pybpf_object *obj;
	pybpf_print_fn_t old = pybpf_set_print(counting_print);

	errno = 0;
	obj = pybpf_object__open_file("/nonexistent/prog.bpf.o", NULL);
	CHECK(!obj && errno == ENOENT);
	pybpf_object__close(obj);

	msg_cnt = 0;
	errno = 0;
	obj = pybpf_object__open_mem(garbage, sizeof(garbage), NULL);
	CHECK(!obj && errno == LIBBPF_ERRNO__FORMAT);
	CHECK(msg_cnt > 0);
	CHECK(strstr(last_msg, "pybpf: failed to open object from memory") != NULL);
	pybpf_object__close(obj);

	/* an ELF file that is not a BPF object (this test program), and a BPF
	 * object cut in half */
	errno = 0;
	obj = pybpf_object__open_file("/proc/self/exe", NULL);
	CHECK(!obj && errno == LIBBPF_ERRNO__FORMAT);
	pybpf_object__close(obj);
	{
		size_t size = 0;
		char *buf = rt_read_file(rt_obj_path("rt_events"), &size);

		CHECK(buf && size > 64);
		errno = 0;
		obj = buf ? pybpf_object__open_mem(buf, size / 2, NULL) : NULL;
		CHECK(!obj && errno == LIBBPF_ERRNO__FORMAT);
		pybpf_object__close(obj);
		free(buf);
	}

	errno = 0;
	CHECK(!pybpf_object__open_mem(NULL, 10, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_object__open_mem(garbage, 0, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_object__open_file(NULL, NULL) && errno == EINVAL);
	pybpf_set_print(old);
}

/* sz is checked the libbpf way: too small is an error; a bigger struct from
 * a newer caller is accepted only if its unknown tail is zero. */
static void test_opts_validation(void)
{
	struct {
		struct pybpf_object_open_opts opts;
		char newer_field[8];
	} big;
	struct pybpf_object *obj = NULL;
	pybpf_print_fn_t old = pybpf_set_print(counting_print);

	memset(&big, 0, sizeof(big));
	big.opts.sz = 1;
	errno = 0;
	obj = pybpf_object__open_file(rt_obj_path("rt_events"), &big.opts);
	CHECK(!obj && errno == EINVAL);
	CHECK(strstr(last_msg, "pybpf_object_open_opts") != NULL);

	big.opts.sz = sizeof(big);
	big.newer_field[3] = 1;
	errno = 0;
	obj = pybpf_object__open_file(rt_obj_path("rt_events"), &big.opts);
	CHECK(!obj && errno == EINVAL);

	big.newer_field[3] = 0;
	big.opts.object_name = "bigger";
	obj = pybpf_object__open_file(rt_obj_path("rt_events"), &big.opts);
	REQUIRE(obj);
	CHECK(strcmp(pybpf_object__name(obj), "bigger") == 0);

	/* an older caller's struct without object_name: the default name */
	pybpf_object__close(obj);
	big.opts.sz = sizeof(size_t);
	obj = pybpf_object__open_file(rt_obj_path("rt_events"), &big.opts);
	REQUIRE(obj);
	CHECK(strcmp(pybpf_object__name(obj), "rt_events") == 0);
out:
	pybpf_object__close(obj);
	pybpf_set_print(old);
}

/* What an object that is open but not loaded refuses, and how. */
static void test_not_loaded(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_events"), NULL);
	const struct pybpf_program *prog;
	const struct pybpf_map *counts, *events, *perf;
	LIBPYBPF_OPTS(pybpf_prog_info, info);
	__u32 key = 1, next;
	__u64 value = 0;

	REQUIRE(obj);
	prog = pybpf_object__find_program_by_name(obj, "on_getpid");
	counts = pybpf_object__find_map_by_name(obj, "counts");
	events = pybpf_object__find_map_by_name(obj, "events");
	perf = pybpf_object__find_map_by_name(obj, "perf_events");
	REQUIRE(prog && counts && events && perf);

	errno = 0;
	CHECK(pybpf_map__fd(counts) < 0 && errno == EBADF);
	CHECK(pybpf_map__lookup(counts, &key, sizeof(key), &value, sizeof(value), 0) < 0);
	CHECK(errno != 0);
	CHECK(pybpf_map__update(counts, &key, sizeof(key), &value, sizeof(value), BPF_ANY) < 0);
	CHECK(pybpf_map__delete(counts, &key, sizeof(key), 0) < 0);
	CHECK(pybpf_map__get_next_key(counts, NULL, &next, sizeof(next)) < 0);

	errno = 0;
	CHECK(pybpf_program__info(prog, &info) == -EBADF && errno == EBADF);
	errno = 0;
	CHECK(!pybpf_program__line_info(prog) && errno == EBADF);
	errno = 0;
	CHECK(!pybpf_program__attach(prog) && errno == EBADF);
	CHECK(strstr(rt_messages, "prog 'on_getpid': not loaded") != NULL);

	errno = 0;
	CHECK(pybpf_object__attach_all(obj) == -EBADF && errno == EBADF);
	CHECK(pybpf_program__link(prog) == NULL);

	errno = 0;
	CHECK(!pybpf_ring_buffer__new(events, NULL, NULL, NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_perf_buffer__new(perf, NULL, NULL, NULL) && errno == EINVAL);
	CHECK(strstr(pybpf_object__load_log(obj), "BEGIN PROG LOAD LOG") == NULL);
out:
	pybpf_object__close(obj);
}

/* Every explicit attach, test run and pin of a program that is not loaded
 * fails with EBADF before reaching the kernel. */
static void test_not_loaded_attach(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_probes"), NULL);
	LIBPYBPF_OPTS(pybpf_test_run_opts, run);
	const struct pybpf_program *p;
	const struct pybpf_map *hits;
	__u32 key = 0, count = 1;
	__u64 value;

	REQUIRE(obj);
	p = pybpf_object__find_program_by_name(obj, "tp_any");
	hits = pybpf_object__find_map_by_name(obj, "hits");
	REQUIRE(p && hits);
#define EBADF_PTR(call)                           \
	do {                                      \
		errno = 0;                        \
		CHECK(!(call) && errno == EBADF); \
	} while (0)
	EBADF_PTR(pybpf_program__attach_tracepoint(p, "syscalls", "sys_enter_getppid"));
	EBADF_PTR(pybpf_program__attach_raw_tracepoint(p, "sys_enter"));
	EBADF_PTR(pybpf_program__attach_kprobe(p, false, "vfs_read", 0));
	EBADF_PTR(pybpf_program__attach_uprobe(p, false, -1, "/bin/true", "main", 0));
	EBADF_PTR(pybpf_program__attach_usdt(p, -1, "/bin/true", "a", "b", 0));
	EBADF_PTR(pybpf_program__attach_xdp(p, 1, 0));
	EBADF_PTR(pybpf_program__attach_tc(p, 1, PYBPF_TC_INGRESS, 0, 0));
	EBADF_PTR(pybpf_program__attach_socket(p, 0));
	EBADF_PTR(pybpf_program__attach_cgroup(p, 0));
	EBADF_PTR(pybpf_program__attach_perf_event(p, 0));
#undef EBADF_PTR
	errno = 0;
	CHECK(pybpf_program__test_run(p, &run) == -EBADF && errno == EBADF);
	errno = 0;
	CHECK(pybpf_program__pin(p, "/sys/fs/bpf/pybpf-never") == -EBADF && errno == EBADF);
	CHECK(strstr(rt_messages, "prog 'tp_any': not loaded") != NULL);

	/* maps that are not created */
	errno = 0;
	CHECK(pybpf_map__clear(hits) == -EBADF && errno == EBADF);
	CHECK(strstr(rt_messages, "map 'hits': not created yet") != NULL);
	CHECK(pybpf_map__lookup_batch(hits, NULL, &key, &key, &value, &count, 0) == -EBADF);
	CHECK(pybpf_map__update_batch(hits, &key, &value, &count, 0) == -EBADF);
	CHECK(pybpf_map__delete_batch(hits, &key, &count) == -EBADF);
	CHECK(pybpf_map__pin(hits, "/sys/fs/bpf/pybpf-never") == -EBADF);
	{
		LIBPYBPF_OPTS(pybpf_map_info, info);

		CHECK(pybpf_map__info(hits, &info) == -EBADF);
	}
out:
	pybpf_object__close(obj);
}

/* Settings before load, read back before load (no kernel involved). */
static void test_before_load_settings(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_net"), NULL);
	struct pybpf_program *p;
	struct pybpf_map *pkts, *pcpu;
	int ncpus = pybpf_num_possible_cpus();

	REQUIRE(obj && ncpus > 0);
	p = pybpf_object__find_program_by_name(obj, "xdp_count");
	pkts = pybpf_object__find_map_by_name(obj, "pkts");
	pcpu = pybpf_object__find_map_by_name(obj, "pcpu_hash");
	REQUIRE(p && pkts && pcpu);
	CHECK(pybpf_program__autoload(p) && pybpf_program__autoattach(p));
	CHECK(pybpf_program__set_autoload(p, false) == 0 && !pybpf_program__autoload(p));
	CHECK(pybpf_program__set_autoattach(p, false) == 0 && !pybpf_program__autoattach(p));
	CHECK(pybpf_map__set_max_entries(pkts, 1000) == 0);
	CHECK(pybpf_map__max_entries(pkts) == 1000);
	CHECK(pybpf_map__is_percpu(pcpu) && !pybpf_map__is_percpu(pkts));
	CHECK(pybpf_map__value_buffer_size(pcpu) == 8 * (size_t)ncpus);
	CHECK(pybpf_map__value_buffer_size(pkts) == 8);
	errno = 0;
	CHECK(pybpf_program__set_autoload(NULL, true) == -EINVAL && errno == EINVAL);
	CHECK(pybpf_map__set_max_entries(NULL, 1) == -EINVAL);
	/* an object's map is not closed by pybpf_map__close */
	pybpf_map__close(pkts);
	CHECK(pybpf_map__max_entries(pkts) == 1000);
out:
	pybpf_object__close(obj);
}

/* Possible CPUs, counted from /sys independently of libbpf. */
static void test_num_possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	char buf[256] = "";
	int n = 0, a, b, used;
	const char *s = buf;

	REQUIRE(f);
	CHECK(fgets(buf, sizeof(buf), f) != NULL);
	fclose(f);
	while (*s) {
		if (sscanf(s, "%d-%d%n", &a, &b, &used) == 2)
			n += b - a + 1;
		else if (sscanf(s, "%d%n", &a, &used) == 1)
			n += 1;
		else
			break;
		s += used;
		if (*s == ',')
			s++;
		else
			break;
	}
	CHECK(n > 0 && pybpf_num_possible_cpus() == n);
out:
	return;
}

static void test_versions(void)
{
	char want[32];

	CHECK(strcmp(pybpf_version(), RT_PROJECT_VERSION) == 0);
	snprintf(want, sizeof(want), "%d.%d", LIBBPF_MAJOR_VERSION, LIBBPF_MINOR_VERSION);
	CHECK(strcmp(pybpf_libbpf_version(), want) == 0);
}

static void test_opts_and_args(void)
{
	struct {
		struct pybpf_test_run_opts opts;
		char newer_field[8];
	} big;
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_net"), NULL);
	const struct pybpf_program *p;

	REQUIRE(obj);
	p = pybpf_object__find_program_by_name(obj, "xdp_count");
	memset(&big, 0, sizeof(big));
	big.opts.sz = sizeof(big);
	big.newer_field[3] = 1;
	errno = 0;
	CHECK(pybpf_program__test_run(p, &big.opts) == -EINVAL && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_link__open_pinned(NULL) && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_map__open_pinned(NULL) && errno == EINVAL);
	errno = 0;
	CHECK(pybpf_link__pin(NULL, "/x") == -EINVAL && pybpf_link__unpin(NULL) == -EINVAL);
	CHECK(pybpf_link__fd(NULL) == -EINVAL);
	errno = 0;
	CHECK(!pybpf_program__attach_tracepoint(NULL, "a", "b") && errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_program__attach_usdt(p, -1, "/bin/true", "a", NULL, 0) && errno == EINVAL);
	errno = 0;
	CHECK(pybpf_map__clear(NULL) == -EINVAL);
	pybpf_map__close(NULL);
out:
	pybpf_object__close(obj);
}

static int ignore_sample(void *ctx, void *data, size_t size)
{
	return 0;
}

static void ignore_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
}

/* Buffers check their map's type before anything else. */
static void test_buffer_map_types(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_events"), NULL);
	const struct pybpf_map *counts, *events;

	REQUIRE(obj);
	counts = pybpf_object__find_map_by_name(obj, "counts");
	events = pybpf_object__find_map_by_name(obj, "events");
	REQUIRE(counts && events);
	errno = 0;
	CHECK(!pybpf_ring_buffer__new(counts, ignore_sample, NULL, NULL) && errno == EINVAL);
	CHECK(strstr(rt_messages, "map 'counts': is not a ring buffer (its type is hash)"));
	errno = 0;
	CHECK(!pybpf_perf_buffer__new(events, ignore_perf_sample, NULL, NULL) && errno == EINVAL);
	CHECK(strstr(rt_messages, "map 'events': is not a perf event array (its type is ringbuf)"));
	errno = 0;
	CHECK(!pybpf_ring_buffer__new(events, ignore_sample, NULL, NULL) && errno == EINVAL);
	CHECK(strstr(rt_messages, "map 'events': not created yet"));
out:
	pybpf_object__close(obj);
}

static void test_null_frees(void)
{
	pybpf_object__close(NULL);
	pybpf_object__detach_all(NULL);
	CHECK(pybpf_link__destroy(NULL) == 0);
	pybpf_ring_buffer__free(NULL);
	pybpf_perf_buffer__free(NULL);
	pybpf_line_info__free(NULL);
	pybpf_trace_pipe__close(NULL);
	CHECK(pybpf_object__name(NULL) == NULL);
	CHECK(pybpf_object__next_program(NULL, NULL) == NULL);
	CHECK(pybpf_line_info__cnt(NULL) == 0);
	errno = 0;
	CHECK(pybpf_object__load(NULL) == -EINVAL && errno == EINVAL);
}

static void test_print_callback(void)
{
	pybpf_print_fn_t old = pybpf_set_print(counting_print);
	struct pybpf_object *obj;

	CHECK(old == rt_print);
	CHECK(pybpf_set_print(counting_print) == counting_print);

	/* libbpf's own messages come through the same callback */
	msg_cnt = 0;
	obj = pybpf_object__open_file("/nonexistent.bpf.o", NULL);
	CHECK(!obj && msg_cnt >= 2);

	/* NULL silences everything */
	pybpf_set_print(NULL);
	msg_cnt = 0;
	obj = pybpf_object__open_file("/nonexistent.bpf.o", NULL);
	CHECK(!obj && msg_cnt == 0);
	pybpf_set_print(old);
}

static void test_strerror(void)
{
	char buf[128];

	CHECK(pybpf_strerror(-ENOENT, buf, sizeof(buf)) == 0);
	CHECK(strcmp(buf, strerror(ENOENT)) == 0);
	CHECK(pybpf_strerror(4001, buf, sizeof(buf)) == 0); /* LIBBPF_ERRNO__FORMAT */
	CHECK(strstr(buf, "format") != NULL);
	errno = 0;
	CHECK(pybpf_strerror(1, NULL, 0) == -EINVAL && errno == EINVAL);
}

int main(void)
{
	pybpf_set_print(rt_print);
	RUN(test_open_file);
	RUN(test_open_mem_copies);
	RUN(test_open_errors);
	RUN(test_opts_validation);
	RUN(test_not_loaded);
	RUN(test_not_loaded_attach);
	RUN(test_before_load_settings);
	RUN(test_num_possible_cpus);
	RUN(test_versions);
	RUN(test_opts_and_args);
	RUN(test_buffer_map_types);
	RUN(test_null_frees);
	RUN(test_print_callback);
	RUN(test_strerror);
	return rt_finish();
}
