/*
 * cli_compile.c - `pybpf compile` and `pybpf dump`.
 *
 * Besides the object, `compile` does what build tools expect of a compiler:
 * `-` reads standard input, `-o -` writes standard output, diagnostics come
 * as text or as one JSON object per line (--diagnostics-format=json), and
 * -MD/-MF/-MT write a Make-style depfile. Outputs are written to a temporary
 * file renamed into place; a failed compile removes the object and the
 * depfile.
 */
#include "cli.h"
#include "dump.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* FILE.py -> FILE.bpf.o */
static char *default_output(const char *in)
{
	size_t n = strlen(in);
	if (n > 3 && strcmp(in + n - 3, ".py") == 0)
		n -= 3;
	char *out = malloc(n + 7);
	if (out) {
		memcpy(out, in, n);
		memcpy(out + n, ".bpf.o", 7);
	}
	return out;
}

/* Is path something other than a regular file (a device such as
 * /dev/null, a FIFO)? Such outputs are written in place, never replaced by
 * a rename or removed after a failure. */
bool cli_is_special_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

/* Writes data to a device or FIFO as it is. */
static int write_in_place(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;
	ok = (f ? fclose(f) == 0 : 0) && ok;
	if (!ok)
		fprintf(stderr, "pybpf: error: cannot write '%s': %s\n", path, strerror(errno));
	return ok ? 0 : -1;
}

/* Writes data to path through a temporary file renamed into place (in
 * place when path is a device or FIFO: `-o /dev/null`). */
int cli_write_output(const char *path, const void *data, size_t len)
{
	if (strcmp(path, "-") == 0)
		return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
	if (cli_is_special_file(path))
		return write_in_place(path, data, len);
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return -1;
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "pybpf: error: cannot write '%s': %s\n", path, strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask); /* mkstemp creates 0600 */
	FILE *f = fdopen(fd, "wb");
	int ok = f && fwrite(data, 1, len, f) == len;
	ok = (f ? fclose(f) == 0 : (close(fd), 0)) && ok;
	if (ok)
		ok = rename(tmp, path) == 0;
	if (!ok) {
		fprintf(stderr, "pybpf: error: cannot write '%s': %s\n", path, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	return ok ? 0 : -1;
}

/* Writes s as a JSON string: quotes, escapes, invalid UTF-8 as U+FFFD. */
static void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	fputc('"', f);
	while (*p) {
		unsigned c = *p;
		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
			p++;
		} else if (c == '\n') {
			fputs("\\n", f);
			p++;
		} else if (c == '\t') {
			fputs("\\t", f);
			p++;
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			fputc((int)c, f);
			p++;
		} else {
			int n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
			int ok = n > 0;
			for (int k = 1; ok && k < n; k++)
				ok = (p[k] & 0xC0) == 0x80;
			if (ok) {
				fwrite(p, 1, (size_t)n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
		}
	}
	fputc('"', f);
}

static const char *const severity_names[] = {"error", "warning", "note"};

/* One diagnostic as a JSON object (no trailing newline). */
static void json_diag(FILE *f, const struct pybpf_diag *d)
{
	fputs("{\"file\": ", f);
	json_string(f, d->file);
	if (d->line > 0)
		fprintf(f, ", \"line\": %d, \"col\": %d", d->line, d->col);
	else
		fputs(", \"line\": null, \"col\": null", f);
	if (d->end_line > 0)
		fprintf(f, ", \"end_line\": %d, \"end_col\": %d", d->end_line, d->end_col);
	else
		fputs(", \"end_line\": null, \"end_col\": null", f);
	fprintf(f, ", \"severity\": \"%s\", \"message\": ", severity_names[d->level]);
	json_string(f, d->message);
	fputs(", \"notes\": [", f);
	for (size_t i = 0; i < d->note_cnt; i++) {
		if (i)
			fputs(", ", f);
		json_diag(f, &d->notes[i]);
	}
	fputs("]}", f);
}

/* --diagnostics-format=json: one JSON object per line for each diagnostic,
 * and one for "N more errors not shown" when errors were dropped. */
static void print_diags_json(const struct pybpf_result *res, const char *file, FILE *f)
{
	size_t n = pybpf_result__diag_cnt(res);
	int shown = 0;
	for (size_t i = 0; i < n; i++) {
		const struct pybpf_diag *d = pybpf_result__diag(res, i);
		shown += d->level == PYBPF_DIAG_ERROR;
		json_diag(f, d);
		fputc('\n', f);
	}
	int errors = pybpf_result__error_cnt(res);
	if (res && n == 0 && errors > 0) {
		/* no structured diagnostic (out of memory): wrap the text */
		struct pybpf_diag d = {.level = PYBPF_DIAG_ERROR, .file = file};
		char *msg = strdup(pybpf_result__diags_text(res));
		if (msg && *msg && msg[strlen(msg) - 1] == '\n')
			msg[strlen(msg) - 1] = 0;
		d.message = msg ? msg : "internal compiler error";
		json_diag(f, &d);
		fputc('\n', f);
		free(msg);
	} else if (errors > shown) {
		char msg[64];
		snprintf(msg, sizeof msg, "%d more errors not shown", errors - shown);
		struct pybpf_diag d = {.level = PYBPF_DIAG_NOTE, .file = file, .message = msg};
		json_diag(f, &d);
		fputc('\n', f);
	}
	fflush(f);
}

/* Writes path escaped for a Make rule: "\ " for a space, "\#", "$$". */
static void make_escape(FILE *f, const char *path)
{
	for (const char *p = path; *p; p++) {
		if (*p == ' ' || *p == '#')
			fputc('\\', f);
		else if (*p == '$')
			fputc('$', f);
		fputc(*p, f);
	}
}

/* Writes a Make-style dependency file "target: deps..." through a temporary
 * file renamed into place. */
static int write_depfile(const char *path, const char *target, const char *const *deps, int ndeps,
			 int first_phony)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return -1;
	make_escape(f, target);
	fputc(':', f);
	for (int i = 0; i < ndeps; i++) {
		fputs(" \\\n  ", f);
		make_escape(f, deps[i]);
	}
	fputc('\n', f);
	/* a phony rule per dependency but the source, so deleting one is no error */
	for (int i = first_phony; i < ndeps; i++) {
		fputc('\n', f);
		make_escape(f, deps[i]);
		fputs(":\n", f);
	}
	if (fclose(f) != 0) {
		free(text);
		return -1;
	}
	int rc = cli_write_output(path, text, len);
	free(text);
	return rc;
}

/* OUT.o -> OUT.d (gcc's -MD default), otherwise OUT.d appended. */
static char *default_depfile(const char *out)
{
	size_t n = strlen(out);
	char *d = malloc(n + 3);
	if (!d)
		return NULL;
	memcpy(d, out, n + 1);
	if (n > 2 && strcmp(out + n - 2, ".o") == 0)
		d[n - 1] = 'd';
	else
		memcpy(d + n, ".d", 3);
	return d;
}

struct compile_args {
	const char *input, *output, *filename;
	int json;
	int md;
	const char *mf, *mt;
};

/* Parses the options of `pybpf compile`; returns -1 to go on, else an exit status. */
static int parse_compile_args(int argc, char **argv, struct pybpf_compile_opts *opts,
			      struct compile_args *ca)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, opts);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		const char **value = NULL;
		if (strcmp(a, "-o") == 0)
			value = &ca->output;
		else if (strcmp(a, "-MF") == 0)
			value = &ca->mf;
		else if (strcmp(a, "-MT") == 0)
			value = &ca->mt;
		else if (strcmp(a, "--filename") == 0)
			value = &ca->filename;
		if (value) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a %s", a,
						       strcmp(a, "-MT") == 0 ? "target name"
									     : "file name");
			*value = argv[++i];
			if (value == &ca->mf || value == &ca->mt)
				ca->md = 1;
		} else if (strncmp(a, "--filename=", 11) == 0) {
			ca->filename = a + 11;
		} else if (strcmp(a, "-MD") == 0) {
			ca->md = 1;
		} else if (strncmp(a, "--diagnostics-format=", 21) == 0) {
			const char *k = a + 21;
			if (strcmp(k, "text") == 0)
				ca->json = 0;
			else if (strcmp(k, "json") == 0)
				ca->json = 1;
			else
				return cli_usage_error(
					"unknown diagnostics format '%s' (use text or json)", k);
		} else if (strncmp(a, "--emit=", 7) == 0) {
			const char *k = a + 7;
			if (strcmp(k, "obj") == 0)
				opts->emit = PYBPF_EMIT_OBJ;
			else if (strcmp(k, "llvm") == 0)
				opts->emit = PYBPF_EMIT_LLVM;
			else if (strcmp(k, "asm") == 0)
				opts->emit = PYBPF_EMIT_ASM;
			else
				return cli_usage_error(
					"unknown --emit kind '%s' (use obj, llvm or asm)", k);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (ca->input) {
			return cli_usage_error("more than one input file ('%s')", a);
		} else {
			ca->input = a;
		}
	}
	if (!ca->input)
		return cli_usage_error("%s", "compile needs an input file");
	int from_stdin = strcmp(ca->input, "-") == 0;
	if (from_stdin && !ca->output && opts->emit == PYBPF_EMIT_OBJ)
		return cli_usage_error("%s", "compiling standard input needs -o FILE (or -o - "
					     "for standard output)");
	int to_stdout = ca->output ? strcmp(ca->output, "-") == 0 : opts->emit != PYBPF_EMIT_OBJ;
	if (ca->md && !ca->mf && to_stdout)
		return cli_usage_error("%s", "-MD with the output on standard output needs "
					     "-MF FILE");
	return -1;
}

int cli_compile(int argc, char **argv)
{
	LIBPYBPF_OPTS(pybpf_compile_opts, opts);
	struct compile_args ca = {0};
	int st = parse_compile_args(argc, argv, &opts, &ca);
	if (st >= 0)
		return st;
	const char *input = ca.input, *output = ca.output;
	int from_stdin = strcmp(input, "-") == 0;
	char *out_alloc = NULL, *mf_alloc = NULL;
	if (!output) {
		if (opts.emit == PYBPF_EMIT_OBJ)
			output = out_alloc = default_output(input);
		else
			output = "-";
	}
	const char *depfile = ca.mf;
	if (ca.md && !depfile)
		depfile = mf_alloc = default_depfile(output);
	size_t len;
	char *src = cli_read_file(input, &len);
	if (!src || !output || (ca.md && !depfile)) {
		free(src);
		free(out_alloc);
		free(mf_alloc);
		return 2;
	}
	opts.filename = ca.filename ? ca.filename : from_stdin ? "<stdin>" : input;
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &opts, &res);
	if (ca.json)
		print_diags_json(res, opts.filename, stderr);
	else
		fputs(pybpf_result__diags_text(res), stderr);
	int status = 0;
	if (rc == 0) {
		size_t n;
		const void *data = pybpf_result__output(res, &n);
		status = cli_write_output(output, data, n) ? 2 : 0;
		if (status == 0 && ca.md) {
			/* the source, the local modules it imports, the default kernel
			 * BTF when it was read, and the --btf file (read or not) */
			size_t nmods = pybpf_result__dep_cnt(res);
			const char **deps = calloc(nmods + 2, sizeof *deps);
			int ndeps = 0;
			if (deps && !from_stdin)
				deps[ndeps++] = input;
			for (size_t i = 0; deps && i < nmods; i++)
				deps[ndeps++] = pybpf_result__dep(res, i);
			if (deps && opts.btf_path)
				deps[ndeps++] = opts.btf_path;
			const char *target = ca.mt ? ca.mt : output;
			status = !deps || write_depfile(depfile, target, deps, ndeps, !from_stdin)
					 ? 2
					 : 0;
			free(deps);
		}
	} else {
		status = rc == 1 ? 1 : 2;
	}
	if (status != 0) {
		/* never leave a stale object (or a depfile naming it) behind */
		if (strcmp(output, "-") != 0 && !cli_is_special_file(output))
			unlink(output);
		if (ca.md && strcmp(depfile, "-") != 0 && !cli_is_special_file(depfile))
			unlink(depfile);
	}
	pybpf_result__free(res);
	free(src);
	free(out_alloc);
	free(mf_alloc);
	return status;
}

int cli_dump(int argc, char **argv)
{
	enum dump_what what = DUMP_AST;
	const char *input = NULL;
	int have_what = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--tokens") == 0) {
			what = DUMP_TOKENS;
			have_what = 1;
		} else if (strcmp(argv[i], "--ast") == 0) {
			what = DUMP_AST;
			have_what = 1;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("unknown option '%s'", argv[i]);
		} else {
			input = argv[i];
		}
	}
	if (!input || !have_what)
		return cli_usage_error("%s", "dump needs --tokens or --ast and a file");
	size_t len;
	char *src = cli_read_file(input, &len);
	if (!src)
		return 2;
	int rc = dump_file(input, src, len, what, stdout, stderr);
	free(src);
	return rc;
}
