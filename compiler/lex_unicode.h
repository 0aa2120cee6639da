/*
 * lex_unicode.h - Unicode character names (\N{...} escapes) and the NFKC
 * normalisation of identifiers, as CPython 3.11 does them (Unicode 14.0).
 *
 * The tables (lex_unicode_data.c, generated) are loaded on first use, once
 * per process and thread-safely, into static storage: nothing is allocated
 * per call outside the caller's arena, and nothing needs freeing.
 */
#ifndef PYBPF_LEX_UNICODE_H
#define PYBPF_LEX_UNICODE_H

#include "arena.h"

#include <stddef.h>

/* The code point named by name[0..len) as \N{...} in a str literal accepts
 * it: a character name or name alias (ignoring ASCII case), "HANGUL SYLLABLE
 * ..." or "CJK UNIFIED IDEOGRAPH-XXXX" (both in capitals, as CPython wants
 * them); not a named sequence. Returns 1 and sets *cp when found, 0 for an
 * unknown name, -1 when the tables could not be loaded (out of memory). */
int lex_unicode_lookup(const char *name, size_t len, unsigned *cp);

/* The NFKC form of the UTF-8 text s[0..len), NUL-terminated in the arena;
 * text that is not valid UTF-8 is copied unchanged. Returns NULL only when
 * the tables could not be loaded (out of memory). */
char *lex_nfkc(Arena *a, const char *s, size_t len);

#endif
