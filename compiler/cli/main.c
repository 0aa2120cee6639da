/*
 * main.c - the `pybpf` command: a thin driver over the compiler library
 * (compile, dump, gen skeleton) and the runtime (run, check).
 *
 * Exit status: 0 success, 1 errors in the user's program, 2 usage or
 * internal errors. A failed compile leaves no output file behind: the object
 * is written to a temporary file that is renamed over the target only on
 * success, and an existing target is removed when compilation fails.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: pybpf <command> [options]\n"
	"\n"
	"commands:\n"
	"  compile FILE.py [-o OUT] [-O0|-O1|-O2|-O3] [--mcpu=v1|v2|v3|v4] [--btf PATH]\n"
	"                  [--emit=obj|llvm|asm] [--diagnostics-format=text|json]\n"
	"                  [-MD] [-MF DEPFILE] [-MT TARGET] [--filename NAME]\n"
	"                  [-D NAME=VALUE]... [--debug-compilation-dir DIR]\n"
	"      compile the @bpf code of FILE.py to a BPF object (default FILE.bpf.o;\n"
	"      LLVM IR and assembly go to stdout unless -o is given; -o - is stdout).\n"
	"      FILE - reads standard input (named <stdin> or NAME in diagnostics).\n"
	"      -MD writes Make-style dependencies to DEPFILE (default OUT with .o\n"
	"      replaced by .d; -MF or -MT imply -MD) for target TARGET (default OUT).\n"
	"      json diagnostics: one object per line on stderr\n"
	"      -D NAME=VALUE sets module-level integer constant NAME to VALUE.\n"
	"      --debug-compilation-dir DIR records DIR, not the current directory,\n"
	"      in debug info, so objects do not depend on where pybpf runs\n"
	"  run FILE.py [--duration SECONDS] [-c COMMAND] [compile options]\n"
	"      compile in memory, load, attach every program, stream the trace\n"
	"      output; on Ctrl-C, the end of the duration or when COMMAND exits,\n"
	"      detach and print every map\n"
	"  check FILE.py [compile options]\n"
	"      compile in memory and load into the kernel verifier without\n"
	"      attaching; a rejected program is reported at its Python line\n"
	"      (file:line:col), followed by the end of the verifier log\n"
	"  gen skeleton FILE.bpf.o|FILE.py [--name NAME] [--libpybpf] [-o OUT]\n"
	"               [compile options]\n"
	"      print a C header in the style of bpftool gen skeleton: the object\n"
	"      embedded, struct NAME with its maps, programs, links and globals,\n"
	"      NAME__open/__load/__attach/__destroy over libbpf, or with --libpybpf\n"
	"      over libpybpf (pybpf_object handles) (default NAME: prog_bpf for\n"
	"      prog.bpf.o or prog.py)\n"
	"  dump --tokens|--ast FILE.py\n"
	"      print the token stream or the syntax tree\n"
	"\n"
	"options:\n"
	"  -h, --help       show this help\n"
	"  --version        show the version\n";

void cli_usage(FILE *out)
{
	fputs(usage_text, out);
}

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("pybpf: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n(run 'pybpf --help' for usage)\n", stderr);
	return 2;
}

char *cli_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "pybpf: error: cannot open '%s': %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	int failed = !buf || ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed) {
		fprintf(stderr, "pybpf: error: cannot read '%s'\n", path);
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

enum { MAX_DEFINES = 256 };
static const char *defines[MAX_DEFINES];

/* -D NAME=VALUE | -DNAME=VALUE (the library checks NAME and VALUE) */
static int define_option(int argc, char **argv, int *i, struct pybpf_compile_opts *o)
{
	const char *a = argv[*i], *def = a + 2;
	if (!*def) {
		if (*i + 1 >= argc) {
			cli_usage_error("%s", "-D needs NAME=VALUE");
			return -1;
		}
		def = argv[++*i];
	}
	if (o->define_cnt >= MAX_DEFINES) {
		cli_usage_error("too many -D options (at most %d)", MAX_DEFINES);
		return -1;
	}
	if (o->defines != defines)
		o->define_cnt = 0;
	defines[o->define_cnt++] = def;
	o->defines = defines;
	return 1;
}

/* Parses one compile option at argv[*i]; returns 1 if it was one, 0 if not,
 * -1 on a bad value (reported). */
int cli_compile_option(int argc, char **argv, int *i, struct pybpf_compile_opts *o)
{
	const char *a = argv[*i];
	if (a[0] == '-' && a[1] == 'D')
		return define_option(argc, argv, i, o);
	if (a[0] == '-' && a[1] == 'O' && a[3] == 0 && a[2] >= '0' && a[2] <= '3') {
		o->opt = (enum pybpf_opt)(PYBPF_OPT_O0 + (a[2] - '0'));
		return 1;
	}
	if (strncmp(a, "-O", 2) == 0) {
		cli_usage_error("unknown optimisation level '%s' (use -O0, -O1, -O2 or -O3)", a);
		return -1;
	}
	const char *cpu = NULL;
	if (strncmp(a, "--mcpu=", 7) == 0)
		cpu = a + 7;
	else if (strcmp(a, "--mcpu") == 0 || strcmp(a, "-mcpu") == 0) {
		if (*i + 1 >= argc) {
			cli_usage_error("%s needs a value (v1, v2, v3 or v4)", a);
			return -1;
		}
		cpu = argv[++*i];
	} else if (strncmp(a, "-mcpu=", 6) == 0)
		cpu = a + 6;
	if (strcmp(a, "--btf") == 0) {
		if (*i + 1 >= argc) {
			cli_usage_error("%s needs a value (a kernel BTF file)", a);
			return -1;
		}
		o->btf_path = argv[++*i];
		return 1;
	}
	if (strncmp(a, "--btf=", 6) == 0) {
		o->btf_path = a + 6;
		return 1;
	}
	if (strcmp(a, "--debug-compilation-dir") == 0) {
		if (*i + 1 >= argc) {
			cli_usage_error("%s needs a value (a directory)", a);
			return -1;
		}
		o->debug_compilation_dir = argv[++*i];
		return 1;
	}
	if (strncmp(a, "--debug-compilation-dir=", 24) == 0) {
		o->debug_compilation_dir = a + 24;
		return 1;
	}
	if (cpu) {
		if (!pybpf_mcpu_valid(cpu)) {
			cli_usage_error("unknown CPU '%s' (use v1, v2, v3 or v4)", cpu);
			return -1;
		}
		o->mcpu = cpu;
		return 1;
	}
	return 0;
}

typedef struct Command {
	const char *name;
	int (*run)(int argc, char **argv);
} Command;

static const Command commands[] = {
	{"compile", cli_compile}, {"dump", cli_dump}, {"run", cli_run},
	{"check", cli_check},	  {"gen", cli_gen},
};

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "help") == 0) {
		cli_usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		printf("pybpf %s (%s)\n", pybpf_version(), pybpf_llvm_version());
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_usage_error("unknown command '%s'", cmd);
}
