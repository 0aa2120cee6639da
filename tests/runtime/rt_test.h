/*
 * rt_test.h - the small harness the runtime tests share.
 *
 * A test is a void function. CHECK(cond) records a failure and goes on;
 * REQUIRE(cond) records a failure and jumps to the test's `out:` label,
 * where it frees what it made (every free in libpybpf accepts NULL). RUN()
 * runs one test and prints "ok" or "FAIL" with its name; rt_finish() prints
 * the "N passed, N failed" summary and gives the exit status.
 *
 * libpybpf's messages are collected by rt_print() instead of going to
 * stderr; they are shown when a test fails, or always with RT_VERBOSE=1.
 */
#ifndef RT_TEST_H
#define RT_TEST_H

#include <errno.h>
#include <pybpf/libpybpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int rt_passed, rt_failed, rt_test_failed;
static char rt_messages[1 << 16];
static size_t rt_messages_len;

__attribute__((format(printf, 2, 0))) static inline int rt_print(enum pybpf_print_level level,
								 const char *fmt, va_list args)
{
	size_t room = sizeof(rt_messages) - rt_messages_len;
	int n;

	if (level == PYBPF_DEBUG && !getenv("RT_VERBOSE"))
		return 0;
	if (getenv("RT_VERBOSE")) {
		va_list copy;

		va_copy(copy, args);
		vfprintf(stderr, fmt, copy);
		va_end(copy);
	}
	if (room <= 1)
		return 0;
	n = vsnprintf(rt_messages + rt_messages_len, room, fmt, args);
	if (n > 0)
		rt_messages_len += (size_t)n < room ? (size_t)n : room - 1;
	return 0;
}

static inline int rt_check(int ok, const char *expr, const char *file, int line)
{
	int saved = errno;

	if (!ok) {
		rt_test_failed = 1;
		printf("  %s:%d: check failed: %s (errno %d: %s)\n", file, line, expr, saved,
		       strerror(saved));
	}
	errno = saved;
	return ok;
}

#define CHECK(cond) rt_check(!!(cond), #cond, __FILE__, __LINE__)
#define REQUIRE(cond)                                               \
	do {                                                        \
		if (!rt_check(!!(cond), #cond, __FILE__, __LINE__)) \
			goto out;                                   \
	} while (0)

static inline void rt_run(const char *name, void (*fn)(void))
{
	rt_test_failed = 0;
	rt_messages_len = 0;
	rt_messages[0] = '\0';
	fn();
	if (rt_test_failed) {
		rt_failed++;
		printf("FAIL %s\n", name);
		if (rt_messages_len && !getenv("RT_VERBOSE"))
			printf("  messages:\n%s", rt_messages);
	} else {
		rt_passed++;
		printf("ok   %s\n", name);
	}
	fflush(stdout);
}

#define RUN(fn) rt_run(#fn, fn)

static inline int rt_finish(void)
{
	printf("%d passed, %d failed\n", rt_passed, rt_failed);
	return rt_failed ? 1 : 0;
}

/* Reads a whole file into a malloc'ed buffer; NULL on error. */
static inline void *rt_read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*size = (size_t)n;
	}
	fclose(f);
	return buf;
}

/* The path of a BPF object built from tests/runtime/bpf/NAME.bpf.c. */
static inline const char *rt_obj_path(const char *name)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/%s.bpf.o", RT_BPF_DIR, name);
	return path;
}

#endif
