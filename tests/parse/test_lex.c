/*
 * test_lex.c - unit tests of the tokenizer (compiler/lex.c).
 *
 * Each case lexes a small source and compares a compact rendering of the
 * tokens, `KIND@line:col` (plus the text for names, numbers, strings and
 * operators), with the expected string; error cases compare the reported
 * message and line instead. Ends with "N passed, N failed".
 */
#include "lex.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

/* Renders every token up to ENDMARKER (or the error) into buf. */
static bool render(const char *src, size_t len, bool comments, char *buf, size_t cap,
		   const char **err, int *err_line, LexErrorKind *kind)
{
	Arena *a = arena_new();
	Diags d;
	diag_init(&d, a, "t.py", src, len);
	LexOptions opts = {comments};
	Lexer *lx = lex_new(a, &d, src, len, &opts);
	size_t n = 0;
	buf[0] = 0;
	bool ok = true;
	static char msg[256];
	for (int i = 0; i < 1000; i++) {
		Token t;
		if (!lex_next(lx, &t)) {
			const Diag *g = d.items.items[d.items.n - 1];
			snprintf(msg, sizeof msg, "%s", g->msg);
			*err = msg;
			*err_line = g->loc.line;
			*kind = lex_error_kind(lx);
			ok = false;
			break;
		}
		bool text = t.kind == TOK_NAME || t.kind == TOK_NUMBER || t.kind == TOK_STRING ||
			    t.kind == TOK_COMMENT;
		n += (size_t)snprintf(buf + n, cap - n, "%s%s@%d:%d", n ? " " : "",
				      lex_token_name(t.kind), t.lineno, t.col_offset);
		if (text)
			n += (size_t)snprintf(buf + n, cap - n, "=%.*s", t.len, t.start);
		if (t.kind == TOK_NAME && lex_is_hard_keyword(t.kw))
			n += (size_t)snprintf(buf + n, cap - n, "/kw");
		if (t.kind == TOK_ENDMARKER)
			break;
	}
	arena_free(a);
	return ok;
}

static void expect_tokens(const char *name, const char *src, bool comments, const char *want)
{
	char buf[4096];
	const char *err = NULL;
	int line = 0;
	LexErrorKind kind;
	bool ok = render(src, strlen(src), comments, buf, sizeof buf, &err, &line, &kind);
	if (ok && strcmp(buf, want) == 0) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n  want: %s\n  got:  %s%s%s\n", name, want, buf,
	       ok ? "" : "  error: ", ok ? "" : err);
}

/* len 0: strlen(src) */
static void expect_error(const char *name, const char *src, size_t len, const char *want_msg,
			 int want_line, LexErrorKind want_kind)
{
	char buf[4096];
	const char *err = NULL;
	int line = 0;
	LexErrorKind kind = LEX_ERROR_NONE;
	bool ok = render(src, len ? len : strlen(src), false, buf, sizeof buf, &err, &line, &kind);
	if (!ok && strcmp(err, want_msg) == 0 && line == want_line && kind == want_kind) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s\n  want: %d: %s (kind %d)\n  got:  %s\n", name, want_line, want_msg,
	       want_kind, ok ? buf : err);
	if (!ok)
		printf("        line %d kind %d\n", line, kind);
}

/* Every operator of tokens.def comes back as its own kind. */
static void test_operators(void)
{
	for (int k = 0; k < TOK__COUNT; k++) {
		const char *text = lex_token_text((TokKind)k);
		if (!text)
			continue;
		char src[16], want[128];
		snprintf(src, sizeof src, "%s\n", text);
		bool open = strchr("([{", text[0]) && text[1] == 0;
		bool close = strchr(")]}", text[0]) && text[1] == 0;
		if (close)
			continue; /* an unmatched closer is an error; see the bracket cases */
		if (open) {
			/* a newline inside brackets is not a NEWLINE */
			snprintf(src, sizeof src, "%s%c\n", text,
				 text[0] == '('	  ? ')'
				 : text[0] == '[' ? ']'
						  : '}');
			snprintf(want, sizeof want, "%s@1:0 %s@1:1 NEWLINE@1:2 ENDMARKER@1:2",
				 lex_token_name((TokKind)k),
				 text[0] == '('	  ? "RPAR"
				 : text[0] == '[' ? "RSQB"
						  : "RBRACE");
		} else {
			snprintf(want, sizeof want, "%s@1:0 NEWLINE@1:%zu ENDMARKER@1:%zu",
				 lex_token_name((TokKind)k), strlen(text), strlen(text));
		}
		expect_tokens(lex_token_name((TokKind)k), src, false, want);
	}
}

int main(void)
{
	test_operators();

	expect_tokens("names and keywords", "if x and not None: match\n", false,
		      "NAME@1:0=if/kw NAME@1:3=x NAME@1:5=and/kw NAME@1:9=not/kw "
		      "NAME@1:13=None/kw COLON@1:17 NAME@1:19=match NEWLINE@1:24 ENDMARKER@1:24");
	expect_tokens("indent and dedent", "if a:\n    b\n    if c:\n        d\ne\n", false,
		      "NAME@1:0=if/kw NAME@1:3=a COLON@1:4 NEWLINE@1:5 INDENT@2:0 NAME@2:4=b "
		      "NEWLINE@2:5 NAME@3:4=if/kw NAME@3:7=c COLON@3:8 NEWLINE@3:9 INDENT@4:0 "
		      "NAME@4:8=d NEWLINE@4:9 DEDENT@5:0 DEDENT@5:0 NAME@5:0=e NEWLINE@5:1 "
		      "ENDMARKER@5:1");
	expect_tokens("dedent at end of file", "if a:\n  b\n", false,
		      "NAME@1:0=if/kw NAME@1:3=a COLON@1:4 NEWLINE@1:5 INDENT@2:0 NAME@2:2=b "
		      "NEWLINE@2:3 DEDENT@2:3 ENDMARKER@2:3");
	expect_tokens("blank and comment lines", "a\n\n   # c\n  \nb  # d\n", false,
		      "NAME@1:0=a NEWLINE@1:1 NAME@5:0=b NEWLINE@5:6 ENDMARKER@5:6");
	expect_tokens("comments and NL on request", "a # c\n\n(b,\n c)\n", true,
		      "NAME@1:0=a COMMENT@1:2=# c NEWLINE@1:5 NL@2:0 LPAR@3:0 NAME@3:1=b COMMA@3:2 "
		      "NL@3:3 NAME@4:1=c RPAR@4:2 NEWLINE@4:3 ENDMARKER@4:3");
	expect_tokens("implicit joining", "x = [1,\n  2]\ny\n", false,
		      "NAME@1:0=x EQUAL@1:2 LSQB@1:4 NUMBER@1:5=1 COMMA@1:6 NUMBER@2:2=2 RSQB@2:3 "
		      "NEWLINE@2:4 NAME@3:0=y NEWLINE@3:1 ENDMARKER@3:1");
	expect_tokens("backslash continuation", "x = 1 + \\\n  2\n", false,
		      "NAME@1:0=x EQUAL@1:2 NUMBER@1:4=1 PLUS@1:6 NUMBER@2:2=2 NEWLINE@2:3 "
		      "ENDMARKER@2:3");
	expect_tokens("no final newline", "x", false, "NAME@1:0=x NEWLINE@1:1 ENDMARKER@1:1");
	expect_tokens("empty file", "", false, "ENDMARKER@1:0");
	expect_tokens("CRLF and BOM", "\xEF\xBB\xBFx = 1\r\ny\r\n", false,
		      "NAME@1:0=x EQUAL@1:2 NUMBER@1:4=1 NEWLINE@1:5 NAME@2:0=y NEWLINE@2:1 "
		      "ENDMARKER@2:1");
	expect_tokens("tabs to multiples of 8", "if a:\n  \tb\n  \tc\n", false,
		      "NAME@1:0=if/kw NAME@1:3=a COLON@1:4 NEWLINE@1:5 INDENT@2:0 NAME@2:3=b "
		      "NEWLINE@2:4 NAME@3:3=c NEWLINE@3:4 DEDENT@3:4 ENDMARKER@3:4");
	expect_tokens("form feed resets the column", "if a:\n  \fb\n", false,
		      "NAME@1:0=if/kw NAME@1:3=a COLON@1:4 NEWLINE@1:5 NAME@2:3=b NEWLINE@2:4 "
		      "ENDMARKER@2:4");
	expect_tokens(
		"numbers",
		"0 00 0_0 7 1_000 0x_1F 0o17 0b1_0 1.5 1. .5 1e5 1E-5 1_0.0_1e+1_0 1j 1.5J 0j "
		"1if 1else\n",
		false,
		"NUMBER@1:0=0 NUMBER@1:2=00 NUMBER@1:5=0_0 NUMBER@1:9=7 NUMBER@1:11=1_000 "
		"NUMBER@1:17=0x_1F NUMBER@1:23=0o17 NUMBER@1:28=0b1_0 NUMBER@1:34=1.5 "
		"NUMBER@1:38=1. NUMBER@1:41=.5 NUMBER@1:44=1e5 NUMBER@1:48=1E-5 "
		"NUMBER@1:53=1_0.0_1e+1_0 NUMBER@1:66=1j NUMBER@1:69=1.5J NUMBER@1:74=0j "
		"NUMBER@1:77=1 NAME@1:78=if/kw NUMBER@1:81=1 NAME@1:82=else/kw NEWLINE@1:86 "
		"ENDMARKER@1:86");
	expect_tokens(
		"string prefixes",
		"'a' \"b\" r'c' B'd' u'e' F'f' rb'g' Br'h' fR'i' Rf'j' '''k''' \"\"\"l\"\"\"\n",
		false,
		"STRING@1:0='a' STRING@1:4=\"b\" STRING@1:8=r'c' STRING@1:13=B'd' "
		"STRING@1:18=u'e' STRING@1:23=F'f' STRING@1:28=rb'g' STRING@1:34=Br'h' "
		"STRING@1:40=fR'i' STRING@1:46=Rf'j' STRING@1:52='''k''' "
		"STRING@1:60=\"\"\"l\"\"\" NEWLINE@1:67 ENDMARKER@1:67");
	expect_tokens("not a prefix", "ur'x' bu'y'\n", false,
		      "NAME@1:0=ur STRING@1:2='x' NAME@1:6=bu STRING@1:8='y' NEWLINE@1:11 "
		      "ENDMARKER@1:11");
	expect_tokens("triple-quoted string over lines", "x = '''a\nb\\'''c'''\ny\n", false,
		      "NAME@1:0=x EQUAL@1:2 STRING@1:4='''a\nb\\'''c''' NEWLINE@2:9 NAME@3:0=y "
		      "NEWLINE@3:1 ENDMARKER@3:1");
	expect_tokens("escaped quote and newline in a string", "'a\\'b' 'c\\\nd'\n", false,
		      "STRING@1:0='a\\'b' STRING@1:7='c\\\nd' NEWLINE@2:2 ENDMARKER@2:2");
	expect_tokens("unicode identifiers", "\xC3\xA9t\xC3\xA9 = \xE5\x90\x8D\n", false,
		      "NAME@1:0=\xC3\xA9t\xC3\xA9 EQUAL@1:6 NAME@1:8=\xE5\x90\x8D NEWLINE@1:11 "
		      "ENDMARKER@1:11");
	expect_tokens("ellipsis and dots", "a...b..c.\n", false,
		      "NAME@1:0=a ELLIPSIS@1:1 NAME@1:4=b DOT@1:5 DOT@1:6 NAME@1:7=c DOT@1:8 "
		      "NEWLINE@1:9 ENDMARKER@1:9");
	expect_tokens("unknown character is an OP", "a $ b\n", false,
		      "NAME@1:0=a OP@1:2 NAME@1:4=b NEWLINE@1:5 ENDMARKER@1:5");

	expect_error("unterminated string", "x = 'abc\n", 0,
		     "unterminated string literal (detected at line 1)", 1, LEX_ERROR_SYNTAX);
	expect_error("unterminated triple-quoted string", "x = 1\ny = '''abc\n\n", 0,
		     "unterminated triple-quoted string literal (detected at line 3)", 2,
		     LEX_ERROR_SYNTAX);
	expect_error("unclosed bracket", "x = (1,\n[2\n", 0, "'[' was never closed", 2,
		     LEX_ERROR_UNCLOSED);
	expect_error("unmatched closer", "x = 1)\n", 0, "unmatched ')'", 1, LEX_ERROR_SYNTAX);
	expect_error("mismatched closer", "x = (1,\n2]\n", 0,
		     "closing parenthesis ']' does not match opening parenthesis '(' on line 1", 2,
		     LEX_ERROR_SYNTAX);
	expect_error("dedent mismatch", "if a:\n    b\n  c\n", 0,
		     "unindent does not match any outer indentation level", 3, LEX_ERROR_OTHER);
	expect_error("tabs and spaces", "if a:\n        b\n\tc\n", 0,
		     "inconsistent use of tabs and spaces in indentation", 3, LEX_ERROR_OTHER);
	expect_error("invalid decimal literal", "x = 1abc\n", 0, "invalid decimal literal", 1,
		     LEX_ERROR_SYNTAX);
	expect_error(
		"leading zeros", "x = 0777\n", 0,
		"leading zeros in decimal integer literals are not permitted; use an 0o prefix "
		"for octal integers",
		1, LEX_ERROR_SYNTAX);
	expect_error("invalid hexadecimal literal", "0x\n", 0, "invalid hexadecimal literal", 1,
		     LEX_ERROR_SYNTAX);
	expect_error("invalid octal digit", "0o19\n", 0, "invalid digit '9' in octal literal", 1,
		     LEX_ERROR_SYNTAX);
	expect_error("trailing underscore", "1_\n", 0, "invalid decimal literal", 1,
		     LEX_ERROR_SYNTAX);
	expect_error("null byte", "x = 1\ny\0\n", 9, "source code string cannot contain null bytes",
		     2, LEX_ERROR_SYNTAX);
	expect_error("invalid character", "x = 1 \xE2\x82\xAC 2\n", 0,
		     "invalid character '\xE2\x82\xAC' (U+20AC)", 1, LEX_ERROR_SYNTAX);
	expect_error("non-printable character", "x = \x01\n", 0,
		     "invalid non-printable character U+0001", 1, LEX_ERROR_SYNTAX);
	expect_error("invalid utf-8 in a name", "x = 1\n\xff = 2\n", 0,
		     "(unicode error) 'utf-8' codec can't decode byte 0xff in position 0: invalid "
		     "start byte",
		     2, LEX_ERROR_SYNTAX);
	expect_error("character after continuation", "x = 1 \\ 2\n", 0,
		     "unexpected character after line continuation character", 1, LEX_ERROR_OTHER);
	expect_error("string continued to the end", "x = 'abc\\\n", 0,
		     "unterminated string literal (detected at line 1)", 1, LEX_ERROR_SYNTAX);
	expect_error("too many nested parentheses",
		     "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
		     "((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("
		     "(((((((((((((((((((((((((((((((((((((((((((((((\n",
		     0, "too many nested parentheses", 1, LEX_ERROR_SYNTAX);

	/* Laziness: the tokens before an error come out before it is seen. */
	{
		const char *src = "a = 1\nb = 'unterminated\n";
		Arena *a = arena_new();
		Diags d;
		diag_init(&d, a, "t.py", src, strlen(src));
		Lexer *lx = lex_new(a, &d, src, strlen(src), NULL);
		Token t;
		int good = 0;
		while (lex_next(lx, &t) && t.kind != TOK_ENDMARKER)
			good++;
		if (good == 6 && d.errors == 1 && t.kind == TOK_ERRORTOKEN)
			passed++;
		else
			failed++, printf("FAIL laziness: %d tokens before the error\n", good);
		arena_free(a);
	}
	/* The buffer need not be NUL-terminated: lex a prefix of a string. */
	{
		const char *src = "abc = 1xyz";
		char buf[4096];
		const char *err;
		int line;
		LexErrorKind kind;
		render(src, 7, false, buf, sizeof buf, &err, &line, &kind);
		if (strcmp(buf, "NAME@1:0=abc EQUAL@1:4 NUMBER@1:6=1 NEWLINE@1:7 ENDMARKER@1:7") ==
		    0)
			passed++;
		else
			failed++, printf("FAIL prefix buffer: %s\n", buf);
	}

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
