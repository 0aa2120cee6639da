/*
 * parse_target.c - assignment, for/with and del targets.
 *
 * Targets are primaries that end in an attribute, a subscript or a name,
 * possibly starred and grouped in tuples and lists. t_primary parses the
 * "object" part of a target: a primary that is still followed by '.', '('
 * or '[' (t_lookahead), so that `a.b.c = 1` stores into attribute c of the
 * loaded value a.b. Nodes built here carry the Store or Del context.
 */
#include "parse_internal.h"

static AstNode *target_with_star_atom(Parser *p);

/* rule: t_lookahead: '(' | '[' | '.' */
bool parse_t_lookahead(Parser *p)
{
	TokKind k = parse_peek(p)->kind;
	return k == TOK_LPAR || k == TOK_LSQB || k == TOK_DOT;
}

static AstNode *attribute(Parser *p, int start, AstNode *value, AstCtx ctx)
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

static AstNode *subscript(Parser *p, int start, AstNode *value, AstCtx ctx)
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

static AstNode *call(Parser *p, int start, AstNode *func)
{
	int m = p->mark;
	AstNode *g = parse_genexp(p);
	if (g) {
		AstNode *n = parse_node(p, AST_Call, start);
		n->Call.func = func;
		n->Call.args = parse_list1(p, g);
		return n;
	}
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

/* One t_primary growth step: a trailer that is itself followed by
 * t_lookahead. The alternatives are tried in the grammar's order. */
static AstNode *t_primary_step(Parser *p, int start, AstNode *a)
{
	int m = p->mark;
	AstNode *n = attribute(p, start, a, CTX_Load);
	if (n && parse_t_lookahead(p))
		return n;
	p->mark = m;
	n = subscript(p, start, a, CTX_Load);
	if (n && parse_t_lookahead(p))
		return n;
	p->mark = m;
	n = call(p, start, a);
	if (n && parse_t_lookahead(p))
		return n;
	p->mark = m;
	return NULL;
}

/* rule:
 * t_primary:
 *     | t_primary '.' NAME &t_lookahead
 *     | t_primary '[' slices ']' &t_lookahead
 *     | t_primary genexp &t_lookahead
 *     | t_primary '(' [arguments] ')' &t_lookahead
 *     | atom &t_lookahead
 */
AstNode *parse_t_primary(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_t_primary, &memo))
		return memo;
	int start = p->mark;
	AstNode *a = parse_atom(p); /* atom &t_lookahead, then grow */
	if (a && !parse_t_lookahead(p))
		a = NULL;
	if (a) {
		AstNode *next;
		while ((next = t_primary_step(p, start, a)) != NULL)
			a = next;
	} else {
		p->mark = start;
	}
	parse_memo_put(p, start, MEMO_t_primary, a);
	return a;
}

/* t_primary '.' NAME !t_lookahead | t_primary '[' slices ']' !t_lookahead */
static AstNode *attr_or_subscript_target(Parser *p, AstCtx ctx)
{
	int start = p->mark;
	AstNode *a = parse_t_primary(p);
	if (!a)
		return NULL;
	int m = p->mark;
	AstNode *n = attribute(p, start, a, ctx);
	if (n && !parse_t_lookahead(p))
		return n;
	p->mark = m;
	n = subscript(p, start, a, ctx);
	if (n && !parse_t_lookahead(p))
		return n;
	p->mark = start;
	return NULL;
}

/* rule:
 * single_subscript_attribute_target:
 *     | t_primary '.' NAME !t_lookahead
 *     | t_primary '[' slices ']' !t_lookahead
 */
AstNode *parse_single_subscript_attribute_target(Parser *p)
{
	return attr_or_subscript_target(p, CTX_Store);
}

/* rule:
 * single_target:
 *     | single_subscript_attribute_target
 *     | NAME
 *     | '(' single_target ')'
 */
AstNode *parse_single_target(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_single_subscript_attribute_target(p);
	if (a)
		return a;
	a = parse_name(p);
	if (a)
		return parse_set_ctx(p, a, CTX_Store);
	if (parse_expect(p, TOK_LPAR)) {
		a = parse_single_target(p);
		if (a && parse_expect(p, TOK_RPAR))
			return a;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * star_targets:
 *     | star_target !','
 *     | star_target (',' star_target)* [',']
 */
AstNode *parse_star_targets(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_star_target(p);
	if (!a)
		return NULL;
	if (!parse_check(p, TOK_COMMA))
		return a;
	PtrVec rest = {0};
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = parse_star_target(p);
		if (!c) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &rest, c);
	}
	parse_expect(p, TOK_COMMA);
	AstNode *n = parse_node(p, AST_Tuple, start);
	n->Tuple.elts = parse_list_prepend(p, a, &rest);
	n->Tuple.ctx = CTX_Store;
	return n;
}

/* rule: star_targets_list_seq: ','.star_target+ [','] */
/* rule:
 * star_targets_tuple_seq:
 *     | star_target (',' star_target)+ [',']
 *     | star_target ','
 */
/* ','.star_target+ [','] into out; for the tuple form (`tuple` true) one
 * item needs its trailing comma. */
static bool star_targets_list_seq(Parser *p, PtrVec *out, bool tuple)
{
	int start = p->mark;
	AstNode *a = parse_star_target(p);
	if (!a)
		return false;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		AstNode *c = parse_star_target(p);
		if (!c) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, c);
	}
	bool comma = parse_expect(p, TOK_COMMA) != NULL;
	if (tuple && out->n == 1 && !comma) {
		p->mark = start;
		out->n = 0;
		return false;
	}
	return true;
}

/* rule:
 * star_target (memo):
 *     | '*' (!'*' star_target)
 *     | target_with_star_atom
 */
AstNode *parse_star_target(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_star_target, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = NULL;
	if (parse_expect(p, TOK_STAR)) {
		if (!parse_check(p, TOK_STAR)) {
			parse_enter(p);
			AstNode *a = parse_star_target(p);
			parse_leave(p);
			if (a) {
				res = parse_node(p, AST_Starred, start);
				res->Starred.value = parse_set_ctx(p, a, CTX_Store);
				res->Starred.ctx = CTX_Store;
			}
		}
		if (!res)
			p->mark = start;
	} else {
		res = target_with_star_atom(p);
	}
	parse_memo_put(p, start, MEMO_star_target, res);
	return res;
}

/* rule:
 * star_atom:
 *     | NAME
 *     | '(' target_with_star_atom ')'
 *     | '(' [star_targets_tuple_seq] ')'
 *     | '[' [star_targets_list_seq] ']'
 */
static AstNode *star_atom(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_name(p);
	if (a)
		return parse_set_ctx(p, a, CTX_Store);
	PtrVec elts = {0};
	if (parse_expect(p, TOK_LPAR)) {
		a = target_with_star_atom(p);
		if (a && parse_expect(p, TOK_RPAR))
			return parse_set_ctx(p, a, CTX_Store);
		p->mark = start + 1;
		star_targets_list_seq(p, &elts, true);
		if (parse_expect(p, TOK_RPAR)) {
			AstNode *n = parse_node(p, AST_Tuple, start);
			n->Tuple.elts = ast_list(p->arena, &elts);
			n->Tuple.ctx = CTX_Store;
			return n;
		}
	} else if (parse_expect(p, TOK_LSQB)) {
		star_targets_list_seq(p, &elts, false);
		if (parse_expect(p, TOK_RSQB)) {
			AstNode *n = parse_node(p, AST_List, start);
			n->List.elts = ast_list(p->arena, &elts);
			n->List.ctx = CTX_Store;
			return n;
		}
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * target_with_star_atom (memo):
 *     | t_primary '.' NAME !t_lookahead
 *     | t_primary '[' slices ']' !t_lookahead
 *     | star_atom
 */
static AstNode *target_with_star_atom(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_target_with_star_atom, &memo))
		return memo;
	int start = p->mark;
	parse_enter(p);
	AstNode *res = attr_or_subscript_target(p, CTX_Store);
	if (!res)
		res = star_atom(p);
	parse_leave(p);
	parse_memo_put(p, start, MEMO_target_with_star_atom, res);
	return res;
}

/* ---- del targets ---- */

static AstNode *del_target(Parser *p);

/* rule: del_targets: ','.del_target+ [','] */
AstList parse_del_targets(Parser *p, bool *ok)
{
	PtrVec v = {0};
	*ok = false;
	AstNode *a = del_target(p);
	if (!a)
		return ast_list(p->arena, &v);
	ptrvec_push(p->arena, &v, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		a = del_target(p);
		if (!a) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &v, a);
	}
	parse_expect(p, TOK_COMMA);
	*ok = true;
	return ast_list(p->arena, &v);
}

/* rule:
 * del_t_atom:
 *     | NAME
 *     | '(' del_target ')'
 *     | '(' [del_targets] ')'
 *     | '[' [del_targets] ']'
 */
static AstNode *del_t_atom(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_name(p);
	if (a)
		return parse_set_ctx(p, a, CTX_Del);
	bool ok;
	if (parse_expect(p, TOK_LPAR)) {
		a = del_target(p);
		if (a && parse_expect(p, TOK_RPAR))
			return parse_set_ctx(p, a, CTX_Del);
		p->mark = start + 1;
		AstList l = parse_del_targets(p, &ok);
		if (parse_expect(p, TOK_RPAR)) {
			AstNode *n = parse_node(p, AST_Tuple, start);
			n->Tuple.elts = l;
			n->Tuple.ctx = CTX_Del;
			return n;
		}
	} else if (parse_expect(p, TOK_LSQB)) {
		AstList l = parse_del_targets(p, &ok);
		if (parse_expect(p, TOK_RSQB)) {
			AstNode *n = parse_node(p, AST_List, start);
			n->List.elts = l;
			n->List.ctx = CTX_Del;
			return n;
		}
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * del_target (memo):
 *     | t_primary '.' NAME !t_lookahead
 *     | t_primary '[' slices ']' !t_lookahead
 *     | del_t_atom
 */
static AstNode *del_target(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_del_target, &memo))
		return memo;
	int start = p->mark;
	parse_enter(p);
	AstNode *res = attr_or_subscript_target(p, CTX_Del);
	if (!res)
		res = del_t_atom(p);
	parse_leave(p);
	parse_memo_put(p, start, MEMO_del_target, res);
	return res;
}
