/*
 * parse_string.c - literals: numbers, strings, bytes and f-strings.
 *
 * Adjacent STRING tokens are concatenated as in CPython 3.11's
 * Parser/string_parser.c: plain strings join into one Constant (kind "u"
 * when the first token starts with a lowercase u); as soon as one token is
 * an f-string the result is a JoinedStr whose values are Constants (the
 * merged literal text) and FormattedValues. Every part of a JoinedStr spans
 * the whole run of string tokens, as in 3.11; the expressions inside the
 * braces are parsed by a sub-parser over "(" text ")" whose token
 * positions are shifted to where the text sits in the file (parse.c).
 *
 * Escape sequences are decoded to UTF-8. Lone surrogates (\ud800) are
 * encoded like Python's "surrogatepass" (3 bytes), which is also how
 * tests/parse/astdump.py prints them. \N{...} takes every name CPython's
 * unicodedata does (lex_unicode.c).
 *
 * Identifiers with non-ASCII characters are normalised to NFKC (PEP 3131),
 * as CPython's _PyPegen_new_identifier() does for every NAME it turns into
 * an identifier; keywords are recognised before that, on the raw text, so
 * a keyword spelled with compatibility characters is an ordinary name.
 */
#include "lex_unicode.h"
#include "parse_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- building strings (StrBuf, arena.h) ---- */

static void sb_put(Parser *p, StrBuf *b, const char *s, size_t n)
{
	strbuf_put(p->arena, b, s, n);
}

static void sb_putc(Parser *p, StrBuf *b, char c)
{
	strbuf_putc(p->arena, b, c);
}

/* UTF-8 of a code point; surrogates get their 3-byte form (surrogatepass). */
static void sb_put_cp(Parser *p, StrBuf *b, unsigned cp)
{
	char u[4];
	if (cp < 0x80) {
		u[0] = (char)cp;
		sb_put(p, b, u, 1);
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_put(p, b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_put(p, b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_put(p, b, u, 4);
	}
}

/* ---- numbers ---- */

/* CPython 3.11 refuses decimal literals longer than its int/str conversion
 * limit (sys.get_int_max_str_digits()). */
#define MAX_INT_DIGITS 4300

AstNode *parse_number_token(Parser *p, PTok *t)
{
	char *buf = arena_alloc(p->arena, (size_t)t->len + 1);
	int n = 0;
	for (int i = 0; i < t->len; i++)
		if (t->start[i] != '_')
			buf[n++] = t->start[i];
	buf[n] = 0;
	AstNode *c = ast_new(p->arena, AST_Constant, t->lineno, t->col, t->end_lineno, t->end_col);
	AstConst *v = &c->Constant.value;
	int base = 10;
	if (buf[0] == '0' && n > 1) {
		char b = (char)(buf[1] | 32);
		base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
	}
	char last = (char)(buf[n - 1] | 32);
	if (base == 10 && last == 'j') {
		buf[n - 1] = 0;
		v->kind = CONST_COMPLEX;
		v->fval = strtod(buf, NULL);
	} else if (base == 10 && strpbrk(buf, ".eE")) {
		v->kind = CONST_FLOAT;
		v->fval = strtod(buf, NULL);
	} else {
		if (base == 10 && n > MAX_INT_DIGITS)
			parse_raise(
				p, srcloc(t->lineno, 0, t->end_lineno, 0),
				"Exceeds the limit (%d digits) for integer string conversion: value "
				"has %d digits; use sys.set_int_max_str_digits() to increase the limit "
				"- Consider hexadecimal for huge integer literals to avoid decimal "
				"conversion limits.",
				MAX_INT_DIGITS, n);
		v->kind = CONST_INT;
		v->digits = buf;
		uint64_t x = 0;
		for (const char *d = buf + (base == 10 ? 0 : 2); *d; d++) {
			int digit = *d <= '9' ? *d - '0' : (*d | 32) - 'a' + 10;
			if (x > (UINT64_MAX - (uint64_t)digit) / (uint64_t)base) {
				v->big = true;
				break;
			}
			x = x * (uint64_t)base + (uint64_t)digit;
		}
		v->ival = v->big ? 0 : x;
	}
	return c;
}

/* The identifier of a NAME token: its text, in NFKC when it is not ASCII
 * (the lexer has checked that it is a valid identifier). */
const char *parse_identifier(Parser *p, PTok *t)
{
	for (int i = 0; i < t->len; i++) {
		if ((unsigned char)t->start[i] >= 0x80) {
			char *id = lex_nfkc(p->arena, t->start, (size_t)t->len);
			if (!id)
				parse_raise(
					p, parse_tok_loc(t),
					"internal compiler error: cannot load the Unicode tables");
			return id;
		}
	}
	return arena_strndup(p->arena, t->start, (size_t)t->len);
}

/* ---- escape sequences ---- */

static _Noreturn void unicode_error(Parser *p, const char *codec, long from, long to,
				    const char *why)
{
	if (to > from)
		parse_raise_last(
			p, "(unicode error) '%s' codec can't decode bytes in position %ld-%ld: %s",
			codec, from, to, why);
	parse_raise_last(p,
			 "internal compiler error: (unicode error) '%s' codec can't decode byte in "
			 "position %ld: %s",
			 codec, from, why);
}

static bool hex_value(const char *s, const char *end, int n, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < n; i++) {
		if (s + i >= end)
			return false;
		char c = s[i];
		int d = c >= '0' && c <= '9'		     ? c - '0'
			: (c | 32) >= 'a' && (c | 32) <= 'f' ? (c | 32) - 'a' + 10
							     : -1;
		if (d < 0)
			return false;
		v = v * 16 + (unsigned)d;
	}
	*out = v;
	return true;
}

/* Checks that [s, end) is valid UTF-8. Like CPython, an error is reported
 * relative to the start of the text when it is decoded whole, or of the run
 * of non-ASCII bytes when escapes are decoded (decode_unicode_with_escapes()
 * decodes those runs one by one, before any escape). */
static void check_utf8(Parser *p, const char *s, const char *end, bool per_run)
{
	const char *start = s, *base = s;
	while (s < end) {
		if ((unsigned char)*s < 0x80) {
			s++;
			continue;
		}
		const char *run_end = end;
		if (per_run) {
			if (s == start || (unsigned char)s[-1] < 0x80)
				base = s;
			run_end = s;
			while (run_end < end && (unsigned char)*run_end >= 0x80)
				run_end++;
		}
		unsigned cp;
		const char *why = "";
		int n = lex_utf8_decode(s, run_end, &cp, &why);
		if (n <= 0)
			parse_raise_last(p, "%s",
					 lex_utf8_error(p->arena, s, run_end, (long)(s - base)));
		s += n;
	}
}

/* Decodes the escapes of a str (bytes_mode false) or bytes literal body. */
static void decode_escapes(Parser *p, StrBuf *b, const char *s, const char *end, bool bytes_mode,
			   PTok *t)
{
	const char *base = s;
	if (!bytes_mode)
		check_utf8(p, s, end, true);
	const char *codec = bytes_mode ? "bytes" : "unicodeescape";
	while (s < end) {
		const char *run = s;
		while (s < end && *s != '\\')
			s++;
		sb_put(p, b, run, (size_t)(s - run));
		if (s >= end)
			break;
		const char *esc = s++;
		if (s >= end) {
			sb_putc(p, b, '\\');
			break;
		}
		char c = *s++;
		unsigned cp;
		switch (c) {
		case '\n':
			break;
		case '\\':
		case '\'':
		case '"':
			sb_putc(p, b, c);
			break;
		case 'a':
			sb_putc(p, b, '\a');
			break;
		case 'b':
			sb_putc(p, b, '\b');
			break;
		case 'f':
			sb_putc(p, b, '\f');
			break;
		case 'n':
			sb_putc(p, b, '\n');
			break;
		case 'r':
			sb_putc(p, b, '\r');
			break;
		case 't':
			sb_putc(p, b, '\t');
			break;
		case 'v':
			sb_putc(p, b, '\v');
			break;
		case '0':
		case '1':
		case '2':
		case '3':
		case '4':
		case '5':
		case '6':
		case '7':
			cp = (unsigned)(c - '0');
			for (int i = 0; i < 2 && s < end && *s >= '0' && *s <= '7'; i++)
				cp = cp * 8 + (unsigned)(*s++ - '0');
			if (bytes_mode)
				sb_putc(p, b, (char)(cp & 0xFF));
			else
				sb_put_cp(p, b, cp);
			break;
		case 'x':
			if (!hex_value(s, end, 2, &cp)) {
				if (bytes_mode)
					parse_raise_last(
						p,
						"(value error) invalid \\x escape at position %ld",
						(long)(esc - base));
				unicode_error(p, codec, esc - base,
					      (s - base) - 1 +
						      (s < end && hex_value(s, end, 1, &cp)),
					      "truncated \\xXX escape");
			}
			s += 2;
			if (bytes_mode)
				sb_putc(p, b, (char)cp);
			else
				sb_put_cp(p, b, cp);
			break;
		case 'u':
		case 'U': {
			if (bytes_mode)
				goto unknown;
			int n = c == 'u' ? 4 : 8;
			if (!hex_value(s, end, n, &cp)) {
				int k = 0;
				while (k < n && hex_value(s + k, end, 1, &cp))
					k++;
				unicode_error(p, codec, esc - base, (s - base) + k - 1,
					      c == 'u' ? "truncated \\uXXXX escape"
						       : "truncated \\UXXXXXXXX escape");
			}
			if (cp > 0x10FFFF)
				unicode_error(p, codec, esc - base, (s - base) + n - 1,
					      "illegal Unicode character");
			s += n;
			sb_put_cp(p, b, cp);
			break;
		}
		case 'N': {
			if (bytes_mode)
				goto unknown;
			/* error positions as the unicodeescape codec reports them */
			if (s >= end || *s != '{')
				unicode_error(p, codec, esc - base, (s - base) - 1,
					      "malformed \\N character escape");
			const char *close = memchr(s, '}', (size_t)(end - s));
			if (!close)
				unicode_error(p, codec, esc - base, (end - base) - 1,
					      "malformed \\N character escape");
			if (close == s + 1)
				unicode_error(p, codec, esc - base, (close - base) - 1,
					      "malformed \\N character escape");
			int found = lex_unicode_lookup(s + 1, (size_t)(close - s - 1), &cp);
			if (found < 0)
				parse_raise_last(
					p,
					"internal compiler error: cannot load the Unicode tables");
			if (!found)
				unicode_error(p, codec, esc - base, close - base,
					      "unknown Unicode character name");
			sb_put_cp(p, b, cp);
			s = close + 1;
			break;
		}
		default:
		unknown:
			/* an unknown escape keeps its backslash */
			sb_putc(p, b, '\\');
			s--;
			break;
		}
	}
}

/* ---- string tokens ---- */

typedef struct StrTok {
	bool bytes, raw, fmode;
	const char *body, *end; /* the text between the quotes */
} StrTok;

/* _PyPegen_parsestr(): the prefix and the body of a STRING token. */
static StrTok split_string(PTok *t)
{
	StrTok st = {false, false, false, NULL, NULL};
	const char *s = t->start, *end = t->start + t->len;
	for (; *s != '\'' && *s != '"'; s++) {
		char c = (char)(*s | 32);
		st.bytes |= c == 'b';
		st.raw |= c == 'r';
		st.fmode |= c == 'f';
	}
	int q = (end - s >= 6 && s[1] == s[0] && s[2] == s[0]) ? 3 : 1;
	st.body = s + q;
	st.end = end - q;
	return st;
}

/* ---- f-strings ---- */

typedef struct FstringParser {
	StrBuf last; /* literal text not yet turned into a Constant */
	PtrVec exprs;
	bool fmode;
} FstringParser;

static AstNode *make_str_node(Parser *p, StrBuf *b, PTok *first, PTok *last)
{
	AstNode *n = ast_new(p->arena, AST_Constant, first->lineno, first->col, last->end_lineno,
			     last->end_col);
	n->Constant.value.kind = CONST_STR;
	n->Constant.value.str = b->s ? b->s : "";
	n->Constant.value.len = b->len;
	n->Constant.kind = first->start[0] == 'u' ? "u" : NULL;
	b->s = NULL;
	b->len = b->cap = 0;
	return n;
}

static void concat_text(Parser *p, FstringParser *st, const StrBuf *text)
{
	if (text->len)
		sb_put(p, &st->last, text->s, text->len);
}

static AstNode *fstring_finish(Parser *p, FstringParser *st, PTok *first, PTok *last)
{
	if (!st->fmode)
		return make_str_node(p, &st->last, first, last);
	if (st->last.len)
		ptrvec_push(p->arena, &st->exprs, make_str_node(p, &st->last, first, last));
	AstNode *n = ast_new(p->arena, AST_JoinedStr, first->lineno, first->col, last->end_lineno,
			     last->end_col);
	n->JoinedStr.values = ast_list(p->arena, &st->exprs);
	return n;
}

/* fstring_find_expr_location(): how many lines and columns the expression
 * starting at `brace` is away from the start of token t. */
static void expr_location(PTok *t, const char *brace, int *lines, int *cols)
{
	*lines = 0;
	*cols = 0;
	const char *s = brace + 1;
	bool newline_after_brace = true;
	for (; *s != '}' && *s != '\n'; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\f') {
			newline_after_brace = false;
			break;
		}
	}
	if (!newline_after_brace) {
		s = brace;
		while (s > t->start && *s != '\n')
			s--;
		*cols = (int)(brace - s);
		if (*s == '\n')
			*cols -= 1;
	}
	for (const char *q = t->start; q < brace; q++)
		if (*q == '\n')
			(*lines)++;
}

/* fstring_compile_expr(): parses the text in [expr_start, expr_end). */
static AstNode *compile_expr(Parser *p, const char *expr_start, const char *expr_end, PTok *t)
{
	const char *s = expr_start;
	while (s < expr_end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\f'))
		s++;
	if (s == expr_end) {
		if (*expr_end == '!' || *expr_end == ':' || *expr_end == '=')
			parse_raise_last(p, "f-string: expression required before '%c'", *expr_end);
		parse_raise_last(p, "f-string: empty expression not allowed");
	}
	size_t len = (size_t)(expr_end - expr_start);
	char *buf = arena_alloc(p->arena, len + 3);
	buf[0] = '(';
	memcpy(buf + 1, expr_start, len);
	buf[len + 1] = ')';
	int lines, cols;
	expr_location(t, expr_start - 1, &lines, &cols);
	int line = t->lineno + lines;
	int col = lines != 0 ? cols : t->col + cols;
	return parse_fstring_expr(p, buf, len + 2, line, col);
}

static bool fstring_concat(Parser *p, FstringParser *st, const char **str, const char *end,
			   bool raw, int recurse_lvl, PTok *first, PTok *t, PTok *last);

/* fstring_parse(): a nested format spec, as its own JoinedStr. */
static AstNode *fstring_parse(Parser *p, const char **str, const char *end, bool raw,
			      int recurse_lvl, PTok *first, PTok *t, PTok *last)
{
	FstringParser st = {{NULL, 0, 0}, {0}, false};
	fstring_concat(p, &st, str, end, raw, recurse_lvl, first, t, last);
	return fstring_finish(p, &st, t, t);
}

/* fstring_find_expr(): *str is on '{'. Returns the FormattedValue; the
 * "expr=" text, when present, goes to *expr_text. */
static AstNode *fstring_find_expr(Parser *p, const char **str, const char *end, bool raw,
				  int recurse_lvl, StrBuf *expr_text, PTok *first, PTok *t,
				  PTok *last)
{
	if (recurse_lvl >= 2)
		parse_raise_last(p, "f-string: expressions nested too deeply");
	*str += 1;
	const char *expr_start = *str;
	char quote_char = 0;
	int string_type = 0;
	int depth = 0;
	char parens[200];
	for (; *str < end; (*str)++) {
		char ch = **str;
		if (ch == '\\')
			parse_raise_last(p, "f-string expression part cannot include a backslash");
		if (quote_char) {
			if (ch == quote_char) {
				if (string_type == 3) {
					if (*str + 2 < end && (*str)[1] == ch && (*str)[2] == ch) {
						*str += 2;
						string_type = 0;
						quote_char = 0;
					}
				} else {
					string_type = 0;
					quote_char = 0;
				}
			}
			continue;
		}
		if (ch == '\'' || ch == '"') {
			if (*str + 2 < end && (*str)[1] == ch && (*str)[2] == ch) {
				string_type = 3;
				*str += 2;
			} else {
				string_type = 1;
			}
			quote_char = ch;
		} else if (ch == '[' || ch == '{' || ch == '(') {
			if (depth >= (int)sizeof parens)
				parse_raise_last(p, "f-string: too many nested parenthesis");
			parens[depth++] = ch;
		} else if (ch == '#') {
			parse_raise_last(p, "f-string expression part cannot include '#'");
		} else if (depth == 0 && (ch == '!' || ch == ':' || ch == '}' || ch == '=' ||
					  ch == '>' || ch == '<')) {
			if (*str + 1 < end) {
				char next = (*str)[1];
				if ((ch == '!' || ch == '=' || ch == '<' || ch == '>') &&
				    next == '=') {
					*str += 1;
					continue;
				}
			}
			if (ch == '>' || ch == '<')
				continue;
			break;
		} else if (ch == ']' || ch == '}' || ch == ')') {
			if (!depth)
				parse_raise_last(p, "f-string: unmatched '%c'", ch);
			char open = parens[--depth];
			if (!((open == '(' && ch == ')') || (open == '[' && ch == ']') ||
			      (open == '{' && ch == '}')))
				parse_raise_last(
					p,
					"f-string: closing parenthesis '%c' does not match "
					"opening parenthesis '%c'",
					ch, open);
		}
	}
	const char *expr_end = *str;
	if (quote_char)
		parse_raise_last(p, "f-string: unterminated string");
	if (depth)
		parse_raise_last(p, "f-string: unmatched '%c'", parens[depth - 1]);
	if (*str >= end)
		goto unexpected_end;
	AstNode *value = compile_expr(p, expr_start, expr_end, t);
	int conversion = -1;
	AstNode *format_spec = NULL;
	bool have_text = false;
	if (**str == '=') {
		*str += 1;
		while (*str < end && (**str == ' ' || **str == '\t' || **str == '\n' ||
				      **str == '\r' || **str == '\f' || **str == '\v'))
			*str += 1;
		if (*str >= end)
			goto unexpected_end;
		sb_put(p, expr_text, expr_start, (size_t)(*str - expr_start));
		have_text = true;
	}
	if (**str == '!') {
		*str += 1;
		if (*str >= end)
			goto unexpected_end;
		conversion = (unsigned char)**str;
		*str += 1;
		if (!(conversion == 's' || conversion == 'r' || conversion == 'a'))
			parse_raise_last(p, "f-string: invalid conversion character: expected 's', "
					    "'r', or 'a'");
	}
	if (*str >= end)
		goto unexpected_end;
	if (**str == ':') {
		*str += 1;
		if (*str >= end)
			goto unexpected_end;
		format_spec = fstring_parse(p, str, end, raw, recurse_lvl + 1, first, t, last);
	}
	if (*str >= end || **str != '}')
		goto unexpected_end;
	*str += 1;
	if (have_text && !format_spec && conversion == -1)
		conversion = 'r';
	AstNode *n = ast_new(p->arena, AST_FormattedValue, first->lineno, first->col,
			     last->end_lineno, last->end_col);
	n->FormattedValue.value = value;
	n->FormattedValue.conversion = conversion;
	n->FormattedValue.format_spec = format_spec;
	return n;
unexpected_end:
	parse_raise_last(p, "f-string: expecting '}'");
}

/* fstring_find_literal(): literal text up to an undoubled brace. Returns 1
 * when it stopped at a doubled brace (the caller loops), else 0. */
static int fstring_find_literal(Parser *p, const char **str, const char *end, bool raw,
				StrBuf *literal, int recurse_lvl, PTok *t)
{
	const char *s = *str;
	const char *literal_start = s;
	int result = 0;
	while (s < end) {
		char ch = *s++;
		if (!raw && ch == '\\' && s < end) {
			ch = *s++;
			if (ch == 'N') {
				if (s < end && *s++ == '{') {
					while (s < end && *s++ != '}')
						;
				}
				continue;
			}
		}
		if (ch == '{' || ch == '}') {
			if (recurse_lvl == 0) {
				if (s < end && *s == ch) {
					*str = s + 1;
					result = 1;
					goto done;
				}
				if (ch == '}') {
					*str = s - 1;
					parse_raise_last(p, "f-string: single '}' is not allowed");
				}
			}
			s--;
			break;
		}
	}
	*str = s;
done:
	if (literal_start != s) {
		if (raw) {
			check_utf8(p, literal_start, s, false);
			sb_put(p, literal, literal_start, (size_t)(s - literal_start));
		} else
			decode_escapes(p, literal, literal_start, s, false, t);
	}
	return result;
}

/* _PyPegen_FstringParser_ConcatFstring() */
static bool fstring_concat(Parser *p, FstringParser *st, const char **str, const char *end,
			   bool raw, int recurse_lvl, PTok *first, PTok *t, PTok *last)
{
	st->fmode = true;
	for (;;) {
		StrBuf literal = {NULL, 0, 0}, expr_text = {NULL, 0, 0};
		AstNode *expression = NULL;
		int result = fstring_find_literal(p, str, end, raw, &literal, recurse_lvl, t);
		if (result == 0 && *str < end && **str != '}')
			expression = fstring_find_expr(p, str, end, raw, recurse_lvl, &expr_text,
						       first, t, last);
		concat_text(p, st, &literal);
		concat_text(p, st, &expr_text);
		if (result == 1)
			continue;
		if (!expression)
			break;
		if (st->last.len)
			ptrvec_push(p->arena, &st->exprs, make_str_node(p, &st->last, first, last));
		ptrvec_push(p->arena, &st->exprs, expression);
	}
	if (recurse_lvl == 0 && *str < end - 1)
		parse_raise_last(p, "internal compiler error: f-string: unexpected end of string");
	if (recurse_lvl != 0 && (*str >= end || **str != '}'))
		parse_raise_last(p, "f-string: expecting '}'");
	return true;
}

/* _PyPegen_concatenate_strings(): the action of the rule strings */
AstNode *parse_concatenate_strings(Parser *p, int first_i, int last_i)
{
	PTok *first = p->toks[first_i], *last = p->toks[last_i];
	FstringParser st = {{NULL, 0, 0}, {0}, false};
	StrBuf bytes = {NULL, 0, 0};
	bool bytes_mode = false;
	for (int i = first_i; i <= last_i; i++) {
		PTok *t = p->toks[i];
		StrTok s = split_string(t);
		if (i != first_i && bytes_mode != s.bytes)
			parse_raise_last(p, "cannot mix bytes and nonbytes literals");
		bytes_mode = s.bytes;
		if (s.fmode) {
			const char *str = s.body;
			fstring_concat(p, &st, &str, s.end, s.raw, 0, first, t, last);
			continue;
		}
		if (s.bytes) {
			for (const char *c = s.body; c < s.end; c++)
				if ((unsigned char)*c >= 0x80)
					parse_raise(
						p, parse_tok_loc(t),
						"bytes can only contain ASCII literal characters");
			if (s.raw)
				sb_put(p, &bytes, s.body, (size_t)(s.end - s.body));
			else
				decode_escapes(p, &bytes, s.body, s.end, true, t);
			continue;
		}
		StrBuf text = {NULL, 0, 0};
		if (s.raw || !memchr(s.body, '\\', (size_t)(s.end - s.body))) {
			check_utf8(p, s.body, s.end, false);
			sb_put(p, &text, s.body, (size_t)(s.end - s.body));
		} else
			decode_escapes(p, &text, s.body, s.end, false, t);
		concat_text(p, &st, &text);
	}
	if (bytes_mode) {
		AstNode *n = ast_new(p->arena, AST_Constant, first->lineno, first->col,
				     last->end_lineno, last->end_col);
		n->Constant.value.kind = CONST_BYTES;
		n->Constant.value.str = bytes.s ? bytes.s : "";
		n->Constant.value.len = bytes.len;
		return n;
	}
	return fstring_finish(p, &st, first, last);
}
