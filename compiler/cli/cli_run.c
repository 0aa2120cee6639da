/*
 * cli_run.c - `pybpf run`: compile in memory, load, attach, watch, clean up.
 *
 * After attaching every program it streams what the programs produce: the
 * lines they print (trace_pipe), ring buffer records and perf buffer samples.
 * It stops on Ctrl-C or SIGTERM, at the end of --duration, or shortly after
 * the command given with -c exits (bpftrace's -c), then detaches and prints
 * the contents of every map. Lines already waiting in trace_pipe before the
 * programs were attached are dropped, so what is shown comes from this run.
 * Records and map entries are shown as integers when their size is 1, 2, 4
 * or 8 bytes, and as hex bytes otherwise.
 */
#include "cli.h"
#include "pybpf/libpybpf.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Prints bytes as an unsigned integer (sizes 1, 2, 4, 8) or as hex. */
static void print_value(FILE *out, const unsigned char *p, size_t n)
{
	if (n == 1 || n == 2 || n == 4 || n == 8) {
		uint64_t v = 0;
		memcpy(&v, p, n); /* little endian */
		fprintf(out, "%llu", (unsigned long long)v);
		return;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%02x", i ? " " : "", p[i]);
}

/* The message of a trace_pipe line ("<task>-<pid> [cpu] ...: bpf_trace_printk: msg"). */
static const char *trace_message(const char *line)
{
	const char *m = strstr(line, "bpf_trace_printk: ");
	return m ? m + strlen("bpf_trace_printk: ") : line;
}

static int on_ring_record(void *ctx, void *data, size_t size)
{
	const char *name = ctx;
	printf("%s: ", name);
	print_value(stdout, data, size);
	putchar('\n');
	fflush(stdout);
	return 0;
}

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	const char *name = ctx;
	printf("%s (cpu %d): ", name, cpu);
	print_value(stdout, data, size);
	putchar('\n');
	fflush(stdout);
}

static bool is_dumpable(const struct pybpf_map *m)
{
	const char *name = pybpf_map__name(m);
	switch (pybpf_map__type(m)) {
	case BPF_MAP_TYPE_HASH:
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_LRU_HASH:
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		return strchr(name, '.') == NULL; /* not .rodata/.bss/.data */
	default:
		return false;
	}
}

static void dump_map(const struct pybpf_map *m)
{
	size_t ks = pybpf_map__key_size(m), vs = pybpf_map__value_size(m);
	if (pybpf_map__type(m) == BPF_MAP_TYPE_PERCPU_HASH ||
	    pybpf_map__type(m) == BPF_MAP_TYPE_PERCPU_ARRAY)
		return; /* per-CPU values are shown by the Python runtime */
	unsigned char *key = calloc(1, ks), *next = calloc(1, ks), *val = calloc(1, vs);
	if (!key || !next || !val)
		goto out;
	printf("%s:\n", pybpf_map__name(m));
	int n = 0;
	const void *cur = NULL;
	while (pybpf_map__get_next_key(m, cur, next, ks) == 0) {
		memcpy(key, next, ks);
		cur = key;
		if (pybpf_map__lookup(m, key, ks, val, vs, 0) != 0)
			continue;
		printf("  [");
		print_value(stdout, key, ks);
		printf("] = ");
		print_value(stdout, val, vs);
		putchar('\n');
		n++;
		if (pybpf_map__type(m) == BPF_MAP_TYPE_ARRAY && n >= 64)
			break;
	}
	if (n == 0)
		printf("  (empty)\n");
out:
	free(key);
	free(next);
	free(val);
}

/* Base name of path without ".py": the object name. */
static char *object_name(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	char *name = malloc(n + 1);
	if (name) {
		memcpy(name, base, n);
		name[n] = 0;
	}
	return name;
}

static pid_t start_command(const char *cmd)
{
	pid_t pid = fork();
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return pid;
}

typedef struct RunOptions {
	const char *input;
	const char *command;
	double duration; /* seconds; 0: until stopped */
	struct pybpf_compile_opts copts;
} RunOptions;

static int parse_run_args(int argc, char **argv, RunOptions *ro)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, &ro->copts);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(a, "--duration") == 0 || strcmp(a, "-d") == 0) {
			char *end;
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a number of seconds", a), -1;
			ro->duration = strtod(argv[++i], &end);
			if (*end || ro->duration <= 0)
				return cli_usage_error("bad duration '%s'", argv[i]), -1;
		} else if (strcmp(a, "-c") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a command", a), -1;
			ro->command = argv[++i];
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a), -1;
		} else if (ro->input) {
			return cli_usage_error("more than one input file ('%s')", a), -1;
		} else {
			ro->input = a;
		}
	}
	if (!ro->input)
		return cli_usage_error("%s", "run needs an input file"), -1;
	return 0;
}

/* Compiles and loads; NULL after printing why (status in *status). */
static struct pybpf_object *compile_and_load(RunOptions *ro, int *status)
{
	size_t len;
	char *src = cli_read_file(ro->input, &len);
	*status = 2;
	if (!src)
		return NULL;
	ro->copts.filename = ro->input;
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &ro->copts, &res);
	free(src);
	fputs(pybpf_result__diags_text(res), stderr);
	if (rc) {
		*status = rc == 1 ? 1 : 2;
		pybpf_result__free(res);
		return NULL;
	}
	size_t n;
	const void *data = pybpf_result__output(res, &n);
	char *name = object_name(ro->input);
	LIBPYBPF_OPTS(pybpf_object_open_opts, oo, .object_name = name);
	struct pybpf_object *obj = pybpf_object__open_mem(data, n, &oo);
	pybpf_result__free(res);
	free(name);
	if (!obj) {
		fprintf(stderr, "pybpf: error: cannot open the compiled object: %s\n",
			strerror(errno));
		return NULL;
	}
	if (pybpf_object__load(obj) < 0) {
		int err = errno;
		fprintf(stderr, "%s: error: the kernel rejected the program: %s\n", ro->input,
			strerror(err));
		fputs(pybpf_object__load_log(obj), stderr);
		pybpf_object__close(obj);
		*status = 1;
		return NULL;
	}
	*status = 0;
	return obj;
}

static int silent_print(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	return level == PYBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

int cli_run(int argc, char **argv)
{
	RunOptions ro = {0};
	ro.copts.sz = sizeof ro.copts;
	if (parse_run_args(argc, argv, &ro))
		return 2;
	pybpf_set_print(silent_print);
	int status;
	struct pybpf_object *obj = compile_and_load(&ro, &status);
	if (!obj)
		return status;

	struct pybpf_trace_pipe *tp = pybpf_trace_pipe__open();
	if (tp) {
		const char *line;
		while (pybpf_trace_pipe__read_line(tp, 0, &line) >= 0)
			; /* drop lines from before this run */
	}
	struct pybpf_ring_buffer *rb = NULL;
	struct pybpf_perf_buffer *pb = NULL;
	struct pybpf_map *m;
	pybpf_object__for_each_map (m, obj) {
		if (pybpf_map__type(m) == BPF_MAP_TYPE_RINGBUF) {
			if (!rb)
				rb = pybpf_ring_buffer__new(m, on_ring_record,
							    (void *)pybpf_map__name(m), NULL);
			else
				pybpf_ring_buffer__add(rb, m, on_ring_record,
						       (void *)pybpf_map__name(m));
		} else if (pybpf_map__type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY && !pb) {
			pb = pybpf_perf_buffer__new(m, on_perf_sample, (void *)pybpf_map__name(m),
						    NULL);
		}
	}

	int attached = pybpf_object__attach_all(obj);
	if (attached < 0) {
		fprintf(stderr, "%s: error: cannot attach: %s\n", ro.input, strerror(-attached));
		pybpf_ring_buffer__free(rb);
		pybpf_perf_buffer__free(pb);
		pybpf_trace_pipe__close(tp);
		pybpf_object__close(obj);
		return 1;
	}
	fprintf(stderr, "pybpf: %d program%s attached%s\n", attached, attached == 1 ? "" : "s",
		ro.command || ro.duration ? "" : "; Ctrl-C to stop");

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	pid_t child = ro.command ? start_command(ro.command) : -1;
	double start = now_s(), child_done_at = 0;
	while (!stop_requested) {
		if (ro.duration && now_s() - start >= ro.duration)
			break;
		if (child > 0 && waitpid(child, NULL, WNOHANG) == child) {
			child = -1;
			child_done_at = now_s();
		}
		if (child_done_at && now_s() - child_done_at > 0.25)
			break; /* the command is done and its events drained */
		if (rb)
			pybpf_ring_buffer__poll(rb, 0);
		if (pb)
			pybpf_perf_buffer__poll(pb, 0);
		const char *line;
		int got = tp ? pybpf_trace_pipe__read_line(tp, 20, &line) : -1;
		if (got >= 0) {
			printf("%s\n", trace_message(line));
			fflush(stdout);
		} else if (!tp) {
			struct timespec ts = {0, 20 * 1000 * 1000};
			nanosleep(&ts, NULL);
		}
	}
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, NULL, 0);
	}
	pybpf_object__detach_all(obj);
	if (rb)
		pybpf_ring_buffer__consume(rb);
	if (pb)
		pybpf_perf_buffer__consume(pb);
	pybpf_object__for_each_map (m, obj) {
		if (is_dumpable(m))
			dump_map(m);
	}
	fflush(stdout);
	pybpf_ring_buffer__free(rb);
	pybpf_perf_buffer__free(pb);
	pybpf_trace_pipe__close(tp);
	pybpf_object__close(obj);
	return 0;
}
