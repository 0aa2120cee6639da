/*
 * lex.c - the Python 3.11 tokenizer (CPython's Parser/tokenizer.c, by hand).
 *
 * The source is first copied into the arena as CPython prepares it: a UTF-8
 * byte-order mark is dropped, a latin-1 coding cookie is honoured by
 * transcoding to UTF-8, "\r\n" and "\r" become "\n", and a final "\n" is
 * added when missing. The copy ends in a NUL sentinel, so the scanner can look
 * one byte ahead without bounds checks; NUL bytes inside the source are
 * rejected up front, as CPython does.
 *
 * lex_next() then produces one token per call, on demand, like CPython's
 * tok_get(): at the beginning of a line it measures the indentation (tabs to
 * multiples of 8, and again with tab size 1 to detect inconsistent tab/space
 * mixes), queues INDENT/DEDENT tokens, skips blank and comment-only lines;
 * inside brackets newlines are ignored; a backslash joins lines. A paren stack
 * remembers where each open bracket was, so errors can point at the opener.
 * Non-ASCII identifiers are checked against Unicode's XID_Start/XID_Continue
 * (lex_xid.c); keywords are recognised on the raw text, as CPython does, and
 * the parser normalises the identifiers to NFKC (parse_identifier(),
 * lex_unicode.c), so a NAME token's text is what the source spells.
 *
 * Errors are reported to the Diags with CPython's wording and line, and the
 * lexer then keeps returning ERRORTOKEN; lex_error_kind() tells the parser
 * whether CPython would let the error replace an earlier parser error.
 */
#include "lex.h"

#include "lex_xid.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define MAXINDENT  100 /* CPython's limit on indentation levels */
#define MAXLEVEL   200 /* CPython's limit on nested brackets */
#define TABSIZE	   8
#define ALTTABSIZE 1

struct Lexer {
	Arena *arena;
	Diags *diags;
	bool comments;

	const char *src; /* prepared copy of the source, NUL-terminated */
	const char *end; /* the NUL sentinel */
	const char *cur;
	const char *line_start; /* start of the current line */
	int lineno;

	bool atbol;	/* at the beginning of a line: measure indentation */
	bool blankline; /* the current line is blank or a comment (comments mode) */
	int indent;	/* index of the current level in indstack */
	int indstack[MAXINDENT];
	int altindstack[MAXINDENT];
	int pendin; /* pending INDENTs (> 0) or DEDENTs (< 0) */

	int level; /* bracket nesting */
	char parenstack[MAXLEVEL];
	int parenline[MAXLEVEL], parencol[MAXLEVEL];

	bool started; /* the NUL check has been done */
	bool at_end;  /* ENDMARKER was returned */
	LexErrorKind error;
};

/* ---- tables ---- */

static const char *const token_names[TOK__COUNT] = {
#define TOK(name, text) [TOK_##name] = #name,
#include "tokens.def"
#undef TOK
};

static const char *const token_texts[TOK__COUNT] = {
#define TOK(name, text) [TOK_##name] = text,
#include "tokens.def"
#undef TOK
};

static const struct {
	const char *text;
	bool hard;
} keywords[KW__COUNT] = {
	[KW_NOT_KEYWORD] = {"", false},
#define KW(name, text)	    [KW_##name] = {text, true},
#define SOFT_KW(name, text) [KW_##name] = {text, false},
#include "keywords.def"
#undef KW
#undef SOFT_KW
};

const char *lex_token_name(TokKind k)
{
	return k >= 0 && k < TOK__COUNT ? token_names[k] : "?";
}

const char *lex_token_text(TokKind k)
{
	return k >= 0 && k < TOK__COUNT ? token_texts[k] : NULL;
}

const char *lex_keyword_text(Keyword kw)
{
	return kw > 0 && kw < KW__COUNT ? keywords[kw].text : "";
}

bool lex_is_hard_keyword(Keyword kw)
{
	return kw > 0 && kw < KW__COUNT && keywords[kw].hard;
}

static Keyword keyword_of(const char *s, int len)
{
	/* Keywords are 1 to 8 lowercase letters, or capitalised True/False/None. */
	if (len > 8 || !((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_' || s[0] == 'T' ||
			 s[0] == 'F' || s[0] == 'N'))
		return KW_NOT_KEYWORD;
	for (int k = 1; k < KW__COUNT; k++)
		if ((int)strlen(keywords[k].text) == len &&
		    memcmp(keywords[k].text, s, (size_t)len) == 0)
			return (Keyword)k;
	return KW_NOT_KEYWORD;
}

/* Operators of one, two and three characters (tokens.def), grouped by their
 * first byte, longest first, built once. */
#define MAX_OPS_PER_CHAR 8
static TokKind ops_by_char[128][MAX_OPS_PER_CHAR];
static int nops_by_char[128];
static pthread_once_t ops_once = PTHREAD_ONCE_INIT;

static void init_ops(void)
{
	for (int n = 3; n >= 1; n--)
		for (int k = 0; k < TOK__COUNT; k++) {
			const char *t = token_texts[k];
			if (t && (int)strlen(t) == n) {
				unsigned char c = (unsigned char)t[0];
				ops_by_char[c][nops_by_char[c]++] = (TokKind)k;
			}
		}
}

/* The longest operator at s (TOK_OP when none), its length in *len. */
static TokKind operator_kind(const char *s, int *len)
{
	unsigned char c = (unsigned char)s[0];
	*len = 0;
	if (c >= 128)
		return TOK_OP;
	for (int i = 0; i < nops_by_char[c]; i++) {
		TokKind k = ops_by_char[c][i];
		const char *t = token_texts[k];
		size_t n = strlen(t);
		if (strncmp(s, t, n) == 0) {
			*len = (int)n;
			return k;
		}
	}
	return TOK_OP;
}

/* ---- source preparation ---- */

/* Returns the coding cookie's encoding name on a comment line, or NULL. */
static const char *coding_cookie(Arena *a, const char *line, const char *end)
{
	const char *p = line;
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\f'))
		p++;
	if (p >= end || *p != '#')
		return NULL;
	for (; p + 7 < end; p++) {
		if (memcmp(p, "coding", 6) != 0 || (p[6] != ':' && p[6] != '='))
			continue;
		const char *q = p + 7;
		while (q < end && (*q == ' ' || *q == '\t'))
			q++;
		const char *s = q;
		while (q < end &&
		       (*q == '-' || *q == '_' || *q == '.' || (*q >= '0' && *q <= '9') ||
			((*q | 32) >= 'a' && (*q | 32) <= 'z')))
			q++;
		if (q > s)
			return arena_strndup(a, s, (size_t)(q - s));
	}
	return NULL;
}

/* CPython's get_normal_name(): is this encoding name latin-1? */
static bool is_latin1(const char *enc)
{
	char buf[16];
	size_t i = 0;
	for (; enc[i] && i < sizeof buf - 1; i++)
		buf[i] = enc[i] == '_' ? '-'
				       : (char)(enc[i] | (enc[i] >= 'A' && enc[i] <= 'Z' ? 32 : 0));
	buf[i] = 0;
	return strncmp(buf, "latin-1", 7) == 0 || strncmp(buf, "iso-8859-1", 10) == 0 ||
	       strncmp(buf, "iso-latin-1", 11) == 0;
}

static bool source_is_latin1(Arena *a, const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	const char *l1end = nl ? nl : end;
	const char *enc = coding_cookie(a, s, l1end);
	if (!enc && nl) {
		/* line 2 counts only when line 1 is blank or a comment */
		const char *p = s;
		while (p < l1end && (*p == ' ' || *p == '\t' || *p == '\f' || *p == '\r'))
			p++;
		if (p == l1end || *p == '#') {
			const char *nl2 = memchr(nl + 1, '\n', (size_t)(end - nl - 1));
			enc = coding_cookie(a, nl + 1, nl2 ? nl2 : end);
		}
	}
	return enc && is_latin1(enc);
}

static void prepare_source(Lexer *lx, const char *src, size_t len)
{
	const char *s = src, *end = src + len;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	bool latin1 = source_is_latin1(lx->arena, s, end);
	char *out = arena_alloc(lx->arena, (size_t)(end - s) * (latin1 ? 2 : 1) + 2);
	char *o = out;
	for (const char *p = s; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r') {
			*o++ = '\n';
			if (p + 1 < end && p[1] == '\n')
				p++;
		} else if (latin1 && c >= 0x80) {
			*o++ = (char)(0xC0 | (c >> 6));
			*o++ = (char)(0x80 | (c & 0x3F));
		} else {
			*o++ = (char)c;
		}
	}
	if (o > out && o[-1] != '\n')
		*o++ = '\n';
	*o = 0;
	lx->src = out;
	lx->end = o;
}

Lexer *lex_new(Arena *a, Diags *d, const char *src, size_t len, const LexOptions *opts)
{
	Lexer *lx = arena_alloc(a, sizeof *lx);
	lx->arena = a;
	lx->diags = d;
	lx->comments = opts && opts->comments;
	prepare_source(lx, src, len);
	lx->cur = lx->line_start = lx->src;
	lx->lineno = 1;
	lx->atbol = true;
	pthread_once(&ops_once, init_ops);
	return lx;
}

/* ---- errors ---- */

static int col_of(const Lexer *lx, const char *p)
{
	return (int)(p - lx->line_start);
}

static bool fail(Lexer *lx, Token *out, LexErrorKind kind, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static bool fail(Lexer *lx, Token *out, LexErrorKind kind, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = arena_vprintf(lx->arena, fmt, ap);
	va_end(ap);
	diag_error(lx->diags, loc, "%s", msg);
	lx->error = kind;
	memset(out, 0, sizeof *out);
	out->kind = TOK_ERRORTOKEN;
	out->start = lx->cur;
	out->lineno = out->end_lineno = loc.line;
	out->col_offset = out->end_col_offset = loc.col;
	return false;
}

/* An error at the current position (CPython's syntaxerror()). */
#define SYNTAX_ERROR(lx, out, ...)                                                             \
	fail(lx, out, LEX_ERROR_SYNTAX,                                                        \
	     srcloc((lx)->lineno, col_of(lx, (lx)->cur), (lx)->lineno, col_of(lx, (lx)->cur)), \
	     __VA_ARGS__)

LexErrorKind lex_error_kind(const Lexer *lx)
{
	return lx->error;
}

int lex_bracket_depth(const Lexer *lx)
{
	return lx->level;
}

bool lex_open_bracket(const Lexer *lx, SrcLoc *where, char *bracket)
{
	if (lx->level == 0)
		return false;
	int i = lx->level - 1;
	*where = srcloc(lx->parenline[i], lx->parencol[i], lx->parenline[i], lx->parencol[i] + 1);
	*bracket = lx->parenstack[i];
	return true;
}

/* ---- UTF-8 ---- */

/* Decodes one UTF-8 sequence at p strictly, like Python's codec: returns
 * its length, or on error minus the number of bytes the error covers (1,
 * or the valid start of a truncated sequence), with *why saying what is
 * wrong ("invalid start byte", ...). */
static int utf8_decode(const unsigned char *p, const unsigned char *end, unsigned *cp,
		       const char **why)
{
	unsigned c = p[0];
	int n;
	unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3, c &= 0x0F;
		lo = c == 0 ? 0xA0 : 0x80;   /* no overlong forms */
		hi = c == 0xD ? 0x9F : 0xBF; /* no surrogates */
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4, c &= 0x07;
		lo = c == 0 ? 0x90 : 0x80;
		hi = c == 4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
	} else {
		*why = "invalid start byte";
		return -1;
	}
	for (int i = 1; i < n; i++) {
		if (p + i >= end) {
			*why = "unexpected end of data";
			return -i;
		}
		bool ok = i == 1 ? p[i] >= lo && p[i] <= hi : (p[i] & 0xC0) == 0x80;
		if (!ok) {
			*why = "invalid continuation byte";
			return -i;
		}
		c = (c << 6) | (p[i] & 0x3F);
	}
	*cp = c;
	return n;
}

int lex_utf8_decode(const char *p, const char *end, unsigned *cp, const char **why)
{
	return utf8_decode((const unsigned char *)p, (const unsigned char *)end, cp, why);
}

char *lex_utf8_error(Arena *a, const char *p, const char *end, long pos)
{
	unsigned cp;
	const char *why = "";
	int n = lex_utf8_decode(p, end, &cp, &why);
	if (n >= -1)
		return arena_printf(
			a,
			"(unicode error) 'utf-8' codec can't decode byte 0x%02x in position "
			"%ld: %s",
			(unsigned char)*p, pos, why);
	return arena_printf(
		a, "(unicode error) 'utf-8' codec can't decode bytes in position %ld-%ld: %s", pos,
		pos - n - 1, why);
}

/* Unicode's printable test for the characters the tokenizer complains about:
 * the C0/C1 controls, separators and format characters are not printable. */
static bool is_printable(unsigned cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xAD)
		return false;
	if (cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
	    (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
	    cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB) || (cp >= 0xE000 && cp <= 0xF8FF))
		return false;
	return true;
}

/* CPython's verify_identifier(): the NAME in [start, cur) contains non-ASCII
 * bytes; check it decodes and that each character may appear in a name. */
static bool verify_identifier(Lexer *lx, Token *out, const char *start)
{
	const unsigned char *p = (const unsigned char *)start, *e = (const unsigned char *)lx->cur;
	bool first = true;
	while (p < e) {
		unsigned cp;
		const char *why = "";
		int n = utf8_decode(p, e, &cp, &why);
		if (n <= 0)
			return fail(lx, out, LEX_ERROR_SYNTAX,
				    srcloc(lx->lineno, col_of(lx, start), lx->lineno,
					   col_of(lx, start)),
				    "%s",
				    lex_utf8_error(lx->arena, (const char *)p, (const char *)e,
						   (long)(p - (const unsigned char *)start)));
		bool ok = cp < 0x80 ? true : first ? lex_is_xid_start(cp) : lex_is_xid_continue(cp);
		if (!ok) {
			lx->cur = (const char *)(p + n);
			SrcLoc loc = srcloc(lx->lineno, col_of(lx, lx->cur) - 1, lx->lineno,
					    col_of(lx, lx->cur) - 1);
			if (is_printable(cp))
				return fail(lx, out, LEX_ERROR_SYNTAX, loc,
					    "invalid character '%s' (U+%04X)",
					    arena_strndup(lx->arena, (const char *)p, (size_t)n),
					    cp);
			return fail(lx, out, LEX_ERROR_SYNTAX, loc,
				    "invalid non-printable character U+%04X", cp);
		}
		first = false;
		p += n;
	}
	return true;
}

/* ---- scanning helpers ---- */

static bool is_id_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 128;
}

static bool is_id_char(unsigned char c)
{
	return is_id_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_xdigit(int c)
{
	return is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f');
}

static bool at_eof(const Lexer *lx)
{
	return lx->cur >= lx->end;
}

/* Moves past a '\n' at cur. */
static void next_line(Lexer *lx)
{
	lx->cur++;
	lx->line_start = lx->cur;
	lx->lineno++;
}

static void set_token(Lexer *lx, Token *out, TokKind kind, const char *start, int lineno,
		      const char *line_start)
{
	out->kind = kind;
	out->kw = KW_NOT_KEYWORD;
	out->start = start;
	out->len = (int)(lx->cur - start);
	out->lineno = lineno;
	out->col_offset = (int)(start - line_start);
	out->end_lineno = lx->lineno;
	out->end_col_offset = col_of(lx, lx->cur);
}

/* DEDENT and ENDMARKER at the end of the input: like CPython's tokenizer,
 * they sit at the end of the last line (where its newline is); their text
 * is the empty string at the NUL sentinel. */
static void eof_token(Lexer *lx, Token *out, TokKind kind)
{
	int line = lx->lineno, col = 0;
	if (lx->end > lx->src) {
		const char *nl = lx->end - 1; /* the final '\n' */
		const char *ls = nl;
		while (ls > lx->src && ls[-1] != '\n')
			ls--;
		line = lx->lineno - 1;
		col = (int)(nl - ls);
	}
	memset(out, 0, sizeof *out);
	out->kind = kind;
	out->start = lx->end;
	out->lineno = out->end_lineno = line;
	out->col_offset = out->end_col_offset = col;
}

/* ---- numbers ---- */

/* CPython's verify_end_of_number(): a literal directly followed by a name
 * character is an error, except before the keywords that can follow a
 * number in valid code ("1if x else y"; CPython warns there): "and", "else",
 * "for", "or", "not" when a non-name character follows them, and any "if",
 * "in", "is" prefix. */
static bool verify_end_of_number(Lexer *lx, Token *out, const char *kind)
{
	const char *c = lx->cur;
	static const char *const ok_words[] = {"and", "else", "for", "or", "not"};
	for (size_t i = 0; i < sizeof ok_words / sizeof ok_words[0]; i++) {
		size_t n = strlen(ok_words[i]);
		if ((size_t)(lx->end - c) > n && memcmp(c, ok_words[i], n) == 0 &&
		    !is_id_char((unsigned char)c[n]))
			return true;
	}
	if (c[0] == 'i' && (c[1] == 'f' || c[1] == 'n' || c[1] == 's'))
		return true;
	if (is_id_char((unsigned char)*c))
		return SYNTAX_ERROR(lx, out, "invalid %s literal", kind);
	return true;
}

/* digits ('_'? digits)*, cur on the first digit; returns false on "1_" */
static bool decimal_tail(Lexer *lx, Token *out)
{
	for (;;) {
		while (is_digit(*lx->cur))
			lx->cur++;
		if (*lx->cur != '_')
			return true;
		lx->cur++;
		if (!is_digit(*lx->cur))
			return SYNTAX_ERROR(lx, out, "invalid decimal literal");
	}
}

/* Base-prefixed integer after "0x"/"0o"/"0b": (_? digit+)+ */
static bool based_tail(Lexer *lx, Token *out, int base, const char *kind)
{
	do {
		if (*lx->cur == '_')
			lx->cur++;
		int c = (unsigned char)*lx->cur;
		bool ok = base == 16 ? is_xdigit(c) : (c >= '0' && c < '0' + base);
		if (!ok) {
			if (base != 16 && is_digit(c)) {
				lx->cur++;
				return SYNTAX_ERROR(lx, out, "invalid digit '%c' in %s literal", c,
						    kind);
			}
			return SYNTAX_ERROR(lx, out, "invalid %s literal", kind);
		}
		while (base == 16 ? is_xdigit(*lx->cur)
				  : (*lx->cur >= '0' && *lx->cur < '0' + base))
			lx->cur++;
	} while (*lx->cur == '_');
	if (base != 16 && is_digit(*lx->cur)) {
		int c = *lx->cur;
		lx->cur++;
		return SYNTAX_ERROR(lx, out, "invalid digit '%c' in %s literal", c, kind);
	}
	return verify_end_of_number(lx, out, kind);
}

/* fraction, exponent and imaginary suffix of a decimal number, cur after the
 * integer part (or on the '.' of ".5"). */
static bool number_rest(Lexer *lx, Token *out)
{
	if (*lx->cur == '.') {
		lx->cur++;
		if (is_digit(*lx->cur) && !decimal_tail(lx, out))
			return false;
	}
	if (*lx->cur == 'e' || *lx->cur == 'E') {
		const char *e = lx->cur;
		lx->cur++;
		if (*lx->cur == '+' || *lx->cur == '-') {
			lx->cur++;
			if (!is_digit(*lx->cur))
				return SYNTAX_ERROR(lx, out, "invalid decimal literal");
		} else if (!is_digit(*lx->cur)) {
			lx->cur = e;
			return verify_end_of_number(lx, out, "decimal");
		}
		if (!decimal_tail(lx, out))
			return false;
	}
	if (*lx->cur == 'j' || *lx->cur == 'J') {
		lx->cur++;
		return verify_end_of_number(lx, out, "imaginary");
	}
	return verify_end_of_number(lx, out, "decimal");
}

static bool scan_number(Lexer *lx, Token *out)
{
	const char *start = lx->cur;
	if (*lx->cur == '.')
		return number_rest(lx, out);
	if (*lx->cur != '0') {
		if (!decimal_tail(lx, out))
			return false;
		return number_rest(lx, out);
	}
	lx->cur++;
	int c = *lx->cur | 32;
	if (c == 'x') {
		lx->cur++;
		return based_tail(lx, out, 16, "hexadecimal");
	}
	if (c == 'o') {
		lx->cur++;
		return based_tail(lx, out, 8, "octal");
	}
	if (c == 'b') {
		lx->cur++;
		return based_tail(lx, out, 2, "binary");
	}
	/* "0", "00", "0_0", or a float/imaginary starting with zeros */
	for (;;) {
		if (*lx->cur == '_') {
			lx->cur++;
			if (!is_digit(*lx->cur))
				return SYNTAX_ERROR(lx, out, "invalid decimal literal");
		}
		if (*lx->cur != '0')
			break;
		lx->cur++;
	}
	const char *zeros_end = lx->cur;
	bool nonzero = false;
	if (is_digit(*lx->cur)) {
		nonzero = true;
		if (!decimal_tail(lx, out))
			return false;
	}
	c = *lx->cur;
	if (c == '.' || c == 'e' || c == 'E' || c == 'j' || c == 'J')
		return number_rest(lx, out);
	if (nonzero)
		return fail(
			lx, out, LEX_ERROR_SYNTAX,
			srcloc(lx->lineno, col_of(lx, start), lx->lineno, col_of(lx, zeros_end)),
			"leading zeros in decimal integer literals are not permitted; use an 0o "
			"prefix for octal integers");
	return verify_end_of_number(lx, out, "decimal");
}

/* ---- strings ---- */

/* cur is on the opening quote; scans to after the closing quote(s). */
static bool scan_string(Lexer *lx, Token *out, const char *start)
{
	char quote = *lx->cur;
	int first_line = lx->lineno;
	const char *first_line_start = lx->line_start;
	int quote_size = 1;
	if (lx->cur[1] == quote && lx->cur[2] == quote)
		quote_size = 3;
	lx->cur += quote_size;
	for (;;) {
		char c = *lx->cur;
		if (at_eof(lx) || (quote_size == 1 && c == '\n')) {
			/* at the end, lineno is already past the last line */
			int detected = at_eof(lx) ? lx->lineno - 1 : lx->lineno;
			SrcLoc loc = srcloc(first_line, (int)(start - first_line_start), first_line,
					    (int)(start - first_line_start));
			if (quote_size == 3)
				return fail(
					lx, out, LEX_ERROR_SYNTAX, loc,
					"unterminated triple-quoted string literal (detected at "
					"line %d)",
					detected);
			return fail(lx, out, LEX_ERROR_SYNTAX, loc,
				    "unterminated string literal (detected at line %d)", detected);
		}
		if (c == quote) {
			if (quote_size == 1 || (lx->cur[1] == quote && lx->cur[2] == quote)) {
				lx->cur += quote_size;
				break;
			}
			lx->cur++;
		} else if (c == '\\') {
			lx->cur++;
			if (*lx->cur == '\n' && !at_eof(lx))
				next_line(lx);
			else if (!at_eof(lx))
				lx->cur++;
		} else if (c == '\n') {
			next_line(lx);
		} else {
			lx->cur++;
		}
	}
	set_token(lx, out, TOK_STRING, start, first_line, first_line_start);
	return true;
}

/* The string prefixes CPython accepts: any case and order of b/r, u alone,
 * f/r. Returns the prefix length when `s` starts a string literal, else -1. */
static int string_prefix_len(const char *s)
{
	bool saw_b = false, saw_r = false, saw_u = false, saw_f = false;
	int n = 0;
	for (;; n++) {
		char c = (char)(s[n] | 32);
		if (s[n] == '"' || s[n] == '\'')
			return n;
		if (c == 'b' && !(saw_b || saw_u || saw_f))
			saw_b = true;
		else if (c == 'u' && !(saw_b || saw_u || saw_r || saw_f))
			saw_u = true;
		else if (c == 'r' && !(saw_r || saw_u))
			saw_r = true;
		else if (c == 'f' && !(saw_f || saw_b || saw_u))
			saw_f = true;
		else
			return -1;
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
			return -1;
	}
}

/* ---- indentation ---- */

/* At the beginning of a line: measures the indentation and queues INDENT or
 * DEDENT tokens. Returns false after an error. */
static bool measure_indent(Lexer *lx, Token *out)
{
	int col = 0, altcol = 0;
	int cont_line_col = 0; /* column of a first backslash continuation */
	const char *p = lx->cur;
	for (;; p++) {
		if (*p == ' ') {
			col++, altcol++;
		} else if (*p == '\t') {
			col = (col / TABSIZE + 1) * TABSIZE;
			altcol = (altcol / ALTTABSIZE + 1) * ALTTABSIZE;
		} else if (*p == '\f') {
			col = altcol = 0;
		} else if (*p == '\\') {
			/* Indentation cannot be split over lines with backslashes:
			 * the first backslash's column is the indentation. */
			cont_line_col = cont_line_col ? cont_line_col : col;
			if (p[1] != '\n') {
				lx->cur = p + 1;
				return fail(
					lx, out, LEX_ERROR_OTHER,
					srcloc(lx->lineno, col_of(lx, p + 1), lx->lineno, -1),
					"unexpected character after line continuation character");
			}
			lx->cur = p + 1;
			next_line(lx);
			p = lx->cur - 1;
			if (at_eof(lx))
				return fail(lx, out, LEX_ERROR_OTHER,
					    srcloc(lx->lineno - 1, 0, lx->lineno - 1, 0),
					    "unexpected EOF while parsing");
		} else {
			break;
		}
	}
	if (cont_line_col)
		col = altcol = cont_line_col;
	lx->cur = p;
	lx->blankline = (*p == '#' || *p == '\n') && !at_eof(lx);
	if (at_eof(lx))
		col = altcol = 0;
	if (lx->blankline || lx->level > 0)
		return true;
	SrcLoc here = srcloc(lx->lineno, 0, lx->lineno, col_of(lx, p));
	if (col == lx->indstack[lx->indent]) {
		if (altcol != lx->altindstack[lx->indent])
			return fail(lx, out, LEX_ERROR_OTHER, here,
				    "inconsistent use of tabs and spaces in indentation");
	} else if (col > lx->indstack[lx->indent]) {
		if (lx->indent + 1 >= MAXINDENT)
			return fail(lx, out, LEX_ERROR_OTHER, here,
				    "too many levels of indentation");
		if (altcol <= lx->altindstack[lx->indent])
			return fail(lx, out, LEX_ERROR_OTHER, here,
				    "inconsistent use of tabs and spaces in indentation");
		lx->pendin++;
		lx->indent++;
		lx->indstack[lx->indent] = col;
		lx->altindstack[lx->indent] = altcol;
	} else {
		while (lx->indent > 0 && col < lx->indstack[lx->indent]) {
			lx->pendin--;
			lx->indent--;
		}
		if (col != lx->indstack[lx->indent]) {
			const char *eol = memchr(p, '\n', (size_t)(lx->end - p));
			int c = col_of(lx, eol ? eol : p);
			return fail(lx, out, LEX_ERROR_OTHER, srcloc(lx->lineno, c, lx->lineno, c),
				    "unindent does not match any outer indentation level");
		}
		if (altcol != lx->altindstack[lx->indent])
			return fail(lx, out, LEX_ERROR_OTHER, here,
				    "inconsistent use of tabs and spaces in indentation");
	}
	return true;
}

/* ---- brackets ---- */

static bool open_bracket(Lexer *lx, Token *out, char c, const char *start)
{
	if (lx->level >= MAXLEVEL)
		return SYNTAX_ERROR(lx, out, "too many nested parentheses");
	lx->parenstack[lx->level] = c;
	lx->parenline[lx->level] = lx->lineno;
	lx->parencol[lx->level] = col_of(lx, start);
	lx->level++;
	return true;
}

static bool close_bracket(Lexer *lx, Token *out, char c, const char *start)
{
	SrcLoc here = srcloc(lx->lineno, col_of(lx, start), lx->lineno, col_of(lx, start) + 1);
	if (lx->level == 0)
		return fail(lx, out, LEX_ERROR_SYNTAX, here, "unmatched '%c'", c);
	lx->level--;
	char open = lx->parenstack[lx->level];
	if ((open == '(' && c == ')') || (open == '[' && c == ']') || (open == '{' && c == '}'))
		return true;
	if (lx->parenline[lx->level] != lx->lineno)
		return fail(lx, out, LEX_ERROR_SYNTAX, here,
			    "closing parenthesis '%c' does not match opening parenthesis '%c' on "
			    "line %d",
			    c, open, lx->parenline[lx->level]);
	return fail(lx, out, LEX_ERROR_SYNTAX, here,
		    "closing parenthesis '%c' does not match opening parenthesis '%c'", c, open);
}

/* ---- the tokenizer proper ---- */

static bool unclosed_at_eof(Lexer *lx, Token *out)
{
	int i = lx->level - 1;
	int line = lx->parenline[i], col = lx->parencol[i];
	return fail(lx, out, LEX_ERROR_UNCLOSED, srcloc(line, col, line, col + 1),
		    "'%c' was never closed", lx->parenstack[i]);
}

bool lex_next(Lexer *lx, Token *out)
{
	memset(out, 0, sizeof *out);
	if (lx->error)
		return fail(lx, out, lx->error, srcloc(lx->lineno, 0, lx->lineno, 0),
			    "internal compiler error: tokenizer used after an error");
	if (!lx->started) {
		lx->started = true;
		const char *nul = memchr(lx->src, 0, (size_t)(lx->end - lx->src));
		if (nul) {
			int line = 1;
			for (const char *p = lx->src; p < nul; p++)
				line += *p == '\n';
			return fail(lx, out, LEX_ERROR_SYNTAX, srcloc(line, 0, line, 0),
				    "source code string cannot contain null bytes");
		}
	}
	if (lx->at_end) {
		eof_token(lx, out, TOK_ENDMARKER);
		return true;
	}

nextline:
	if (lx->atbol) {
		lx->atbol = false;
		if (!measure_indent(lx, out))
			return false;
	}
	if (lx->pendin != 0) {
		if (lx->pendin < 0) {
			lx->pendin++;
			if (at_eof(lx))
				eof_token(lx, out, TOK_DEDENT);
			else
				set_token(lx, out, TOK_DEDENT, lx->cur, lx->lineno, lx->line_start);
		} else {
			lx->pendin--;
			set_token(lx, out, TOK_INDENT, lx->line_start, lx->lineno, lx->line_start);
		}
		return true;
	}

again:
	while (*lx->cur == ' ' || *lx->cur == '\t' || *lx->cur == '\f')
		lx->cur++;
	const char *start = lx->cur;
	int lineno = lx->lineno;
	unsigned char c = (unsigned char)*lx->cur;

	if (c == '#') {
		while (*lx->cur != '\n')
			lx->cur++;
		if (lx->comments) {
			set_token(lx, out, TOK_COMMENT, start, lineno, lx->line_start);
			return true;
		}
		start = lx->cur;
		c = '\n';
	}

	if (at_eof(lx)) {
		if (lx->level > 0)
			return unclosed_at_eof(lx, out);
		lx->at_end = true;
		eof_token(lx, out, TOK_ENDMARKER);
		return true;
	}

	if (c == '\n') {
		const char *nl_line_start = lx->line_start;
		bool blank = lx->blankline || lx->level > 0;
		lx->cur++;
		set_token(lx, out, blank ? TOK_NL : TOK_NEWLINE, start, lineno, nl_line_start);
		out->end_lineno = lineno;
		out->end_col_offset = out->col_offset + 1;
		lx->line_start = lx->cur;
		lx->lineno++;
		lx->atbol = true;
		lx->blankline = false;
		if (blank && !lx->comments)
			goto nextline;
		return true;
	}

	/* identifiers and string prefixes */
	if (is_id_start(c)) {
		int plen = string_prefix_len(lx->cur);
		if (plen >= 0) {
			lx->cur += plen;
			return scan_string(lx, out, start);
		}
		bool nonascii = false;
		while (is_id_char((unsigned char)*lx->cur)) {
			nonascii |= (unsigned char)*lx->cur >= 128;
			lx->cur++;
		}
		if (nonascii && !verify_identifier(lx, out, start))
			return false;
		set_token(lx, out, TOK_NAME, start, lineno, lx->line_start);
		out->kw = keyword_of(start, out->len);
		return true;
	}

	if (is_digit(c) || (c == '.' && is_digit(lx->cur[1]))) {
		if (!scan_number(lx, out))
			return false;
		set_token(lx, out, TOK_NUMBER, start, lineno, lx->line_start);
		return true;
	}

	if (c == '"' || c == '\'')
		return scan_string(lx, out, start);

	if (c == '\\') {
		if (lx->cur[1] != '\n') {
			lx->cur++;
			return fail(lx, out, LEX_ERROR_OTHER,
				    srcloc(lx->lineno, col_of(lx, lx->cur), lx->lineno, -1),
				    "unexpected character after line continuation character");
		}
		lx->cur++;
		next_line(lx);
		if (at_eof(lx))
			return fail(lx, out, LEX_ERROR_OTHER,
				    srcloc(lx->lineno - 1, 0, lx->lineno - 1, 0),
				    "unexpected EOF while parsing");
		goto again;
	}

	{
		int len;
		TokKind k = operator_kind(lx->cur, &len);
		if (k != TOK_OP) {
			if (c == '(' || c == '[' || c == '{') {
				if (!open_bracket(lx, out, (char)c, start))
					return false;
			} else if (c == ')' || c == ']' || c == '}') {
				if (!close_bracket(lx, out, (char)c, start))
					return false;
			}
			lx->cur += len;
			set_token(lx, out, k, start, lineno, lx->line_start);
			return true;
		}
	}

	if (c < 0x20 || c == 0x7F) {
		lx->cur++;
		return fail(lx, out, LEX_ERROR_SYNTAX,
			    srcloc(lx->lineno, col_of(lx, start), lx->lineno, col_of(lx, start)),
			    "invalid non-printable character U+%04X", c);
	}
	/* Any other printable character ('$', '?', '!', '`') is an OP token
	 * the parser cannot use: it reports "invalid syntax" there. */
	lx->cur++;
	set_token(lx, out, TOK_OP, start, lineno, lx->line_start);
	return true;
}
