/*
 * parse_stmt.c - statements: the file, blocks and simple statements
 * (assignment, imports, return, ...). Compound statements are in
 * parse_compound.c, match statements in parse_pattern.c.
 *
 * A statement node spans from its first token to the last token of its last
 * child (for compound statements: the end of the last statement of the last
 * block). Decorated definitions keep the position of `def`/`class`, as in
 * CPython. The invalid_* rules of this file give the "expected ':'" and
 * "expected an indented block after ..." messages in the error pass.
 */
#include "parse_internal.h"

static AstNode *simple_stmt(Parser *p);
static void invalid_assignment(Parser *p);

/* ---- the file and blocks ---- */

/* rule: file: [statements] ENDMARKER */
AstNode *parse_file_rule(Parser *p)
{
	int start = p->mark;
	AstList body = parse_statements(p);
	if (!parse_expect(p, TOK_ENDMARKER)) {
		p->mark = start;
		return NULL;
	}
	AstNode *m = ast_new(p->arena, AST_Module, 0, 0, 0, 0);
	m->Module.body = body;
	return m;
}

/* statement and simple_stmts, appending to out; false if none matched. */
static bool statement(Parser *p, PtrVec *out);

/* rule: statements: statement+ */
AstList parse_statements(Parser *p)
{
	PtrVec v = {0};
	while (statement(p, &v))
		;
	return ast_list(p->arena, &v);
}

/* rule:
 * simple_stmts:
 *     | simple_stmt !';' NEWLINE
 *     | ';'.simple_stmt+ [';'] NEWLINE
 */
static bool simple_stmts(Parser *p, PtrVec *out)
{
	int start = p->mark;
	int n0 = out->n;
	AstNode *s = simple_stmt(p);
	while (s) {
		ptrvec_push(p->arena, out, s);
		int m = p->mark;
		if (!parse_expect(p, TOK_SEMI))
			break;
		s = simple_stmt(p);
		if (!s)
			p->mark = m + 1; /* the optional trailing ';' */
	}
	if (out->n > n0 && parse_expect(p, TOK_NEWLINE))
		return true;
	out->n = n0;
	p->mark = start;
	return false;
}

/* rule: statement: compound_stmt | simple_stmts */
static bool statement(Parser *p, PtrVec *out)
{
	AstNode *s = parse_compound_stmt(p);
	if (s) {
		ptrvec_push(p->arena, out, s);
		return true;
	}
	return simple_stmts(p, out);
}

/* rule:
 * block (memo):
 *     | NEWLINE INDENT statements DEDENT
 *     | simple_stmts
 *     | invalid_block
 */
/* rule:
 * invalid_block:
 *     | NEWLINE !INDENT
 */
AstList parse_block(Parser *p)
{
	AstList none = {0, NULL};
	int start = p->mark;
	if (parse_expect(p, TOK_NEWLINE) && parse_expect(p, TOK_INDENT)) {
		AstList body = parse_statements(p);
		if (body.n && parse_expect(p, TOK_DEDENT))
			return body;
	}
	p->mark = start;
	PtrVec v = {0};
	if (simple_stmts(p, &v))
		return ast_list(p->arena, &v);
	p->mark = start;
	if (p->call_invalid) {
		/* invalid_block: NEWLINE !INDENT */
		if (parse_expect(p, TOK_NEWLINE) && !parse_check(p, TOK_INDENT))
			parse_raise_last(p, "internal compiler error: expected an indented block");
		p->mark = start;
	}
	return none;
}

/* ---- simple statements ---- */

/* rule:
 * augassign:
 *     | '+='
 *     | '-='
 *     | '*='
 *     | '@='
 *     | '/='
 *     | '%='
 *     | '&='
 *     | '|='
 *     | '^='
 *     | '<<='
 *     | '>>='
 *     | '**='
 *     | '//='
 */
static AstOp augassign(Parser *p)
{
	static const struct {
		TokKind tok;
		AstOp op;
	} ops[] = {
		{TOK_PLUSEQUAL, OP_Add},
		{TOK_MINEQUAL, OP_Sub},
		{TOK_STAREQUAL, OP_Mult},
		{TOK_ATEQUAL, OP_MatMult},
		{TOK_SLASHEQUAL, OP_Div},
		{TOK_PERCENTEQUAL, OP_Mod},
		{TOK_AMPEREQUAL, OP_BitAnd},
		{TOK_VBAREQUAL, OP_BitOr},
		{TOK_CIRCUMFLEXEQUAL, OP_BitXor},
		{TOK_LEFTSHIFTEQUAL, OP_LShift},
		{TOK_RIGHTSHIFTEQUAL, OP_RShift},
		{TOK_DOUBLESTAREQUAL, OP_Pow},
		{TOK_DOUBLESLASHEQUAL, OP_FloorDiv},
	};
	TokKind k = parse_peek(p)->kind;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (ops[i].tok == k) {
			p->mark++;
			return ops[i].op;
		}
	}
	return OP_NONE_;
}

/* rule: annotated_rhs: yield_expr | star_expressions */
static AstNode *annotated_rhs(Parser *p)
{
	AstNode *a = parse_yield_expr(p);
	return a ? a : parse_star_expressions(p);
}

/* ':' expression ['=' annotated_rhs] after an annotation target */
static AstNode *ann_assign_rest(Parser *p, int start, AstNode *target, int simple)
{
	if (!parse_expect(p, TOK_COLON))
		return NULL;
	AstNode *ann = parse_expression(p);
	if (!ann)
		return NULL;
	AstNode *value = NULL;
	int m = p->mark;
	if (parse_expect(p, TOK_EQUAL)) {
		value = annotated_rhs(p);
		if (!value)
			p->mark = m;
	}
	AstNode *n = parse_node(p, AST_AnnAssign, start);
	n->AnnAssign.target = target;
	n->AnnAssign.annotation = ann;
	n->AnnAssign.value = value;
	n->AnnAssign.simple = simple;
	return n;
}

/* rule:
 * assignment:
 *     | NAME ':' expression ['=' annotated_rhs]
 *     | ('(' single_target ')'
 *          | single_subscript_attribute_target) ':' expression ['=' annotated_rhs]
 *     | (star_targets '=')+ (yield_expr | star_expressions) !'=' [TYPE_COMMENT]
 *     | single_target augassign ~ (yield_expr | star_expressions)
 *     | invalid_assignment
 */
static AstNode *assignment(Parser *p)
{
	int start = p->mark;
	/* NAME ':' expression ['=' annotated_rhs] */
	AstNode *a = parse_name(p);
	if (a) {
		AstNode *n = ann_assign_rest(p, start, parse_set_ctx(p, a, CTX_Store), 1);
		if (n)
			return n;
	}
	p->mark = start;
	/* ('(' single_target ')' | single_subscript_attribute_target) ':' ... */
	a = NULL;
	if (parse_expect(p, TOK_LPAR)) {
		a = parse_single_target(p);
		if (!a || !parse_expect(p, TOK_RPAR))
			a = NULL;
	}
	if (!a) {
		p->mark = start;
		a = parse_single_subscript_attribute_target(p);
	}
	if (a) {
		AstNode *n = ann_assign_rest(p, start, a, 0);
		if (n)
			return n;
	}
	p->mark = start;
	/* (star_targets '=')+ (yield_expr | star_expressions) !'=' */
	PtrVec targets = {0};
	for (;;) {
		int m = p->mark;
		AstNode *t = parse_star_targets(p);
		if (!t || !parse_expect(p, TOK_EQUAL)) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &targets, t);
	}
	if (targets.n) {
		AstNode *v = annotated_rhs(p);
		if (v && !parse_check(p, TOK_EQUAL)) {
			AstNode *n = parse_node(p, AST_Assign, start);
			n->Assign.targets = ast_list(p->arena, &targets);
			n->Assign.value = v;
			return n;
		}
	}
	p->mark = start;
	/* single_target augassign ~ (yield_expr | star_expressions) */
	a = parse_single_target(p);
	if (a) {
		AstOp op = augassign(p);
		if (op != OP_NONE_) {
			AstNode *v = annotated_rhs(p);
			if (!v) {
				p->mark = start;
				return NULL; /* cut: no other alternative */
			}
			AstNode *n = parse_node(p, AST_AugAssign, start);
			n->AugAssign.target = a;
			n->AugAssign.op = op;
			n->AugAssign.value = v;
			return n;
		}
	}
	p->mark = start;
	if (p->call_invalid) {
		invalid_assignment(p);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * return_stmt:
 *     | 'return' [star_expressions]
 */
static AstNode *return_stmt(Parser *p)
{
	int start = p->mark;
	p->mark++;
	AstNode *n = NULL;
	AstNode *v = parse_star_expressions(p);
	n = parse_node(p, AST_Return, start);
	n->Return.value = v;
	return n;
}

/* rule:
 * raise_stmt:
 *     | 'raise' expression ['from' expression]
 *     | 'raise'
 */
static AstNode *raise_stmt(Parser *p)
{
	int start = p->mark;
	p->mark++;
	AstNode *exc = parse_expression(p), *cause = NULL;
	if (exc) {
		int m = p->mark;
		if (parse_expect_kw(p, KW_from)) {
			cause = parse_expression(p);
			if (!cause)
				p->mark = m;
		}
	}
	AstNode *n = parse_node(p, AST_Raise, start);
	n->Raise.exc = exc;
	n->Raise.cause = cause;
	return n;
}

/* rule: global_stmt: 'global' ','.NAME+ */
/* rule: nonlocal_stmt: 'nonlocal' ','.NAME+ */
static AstNode *global_stmt(Parser *p, AstKind kind)
{
	int start = p->mark;
	p->mark++;
	PtrVec names = {0};
	AstNode *a = parse_name(p);
	while (a) {
		ptrvec_push(p->arena, &names, (void *)a->Name.id);
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		a = parse_name(p);
		if (!a)
			p->mark = m;
	}
	if (!names.n) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = parse_node(p, kind, start);
	AstIdList ids = {names.n, arena_alloc(p->arena, sizeof(char *) * (size_t)names.n)};
	for (int i = 0; i < names.n; i++)
		ids.items[i] = names.items[i];
	if (kind == AST_Global)
		n->Global.names = ids;
	else
		n->Nonlocal.names = ids;
	return n;
}

/* rule:
 * del_stmt:
 *     | 'del' del_targets &(';' | NEWLINE)
 *     | invalid_del_stmt
 */
/* rule:
 * invalid_del_stmt:
 *     | 'del' star_expressions
 */
static AstNode *del_stmt(Parser *p)
{
	int start = p->mark;
	p->mark++;
	bool ok;
	AstList targets = parse_del_targets(p, &ok);
	if (ok && (parse_check(p, TOK_SEMI) || parse_check(p, TOK_NEWLINE))) {
		AstNode *n = parse_node(p, AST_Delete, start);
		n->Delete.targets = targets;
		return n;
	}
	p->mark = start;
	if (p->call_invalid) {
		/* invalid_del_stmt: 'del' star_expressions */
		p->mark++;
		AstNode *a = parse_star_expressions(p);
		if (a)
			parse_invalid_target(p, DEL_TARGETS, a);
		p->mark = start;
	}
	return NULL;
}

/* rule: assert_stmt: 'assert' expression [',' expression] */
static AstNode *assert_stmt(Parser *p)
{
	int start = p->mark;
	p->mark++;
	AstNode *test = parse_expression(p), *msg = NULL;
	if (!test) {
		p->mark = start;
		return NULL;
	}
	int m = p->mark;
	if (parse_expect(p, TOK_COMMA)) {
		msg = parse_expression(p);
		if (!msg)
			p->mark = m;
	}
	AstNode *n = parse_node(p, AST_Assert, start);
	n->Assert.test = test;
	n->Assert.msg = msg;
	return n;
}

/* rule:
 * dotted_name:
 *     | dotted_name '.' NAME
 *     | NAME
 */
AstNode *parse_dotted_name(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_name(p);
	if (!a)
		return NULL;
	while (parse_check(p, TOK_DOT)) {
		int m = p->mark;
		p->mark++;
		AstNode *b = parse_name(p);
		if (!b) {
			p->mark = m;
			break;
		}
		AstNode *n = parse_node(p, AST_Name, start);
		n->Name.id = arena_printf(p->arena, "%s.%s", a->Name.id, b->Name.id);
		a = n;
	}
	return a;
}

/* rule:
 * dotted_as_name:
 *     | dotted_name ['as' NAME]
 */
/* rule:
 * import_from_as_name:
 *     | NAME ['as' NAME]
 */
static AstNode *dotted_as_name(Parser *p, bool dotted)
{
	int start = p->mark;
	AstNode *a = dotted ? parse_dotted_name(p) : parse_name(p);
	if (!a)
		return NULL;
	const char *asname = NULL;
	int m = p->mark;
	if (parse_expect_kw(p, KW_as)) {
		AstNode *z = parse_name(p);
		if (z)
			asname = z->Name.id;
		else
			p->mark = m;
	}
	AstNode *n = parse_node(p, AST_alias, start);
	n->alias.name = a->Name.id;
	n->alias.asname = asname;
	return n;
}

/* rule:
 * dotted_as_names:
 *     | ','.dotted_as_name+
 */
/* rule:
 * import_from_as_names:
 *     | ','.import_from_as_name+
 */
static bool dotted_as_names(Parser *p, bool dotted, PtrVec *out)
{
	AstNode *a = dotted_as_name(p, dotted);
	if (!a)
		return false;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		a = dotted_as_name(p, dotted);
		if (!a) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, a);
	}
	return true;
}

/* rule: import_name: 'import' dotted_as_names */
static AstNode *import_name(Parser *p)
{
	int start = p->mark;
	PtrVec names = {0};
	if (parse_expect_kw(p, KW_import) && dotted_as_names(p, true, &names)) {
		AstNode *n = parse_node(p, AST_Import, start);
		n->Import.names = ast_list(p->arena, &names);
		return n;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * import_from_targets:
 *     | '(' import_from_as_names [','] ')'
 *     | import_from_as_names !','
 *     | '*'
 *     | invalid_import_from_targets
 */
/* rule:
 * invalid_import_from_targets:
 *     | import_from_as_names ',' NEWLINE
 */
static bool import_from_targets(Parser *p, PtrVec *out)
{
	int start = p->mark;
	if (parse_expect(p, TOK_LPAR)) {
		if (dotted_as_names(p, false, out)) {
			parse_expect(p, TOK_COMMA);
			if (parse_expect(p, TOK_RPAR))
				return true;
		}
		out->n = 0;
		p->mark = start;
		return false;
	}
	if (dotted_as_names(p, false, out)) {
		if (!parse_check(p, TOK_COMMA))
			return true;
		out->n = 0;
		p->mark = start;
	}
	if (parse_check(p, TOK_STAR)) {
		p->mark++;
		AstNode *n = parse_node(p, AST_alias, start);
		n->alias.name = "*";
		ptrvec_push(p->arena, out, n);
		return true;
	}
	if (p->call_invalid) {
		/* invalid_import_from_targets: import_from_as_names ',' NEWLINE */
		PtrVec v = {0};
		if (dotted_as_names(p, false, &v) && parse_expect(p, TOK_COMMA) &&
		    parse_check(p, TOK_NEWLINE)) {
			parse_advance(p);
			parse_raise_last(
				p, "trailing comma not allowed without surrounding parentheses");
		}
		p->mark = start;
	}
	return false;
}

/* rule:
 * import_from:
 *     | 'from' ('.' | '...')* dotted_name 'import' import_from_targets
 *     | 'from' ('.' | '...')+ 'import' import_from_targets
 */
static AstNode *import_from(Parser *p)
{
	int start = p->mark;
	if (!parse_expect_kw(p, KW_from))
		return NULL;
	int level = 0;
	for (;;) {
		if (parse_expect(p, TOK_DOT))
			level += 1;
		else if (parse_expect(p, TOK_ELLIPSIS))
			level += 3;
		else
			break;
	}
	int m = p->mark;
	AstNode *module = parse_dotted_name(p);
	if (!module || !parse_check_kw(p, KW_import)) {
		module = NULL;
		p->mark = m;
		if (level == 0) {
			p->mark = start;
			return NULL;
		}
	}
	PtrVec names = {0};
	if (parse_expect_kw(p, KW_import) && import_from_targets(p, &names)) {
		AstNode *n = parse_node(p, AST_ImportFrom, start);
		n->ImportFrom.module = module ? module->Name.id : NULL;
		n->ImportFrom.names = ast_list(p->arena, &names);
		n->ImportFrom.level = level;
		return n;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * simple_stmt (memo):
 *     | assignment
 *     | star_expressions
 *     | &'return' return_stmt
 *     | &('import' | 'from') import_stmt
 *     | &'raise' raise_stmt
 *     | 'pass'
 *     | &'del' del_stmt
 *     | &'yield' yield_stmt
 *     | &'assert' assert_stmt
 *     | 'break'
 *     | 'continue'
 *     | &'global' global_stmt
 *     | &'nonlocal' nonlocal_stmt
 */
/* rule: import_stmt: import_name | import_from */
/* rule: yield_stmt: yield_expr */
static AstNode *simple_stmt(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_simple_stmt, &memo))
		return memo;
	int start = p->mark;
	PTok *t = parse_peek(p);
	AstNode *res = NULL;
	Keyword kw = t->kind == TOK_NAME ? t->kw : KW_NOT_KEYWORD;
	switch (kw) {
	case KW_return:
		res = return_stmt(p);
		break;
	case KW_import:
		res = import_name(p);
		break;
	case KW_from:
		res = import_from(p);
		break;
	case KW_raise:
		res = raise_stmt(p);
		break;
	case KW_pass:
	case KW_break:
	case KW_continue:
		p->mark++;
		res = parse_node(p,
				 kw == KW_pass	  ? AST_Pass
				 : kw == KW_break ? AST_Break
						  : AST_Continue,
				 start);
		break;
	case KW_del:
		res = del_stmt(p);
		break;
	case KW_yield: {
		if (p->call_invalid) {
			/* only invalid_assignment can match ("yield x = 1") */
			assignment(p);
			p->mark = start;
		}
		AstNode *y = parse_yield_expr(p);
		if (y) {
			res = parse_node(p, AST_Expr, start);
			res->Expr.value = y;
		}
		break;
	}
	case KW_assert:
		res = assert_stmt(p);
		break;
	case KW_global:
		res = global_stmt(p, AST_Global);
		break;
	case KW_nonlocal:
		res = global_stmt(p, AST_Nonlocal);
		break;
	default:
		res = assignment(p);
		if (!res) {
			AstNode *e = parse_star_expressions(p);
			if (e) {
				res = parse_node(p, AST_Expr, start);
				res->Expr.value = e;
			}
		}
		break;
	}
	if (!res)
		p->mark = start;
	parse_memo_put(p, start, MEMO_simple_stmt, res);
	return res;
}

/* ---- invalid_assignment (error pass only) ---- */

/* rule:
 * invalid_ann_assign_target:
 *     | list
 *     | tuple
 *     | '(' invalid_ann_assign_target ')'
 */
static AstNode *invalid_ann_assign_target(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_list(p);
	if (a)
		return a;
	a = parse_tuple(p);
	if (a)
		return a;
	if (parse_expect(p, TOK_LPAR)) {
		a = invalid_ann_assign_target(p);
		if (a && parse_expect(p, TOK_RPAR))
			return a;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * invalid_assignment:
 *     | invalid_ann_assign_target ':' expression
 *     | star_named_expression ',' star_named_expressions* ':' expression
 *     | expression ':' expression
 *     | (star_targets '=')* star_expressions '='
 *     | (star_targets '=')* yield_expr '='
 *     | star_expressions augassign (yield_expr | star_expressions)
 */
static void invalid_assignment(Parser *p)
{
	int start = p->mark;
	AstNode *a = invalid_ann_assign_target(p);
	if (a && parse_expect(p, TOK_COLON) && parse_expression(p))
		parse_raise(p, parse_node_loc(a), "only single target (not %s) can be annotated",
			    parse_expr_name(a));
	p->mark = start;
	a = parse_star_named_expression(p);
	if (a && parse_expect(p, TOK_COMMA)) {
		PtrVec v = {0};
		while (parse_star_named_expressions(p, &v))
			;
		if (parse_expect(p, TOK_COLON) && parse_expression(p))
			parse_raise(p, parse_node_loc(a),
				    "only single target (not tuple) can be annotated");
	}
	p->mark = start;
	a = parse_expression(p);
	if (a && parse_expect(p, TOK_COLON) && parse_expression(p))
		parse_raise(p, parse_node_loc(a), "illegal target for annotation");
	/* (star_targets '=')* star_expressions '=' */
	p->mark = start;
	for (;;) {
		int m = p->mark;
		if (!(parse_star_targets(p) && parse_expect(p, TOK_EQUAL))) {
			p->mark = m;
			break;
		}
	}
	int m = p->mark;
	a = parse_star_expressions(p);
	if (a && parse_check(p, TOK_EQUAL))
		parse_invalid_target(p, STAR_TARGETS, a);
	/* (star_targets '=')* yield_expr '=' */
	p->mark = m;
	a = parse_yield_expr(p);
	if (a && parse_check(p, TOK_EQUAL))
		parse_raise(p, parse_node_loc(a), "assignment to yield expression not possible");
	/* star_expressions augassign (yield_expr | star_expressions) */
	p->mark = start;
	a = parse_star_expressions(p);
	if (a && augassign(p) != OP_NONE_ && annotated_rhs(p))
		parse_raise(p, parse_node_loc(a),
			    "'%s' is an illegal expression for augmented assignment",
			    parse_expr_name(a));
	p->mark = start;
}
