/*
 * parse_driver.c - pybpf-parse: `pybpf-parse --tokens|--ast FILE` prints the
 * token or AST dump of FILE (dump_file(), the same code as `pybpf dump`).
 * Exit status: 0 ok, 1 syntax error, 2 usage or I/O error.
 */
#include "dump.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (ferror(f)) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "--tokens") != 0 && strcmp(argv[1], "--ast") != 0)) {
		fprintf(stderr, "usage: pybpf-parse --tokens|--ast FILE\n");
		return 2;
	}
	size_t len;
	char *src = read_file(argv[2], &len);
	if (!src) {
		fprintf(stderr, "pybpf-parse: cannot read %s\n", argv[2]);
		return 2;
	}
	enum dump_what what = strcmp(argv[1], "--tokens") == 0 ? DUMP_TOKENS : DUMP_AST;
	int rc = dump_file(argv[2], src, len, what, stdout, stderr);
	free(src);
	return rc;
}
