/*
 * diag.h - diagnostics: collected during a compilation, rendered at the end.
 *
 * A location is CPython's: 1-based line, 0-based byte column, end exclusive.
 * Rendering (DESIGN.md section 3) is `file:line:col: level: message`, with a
 * 1-based character column, then the source line and a caret/underline, then
 * the notes attached to the diagnostic. Errors are capped at DIAG_MAX_ERRORS.
 */
#ifndef PYBPF_DIAG_H
#define PYBPF_DIAG_H

#include "arena.h"

#include <stdbool.h>

#define DIAG_MAX_ERRORS 20

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

typedef struct SrcLoc {
	int line, col;	       /* line 0 means "no location" */
	int end_line, end_col; /* exclusive end; 0 when unknown */
	int file;	       /* 0: the main source; else an imported module (diag_add_file) */
} SrcLoc;

typedef struct Diag {
	DiagLevel level;
	SrcLoc loc;
	const char *msg;
	struct Diag *notes, *next; /* notes of this diagnostic, in order */
	int seq;		   /* order of reporting, to sort stably */
} Diag;

/* A source file other than the main one (an imported module). */
typedef struct DiagFile {
	const char *name;
	const char *src;
	size_t len;
} DiagFile;

typedef struct Diags {
	Arena *arena;
	const char *filename; /* the main source (file 0) */
	const char *src;
	size_t len;
	PtrVec files; /* DiagFile *: file i + 1 */
	PtrVec items; /* Diag *, errors and warnings (notes hang off them) */
	int errors, warnings, dropped;
} Diags;

void diag_init(Diags *d, Arena *a, const char *filename, const char *src, size_t len);

Diag *diag_error(Diags *d, SrcLoc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
Diag *diag_warning(Diags *d, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Adds a note to `parent` (which may be NULL when the parent was dropped). */
void diag_note(Diags *d, Diag *parent, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Registers another source file (an imported module): its file index. */
int diag_add_file(Diags *d, const char *name, const char *src, size_t len);
/* The name and text of file `file` (0: the main source). */
const char *diag_file_name(const Diags *d, int file);
/* Moves the diagnostics of `from` (one file's parse) into d, at file `file`. */
void diag_merge(Diags *d, const Diags *from, int file);

/* Sorts by location (file, line, column), keeping report order for ties. */
void diag_sort(Diags *d);

/* Renders one diagnostic with its notes as text (arena string, ends in '\n'). */
char *diag_render(Diags *d, const Diag *g);

/* Edit distance between a and b (insertions, deletions, substitutions),
 * giving up and returning max + 1 beyond max: for "did you mean" notes. */
int diag_edit_distance(const char *a, const char *b, int max);
/* The largest distance at which a name still suggests another. */
int diag_suggest_limit(const char *name);

/* The source text of line `line` (1-based) without its newline. */
const char *diag_line_text(const Diags *d, int line, size_t *len);
/* The same in file `file` (0: the main source). */
const char *diag_file_line_text(const Diags *d, int file, int line, size_t *len);

static inline SrcLoc srcloc(int line, int col, int end_line, int end_col)
{
	SrcLoc l = {line, col, end_line, end_col, 0};
	return l;
}

#endif
