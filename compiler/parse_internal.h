/*
 * parse_internal.h - state shared by the parser's files (parse*.c).
 *
 * The parser works like CPython's pegen: tokens are pulled from the lexer on
 * demand into an array, `mark` is the index of the next token, and an
 * alternative that fails resets `mark` (backtracking). Results of the rules
 * CPython memoizes are cached per token. A node's position is pegen's EXTRA:
 * from the first token of the rule to the last token consumed that is not
 * NEWLINE/INDENT/DEDENT/ENDMARKER.
 *
 * Errors: a rule that does not match returns NULL; a definite syntax error
 * (parse_raise) records the message and longjmps to parse_file(). As in
 * CPython, a failed first pass is followed by a second pass with the
 * invalid_* rules enabled (p->call_invalid), which turn common mistakes into
 * specific messages.
 */
#ifndef PYBPF_PARSE_INTERNAL_H
#define PYBPF_PARSE_INTERNAL_H

#include "ast.h"
#include "lex.h"
#include "parse.h"

#include <setjmp.h>

/* Memoized rules (ORDER MEMO: any order, ids only). */
enum {
	MEMO_expression = 1,
	MEMO_star_expression,
	MEMO_disjunction,
	MEMO_conjunction,
	MEMO_inversion,
	MEMO_factor,
	MEMO_await_primary,
	MEMO_bitwise_or,
	MEMO_primary,
	MEMO_t_primary,
	MEMO_strings,
	MEMO_arguments,
	MEMO_star_target,
	MEMO_target_with_star_atom,
	MEMO_del_target,
	MEMO_simple_stmt,
	MEMO_block,
	MEMO_closed_pattern,
	MEMO_star_pattern,
	MEMO_invalid_named_expression,
};

typedef struct Memo {
	struct Memo *next;
	int rule;
	int end; /* mark after the match */
	void *result;
} Memo;

/* A token as the parser sees it: the lexer's token (positions shifted for
 * f-string sub-parsers), its bracket level, and its memo list. */
typedef struct PTok {
	TokKind kind;
	Keyword kw;
	const char *start;
	int len;
	int lineno, col, end_lineno, end_col;
	int level; /* bracket depth after this token (CPython's token->level) */
	Memo *memo;
} PTok;

typedef struct Parser {
	Arena *arena;
	Diags *diags;	/* where the final error goes */
	Diags lexdiags; /* the lexer reports here; parse.c decides what to keep */
	Lexer *lx;
	PTok **toks;
	int fill, cap;
	int mark;
	int depth; /* recursion depth, to fail cleanly on absurd nesting */
	int level; /* current bracket depth while filling tokens */
	bool call_invalid;
	jmp_buf *jb;
	/* the error, once raised */
	bool failed;
	bool lex_error;	    /* the error came from the tokenizer */
	bool no_rest_check; /* do not let later tokenizer errors replace it */
	SrcLoc err_loc;
	const char *err_msg;
	/* f-string expressions are parsed by a sub-parser whose token
	 * positions are shifted to where the expression sits in the file */
	int line_shift;	    /* added to every line */
	int first_line_col; /* added to columns of tokens on the first line */
	bool in_fstring;
} Parser;

/* Helper results that are not AST nodes. */
typedef struct NameDefaultPair {
	AstNode *arg;
	AstNode *value;
} NameDefaultPair;

typedef struct SlashWithDefault {
	PtrVec plain_names;	    /* arg */
	PtrVec names_with_defaults; /* NameDefaultPair */
} SlashWithDefault;

typedef struct StarEtc {
	AstNode *vararg;
	PtrVec kwonlyargs; /* NameDefaultPair */
	AstNode *kwarg;
} StarEtc;

typedef struct KeywordOrStarred {
	AstNode *element;
	bool is_keyword;
} KeywordOrStarred;

typedef struct KeyValuePair {
	AstNode *key; /* NULL for **value */
	AstNode *value;
} KeyValuePair;

typedef enum TargetsType { STAR_TARGETS, DEL_TARGETS, FOR_TARGETS } TargetsType;

/* ---- parse.c: tokens, marks, memo, errors ---- */

PTok *parse_peek(Parser *p);	       /* the token at mark (fetched if needed) */
PTok *parse_peek_at(Parser *p, int m); /* the token at index m */
PTok *parse_advance(Parser *p);	       /* consume and return the token at mark */
PTok *parse_expect(Parser *p, TokKind k);
PTok *parse_expect_kw(Parser *p, Keyword kw);	/* hard keyword */
PTok *parse_expect_soft(Parser *p, Keyword kw); /* soft keyword ("match") */
/* &&tok: a token that must follow; raises "expected 'x'" otherwise. */
PTok *parse_expect_forced(Parser *p, TokKind k, const char *text);
bool parse_check(Parser *p, TokKind k);
bool parse_check_kw(Parser *p, Keyword kw);
/* A NAME that is not a hard keyword, as a Name node (Load). */
AstNode *parse_name(Parser *p);
/* Whether t is such a NAME. Lookahead past a token only after checking it
 * matches, as pegen does: what was fetched decides where errors go. */
bool parse_is_name(const PTok *t);
/* The last token consumed that is not NEWLINE/INDENT/DEDENT/ENDMARKER. */
PTok *parse_last_token(Parser *p);

/* New node spanning from the token at `start` to the last consumed token. */
AstNode *parse_node(Parser *p, AstKind kind, int start);

bool parse_memo_get(Parser *p, int rule, void **result);
void parse_memo_put(Parser *p, int start, int rule, void *result);

void parse_enter(Parser *p); /* recursion guard */
void parse_leave(Parser *p);

_Noreturn void parse_raise(Parser *p, SrcLoc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* RAISE_SYNTAX_ERROR: located at the last token fetched. */
_Noreturn void parse_raise_last(Parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
SrcLoc parse_node_loc(const AstNode *a);
SrcLoc parse_range_loc(const AstNode *a, const AstNode *b);
SrcLoc parse_tok_loc(const PTok *t);
/* RAISE_SYNTAX_ERROR_INVALID_TARGET: raises when `e` holds something that
 * cannot be assigned to / deleted; returns otherwise. */
void parse_invalid_target(Parser *p, TargetsType type, AstNode *e);
const char *parse_expr_name(const AstNode *e);
/* A copy of e with ctx set (recursively through Tuple/List/Starred). */
AstNode *parse_set_ctx(Parser *p, AstNode *e, AstCtx ctx);

AstList parse_list1(Parser *p, AstNode *a);
AstList parse_list_prepend(Parser *p, AstNode *a, const PtrVec *rest);

/* ---- parse_stmt.c ---- */
AstList parse_statements(Parser *p); /* statements: statement+ */
AstNode *parse_file_rule(Parser *p);
AstList parse_block(Parser *p);

/* ---- parse_compound.c ---- */
AstNode *parse_compound_stmt(Parser *p);

/* ---- parse_expr.c, parse_display.c, parse_target.c, parse_params.c ---- */
AstNode *parse_expression(Parser *p);
AstNode *parse_expressions(Parser *p);
AstNode *parse_star_expressions(Parser *p);
AstNode *parse_star_expression(Parser *p);
AstNode *parse_star_named_expression(Parser *p);
AstNode *parse_named_expression(Parser *p);
AstNode *parse_assignment_expression(Parser *p);
AstNode *parse_yield_expr(Parser *p);
AstNode *parse_disjunction(Parser *p);
AstNode *parse_bitwise_or(Parser *p);
AstNode *parse_star_targets(Parser *p);
AstNode *parse_star_target(Parser *p);
AstNode *parse_single_target(Parser *p);
AstNode *parse_single_subscript_attribute_target(Parser *p);
AstNode *parse_t_primary(Parser *p);
bool parse_t_lookahead(Parser *p);
AstList parse_del_targets(Parser *p, bool *ok);
AstNode *parse_arguments(Parser *p);
AstNode *parse_slices(Parser *p);
AstNode *parse_atom(Parser *p);
AstNode *parse_args(Parser *p);
AstNode *parse_lambda_params(Parser *p);
AstNode *parse_strings(Parser *p);
AstNode *parse_params(Parser *p);
AstNode *parse_empty_arguments(Parser *p);
AstNode *parse_dotted_name(Parser *p);
AstList parse_for_if_clauses(Parser *p, bool *ok);
AstNode *parse_list(Parser *p);
AstNode *parse_listcomp(Parser *p);
AstNode *parse_set(Parser *p);
AstNode *parse_setcomp(Parser *p);
AstNode *parse_dict(Parser *p);
AstNode *parse_dictcomp(Parser *p);
AstNode *parse_tuple(Parser *p);
AstNode *parse_genexp(Parser *p);
AstNode *parse_starred_expression(Parser *p);
AstNode *parse_star_named_expressions(Parser *p, PtrVec *out);
AstNode *parse_expression_without_invalid(Parser *p);

/* ---- parse_pattern.c ---- */
AstNode *parse_match_stmt(Parser *p);

/* ---- parse_string.c ---- */
/* The action of strings: STRING+ (tokens first..last): a Constant or JoinedStr. */
AstNode *parse_concatenate_strings(Parser *p, int first, int last);
/* A NUMBER token's Constant. */
AstNode *parse_number_token(Parser *p, PTok *t);
/* Decodes an identifier (NFKC is not applied; see lex.c). */
const char *parse_identifier(Parser *p, PTok *t);

/* Used by parse_string.c for f-string expressions: runs a sub-parser over
 * src (which is "(" expr ")") and returns the star_expressions node. */
AstNode *parse_fstring_expr(Parser *p, const char *src, size_t len, int line, int col);

#endif
