/*
 * parse.h - the parser: tokens to a CPython-shaped AST (ast.h).
 *
 * A hand-written recursive-descent parser over the token stream of lex.h,
 * implementing grammar/python.gram (CPython 3.11's grammar). Each parse
 * function carries its grammar rule as a comment and is named after it.
 * Syntax errors stop at the first one: it is reported to the Diags (CPython's
 * line and message, an unclosed bracket pointing at its opener) and NULL is
 * returned.
 */
#ifndef PYBPF_PARSE_H
#define PYBPF_PARSE_H

#include "ast.h"

/* Parses a whole file into a Module node; NULL after a syntax error. */
AstNode *parse_file(Arena *a, Diags *d, const char *src, size_t len);

#endif
