/*
 * test_semantics.c - self-checking BPF programs, run in the kernel.
 *
 * Every .py file in the given directory is compiled at each --mcpu (v1..v4)
 * and at -O0 and -O2, loaded, and each of its programs is run once with
 * BPF_PROG_TEST_RUN (raw tracepoints run in the context of this process; XDP
 * and tc programs get a 64-byte packet), in the object's order: section by
 * section, and in source order within a section, so a program may check what
 * an earlier one of its section left in maps and globals. A program returns
 * 0 when all its checks hold, or the number of the first failing check.
 *
 * Comment lines in a file add expectations, checked after its programs ran
 * (once per compilation):
 *   # EXPECT-TRACE: text      a trace_pipe line ends with this text (in order)
 *   # EXPECT-RECORD: map hex  the next record of ring buffer / perf array
 *                             `map` starts with these bytes
 *   # EXPECT-MAP: map key hex the value of `map` at `key` is exactly these
 *                             bytes (lowercase hex); `key` is an integer
 *                             (decimal, or 0x hex, may be negative)
 *                             stored little-endian in the map's key size;
 *                             hex `none` means the key is missing; for a
 *                             per-CPU map, some CPU's value must match
 *   # MIN-MCPU: n             compile only at --mcpu=vn and later
 *   # CHECK-CONTEXT: map      map[0] holds a struct context filled by the
 *                             program: pid, tid, uid, gid (u32 each), then
 *                             ktime (u64), cpu (u32), pad, comm (16 bytes);
 *                             compared with what this process knows
 *   # MOVED-BTF: S N f...     also compile (v3 -O2) with --btf pointing at a
 *                             copy of the running kernel's BTF in which the
 *                             fields f... of struct S are N bytes further
 *                             on (and S is N bytes larger), and run the same checks: CO-RE
 * relocations must put the real offsets back at load time # CHECK-TASK: map         map[0] holds a
 * struct task_info read from the kernel's task_struct: pid, tgid, ppid, size (u32 each), comm (16
 * bytes); compared with gettid(), getpid(), getppid(), the size of the running kernel's task_struct
 * and the comm
 *
 *   # PACKET: hex [ret [out]]  XDP and tc programs are run once per PACKET
 *                             line (in order) with these bytes as the packet
 *                             instead of 64 zero bytes, and must return ret
 *                             (default 0); the packet they leave starts
 *                             with the bytes of `out`
 *
 * Every program must also have been loaded with its BTF.
 *
 * Needs root (prints SKIP otherwise); reads trace_pipe (RESOURCE_LOCK).
 * Ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include "pybpf/compile.h"
#include "pybpf/libpybpf.h"
#include "test_util.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int passed, failed;
static struct pybpf_trace_pipe *tp;

static void report(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s ", ok ? "PASS" : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (ok)
		passed++;
	else
		failed++;
}

/* ---- records from ring buffers and perf arrays ---- */

#define MAX_RECORDS 64

typedef struct Records {
	const char *map;
	int n;
	unsigned char data[MAX_RECORDS][256];
	size_t size[MAX_RECORDS];
} Records;

static void keep(Records *r, const void *data, size_t size)
{
	if (r->n >= MAX_RECORDS)
		return;
	size_t n = size < 256 ? size : 256;
	memcpy(r->data[r->n], data, n);
	r->size[r->n++] = n;
}

static int on_ring(void *ctx, void *data, size_t size)
{
	keep(ctx, data, size);
	return 0;
}

static void on_perf(void *ctx, int cpu, void *data, __u32 size)
{
	keep(ctx, data, size);
}

/* ---- running one compiled object ---- */

/* The kernel keeps a program's BTF only when it accepted it (libbpf loads
 * without BTF, with a warning, when the kernel rejects it). */
static bool has_btf(struct pybpf_program *prog)
{
	struct bpf_prog_info info;
	__u32 len = sizeof info;
	memset(&info, 0, sizeof info);
	return bpf_obj_get_info_by_fd(pybpf_program__fd(prog), &info, &len) == 0 && info.btf_id;
}

static int run_program(struct pybpf_program *prog)
{
	int fd = pybpf_program__fd(prog);
	unsigned char pkt[64] = {0};
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	if (pybpf_program__type(prog) != BPF_PROG_TYPE_RAW_TRACEPOINT) {
		topts.data_in = pkt;
		topts.data_size_in = sizeof pkt;
		topts.repeat = 1;
	}
	int err = bpf_prog_test_run_opts(fd, &topts);
	return err ? err : (int)topts.retval;
}

static int hexval(char c);
static int parse_hex(const char *hex, unsigned char *out, size_t cap);

/* Runs a packet program once per `# PACKET:` line of src; false when src
 * has none. */
static bool run_packets(const char *what, const char *src, struct pybpf_program *prog)
{
	bool any = false;
	for (const char *p = strstr(src, "# PACKET: "); p; p = strstr(p + 1, "# PACKET: ")) {
		char line[6300], hex[3100], outhex[3100] = "";
		size_t ll = strcspn(p + 10, "\n");
		if (ll >= sizeof line)
			ll = sizeof line - 1;
		memcpy(line, p + 10, ll);
		line[ll] = 0;
		int want = 0, n = sscanf(line, "%3099s %d %3099s", hex, &want, outhex);
		unsigned char in[1550], out[1550], expect[1550];
		int len = n >= 1 ? parse_hex(hex, in, sizeof in) : -1;
		int olen = n == 3 ? parse_hex(outhex, expect, sizeof expect) : 0;
		if (len < 0 || olen < 0) {
			report(false, "%s: malformed PACKET line", what);
			continue;
		}
		any = true;
		LIBBPF_OPTS(bpf_test_run_opts, topts, .data_in = in, .data_size_in = (__u32)len,
			    .data_out = out, .data_size_out = sizeof out, .repeat = 1);
		int err = bpf_prog_test_run_opts(pybpf_program__fd(prog), &topts);
		int rv = err ? err : (int)topts.retval;
		report(rv == want && (!olen || (topts.data_size_out >= (__u32)olen &&
						memcmp(out, expect, (size_t)olen) == 0)),
		       "%s: %s returns %d (want %d) on packet %.24s...%s", what,
		       pybpf_program__name(prog), rv, want, hex,
		       olen ? " with the packet out" : "");
	}
	return any;
}

static void check_context(const char *what, struct pybpf_object *obj, const char *map,
			  unsigned long long t0)
{
	struct ctx_record {
		unsigned int pid, tid, uid, gid;
		unsigned long long ktime;
		unsigned int cpu, pad;
		char comm[16];
	} r;
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, map);
	unsigned int key = 0;
	memset(&r, 0, sizeof r);
	int err = m ? pybpf_map__lookup(m, &key, 4, &r, sizeof r, 0) : -ENOENT;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long long t1 =
		(unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
	char comm[16] = {0};
	prctl(PR_GET_NAME, comm);
	bool ok = err == 0 && r.pid == (unsigned)getpid() &&
		  r.tid == (unsigned)syscall(SYS_gettid) && r.uid == (unsigned)getuid() &&
		  r.gid == (unsigned)getgid() && r.ktime >= t0 && r.ktime <= t1 &&
		  r.cpu < (unsigned)sysconf(_SC_NPROCESSORS_CONF) && strcmp(r.comm, comm) == 0;
	report(ok,
	       "%s: context pid=%u tid=%u uid=%u gid=%u ktime in [%llu, %llu]: %llu cpu=%u comm=%s",
	       what, r.pid, r.tid, r.uid, r.gid, t0, t1, r.ktime, r.cpu, r.comm);
}

static void check_task(const char *what, struct pybpf_object *obj, const char *map)
{
	struct task_record {
		unsigned int pid, tgid, ppid, size;
		char comm[16];
	} r;
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, map);
	unsigned int key = 0;
	memset(&r, 0, sizeof r);
	int err = m ? pybpf_map__lookup(m, &key, 4, &r, sizeof r, 0) : -ENOENT;
	char comm[16] = {0};
	prctl(PR_GET_NAME, comm);
	struct btf *btf = btf__load_vmlinux_btf();
	int id = btf ? btf__find_by_name_kind(btf, "task_struct", BTF_KIND_STRUCT) : -1;
	long size = id > 0 ? (long)btf__resolve_size(btf, (__u32)id) : -1;
	btf__free(btf);
	bool ok = err == 0 && r.pid == (unsigned)syscall(SYS_gettid) &&
		  r.tgid == (unsigned)getpid() && r.ppid == (unsigned)getppid() &&
		  (long)r.size == size && strcmp(r.comm, comm) == 0;
	report(ok, "%s: task pid=%u tgid=%u ppid=%u size=%u comm=%s (expected %ld %d %d %ld %s)",
	       what, r.pid, r.tgid, r.ppid, r.size, r.comm, (long)syscall(SYS_gettid), getpid(),
	       getppid(), size, comm);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Checks the file's EXPECT-RECORD lines against what the maps produced. */
static void check_records(const char *what, const char *src, Records *recs, int nrecs)
{
	int next[8] = {0};
	for (const char *p = strstr(src, "# EXPECT-RECORD: "); p;
	     p = strstr(p + 1, "# EXPECT-RECORD: ")) {
		char map[64], hex[600];
		if (sscanf(p + 17, "%63s %599s", map, hex) != 2)
			continue;
		Records *r = NULL;
		int ri = 0;
		for (int i = 0; i < nrecs; i++)
			if (strcmp(recs[i].map, map) == 0) {
				r = &recs[i];
				ri = i;
			}
		unsigned char want[300];
		size_t n = 0;
		for (size_t i = 0; hex[i] && hex[i + 1] && n < sizeof want; i += 2)
			want[n++] = (unsigned char)(hexval(hex[i]) * 16 + hexval(hex[i + 1]));
		bool ok = r && next[ri] < r->n && r->size[next[ri]] >= n &&
			  memcmp(r->data[next[ri]], want, n) == 0;
		report(ok, "%s: record %d of %s is %s", what, r ? next[ri] : 0, map, hex);
		if (r)
			next[ri]++;
	}
}

/* Decodes lowercase hex into out; the byte count, or -1 when malformed. */
static int parse_hex(const char *hex, unsigned char *out, size_t cap)
{
	size_t n = 0;
	for (; hex[0]; hex += 2) {
		if (n == cap || hexval(hex[0]) < 0 || hexval(hex[1]) < 0)
			return -1;
		out[n++] = (unsigned char)(hexval(hex[0]) * 16 + hexval(hex[1]));
	}
	return (int)n;
}

static bool is_percpu(enum bpf_map_type type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

/* Checks one EXPECT-MAP line: map[key] holds exactly the bytes of `hex`. */
static void check_map(const char *what, struct pybpf_object *obj, const char *map,
		      const char *keytext, const char *hex)
{
	struct pybpf_map *m = pybpf_object__find_map_by_name(obj, map);
	char *end;
	unsigned long long k = strtoull(keytext, &end, 0);
	unsigned char want[300];
	int n = strcmp(hex, "none") == 0 ? 0 : parse_hex(hex, want, sizeof want);
	if (!m || *end || n < 0) {
		report(false, "%s: EXPECT-MAP %s %s %s: no such map, or a bad key or value", what,
		       map, keytext, hex);
		return;
	}
	/* the key: the integer, little-endian, in the map's key size */
	unsigned char key[64] = {0};
	size_t key_size = pybpf_map__key_size(m);
	for (size_t i = 0; i < key_size && i < 8 && i < sizeof key; i++)
		key[i] = (unsigned char)(k >> (8 * i));
	/* per-CPU maps give one value per possible CPU, each rounded up to 8 */
	bool percpu = is_percpu(pybpf_map__type(m));
	size_t value_size = pybpf_map__value_size(m);
	size_t stride = percpu ? (value_size + 7) / 8 * 8 : value_size;
	int ncpus = percpu ? libbpf_num_possible_cpus() : 1;
	if (ncpus < 1)
		ncpus = 1;
	unsigned char *value = calloc(ncpus, stride);
	int err = value ? pybpf_map__lookup(m, key, key_size, value, stride * ncpus, 0) : -ENOMEM;
	bool ok = false;
	if (strcmp(hex, "none") == 0)
		ok = err == -ENOENT;
	for (int c = 0; err == 0 && (size_t)n == value_size && c < ncpus && !ok; c++)
		ok = memcmp(value + c * stride, want, value_size) == 0;
	char got[2 * 256 + 1] = "-";
	for (size_t i = 0; err == 0 && i < value_size && i < 256; i++)
		snprintf(got + 2 * i, 3, "%02x", value[i]);
	report(ok, "%s: %s[%s] is %s (lookup %d, %s%s)", what, map, keytext, hex, err, got,
	       percpu ? " on cpu 0" : "");
	free(value);
}

/* Checks the EXPECT-MAP lines against the maps' contents. */
static void check_maps(const char *what, const char *src, struct pybpf_object *obj)
{
	for (const char *p = strstr(src, "# EXPECT-MAP: "); p;
	     p = strstr(p + 1, "# EXPECT-MAP: ")) {
		char map[64], key[32], hex[600];
		if (sscanf(p + 14, "%63s %31s %599s", map, key, hex) != 3)
			report(false, "%s: malformed EXPECT-MAP line", what);
		else
			check_map(what, obj, map, key, hex);
	}
}

/* Checks the EXPECT-TRACE lines, in order, against trace_pipe. */
static void check_trace(const char *what, const char *src)
{
	for (const char *p = strstr(src, "# EXPECT-TRACE: "); p;
	     p = strstr(p + 1, "# EXPECT-TRACE: ")) {
		const char *start = p + 16, *end = strchr(start, '\n');
		size_t n = end ? (size_t)(end - start) : strlen(start);
		char want[512];
		snprintf(want, sizeof want, "%.*s", (int)n, start);
		bool found = false;
		const char *line = NULL;
		for (int i = 0; i < 50 && !found; i++) {
			if (pybpf_trace_pipe__read_line(tp, 20, &line) < 0)
				continue;
			size_t ll = strlen(line);
			found = ll >= n && strcmp(line + ll - n, want) == 0;
		}
		report(found, "%s: trace line \"%s\"", what, want);
	}
}

/* Writes the running kernel's BTF with fields of one struct moved (spec:
 * "S N f1 f2 ...", to the end of the line) to a temporary file named in
 * path. */
static bool write_moved_btf(const char *spec, char *path, size_t size)
{
	char line[512], sname[128];
	int delta, at;
	snprintf(line, sizeof line, "%.*s", (int)strcspn(spec, "\n"), spec);
	if (sscanf(line, "%127s %d %n", sname, &delta, &at) != 2)
		return false;
	struct btf *btf = btf__parse("/sys/kernel/btf/vmlinux", NULL);
	int id = btf ? btf__find_by_name_kind(btf, sname, BTF_KIND_STRUCT) : -1;
	if (id < 0) {
		btf__free(btf);
		return false;
	}
	/* a parsed BTF's types live in its raw data: edit them in place */
	struct btf_type *t = (struct btf_type *)btf__type_by_id(btf, (__u32)id);
	struct btf_member *m = btf_members(t);
	int moved = 0;
	t->size += (__u32)delta;
	for (char *f = strtok(line + at, " "); f; f = strtok(NULL, " ")) {
		for (int i = 0; i < btf_vlen(t); i++) {
			if (strcmp(btf__name_by_offset(btf, m[i].name_off), f) == 0) {
				m[i].offset += (__u32)delta * 8; /* bits (low 24 with kflag) */
				moved++;
			}
		}
	}
	__u32 n;
	const void *raw = btf__raw_data(btf, &n);
	snprintf(path, size, "/tmp/pybpf-moved-btf-XXXXXX");
	int fd = mkstemp(path);
	bool ok = fd >= 0 && moved > 0 && raw && write(fd, raw, n) == (ssize_t)n;
	if (fd >= 0)
		close(fd);
	btf__free(btf);
	return ok;
}

static void drain_trace(void)
{
	const char *line;
	while (pybpf_trace_pipe__read_line(tp, 0, &line) >= 0)
		;
}

static void run_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src) {
		report(false, "%s: cannot read", path);
		return;
	}
	static const char *const cpus[] = {"v1", "v2", "v3", "v4"};
	static const enum pybpf_opt opts[] = {PYBPF_OPT_O0, PYBPF_OPT_O2};
	const char *min = strstr(src, "# MIN-MCPU: ");
	/* c == 4: v3 -O2 with the BTF of MOVED-BTF */
	char moved[64] = "";
	const char *mv = strstr(src, "# MOVED-BTF: ");
	if (mv && !write_moved_btf(mv + 13, moved, sizeof moved)) {
		report(false, "%s: cannot write the BTF for MOVED-BTF", name);
		moved[0] = 0;
	}
	for (int c = min ? atoi(min + 12) - 1 : 0; c < 5; c++) {
		if (c == 4 && !moved[0])
			break;
		for (int o = c == 4 ? 1 : 0; o < 2; o++) {
			char what[256];
			if (c == 4)
				snprintf(what, sizeof what, "%s [v3 -O2 --btf moved]", name);
			else
				snprintf(what, sizeof what, "%s [%s -O%d]", name, cpus[c],
					 o ? 2 : 0);
			LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = path,
				      .mcpu = cpus[c == 4 ? 2 : c], .opt = opts[o],
				      .btf_path = c == 4 ? moved : NULL);
			struct pybpf_result *res = NULL;
			if (pybpf_compile(src, len, &co, &res) != 0) {
				report(false, "%s: compile\n%s", what,
				       pybpf_result__diags_text(res));
				pybpf_result__free(res);
				continue;
			}
			size_t n;
			const void *bytes = pybpf_result__output(res, &n);
			struct pybpf_object *obj = pybpf_object__open_mem(bytes, n, NULL);
			pybpf_result__free(res);
			if (!obj || pybpf_object__load(obj) < 0) {
				report(false, "%s: load\n%s", what,
				       obj ? pybpf_object__load_log(obj) : "");
				pybpf_object__close(obj);
				continue;
			}
			/* consumers for every ring buffer and perf array */
			Records *recs = calloc(8, sizeof(Records));
			struct pybpf_ring_buffer *rbs[8] = {0};
			struct pybpf_perf_buffer *pbs[8] = {0};
			int nrecs = 0;
			struct pybpf_map *m;
			pybpf_object__for_each_map (m, obj) {
				if (nrecs == 8)
					break;
				recs[nrecs].map = pybpf_map__name(m);
				if (pybpf_map__type(m) == BPF_MAP_TYPE_RINGBUF)
					rbs[nrecs] = pybpf_ring_buffer__new(m, on_ring,
									    &recs[nrecs], NULL);
				else if (pybpf_map__type(m) == BPF_MAP_TYPE_PERF_EVENT_ARRAY)
					pbs[nrecs] = pybpf_perf_buffer__new(m, on_perf,
									    &recs[nrecs], NULL);
				else
					continue;
				nrecs++;
			}
			drain_trace();
			struct timespec ts;
			clock_gettime(CLOCK_MONOTONIC, &ts);
			unsigned long long t0 = (unsigned long long)ts.tv_sec * 1000000000ull +
						(unsigned long long)ts.tv_nsec;
			struct pybpf_program *prog;
			pybpf_object__for_each_program (prog, obj) {
				if (!has_btf(prog))
					report(false, "%s: %s was loaded without its BTF", what,
					       pybpf_program__name(prog));
				if (pybpf_program__type(prog) != BPF_PROG_TYPE_RAW_TRACEPOINT &&
				    run_packets(what, src, prog))
					continue;
				int rv = run_program(prog);
				report(rv == 0, "%s: %s returns %d", what,
				       pybpf_program__name(prog), rv);
			}
			for (int i = 0; i < nrecs; i++) {
				if (rbs[i])
					pybpf_ring_buffer__consume(rbs[i]);
				if (pbs[i])
					pybpf_perf_buffer__poll(pbs[i], 100);
			}
			check_records(what, src, recs, nrecs);
			check_trace(what, src);
			check_maps(what, src, obj);
			const char *cc = strstr(src, "# CHECK-CONTEXT: ");
			if (cc) {
				char map[64];
				if (sscanf(cc + 17, "%63s", map) == 1)
					check_context(what, obj, map, t0);
			}
			const char *ct = strstr(src, "# CHECK-TASK: ");
			if (ct) {
				char map[64];
				if (sscanf(ct + 14, "%63s", map) == 1)
					check_task(what, obj, map);
			}
			for (int i = 0; i < nrecs; i++) {
				pybpf_ring_buffer__free(rbs[i]);
				pybpf_perf_buffer__free(pbs[i]);
			}
			free(recs);
			pybpf_object__close(obj);
		}
	}
	if (moved[0])
		unlink(moved);
	free(src);
}

static int quiet(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_py(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 3 && strcmp(d->d_name + n - 3, ".py") == 0;
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root to load and run BPF programs\n");
		return 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: test_semantics DIR\n");
		return 2;
	}
	pybpf_set_print(quiet);
	prctl(PR_SET_NAME, "pybpf-semtest");
	tp = pybpf_trace_pipe__open();
	report(tp != NULL, "trace_pipe opens");
	struct dirent **names;
	int n = scandir(argv[1], &names, is_py, by_name);
	for (int i = 0; i < n; i++) {
		if (tp)
			run_file(argv[1], names[i]->d_name);
		free(names[i]);
	}
	free(names);
	pybpf_trace_pipe__close(tp);
	printf("%d passed, %d failed\n", passed, failed);
	return failed || n <= 0 ? 1 : 0;
}
