/*
 * lex_inflate.h - decoding the compressed tables generated into the front
 * end (lex_unicode_data.c): base64 text of a raw deflate stream (RFC 1951).
 */
#ifndef PYBPF_LEX_INFLATE_H
#define PYBPF_LEX_INFLATE_H

#include <stdbool.h>
#include <stddef.h>

/* Inflates the raw deflate stream whose base64 encoding is the string b64
 * into out. True when the stream is well formed and fills exactly size
 * bytes. */
bool lex_inflate_base64(const char *b64, unsigned char *out, size_t size);

#endif
