/*
 * pybpf/compile.h - the pybpf compiler as a library.
 *
 * Source buffer and options in; object bytes (or LLVM IR / BPF assembly text)
 * and diagnostics out. The library never prints and never exits; it is
 * reentrant and leak-free, so one process may compile many times.
 *
 *	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = "prog.py");
 *	struct pybpf_result *res;
 *	int err = pybpf_compile(src, len, &opts, &res);
 *	... pybpf_result__output(res, &size) / pybpf_result__diags_text(res) ...
 *	pybpf_result__free(res);
 */
#ifndef PYBPF_COMPILE_H
#define PYBPF_COMPILE_H

#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PYBPF_VERSION_MAJOR 0
#define PYBPF_VERSION_MINOR 1
#define PYBPF_VERSION_PATCH 0
#define PYBPF_VERSION	    "0.1.0"

/* Declares and zero-fills an opts struct, setting its sz, like LIBBPF_OPTS. */
#define LIBPYBPF_OPTS(TYPE, NAME, ...)                                 \
	struct TYPE NAME = ({                                          \
		memset(&NAME, 0, sizeof(struct TYPE));                 \
		(struct TYPE){.sz = sizeof(struct TYPE), __VA_ARGS__}; \
	})

enum pybpf_opt {
	PYBPF_OPT_DEFAULT = 0, /* -O2 */
	PYBPF_OPT_O0,
	PYBPF_OPT_O1,
	PYBPF_OPT_O2,
	PYBPF_OPT_O3,
};

enum pybpf_emit {
	PYBPF_EMIT_OBJ = 0, /* BPF ELF object with .BTF/.BTF.ext */
	PYBPF_EMIT_LLVM,    /* LLVM IR text (after optimisation) */
	PYBPF_EMIT_ASM,	    /* BPF assembly text */
};

struct pybpf_compile_opts {
	size_t sz;	      /* sizeof(struct pybpf_compile_opts) */
	const char *filename; /* shown in diagnostics and BTF line info; default "<input>" */
	enum pybpf_opt opt;   /* optimisation level; default -O2 */
	const char *mcpu;     /* "v1".."v4"; NULL means "v3" */
	enum pybpf_emit emit;
	/* kernel BTF for `from vmlinux import ...`; NULL: /sys/kernel/btf/vmlinux */
	const char *btf_path;
	/* the compilation directory recorded in debug info (DW_AT_comp_dir, and
	 * the directory of a relative filename in BTF line info), as clang's
	 * -fdebug-compilation-dir; NULL: the current directory ("/" for an
	 * absolute filename) */
	const char *debug_compilation_dir;
	/* -D: "NAME=VALUE" strings; VALUE (an integer literal, as in Python)
	 * replaces the value of the module-level constant NAME (`NAME = expr`,
	 * `NAME: Final = expr`) in the BPF code */
	const char *const *defines;
	size_t define_cnt;
	/* -I: directories searched, after the source's own directory, for the
	 * local modules a @bpf source imports from (`from mod import X` finds
	 * mod.py); see pybpf_result__dep() for the files read */
	const char *const *include_dirs;
	size_t include_dir_cnt;
};

enum pybpf_diag_level { PYBPF_DIAG_ERROR, PYBPF_DIAG_WARNING, PYBPF_DIAG_NOTE };

struct pybpf_diag {
	enum pybpf_diag_level level;
	const char *file;
	int line, col;	       /* 1-based line and character column; 0 when unknown */
	int end_line, end_col; /* 1-based, exclusive end; 0 when unknown */
	const char *message;
	const char *text;		/* fully rendered: header, source line, caret, notes */
	const struct pybpf_diag *notes; /* the notes attached to this diagnostic, */
	size_t note_cnt;		/* in order (each has no notes of its own) */
};

struct pybpf_result;

/*
 * Compiles `len` bytes of Python source. Returns 0 on success, -EINVAL for bad
 * options, 1 when the source has errors (see the diagnostics) and -ENOMEM or
 * -EIO (internal compiler error, described by a diagnostic) otherwise. *res is
 * set whenever the return value is not -EINVAL; free it with
 * pybpf_result__free().
 */
int pybpf_compile(const char *src, size_t len, const struct pybpf_compile_opts *opts,
		  struct pybpf_result **res);

/* The output (object bytes, or text for LLVM/asm); NULL after errors. */
const void *pybpf_result__output(const struct pybpf_result *res, size_t *size);
size_t pybpf_result__diag_cnt(const struct pybpf_result *res);
const struct pybpf_diag *pybpf_result__diag(const struct pybpf_result *res, size_t i);
/* All diagnostics rendered, in order, as one string ("" when there are none). */
const char *pybpf_result__diags_text(const struct pybpf_result *res);
int pybpf_result__error_cnt(const struct pybpf_result *res);
/* The local modules the compilation read (imported Python files), in the
 * order they were first read, as the paths it opened, then the default
 * kernel BTF (/sys/kernel/btf/vmlinux) when it was read (a btf_path given in
 * the options is not listed: the caller has it): for depfiles. */
size_t pybpf_result__dep_cnt(const struct pybpf_result *res);
const char *pybpf_result__dep(const struct pybpf_result *res, size_t i);
void pybpf_result__free(struct pybpf_result *res);

/* Checks a CPU name ("v1".."v4"). */
int pybpf_mcpu_valid(const char *mcpu);

const char *pybpf_version(void);
/* "LLVM 19.1.7" */
const char *pybpf_llvm_version(void);

#ifdef __cplusplus
}
#endif

#endif
