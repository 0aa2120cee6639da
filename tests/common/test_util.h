/*
 * test_util.h - small helpers shared by the C test programs.
 */
#ifndef PYBPF_TEST_UTIL_H
#define PYBPF_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>

/* Reads a whole file (NUL-terminated); NULL when it cannot be read. */
static inline char *test_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	long n = -1;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0)
		buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf) {
		buf[n] = 0;
		*len = (size_t)n;
	}
	return buf;
}

#endif
