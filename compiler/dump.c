/*
 * dump.c - `pybpf dump --tokens|--ast`: the dumps the parser tests compare
 * with CPython's tokenize and ast modules (tests/parse/astdump.py).
 *
 * The AST dump is ast_dump()'s format. The token dump prints one token per
 * line, `KIND line:col-end_line:end_col "text"`, with CPython's exact
 * operator names (LPAR, PLUSEQUAL, ...) and without COMMENT/NL tokens. It
 * follows the conventions of the tokenize module: INDENT spans the
 * indentation, DEDENT and ENDMARKER are empty and sit where the next token
 * starts (at the end of the input: the line after the last one, column 0,
 * where the lexer follows CPython's C tokenizer instead), NEWLINE's text is "\n"
 * except the one added at the end of a file without a final newline, whose
 * text is empty. A character no token can start (`$`, `?`) is an ERRORTOKEN,
 * as in tokenize. Differences that remain are normalised by the test script
 * (a "\r\n" NEWLINE is dumped as "\n").
 */
#include "dump.h"

#include "ast.h"
#include "lex.h"
#include "parse.h"

#include <setjmp.h>

static void dump_text(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
}

/* 1-based number of the last line when the source does not end in a
 * newline (its NEWLINE token was added by the tokenizer), else 0. */
static int unterminated_last_line(const char *src, size_t len)
{
	if (len == 0 || src[len - 1] == '\n' || src[len - 1] == '\r')
		return 0;
	int line = 1;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n')))
			line++;
	return line;
}

/* Number of lines as tokenize counts them (a last line without a newline
 * counts). */
static int line_count(const char *src, size_t len)
{
	int n = 0;
	for (size_t i = 0; i < len; i++)
		if (src[i] == '\n' || (src[i] == '\r' && (i + 1 == len || src[i + 1] != '\n')))
			n++;
	if (len && src[len - 1] != '\n' && src[len - 1] != '\r')
		n++;
	return n;
}

static int dump_tokens(Arena *a, Diags *d, const char *src, size_t len, FILE *out)
{
	Lexer *lx = lex_new(a, d, src, len, NULL);
	int last_line = unterminated_last_line(src, len);
	int lines = line_count(src, len);
	for (;;) {
		Token t;
		if (!lex_next(lx, &t))
			return 1;
		const char *name = t.kind == TOK_OP ? "ERRORTOKEN" : lex_token_name(t.kind);
		if (t.start[0] == '\0') {
			/* DEDENT/ENDMARKER at the end: tokenize puts them on the
			 * line after the last one, at column 0 */
			t.lineno = t.end_lineno = lines + 1;
			t.col_offset = t.end_col_offset = 0;
		}
		fprintf(out, "%s %d:%d-%d:%d ", name, t.lineno, t.col_offset, t.end_lineno,
			t.end_col_offset);
		size_t n = (size_t)t.len;
		if (t.kind == TOK_NEWLINE && t.lineno == last_line)
			n = 0;
		if (t.kind == TOK_DEDENT || t.kind == TOK_ENDMARKER)
			n = 0;
		dump_text(out, t.start, n);
		fputc('\n', out);
		if (t.kind == TOK_ENDMARKER)
			return 0;
	}
}

int dump_file(const char *filename, const char *src, size_t len, enum dump_what what, FILE *out,
	      FILE *err)
{
	Arena *a = arena_new();
	if (!a) {
		fputs("pybpf: out of memory\n", err);
		return 2;
	}
	jmp_buf oom;
	if (setjmp(oom)) {
		fputs("pybpf: out of memory\n", err);
		arena_free(a);
		return 2;
	}
	arena_set_oom_jmp(a, &oom);
	Diags d;
	diag_init(&d, a, filename, src, len);
	int rc;
	if (what == DUMP_AST) {
		AstNode *m = parse_file(a, &d, src, len);
		if (m)
			ast_dump(out, m);
		rc = m ? 0 : 1;
	} else {
		rc = dump_tokens(a, &d, src, len, out);
	}
	diag_sort(&d);
	for (int i = 0; i < d.items.n; i++)
		fputs(diag_render(&d, d.items.items[i]), err);
	arena_free(a);
	return rc;
}
