/*
 * lex.h - the Python 3.11 tokenizer.
 *
 * Input: a UTF-8 source buffer (need not be NUL-terminated; may hold any bytes).
 * Output: tokens one at a time, with CPython's kinds (tokens.def) and
 * positions (1-based lines, 0-based UTF-8 byte columns, exclusive ends).
 * Keywords come back as NAME tokens tagged with their Keyword id. INDENT,
 * DEDENT and NEWLINE follow CPython's rules (no NEWLINE inside brackets, blank
 * and comment-only lines produce nothing, a final NEWLINE and the pending
 * DEDENTs before ENDMARKER). COMMENT and NL are produced only when asked for.
 * An f-string is one STRING token, as in 3.11; the parser splits it.
 *
 * Errors (bad character, unterminated string, inconsistent dedent, tab/space
 * mix, unclosed bracket at end of file, ...) are reported to the Diags with
 * CPython's wording and line, and lex_next returns ERRORTOKEN; the caller
 * stops at the first error.
 */
#ifndef PYBPF_LEX_H
#define PYBPF_LEX_H

#include "arena.h"
#include "diag.h"

#include <stdbool.h>
#include <stddef.h>

typedef enum TokKind {
#define TOK(name, text) TOK_##name,
#include "tokens.def"
#undef TOK
	TOK__COUNT
} TokKind;

typedef enum Keyword {
	KW_NOT_KEYWORD = 0,
#define KW(name, text)	    KW_##name,
#define SOFT_KW(name, text) KW_##name,
#include "keywords.def"
#undef KW
#undef SOFT_KW
	KW__COUNT
} Keyword;

typedef struct Token {
	TokKind kind;
	Keyword kw;	   /* NAME only: keyword id (hard or soft), else KW_NOT_KEYWORD */
	const char *start; /* points into the source buffer */
	int len;	   /* bytes */
	int lineno, col_offset, end_lineno, end_col_offset;
} Token;

typedef struct Lexer Lexer;

typedef struct LexOptions {
	bool comments; /* also produce COMMENT and NL tokens (for dumps) */
} LexOptions;

Lexer *lex_new(Arena *a, Diags *d, const char *src, size_t len, const LexOptions *opts);
/* Fills *out with the next token. Returns false (and out->kind == TOK_ERRORTOKEN)
 * after reporting an error; keeps returning ENDMARKER at the end. */
bool lex_next(Lexer *lx, Token *out);

/* Name of a token kind ("NAME", "LPAR", ...) and of a keyword ("def", ...). */
const char *lex_token_name(TokKind k);
const char *lex_keyword_text(Keyword kw);
/* Spelling of an operator token ("(") or NULL for token classes. */
const char *lex_token_text(TokKind k);

/* True for hard keywords (not soft ones such as "match"). */
bool lex_is_hard_keyword(Keyword kw);

/* What kind of error the last failed lex_next reported. CPython's parser lets
 * errors its tokenizer raises itself (bad literal or character, unterminated
 * string, bracket mismatch) replace an earlier generic syntax error, but not
 * end-of-input or indentation conditions; an unclosed bracket wins only when
 * it opened before the parser's error line (see parse.c). */
typedef enum LexErrorKind {
	LEX_ERROR_NONE,
	LEX_ERROR_SYNTAX,   /* raised by the tokenizer itself */
	LEX_ERROR_UNCLOSED, /* end of input inside brackets, reported at the opener */
	LEX_ERROR_OTHER,    /* indentation, tabs/spaces, line continuation, EOF */
} LexErrorKind;

LexErrorKind lex_error_kind(const Lexer *lx);
/* Current bracket nesting depth. */
int lex_bracket_depth(const Lexer *lx);
/* The innermost bracket still open: false when there is none. */
bool lex_open_bracket(const Lexer *lx, SrcLoc *where, char *bracket);
/* Strict UTF-8 decoding of one character at p (as Python's codec): returns
 * its length and the code point, or, when invalid, minus the number of bytes
 * the error covers, with *why set ("invalid start byte", ...). */
int lex_utf8_decode(const char *p, const char *end, unsigned *cp, const char **why);
/* Python's message for the invalid UTF-8 at p ("(unicode error) 'utf-8'
 * codec can't decode byte 0xff in position 3: invalid start byte"); `pos`
 * is the position to report. */
char *lex_utf8_error(Arena *a, const char *p, const char *end, long pos);

#endif
