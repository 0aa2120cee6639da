/*
 * parse_pattern.c - the match statement and its patterns (PEP 634).
 *
 * "match", "case" and "_" are soft keywords: NAME tokens that act as
 * keywords only where these rules look for them, so `match = 1` is still an
 * assignment (compound_stmt tries match_stmt, then simple statements).
 * Patterns build the pattern nodes of the AST (MatchValue, MatchAs, ...);
 * literal values and dotted names inside them are ordinary expressions.
 */
#include "parse_internal.h"

static AstNode *pattern(Parser *p);
static AstNode *closed_pattern(Parser *p);

static AstNode *pnode(Parser *p, AstKind kind, int start)
{
	return parse_node(p, kind, start);
}

/* rule:
 * pattern_capture_target:
 *     | !"_" NAME !('.' | '(' | '=')
 */
static AstNode *pattern_capture_target(Parser *p)
{
	int start = p->mark;
	if (parse_check_kw(p, KW_underscore))
		return NULL;
	AstNode *name = parse_name(p);
	if (!name)
		return NULL;
	TokKind k = parse_peek(p)->kind;
	if (k == TOK_DOT || k == TOK_LPAR || k == TOK_EQUAL) {
		p->mark = start;
		return NULL;
	}
	return parse_set_ctx(p, name, CTX_Store);
}

/* rule:
 * attr:
 *     | name_or_attr '.' NAME
 */
/* rule:
 * name_or_attr:
 *     | attr
 *     | NAME
 */
/* NAME ('.' NAME)*: the Attribute chain, or the NAME alone when
 * `need_dot` is false. */
static AstNode *name_or_attr(Parser *p, bool need_dot)
{
	int start = p->mark;
	AstNode *a = parse_name(p);
	if (!a)
		return NULL;
	bool dotted = false;
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_DOT))
			break;
		AstNode *b = parse_name(p);
		if (!b) {
			p->mark = m;
			break;
		}
		AstNode *n = pnode(p, AST_Attribute, start);
		n->Attribute.value = a;
		n->Attribute.attr = b->Name.id;
		n->Attribute.ctx = CTX_Load;
		a = n;
		dotted = true;
	}
	if (need_dot && !dotted) {
		p->mark = start;
		return NULL;
	}
	return a;
}

/* rule:
 * real_number:
 *     | NUMBER
 */
/* rule:
 * imaginary_number:
 *     | NUMBER
 */
static AstNode *real_number(Parser *p, bool imaginary)
{
	PTok *t = parse_peek(p);
	if (t->kind != TOK_NUMBER)
		return NULL;
	p->mark++;
	AstNode *n = parse_number_token(p, t);
	bool is_imag = n->Constant.value.kind == CONST_COMPLEX;
	if (imaginary && !is_imag)
		parse_raise(p, parse_node_loc(n), "imaginary number required in complex literal");
	if (!imaginary && is_imag)
		parse_raise(p, parse_node_loc(n), "real number required in complex literal");
	return n;
}

/* rule:
 * signed_number:
 *     | NUMBER
 *     | '-' NUMBER
 */
/* rule:
 * signed_real_number:
 *     | real_number
 *     | '-' real_number
 */
static AstNode *signed_number(Parser *p, bool real_only)
{
	int start = p->mark;
	bool minus = parse_expect(p, TOK_MINUS) != NULL;
	PTok *t = parse_peek(p);
	if (t->kind != TOK_NUMBER) {
		p->mark = start;
		return NULL;
	}
	AstNode *n;
	if (real_only) {
		n = real_number(p, false);
	} else {
		p->mark++;
		n = parse_number_token(p, t);
	}
	if (!minus)
		return n;
	AstNode *u = pnode(p, AST_UnaryOp, start);
	u->UnaryOp.op = OP_USub;
	u->UnaryOp.operand = n;
	return u;
}

/* rule:
 * complex_number:
 *     | signed_real_number '+' imaginary_number
 *     | signed_real_number '-' imaginary_number
 */
static AstNode *complex_number(Parser *p)
{
	int start = p->mark;
	AstNode *real = signed_number(p, true);
	if (!real)
		return NULL;
	AstOp op = parse_expect(p, TOK_PLUS)	? OP_Add
		   : parse_expect(p, TOK_MINUS) ? OP_Sub
						: OP_NONE_;
	if (op == OP_NONE_) {
		p->mark = start;
		return NULL;
	}
	AstNode *imag = real_number(p, true);
	if (!imag) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = pnode(p, AST_BinOp, start);
	n->BinOp.left = real;
	n->BinOp.op = op;
	n->BinOp.right = imag;
	return n;
}

/* rule:
 * literal_expr:
 *     | signed_number !('+' | '-')
 *     | complex_number
 *     | strings
 *     | 'None'
 *     | 'True'
 *     | 'False'
 */
/* The literal as an expression (Constant for None/True/False). */
static AstNode *literal_expr(Parser *p)
{
	int start = p->mark;
	AstNode *a = signed_number(p, false);
	if (a && !parse_check(p, TOK_PLUS) && !parse_check(p, TOK_MINUS))
		return a;
	p->mark = start;
	a = complex_number(p);
	if (a)
		return a;
	if (parse_check(p, TOK_STRING))
		return parse_strings(p);
	PTok *t = parse_peek(p);
	if (t->kind == TOK_NAME && (t->kw == KW_None || t->kw == KW_True || t->kw == KW_False)) {
		p->mark++;
		AstNode *n = pnode(p, AST_Constant, start);
		n->Constant.value.kind = t->kw == KW_None   ? CONST_NONE
					 : t->kw == KW_True ? CONST_TRUE
							    : CONST_FALSE;
		return n;
	}
	return NULL;
}

/* rule:
 * literal_pattern:
 *     | signed_number !('+' | '-')
 *     | complex_number
 *     | strings
 *     | 'None'
 *     | 'True'
 *     | 'False'
 */
static AstNode *literal_pattern(Parser *p)
{
	int start = p->mark;
	AstNode *v = literal_expr(p);
	if (!v)
		return NULL;
	if (v->kind == AST_Constant && v->Constant.value.kind <= CONST_FALSE) {
		AstNode *n = pnode(p, AST_MatchSingleton, start);
		n->MatchSingleton.value = v->Constant.value;
		return n;
	}
	AstNode *n = pnode(p, AST_MatchValue, start);
	n->MatchValue.value = v;
	return n;
}

/* rule:
 * star_pattern (memo):
 *     | '*' pattern_capture_target
 *     | '*' wildcard_pattern
 */
static AstNode *star_pattern(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_star_pattern, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = NULL;
	if (parse_expect(p, TOK_STAR)) {
		AstNode *t = pattern_capture_target(p);
		if (t || parse_expect_soft(p, KW_underscore)) {
			res = pnode(p, AST_MatchStar, start);
			res->MatchStar.name = t ? t->Name.id : NULL;
		} else {
			p->mark = start;
		}
	}
	parse_memo_put(p, start, MEMO_star_pattern, res);
	return res;
}

/* rule:
 * maybe_star_pattern:
 *     | star_pattern
 *     | pattern
 */
static AstNode *maybe_star_pattern(Parser *p)
{
	AstNode *a = star_pattern(p);
	return a ? a : pattern(p);
}

/* rule:
 * maybe_sequence_pattern:
 *     | ','.maybe_star_pattern+ ','?
 */
static bool maybe_sequence_pattern(Parser *p, PtrVec *out)
{
	AstNode *a = maybe_star_pattern(p);
	if (!a)
		return false;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA))
			break;
		a = maybe_star_pattern(p);
		if (!a) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, a);
	}
	parse_expect(p, TOK_COMMA);
	return true;
}

/* rule:
 * open_sequence_pattern:
 *     | maybe_star_pattern ',' maybe_sequence_pattern?
 */
static bool open_sequence_pattern(Parser *p, PtrVec *out)
{
	int start = p->mark;
	AstNode *a = maybe_star_pattern(p);
	if (!a || !parse_expect(p, TOK_COMMA)) {
		p->mark = start;
		return false;
	}
	ptrvec_push(p->arena, out, a);
	maybe_sequence_pattern(p, out);
	return true;
}

/* rule:
 * sequence_pattern:
 *     | '[' maybe_sequence_pattern? ']'
 *     | '(' open_sequence_pattern? ')'
 */
/* rule:
 * group_pattern:
 *     | '(' pattern ')'
 */
static AstNode *sequence_pattern(Parser *p)
{
	int start = p->mark;
	PtrVec v = {0};
	if (parse_expect(p, TOK_LSQB)) {
		maybe_sequence_pattern(p, &v);
		if (parse_expect(p, TOK_RSQB)) {
			AstNode *n = pnode(p, AST_MatchSequence, start);
			n->MatchSequence.patterns = ast_list(p->arena, &v);
			return n;
		}
		p->mark = start;
		return NULL;
	}
	if (!parse_expect(p, TOK_LPAR))
		return NULL;
	/* group_pattern: '(' pattern ')' */
	AstNode *a = pattern(p);
	if (a && parse_expect(p, TOK_RPAR))
		return a;
	p->mark = start + 1;
	open_sequence_pattern(p, &v);
	if (parse_expect(p, TOK_RPAR)) {
		AstNode *n = pnode(p, AST_MatchSequence, start);
		n->MatchSequence.patterns = ast_list(p->arena, &v);
		return n;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * key_value_pattern:
 *     | (literal_expr | attr) ':' pattern
 */
static bool key_value_pattern(Parser *p, PtrVec *keys, PtrVec *pats)
{
	int start = p->mark;
	AstNode *k = literal_expr(p);
	if (!k)
		k = name_or_attr(p, true);
	if (k && parse_expect(p, TOK_COLON)) {
		AstNode *v = pattern(p);
		if (v) {
			ptrvec_push(p->arena, keys, k);
			ptrvec_push(p->arena, pats, v);
			return true;
		}
	}
	p->mark = start;
	return false;
}

/* rule:
 * double_star_pattern:
 *     | '**' pattern_capture_target
 */
static AstNode *double_star_pattern(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_DOUBLESTAR)) {
		AstNode *t = pattern_capture_target(p);
		if (t)
			return t;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * items_pattern:
 *     | ','.key_value_pattern+
 */
/* rule:
 * mapping_pattern:
 *     | '{' '}'
 *     | '{' double_star_pattern ','? '}'
 *     | '{' items_pattern ',' double_star_pattern ','? '}'
 *     | '{' items_pattern ','? '}'
 */
static AstNode *mapping_pattern(Parser *p)
{
	int start = p->mark;
	if (!parse_expect(p, TOK_LBRACE))
		return NULL;
	PtrVec keys = {0}, pats = {0};
	AstNode *rest = NULL;
	if (key_value_pattern(p, &keys, &pats)) {
		for (;;) {
			int m = p->mark;
			if (!parse_expect(p, TOK_COMMA) || !key_value_pattern(p, &keys, &pats)) {
				p->mark = m;
				break;
			}
		}
		int m = p->mark;
		if (parse_expect(p, TOK_COMMA)) {
			rest = double_star_pattern(p);
			if (!rest)
				p->mark = m;
		}
	} else {
		rest = double_star_pattern(p);
	}
	parse_expect(p, TOK_COMMA);
	if (!parse_expect(p, TOK_RBRACE) || (!keys.n && !rest && p->mark != start + 2)) {
		p->mark = start;
		return NULL;
	}
	AstNode *n = pnode(p, AST_MatchMapping, start);
	n->MatchMapping.keys = ast_list(p->arena, &keys);
	n->MatchMapping.patterns = ast_list(p->arena, &pats);
	n->MatchMapping.rest = rest ? rest->Name.id : NULL;
	return n;
}

/* rule:
 * keyword_pattern:
 *     | NAME '=' pattern
 */
static bool keyword_pattern(Parser *p, PtrVec *names, PtrVec *pats)
{
	int start = p->mark;
	AstNode *name = parse_name(p);
	if (name && parse_expect(p, TOK_EQUAL)) {
		AstNode *v = pattern(p);
		if (v) {
			ptrvec_push(p->arena, names, (void *)name->Name.id);
			ptrvec_push(p->arena, pats, v);
			return true;
		}
	}
	p->mark = start;
	return false;
}

/* rule:
 * keyword_patterns:
 *     | ','.keyword_pattern+
 */
static bool keyword_patterns(Parser *p, PtrVec *names, PtrVec *pats)
{
	if (!keyword_pattern(p, names, pats))
		return false;
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA) || !keyword_pattern(p, names, pats)) {
			p->mark = m;
			break;
		}
	}
	return true;
}

/* rule:
 * positional_patterns:
 *     | ','.pattern+
 */
static bool positional_patterns(Parser *p, PtrVec *out)
{
	AstNode *a = pattern(p);
	if (!a)
		return false;
	ptrvec_push(p->arena, out, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_COMMA) || !(a = pattern(p))) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, out, a);
	}
	return true;
}

/* rule:
 * class_pattern:
 *     | name_or_attr '(' ')'
 *     | name_or_attr '(' positional_patterns ','? ')'
 *     | name_or_attr '(' keyword_patterns ','? ')'
 *     | name_or_attr '(' positional_patterns ',' keyword_patterns ','? ')'
 *     | invalid_class_pattern
 */
/* rule:
 * invalid_class_pattern:
 *     | name_or_attr '(' invalid_class_argument_pattern
 */
/* rule:
 * invalid_class_argument_pattern:
 *     | [positional_patterns ','] keyword_patterns ',' positional_patterns
 */
static AstNode *class_pattern(Parser *p)
{
	int start = p->mark;
	AstNode *cls = name_or_attr(p, false);
	if (!cls || !parse_expect(p, TOK_LPAR)) {
		p->mark = start;
		return NULL;
	}
	int open = p->mark;
	PtrVec pos = {0}, names = {0}, kpats = {0};
	if (positional_patterns(p, &pos)) {
		int m = p->mark;
		if (!(parse_expect(p, TOK_COMMA) && keyword_patterns(p, &names, &kpats)))
			p->mark = m;
	} else {
		keyword_patterns(p, &names, &kpats);
	}
	if (pos.n || names.n)
		parse_expect(p, TOK_COMMA);
	if (parse_expect(p, TOK_RPAR)) {
		AstNode *n = pnode(p, AST_MatchClass, start);
		n->MatchClass.cls = cls;
		n->MatchClass.patterns = ast_list(p->arena, &pos);
		n->MatchClass.kwd_attrs.n = names.n;
		n->MatchClass.kwd_attrs.items =
			arena_alloc(p->arena, sizeof(char *) * (size_t)names.n + 1);
		for (int i = 0; i < names.n; i++)
			n->MatchClass.kwd_attrs.items[i] = names.items[i];
		n->MatchClass.kwd_patterns = ast_list(p->arena, &kpats);
		return n;
	}
	if (p->call_invalid) {
		/* [positional_patterns ','] keyword_patterns ',' positional_patterns */
		p->mark = open;
		pos.n = names.n = kpats.n = 0;
		int m = p->mark;
		if (!(positional_patterns(p, &pos) && parse_expect(p, TOK_COMMA)))
			p->mark = m;
		PtrVec bad = {0};
		if (keyword_patterns(p, &names, &kpats) && parse_expect(p, TOK_COMMA) &&
		    positional_patterns(p, &bad))
			parse_raise(p, parse_range_loc(bad.items[0], bad.items[bad.n - 1]),
				    "positional patterns follow keyword patterns");
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * closed_pattern (memo):
 *     | literal_pattern
 *     | capture_pattern
 *     | wildcard_pattern
 *     | value_pattern
 *     | group_pattern
 *     | sequence_pattern
 *     | mapping_pattern
 *     | class_pattern
 */
/* rule:
 * capture_pattern:
 *     | pattern_capture_target
 */
/* rule:
 * wildcard_pattern:
 *     | "_"
 */
/* rule:
 * value_pattern:
 *     | attr !('.' | '(' | '=')
 */
static AstNode *closed_pattern(Parser *p)
{
	void *memo;
	if (parse_memo_get(p, MEMO_closed_pattern, &memo))
		return memo;
	int start = p->mark;
	AstNode *res = literal_pattern(p);
	if (!res) {
		AstNode *t = pattern_capture_target(p);
		if (t) {
			res = pnode(p, AST_MatchAs, start);
			res->MatchAs.name = t->Name.id;
		}
	}
	if (!res && parse_expect_soft(p, KW_underscore))
		res = pnode(p, AST_MatchAs, start);
	if (!res) {
		AstNode *v = name_or_attr(p, true);
		TokKind k = parse_peek(p)->kind;
		if (v && k != TOK_DOT && k != TOK_LPAR && k != TOK_EQUAL) {
			res = pnode(p, AST_MatchValue, start);
			res->MatchValue.value = v;
		} else {
			p->mark = start;
		}
	}
	if (!res)
		res = sequence_pattern(p);
	if (!res)
		res = mapping_pattern(p);
	if (!res)
		res = class_pattern(p);
	parse_memo_put(p, start, MEMO_closed_pattern, res);
	return res;
}

/* rule:
 * or_pattern:
 *     | '|'.closed_pattern+
 */
static AstNode *or_pattern(Parser *p)
{
	int start = p->mark;
	PtrVec v = {0};
	AstNode *a = closed_pattern(p);
	if (!a)
		return NULL;
	ptrvec_push(p->arena, &v, a);
	for (;;) {
		int m = p->mark;
		if (!parse_expect(p, TOK_VBAR) || !(a = closed_pattern(p))) {
			p->mark = m;
			break;
		}
		ptrvec_push(p->arena, &v, a);
	}
	if (v.n == 1)
		return v.items[0];
	AstNode *n = pnode(p, AST_MatchOr, start);
	n->MatchOr.patterns = ast_list(p->arena, &v);
	return n;
}

/* rule:
 * pattern:
 *     | as_pattern
 *     | or_pattern
 */
/* rule:
 * as_pattern:
 *     | or_pattern 'as' pattern_capture_target
 *     | invalid_as_pattern
 */
/* rule:
 * invalid_as_pattern:
 *     | or_pattern 'as' "_"
 *     | or_pattern 'as' !NAME expression
 */
static AstNode *pattern(Parser *p)
{
	int start = p->mark;
	parse_enter(p);
	AstNode *a = or_pattern(p);
	if (a) {
		int m = p->mark;
		if (parse_expect_kw(p, KW_as)) {
			AstNode *t = pattern_capture_target(p);
			if (t) {
				AstNode *n = pnode(p, AST_MatchAs, start);
				n->MatchAs.pattern = a;
				n->MatchAs.name = t->Name.id;
				parse_leave(p);
				return n;
			}
			if (p->call_invalid) {
				PTok *u = parse_expect_soft(p, KW_underscore);
				if (u)
					parse_raise(p, parse_tok_loc(u),
						    "cannot use '_' as a target");
				if (!parse_check(p, TOK_NAME)) {
					AstNode *e = parse_expression(p);
					if (e)
						parse_raise(p, parse_node_loc(e),
							    "invalid pattern target");
				}
			}
		}
		p->mark = m;
	}
	parse_leave(p);
	return a;
}

/* rule:
 * patterns:
 *     | open_sequence_pattern
 *     | pattern
 */
static AstNode *patterns(Parser *p)
{
	int start = p->mark;
	PtrVec v = {0};
	if (open_sequence_pattern(p, &v)) {
		AstNode *n = pnode(p, AST_MatchSequence, start);
		n->MatchSequence.patterns = ast_list(p->arena, &v);
		return n;
	}
	return pattern(p);
}

/* rule: guard: 'if' named_expression */
static AstNode *guard(Parser *p)
{
	int start = p->mark;
	if (parse_expect_kw(p, KW_if)) {
		AstNode *a = parse_named_expression(p);
		if (a)
			return a;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * invalid_case_block:
 *     | "case" patterns guard? NEWLINE
 *     | "case" patterns guard? ':' NEWLINE !INDENT
 */
static void invalid_case_block(Parser *p)
{
	int start = p->mark;
	PTok *c = parse_expect_soft(p, KW_case);
	if (c && patterns(p)) {
		guard(p);
		if (parse_check(p, TOK_NEWLINE))
			parse_raise_last(p, "expected ':'");
		if (parse_expect(p, TOK_COLON) && parse_expect(p, TOK_NEWLINE) &&
		    !parse_check(p, TOK_INDENT))
			parse_raise_last(
				p, "expected an indented block after 'case' statement on line %d",
				c->lineno);
	}
	p->mark = start;
}

/* rule:
 * case_block:
 *     | invalid_case_block
 *     | "case" patterns guard? ':' block
 */
static AstNode *case_block(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid)
		invalid_case_block(p);
	if (!parse_expect_soft(p, KW_case))
		return NULL;
	AstNode *pat = patterns(p);
	if (!pat)
		goto fail;
	AstNode *g = guard(p);
	if (!parse_expect(p, TOK_COLON))
		goto fail;
	AstList body = parse_block(p);
	if (!body.n)
		goto fail;
	AstNode *n = ast_new(p->arena, AST_match_case, 0, 0, 0, 0);
	n->match_case.pattern = pat;
	n->match_case.guard = g;
	n->match_case.body = body;
	return n;
fail:
	p->mark = start;
	return NULL;
}

/* rule:
 * subject_expr:
 *     | star_named_expression ',' star_named_expressions?
 *     | named_expression
 */
static AstNode *subject_expr(Parser *p)
{
	int start = p->mark;
	AstNode *a = parse_star_named_expression(p);
	if (a && parse_expect(p, TOK_COMMA)) {
		PtrVec rest = {0};
		parse_star_named_expressions(p, &rest);
		AstNode *n = parse_node(p, AST_Tuple, start);
		n->Tuple.elts = parse_list_prepend(p, a, &rest);
		n->Tuple.ctx = CTX_Load;
		return n;
	}
	p->mark = start;
	return parse_named_expression(p);
}

/* rule:
 * invalid_match_stmt:
 *     | "match" subject_expr NEWLINE
 *     | "match" subject_expr ':' NEWLINE !INDENT
 */
static void invalid_match_stmt(Parser *p)
{
	int start = p->mark;
	PTok *m = parse_expect_soft(p, KW_match);
	if (m && subject_expr(p)) {
		if (parse_check(p, TOK_NEWLINE))
			parse_raise_last(p, "expected ':'");
		if (parse_expect(p, TOK_COLON) && parse_expect(p, TOK_NEWLINE) &&
		    !parse_check(p, TOK_INDENT))
			parse_raise_last(
				p, "expected an indented block after 'match' statement on line %d",
				m->lineno);
	}
	p->mark = start;
}

/* rule:
 * match_stmt:
 *     | "match" subject_expr ':' NEWLINE INDENT case_block+ DEDENT
 *     | invalid_match_stmt
 */
AstNode *parse_match_stmt(Parser *p)
{
	int start = p->mark;
	if (parse_expect_soft(p, KW_match)) {
		AstNode *subject = subject_expr(p);
		if (subject && parse_expect(p, TOK_COLON) && parse_expect(p, TOK_NEWLINE) &&
		    parse_expect(p, TOK_INDENT)) {
			PtrVec cases = {0};
			AstNode *c;
			while ((c = case_block(p)) != NULL)
				ptrvec_push(p->arena, &cases, c);
			if (cases.n && parse_expect(p, TOK_DEDENT)) {
				AstNode *n = parse_node(p, AST_Match, start);
				n->Match.subject = subject;
				n->Match.cases = ast_list(p->arena, &cases);
				return n;
			}
		}
	}
	p->mark = start;
	if (p->call_invalid)
		invalid_match_stmt(p);
	return NULL;
}
