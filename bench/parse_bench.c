/*
 * parse_bench.c - parse speed: tokenizes and parses many files in memory.
 *
 *	parse_bench [-r REPS] [-w WARMUP] [-f LISTFILE] [PATH...]
 *
 * Each PATH is a file or a directory (every *.py under it, recursively);
 * -f adds the paths listed in LISTFILE, one per line. All files are read
 * into memory first. After WARMUP untimed passes (default 1, so the
 * allocator's memory is already faulted in, as in a long-running process),
 * REPS times (default 5) every file is tokenized and parsed with
 * parse_file() in a fresh arena that is freed right after, each repetition
 * timed with CLOCK_MONOTONIC. Prints one line per repetition and a summary
 * with the median: files, lines, bytes, seconds, lines per second.
 * bench/parse_bench.py runs this next to CPython's ast.parse on the same
 * files. Not a test: nothing is asserted.
 */
#define _GNU_SOURCE
#include "arena.h"
#include "diag.h"
#include "parse.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct SrcFile {
	char *path;
	char *text;
	size_t len;
} SrcFile;

static SrcFile *files;
static size_t nfiles, capfiles;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fputs("parse_bench: out of memory\n", stderr);
		exit(2);
	}
	return p;
}

/* Reads a whole file; NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = xrealloc(NULL, cap);
	for (;;) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
		buf = xrealloc(buf, cap);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static void add_file(const char *path)
{
	size_t len;
	char *text = read_file(path, &len);
	if (!text) {
		fprintf(stderr, "parse_bench: cannot read %s\n", path);
		exit(2);
	}
	if (nfiles == capfiles) {
		capfiles = capfiles ? capfiles * 2 : 256;
		files = xrealloc(files, capfiles * sizeof *files);
	}
	files[nfiles].path = strdup(path);
	files[nfiles].text = text;
	files[nfiles].len = len;
	nfiles++;
}

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	if (type == FTW_F && n > 3 && strcmp(path + n - 3, ".py") == 0)
		add_file(path);
	return 0;
}

static void add_path(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		nftw(path, visit, 16, FTW_PHYS);
	else
		add_file(path);
}

static void add_list(const char *listfile)
{
	FILE *f = fopen(listfile, "r");
	if (!f) {
		fprintf(stderr, "parse_bench: cannot read %s\n", listfile);
		exit(2);
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = 0;
		if (n > 0)
			add_file(line);
	}
	free(line);
	fclose(f);
}

/* Lines as CPython counts them: newlines, plus an unterminated last line. */
static size_t count_lines(const char *s, size_t len)
{
	size_t lines = 0;
	for (const char *p = s, *end = s + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
		lines++;
	if (len && s[len - 1] != '\n')
		lines++;
	return lines;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Parses every file once; returns the seconds taken and counts syntax errors. */
static double parse_all(size_t *errors)
{
	*errors = 0;
	double t0 = now();
	for (size_t i = 0; i < nfiles; i++) {
		Arena *a = arena_new();
		Diags d;
		diag_init(&d, a, files[i].path, files[i].text, files[i].len);
		if (!parse_file(a, &d, files[i].text, files[i].len) || d.errors)
			++*errors;
		arena_free(a);
	}
	return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int reps = 5, warmup = 1, opt;
	while ((opt = getopt(argc, argv, "r:w:f:h")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 'f':
			add_list(optarg);
			break;
		default:
			fprintf(stderr,
				"usage: parse_bench [-r REPS] [-w WARMUP] [-f LISTFILE] [PATH...]\n");
			return 2;
		}
	}
	for (int i = optind; i < argc; i++)
		add_path(argv[i]);
	if (nfiles == 0 || reps < 1) {
		fprintf(stderr, "parse_bench: no files (or -r < 1)\n");
		return 2;
	}
	size_t lines = 0, bytes = 0, errors = 0;
	for (size_t i = 0; i < nfiles; i++) {
		lines += count_lines(files[i].text, files[i].len);
		bytes += files[i].len;
	}
	double *secs = xrealloc(NULL, (size_t)reps * sizeof *secs);
	for (int w = 0; w < warmup; w++)
		parse_all(&errors);
	for (int r = 0; r < reps; r++) {
		secs[r] = parse_all(&errors);
		printf("rep %d: %.6f s, %.0f lines/s\n", r + 1, secs[r], (double)lines / secs[r]);
	}
	qsort(secs, (size_t)reps, sizeof *secs, cmp_double);
	double median = reps % 2 ? secs[reps / 2] : (secs[reps / 2 - 1] + secs[reps / 2]) / 2;
	printf("files: %zu\nlines: %zu\nbytes: %zu\nsyntax errors: %zu\n", nfiles, lines, bytes,
	       errors);
	printf("seconds (median of %d): %.6f\nlines/s: %.0f\n", reps, median,
	       (double)lines / median);
	for (size_t i = 0; i < nfiles; i++) {
		free(files[i].path);
		free(files[i].text);
	}
	free(files);
	free(secs);
	return 0;
}
