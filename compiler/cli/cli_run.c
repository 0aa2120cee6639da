/*
 * cli_run.c - `pybpf run`: compile in memory, load, attach, watch, clean up.
 *
 * After attaching every program it streams what the programs produce: the
 * lines they print (trace_pipe), ring buffer records and perf buffer samples,
 * one line each ("events: {pid: 12, comm: \"bash\"}"). It stops on Ctrl-C or
 * SIGTERM, at the end of --duration, or shortly after the command given with
 * -c exits (bpftrace's -c), then detaches and prints the contents of every
 * map, and the object's close removes its programs, links and maps from the
 * kernel. Lines already waiting in trace_pipe before the programs were
 * attached are dropped, so what is shown comes from this run.
 *
 * Values are decoded with the object's BTF (pybpf_btf__format): map keys and
 * values from the map's BTF types, records from the record type the compiler
 * recorded for the map (pybpf_map__btf_event_type_id). Without a type, or
 * when a record is shorter than it, 1, 2, 4 and 8-byte values show as
 * unsigned integers and others as hex bytes. Per-CPU values show as their sum
 * when they are integers, else as a list with one value per CPU.
 *
 * A map is printed as a histogram when its name ends in "hist" (any case),
 * its key is an integer and its value an integer (per-CPU values are
 * summed): key i is a log2 slot as in bcc (values v with bit length i,
 * i.e. 2^(i-1) <= v < 2^i), printed like bcc's print_log2_hist. Array maps
 * show only their non-zero entries.
 */
#include "cli.h"
#include "pybpf/libpybpf.h"

#include <bpf/btf.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
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

/* How the records of one ring buffer or perf event array are shown. */
typedef struct EventMap {
	const char *name;
	const struct btf *btf;
	__u32 type_id; /* 0: unknown */
	unsigned long long lost;
} EventMap;

/* Formats size bytes of BTF type id (0: unknown) into a malloc'ed string. */
static char *format_bytes(const struct btf *btf, __u32 id, const void *data, size_t size)
{
	if (btf && id) {
		int n = pybpf_btf__format(btf, id, data, size, NULL, 0);
		char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
		if (buf && pybpf_btf__format(btf, id, data, size, buf, (size_t)n + 1) == n)
			return buf;
		free(buf);
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	print_value(f, data, size);
	fclose(f);
	return buf;
}

static void print_record(const EventMap *em, const void *data, size_t size)
{
	char *text = format_bytes(em->btf, em->type_id, data, size);
	printf("%s: %s\n", em->name, text ? text : "?");
	free(text);
	fflush(stdout);
}

static int on_ring_record(void *ctx, void *data, size_t size)
{
	print_record(ctx, data, size);
	return 0;
}

static void on_perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	(void)cpu;
	print_record(ctx, data, size);
}

static void on_perf_lost(void *ctx, int cpu, __u64 cnt)
{
	EventMap *em = ctx;
	em->lost += cnt;
	fprintf(stderr, "pybpf: %s: lost %llu sample%s on CPU %d\n", em->name,
		(unsigned long long)cnt, cnt == 1 ? "" : "s", cpu);
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
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
		return strchr(name, '.') == NULL; /* not .rodata/.bss/.data */
	default:
		return false;
	}
}

/* The integer BTF type beneath id (typedefs, qualifiers, enums followed), or NULL. */
static const struct btf_type *int_type(const struct btf *btf, __u32 id)
{
	const struct btf_type *t =
		btf && id ? btf__type_by_id(btf, btf__resolve_type(btf, id)) : NULL;
	return t && (btf_is_int(t) || btf_is_any_enum(t)) && t->size <= 8 ? t : NULL;
}

static bool ends_with_hist(const char *name)
{
	size_t n = strlen(name);
	return n >= 4 && strcasecmp(name + n - 4, "hist") == 0;
}

/* The rule of the header comment. */
static bool is_histogram(const struct pybpf_map *m, const struct btf *btf)
{
	return ends_with_hist(pybpf_map__name(m)) && int_type(btf, pybpf_map__btf_key_type_id(m)) &&
	       int_type(btf, pybpf_map__btf_value_type_id(m));
}

static uint64_t load_u64(const unsigned char *p, size_t n)
{
	uint64_t v = 0;
	memcpy(&v, p, n < 8 ? n : 8); /* little endian */
	return v;
}

/* One value of a lookup (all CPUs for per-CPU maps) as text. */
static char *format_value(const struct pybpf_map *m, const struct btf *btf,
			  const unsigned char *val, size_t vs)
{
	__u32 vid = pybpf_map__btf_value_type_id(m);
	if (!pybpf_map__is_percpu(m))
		return format_bytes(btf, vid, val, vs);
	int ncpu = pybpf_num_possible_cpus();
	size_t stride = (vs + 7) / 8 * 8;
	const struct btf_type *it = int_type(btf, vid);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	if (it || (!vid && vs <= 8)) {
		/* integers: the sum over the CPUs */
		uint64_t sum = 0;
		for (int c = 0; c < ncpu; c++)
			sum += load_u64(val + (size_t)c * stride, vs);
		bool sign = it && btf_is_int(it) && (btf_int_encoding(it) & BTF_INT_SIGNED);
		if (sign && vs < 8 && (sum >> (vs * 8 - 1)) & 1)
			sum |= ~0ULL << (vs * 8);
		if (sign)
			fprintf(f, "%lld", (long long)sum);
		else
			fprintf(f, "%llu", (unsigned long long)sum);
	} else {
		fputc('[', f);
		for (int c = 0; c < ncpu; c++) {
			char *t = format_bytes(btf, vid, val + (size_t)c * stride, vs);
			fprintf(f, "%s%s", c ? ", " : "", t ? t : "?");
			free(t);
		}
		fputc(']', f);
	}
	fclose(f);
	return buf;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* bcc's _stars(): floor(width * val / max) stars, at most width. */
static void print_stars(uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((double)width * (double)val / (double)max) : 0;
	if (n > width)
		n = width;
	for (int i = 0; i < width; i++)
		putchar(i < n ? '*' : ' ');
}

/* Prints slot counts like bcc's print_log2_hist(val_type="value"). */
static void print_log2_hist(const uint64_t *slots, int nslots)
{
	int idx_max = -1;
	uint64_t val_max = 0;
	for (int i = 0; i < nslots; i++) {
		if (slots[i] > 0)
			idx_max = i;
		if (slots[i] > val_max)
			val_max = slots[i];
	}
	if (idx_max <= 0) {
		printf("  (empty)\n");
		return;
	}
	bool wide = idx_max > 32;
	int stars = wide ? 20 : 40;
	printf(wide ? "               %-29s : count     distribution\n"
		    : "     %-19s : count     distribution\n",
	       "value");
	for (int i = 1; i <= idx_max; i++) {
		uint64_t low = i == 64 ? 1ULL << 63 : (1ULL << i) >> 1;
		uint64_t high = i == 64 ? ~0ULL : (1ULL << i) - 1;
		if (low == high)
			low--;
		printf(wide ? "%20llu -> %-20llu : %-8llu |" : "%10llu -> %-10llu : %-8llu |",
		       (unsigned long long)low, (unsigned long long)high,
		       (unsigned long long)slots[i]);
		print_stars(slots[i], val_max, stars);
		printf("|\n");
	}
}

/* Reads every entry of m; calls fn(key, value) for each. */
typedef void (*entry_fn)(void *ctx, const unsigned char *key, const unsigned char *val);

static int for_each_entry(const struct pybpf_map *m, entry_fn fn, void *ctx)
{
	size_t ks = pybpf_map__key_size(m), vs = pybpf_map__value_buffer_size(m);
	unsigned char *key = calloc(1, ks ? ks : 1), *next = calloc(1, ks ? ks : 1),
		      *val = calloc(1, vs ? vs : 1);
	int n = -ENOMEM;
	if (!key || !next || !val)
		goto out;
	n = 0;
	const void *cur = NULL;
	while (pybpf_map__get_next_key(m, cur, next, ks) == 0) {
		memcpy(key, next, ks);
		cur = key;
		if (pybpf_map__lookup(m, key, ks, val, vs, 0) != 0)
			continue;
		fn(ctx, key, val);
		n++;
	}
out:
	free(key);
	free(next);
	free(val);
	return n;
}

typedef struct DumpState {
	const struct pybpf_map *m;
	const struct btf *btf;
	bool skip_zero; /* arrays: every key exists */
	int shown;
	uint64_t slots[65];
} DumpState;

static void print_entry(void *ctx, const unsigned char *key, const unsigned char *val)
{
	DumpState *ds = ctx;
	size_t ks = pybpf_map__key_size(ds->m), vbs = pybpf_map__value_buffer_size(ds->m);
	if (ds->skip_zero && all_zero(val, vbs))
		return;
	char *k = format_bytes(ds->btf, pybpf_map__btf_key_type_id(ds->m), key, ks);
	char *v = format_value(ds->m, ds->btf, val, pybpf_map__value_size(ds->m));
	printf("  [%s] = %s\n", k ? k : "?", v ? v : "?");
	free(k);
	free(v);
	ds->shown++;
}

static void count_slot(void *ctx, const unsigned char *key, const unsigned char *val)
{
	DumpState *ds = ctx;
	size_t vs = pybpf_map__value_size(ds->m);
	uint64_t slot = load_u64(key, pybpf_map__key_size(ds->m));
	uint64_t count = 0;
	if (pybpf_map__is_percpu(ds->m)) {
		int ncpu = pybpf_num_possible_cpus();
		for (int c = 0; c < ncpu; c++)
			count += load_u64(val + (size_t)c * ((vs + 7) / 8 * 8), vs);
	} else {
		count = load_u64(val, vs);
	}
	if (slot < 65)
		ds->slots[slot] += count;
}

static void dump_map(const struct pybpf_map *m, const struct btf *btf)
{
	DumpState ds = {.m = m, .btf = btf};
	enum bpf_map_type t = pybpf_map__type(m);
	ds.skip_zero = t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY;
	printf("%s:\n", pybpf_map__name(m));
	if (is_histogram(m, btf)) {
		for_each_entry(m, count_slot, &ds);
		print_log2_hist(ds.slots, 65);
		return;
	}
	for_each_entry(m, print_entry, &ds);
	if (ds.shown == 0)
		printf("  (empty)\n");
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
	const struct btf *btf = pybpf_object__btf(obj);
	struct pybpf_ring_buffer *rb = NULL;
	struct pybpf_perf_buffer **pbs = calloc(pybpf_object__map_cnt(obj) + 1, sizeof(*pbs));
	EventMap *events = calloc(pybpf_object__map_cnt(obj) + 1, sizeof(*events));
	size_t npb = 0, nev = 0;
	struct pybpf_map *m;
	if (!pbs || !events) {
		fprintf(stderr, "pybpf: error: out of memory\n");
		free(pbs);
		free(events);
		pybpf_trace_pipe__close(tp);
		pybpf_object__close(obj);
		return 2;
	}
	pybpf_object__for_each_map (m, obj) {
		enum bpf_map_type type = pybpf_map__type(m);
		if (type != BPF_MAP_TYPE_RINGBUF && type != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
			continue;
		EventMap *em = &events[nev++];
		em->name = pybpf_map__name(m);
		em->btf = btf;
		em->type_id = pybpf_map__btf_event_type_id(m);
		if (type == BPF_MAP_TYPE_RINGBUF) {
			if (!rb)
				rb = pybpf_ring_buffer__new(m, on_ring_record, em, NULL);
			else
				pybpf_ring_buffer__add(rb, m, on_ring_record, em);
		} else {
			LIBPYBPF_OPTS(pybpf_perf_buffer_opts, po, .lost_cb = on_perf_lost);
			struct pybpf_perf_buffer *pb =
				pybpf_perf_buffer__new(m, on_perf_sample, em, &po);
			if (pb)
				pbs[npb++] = pb;
		}
	}

	int attached = pybpf_object__attach_all(obj);
	if (attached < 0) {
		fprintf(stderr, "%s: error: cannot attach: %s\n", ro.input, strerror(-attached));
		pybpf_ring_buffer__free(rb);
		for (size_t i = 0; i < npb; i++)
			pybpf_perf_buffer__free(pbs[i]);
		free(pbs);
		free(events);
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
		for (size_t i = 0; i < npb; i++)
			pybpf_perf_buffer__poll(pbs[i], 0);
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
	for (size_t i = 0; i < npb; i++)
		pybpf_perf_buffer__consume(pbs[i]);
	pybpf_object__for_each_map (m, obj) {
		if (is_dumpable(m))
			dump_map(m, btf);
	}
	fflush(stdout);
	pybpf_ring_buffer__free(rb);
	for (size_t i = 0; i < npb; i++)
		pybpf_perf_buffer__free(pbs[i]);
	free(pbs);
	free(events);
	pybpf_trace_pipe__close(tp);
	pybpf_object__close(obj);
	return 0;
}
