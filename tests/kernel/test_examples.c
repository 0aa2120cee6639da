/*
 * test_examples.c - end to end against the kernel: every example (and the
 * pythonbpf seed program) is compiled by the library, loaded, checked for
 * BTF with Python line info, attached, triggered, and observed through its
 * map, the trace output or its ring buffer.
 *
 * Needs root; prints SKIP and exits 0 otherwise. Reads trace_pipe, so ctest
 * runs it under RESOURCE_LOCK trace_pipe. Ends with "N passed, N failed".
 */
#include "pybpf/compile.h"
#include "pybpf/libpybpf.h"
#include "test_util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef PYBPF_SOURCE_DIR
#define PYBPF_SOURCE_DIR "."
#endif

static int passed, failed;

static void report(bool ok, const char *test, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s %s: ", ok ? "PASS" : "FAIL", test);
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (ok)
		passed++;
	else
		failed++;
}

/* Compiles a source file relative to the source tree and loads it. */
static struct pybpf_object *compile_load(const char *test, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", PYBPF_SOURCE_DIR, rel);
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src) {
		report(false, test, "cannot read %s", path);
		return NULL;
	}
	LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = path);
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &co, &res);
	free(src);
	report(rc == 0, test, "compiles (%s)", rc ? pybpf_result__diags_text(res) : "ok");
	if (rc) {
		pybpf_result__free(res);
		return NULL;
	}
	size_t n;
	const void *obj_bytes = pybpf_result__output(res, &n);
	struct pybpf_object *obj = pybpf_object__open_mem(obj_bytes, n, NULL);
	pybpf_result__free(res);
	if (!obj) {
		report(false, test, "opens: %s", strerror(errno));
		return NULL;
	}
	int err = pybpf_object__load(obj);
	report(err == 0, test, "loads (verifier accepts)%s%s", err ? "\n" : "",
	       err ? pybpf_object__load_log(obj) : "");
	if (err) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* Every program has BTF and line info pointing at Python source lines. */
static void check_btf(const char *test, struct pybpf_object *obj, const char *rel)
{
	struct pybpf_program *prog;
	pybpf_object__for_each_program (prog, obj) {
		struct pybpf_prog_info info = {.sz = sizeof info};
		int err = pybpf_program__info(prog, &info);
		report(err == 0 && info.btf_id != 0, test, "program %s has btf_id %u",
		       pybpf_program__name(prog), info.btf_id);
		report(info.nr_func_info >= 1 && info.nr_line_info >= 2, test,
		       "program %s has func info (%u) and line info (%u)",
		       pybpf_program__name(prog), info.nr_func_info, info.nr_line_info);
		struct pybpf_line_info *li = pybpf_program__line_info(prog);
		size_t good = 0, total = li ? pybpf_line_info__cnt(li) : 0;
		const char *example = "";
		for (size_t i = 0; i < total; i++) {
			const struct pybpf_line *l = pybpf_line_info__line(li, i);
			size_t fl = strlen(l->file), rl = strlen(rel);
			if (fl >= rl && strcmp(l->file + fl - rl, rel) == 0 && l->line > 0 &&
			    l->text[0]) {
				good++;
				example = l->text;
			}
		}
		report(total > 0 && good == total, test,
		       "program %s: %zu/%zu line info entries name %s with source text (e.g. "
		       "\"%s\")",
		       pybpf_program__name(prog), good, total, rel, example);
		pybpf_line_info__free(li);
	}
}

static pid_t spawn(const char *const argv[])
{
	pid_t pid = fork();
	if (pid == 0) {
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static void run_and_wait(const char *const argv[])
{
	pid_t pid = spawn(argv);
	waitpid(pid, NULL, 0);
}

static void drain(struct pybpf_trace_pipe *tp)
{
	const char *line;
	while (pybpf_trace_pipe__read_line(tp, 0, &line) >= 0)
		;
}

/* Waits up to 2 s for a trace line containing `needle`. */
static bool trace_has(struct pybpf_trace_pipe *tp, const char *needle, char *found, size_t fsz)
{
	for (int i = 0; i < 100; i++) {
		const char *line;
		if (pybpf_trace_pipe__read_line(tp, 20, &line) >= 0 && strstr(line, needle)) {
			snprintf(found, fsz, "%s", line);
			return true;
		}
	}
	return false;
}

static const char *const true_argv[] = {"/bin/true", NULL};

static void test_hello(struct pybpf_trace_pipe *tp)
{
	const char *t = "hello_world";
	struct pybpf_object *obj = compile_load(t, "examples/hello_world.py");
	if (!obj)
		return;
	check_btf(t, obj, "examples/hello_world.py");
	drain(tp);
	int n = pybpf_object__attach_all(obj);
	report(n == 1, t, "attaches 1 program (got %d)", n);
	run_and_wait(true_argv);
	char line[512] = "";
	report(trace_has(tp, "exec at ", line, sizeof line), t, "trace output: %s", line);
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, "last");
	unsigned long long key = 0, val = 0;
	int err = m ? pybpf_map__lookup(m, &key, 8, &val, 8, 0) : -ENOENT;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long now =
		(unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
	report(err == 0 && val > 0 && val <= now, t, "map last[0] = %llu (a ktime <= %llu)", val,
	       now);
	pybpf_object__close(obj);
}

static void test_seed_blog(struct pybpf_trace_pipe *tp)
{
	const char *t = "seed_blog";
	struct pybpf_object *obj = compile_load(t, "tests/kernel/programs/seed_blog.py");
	if (!obj)
		return;
	check_btf(t, obj, "tests/kernel/programs/seed_blog.py");
	drain(tp);
	int n = pybpf_object__attach_all(obj);
	report(n == 2, t, "attaches 2 programs (got %d)", n);
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, "last");
	unsigned long long key = 0, val = 1;
	int before = m ? pybpf_map__lookup(m, &key, 8, &val, 8, 0) : 0;
	run_and_wait(true_argv);
	char line[512] = "";
	report(trace_has(tp, "entered", line, sizeof line), t, "trace output: %s", line);
	report(trace_has(tp, "exited", line, sizeof line), t, "trace output: %s", line);
	int err = m ? pybpf_map__lookup(m, &key, 8, &val, 8, 0) : -ENOENT;
	report(before == -ENOENT && err == 0 && val == 0, t,
	       "map last[0] was missing (%d), is now present with 0 (%d, %llu)", before, err, val);
	pybpf_object__close(obj);
}

static void test_exec_counter(void)
{
	const char *t = "exec_counter";
	struct pybpf_object *obj = compile_load(t, "examples/exec_counter.py");
	if (!obj)
		return;
	check_btf(t, obj, "examples/exec_counter.py");
	int n = pybpf_object__attach_all(obj);
	report(n == 1, t, "attaches 1 program (got %d)", n);
	/* one process, three execs: sh, then sh again, then true */
	const char *const argv[] = {"/bin/sh", "-c", "exec /bin/sh -c 'exec /bin/true'", NULL};
	pid_t pid = spawn(argv);
	waitpid(pid, NULL, 0);
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, "execs");
	unsigned int key = (unsigned int)pid;
	unsigned long long val = 0;
	int err = m ? pybpf_map__lookup(m, &key, 4, &val, 8, 0) : -ENOENT;
	report(err == 0 && val == 3, t, "execs[%d] = %llu (expected 3)", pid, val);
	pybpf_object__close(obj);
}

struct exec_event {
	unsigned int pid, uid;
	unsigned long long ts;
	char comm[16];
};

struct events_seen {
	int want_pid;
	int matched, total;
	struct exec_event ev;
};

static int on_event(void *ctx, void *data, size_t size)
{
	struct events_seen *s = ctx;
	s->total++;
	if (size != sizeof(struct exec_event))
		return 0;
	const struct exec_event *e = data;
	if ((int)e->pid == s->want_pid) {
		s->matched++;
		s->ev = *e;
	}
	return 0;
}

static void test_exec_events(void)
{
	const char *t = "exec_events";
	struct pybpf_object *obj = compile_load(t, "examples/exec_events.py");
	if (!obj)
		return;
	check_btf(t, obj, "examples/exec_events.py");
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, "events");
	struct events_seen seen = {0};
	struct pybpf_ring_buffer *rb = m ? pybpf_ring_buffer__new(m, on_event, &seen, NULL) : NULL;
	report(rb != NULL, t, "ring buffer consumer");
	int n = pybpf_object__attach_all(obj);
	report(n == 1, t, "attaches 1 program (got %d)", n);
	pid_t pid = spawn(true_argv);
	seen.want_pid = pid;
	waitpid(pid, NULL, 0);
	for (int i = 0; i < 20 && !seen.matched && rb; i++)
		pybpf_ring_buffer__poll(rb, 50);
	report(seen.matched == 1 && strcmp(seen.ev.comm, "true") == 0 &&
		       seen.ev.uid == (unsigned)getuid() && seen.ev.ts > 0,
	       t, "event for pid %d: comm=\"%.16s\" uid=%u ts=%llu (%d events seen)", pid,
	       seen.ev.comm, seen.ev.uid, seen.ev.ts, seen.total);
	pybpf_ring_buffer__free(rb);
	pybpf_object__close(obj);
}

/* Every example passes the verifier at every -mcpu and -O level. */
static void test_matrix(void)
{
	static const char *const files[] = {"examples/hello_world.py", "examples/exec_counter.py",
					    "examples/exec_events.py",
					    "tests/kernel/programs/seed_blog.py"};
	static const char *const cpus[] = {"v1", "v2", "v3", "v4"};
	for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", PYBPF_SOURCE_DIR, files[f]);
		size_t len;
		char *src = test_read_file(path, &len);
		int ok = 0, total = 0;
		char failures[1024] = "";
		for (int c = 0; c < 4; c++) {
			for (int o = 0; o < 4; o++) {
				LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = path,
					      .mcpu = cpus[c],
					      .opt = (enum pybpf_opt)(PYBPF_OPT_O0 + o));
				struct pybpf_result *res = NULL;
				total++;
				int loaded = 0;
				if (src && pybpf_compile(src, len, &co, &res) == 0) {
					size_t n;
					const void *obj_bytes = pybpf_result__output(res, &n);
					struct pybpf_object *obj =
						pybpf_object__open_mem(obj_bytes, n, NULL);
					loaded = obj && pybpf_object__load(obj) == 0;
					pybpf_object__close(obj);
				}
				pybpf_result__free(res);
				if (loaded)
					ok++;
				else
					snprintf(failures + strlen(failures),
						 sizeof failures - strlen(failures), " %s/-O%d",
						 cpus[c], o);
			}
		}
		free(src);
		report(ok == total, "matrix", "%s loads at %d/%d (mcpu, -O) combinations%s%s",
		       files[f], ok, total, ok == total ? "" : "; failed:", failures);
	}
}

static int quiet(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root to load BPF programs\n");
		return 0;
	}
	pybpf_set_print(quiet);
	pybpf_mount_bpffs();
	struct pybpf_trace_pipe *tp = pybpf_trace_pipe__open();
	report(tp != NULL, "setup", "trace_pipe opens");
	if (tp) {
		test_hello(tp);
		test_seed_blog(tp);
	}
	test_exec_counter();
	test_exec_events();
	test_matrix();
	pybpf_trace_pipe__close(tp);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
