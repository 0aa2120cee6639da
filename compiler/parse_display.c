/*
 * parse_display.c - displays and comprehensions (list, tuple, set, dict and
 * their comprehensions, generator expressions) and call arguments.
 *
 * A call's arguments are collected as CPython's args rule does: positional
 * items first, then keyword items, where a `*x` among the keywords still
 * goes to the positional list (_PyPegen_collect_call_seqs). Comprehension
 * clauses (for/if) build comprehension nodes, which have no positions.
 * The invalid_* rules of this file run only in the error pass.
 */
#include "parse_internal.h"

static KeyValuePair *kvpair(Parser *p);
static void invalid_comprehension(Parser *p);
static void invalid_dict_comprehension(Parser *p);
static void invalid_arguments(Parser *p);
static void invalid_kwarg(Parser *p);
static void invalid_double_starred_kvpairs(Parser *p);

/* ---- displays ---- */

/* rule:
 * list:
 *     | '[' [star_named_expressions] ']'
 */
AstNode *parse_list(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LSQB))
		return NULL;
	PtrVec elts = {0};
	parse_star_named_expressions(p, &elts);
	if (!parse_expect(p, TOK_RSQB)) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_List, start);
	n->List.elts = ast_list(p->arena, &elts);
	n->List.ctx = CTX_Load;
	return n;
}

/* rule:
 * tuple:
 *     | '(' [star_named_expression ',' [star_named_expressions]] ')'
 */
AstNode *parse_tuple(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LPAR))
		return NULL;
	PtrVec elts = {0};
	int m = p->mark;
	AstNode *y = parse_star_named_expression(p);
	if (y && parse_expect(p, TOK_COMMA)) {
		ptrvec_push(p->arena, &elts, y);
		parse_star_named_expressions(p, &elts);
	} else {
		p->mark = m;
	}
	if (!parse_expect(p, TOK_RPAR)) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_Tuple, start);
	n->Tuple.elts = ast_list(p->arena, &elts);
	n->Tuple.ctx = CTX_Load;
	return n;
}

/* rule: set: '{' star_named_expressions '}' */
AstNode *parse_set(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LBRACE))
		return NULL;
	PtrVec elts = {0};
	if (parse_star_named_expressions(p, &elts) && parse_expect(p, TOK_RBRACE)) {
		AstNode *n = parse_node(p, AST_Set, start);
		n->Set.elts = ast_list(p->arena, &elts);
		return n;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * double_starred_kvpair:
 *     | '**' bitwise_or
 *     | kvpair
 */
static KeyValuePair *double_starred_kvpair(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_DOUBLESTAR)) {
		AstNode *a = parse_bitwise_or(p);
		if (a) {
			KeyValuePair *kv = arena_alloc(p->arena, sizeof *kv);
			kv->value = a;
			return kv;
		}
		p->mark = start;
	}
	return kvpair(p);
}

/* rule: double_starred_kvpairs: ','.double_starred_kvpair+ [','] */
static bool double_starred_kvpairs(Parser *p, PtrVec *out)
{
	KeyValuePair *kv = double_starred_kvpair(p);
	if (!kv)
		return false;
	ptrvec_push(p->arena, out, kv);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		kv = double_starred_kvpair(p);
		if (!kv) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, kv);
	}
	parse_expect(p, TOK_COMMA);
	return true;
}

/* rule: kvpair: expression ':' expression */
static KeyValuePair *kvpair(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_expression(p);
	if (a && parse_expect(p, TOK_COLON)) {
		AstNode *b = parse_expression(p);
		if (b) {
			KeyValuePair *kv = arena_alloc(p->arena, sizeof *kv);
			kv->key = a;
			kv->value = b;
			return kv;
		}
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * dict:
 *     | '{' [double_starred_kvpairs] '}'
 *     | '{' invalid_double_starred_kvpairs '}'
 */
AstNode *parse_dict(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LBRACE))
		return NULL;
	PtrVec kvs = {0};
	double_starred_kvpairs(p, &kvs);
	if (parse_expect(p, TOK_RBRACE)) {
		AstNode *n = parse_node(p, AST_Dict, start);
		n->Dict.keys.n = n->Dict.values.n = kvs.n;
		n->Dict.keys.items = arena_alloc(p->arena, sizeof(AstNode *) * (size_t)kvs.n + 1);
		n->Dict.values.items = arena_alloc(p->arena, sizeof(AstNode *) * (size_t)kvs.n + 1);
		for (int i = 0; i < kvs.n; i++) {
			KeyValuePair *kv = kvs.items[i];
			n->Dict.keys.items[i] = kv->key;
			n->Dict.values.items[i] = kv->value;
		}
		return n;
	}
	/* '{' invalid_double_starred_kvpairs '}': not a lone invalid_ rule, so
	 * pegen runs it in the first pass too */
	p->mark = start + 1;
	invalid_double_starred_kvpairs(p);
	p->mark = start;
	return NULL;
}

/* rule:
 * for_if_clause:
 *     | ASYNC 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
 *     | 'for' star_targets 'in' ~ disjunction ('if' disjunction)*
 *     | invalid_for_target
 */
/* rule:
 * invalid_for_target:
 *     | ASYNC? 'for' star_expressions
 */
static AstNode *for_if_clause(Parser *p)
{
	int start = p->mark;
	bool is_async = parse_expect_kw(p, KW_async) != NULL;
	if (parse_expect_kw(p, KW_for)) {
		AstNode *target = parse_star_targets(p);
		if (target && parse_expect_kw(p, KW_in)) {
			/* ~ (cut): from here on, no other alternative */
			AstNode *iter = parse_disjunction(p);
			if (!iter) {
				p->mark = start;
				return NULL;
			}
			PtrVec ifs = {0};
			for (;;) {
				int m = p->mark;
				if (!parse_expect_kw(p, KW_if))
					break;
				AstNode *z = parse_disjunction(p);
				if (!z) {
					p->mark = m;
					break;
				}
				ptrvec_push(p->arena, &ifs, z);
			}
			AstNode *n = ast_new(p->arena, AST_comprehension, 0, 0, 0, 0);
			n->comprehension.target = target;
			n->comprehension.iter = iter;
			n->comprehension.ifs = ast_list(p->arena, &ifs);
			n->comprehension.is_async = is_async;
			return n;
		}
	}
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
 * for_if_clauses:
 *     | for_if_clause+
 */
AstList parse_for_if_clauses(Parser *p, bool *ok)
{
	PtrVec v = {0};
	AstNode *c;
	while ((c = for_if_clause(p)) != NULL)
		ptrvec_push(p->arena, &v, c);
	*ok = v.n > 0;
	return ast_list(p->arena, &v);
}

/* Shared shape of listcomp/setcomp/genexp: open elt for_if_clauses close. */
static AstNode *comprehension(Parser *p, TokKind open, TokKind close, AstKind kind)
{
	int start = p->mark;
	if (parse_expect(p, open)) {
		AstNode *elt;
		if (kind == AST_GeneratorExp) {
			elt = parse_assignment_expression(p);
			if (!elt) {
				elt = parse_expression(p);
				if (elt && parse_check(p, TOK_COLONEQUAL))
					elt = NULL;
			}
		} else {
			elt = parse_named_expression(p);
		}
		bool ok = false;
		AstList gens = {0, NULL};
		if (elt)
			gens = parse_for_if_clauses(p, &ok);
		if (ok && parse_expect(p, close)) {
			AstNode *n = parse_node(p, kind, start);
			/* ListComp, SetComp and GeneratorExp share their layout */
			n->ListComp.elt = elt;
			n->ListComp.generators = gens;
			return n;
		}
	}
	p->mark = start;
	if (p->call_invalid) {
		invalid_comprehension(p);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * listcomp:
 *     | '[' named_expression for_if_clauses ']'
 *     | invalid_comprehension
 */
AstNode *parse_listcomp(Parser *p)
{
	return comprehension(p, TOK_LSQB, TOK_RSQB, AST_ListComp);
}

/* rule:
 * setcomp:
 *     | '{' named_expression for_if_clauses '}'
 *     | invalid_comprehension
 */
AstNode *parse_setcomp(Parser *p)
{
	return comprehension(p, TOK_LBRACE, TOK_RBRACE, AST_SetComp);
}

/* rule:
 * genexp:
 *     | '(' (assignment_expression | expression !':=') for_if_clauses ')'
 *     | invalid_comprehension
 */
AstNode *parse_genexp(Parser *p)
{
	return comprehension(p, TOK_LPAR, TOK_RPAR, AST_GeneratorExp);
}

/* rule:
 * dictcomp:
 *     | '{' kvpair for_if_clauses '}'
 *     | invalid_dict_comprehension
 */
AstNode *parse_dictcomp(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_LBRACE)) {
		KeyValuePair *kv = kvpair(p);
		bool ok = false;
		AstList gens = {0, NULL};
		if (kv)
			gens = parse_for_if_clauses(p, &ok);
		if (ok && parse_expect(p, TOK_RBRACE)) {
			AstNode *n = parse_node(p, AST_DictComp, start);
			n->DictComp.key = kv->key;
			n->DictComp.value = kv->value;
			n->DictComp.generators = gens;
			return n;
		}
	}
	p->mark = start;
	if (p->call_invalid) {
		invalid_dict_comprehension(p);
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * arguments (memo):
 *     | args [','] &')'
 *     | invalid_arguments
 */
AstNode *parse_arguments(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_arguments, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = parse_args(p);
	if (res) {
		parse_expect(p, TOK_COMMA);
		if (!parse_check(p, TOK_RPAR))
			res = NULL;
	}
	if (!res) {
		p->mark = start;
		if (p->call_invalid) {
			invalid_arguments(p);
			p->mark = start;
		}
	}
	parse_memo_put(p, start, MEMO_arguments, res);
	return res;
}

/* rule:
 * starred_expression:
 *     | '*' expression
 */
AstNode *parse_starred_expression(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_STAR))
		return NULL;
	AstNode *a = parse_expression(p);
	if (!a) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = parse_node(p, AST_Starred, start);
	n->Starred.value = a;
	n->Starred.ctx = CTX_Load;
	return n;
}

/* NAME '=' expression -> keyword */
static AstNode *keyword_arg(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_peek(p);
	if (!parse_is_name(t) || parse_peek_at(p, start + 1)->kind != TOK_EQUAL)
		return NULL;
	AstNode *name = parse_name(p);
	if (!name)
		return NULL;
	p->mark++;
	AstNode *v = parse_expression(p);
	if (!v) {
		p->mark = start;
		return NULL;
	}
	AstNode *k = parse_node(p, AST_keyword, start);
	k->keyword.arg = name->Name.id;
	k->keyword.value = v;
	return k;
}

/* rule:
 * kwarg_or_starred:
 *     | invalid_kwarg
 *     | NAME '=' expression
 *     | starred_expression
 */
/* rule:
 * kwarg_or_double_starred:
 *     | invalid_kwarg
 *     | NAME '=' expression
 *     | '**' expression
 */
static KeywordOrStarred *kwarg_or_starred(Parser *p, bool double_starred)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_kwarg(p);
		p->mark = start;
	}
	KeywordOrStarred *ks = arena_alloc(p->arena, sizeof *ks);
	AstNode *k = keyword_arg(p);
	if (k) {
		ks->element = k;
		ks->is_keyword = true;
		return ks;
	}
	if (!double_starred) {
		AstNode *s = parse_starred_expression(p);
		if (!s)
			return NULL;
		ks->element = s;
		return ks;
	}
	if (!parse_expect(p, TOK_DOUBLESTAR))
		return NULL;
	AstNode *v = parse_expression(p);
	if (!v) {
		p->mark = start;
		return NULL;
	}
	k = parse_node(p, AST_keyword, start);
	k->keyword.value = v;
	ks->element = k;
	ks->is_keyword = true;
	return ks;
}

/* ','.item+ for kwargs; false when there is none. */
static bool kwarg_list(Parser *p, bool double_starred, PtrVec *out)
{
	KeywordOrStarred *ks = kwarg_or_starred(p, double_starred);
	if (!ks)
		return false;
	ptrvec_push(p->arena, out, ks);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		ks = kwarg_or_starred(p, double_starred);
		if (!ks) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, ks);
	}
	return true;
}

/* rule:
 * kwargs:
 *     | ','.kwarg_or_starred+ ',' ','.kwarg_or_double_starred+
 *     | ','.kwarg_or_starred+
 *     | ','.kwarg_or_double_starred+
 */
static bool kwargs(Parser *p, PtrVec *out)
{
	int start = p->mark;
	if (kwarg_list(p, false, out)) {
		int m = p->mark;
		if (parse_expect(p, TOK_COMMA) && kwarg_list(p, true, out))
			return true;
		p->mark = m;
		return true;
	}
	p->mark = start;
	return kwarg_list(p, true, out);
}

/* The Call shell that args returns: starred items of kwargs go to args. */
static AstNode *collect_call_seqs(Parser *p, int start, const PtrVec *pos, const PtrVec *kw)
{
	PtrVec args = {0}, keywords = {0};
	for (int i = 0; i < pos->n; i++)
		ptrvec_push(p->arena, &args, pos->items[i]);
	for (int i = 0; i < kw->n; i++) {
		KeywordOrStarred *ks = kw->items[i];
		ptrvec_push(p->arena, ks->is_keyword ? &keywords : &args, ks->element);
	}
	AstNode *n = parse_node(p, AST_Call, start);
	n->Call.args = ast_list(p->arena, &args);
	n->Call.keywords = ast_list(p->arena, &keywords);
	return n;
}

/* One positional argument: starred_expression | (assignment_expression |
 * expression !':=') !'=' */
static AstNode *positional_arg(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_starred_expression(p);
	if (a)
		return a;
	a = parse_assignment_expression(p);
	if (!a) {
		a = parse_expression(p);
		if (a && parse_check(p, TOK_COLONEQUAL))
			a = NULL;
	}
	if (a && !parse_check(p, TOK_EQUAL))
		return a;
	p->mark = start;
	return NULL;
}

/* rule:
 * args:
 *     | ','.(starred_expression | (assignment_expression | expression !':=') !'=')+ [',' kwargs]
 *     | kwargs
 */
AstNode *parse_args(Parser *p)
{
	int start = p->mark;
	PtrVec pos = {0}, kw = {0};
	AstNode *a = positional_arg(p);
	if (a) {
		ptrvec_push(p->arena, &pos, a);
		for (;;) {
			int m = p->mark;
			if (!parse_expect(p, TOK_COMMA))
				break;
			a = positional_arg(p);
			if (!a) {
				p->mark = m;
				break;
			}
			ptrvec_push(p->arena, &pos, a);
		}
		int m = p->mark;
		if (!(parse_expect(p, TOK_COMMA) && kwargs(p, &kw))) {
			p->mark = m;
			kw.n = 0;
		}
		return collect_call_seqs(p, start, &pos, &kw);
	}
	p->mark = start;
	if (kwargs(p, &kw))
		return collect_call_seqs(p, start, &pos, &kw);
	p->mark = start;
	return NULL;
}

/* rule:
 * invalid_comprehension:
 *     | ('[' | '(' | '{') starred_expression for_if_clauses
 *     | ('[' | '{') star_named_expression ',' star_named_expressions for_if_clauses
 *     | ('[' | '{') star_named_expression ',' for_if_clauses
 */
static void invalid_comprehension(Parser *p)
{
	int start = p->mark;
	PTok *open = parse_peek(p);
	if (open->kind != TOK_LSQB && open->kind != TOK_LPAR && open->kind != TOK_LBRACE)
		return;
	p->mark++;
	bool ok;
	AstNode *a = parse_starred_expression(p);
	if (a) {
		parse_for_if_clauses(p, &ok);
		if (ok)
			parse_raise(p, parse_node_loc(a),
				    "iterable unpacking cannot be used in comprehension");
	}
	if (open->kind == TOK_LPAR)
		return;
	p->mark = start + 1;
	a = parse_star_named_expression(p);
	if (!a)
		return;
	int m = p->mark;
	PTok *comma = parse_expect(p, TOK_COMMA);
	if (!comma)
		return;
	PtrVec rest = {0};
	if (parse_star_named_expressions(p, &rest)) {
		parse_for_if_clauses(p, &ok);
		if (ok)
			parse_raise(p, parse_range_loc(a, rest.items[rest.n - 1]),
				    "did you forget parentheses around the comprehension target?");
	}
	p->mark = m + 1;
	parse_for_if_clauses(p, &ok);
	if (ok)
		parse_raise(p, srcloc(a->lineno, a->col_offset, comma->end_lineno, comma->end_col),
			    "did you forget parentheses around the comprehension target?");
}

/* rule:
 * invalid_dict_comprehension:
 *     | '{' '**' bitwise_or for_if_clauses '}'
 */
static void invalid_dict_comprehension(Parser *p)
{
	if (!parse_expect(p, TOK_LBRACE))
		return;
	PTok *a = parse_expect(p, TOK_DOUBLESTAR);
	if (!a || !parse_bitwise_or(p))
		return;
	bool ok;
	parse_for_if_clauses(p, &ok);
	if (ok && parse_check(p, TOK_RBRACE))
		parse_raise(p, parse_tok_loc(a),
			    "dict unpacking cannot be used in dict comprehension");
}

static AstNode *last_comprehension_item(AstList gens)
{
	AstNode *c = gens.items[gens.n - 1];
	if (c->comprehension.ifs.n == 0)
		return c->comprehension.iter;
	return c->comprehension.ifs.items[c->comprehension.ifs.n - 1];
}

/* rule:
 * invalid_arguments:
 *     | args ',' '*'
 *     | expression for_if_clauses ',' [args | expression for_if_clauses]
 *     | NAME '=' expression for_if_clauses
 *     | args for_if_clauses
 *     | args ',' expression for_if_clauses
 *     | args ',' args
 */
static void invalid_arguments(Parser *p)
{
	int start = p->mark;
	bool ok;
	AstNode *a = parse_args(p);
	if (a && parse_expect(p, TOK_COMMA) && parse_check(p, TOK_STAR))
		parse_raise(p, parse_node_loc(a),
			    "iterable argument unpacking follows keyword argument unpacking");
	p->mark = start;
	a = parse_expression(p);
	if (a) {
		AstList gens = parse_for_if_clauses(p, &ok);
		if (ok && parse_expect(p, TOK_COMMA))
			parse_raise(p, parse_range_loc(a, last_comprehension_item(gens)),
				    "Generator expression must be parenthesized");
	}
	p->mark = start;
	a = parse_name(p);
	if (a) {
		PTok *eq = parse_expect(p, TOK_EQUAL);
		if (eq && parse_expression(p)) {
			parse_for_if_clauses(p, &ok);
			if (ok)
				parse_raise(
					p,
					srcloc(a->lineno, a->col_offset, eq->end_lineno,
					       eq->end_col),
					"invalid syntax. Maybe you meant '==' or ':=' instead of "
					"'='?");
		}
	}
	p->mark = start;
	a = parse_args(p);
	if (a) {
		AstList gens = parse_for_if_clauses(p, &ok);
		if (ok && a->Call.args.n > 1)
			parse_raise(p,
				    parse_range_loc(a->Call.args.items[a->Call.args.n - 1],
						    last_comprehension_item(gens)),
				    "Generator expression must be parenthesized");
	}
	p->mark = start;
	if (parse_args(p) && parse_expect(p, TOK_COMMA)) {
		AstNode *b = parse_expression(p);
		if (b) {
			AstList gens = parse_for_if_clauses(p, &ok);
			if (ok)
				parse_raise(p, parse_range_loc(b, last_comprehension_item(gens)),
					    "Generator expression must be parenthesized");
		}
	}
	p->mark = start;
	a = parse_args(p);
	if (a && parse_expect(p, TOK_COMMA) && parse_args(p)) {
		bool unpacking = false;
		for (int i = 0; i < a->Call.keywords.n; i++)
			if (!a->Call.keywords.items[i]->keyword.arg)
				unpacking = true;
		parse_raise_last(
			p, unpacking ? "positional argument follows keyword argument unpacking"
				     : "positional argument follows keyword argument");
	}
}

/* rule:
 * invalid_kwarg:
 *     | ('True'|'False'|'None') '='
 *     | NAME '=' expression for_if_clauses
 *     | !(NAME '=') expression '='
 */
static void invalid_kwarg(Parser *p)
{
	int start = p->mark;
	PTok *t = parse_peek(p);
	if (t->kind == TOK_NAME && (t->kw == KW_True || t->kw == KW_False || t->kw == KW_None)) {
		p->mark++;
		PTok *eq = parse_expect(p, TOK_EQUAL);
		if (eq)
			parse_raise(p, srcloc(t->lineno, t->col, eq->end_lineno, eq->end_col),
				    "cannot assign to %s",
				    arena_strndup(p->arena, t->start, (size_t)t->len));
	}
	p->mark = start;
	AstNode *a = parse_name(p);
	if (a) {
		PTok *eq = parse_expect(p, TOK_EQUAL);
		if (eq && parse_expression(p)) {
			bool ok;
			parse_for_if_clauses(p, &ok);
			if (ok)
				parse_raise(
					p,
					srcloc(a->lineno, a->col_offset, eq->end_lineno,
					       eq->end_col),
					"invalid syntax. Maybe you meant '==' or ':=' instead of "
					"'='?");
		}
	}
	p->mark = start;
	/* !(NAME '=') expression '=' */
	if (parse_is_name(parse_peek(p)) && parse_peek_at(p, start + 1)->kind == TOK_EQUAL)
		return;
	a = parse_expression(p);
	if (a) {
		PTok *eq = parse_expect(p, TOK_EQUAL);
		if (eq)
			parse_raise(
				p, srcloc(a->lineno, a->col_offset, eq->end_lineno, eq->end_col),
				"expression cannot contain assignment, perhaps you meant \"==\"?");
	}
}

/* rule:
 * invalid_kvpair:
 *     | expression !(':')
 *     | expression ':' '*' bitwise_or
 *     | expression ':' &('}'|',')
 */
static void invalid_kvpair(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_expression(p);
	if (!a)
		return;
	if (!parse_check(p, TOK_COLON))
		parse_raise(p, srcloc(a->lineno, a->end_col_offset - 1, a->end_lineno, -1),
			    "':' expected after dictionary key");
	p->mark = start;
	a = parse_expression(p);
	if (!a || !parse_expect(p, TOK_COLON))
		return;
	int m = p->mark;
	PTok *star = parse_expect(p, TOK_STAR);
	if (star && parse_bitwise_or(p))
		parse_raise(p, srcloc(star->lineno, star->col, star->end_lineno, -1),
			    "cannot use a starred expression in a dictionary value");
	p->mark = m;
	PTok *colon = p->toks[m - 1];
	if (parse_check(p, TOK_RBRACE) || parse_check(p, TOK_COMMA))
		parse_raise(p, parse_tok_loc(colon),
			    "expression expected after dictionary key and ':'");
}

/* rule:
 * invalid_double_starred_kvpairs:
 *     | ','.double_starred_kvpair+ ',' invalid_kvpair
 *     | expression ':' '*' bitwise_or
 *     | expression ':' &('}'|',')
 */
static void invalid_double_starred_kvpairs(Parser *p)
{
	int start = p->mark;
	PtrVec kvs = {0};
	if (double_starred_kvpair(p)) {
		/* ','.double_starred_kvpair+ ',' invalid_kvpair */
		ptrvec_push(p->arena, &kvs, NULL);
		for (;;) {
			int m = p->mark;
			if (!parse_expect(p, TOK_COMMA))
				break;
			int m2 = p->mark;
			invalid_kvpair(p);
			p->mark = m2;
			if (!double_starred_kvpair(p)) {
				p->mark = m;
				break;
			}
		}
	}
	p->mark = start;
	AstNode *a = parse_expression(p);
	if (!a || !parse_check(p, TOK_COLON))
		return;
	PTok *colon = parse_advance(p);
	int m = p->mark;
	PTok *star = parse_expect(p, TOK_STAR);
	if (star && parse_bitwise_or(p))
		parse_raise(p, srcloc(star->lineno, star->col, star->end_lineno, -1),
			    "cannot use a starred expression in a dictionary value");
	p->mark = m;
	if (parse_check(p, TOK_RBRACE) || parse_check(p, TOK_COMMA))
		parse_raise(p, parse_tok_loc(colon),
			    "expression expected after dictionary key and ':'");
}
