/*
 * cli_check.c - `pybpf check`: compile in memory and load into the kernel
 * verifier without attaching anything.
 *
 * When every program loads it prints one "ok" line. When the verifier
 * rejects a program, the complaint becomes a diagnostic in the compiler's
 * format at the Python source of the instruction the verifier stopped at,
 * then the tail of the verifier log follows; libbpf stops at the first
 * program it cannot load, so the object is loaded again without it until
 * every rejected program is reported:
 *
 *	prog.py:19:11: error: the verifier rejected program 'spin': BPF program is too large...
 *	    while i != n:
 *	          ^
 *	note: last 20 lines of the verifier log:
 *	  ...
 *
 * The program, the instruction, the complaint and the location come from
 * pybpf_object__load_error() (libpybpf); without a column the diagnostic
 * points at the first non-blank character of the line.
 */
#include "cli.h"
#include "diag.h"
#include "pybpf/libpybpf.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAIL_LINES 20

typedef struct CheckOptions {
	const char *input;
	struct pybpf_compile_opts copts;
} CheckOptions;

static int parse_check_args(int argc, char **argv, CheckOptions *co)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, &co->copts);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a), -1;
		} else if (co->input) {
			return cli_usage_error("more than one input file ('%s')", a), -1;
		} else {
			co->input = a;
		}
	}
	if (!co->input)
		return cli_usage_error("%s", "check needs an input file"), -1;
	return 0;
}

/* ---- the report ---- */

/* Length of the line at p (without the newline). */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return (size_t)((nl ? nl : end) - p);
}

/* Prints the last LOG_TAIL_LINES lines of the rejected program's log. */
static void print_log_tail(const struct pybpf_load_error *r)
{
	const char *starts[LOG_TAIL_LINES];
	size_t lens[LOG_TAIL_LINES], cnt = 0;
	const char *end = r->log + r->log_len;

	for (const char *p = r->log; p < end;) {
		size_t n = line_len(p, end);
		starts[cnt % LOG_TAIL_LINES] = p;
		lens[cnt % LOG_TAIL_LINES] = n;
		cnt++;
		p += n + 1;
	}
	size_t first = cnt > LOG_TAIL_LINES ? cnt - LOG_TAIL_LINES : 0;
	for (size_t i = first; i < cnt; i++)
		fprintf(stderr, "  %.*s\n", (int)lens[i % LOG_TAIL_LINES],
			starts[i % LOG_TAIL_LINES]);
}

/* Do two paths name the same file? */
static bool same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];
	if (!realpath(a, ra) || !realpath(b, rb))
		return strcmp(a, b) == 0;
	return strcmp(ra, rb) == 0;
}

static void report_rejection(const CheckOptions *co, const char *src, size_t len,
			     const struct pybpf_load_error *r)
{
	Arena *a = arena_new();
	Diags d;
	SrcLoc loc = {0, 0, 0, 0, 0};

	if (!a) {
		fprintf(stderr, "pybpf: error: out of memory\n");
		return;
	}
	/* a line of an imported module (BTF line info names its file) */
	char *other = NULL;
	if (r->line > 0 && r->file && !same_file(r->file, co->input)) {
		size_t olen;
		FILE *f = fopen(r->file, "rb");
		if (f)
			fclose(f);
		other = f ? cli_read_file(r->file, &olen) : NULL;
		if (other) {
			src = other;
			len = olen;
		}
	}
	diag_init(&d, a, other ? r->file : co->input, src, len);
	if (r->line > 0) {
		size_t ll;
		const char *lt = diag_line_text(&d, r->line, &ll);
		int c0 = 0; /* 0-based byte column */
		if (r->col > 0)
			c0 = r->col - 1;
		else
			while ((size_t)c0 < ll && (lt[c0] == ' ' || lt[c0] == '\t'))
				c0++;
		loc = srcloc(r->line, c0, 0, 0);
	}
	/* rendered by the compiler's diagnostics code, but formatted here: these
	 * messages come from `pybpf check` (tested in tests/cli, CheckTest), never
	 * from a compile, which is all tests/diagnostics/check_coverage.py runs */
	char *msg = arena_printf(a, "the verifier rejected program '%s': %s", r->prog_name,
				 r->message[0] ? r->message : "(no message)");
	Diag *g = diag_error(&d, loc, "%s", msg);
	if (r->insn >= 0) {
		msg = arena_printf(a, "at instruction %ld of program '%s' (section '%s')", r->insn,
				   r->prog_name, r->section);
		diag_note(&d, g, srcloc(0, 0, 0, 0), "%s", msg);
	}
	fputs(diag_render(&d, g), stderr);
	fprintf(stderr, "note: the end of the verifier log:\n");
	print_log_tail(r);
	arena_free(a);
	free(other);
}

static int silent(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/*
 * Loads the object; when the verifier rejects a program, reports it and
 * loads again (a fresh open: libbpf loads an object once) without the
 * programs rejected so far, until the rest loads. Returns the exit status.
 */
static int check_object(const CheckOptions *co, const char *src, size_t len, const void *obj,
			size_t obj_len)
{
	char rejected[64][128];
	size_t nrej = 0, total = 0;
	int status = 0;

	for (;;) {
		struct pybpf_object *o = pybpf_object__open_mem(obj, obj_len, NULL);
		struct pybpf_program *prog;
		LIBPYBPF_OPTS(pybpf_load_error, r);
		if (!o) {
			fprintf(stderr, "pybpf: error: cannot open the compiled object: %s\n",
				strerror(errno));
			return 2;
		}
		total = pybpf_object__program_cnt(o);
		pybpf_object__for_each_program (prog, o)
			for (size_t i = 0; i < nrej; i++)
				if (strcmp(pybpf_program__name(prog), rejected[i]) == 0)
					pybpf_program__set_autoload(prog, false);
		if (pybpf_object__load(o) == 0) {
			pybpf_object__close(o);
			break;
		}
		int err = errno;
		status = 1;
		bool again = pybpf_object__load_error(o, &r) == 0 &&
			     nrej < sizeof(rejected) / sizeof(*rejected);
		for (size_t i = 0; again && i < nrej; i++)
			again = strcmp(rejected[i], r.prog_name) != 0;
		if (!again) {
			fprintf(stderr, "%s: error: the kernel did not load the object: %s\n",
				co->input, strerror(err));
			fputs(pybpf_object__load_log(o), stderr);
			pybpf_object__close(o);
			return status;
		}
		report_rejection(co, src, len, &r);
		snprintf(rejected[nrej++], sizeof(*rejected), "%s", r.prog_name);
		pybpf_object__close(o);
	}
	if (nrej)
		fprintf(stderr, "%s: %zu of %zu program%s rejected by the verifier\n", co->input,
			nrej, total, total == 1 ? "" : "s");
	else
		printf("%s: ok: %zu program%s passed the verifier\n", co->input, total,
		       total == 1 ? "" : "s");
	return status;
}

int cli_check(int argc, char **argv)
{
	CheckOptions co = {0};
	co.copts.sz = sizeof co.copts;
	if (parse_check_args(argc, argv, &co))
		return 2;

	size_t len;
	char *src = cli_read_file(co.input, &len);
	if (!src)
		return 2;
	co.copts.filename = co.input;
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &co.copts, &res);
	fputs(pybpf_result__diags_text(res), stderr);
	if (rc) {
		pybpf_result__free(res);
		free(src);
		return rc == 1 ? 1 : 2;
	}

	size_t obj_len;
	const void *obj = pybpf_result__output(res, &obj_len);
	pybpf_set_print(silent); /* the load log is kept in the object */
	int status = check_object(&co, src, len, obj, obj_len);
	pybpf_result__free(res);
	free(src);
	return status;
}
