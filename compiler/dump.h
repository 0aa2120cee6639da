/*
 * dump.h - `pybpf dump`: the token and AST dumps that tests compare with
 * CPython's tokenize and ast modules (tests/parse/).
 */
#ifndef PYBPF_DUMP_H
#define PYBPF_DUMP_H

#include <stddef.h>
#include <stdio.h>

enum dump_what { DUMP_TOKENS, DUMP_AST };

/* Dumps `src` to `out`; diagnostics go to `err`. Returns a process exit
 * status: 0 ok, 1 syntax error. */
int dump_file(const char *filename, const char *src, size_t len, enum dump_what what, FILE *out,
	      FILE *err);

#endif
