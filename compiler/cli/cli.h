/*
 * cli.h - the subcommands of the `pybpf` command line.
 */
#ifndef PYBPF_CLI_H
#define PYBPF_CLI_H

#include "pybpf/compile.h"

#include <stdbool.h>
#include <stdio.h>

/* Each takes argv starting at the subcommand name; returns the exit status. */
int cli_compile(int argc, char **argv);
int cli_dump(int argc, char **argv);
int cli_run(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_gen(int argc, char **argv);

void cli_usage(FILE *out);
/* Prints "pybpf: error: <fmt with arg>" and a usage hint; returns 2. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reads a whole file ("-" is stdin); NULL after printing why. Free with free(). */
char *cli_read_file(const char *path, size_t *len);
/* Writes data to path ("-" is stdout) through a temporary file renamed into
 * place; -1 after printing why. */
int cli_write_output(const char *path, const void *data, size_t len);
/* Is path an existing non-regular file (a device, a FIFO)? */
bool cli_is_special_file(const char *path);
/* Parses -O<n> and --mcpu=<cpu> at argv[*i]: 1 consumed, 0 not ours, -1 bad value. */
int cli_compile_option(int argc, char **argv, int *i, struct pybpf_compile_opts *o);

#endif
