/*
 * parse.c - the parser's machinery: the token array, marks and memos, node
 * positions, and syntax errors; parse_file() runs the passes.
 *
 * Tokens are pulled from the lexer only when a rule looks at them, so the
 * furthest token fetched is where CPython would report a generic "invalid
 * syntax". parse_file() follows CPython's _PyPegen_run_parser(): a first pass
 * without the invalid_* rules; if it fails without a definite error, a second
 * pass with them (which may raise a specific message); else "invalid syntax"
 * at the furthest token of the first pass. After a parser error the rest of
 * the file is still tokenized, because CPython lets a later tokenizer error
 * (an unterminated string, a bad number...) or an unclosed bracket opened
 * before the error line take precedence.
 */
#include "parse_internal.h"

#include <stdarg.h>
#include <string.h>

#define MAX_DEPTH      3000 /* nested rule calls guarded by parse_enter() */
#define MAX_TREE_DEPTH 3000 /* CPython's limit when it builds AST objects */

/* ---- errors ---- */

static _Noreturn void jump_out(Parser *p)
{
	longjmp(*p->jb, 1);
}

static void set_error(Parser *p, SrcLoc loc, const char *fmt, va_list ap)
{
	char *msg = arena_vprintf(p->arena, fmt, ap);
	p->failed = true;
	p->lex_error = false;
	p->err_loc = loc;
	p->err_msg = p->in_fstring ? arena_printf(p->arena, "f-string: %s", msg) : msg;
}

_Noreturn void parse_raise(Parser *p, SrcLoc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_error(p, loc, fmt, ap);
	va_end(ap);
	jump_out(p);
}

SrcLoc parse_tok_loc(const PTok *t)
{
	return srcloc(t->lineno, t->col, t->end_lineno, t->end_col);
}

_Noreturn void parse_raise_last(Parser *p, const char *fmt, ...)
{
	PTok *t = p->toks[p->fill - 1];
	va_list ap;
	va_start(ap, fmt);
	set_error(p, parse_tok_loc(t), fmt, ap);
	va_end(ap);
	jump_out(p);
}

SrcLoc parse_node_loc(const AstNode *a)
{
	return srcloc(a->lineno, a->col_offset, a->end_lineno, a->end_col_offset);
}

SrcLoc parse_range_loc(const AstNode *a, const AstNode *b)
{
	return srcloc(a->lineno, a->col_offset, b->end_lineno, b->end_col_offset);
}

/* What CPython calls an expression in "cannot assign to %s" messages. */
static const char *const expr_names[AST__COUNT] = {
	[AST_Attribute] = "attribute",
	[AST_Subscript] = "subscript",
	[AST_Starred] = "starred",
	[AST_Name] = "name",
	[AST_List] = "list",
	[AST_Tuple] = "tuple",
	[AST_Lambda] = "lambda",
	[AST_Call] = "function call",
	[AST_BoolOp] = "expression",
	[AST_BinOp] = "expression",
	[AST_UnaryOp] = "expression",
	[AST_GeneratorExp] = "generator expression",
	[AST_Yield] = "yield expression",
	[AST_YieldFrom] = "yield expression",
	[AST_Await] = "await expression",
	[AST_ListComp] = "list comprehension",
	[AST_SetComp] = "set comprehension",
	[AST_DictComp] = "dict comprehension",
	[AST_Dict] = "dict literal",
	[AST_Set] = "set display",
	[AST_JoinedStr] = "f-string expression",
	[AST_FormattedValue] = "f-string expression",
	[AST_Compare] = "comparison",
	[AST_IfExp] = "conditional expression",
	[AST_NamedExpr] = "named expression",
};

const char *parse_expr_name(const AstNode *e)
{
	if (e->kind == AST_Constant) {
		static const char *const names[] = {
			[CONST_NONE] = "None",
			[CONST_TRUE] = "True",
			[CONST_FALSE] = "False",
			[CONST_ELLIPSIS] = "ellipsis",
		};
		ConstKind k = e->Constant.value.kind;
		return k <= CONST_ELLIPSIS ? names[k] : "literal";
	}
	return expr_names[e->kind] ? expr_names[e->kind] : "expression";
}

/* CPython's _PyPegen_get_invalid_target(). */
static AstNode *invalid_target(AstNode *e, TargetsType type)
{
	if (!e)
		return NULL;
	switch (e->kind) {
	case AST_List:
	case AST_Tuple: {
		AstList l = e->kind == AST_List ? e->List.elts : e->Tuple.elts;
		for (int i = 0; i < l.n; i++) {
			AstNode *c = invalid_target(l.items[i], type);
			if (c)
				return c;
		}
		return NULL;
	}
	case AST_Starred:
		if (type == DEL_TARGETS)
			return e;
		return invalid_target(e->Starred.value, type);
	case AST_Compare:
		/* `for a in b` parses `a in b` as a comparison */
		if (type == FOR_TARGETS) {
			if (e->Compare.ops.items[0] == OP_In)
				return invalid_target(e->Compare.left, type);
			return NULL;
		}
		return e;
	case AST_Name:
	case AST_Subscript:
	case AST_Attribute:
		return NULL;
	default:
		return e;
	}
}

void parse_invalid_target(Parser *p, TargetsType type, AstNode *e)
{
	AstNode *bad = invalid_target(e, type);
	if (!bad)
		return;
	parse_raise(p, parse_node_loc(bad),
		    type == DEL_TARGETS ? "cannot delete %s" : "cannot assign to %s",
		    parse_expr_name(bad));
}

/* ---- tokens ---- */

static void fill_token(Parser *p)
{
	Token t;
	if (!lex_next(p->lx, &t)) {
		/* the lexer reported into p->lexdiags; adopt its error */
		Diag *g = p->lexdiags.items.n ? p->lexdiags.items.items[p->lexdiags.items.n - 1]
					      : NULL;
		p->failed = true;
		p->lex_error = true;
		p->err_loc = g ? g->loc : srcloc(t.lineno, t.col_offset, t.lineno, t.col_offset);
		p->err_msg = g ? g->msg : "invalid token";
		if (p->in_fstring) {
			/* tokenizer errors keep their message (no "f-string: "),
			 * except a name that is not UTF-8, which CPython's parser
			 * reports itself */
			p->err_loc.line += p->line_shift;
			p->err_loc.end_line += p->line_shift;
			if (strncmp(p->err_msg, "(unicode error)", 15) == 0)
				p->err_msg = arena_printf(p->arena, "f-string: %s", p->err_msg);
		}
		jump_out(p);
	}
	PTok *pt = arena_alloc(p->arena, sizeof *pt);
	pt->kind = t.kind;
	pt->kw = t.kw;
	pt->start = t.start;
	pt->len = t.len;
	pt->lineno = t.lineno + p->line_shift;
	pt->end_lineno = t.end_lineno + p->line_shift;
	pt->col = t.col_offset;
	pt->end_col = t.end_col_offset;
	if (p->in_fstring && t.end_lineno == 1) {
		pt->col += p->first_line_col;
		pt->end_col += p->first_line_col;
	}
	if (t.kind == TOK_LPAR || t.kind == TOK_LSQB || t.kind == TOK_LBRACE)
		p->level++;
	else if ((t.kind == TOK_RPAR || t.kind == TOK_RSQB || t.kind == TOK_RBRACE) && p->level > 0)
		p->level--;
	pt->level = p->level;
	if (p->fill == p->cap) {
		int cap = p->cap ? p->cap * 2 : 256;
		p->toks =
			arena_grow(p->arena, p->toks, (size_t)p->fill, (size_t)cap, sizeof(PTok *));
		p->cap = cap;
	}
	p->toks[p->fill++] = pt;
}

PTok *parse_peek_at(Parser *p, int m)
{
	while (m >= p->fill)
		fill_token(p);
	return p->toks[m];
}

PTok *parse_peek(Parser *p)
{
	return parse_peek_at(p, p->mark);
}

PTok *parse_advance(Parser *p)
{
	PTok *t = parse_peek(p);
	p->mark++;
	return t;
}

bool parse_check(Parser *p, TokKind k)
{
	return parse_peek(p)->kind == k;
}

bool parse_check_kw(Parser *p, Keyword kw)
{
	PTok *t = parse_peek(p);
	return t->kind == TOK_NAME && t->kw == kw;
}

PTok *parse_expect(Parser *p, TokKind k)
{
	PTok *t = parse_peek(p);
	if (t->kind != k)
		return NULL;
	p->mark++;
	return t;
}

PTok *parse_expect_kw(Parser *p, Keyword kw)
{
	PTok *t = parse_peek(p);
	if (t->kind != TOK_NAME || t->kw != kw)
		return NULL;
	p->mark++;
	return t;
}

PTok *parse_expect_soft(Parser *p, Keyword kw)
{
	return parse_expect_kw(p, kw);
}

PTok *parse_expect_forced(Parser *p, TokKind k, const char *text)
{
	PTok *t = parse_peek(p);
	if (t->kind != k)
		parse_raise(p, parse_tok_loc(t), "expected '%s'", text);
	p->mark++;
	return t;
}

bool parse_is_name(const PTok *t)
{
	return t->kind == TOK_NAME && !lex_is_hard_keyword(t->kw);
}

AstNode *parse_name(Parser *p)
{
	PTok *t = parse_peek(p);
	if (t->kind != TOK_NAME || lex_is_hard_keyword(t->kw))
		return NULL;
	p->mark++;
	AstNode *n = ast_new(p->arena, AST_Name, t->lineno, t->col, t->end_lineno, t->end_col);
	n->Name.id = parse_identifier(p, t);
	n->Name.ctx = CTX_Load;
	return n;
}

PTok *parse_last_token(Parser *p)
{
	PTok *t = p->toks[0];
	for (int m = p->mark - 1; m >= 0; m--) {
		t = p->toks[m];
		if (t->kind != TOK_ENDMARKER && t->kind != TOK_NEWLINE && t->kind != TOK_INDENT &&
		    t->kind != TOK_DEDENT)
			break;
	}
	return t;
}

AstNode *parse_node(Parser *p, AstKind kind, int start)
{
	PTok *s = parse_peek_at(p, start);
	PTok *e = parse_last_token(p);
	return ast_new(p->arena, kind, s->lineno, s->col, e->end_lineno, e->end_col);
}

/* ---- memo ---- */

bool parse_memo_get(Parser *p, int rule, void **result)
{
	PTok *t = parse_peek(p);
	for (Memo *m = t->memo; m; m = m->next) {
		if (m->rule == rule) {
			*result = m->result;
			p->mark = m->end;
			return true;
		}
	}
	return false;
}

void parse_memo_put(Parser *p, int start, int rule, void *result)
{
	PTok *t = parse_peek_at(p, start);
	Memo *m = arena_alloc(p->arena, sizeof *m);
	m->rule = rule;
	m->result = result;
	m->end = result ? p->mark : start;
	m->next = t->memo;
	t->memo = m;
}

void parse_enter(Parser *p)
{
	if (++p->depth > MAX_DEPTH)
		parse_raise(p, parse_tok_loc(parse_peek(p)),
			    "Parser stack overflowed - Python source too complex to parse");
}

void parse_leave(Parser *p)
{
	p->depth--;
}

/* ---- small AST helpers ---- */

AstList parse_list1(Parser *p, AstNode *a)
{
	AstList l;
	l.n = 1;
	l.items = arena_alloc(p->arena, sizeof(AstNode *));
	l.items[0] = a;
	return l;
}

AstList parse_list_prepend(Parser *p, AstNode *a, const PtrVec *rest)
{
	AstList l;
	l.n = 1 + rest->n;
	l.items = arena_alloc(p->arena, sizeof(AstNode *) * (size_t)l.n);
	l.items[0] = a;
	for (int i = 0; i < rest->n; i++)
		l.items[i + 1] = rest->items[i];
	return l;
}

static AstList set_ctx_list(Parser *p, AstList l, AstCtx ctx)
{
	AstList r = {l.n, NULL};
	if (l.n) {
		r.items = arena_alloc(p->arena, sizeof(AstNode *) * (size_t)l.n);
		for (int i = 0; i < l.n; i++)
			r.items[i] = parse_set_ctx(p, l.items[i], ctx);
	}
	return r;
}

AstNode *parse_set_ctx(Parser *p, AstNode *e, AstCtx ctx)
{
	AstNode *n = arena_alloc(p->arena, sizeof *n);
	*n = *e;
	switch (e->kind) {
	case AST_Name:
		n->Name.ctx = ctx;
		break;
	case AST_Tuple:
		n->Tuple.elts = set_ctx_list(p, e->Tuple.elts, ctx);
		n->Tuple.ctx = ctx;
		break;
	case AST_List:
		n->List.elts = set_ctx_list(p, e->List.elts, ctx);
		n->List.ctx = ctx;
		break;
	case AST_Subscript:
		n->Subscript.ctx = ctx;
		break;
	case AST_Attribute:
		n->Attribute.ctx = ctx;
		break;
	case AST_Starred:
		n->Starred.value = parse_set_ctx(p, e->Starred.value, ctx);
		n->Starred.ctx = ctx;
		break;
	default:
		break;
	}
	return n;
}

/* ---- running the passes ---- */

static void reset_for_error_pass(Parser *p)
{
	for (int i = 0; i < p->fill; i++)
		p->toks[i]->memo = NULL;
	p->mark = 0;
	p->depth = 0;
	p->call_invalid = true;
}

/* _PyPegen_set_syntax_error() for a pass that failed without an error. */
static void set_generic_error(Parser *p, PTok *last)
{
	p->failed = true;
	p->lex_error = false;
	p->err_loc = parse_tok_loc(last);
	if (last->kind == TOK_INDENT) {
		/* CPython reports these without looking at the rest of the file */
		p->err_msg = "unexpected indent";
		p->err_loc.col = p->err_loc.end_col > 0 ? p->err_loc.end_col - 1 : 0;
		p->no_rest_check = true;
	} else if (last->kind == TOK_DEDENT) {
		p->err_msg = "unexpected unindent";
		p->no_rest_check = true;
	} else {
		p->err_msg = p->in_fstring ? "f-string: invalid syntax" : "invalid syntax";
	}
}

/* _PyPegen_tokenize_full_source_to_check_for_errors(): after a parser error,
 * tokenize the rest of the file. An error the tokenizer raises itself there
 * (a bad literal, an unterminated string...) replaces the parser's error.
 * Any other tokenizer failure (end of input, a bad line continuation...)
 * inside a bracket opened before the line of the last token fetched gives
 * "'(' was never closed" instead; otherwise the parser's error stands. */
static void check_rest_of_source(Parser *p)
{
	int err_line = p->fill > 0 ? p->toks[p->fill - 1]->lineno : 1;
	int nerr = p->lexdiags.items.n;
	for (;;) {
		Token t;
		if (lex_next(p->lx, &t)) {
			if (t.kind == TOK_ENDMARKER)
				return;
			continue;
		}
		SrcLoc open;
		char bracket;
		if (p->lexdiags.items.n > nerr && lex_error_kind(p->lx) == LEX_ERROR_SYNTAX) {
			Diag *g = p->lexdiags.items.items[p->lexdiags.items.n - 1];
			p->err_loc = g->loc;
			p->err_msg = g->msg;
			p->lex_error = true;
		} else if (lex_open_bracket(p->lx, &open, &bracket) && err_line > open.line) {
			p->err_loc = open;
			p->err_msg = arena_printf(p->arena, "'%c' was never closed", bracket);
			p->lex_error = true;
		}
		return;
	}
}

/* Runs the rule `start` (the file or an f-string expression) with CPython's
 * two passes. Returns the node, or NULL with p->failed set. */
static AstNode *run_parser(Parser *p, AstNode *(*start)(Parser *))
{
	jmp_buf jb;
	p->jb = &jb;
	if (setjmp(jb) == 0) {
		AstNode *res = start(p);
		if (res)
			return res;
		PTok *last = p->toks[p->fill - 1];
		reset_for_error_pass(p);
		start(p);
		set_generic_error(p, last);
	}
	if (!p->lex_error && !p->in_fstring && !p->no_rest_check)
		check_rest_of_source(p);
	return NULL;
}

static void init_parser(Parser *p, Arena *a, Diags *d, const char *src, size_t len)
{
	memset(p, 0, sizeof *p);
	p->arena = a;
	p->diags = d;
	diag_init(&p->lexdiags, a, d ? d->filename : NULL, src, len);
	p->lx = lex_new(a, &p->lexdiags, src, len, NULL);
}

/* The deepest node under n, when deeper than MAX_TREE_DEPTH (else NULL).
 * Loops such as `a + b + ...` or `a.b.c...` build trees deeper than the
 * parser ever recursed; CPython refuses those when it builds its AST
 * objects, and every later pass walks the tree recursively. */
static const AstNode *too_deep(const AstNode *n, int depth)
{
	if (depth > MAX_TREE_DEPTH)
		return n;
	int count;
	const AstField *fields = ast_kind_fields(n->kind, &count);
	for (int i = 0; i < count; i++) {
		const AstField *f = &fields[i];
		const char *slot = (const char *)n + f->offset;
		if (f->type == AFT_NODE || f->type == AFT_OPT) {
			const AstNode *c = *(AstNode *const *)slot;
			const AstNode *bad = c ? too_deep(c, depth + 1) : NULL;
			if (bad)
				return bad;
		} else if (f->type == AFT_LIST) {
			const AstList *l = (const AstList *)slot;
			for (int j = 0; j < l->n; j++) {
				const AstNode *bad =
					l->items[j] ? too_deep(l->items[j], depth + 1) : NULL;
				if (bad)
					return bad;
			}
		}
	}
	return NULL;
}

AstNode *parse_file(Arena *a, Diags *d, const char *src, size_t len)
{
	Parser p;
	init_parser(&p, a, d, src, len);
	AstNode *res = run_parser(&p, parse_file_rule);
	if (!res) {
		diag_error(d, p.err_loc, "%s", p.err_msg);
		return NULL;
	}
	const AstNode *deep = too_deep(res, 0);
	if (deep) {
		diag_error(d,
			   srcloc(deep->lineno, deep->col_offset, deep->end_lineno,
				  deep->end_col_offset),
			   "maximum recursion depth exceeded during ast construction");
		return NULL;
	}
	return res;
}

/* rule: fstring: star_expressions */
static AstNode *fstring_rule(Parser *p)
{
	return parse_star_expressions(p);
}

AstNode *parse_fstring_expr(Parser *p, const char *src, size_t len, int line, int col)
{
	Parser sub;
	init_parser(&sub, p->arena, NULL, src, len);
	sub.in_fstring = true;
	sub.line_shift = line - 1;
	sub.first_line_col = col;
	AstNode *res = run_parser(&sub, fstring_rule);
	if (!res) {
		p->failed = true;
		p->lex_error = false;
		p->err_loc = sub.err_loc;
		p->err_msg = sub.err_msg;
		jump_out(p);
	}
	return res;
}
