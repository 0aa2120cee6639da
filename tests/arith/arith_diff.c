/*
 * arith_diff.c - integer arithmetic, pybpf against clang-19, in the kernel.
 *
 * gen_arith.py writes, per operator ("stem"), a Python file, the same
 * programs in C, and a table of inputs with the values grammar/dialect.md
 * defines for them (STEM.txt). The build compiles the C files with clang-19
 * -O2 for -mcpu=v1, v3 and v4 (STEM.vN.o). For each stem and each of those
 * CPUs this driver compiles the Python file with pybpf at -O0 and -O2, loads
 * the three objects, fills their `inputs` map identically, runs each program
 * once (BPF_PROG_TEST_RUN) and compares every value they left in `results`.
 *
 * A result C defines must be the same as clang's. Where C leaves it undefined
 * (signed overflow, shift counts outside [0, width), division by zero), the
 * dialect still defines it: pybpf must give the dialect's value (from the
 * table); clang's is only reported (UB lines, and a summary of how clang's
 * results change with -mcpu). A defined result where clang disagrees with
 * the table is a generator bug (MODEL lines, counted as failures).
 *
 * clang-19 cannot compile signed division or modulo below -mcpu=v4
 * ("unsupported signed division"): for the stems that need it (marked "sdiv"
 * in the manifest) the build makes only the v4 object, and that object is the
 * reference for pybpf's v1 and v3 results: the values are what C defines,
 * whatever instructions compute them.
 *
 * Output: a FAIL line per wrong result (or failed compile/load), a MODEL line
 * per table error; per program, result form and CPU, a UB line saying in how
 * many undefined cases clang's value differs from the dialect's, with an
 * example (-v: one line per case); per program and result form, a CLANG-MCPU
 * line when clang's undefined results change with -mcpu.
 *
 * Usage: arith_diff [-v] [-j JOBS] GEN_DIR [STEM...]
 * (default: every stem in the manifest, in one worker process per CPU; the
 * verifier's time dominates). Needs root (prints SKIP otherwise). Ends with
 * "N passed, N failed", counted per compared result: every result of every
 * input, for each -mcpu and each pybpf optimisation level (an object that
 * fails to compile or load counts as one failure).
 */
#define _GNU_SOURCE
#include "pybpf/compile.h"
#include "pybpf/libpybpf.h"
#include "test_util.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NCPU	 3
#define NOPT	 2
#define SENTINEL 0xbad0bad0bad0bad0ull

typedef unsigned long long u64;

static const char *const cpus[NCPU] = {"v1", "v3", "v4"};
static const enum pybpf_opt opts[NOPT] = {PYBPF_OPT_O0, PYBPF_OPT_O2};
static const char *const opt_names[NOPT] = {"-O0", "-O2"};

/* The counters of one stem, in memory shared with the worker processes. */
typedef struct Stats {
	long passed, failed;
	long ub;		       /* results C leaves undefined */
	long ub_differ[NCPU];	       /* of those, where clang's value is not the dialect's */
	long clang_v1_v3, clang_v3_v4; /* of those, where clang's value depends on -mcpu */
	int done;
} Stats;

typedef struct Prog {
	char name[64], kind[8], op[8], ta[16], tb[16];
} Prog;

typedef struct Input {
	int prog;
	u64 a, b, want[2];
	char x[24], y[24], ub[32]; /* ub: "-" when C defines the result */
} Input;

typedef struct Stem {
	char name[64];
	bool sdiv;
	Prog *progs;
	int nprogs;
	Input *in;
	int nin;
} Stem;

static FILE *out; /* the current stem's output */
static Stats *st; /* and its counters */
static bool verbose;

/* ---- the generated table ---- */

static bool load_stem(const char *dir, Stem *s)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s.txt", dir, s->name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(out, "FAIL %s: cannot read %s\n", s->name, path);
		return false;
	}
	char line[512];
	int cap_p = 0, cap_i = 0;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "prog ", 5) == 0) {
			if (s->nprogs == cap_p) {
				cap_p = cap_p ? 2 * cap_p : 16;
				s->progs = realloc(s->progs, (size_t)cap_p * sizeof(Prog));
			}
			Prog *p = &s->progs[s->nprogs++];
			if (sscanf(line, "prog %63s %7s %7s %15s %15s", p->name, p->kind, p->op,
				   p->ta, p->tb) != 5)
				goto bad;
		} else if (strncmp(line, "in ", 3) == 0) {
			if (s->nin == cap_i) {
				cap_i = cap_i ? 2 * cap_i : 256;
				s->in = realloc(s->in, (size_t)cap_i * sizeof(Input));
			}
			Input *in = &s->in[s->nin];
			int idx;
			if (s->nprogs == 0 ||
			    sscanf(line, "in %d %llx %llx %23s %23s %llx %llx %31s", &idx, &in->a,
				   &in->b, in->x, in->y, &in->want[0], &in->want[1], in->ub) != 8 ||
			    idx != s->nin)
				goto bad;
			in->prog = s->nprogs - 1;
			s->nin++;
		}
	}
	fclose(f);
	return s->nin > 0;
bad:
	fprintf(out, "FAIL %s: bad line in %s: %s", s->name, path, line);
	fclose(f);
	return false;
}

/* What result r of an input computes, as source text, with the operands. */
static void describe(const Stem *s, const Input *in, int r, char *buf, size_t size)
{
	const Prog *p = &s->progs[in->prog];
	if (strcmp(p->kind, "unary") == 0) {
		const char *sp = strcmp(p->op, "not") == 0 ? " " : "";
		if (r == 0)
			snprintf(buf, size, "%s%sx with x = %s(%s)", p->op, sp, p->ta, in->x);
		else if (*sp)
			snprintf(buf, size, "if not x with x = %s(%s)", p->ta, in->x);
		else
			snprintf(buf, size, "z: %s = %sx with x = %s(%s)", p->ta, p->op, p->ta,
				 in->x);
		return;
	}
	char expr[32];
	if (r == 0)
		snprintf(expr, sizeof expr, "x %s y", p->op);
	else if (strcmp(p->kind, "cmp") == 0)
		snprintf(expr, sizeof expr, "if x %s y", p->op);
	else
		snprintf(expr, sizeof expr, "z = x; z %s= y", p->op);
	snprintf(buf, size, "%s with x = %s(%s), y = %s(%s)", expr, p->ta, in->x, p->tb, in->y);
}

/* ---- running an object ---- */

static int quiet(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void print_log_tail(const char *log)
{
	size_t n = strlen(log);
	fprintf(out, "%s\n", n > 3000 ? log + n - 3000 : log);
}

/*
 * Loads an object, fills `inputs`, runs every program once and reads
 * `results` into res[2 * nin]. Returns false (after saying why) when
 * something before the comparison failed.
 */
static bool run_object(const char *what, const void *bytes, size_t size, const Stem *s, u64 *res)
{
	struct pybpf_object *obj = pybpf_object__open_mem(bytes, size, NULL);
	if (!obj || pybpf_object__load(obj) < 0) {
		fprintf(out, "FAIL %s: load\n", what);
		if (obj)
			print_log_tail(pybpf_object__load_log(obj));
		pybpf_object__close(obj);
		return false;
	}
	bool ok = false;
	struct pybpf_map *inputs = pybpf_object__find_map_by_name(obj, "inputs");
	struct pybpf_map *results = pybpf_object__find_map_by_name(obj, "results");
	unsigned nres = 2 * (unsigned)s->nin;
	__u32 *keys = malloc(nres * sizeof *keys);
	u64 *vals = malloc(nres * 2 * sizeof *vals);
	if (!inputs || !results || pybpf_map__max_entries(inputs) != (unsigned)s->nin ||
	    pybpf_map__max_entries(results) != nres || pybpf_map__value_size(inputs) != 16 ||
	    pybpf_map__value_size(results) != 8) {
		fprintf(out,
			"FAIL %s: maps `inputs` and `results` are missing or have the wrong "
			"shape\n",
			what);
		goto done;
	}
	for (unsigned i = 0; i < nres; i++) {
		keys[i] = i;
		vals[i] = SENTINEL; /* so a result nobody wrote cannot pass */
	}
	__u32 count = nres;
	if (bpf_map_update_batch(pybpf_map__fd(results), keys, vals, &count, NULL) < 0) {
		fprintf(out, "FAIL %s: filling `results`: %s\n", what, strerror(errno));
		goto done;
	}
	for (int i = 0; i < s->nin; i++) {
		vals[2 * i] = s->in[i].a;
		vals[2 * i + 1] = s->in[i].b;
	}
	count = (__u32)s->nin;
	if (bpf_map_update_batch(pybpf_map__fd(inputs), keys, vals, &count, NULL) < 0) {
		fprintf(out, "FAIL %s: filling `inputs`: %s\n", what, strerror(errno));
		goto done;
	}
	struct pybpf_program *prog;
	int nprogs = 0;
	pybpf_object__for_each_program (prog, obj) {
		LIBBPF_OPTS(bpf_test_run_opts, topts);
		int err = bpf_prog_test_run_opts(pybpf_program__fd(prog), &topts);
		if (err || topts.retval != 0) {
			fprintf(out, "FAIL %s: %s: test run gives %d, returns %u\n", what,
				pybpf_program__name(prog), err, topts.retval);
			goto done;
		}
		nprogs++;
	}
	if (nprogs != s->nprogs) {
		fprintf(out, "FAIL %s: %d programs, the table has %d\n", what, nprogs, s->nprogs);
		goto done;
	}
	__u32 batch = 0;
	count = nres;
	int err =
		bpf_map_lookup_batch(pybpf_map__fd(results), NULL, &batch, keys, res, &count, NULL);
	if ((err < 0 && errno != ENOENT) || count != nres) {
		fprintf(out, "FAIL %s: reading `results`: %s (%u of %u)\n", what, strerror(errno),
			count, nres);
		goto done;
	}
	for (unsigned i = 0; i < nres; i++)
		if (keys[i] != i) {
			fprintf(out, "FAIL %s: `results` came back out of order\n", what);
			goto done;
		}
	ok = true;
done:
	free(keys);
	free(vals);
	pybpf_object__close(obj);
	return ok;
}

static bool run_clang(const char *dir, const Stem *s, int cpu, u64 *res)
{
	/* signed division: the v4 object is the reference for v1 and v3 */
	const char *objcpu = s->sdiv ? "v4" : cpus[cpu];
	char path[4096], what[256];
	snprintf(path, sizeof path, "%s/%s.%s.o", dir, s->name, objcpu);
	snprintf(what, sizeof what, "%s [clang-19 -mcpu=%s]", s->name, objcpu);
	size_t len;
	char *bytes = test_read_file(path, &len);
	if (!bytes) {
		fprintf(out, "FAIL %s: cannot read %s\n", what, path);
		return false;
	}
	bool ok = run_object(what, bytes, len, s, res);
	free(bytes);
	return ok;
}

static bool run_pybpf(const char *dir, const Stem *s, int cpu, int opt, u64 *res)
{
	char path[4096], what[256];
	snprintf(path, sizeof path, "%s/%s.py", dir, s->name);
	snprintf(what, sizeof what, "%s [pybpf --mcpu=%s %s]", s->name, cpus[cpu], opt_names[opt]);
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src) {
		fprintf(out, "FAIL %s: cannot read %s\n", what, path);
		return false;
	}
	LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = path, .mcpu = cpus[cpu],
		      .opt = opts[opt]);
	struct pybpf_result *cres = NULL;
	bool ok = false;
	if (pybpf_compile(src, len, &co, &cres) != 0) {
		fprintf(out, "FAIL %s: compile\n%s\n", what,
			cres ? pybpf_result__diags_text(cres) : "");
	} else {
		size_t n;
		const void *bytes = pybpf_result__output(cres, &n);
		ok = run_object(what, bytes, n, s, res);
	}
	pybpf_result__free(cres);
	free(src);
	return ok;
}

/* ---- comparing ---- */

/* One result of one input at one CPU: pybpf's (each level) against clang's
 * where C defines it, against the dialect's where it does not. Returns
 * whether the dialect's value differs from clang's there. */
static bool compare_one(const Stem *s, int cpu, int i, int r, u64 c, u64 *const ours[NOPT],
			const bool ours_ok[NOPT])
{
	const Input *in = &s->in[i];
	const char *name = s->progs[in->prog].name;
	bool ub = strcmp(in->ub, "-") != 0;
	u64 want = in->want[r];
	char desc[256];
	describe(s, in, r, desc, sizeof desc);
	if (!ub && c != want) {
		/* the table is wrong, or clang: not pybpf's fault */
		fprintf(out, "MODEL -mcpu=%s %s: %s: clang-19 0x%llx, gen_arith.py says 0x%llx\n",
			cpus[cpu], name, desc, c, want);
		st->failed++;
	}
	for (int o = 0; o < NOPT; o++) {
		if (!ours_ok[o])
			continue;
		u64 v = ours[o][2 * i + r];
		if (v == (ub ? want : c)) {
			st->passed++;
			continue;
		}
		st->failed++;
		if (!ub)
			fprintf(out,
				"FAIL --mcpu=%s %s %s: %s: pybpf 0x%llx, clang-19 0x%llx (inputs "
				"a=0x%llx b=0x%llx)\n",
				cpus[cpu], opt_names[o], name, desc, v, c, in->a, in->b);
		else
			fprintf(out,
				"FAIL --mcpu=%s %s %s: %s: pybpf 0x%llx, dialect.md 0x%llx "
				"(clang-19 0x%llx; C: undefined, %s; inputs a=0x%llx b=0x%llx)\n",
				cpus[cpu], opt_names[o], name, desc, v, want, c, in->ub, in->a,
				in->b);
	}
	if (ub && c != want && verbose)
		fprintf(out, "UB -mcpu=%s %s: %s: dialect.md 0x%llx, clang-19 0x%llx (C: %s)\n",
			cpus[cpu], name, desc, want, c, in->ub);
	return ub && c != want;
}

static void compare(const Stem *s, int cpu, const u64 *clang, u64 *const ours[NOPT],
		    const bool ours_ok[NOPT])
{
	for (int p = 0, first = 0, end; p < s->nprogs; p++, first = end) {
		for (end = first; end < s->nin && s->in[end].prog == p; end++)
			;
		for (int r = 0; r < 2; r++) {
			int nub = 0, ndiff = 0, example = -1;
			for (int i = first; i < end; i++) {
				bool differ =
					compare_one(s, cpu, i, r, clang[2 * i + r], ours, ours_ok);
				nub += strcmp(s->in[i].ub, "-") != 0;
				ndiff += differ;
				if (differ && example < 0)
					example = i;
			}
			if (cpu == 0)
				st->ub += nub;
			st->ub_differ[cpu] += ndiff;
			if (ndiff == 0 || verbose)
				continue;
			char desc[256];
			const Input *in = &s->in[example];
			describe(s, in, r, desc, sizeof desc);
			fprintf(out,
				"UB -mcpu=%s %s: clang-19 differs from dialect.md (and pybpf) in %d "
				"of %d undefined cases, e.g. %s: dialect.md 0x%llx, clang-19 0x%llx "
				"(C: %s)\n",
				cpus[cpu], s->progs[p].name, ndiff, nub, desc, in->want[r],
				clang[2 * example + r], in->ub);
		}
	}
}

/* clang's results of the same source for v1, v3 and v4, where C leaves them
 * undefined (where C defines them, MODEL lines already cover it). */
static void compare_clang_cpus(const Stem *s, u64 *const clang[NCPU], const bool ok[NCPU])
{
	if (!ok[0] || !ok[1] || !ok[2] || s->sdiv)
		return;
	char desc[256];
	for (int p = 0, first = 0, end; p < s->nprogs; p++, first = end) {
		for (end = first; end < s->nin && s->in[end].prog == p; end++)
			;
		for (int r = 0; r < 2; r++) {
			int n13 = 0, n34 = 0, example = -1;
			for (int i = first; i < end; i++) {
				const Input *in = &s->in[i];
				u64 v1 = clang[0][2 * i + r], v3 = clang[1][2 * i + r],
				    v4 = clang[2][2 * i + r];
				if (strcmp(in->ub, "-") == 0 || (v1 == v3 && v3 == v4))
					continue;
				n13 += v1 != v3;
				n34 += v3 != v4;
				if (example < 0)
					example = i;
				if (!verbose)
					continue;
				describe(s, in, r, desc, sizeof desc);
				fprintf(out,
					"CLANG-MCPU %s: %s: clang-19 v1 0x%llx, v3 0x%llx, v4 0x%llx, "
					"dialect.md 0x%llx (C: %s)\n",
					s->progs[p].name, desc, v1, v3, v4, in->want[r], in->ub);
			}
			st->clang_v1_v3 += n13;
			st->clang_v3_v4 += n34;
			if (example < 0 || verbose)
				continue;
			const Input *in = &s->in[example];
			describe(s, in, r, desc, sizeof desc);
			fprintf(out,
				"CLANG-MCPU %s: clang-19's undefined results differ between v1 and v3 "
				"in %d cases, v3 and v4 in %d, e.g. %s: v1 0x%llx, v3 0x%llx, v4 "
				"0x%llx, dialect.md 0x%llx (C: %s)\n",
				s->progs[p].name, n13, n34, desc, clang[0][2 * example + r],
				clang[1][2 * example + r], clang[2][2 * example + r], in->want[r],
				in->ub);
		}
	}
}

static void run_stem(const char *dir, Stem *s)
{
	if (!load_stem(dir, s)) {
		st->failed++;
		return;
	}
	size_t nres = 2 * (size_t)s->nin;
	u64 *clang[NCPU], *ours[NOPT];
	bool clang_ok[NCPU], ours_ok[NOPT];
	for (int o = 0; o < NOPT; o++)
		ours[o] = malloc(nres * sizeof(u64));
	if (s->sdiv)
		fprintf(out,
			"NOTE %s: clang-19 rejects signed division below -mcpu=v4; its v4 "
			"object is the reference for v1 and v3\n",
			s->name);
	for (int c = 0; c < NCPU; c++) {
		clang[c] = malloc(nres * sizeof(u64));
		clang_ok[c] = run_clang(dir, s, c, clang[c]);
		for (int o = 0; o < NOPT; o++) {
			ours_ok[o] = run_pybpf(dir, s, c, o, ours[o]);
			st->failed += !ours_ok[o];
		}
		if (!clang_ok[c]) {
			st->failed++;
			continue;
		}
		compare(s, c, clang[c], ours, ours_ok);
	}
	compare_clang_cpus(s, clang, clang_ok);
	for (int c = 0; c < NCPU; c++)
		free(clang[c]);
	for (int o = 0; o < NOPT; o++)
		free(ours[o]);
	free(s->progs);
	free(s->in);
}

/* ---- workers ---- */

typedef struct Shared {
	int next; /* the next stem to take */
	Stats stats[];
} Shared;

static void worker(const char *dir, Stem *stems, int nstems, Shared *sh, FILE **outs)
{
	int k;
	while ((k = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED)) < nstems) {
		out = outs[k];
		st = &sh->stats[k];
		run_stem(dir, &stems[k]);
		fflush(out);
		st->done = 1;
	}
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root to load and run BPF programs\n");
		return 0;
	}
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	int opt;
	while ((opt = getopt(argc, argv, "vj:")) != -1) {
		if (opt == 'v')
			verbose = true;
		else if (opt == 'j')
			jobs = atol(optarg);
		else
			optind = argc + 1;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: arith_diff [-v] [-j JOBS] GEN_DIR [STEM...]\n");
		return 2;
	}
	pybpf_set_print(quiet);
	const char *dir = argv[optind];
	char path[4096];
	snprintf(path, sizeof path, "%s/manifest.txt", dir);
	FILE *f = fopen(path, "r");
	if (!f) {
		printf("FAIL: cannot read %s\n0 passed, 1 failed\n", path);
		return 1;
	}
	Stem *stems = NULL;
	int nstems = 0;
	char line[256];
	while (fgets(line, sizeof line, f)) {
		Stem s = {0};
		char flag[16];
		if (sscanf(line, "%63s %15s", s.name, flag) != 2)
			continue;
		bool wanted = optind + 1 == argc;
		for (int i = optind + 1; i < argc; i++)
			wanted |= strcmp(argv[i], s.name) == 0;
		if (!wanted)
			continue;
		s.sdiv = strcmp(flag, "sdiv") == 0;
		stems = realloc(stems, (size_t)(nstems + 1) * sizeof *stems);
		stems[nstems++] = s;
	}
	fclose(f);
	if (nstems == 0) {
		printf("FAIL: no stems to run\n0 passed, 1 failed\n");
		return 1;
	}

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t shsize = sizeof(Shared) + (size_t)nstems * sizeof(Stats);
	Shared *sh = mmap(NULL, shsize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	FILE **outs = calloc((size_t)nstems, sizeof *outs);
	for (int k = 0; k < nstems; k++)
		outs[k] = tmpfile();
	if (sh == MAP_FAILED || !outs[nstems - 1]) {
		printf("FAIL: %s\n0 passed, 1 failed\n", strerror(errno));
		return 1;
	}
	memset(sh, 0, shsize);
	if (jobs < 1)
		jobs = 1;
	if (jobs > nstems)
		jobs = nstems;
	fflush(stdout);
	for (long w = 0; w < jobs; w++) {
		pid_t pid = fork();
		if (pid == 0) {
			worker(dir, stems, nstems, sh, outs);
			exit(0);
		}
		if (pid < 0)
			printf("fork: %s\n", strerror(errno)); /* the others do the work */
	}
	int status;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			printf("FAIL: a worker process %s %d\n",
			       WIFSIGNALED(status) ? "died of signal" : "exited with",
			       WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	clock_gettime(CLOCK_MONOTONIC, &t1);

	Stats total = {0};
	for (int k = 0; k < nstems; k++) {
		rewind(outs[k]);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, outs[k])) > 0)
			fwrite(buf, 1, n, stdout);
		fclose(outs[k]);
		Stats *x = &sh->stats[k];
		if (!x->done) {
			printf("FAIL %s: not finished (its worker died)\n", stems[k].name);
			x->failed++;
		}
		total.passed += x->passed;
		total.failed += x->failed;
		total.ub += x->ub;
		for (int c = 0; c < NCPU; c++)
			total.ub_differ[c] += x->ub_differ[c];
		total.clang_v1_v3 += x->clang_v1_v3;
		total.clang_v3_v4 += x->clang_v3_v4;
	}
	printf("%d stems, %ld worker(s), %.1f s\n", nstems, jobs,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("C leaves %ld results undefined; there, clang-19's value differs from "
	       "dialect.md's (pybpf's) in %ld at -mcpu=v1, %ld at v3, %ld at v4; between "
	       "clang's own v1 and v3 in %ld, v3 and v4 in %ld (signed division excluded)\n",
	       total.ub, total.ub_differ[0], total.ub_differ[1], total.ub_differ[2],
	       total.clang_v1_v3, total.clang_v3_v4);
	printf("%ld passed, %ld failed\n", total.passed, total.failed);
	free(outs);
	free(stems);
	munmap(sh, shsize);
	return total.failed ? 1 : 0;
}
