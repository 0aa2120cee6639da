/*
 * log.c - where every message of the runtime goes.
 *
 * The library never writes to stdout/stderr itself: its messages and
 * libbpf's (libbpf's print callback is pointed here) go to one user callback,
 * set with pybpf_set_print(). While an object is opened or loaded, the
 * messages printed on that thread are also captured into the object's log,
 * so a failed load can be explained (libbpf prints the kernel verifier's log
 * of a rejected program as a warning). The capture target is thread-local:
 * libbpf calls its print callback synchronously on the calling thread.
 *
 * Also here: pybpf_strerror() and opts validation.
 */
#include "internal.h"

#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 0))) static int default_print(enum pybpf_print_level level,
							       const char *fmt, va_list args)
{
	if (level == PYBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static pybpf_print_fn_t print_fn = default_print;
static _Thread_local struct strbuf *capture;

static void strbuf_vappend(struct strbuf *sb, const char *fmt, va_list args)
	__attribute__((format(printf, 2, 0)));

static void strbuf_vappend(struct strbuf *sb, const char *fmt, va_list args)
{
	va_list again;
	int n;

	va_copy(again, args);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n <= 0)
		return;
	if (sb->len + (size_t)n + 1 > sb->cap) {
		size_t cap = sb->cap ? sb->cap : 256;
		char *buf;

		while (cap < sb->len + (size_t)n + 1)
			cap *= 2;
		buf = realloc(sb->buf, cap);
		if (!buf)
			return; /* out of memory: the log misses this message */
		sb->buf = buf;
		sb->cap = cap;
	}
	vsnprintf(sb->buf + sb->len, sb->cap - sb->len, fmt, args);
	sb->len += (size_t)n;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

/* Appends to the capture (warnings and info only), then calls the user. */
static void vprint(enum pybpf_print_level level, const char *fmt, va_list args)
	__attribute__((format(printf, 2, 0)));

static void vprint(enum pybpf_print_level level, const char *fmt, va_list args)
{
	pybpf_print_fn_t fn = print_fn;

	if (capture && level != PYBPF_DEBUG) {
		va_list copy;

		va_copy(copy, args);
		strbuf_vappend(capture, fmt, copy);
		va_end(copy);
	}
	if (fn)
		fn(level, fmt, args);
}

void pybpf_pr(enum pybpf_print_level level, const char *fmt, ...)
{
	va_list args;
	int saved = errno; /* messages must not clobber the errno we return */

	va_start(args, fmt);
	vprint(level, fmt, args);
	va_end(args);
	errno = saved;
}

__attribute__((format(printf, 2, 0))) static int libbpf_print(enum libbpf_print_level level,
							      const char *fmt, va_list args)
{
	enum pybpf_print_level ours = level == LIBBPF_WARN   ? PYBPF_WARN
				      : level == LIBBPF_INFO ? PYBPF_INFO
							     : PYBPF_DEBUG;

	vprint(ours, fmt, args);
	return 0;
}

void pybpf_hook_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}

pybpf_print_fn_t pybpf_set_print(pybpf_print_fn_t fn)
{
	pybpf_print_fn_t old = print_fn;

	print_fn = fn;
	pybpf_hook_libbpf();
	return old;
}

void pybpf_capture_begin(struct strbuf *sb)
{
	capture = sb;
}

void pybpf_capture_end(void)
{
	capture = NULL;
}

int pybpf_strerror(int err, char *buf, size_t size)
{
	if (!buf || size == 0)
		return pybpf_err(-EINVAL);
	return pybpf_err(libbpf_strerror(err < 0 ? -err : err, buf, size));
}

int pybpf_validate_opts(const void *opts, size_t known_sz, const char *type_name)
{
	const char *bytes = opts;
	size_t sz = *(const size_t *)opts;
	size_t i;

	if (sz < sizeof(size_t)) {
		pr_warn("%s: sz %zu is too small (did you use LIBPYBPF_OPTS?)", type_name, sz);
		return 0;
	}
	for (i = known_sz; i < sz; i++) {
		if (bytes[i]) {
			pr_warn("%s: unknown non-zero option at byte %zu (built against a newer "
				"libpybpf?)",
				type_name, i);
			return 0;
		}
	}
	return 1;
}
