/*
 * arena.h - one memory arena per compilation.
 *
 * Tokens, AST nodes, types and strings are allocated here and freed together by
 * arena_free(). Resources the arena does not own (LLVM handles, messages) are
 * registered with arena_on_free() and released, newest first, by arena_free().
 * Allocation never returns NULL: when memory runs out the arena jumps to the
 * recovery point its owner set with ARENA_TRY (see compile.c), so callers never
 * check for failure.
 */
#ifndef PYBPF_ARENA_H
#define PYBPF_ARENA_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
/* Runs the cleanups (newest first) and frees every block. Accepts NULL. */
void arena_free(Arena *a);

/* Zeroed memory, aligned for any scalar type. */
void *arena_alloc(Arena *a, size_t size);
/* Grows an arena array: returns a copy of `old` (old_n items) with room for new_n. */
void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t item_size);
char *arena_strndup(Arena *a, const char *s, size_t n);
char *arena_strdup(Arena *a, const char *s);
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(Arena *a, const char *fmt, va_list ap);

/* Registers fn(p) to run when the arena is freed. */
void arena_on_free(Arena *a, void (*fn)(void *), void *p);

/* Out-of-memory recovery: the jump buffer arena_alloc longjmps to (value 1). */
jmp_buf *arena_oom_jmp(Arena *a);
void arena_set_oom_jmp(Arena *a, jmp_buf *jb);

/* Fault injection for tests: fail the n-th allocation from now (0 = never). */
void arena_fail_after(long n);

/* A growable array of pointers built in the arena (used while parsing lists). */
typedef struct PtrVec {
	void **items;
	int n, cap;
} PtrVec;

void ptrvec_push(Arena *a, PtrVec *v, void *item);

/* A growable byte string built in the arena; always NUL-terminated. */
typedef struct StrBuf {
	char *s;
	size_t len, cap;
} StrBuf;

void strbuf_put(Arena *a, StrBuf *b, const char *s, size_t n);
void strbuf_putc(Arena *a, StrBuf *b, char c);

#endif
