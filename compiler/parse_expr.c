/*
 * parse_expr.c - expressions: operators by precedence, primaries and atoms,
 * lambdas, and the invalid_* rules of expressions.
 *
 * Displays, comprehensions and call arguments are in parse_display.c.
 * The functions follow grammar/python.gram rule by rule. Left-recursive rules
 * (sum: sum '+' term | term) become loops that grow the result one operator
 * at a time, which builds the same left-leaning trees as pegen's
 * left-recursion. Rules CPython memoizes are memoized here too, which keeps
 * backtracking linear. The invalid_* rules at the end run only in the error
 * pass (p->call_invalid) and either raise a specific error or fail.
 */
#include "parse_internal.h"

#include <string.h>

static AstNode *conjunction(Parser *p);
static AstNode *inversion(Parser *p);
static AstNode *comparison(Parser *p);
static AstNode *factor(Parser *p);
static AstNode *primary(Parser *p);
static AstNode *lambdef(Parser *p);
static AstNode *group(Parser *p);
static AstNode *slice(Parser *p);
static void invalid_expression(Parser *p);
static void invalid_legacy_expression(Parser *p);
static void invalid_named_expression(Parser *p);
static void invalid_group(Parser *p);

static AstNode *binop(Parser *p, int start, AstNode *l, AstOp op, AstNode *r)
{
	AstNode *n = parse_node(p, AST_BinOp, start);
	n->BinOp.left = l;
	n->BinOp.op = op;
	n->BinOp.right = r;
	return n;
}

static AstNode *unaryop(Parser *p, int start, AstOp op, AstNode *operand)
{
	AstNode *n = parse_node(p, AST_UnaryOp, start);
	n->UnaryOp.op = op;
	n->UnaryOp.operand = operand;
	return n;
}

static AstNode *tuple_node(Parser *p, int start, AstList elts, AstCtx ctx)
{
	AstNode *n = parse_node(p, AST_Tuple, start);
	n->Tuple.elts = elts;
	n->Tuple.ctx = ctx;
	return n;
}

static AstNode *constant(Parser *p, int start, ConstKind k)
{
	AstNode *n = parse_node(p, AST_Constant, start);
	n->Constant.value.kind = k;
	return n;
}

/* ---- expression lists ---- */

/* rule:
 * expressions:
 *     | expression (',' expression)+ [',']
 *     | expression ','
 *     | expression
 */
AstNode *parse_expressions(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_expression(p);
	if (!a)
		return NULL;
	if (!parse_check(p, TOK_COMMA))
		return a;
	PtrVec rest = {0};
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = parse_expression(p);
		if (!c) {
			p->mark = m;
			parse_expect(p, TOK_COMMA); /* the optional trailing comma */
			break;
		}
		ptrvec_push(p->arena, &rest, c);
	}
	return tuple_node(p, start, parse_list_prepend(p, a, &rest), CTX_Load);
}

/* rule:
 * expression (memo):
 *     | invalid_expression
 *     | invalid_legacy_expression
 *     | disjunction 'if' disjunction 'else' expression
 *     | disjunction
 *     | lambdef
 */
AstNode *parse_expression(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_expression, &memo))
		return memo;
	int start = p->mark;
	parse_enter(p);
	if (p->call_invalid) {
		invalid_expression(p);
		p->mark = start;
		invalid_legacy_expression(p);
		p->mark = start;
	}
	AstNode *res = NULL;
	AstNode *a = parse_disjunction(p);
	if (a) {
		int m = p->mark;
		if (parse_expect_kw(p, KW_if)) {
			AstNode *b = parse_disjunction(p);
			if (b && parse_expect_kw(p, KW_else)) {
				AstNode *c = parse_expression(p);
				if (c) {
					res = parse_node(p, AST_IfExp, start);
					res->IfExp.test = b;
					res->IfExp.body = a;
					res->IfExp.orelse = c;
				}
			}
		}
		if (!res) {
			p->mark = m;
			res = a;
		}
	} else {
		p->mark = start;
		res = lambdef(p);
	}
	parse_leave(p);
	parse_memo_put(p, start, MEMO_expression, res);
	return res;
}

/* rule:
 * expression_without_invalid:
 *     | disjunction 'if' disjunction 'else' expression
 *     | disjunction
 *     | lambdef
 */
AstNode *parse_expression_without_invalid(Parser *p)
{
	bool saved = p->call_invalid;
	p->call_invalid = false;
	int start = p->mark;
	AstNode *res = NULL;
	AstNode *a = parse_disjunction(p);
	if (a) {
		int m = p->mark;
		if (parse_expect_kw(p, KW_if)) {
			AstNode *b = parse_disjunction(p);
			if (b && parse_expect_kw(p, KW_else)) {
				AstNode *c = parse_expression(p);
				if (c) {
					res = parse_node(p, AST_IfExp, start);
					res->IfExp.test = b;
					res->IfExp.body = a;
					res->IfExp.orelse = c;
				}
			}
		}
		if (!res) {
			p->mark = m;
			res = a;
		}
	} else {
		p->mark = start;
		res = lambdef(p);
	}
	p->call_invalid = saved;
	return res;
}

/* rule:
 * yield_expr:
 *     | 'yield' 'from' expression
 *     | 'yield' [star_expressions]
 */
AstNode *parse_yield_expr(Parser *p)
{
	int start = p->mark;
	if (!parse_expect_kw(p, KW_yield))
		return NULL;
	if (parse_expect_kw(p, KW_from)) {
		AstNode *a = parse_expression(p);
		if (a) {
			AstNode *n = parse_node(p, AST_YieldFrom, start);
			n->YieldFrom.value = a;
			return n;
		}
		p->mark = start + 1;
	}
	AstNode *a = parse_star_expressions(p);
	AstNode *n = parse_node(p, AST_Yield, start);
	n->Yield.value = a;
	return n;
}

/* rule:
 * star_expressions:
 *     | star_expression (',' star_expression)+ [',']
 *     | star_expression ','
 *     | star_expression
 */
AstNode *parse_star_expressions(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_star_expression(p);
	if (!a)
		return NULL;
	if (!parse_check(p, TOK_COMMA))
		return a;
	PtrVec rest = {0};
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = parse_star_expression(p);
		if (!c) {
			p->mark = m;
			parse_expect(p, TOK_COMMA);
			break;
		}
		ptrvec_push(p->arena, &rest, c);
	}
	return tuple_node(p, start, parse_list_prepend(p, a, &rest), CTX_Load);
}

/* rule:
 * star_expression (memo):
 *     | '*' bitwise_or
 *     | expression
 */
AstNode *parse_star_expression(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_star_expression, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = NULL;
	if (parse_expect(p, TOK_STAR)) {
		AstNode *a = parse_bitwise_or(p);
		if (a) {
			res = parse_node(p, AST_Starred, start);
			res->Starred.value = a;
			res->Starred.ctx = CTX_Load;
		} else {
			p->mark = start;
		}
	}
	if (!res) {
		p->mark = start;
		res = parse_expression(p);
	}
	parse_memo_put(p, start, MEMO_star_expression, res);
	return res;
}

/* rule: star_named_expressions: ','.star_named_expression+ [','] */
AstNode *parse_star_named_expressions(Parser *p, PtrVec *out)
{
	AstNode *a = parse_star_named_expression(p);
	if (!a)
		return NULL;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = parse_star_named_expression(p);
		if (!c) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, c);
	}
	parse_expect(p, TOK_COMMA);
	return a;
}

/* rule:
 * star_named_expression:
 *     | '*' bitwise_or
 *     | named_expression
 */
AstNode *parse_star_named_expression(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_STAR)) {
		AstNode *a = parse_bitwise_or(p);
		if (a) {
			AstNode *n = parse_node(p, AST_Starred, start);
			n->Starred.value = a;
			n->Starred.ctx = CTX_Load;
			return n;
		}
		p->mark = start;
	}
	return parse_named_expression(p);
}

/* rule:
 * assignment_expression:
 *     | NAME ':=' ~ expression
 */
AstNode *parse_assignment_expression(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_peek(p);
	if (!parse_is_name(t) || parse_peek_at(p, start + 1)->kind != TOK_COLONEQUAL)
		return NULL;
	AstNode *a = parse_name(p);
	if (!a)
		return NULL;
	p->mark++; /* ':=' */
	AstNode *b = parse_expression(p);
	if (!b) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_NamedExpr, start);
	n->NamedExpr.target = parse_set_ctx(p, a, CTX_Store);
	n->NamedExpr.value = b;
	return n;
}

/* rule:
 * named_expression:
 *     | assignment_expression
 *     | invalid_named_expression
 *     | expression !':='
 */
AstNode *parse_named_expression(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_assignment_expression(p);
	if (a)
		return a;
	if (p->call_invalid) {
		invalid_named_expression(p);
		p->mark = start;
	}
	a = parse_expression(p);
	if (a && !parse_check(p, TOK_COLONEQUAL))
		return a;
	p->mark = start;
	return NULL;
}

/* ---- boolean operators and comparisons ---- */

static AstNode *boolop_chain(Parser *p, int memo_rule, Keyword kw, AstOp op,
			     AstNode *(*operand)(Parser *))
{
	void *memo;
	if (parse_memo_get(p, memo_rule, &memo))
		return memo;
	int start = p->mark;
	AstNode *a = operand(p);
	AstNode *res = a;
	if (a && parse_check_kw(p, kw)) {
		PtrVec rest = {0};
		for (;;) {
			int m = p->mark;
			if (!parse_expect_kw(p, kw))
				break;
			AstNode *c = operand(p);
			if (!c) {
				p->mark = m;
				break;
			}
			ptrvec_push(p->arena, &rest, c);
		}
		if (rest.n) {
			res = parse_node(p, AST_BoolOp, start);
			res->BoolOp.op = op;
			res->BoolOp.values = parse_list_prepend(p, a, &rest);
		}
	}
	parse_memo_put(p, start, memo_rule, res);
	return res;
}

/* rule:
 * disjunction (memo):
 *     | conjunction ('or' conjunction)+
 *     | conjunction
 */
AstNode *parse_disjunction(Parser *p)
{
	return boolop_chain(p, MEMO_disjunction, KW_or, OP_Or, conjunction);
}

/* rule:
 * conjunction (memo):
 *     | inversion ('and' inversion)+
 *     | inversion
 */
static AstNode *conjunction(Parser *p)
{
	return boolop_chain(p, MEMO_conjunction, KW_and, OP_And, inversion);
}

/* rule:
 * inversion (memo):
 *     | 'not' inversion
 *     | comparison
 */
static AstNode *inversion(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_inversion, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = NULL;
	if (parse_expect_kw(p, KW_not)) {
		parse_enter(p);
		AstNode *a = inversion(p);
		parse_leave(p);
		if (a)
			res = unaryop(p, start, OP_Not, a);
		else
			p->mark = start;
	}
	if (!res)
		res = comparison(p);
	parse_memo_put(p, start, MEMO_inversion, res);
	return res;
}

/* The comparison operator at mark (one or two tokens), consumed; OP_NONE_ if none. */
static AstOp compare_op(Parser *p)
{
	static const struct {
		TokKind tok;
		AstOp op;
	} ops[] = {
		{TOK_EQEQUAL, OP_Eq}, {TOK_NOTEQUAL, OP_NotEq},	  {TOK_LESSEQUAL, OP_LtE},
		{TOK_LESS, OP_Lt},    {TOK_GREATEREQUAL, OP_GtE}, {TOK_GREATER, OP_Gt},
	};
	PTok *t = parse_peek(p);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		if (t->kind == ops[i].tok) {
			p->mark++;
			return ops[i].op;
		}
	}
	if (t->kind != TOK_NAME)
		return OP_NONE_;
	if (t->kw == KW_not && parse_peek_at(p, p->mark + 1)->kind == TOK_NAME &&
	    parse_peek_at(p, p->mark + 1)->kw == KW_in) {
		p->mark += 2;
		return OP_NotIn;
	}
	if (t->kw == KW_in) {
		p->mark++;
		return OP_In;
	}
	if (t->kw == KW_is) {
		p->mark++;
		if (parse_expect_kw(p, KW_not))
			return OP_IsNot;
		return OP_Is;
	}
	return OP_NONE_;
}

/* rule:
 * comparison:
 *     | bitwise_or compare_op_bitwise_or_pair+
 *     | bitwise_or
 */
/* rule:
 * compare_op_bitwise_or_pair:
 *     | eq_bitwise_or
 *     | noteq_bitwise_or
 *     | lte_bitwise_or
 *     | lt_bitwise_or
 *     | gte_bitwise_or
 *     | gt_bitwise_or
 *     | notin_bitwise_or
 *     | in_bitwise_or
 *     | isnot_bitwise_or
 *     | is_bitwise_or
 */
/* rule: eq_bitwise_or: '==' bitwise_or */
/* rule:
 * noteq_bitwise_or:
 *     | ('!=') bitwise_or
 */
/* rule: lte_bitwise_or: '<=' bitwise_or */
/* rule: lt_bitwise_or: '<' bitwise_or */
/* rule: gte_bitwise_or: '>=' bitwise_or */
/* rule: gt_bitwise_or: '>' bitwise_or */
/* rule: notin_bitwise_or: 'not' 'in' bitwise_or */
/* rule: in_bitwise_or: 'in' bitwise_or */
/* rule: isnot_bitwise_or: 'is' 'not' bitwise_or */
/* rule: is_bitwise_or: 'is' bitwise_or */
static AstNode *comparison(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_bitwise_or(p);
	if (!a)
		return NULL;
	PtrVec ops = {0}, exprs = {0};
	for (;;) {
		int m = p->mark;
		AstOp op = compare_op(p);
		if (op == OP_NONE_)
			break;
		AstNode *b = parse_bitwise_or(p);
		if (!b && op == OP_IsNot) {
			/* 'is' 'not' failed: try plain 'is' (then 'not' starts b) */
			p->mark = m + 1;
			op = OP_Is;
			b = parse_bitwise_or(p);
		}
		if (!b) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &ops, (void *)(intptr_t)op);
		ptrvec_push(p->arena, &exprs, b);
	}
	if (!ops.n)
		return a;
	AstNode *n = parse_node(p, AST_Compare, start);
	n->Compare.left = a;
	n->Compare.ops.n = ops.n;
	n->Compare.ops.items = arena_alloc(p->arena, sizeof(AstOp) * (size_t)ops.n);
	for (int i = 0; i < ops.n; i++)
		n->Compare.ops.items[i] = (AstOp)(intptr_t)ops.items[i];
	n->Compare.comparators = ast_list(p->arena, &exprs);
	return n;
}

/* ---- binary operators (left-recursive rules as loops) ---- */

typedef struct BinLevel {
	TokKind tok;
	AstOp op;
} BinLevel;

static const BinLevel shift_ops[] = {{TOK_LEFTSHIFT, OP_LShift}, {TOK_RIGHTSHIFT, OP_RShift}};
static const BinLevel sum_ops[] = {{TOK_PLUS, OP_Add}, {TOK_MINUS, OP_Sub}};
static const BinLevel term_ops[] = {{TOK_STAR, OP_Mult},
				    {TOK_SLASH, OP_Div},
				    {TOK_DOUBLESLASH, OP_FloorDiv},
				    {TOK_PERCENT, OP_Mod},
				    {TOK_AT, OP_MatMult}};

static AstOp binop_at(Parser *p, const BinLevel *ops, size_t n)
{
	TokKind k = parse_peek(p)->kind;
	for (size_t i = 0; i < n; i++)
		if (ops[i].tok == k)
			return ops[i].op;
	return OP_NONE_;
}

/* One left-associative level: operand (op operand)* */
static AstNode *binop_level(Parser *p, const BinLevel *ops, size_t nops,
			    AstNode *(*operand)(Parser *))
{
	int start = p->mark;
	AstNode *a = operand(p);
	if (!a)
		return NULL;
	for (;;) {
		int m = p->mark;
		AstOp op = binop_at(p, ops, nops);
		if (op == OP_NONE_)
			break;
		p->mark++;
		AstNode *b = operand(p);
		if (!b) {
			p->mark = m;
			break;
		}
		a = binop(p, start, a, op, b);
	}
	return a;
}

/* rule:
 * term:
 *     | term '*' factor
 *     | term '/' factor
 *     | term '//' factor
 *     | term '%' factor
 *     | term '@' factor
 *     | factor
 */
static AstNode *term(Parser *p)
{
	return binop_level(p, term_ops, 5, factor);
}

/* rule:
 * sum:
 *     | sum '+' term
 *     | sum '-' term
 *     | term
 */
static AstNode *sum(Parser *p)
{
	return binop_level(p, sum_ops, 2, term);
}

/* rule:
 * shift_expr:
 *     | shift_expr '<<' sum
 *     | shift_expr '>>' sum
 *     | sum
 */
static AstNode *shift_expr(Parser *p)
{
	return binop_level(p, shift_ops, 2, sum);
}

/* rule:
 * bitwise_and:
 *     | bitwise_and '&' shift_expr
 *     | shift_expr
 */
static AstNode *bitwise_and(Parser *p)
{
	static const BinLevel ops[] = {{TOK_AMPER, OP_BitAnd}};
	return binop_level(p, ops, 1, shift_expr);
}

/* rule:
 * bitwise_xor:
 *     | bitwise_xor '^' bitwise_and
 *     | bitwise_and
 */
static AstNode *bitwise_xor(Parser *p)
{
	static const BinLevel ops[] = {{TOK_CIRCUMFLEX, OP_BitXor}};
	return binop_level(p, ops, 1, bitwise_and);
}

/* rule:
 * bitwise_or:
 *     | bitwise_or '|' bitwise_xor
 *     | bitwise_xor
 */
AstNode *parse_bitwise_or(Parser *p)
{
	static const BinLevel ops[] = {{TOK_VBAR, OP_BitOr}};
	void *memo;
	if (parse_memo_get(p, MEMO_bitwise_or, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = binop_level(p, ops, 1, bitwise_xor);
	parse_memo_put(p, start, MEMO_bitwise_or, res);
	return res;
}

/* rule:
 * factor (memo):
 *     | '+' factor
 *     | '-' factor
 *     | '~' factor
 *     | power
 */
/* rule:
 * power:
 *     | await_primary '**' factor
 *     | await_primary
 */
/* rule:
 * await_primary (memo):
 *     | AWAIT primary
 *     | primary
 */
static AstNode *factor(Parser *p)
{
	static const BinLevel ops[] = {
		{TOK_PLUS, OP_UAdd}, {TOK_MINUS, OP_USub}, {TOK_TILDE, OP_Invert}};
	void *memo;
	if (parse_memo_get(p, MEMO_factor, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = NULL;
	AstOp op = binop_at(p, ops, 3);
	if (op != OP_NONE_) {
		p->mark++;
		parse_enter(p);
		AstNode *a = factor(p);
		parse_leave(p);
		if (a)
			res = unaryop(p, start, op, a);
		else
			p->mark = start;
	}
	if (!res) {
		/* power: await_primary '**' factor | await_primary */
		AstNode *a = NULL;
		if (parse_expect_kw(p, KW_await)) {
			AstNode *v = primary(p);
			if (v) {
				a = parse_node(p, AST_Await, start);
				a->Await.value = v;
			} else {
				p->mark = start;
			}
		}
		if (!a)
			a = primary(p);
		if (a) {
			int m = p->mark;
			if (parse_expect(p, TOK_DOUBLESTAR)) {
				parse_enter(p);
				AstNode *b = factor(p);
				parse_leave(p);
				if (b)
					a = binop(p, start, a, OP_Pow, b);
				else
					p->mark = m;
			}
		}
		res = a;
	}
	parse_memo_put(p, start, MEMO_factor, res);
	return res;
}

/* ---- primaries ---- */

/* '(' [arguments] ')' after a primary: a Call on `func`. */
static AstNode *call_trailer(Parser *p, int start, AstNode *func)
{
	int m = p->mark;
	if (!parse_expect(p, TOK_LPAR))
		return NULL;
	AstNode *args = parse_arguments(p);
	if (!parse_expect(p, TOK_RPAR)) {
		p->mark = m;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_Call, start);
	n->Call.func = func;
	if (args) {
		n->Call.args = args->Call.args;
		n->Call.keywords = args->Call.keywords;
	}
	return n;
}

/* genexp after a primary: a Call with the generator as only argument. */
static AstNode *genexp_trailer(Parser *p, int start, AstNode *func)
{
	AstNode *g = parse_genexp(p);
	if (!g)
		return NULL;
	AstNode *n = parse_node(p, AST_Call, start);
	n->Call.func = func;
	n->Call.args = parse_list1(p, g);
	return n;
}

static AstNode *subscript_trailer(Parser *p, int start, AstNode *value, AstCtx ctx)
{
	int m = p->mark;
	if (!parse_expect(p, TOK_LSQB))
		return NULL;
	AstNode *s = parse_slices(p);
	if (!s || !parse_expect(p, TOK_RSQB)) {
		p->mark = m;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_Subscript, start);
	n->Subscript.value = value;
	n->Subscript.slice = s;
	n->Subscript.ctx = ctx;
	return n;
}

static AstNode *attribute_trailer(Parser *p, int start, AstNode *value, AstCtx ctx)
{
	int m = p->mark;
	if (!parse_expect(p, TOK_DOT))
		return NULL;
	AstNode *name = parse_name(p);
	if (!name) {
		p->mark = m;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_Attribute, start);
	n->Attribute.value = value;
	n->Attribute.attr = name->Name.id;
	n->Attribute.ctx = ctx;
	return n;
}

/* rule:
 * primary:
 *     | primary '.' NAME
 *     | primary genexp
 *     | primary '(' [arguments] ')'
 *     | primary '[' slices ']'
 *     | atom
 */
static AstNode *primary(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_primary, &memo))
		return memo;
	int start = p->mark;
	AstNode *a = parse_atom(p);
	while (a) {
		AstNode *next = NULL;
		int m = p->mark;
		switch (parse_peek(p)->kind) {
		case TOK_DOT:
			next = attribute_trailer(p, start, a, CTX_Load);
			break;
		case TOK_LPAR:
			next = genexp_trailer(p, start, a);
			if (!next)
				next = call_trailer(p, start, a);
			break;
		case TOK_LSQB:
		case TOK_LBRACE:
			/* `primary genexp` comes first: a genexp cannot start
			 * here, but its invalid_comprehension alternative looks
			 * at '[' and '{' too */
			if (p->call_invalid) {
				parse_genexp(p);
				p->mark = m;
			}
			if (parse_check(p, TOK_LSQB))
				next = subscript_trailer(p, start, a, CTX_Load);
			break;
		default:
			break;
		}
		if (!next)
			break;
		a = next;
	}
	parse_memo_put(p, start, MEMO_primary, a);
	return a;
}

/* rule:
 * slices:
 *     | slice !','
 *     | ','.(slice | starred_expression)+ [',']
 */
AstNode *parse_slices(Parser *p)
{
	int start = p->mark;
	AstNode *a = slice(p);
	bool is_slice = a != NULL;
	if (!a)
		a = parse_starred_expression(p);
	if (!a)
		return NULL;
	if (is_slice && !parse_check(p, TOK_COMMA))
		return a;
	PtrVec elts = {0};
	ptrvec_push(p->arena, &elts, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = slice(p);
		if (!c)
			c = parse_starred_expression(p);
		if (!c) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &elts, c);
	}
	parse_expect(p, TOK_COMMA);
	return tuple_node(p, start, ast_list(p->arena, &elts), CTX_Load);
}

/* rule:
 * slice:
 *     | [expression] ':' [expression] [':' [expression]]
 *     | named_expression
 */
static AstNode *slice(Parser *p)
{
	int start = p->mark;
	AstNode *lower = parse_expression(p);
	if (parse_expect(p, TOK_COLON)) {
		AstNode *upper = parse_expression(p);
		AstNode *step = NULL;
		if (parse_expect(p, TOK_COLON))
			step = parse_expression(p);
		AstNode *n = parse_node(p, AST_Slice, start);
		n->Slice.lower = lower;
		n->Slice.upper = upper;
		n->Slice.step = step;
		return n;
	}
	p->mark = start;
	return parse_named_expression(p);
}

/* rule:
 * atom:
 *     | NAME
 *     | 'True'
 *     | 'False'
 *     | 'None'
 *     | &STRING strings
 *     | NUMBER
 *     | &'(' (tuple | group | genexp)
 *     | &'[' (list | listcomp)
 *     | &'{' (dict | set | dictcomp | setcomp)
 *     | '...'
 */
AstNode *parse_atom(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_peek(p);
	switch (t->kind) {
	case TOK_NAME:
		switch (t->kw) {
		case KW_True:
			p->mark++;
			return constant(p, start, CONST_TRUE);
		case KW_False:
			p->mark++;
			return constant(p, start, CONST_FALSE);
		case KW_None:
			p->mark++;
			return constant(p, start, CONST_NONE);
		default:
			return parse_name(p);
		}
	case TOK_STRING:
		return parse_strings(p);
	case TOK_NUMBER:
		p->mark++;
		return parse_number_token(p, t);
	case TOK_LPAR: {
		AstNode *a = parse_tuple(p);
		if (!a)
			a = group(p);
		if (!a)
			a = parse_genexp(p);
		return a;
	}
	case TOK_LSQB: {
		AstNode *a = parse_list(p);
		if (!a)
			a = parse_listcomp(p);
		return a;
	}
	case TOK_LBRACE: {
		AstNode *a = parse_dict(p);
		if (!a)
			a = parse_set(p);
		if (!a)
			a = parse_dictcomp(p);
		if (!a)
			a = parse_setcomp(p);
		return a;
	}
	case TOK_ELLIPSIS:
		p->mark++;
		return constant(p, start, CONST_ELLIPSIS);
	default:
		return NULL;
	}
}

/* rule:
 * group:
 *     | '(' (yield_expr | named_expression) ')'
 *     | invalid_group
 */
static AstNode *group(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_LPAR)) {
		AstNode *a = parse_yield_expr(p);
		if (!a)
			a = parse_named_expression(p);
		if (a && parse_expect(p, TOK_RPAR))
			return a;
	}
	p->mark = start;
	if (p->call_invalid) {
		invalid_group(p);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * lambdef:
 *     | 'lambda' [lambda_params] ':' expression
 */
static AstNode *lambdef(Parser *p)
{
	int start = p->mark;
	if (!parse_expect_kw(p, KW_lambda))
		return NULL;
	AstNode *args = parse_lambda_params(p);
	if (parse_expect(p, TOK_COLON)) {
		AstNode *body = parse_expression(p);
		if (body) {
			AstNode *n = parse_node(p, AST_Lambda, start);
			n->Lambda.args = args ? args : parse_empty_arguments(p);
			n->Lambda.body = body;
			return n;
		}
	}
	p->mark = start;
	return NULL;
}

/* rule: strings (memo): STRING+ */
AstNode *parse_strings(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_strings, &memo))
		return memo;
	int start = p->mark;
	while (parse_check(p, TOK_STRING))
		p->mark++;
	AstNode *res = NULL;
	if (p->mark > start)
		res = parse_concatenate_strings(p, start, p->mark - 1);
	parse_memo_put(p, start, MEMO_strings, res);
	return res;
}

/* ---- invalid rules (error pass only) ---- */

static bool is_legacy_stmt_name(const AstNode *a)
{
	return a->kind == AST_Name &&
	       (strcmp(a->Name.id, "print") == 0 || strcmp(a->Name.id, "exec") == 0);
}

/* SOFT_KEYWORD as CPython 3.11 matches it (_PyPegen_soft_keyword_token):
 * it compares only the name's length of each soft keyword, so any prefix of
 * one ("c", "ma") counts. */
static bool is_soft_keyword(PTok *t)
{
	static const char *const soft[] = {"match", "case", "_"};
	if (t->kind != TOK_NAME)
		return false;
	for (size_t i = 0; i < sizeof soft / sizeof soft[0]; i++)
		if ((size_t)t->len <= strlen(soft[i]) &&
		    memcmp(soft[i], t->start, (size_t)t->len) == 0)
			return true;
	return false;
}

/* rule:
 * invalid_expression:
 *    | !(NAME STRING | SOFT_KEYWORD) disjunction expression_without_invalid
 *    | disjunction 'if' disjunction !('else'|':')
 */
static void invalid_expression(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_peek(p);
	bool name_string = parse_is_name(t) && parse_peek_at(p, start + 1)->kind == TOK_STRING;
	if (!name_string && !is_soft_keyword(t)) {
		AstNode *a = parse_disjunction(p);
		if (a) {
			AstNode *b = parse_expression_without_invalid(p);
			if (b && !is_legacy_stmt_name(a) && p->toks[p->mark - 1]->level != 0)
				parse_raise(p, parse_range_loc(a, b),
					    "invalid syntax. Perhaps you forgot a comma?");
		}
	}
	p->mark = start;
	AstNode *a = parse_disjunction(p);
	if (a && parse_expect_kw(p, KW_if)) {
		AstNode *b = parse_disjunction(p);
		if (b && !parse_check_kw(p, KW_else) && !parse_check(p, TOK_COLON))
			parse_raise(p, parse_range_loc(a, b),
				    "expected 'else' after 'if' expression");
	}
}

/* rule:
 * invalid_legacy_expression:
 *     | NAME !'(' star_expressions
 */
static void invalid_legacy_expression(Parser *p)
{
	AstNode *a = parse_name(p);
	if (!a || parse_check(p, TOK_LPAR))
		return;
	AstNode *b = parse_star_expressions(p);
	if (b && is_legacy_stmt_name(a))
		parse_raise(p, parse_range_loc(a, b),
			    "Missing parentheses in call to '%s'. Did you mean %s(...)?",
			    a->Name.id, a->Name.id);
}

static bool check_eq_or_walrus(Parser *p)
{
	return parse_check(p, TOK_EQUAL) || parse_check(p, TOK_COLONEQUAL);
}

/* rule:
 * invalid_named_expression(memo):
 *     | expression ':=' expression
 *     | NAME '=' bitwise_or !('='|':=')
 *     | !(list|tuple|genexp|'True'|'None'|'False') bitwise_or '=' bitwise_or !('='|':=')
 */
static void invalid_named_expression(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_invalid_named_expression, &memo))
		return;
	int start = p->mark;
	AstNode *a = parse_expression(p);
	if (a && parse_expect(p, TOK_COLONEQUAL) && parse_expression(p))
		parse_raise(p, parse_node_loc(a), "cannot use assignment expressions with %s",
			    parse_expr_name(a));
	p->mark = start;
	a = parse_name(p);
	if (a && parse_expect(p, TOK_EQUAL)) {
		AstNode *b = parse_bitwise_or(p);
		if (b && !check_eq_or_walrus(p))
			parse_raise(p, parse_range_loc(a, b),
				    "invalid syntax. Maybe you meant '==' or ':=' instead of '='?");
	}
	p->mark = start;
	/* !(list|tuple|genexp|'True'|'None'|'False') */
	bool excluded = parse_list(p) || (p->mark = start, parse_tuple(p)) ||
			(p->mark = start, parse_genexp(p));
	p->mark = start;
	if (!excluded && !parse_check_kw(p, KW_True) && !parse_check_kw(p, KW_None) &&
	    !parse_check_kw(p, KW_False)) {
		a = parse_bitwise_or(p);
		if (a && parse_expect(p, TOK_EQUAL) && parse_bitwise_or(p) &&
		    !check_eq_or_walrus(p))
			parse_raise(
				p, parse_node_loc(a),
				"cannot assign to %s here. Maybe you meant '==' instead of '='?",
				parse_expr_name(a));
	}
	p->mark = start;
	parse_memo_put(p, start, MEMO_invalid_named_expression, NULL);
}

/* rule:
 * invalid_group:
 *     | '(' starred_expression ')'
 *     | '(' '**' expression ')'
 */
static void invalid_group(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LPAR))
		return;
	AstNode *a = parse_starred_expression(p);
	if (a && parse_check(p, TOK_RPAR))
		parse_raise(p, parse_node_loc(a), "cannot use starred expression here");
	p->mark = start + 1;
	PTok *t = parse_expect(p, TOK_DOUBLESTAR);
	if (t && parse_expression(p) && parse_check(p, TOK_RPAR))
		parse_raise(p, parse_tok_loc(t), "cannot use double starred expression here");
}
