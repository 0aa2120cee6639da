/*
 * cli_compile.c - `pybpf compile` and `pybpf dump`.
 */
#include "cli.h"
#include "dump.h"

#include <errno.h>
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

/* Writes data to path through a temporary file renamed into place. */
static int write_output(const char *path, const void *data, size_t len)
{
	if (strcmp(path, "-") == 0)
		return fwrite(data, 1, len, stdout) == len && fflush(stdout) == 0 ? 0 : -1;
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

int cli_compile(int argc, char **argv)
{
	LIBPYBPF_OPTS(pybpf_compile_opts, opts);
	const char *input = NULL, *output = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, &opts);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (strcmp(a, "-o") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a file name", a);
			output = argv[++i];
		} else if (strncmp(a, "--emit=", 7) == 0) {
			const char *k = a + 7;
			if (strcmp(k, "obj") == 0)
				opts.emit = PYBPF_EMIT_OBJ;
			else if (strcmp(k, "llvm") == 0)
				opts.emit = PYBPF_EMIT_LLVM;
			else if (strcmp(k, "asm") == 0)
				opts.emit = PYBPF_EMIT_ASM;
			else
				return cli_usage_error(
					"unknown --emit kind '%s' (use obj, llvm or asm)", k);
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_usage(stdout);
			return 0;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (input) {
			return cli_usage_error("more than one input file ('%s')", a);
		} else {
			input = a;
		}
	}
	if (!input)
		return cli_usage_error("%s", "compile needs an input file");
	char *out_alloc = NULL;
	if (!output) {
		if (opts.emit == PYBPF_EMIT_OBJ)
			output = out_alloc = default_output(input);
		else
			output = "-";
	}
	size_t len;
	char *src = cli_read_file(input, &len);
	if (!src) {
		free(out_alloc);
		return 2;
	}
	opts.filename = input;
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &opts, &res);
	fputs(pybpf_result__diags_text(res), stderr);
	int status = 0;
	if (rc == 0) {
		size_t n;
		const void *data = pybpf_result__output(res, &n);
		status = write_output(output, data, n) ? 2 : 0;
	} else {
		status = rc == 1 ? 1 : 2;
		if (strcmp(output, "-") != 0)
			unlink(output); /* never leave a stale object behind */
	}
	pybpf_result__free(res);
	free(src);
	free(out_alloc);
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
