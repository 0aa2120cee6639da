/*
 * parse_compound.c - compound statements: def, class, if/elif/else, while,
 * for, with, try with except, except* and finally (match: parse_pattern.c).
 *
 * A compound statement spans from its first keyword (`async`, `def`, ...)
 * to the last token of its last block. Decorators are parsed here but a
 * decorated definition keeps the position of its `def`/`class`, as in
 * CPython. The invalid_* rules give "expected ':'" and "expected an indented
 * block after ..." in the error pass.
 */
#include "parse_internal.h"

/* ':' NEWLINE !INDENT after a block header: the indentation error of the
 * invalid_*_stmt rules. `what` names the statement. */
static void expect_indented_block(Parser *p, const char *what, int line)
{
	if (parse_expect(p, TOK_COLON) && parse_expect(p, TOK_NEWLINE) &&
	    !parse_check(p, TOK_INDENT))
		parse_raise_last(p, "expected an indented block after %s on line %d", what, line);
}

/* 'kw' named_expression NEWLINE -> "expected ':'", or the indentation error
 * (for if, elif and while) */
/* rule:
 * invalid_if_stmt:
 *     | 'if' named_expression NEWLINE
 *     | 'if' named_expression ':' NEWLINE !INDENT
 */
/* rule:
 * invalid_elif_stmt:
 *     | 'elif' named_expression NEWLINE
 *     | 'elif' named_expression ':' NEWLINE !INDENT
 */
/* rule:
 * invalid_while_stmt:
 *     | 'while' named_expression NEWLINE
 *     | 'while' named_expression ':' NEWLINE !INDENT
 */
static void invalid_if_stmt(Parser *p, Keyword kw, const char *what)
{
	int start = p->mark;
	if (!parse_expect_kw(p, kw))
		return;
	AstNode *a = parse_named_expression(p);
	if (a && parse_check(p, TOK_NEWLINE))
		parse_raise_last(p, "expected ':'");
	p->mark = start + 1;
	a = parse_named_expression(p);
	if (a)
		expect_indented_block(p, what, a->lineno);
	p->mark = start;
}

/* rule: decorators: ('@' named_expression NEWLINE)+ */
static bool decorators(Parser *p, PtrVec *out)
{
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_AT))
			break;
		AstNode *f = parse_named_expression(p);
		if (!f || !parse_expect(p, TOK_NEWLINE)) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, f);
	}
	return out->n > 0;
}

/* rule:
 * invalid_class_def_raw:
 *     | 'class' NAME ['(' [arguments] ')'] NEWLINE
 *     | 'class' NAME ['(' [arguments] ')'] ':' NEWLINE !INDENT
 */
static void invalid_class_def_raw(Parser *p)
{
	int start = p->mark;
	PTok *cls = parse_expect_kw(p, KW_class);
	if (!cls || !parse_name(p))
		return;
	int m = p->mark;
	if (parse_expect(p, TOK_LPAR)) {
		parse_arguments(p);
		if (!parse_expect(p, TOK_RPAR))
			p->mark = m;
	}
	int m2 = p->mark;
	if (parse_check(p, TOK_NEWLINE))
		parse_raise_last(p, "expected ':'");
	p->mark = m2;
	expect_indented_block(p, "class definition", cls->lineno);
	p->mark = start;
}

/* rule:
 * class_def_raw:
 *     | invalid_class_def_raw
 *     | 'class' NAME ['(' [arguments] ')'] ':' block
 */
static AstNode *class_def_raw(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_class_def_raw(p);
		p->mark = start;
	}
	if (!parse_expect_kw(p, KW_class))
		return NULL;
	AstNode *name = parse_name(p);
	if (!name)
		goto fail;
	AstNode *args = NULL;
	int m = p->mark;
	if (parse_expect(p, TOK_LPAR)) {
		args = parse_arguments(p);
		if (!parse_expect(p, TOK_RPAR)) {
			p->mark = m;
			args = NULL;
		}
	}
	if (!parse_expect(p, TOK_COLON))
		goto fail;
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstNode *n = parse_node(p, AST_ClassDef, start);
	n->ClassDef.name = name->Name.id;
	if (args) {
		n->ClassDef.bases = args->Call.args;
		n->ClassDef.keywords = args->Call.keywords;
	}
	n->ClassDef.body = body;
	return n;
fail:
	p->mark = start;
	return NULL;
}

/* rule:
 * invalid_def_raw:
 *     | [ASYNC] 'def' NAME '(' [params] ')' ['->' expression] ':' NEWLINE !INDENT
 */
static void invalid_def_raw(Parser *p)
{
	int start = p->mark;
	parse_expect_kw(p, KW_async);
	PTok *def = parse_expect_kw(p, KW_def);
	if (!def || !parse_name(p) || !parse_expect(p, TOK_LPAR))
		goto out;
	parse_params(p);
	if (!parse_expect(p, TOK_RPAR))
		goto out;
	int m = p->mark;
	if (parse_expect(p, TOK_RARROW) && !parse_expression(p))
		p->mark = m;
	expect_indented_block(p, "function definition", def->lineno);
out:
	p->mark = start;
}

/* rule:
 * function_def_raw:
 *     | invalid_def_raw
 *     | 'def' NAME &&'(' [params] ')' ['->' expression] &&':' [func_type_comment] block
 *     | ASYNC 'def' NAME &&'(' [params] ')' ['->' expression] &&':' [func_type_comment] block
 */
static AstNode *function_def_raw(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_def_raw(p);
		p->mark = start;
	}
	bool is_async = parse_expect_kw(p, KW_async) != NULL;
	if (!parse_expect_kw(p, KW_def))
		goto fail;
	AstNode *name = parse_name(p);
	if (!name)
		goto fail;
	parse_expect_forced(p, TOK_LPAR, "(");
	AstNode *params = parse_params(p);
	if (!parse_expect(p, TOK_RPAR))
		goto fail;
	AstNode *returns = NULL;
	int m = p->mark;
	if (parse_expect(p, TOK_RARROW)) {
		returns = parse_expression(p);
		if (!returns)
			p->mark = m;
	}
	parse_expect_forced(p, TOK_COLON, ":");
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstNode *n = parse_node(p, is_async ? AST_AsyncFunctionDef : AST_FunctionDef, start);
	/* FunctionDef and AsyncFunctionDef share their layout */
	n->FunctionDef.name = name->Name.id;
	n->FunctionDef.args = params ? params : parse_empty_arguments(p);
	n->FunctionDef.body = body;
	n->FunctionDef.returns = returns;
	return n;
fail:
	p->mark = start;
	return NULL;
}

/* decorators followed by `raw` (a def or a class) */
static AstNode *decorated(Parser *p, AstNode *(*raw)(Parser *))
{
	int start = p->mark;
	PtrVec decs = {0};
	if (decorators(p, &decs)) {
		AstNode *n = raw(p);
		if (n) {
			if (n->kind == AST_ClassDef)
				n->ClassDef.decorator_list = ast_list(p->arena, &decs);
			else
				n->FunctionDef.decorator_list = ast_list(p->arena, &decs);
			return n;
		}
		p->mark = start;
		return NULL;
	}
	p->mark = start;
	return raw(p);
}

/* rule:
 * function_def:
 *     | decorators function_def_raw
 *     | function_def_raw
 */
static AstNode *function_def(Parser *p)
{
	return decorated(p, function_def_raw);
}

/* rule:
 * class_def:
 *     | decorators class_def_raw
 *     | class_def_raw
 */
static AstNode *class_def(Parser *p)
{
	return decorated(p, class_def_raw);
}

/* rule:
 * else_block:
 *     | invalid_else_stmt
 *     | 'else' &&':' block
 */
/* rule:
 * invalid_else_stmt:
 *     | 'else' ':' NEWLINE !INDENT
 */
static bool else_block(Parser *p, AstList *out)
{
	int start = p->mark;
	if (p->call_invalid) {
		/* invalid_else_stmt: 'else' ':' NEWLINE !INDENT */
		PTok *t = parse_expect_kw(p, KW_else);
		if (t)
			expect_indented_block(p, "'else' statement", t->lineno);
		p->mark = start;
	}
	if (!parse_expect_kw(p, KW_else))
		return false;
	parse_expect_forced(p, TOK_COLON, ":");
	*out = parse_block(p);
	if (out->n)
		return true;
	p->mark = start;
	return false;
}

/* rule:
 * if_stmt:
 *     | invalid_if_stmt
 *     | 'if' named_expression ':' block elif_stmt
 *     | 'if' named_expression ':' block [else_block]
 */
/* rule:
 * elif_stmt:
 *     | invalid_elif_stmt
 *     | 'elif' named_expression ':' block elif_stmt
 *     | 'elif' named_expression ':' block [else_block]
 */
static AstNode *if_stmt(Parser *p, Keyword kw)
{
	int start = p->mark;
	if (p->call_invalid)
		invalid_if_stmt(p, kw, kw == KW_if ? "'if' statement" : "'elif' statement");
	if (!parse_expect_kw(p, kw))
		return NULL;
	AstNode *test = parse_named_expression(p);
	if (!test || !parse_expect(p, TOK_COLON))
		goto fail;
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstList orelse = {0, NULL};
	if (parse_check_kw(p, KW_elif)) {
		parse_enter(p);
		AstNode *e = if_stmt(p, KW_elif);
		parse_leave(p);
		if (e)
			orelse = parse_list1(p, e);
	}
	if (!orelse.n)
		else_block(p, &orelse);
	AstNode *n = parse_node(p, AST_If, start);
	n->If.test = test;
	n->If.body = body;
	n->If.orelse = orelse;
	return n;
fail:
	p->mark = start;
	return NULL;
}

/* rule:
 * while_stmt:
 *     | invalid_while_stmt
 *     | 'while' named_expression ':' block [else_block]
 */
static AstNode *while_stmt(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid)
		invalid_if_stmt(p, KW_while, "'while' statement");
	if (!parse_expect_kw(p, KW_while))
		return NULL;
	AstNode *test = parse_named_expression(p);
	if (!test || !parse_expect(p, TOK_COLON))
		goto fail;
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstList orelse = {0, NULL};
	else_block(p, &orelse);
	AstNode *n = parse_node(p, AST_While, start);
	n->While.test = test;
	n->While.body = body;
	n->While.orelse = orelse;
	return n;
fail:
	p->mark = start;
	return NULL;
}

/* rule:
 * invalid_for_stmt:
 *     | [ASYNC] 'for' star_targets 'in' star_expressions NEWLINE
 *     | [ASYNC] 'for' star_targets 'in' star_expressions ':' NEWLINE !INDENT
 */
static void invalid_for_stmt(Parser *p)
{
	int start = p->mark;
	parse_expect_kw(p, KW_async);
	PTok *f = parse_expect_kw(p, KW_for);
	if (f && parse_star_targets(p) && parse_expect_kw(p, KW_in) && parse_star_expressions(p)) {
		int m = p->mark;
		if (parse_check(p, TOK_NEWLINE))
			parse_raise_last(p, "expected ':'");
		p->mark = m;
		expect_indented_block(p, "'for' statement", f->lineno);
	}
	p->mark = start;
}

/* rule:
 * for_stmt:
 *     | invalid_for_stmt
 *     | 'for' star_targets 'in' ~ star_expressions ':' [TYPE_COMMENT] block [else_block]
 *     | ASYNC 'for' star_targets 'in' ~ star_expressions ':' [TYPE_COMMENT] block [else_block]
 *     | invalid_for_target
 */
/* rule:
 * invalid_for_target:
 *     | ASYNC? 'for' star_expressions
 */
static AstNode *for_stmt(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_for_stmt(p);
		p->mark = start;
	}
	bool is_async = parse_expect_kw(p, KW_async) != NULL;
	if (!parse_expect_kw(p, KW_for))
		goto fail;
	AstNode *target = parse_star_targets(p);
	if (!target || !parse_expect_kw(p, KW_in))
		goto fail;
	/* ~ (cut) */
	AstNode *iter = parse_star_expressions(p);
	if (!iter || !parse_expect(p, TOK_COLON)) {
		p->mark = start;
		return NULL;
	}
	AstList body = parse_block(p);
	if (!body.n) {
		p->mark = start;
		return NULL;
	}
	AstList orelse = {0, NULL};
	else_block(p, &orelse);
	AstNode *n = parse_node(p, is_async ? AST_AsyncFor : AST_For, start);
	n->For.target = target;
	n->For.iter = iter;
	n->For.body = body;
	n->For.orelse = orelse;
	return n;
fail:
	p->mark = start;
	if (p->call_invalid) {
		/* invalid_for_target: ASYNC? 'for' star_expressions */
		parse_expect_kw(p, KW_async);
		if (parse_expect_kw(p, KW_for)) {
			AstNode *a = parse_star_expressions(p);
			if (a)
				parse_invalid_target(p, FOR_TARGETS, a);
		}
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * with_item:
 *     | expression 'as' star_target &(',' | ')' | ':')
 *     | invalid_with_item
 *     | expression
 */
/* rule:
 * invalid_with_item:
 *     | expression 'as' expression &(',' | ')' | ':')
 */
static AstNode *with_item(Parser *p)
{
	AstNode *e = parse_expression(p);
	if (!e)
		return NULL;
	int m = p->mark;
	if (parse_expect_kw(p, KW_as)) {
		AstNode *t = parse_star_target(p);
		if (t && (parse_check(p, TOK_COMMA) || parse_check(p, TOK_RPAR) ||
			  parse_check(p, TOK_COLON))) {
			AstNode *n = ast_new(p->arena, AST_withitem, 0, 0, 0, 0);
			n->withitem.context_expr = e;
			n->withitem.optional_vars = t;
			return n;
		}
		if (p->call_invalid) {
			/* invalid_with_item: expression 'as' expression &(',' | ')' | ':') */
			p->mark = m + 1;
			AstNode *a = parse_expression(p);
			if (a && (parse_check(p, TOK_COMMA) || parse_check(p, TOK_RPAR) ||
				  parse_check(p, TOK_COLON)))
				parse_invalid_target(p, STAR_TARGETS, a);
		}
	}
	p->mark = m;
	AstNode *n = ast_new(p->arena, AST_withitem, 0, 0, 0, 0);
	n->withitem.context_expr = e;
	return n;
}

/* ','.with_item+ */
static bool with_items(Parser *p, PtrVec *out)
{
	AstNode *a = with_item(p);
	if (!a)
		return false;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		a = with_item(p);
		if (!a) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, a);
	}
	return true;
}

/* ','.(expression ['as' star_target])+ or, with parens,
 * '(' ','.(expressions ['as' star_target])+ ','? ')' */
static bool invalid_with_header(Parser *p, bool parens)
{
	if (parens && !parse_expect(p, TOK_LPAR))
		return false;
	int n = 0;
	for (;;) {
		int m = p->mark;
		if (n && !parse_expect(p, TOK_COMMA))
			break;
		AstNode *e = parens ? parse_expressions(p) : parse_expression(p);
		if (!e) {
			p->mark = m;
			break;
		}
		int m2 = p->mark;
		if (!(parse_expect_kw(p, KW_as) && parse_star_target(p)))
			p->mark = m2;
		n++;
	}
	if (!n)
		return false;
	if (parens) {
		parse_expect(p, TOK_COMMA);
		if (!parse_expect(p, TOK_RPAR))
			return false;
	}
	return true;
}

/* rule:
 * invalid_with_stmt:
 *     | [ASYNC] 'with' ','.(expression ['as' star_target])+ NEWLINE
 *     | [ASYNC] 'with' '(' ','.(expressions ['as' star_target])+ ','? ')' NEWLINE
 */
/* rule:
 * invalid_with_stmt_indent:
 *     | [ASYNC] 'with' ','.(expression ['as' star_target])+ ':' NEWLINE !INDENT
 *     | [ASYNC] 'with' '(' ','.(expressions ['as' star_target])+ ','? ')' ':' NEWLINE !INDENT
 */
static void invalid_with_stmt(Parser *p, bool indent)
{
	int start = p->mark;
	for (int parens = 0; parens < 2; parens++) {
		p->mark = start;
		parse_expect_kw(p, KW_async);
		PTok *w = parse_expect_kw(p, KW_with);
		if (!w || !invalid_with_header(p, parens))
			continue;
		if (!indent && parse_check(p, TOK_NEWLINE))
			parse_raise_last(p, "expected ':'");
		if (indent)
			expect_indented_block(p, "'with' statement", w->lineno);
	}
	p->mark = start;
}

/* rule:
 * with_stmt:
 *     | invalid_with_stmt_indent
 *     | 'with' '(' ','.with_item+ ','? ')' ':' block
 *     | 'with' ','.with_item+ ':' [TYPE_COMMENT] block
 *     | ASYNC 'with' '(' ','.with_item+ ','? ')' ':' block
 *     | ASYNC 'with' ','.with_item+ ':' [TYPE_COMMENT] block
 *     | invalid_with_stmt
 */
static AstNode *with_stmt(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid)
		invalid_with_stmt(p, true);
	bool is_async = parse_expect_kw(p, KW_async) != NULL;
	if (!parse_expect_kw(p, KW_with))
		goto fail;
	int m = p->mark;
	PtrVec items = {0};
	/* 'with' '(' ','.with_item+ ','? ')' ':' block */
	if (parse_expect(p, TOK_LPAR) && with_items(p, &items)) {
		parse_expect(p, TOK_COMMA);
		if (!(parse_expect(p, TOK_RPAR) && parse_expect(p, TOK_COLON)))
			items.n = 0;
	} else {
		items.n = 0;
	}
	if (!items.n) {
		/* 'with' ','.with_item+ ':' block */
		p->mark = m;
		if (!with_items(p, &items) || !parse_expect(p, TOK_COLON))
			goto fail;
	}
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstNode *n = parse_node(p, is_async ? AST_AsyncWith : AST_With, start);
	n->With.items = ast_list(p->arena, &items);
	n->With.body = body;
	return n;
fail:
	p->mark = start;
	if (p->call_invalid) {
		invalid_with_stmt(p, false);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * invalid_except_stmt:
 *     | 'except' '*'? expression ',' expressions ['as' NAME] ':'
 *     | 'except' '*'? expression ['as' NAME] NEWLINE
 *     | 'except' NEWLINE
 *     | 'except' '*' (NEWLINE | ':')
 */
static void invalid_except_stmt(Parser *p)
{
	int start = p->mark;
	PTok *exc = parse_expect_kw(p, KW_except);
	if (!exc)
		return;
	parse_expect(p, TOK_STAR);
	AstNode *a = parse_expression(p);
	if (a && parse_expect(p, TOK_COMMA) && parse_expressions(p)) {
		int m = p->mark;
		if (!(parse_expect_kw(p, KW_as) && parse_name(p)))
			p->mark = m;
		if (parse_check(p, TOK_COLON))
			parse_raise(p, srcloc(a->lineno, a->col_offset, a->end_lineno, -1),
				    "multiple exception types must be parenthesized");
	}
	p->mark = start + 1;
	parse_expect(p, TOK_STAR);
	if (parse_expression(p)) {
		int m = p->mark;
		if (!(parse_expect_kw(p, KW_as) && parse_name(p)))
			p->mark = m;
		if (parse_check(p, TOK_NEWLINE))
			parse_raise_last(p, "expected ':'");
	}
	p->mark = start + 1;
	if (parse_check(p, TOK_NEWLINE))
		parse_raise_last(p, "expected ':'");
	if (parse_expect(p, TOK_STAR) && (parse_check(p, TOK_NEWLINE) || parse_check(p, TOK_COLON)))
		parse_raise_last(p, "expected one or more exception types");
	p->mark = start;
}

/* rule:
 * except_block:
 *     | invalid_except_stmt_indent
 *     | 'except' expression ['as' NAME] ':' block
 *     | 'except' ':' block
 *     | invalid_except_stmt
 */
/* rule:
 * except_star_block:
 *     | invalid_except_star_stmt_indent
 *     | 'except' '*' expression ['as' NAME] ':' block
 *     | invalid_except_stmt
 */
/* rule:
 * invalid_except_stmt_indent:
 *     | 'except' expression ['as' NAME] ':' NEWLINE !INDENT
 *     | 'except' ':' NEWLINE !INDENT
 */
/* rule:
 * invalid_except_star_stmt_indent:
 *     | 'except' '*' expression ['as' NAME] ':' NEWLINE !INDENT
 */
static AstNode *except_block(Parser *p, bool star)
{
	int start = p->mark;
	if (p->call_invalid) {
		/* invalid_except_stmt_indent / invalid_except_star_stmt_indent */
		PTok *t = parse_expect_kw(p, KW_except);
		if (t && (!star || parse_expect(p, TOK_STAR))) {
			int m = p->mark;
			if (parse_expression(p)) {
				int m2 = p->mark;
				if (!(parse_expect_kw(p, KW_as) && parse_name(p)))
					p->mark = m2;
				expect_indented_block(
					p, star ? "'except*' statement" : "'except' statement",
					t->lineno);
			}
			p->mark = m;
			if (!star)
				expect_indented_block(p, "'except' statement", t->lineno);
		}
		p->mark = start;
	}
	if (!parse_expect_kw(p, KW_except))
		return NULL;
	if (star && !parse_expect(p, TOK_STAR))
		goto fail;
	AstNode *type = parse_expression(p);
	const char *name = NULL;
	if (type) {
		int m = p->mark;
		if (parse_expect_kw(p, KW_as)) {
			AstNode *z = parse_name(p);
			if (z)
				name = z->Name.id;
			else
				p->mark = m;
		}
	} else if (star) {
		goto fail;
	}
	if (!parse_expect(p, TOK_COLON))
		goto fail;
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstNode *n = parse_node(p, AST_ExceptHandler, start);
	n->ExceptHandler.type = type;
	n->ExceptHandler.name = name;
	n->ExceptHandler.body = body;
	return n;
fail:
	p->mark = start;
	if (p->call_invalid) {
		invalid_except_stmt(p);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * finally_block:
 *     | invalid_finally_stmt
 *     | 'finally' &&':' block
 */
/* rule:
 * invalid_finally_stmt:
 *     | 'finally' ':' NEWLINE !INDENT
 */
static bool finally_block(Parser *p, AstList *out)
{
	int start = p->mark;
	if (p->call_invalid) {
		/* invalid_finally_stmt */
		PTok *t = parse_expect_kw(p, KW_finally);
		if (t)
			expect_indented_block(p, "'finally' statement", t->lineno);
		p->mark = start;
	}
	if (!parse_expect_kw(p, KW_finally))
		return false;
	parse_expect_forced(p, TOK_COLON, ":");
	*out = parse_block(p);
	if (out->n)
		return true;
	p->mark = start;
	return false;
}

/* rule:
 * invalid_try_stmt:
 *     | 'try' ':' NEWLINE !INDENT
 *     | 'try' ':' block !('except' | 'finally')
 *     | 'try' ':' block* except_block+ 'except' '*' expression ['as' NAME] ':'
 *     | 'try' ':' block* except_star_block+ 'except' [expression ['as' NAME]] ':'
 */
static void invalid_try_stmt(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_expect_kw(p, KW_try);
	if (!t)
		return;
	expect_indented_block(p, "'try' statement", t->lineno);
	p->mark = start + 1;
	if (parse_expect(p, TOK_COLON) && parse_block(p).n && !parse_check_kw(p, KW_except) &&
	    !parse_check_kw(p, KW_finally))
		parse_raise_last(p, "expected 'except' or 'finally' block");
	/* 'try' ':' block* except_block+ 'except' '*' ...  and the reverse */
	for (int star = 0; star < 2; star++) {
		p->mark = start + 1;
		if (!parse_expect(p, TOK_COLON))
			break;
		while (parse_block(p).n)
			;
		int n = 0;
		while (except_block(p, star))
			n++;
		if (!n)
			continue;
		PTok *a = parse_expect_kw(p, KW_except);
		if (!a)
			continue;
		if (!star) {
			PTok *b = parse_expect(p, TOK_STAR);
			if (b && parse_expression(p)) {
				int m = p->mark;
				if (!(parse_expect_kw(p, KW_as) && parse_name(p)))
					p->mark = m;
				if (parse_check(p, TOK_COLON))
					parse_raise(
						p,
						srcloc(a->lineno, a->col, b->end_lineno,
						       b->end_col),
						"cannot have both 'except' and 'except*' on the same "
						"'try'");
			}
		} else {
			int m = p->mark;
			if (parse_expression(p)) {
				int m2 = p->mark;
				if (!(parse_expect_kw(p, KW_as) && parse_name(p)))
					p->mark = m2;
			} else {
				p->mark = m;
			}
			if (parse_check(p, TOK_COLON))
				parse_raise(
					p, parse_tok_loc(a),
					"cannot have both 'except' and 'except*' on the same 'try'");
		}
	}
	p->mark = start;
}

/* rule:
 * try_stmt:
 *     | invalid_try_stmt
 *     | 'try' &&':' block finally_block
 *     | 'try' &&':' block except_block+ [else_block] [finally_block]
 *     | 'try' &&':' block except_star_block+ [else_block] [finally_block]
 */
static AstNode *try_stmt(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_try_stmt(p);
		p->mark = start;
	}
	if (!parse_expect_kw(p, KW_try))
		return NULL;
	parse_expect_forced(p, TOK_COLON, ":");
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstList finalbody = {0, NULL}, orelse = {0, NULL};
	int after_body = p->mark;
	if (finally_block(p, &finalbody)) {
		AstNode *n = parse_node(p, AST_Try, start);
		n->Try.body = body;
		n->Try.finalbody = finalbody;
		return n;
	}
	for (int star = 0; star < 2; star++) {
		p->mark = after_body;
		PtrVec handlers = {0};
		AstNode *h;
		while ((h = except_block(p, star)) != NULL)
			ptrvec_push(p->arena, &handlers, h);
		if (!handlers.n)
			continue;
		else_block(p, &orelse);
		finally_block(p, &finalbody);
		AstNode *n = parse_node(p, star ? AST_TryStar : AST_Try, start);
		/* Try and TryStar share their layout */
		n->Try.body = body;
		n->Try.handlers = ast_list(p->arena, &handlers);
		n->Try.orelse = orelse;
		n->Try.finalbody = finalbody;
		return n;
	}
fail:
	p->mark = start;
	return NULL;
}

/* rule:
 * compound_stmt:
 *     | &('def' | '@' | ASYNC) function_def
 *     | &'if' if_stmt
 *     | &('class' | '@') class_def
 *     | &('with' | ASYNC) with_stmt
 *     | &('for' | ASYNC) for_stmt
 *     | &'try' try_stmt
 *     | &'while' while_stmt
 *     | match_stmt
 */
AstNode *parse_compound_stmt(Parser *p)
{
	PTok *t = parse_peek(p);
	if (t->kind == TOK_AT) {
		AstNode *n = function_def(p);
		return n ? n : class_def(p);
	}
	if (t->kind != TOK_NAME)
		return NULL;
	switch (t->kw) {
	case KW_def:
		return function_def(p);
	case KW_async: {
		AstNode *n = function_def(p);
		if (!n)
			n = with_stmt(p);
		if (!n)
			n = for_stmt(p);
		return n;
	}
	case KW_if:
		return if_stmt(p, KW_if);
	case KW_class:
		return class_def(p);
	case KW_with:
		return with_stmt(p);
	case KW_for:
		return for_stmt(p);
	case KW_try:
		return try_stmt(p);
	case KW_while:
		return while_stmt(p);
	case KW_match:
		return parse_match_stmt(p);
	default:
		return NULL;
	}
}
