/*
 * use_compiler.c - a user of the installed compiler library (libpybpfc,
 * <pybpf/compile.h>): compiles SOURCE.py to OUT.o in memory and writes the
 * object; diagnostics go to stderr. Exit 0, or 1 when the source has errors.
 */
#include <pybpf/compile.h>
#include <stdio.h>
#include <stdlib.h>

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len == cap) {
			char *n = realloc(buf, cap = cap ? cap * 2 : 4096);
			if (!n)
				break;
			buf = n;
		}
		size_t got = fread(buf + *len, 1, cap - *len, f);
		if (!got)
			break;
		*len += got;
	}
	fclose(f);
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: use_compiler SOURCE.py OUT.o\n");
		return 2;
	}
	size_t len;
	char *src = read_all(argv[1], &len);
	if (!src) {
		perror(argv[1]);
		return 2;
	}
	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = argv[1], .opt = PYBPF_OPT_O2);
	struct pybpf_result *res = NULL;
	int err = pybpf_compile(src, len, &opts, &res);
	fputs(pybpf_result__diags_text(res), stderr);
	printf("pybpf %s (%s): ", pybpf_version(), pybpf_llvm_version());
	size_t size = 0;
	const void *obj = err ? NULL : pybpf_result__output(res, &size);
	if (!obj) {
		printf("%d error(s)\n", pybpf_result__error_cnt(res));
		pybpf_result__free(res);
		free(src);
		return 1;
	}
	FILE *out = fopen(argv[2], "wb");
	if (!out || fwrite(obj, 1, size, out) != size || fclose(out)) {
		perror(argv[2]);
		return 2;
	}
	printf("object written\n");
	pybpf_result__free(res);
	free(src);
	return 0;
}
