/*
 * arena.c - bump allocation in large blocks, plus a cleanup list.
 *
 * Blocks are chained; a request larger than a block gets a block of its own.
 * Nothing is freed individually. On malloc failure (or an injected fault) the
 * arena longjmps to the owner's recovery point; with no recovery point set it
 * aborts, which only happens through a bug in the caller.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)
#define ARENA_ALIGN 16

typedef struct Block {
	struct Block *next;
	size_t used, size;
	_Alignas(ARENA_ALIGN) unsigned char data[];
} Block;

typedef struct Cleanup {
	struct Cleanup *next;
	void (*fn)(void *);
	void *p;
} Cleanup;

struct Arena {
	Block *head;
	Cleanup *cleanups;
	jmp_buf *oom;
};

static long fail_countdown;

void arena_fail_after(long n)
{
	fail_countdown = n;
}

static void *sys_alloc(size_t n)
{
	if (fail_countdown > 0 && --fail_countdown == 0)
		return NULL;
	return malloc(n);
}

Arena *arena_new(void)
{
	Arena *a = sys_alloc(sizeof *a);
	if (!a)
		return NULL;
	memset(a, 0, sizeof *a);
	return a;
}

void arena_free(Arena *a)
{
	if (!a)
		return;
	for (Cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->p);
	Block *b = a->head;
	while (b) {
		Block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

static _Noreturn void out_of_memory(Arena *a)
{
	if (a->oom)
		longjmp(*a->oom, 1);
	fputs("pybpf: out of memory\n", stderr);
	abort();
}

void *arena_alloc(Arena *a, size_t size)
{
	size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	Block *b = a->head;
	if (!b || b->size - b->used < size) {
		size_t bsize = size > ARENA_BLOCK ? size : ARENA_BLOCK;
		Block *nb = sys_alloc(sizeof *nb + bsize);
		if (!nb)
			out_of_memory(a);
		nb->used = 0;
		nb->size = bsize;
		/* A big one-off block goes behind the current one so the
		 * current block's free space is not abandoned. */
		if (b && bsize > ARENA_BLOCK) {
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_grow(Arena *a, void *old, size_t old_n, size_t new_n, size_t item_size)
{
	void *p = arena_alloc(a, new_n * item_size);
	if (old_n)
		memcpy(p, old, old_n * item_size);
	return p;
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *arena_strdup(Arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_on_free(Arena *a, void (*fn)(void *), void *p)
{
	Cleanup *c = arena_alloc(a, sizeof *c);
	c->fn = fn;
	c->p = p;
	c->next = a->cleanups;
	a->cleanups = c;
}

jmp_buf *arena_oom_jmp(Arena *a)
{
	return a->oom;
}

void arena_set_oom_jmp(Arena *a, jmp_buf *jb)
{
	a->oom = jb;
}

void ptrvec_push(Arena *a, PtrVec *v, void *item)
{
	if (v->n == v->cap) {
		int cap = v->cap ? v->cap * 2 : 8;
		v->items = arena_grow(a, v->items, (size_t)v->n, (size_t)cap, sizeof(void *));
		v->cap = cap;
	}
	v->items[v->n++] = item;
}

void strbuf_put(Arena *a, StrBuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = arena_grow(a, b->s, b->len, cap, 1);
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

void strbuf_putc(Arena *a, StrBuf *b, char c)
{
	strbuf_put(a, b, &c, 1);
}
