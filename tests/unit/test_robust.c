/*
 * test_robust.c - the compiler never crashes and never reports an internal
 * error on bad input.
 *
 * For every .py file under the given directories it compiles, in process,
 * truncated prefixes of the file (evenly spaced cut points) and copies with
 * bytes overwritten by deterministic pseudo-random values (including NUL and
 * bytes that are invalid UTF-8), plus some pure garbage buffers. Each compile
 * must end in success or in ordinary diagnostics (return value 0 or 1, at
 * least one error when 1, no output after errors). Under the ASan/UBSan
 * preset this also catches memory errors and leaks. A full compile of each
 * file must also be deterministic (same bytes twice).
 *
 * Usage: test_robust DIR... ; ends with "N passed, N failed".
 */
#define _GNU_SOURCE
#include "pybpf/compile.h"
#include "test_util.h"

#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CUTS	  48
#define MUTATIONS 48

static int passed, failed;
static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Compiles buf; returns 0 when the outcome is acceptable. */
static int compile_ok(const char *name, const char *buf, size_t len, const char *what)
{
	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = name);
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(buf, len, &opts, &res);
	size_t out_len;
	const void *out = pybpf_result__output(res, &out_len);
	const char *text = pybpf_result__diags_text(res);
	int bad = 0;
	if (rc != 0 && rc != 1)
		bad = 1;
	if (rc == 1 && (pybpf_result__error_cnt(res) == 0 || out))
		bad = 1;
	if (rc == 0 && (!out || out_len == 0))
		bad = 1;
	for (size_t i = 0; i < pybpf_result__diag_cnt(res); i++)
		if (strncmp(pybpf_result__diag(res, i)->message, "internal compiler", 17) == 0)
			bad = 1;
	if (bad)
		printf("FAIL %s (%s, %zu bytes): rc=%d\n%s", name, what, len, rc, text);
	pybpf_result__free(res);
	return bad;
}

static int deterministic(const char *path, const char *src, size_t len)
{
	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = path);
	struct pybpf_result *a = NULL, *b = NULL;
	int ra = pybpf_compile(src, len, &opts, &a);
	int rb = pybpf_compile(src, len, &opts, &b);
	size_t na, nb;
	const void *oa = pybpf_result__output(a, &na), *ob = pybpf_result__output(b, &nb);
	int same = ra == rb && na == nb && (na == 0 || memcmp(oa, ob, na) == 0) &&
		   strcmp(pybpf_result__diags_text(a), pybpf_result__diags_text(b)) == 0;
	pybpf_result__free(a);
	pybpf_result__free(b);
	if (!same)
		printf("FAIL %s: two compiles of the same input differ\n", path);
	return !same;
}

static int check_file(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	if (type != FTW_F || n < 3 || strcmp(path + n - 3, ".py") != 0)
		return 0;
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src)
		return 0;
	int bad = deterministic(path, src, len);
	for (int i = 1; i <= CUTS && !bad; i++)
		bad |= compile_ok(path, src, len * (size_t)i / (CUTS + 1), "truncated");
	char *copy = malloc(len + 1);
	for (int i = 0; i < MUTATIONS && !bad && len; i++) {
		memcpy(copy, src, len);
		int flips = 1 + (int)(next_random() % 4);
		for (int f = 0; f < flips; f++)
			copy[next_random() % len] = (char)(next_random() & 0xff);
		bad |= compile_ok(path, copy, len, "mutated");
	}
	free(copy);
	free(src);
	if (bad)
		failed++;
	else
		passed++;
	return 0;
}

static void garbage(void)
{
	char buf[4096];
	int bad = 0;
	for (int i = 0; i < 64; i++) {
		size_t len = next_random() % sizeof buf;
		for (size_t j = 0; j < len; j++)
			buf[j] = (char)(next_random() & 0xff);
		bad |= compile_ok("garbage", buf, len, "random bytes");
	}
	/* deep nesting and long lines */
	static char deep[20000];
	memset(deep, '(', sizeof deep);
	bad |= compile_ok("deep", deep, sizeof deep, "nested brackets");
	memset(deep, ' ', sizeof deep);
	bad |= compile_ok("spaces", deep, sizeof deep, "indentation");
	bad |= compile_ok("empty", "", 0, "empty");
	if (bad)
		failed++;
	else
		passed++;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		nftw(argv[i], check_file, 16, FTW_PHYS);
	garbage();
	printf("%d passed, %d failed\n", passed, failed);
	return failed || passed < 2 ? 1 : 0;
}
