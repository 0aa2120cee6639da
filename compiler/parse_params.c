/*
 * parse_params.c - parameter lists of `def` and `lambda`.
 *
 * The two grammars are the same except that lambda parameters have no
 * annotations and end at ':' instead of ')'. Each function here therefore
 * takes `lam` and implements both rules (both are named in its comment).
 * The parameters are collected as in CPython (posonly names, plain names,
 * names with defaults, the star part) and _PyPegen_make_arguments's rules
 * turn them into an `arguments` node.
 */
#include "parse_internal.h"

static TokKind closer(bool lam)
{
	return lam ? TOK_COLON : TOK_RPAR;
}

/* rule: param: NAME annotation? */
/* rule: lambda_param: NAME */
/* rule: annotation: ':' expression */
static AstNode *param(Parser *p, bool lam)
{
	int start = p->mark;
	AstNode *name = parse_name(p);
	if (!name)
		return NULL;
	AstNode *ann = NULL;
	if (!lam) {
		/* annotation: ':' expression */
		int m = p->mark;
		if (parse_expect(p, TOK_COLON)) {
			ann = parse_expression(p);
			if (!ann)
				p->mark = m;
		}
	}
	AstNode *a = parse_node(p, AST_arg, start);
	a->arg.arg = name->Name.id;
	a->arg.annotation = ann;
	return a;
}

/* rule: param_star_annotation: NAME star_annotation */
/* rule: star_annotation: ':' star_expression */
static AstNode *param_star_annotation(Parser *p)
{
	int start = p->mark;
	AstNode *name = parse_name(p);
	if (!name || !parse_expect(p, TOK_COLON)) {
		p->mark = start;
		return NULL;
	}
	/* star_annotation: ':' star_expression */
	AstNode *ann = parse_star_expression(p);
	if (!ann) {
		p->mark = start;
		return NULL;
	}
	AstNode *a = parse_node(p, AST_arg, start);
	a->arg.arg = name->Name.id;
	a->arg.annotation = ann;
	return a;
}

/* ',' | &closer after a parameter */
static bool param_end(Parser *p, bool lam)
{
	return parse_expect(p, TOK_COMMA) || parse_check(p, closer(lam));
}

/* rule: default: '=' expression | invalid_default */
/* rule:
 * invalid_default:
 *     | '=' &(')'|',')
 */
static AstNode *default_rule(Parser *p)
{
	int start = p->mark;
	if (parse_expect(p, TOK_EQUAL)) {
		AstNode *a = parse_expression(p);
		if (a)
			return a;
	}
	p->mark = start;
	if (p->call_invalid) {
		/* invalid_default: '=' &(')'|',') */
		PTok *t = parse_expect(p, TOK_EQUAL);
		if (t && (parse_check(p, TOK_RPAR) || parse_check(p, TOK_COMMA)))
			parse_raise(p, parse_tok_loc(t), "expected default value expression");
		p->mark = start;
	}
	return NULL;
}

/* rule:
 * param_no_default:
 *     | param ',' TYPE_COMMENT?
 *     | param TYPE_COMMENT? &')'
 */
/* rule:
 * lambda_param_no_default:
 *     | lambda_param ','
 *     | lambda_param &':'
 */
static AstNode *param_no_default(Parser *p, bool lam)
{
	int start = p->mark;
	AstNode *a = param(p, lam);
	if (a && param_end(p, lam))
		return a;
	p->mark = start;
	return NULL;
}

/* rule:
 * param_no_default_star_annotation:
 *     | param_star_annotation ',' TYPE_COMMENT?
 *     | param_star_annotation TYPE_COMMENT? &')'
 */
static AstNode *param_no_default_star_annotation(Parser *p)
{
	int start = p->mark;
	AstNode *a = param_star_annotation(p);
	if (a && param_end(p, false))
		return a;
	p->mark = start;
	return NULL;
}

/* rule:
 * param_with_default:
 *     | param default ',' TYPE_COMMENT?
 *     | param default TYPE_COMMENT? &')'
 */
/* rule:
 * param_maybe_default:
 *     | param default? ',' TYPE_COMMENT?
 *     | param default? TYPE_COMMENT? &')'
 */
/* rule:
 * lambda_param_with_default:
 *     | lambda_param default ','
 *     | lambda_param default &':'
 */
/* rule:
 * lambda_param_maybe_default:
 *     | lambda_param default? ','
 *     | lambda_param default? &':'
 */
static NameDefaultPair *param_with_default(Parser *p, bool lam, bool maybe)
{
	int start = p->mark;
	AstNode *a = param(p, lam);
	if (a) {
		AstNode *d = default_rule(p);
		if ((d || maybe) && param_end(p, lam)) {
			NameDefaultPair *nd = arena_alloc(p->arena, sizeof *nd);
			nd->arg = a;
			nd->value = d;
			return nd;
		}
	}
	p->mark = start;
	return NULL;
}

static void no_defaults(Parser *p, bool lam, PtrVec *out)
{
	AstNode *a;
	while ((a = param_no_default(p, lam)) != NULL)
		ptrvec_push(p->arena, out, a);
}

static void with_defaults(Parser *p, bool lam, bool maybe, PtrVec *out)
{
	NameDefaultPair *nd;
	while ((nd = param_with_default(p, lam, maybe)) != NULL)
		ptrvec_push(p->arena, out, nd);
}

/* '/' followed by ',' or &closer */
static bool slash(Parser *p, bool lam)
{
	int start = p->mark;
	if (parse_expect(p, TOK_SLASH) && param_end(p, lam))
		return true;
	p->mark = start;
	return false;
}

/* rule:
 * slash_no_default:
 *     | param_no_default+ '/' ','
 *     | param_no_default+ '/' &')'
 */
/* rule:
 * lambda_slash_no_default:
 *     | lambda_param_no_default+ '/' ','
 *     | lambda_param_no_default+ '/' &':'
 */
static bool slash_no_default(Parser *p, bool lam, PtrVec *names)
{
	int start = p->mark;
	no_defaults(p, lam, names);
	if (names->n && slash(p, lam))
		return true;
	p->mark = start;
	names->n = 0;
	return false;
}

/* rule:
 * slash_with_default:
 *     | param_no_default* param_with_default+ '/' ','
 *     | param_no_default* param_with_default+ '/' &')'
 */
/* rule:
 * lambda_slash_with_default:
 *     | lambda_param_no_default* lambda_param_with_default+ '/' ','
 *     | lambda_param_no_default* lambda_param_with_default+ '/' &':'
 */
static bool slash_with_default(Parser *p, bool lam, SlashWithDefault *swd)
{
	int start = p->mark;
	no_defaults(p, lam, &swd->plain_names);
	with_defaults(p, lam, false, &swd->names_with_defaults);
	if (swd->names_with_defaults.n && slash(p, lam))
		return true;
	p->mark = start;
	swd->plain_names.n = swd->names_with_defaults.n = 0;
	return false;
}

static void invalid_star_etc(Parser *p, bool lam);
static void invalid_kwds(Parser *p, bool lam);

/* rule:
 * kwds:
 *     | invalid_kwds
 *     | '**' param_no_default
 */
/* rule:
 * lambda_kwds:
 *     | invalid_lambda_kwds
 *     | '**' lambda_param_no_default
 */
static AstNode *kwds(Parser *p, bool lam)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_kwds(p, lam);
		p->mark = start;
	}
	if (parse_expect(p, TOK_DOUBLESTAR)) {
		AstNode *a = param_no_default(p, lam);
		if (a)
			return a;
	}
	p->mark = start;
	return NULL;
}

/* rule:
 * star_etc:
 *     | invalid_star_etc
 *     | '*' param_no_default param_maybe_default* [kwds]
 *     | '*' param_no_default_star_annotation param_maybe_default* [kwds]
 *     | '*' ',' param_maybe_default+ [kwds]
 *     | kwds
 */
/* rule:
 * lambda_star_etc:
 *     | invalid_lambda_star_etc
 *     | '*' lambda_param_no_default lambda_param_maybe_default* [lambda_kwds]
 *     | '*' ',' lambda_param_maybe_default+ [lambda_kwds]
 *     | lambda_kwds
 */
static StarEtc *star_etc(Parser *p, bool lam)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_star_etc(p, lam);
		p->mark = start;
	}
	StarEtc *se = arena_alloc(p->arena, sizeof *se);
	if (parse_expect(p, TOK_STAR)) {
		AstNode *a = param_no_default(p, lam);
		if (!a && !lam)
			a = param_no_default_star_annotation(p);
		if (a) {
			se->vararg = a;
			with_defaults(p, lam, true, &se->kwonlyargs);
			se->kwarg = kwds(p, lam);
			return se;
		}
		if (parse_expect(p, TOK_COMMA)) {
			with_defaults(p, lam, true, &se->kwonlyargs);
			if (se->kwonlyargs.n) {
				se->kwarg = kwds(p, lam);
				return se;
			}
		}
		p->mark = start;
		return NULL;
	}
	se->kwarg = kwds(p, lam);
	return se->kwarg ? se : NULL;
}

/* _PyPegen_make_arguments() */
static AstNode *make_arguments(Parser *p, const PtrVec *slash_names, const SlashWithDefault *swd,
			       const PtrVec *plain, const PtrVec *with_default, const StarEtc *se)
{
	AstNode *n = ast_new(p->arena, AST_arguments, 0, 0, 0, 0);
	PtrVec posonly = {0}, args = {0}, defaults = {0}, kwonly = {0}, kwdefaults = {0};
	for (int i = 0; slash_names && i < slash_names->n; i++)
		ptrvec_push(p->arena, &posonly, slash_names->items[i]);
	if (swd) {
		for (int i = 0; i < swd->plain_names.n; i++)
			ptrvec_push(p->arena, &posonly, swd->plain_names.items[i]);
		for (int i = 0; i < swd->names_with_defaults.n; i++) {
			NameDefaultPair *nd = swd->names_with_defaults.items[i];
			ptrvec_push(p->arena, &posonly, nd->arg);
			ptrvec_push(p->arena, &defaults, nd->value);
		}
	}
	for (int i = 0; plain && i < plain->n; i++)
		ptrvec_push(p->arena, &args, plain->items[i]);
	for (int i = 0; with_default && i < with_default->n; i++) {
		NameDefaultPair *nd = with_default->items[i];
		ptrvec_push(p->arena, &args, nd->arg);
		ptrvec_push(p->arena, &defaults, nd->value);
	}
	if (se) {
		n->arguments.vararg = se->vararg;
		n->arguments.kwarg = se->kwarg;
		for (int i = 0; i < se->kwonlyargs.n; i++) {
			NameDefaultPair *nd = se->kwonlyargs.items[i];
			ptrvec_push(p->arena, &kwonly, nd->arg);
			ptrvec_push(p->arena, &kwdefaults, nd->value);
		}
	}
	n->arguments.posonlyargs = ast_list(p->arena, &posonly);
	n->arguments.args = ast_list(p->arena, &args);
	n->arguments.defaults = ast_list(p->arena, &defaults);
	n->arguments.kwonlyargs = ast_list(p->arena, &kwonly);
	n->arguments.kw_defaults = ast_list(p->arena, &kwdefaults);
	return n;
}

AstNode *parse_empty_arguments(Parser *p)
{
	return make_arguments(p, NULL, NULL, NULL, NULL, NULL);
}

/* rule:
 * parameters:
 *     | slash_no_default param_no_default* param_with_default* [star_etc]
 *     | slash_with_default param_with_default* [star_etc]
 *     | param_no_default+ param_with_default* [star_etc]
 *     | param_with_default+ [star_etc]
 *     | star_etc
 */
/* rule:
 * lambda_parameters:
 *     | lambda_slash_no_default lambda_param_no_default* lambda_param_with_default*
 * [lambda_star_etc] | lambda_slash_with_default lambda_param_with_default* [lambda_star_etc] |
 * lambda_param_no_default+ lambda_param_with_default* [lambda_star_etc] |
 * lambda_param_with_default+ [lambda_star_etc] | lambda_star_etc
 */
static AstNode *parameters(Parser *p, bool lam)
{
	int start = p->mark;
	PtrVec slash_names = {0}, plain = {0}, with_default = {0};
	SlashWithDefault swd = {{0}, {0}};
	if (slash_no_default(p, lam, &slash_names)) {
		no_defaults(p, lam, &plain);
		with_defaults(p, lam, false, &with_default);
		StarEtc *se = star_etc(p, lam);
		return make_arguments(p, &slash_names, NULL, &plain, &with_default, se);
	}
	if (slash_with_default(p, lam, &swd)) {
		with_defaults(p, lam, false, &with_default);
		StarEtc *se = star_etc(p, lam);
		return make_arguments(p, NULL, &swd, NULL, &with_default, se);
	}
	no_defaults(p, lam, &plain);
	if (plain.n) {
		with_defaults(p, lam, false, &with_default);
		StarEtc *se = star_etc(p, lam);
		return make_arguments(p, NULL, NULL, &plain, &with_default, se);
	}
	with_defaults(p, lam, false, &with_default);
	if (with_default.n) {
		StarEtc *se = star_etc(p, lam);
		return make_arguments(p, NULL, NULL, NULL, &with_default, se);
	}
	StarEtc *se = star_etc(p, lam);
	if (se)
		return make_arguments(p, NULL, NULL, NULL, NULL, se);
	p->mark = start;
	return NULL;
}

static void invalid_parameters(Parser *p, bool lam);

/* rule:
 * params:
 *     | invalid_parameters
 *     | parameters
 */
AstNode *parse_params(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_parameters(p, false);
		p->mark = start;
	}
	return parameters(p, false);
}

/* rule:
 * lambda_params:
 *     | invalid_lambda_parameters
 *     | lambda_parameters
 */
AstNode *parse_lambda_params(Parser *p)
{
	int start = p->mark;
	if (p->call_invalid) {
		invalid_parameters(p, true);
		p->mark = start;
	}
	return parameters(p, true);
}

/* ---- invalid rules (error pass only) ---- */

/* rule:
 * invalid_parameters:
 *     | param_no_default* invalid_parameters_helper param_no_default
 *     | param_no_default* '(' param_no_default+ ','? ')'
 *     | "/" ','
 *     | (slash_no_default | slash_with_default) param_maybe_default* '/'
 *     | (slash_no_default | slash_with_default)? param_maybe_default* '*' (',' | param_no_default)
 * param_maybe_default* '/' | param_maybe_default+ '/' '*'
 */
/* rule:
 * invalid_lambda_parameters:
 *     | lambda_param_no_default* invalid_lambda_parameters_helper lambda_param_no_default
 *     | lambda_param_no_default* '(' ','.lambda_param+ ','? ')'
 *     | "/" ','
 *     | (lambda_slash_no_default | lambda_slash_with_default) lambda_param_maybe_default* '/'
 *     | (lambda_slash_no_default | lambda_slash_with_default)? lambda_param_maybe_default* '*' (','
 * | lambda_param_no_default) lambda_param_maybe_default* '/' | lambda_param_maybe_default+ '/' '*'
 */
/* rule:
 * invalid_parameters_helper:
 *     | slash_with_default
 *     | param_with_default+
 */
/* rule:
 * invalid_lambda_parameters_helper:
 *     | lambda_slash_with_default
 *     | lambda_param_with_default+
 */
static void invalid_parameters(Parser *p, bool lam)
{
	int start = p->mark;
	PtrVec v = {0};
	SlashWithDefault swd = {{0}, {0}};
	/* param_no_default* invalid_parameters_helper param_no_default */
	no_defaults(p, lam, &v);
	bool helper = slash_with_default(p, lam, &swd);
	if (!helper) {
		PtrVec wd = {0};
		with_defaults(p, lam, false, &wd);
		helper = wd.n > 0;
	}
	if (helper) {
		AstNode *a = param_no_default(p, lam);
		if (a)
			parse_raise(p, parse_node_loc(a),
				    "non-default argument follows default argument");
	}
	/* param_no_default* '(' param_no_default+ ','? ')' */
	p->mark = start;
	v.n = 0;
	no_defaults(p, lam, &v);
	PTok *open = parse_expect(p, TOK_LPAR);
	if (open) {
		PtrVec w = {0};
		if (lam) {
			/* ','.lambda_param+ */
			AstNode *x = param(p, true);
			while (x) {
				ptrvec_push(p->arena, &w, x);
				int mm = p->mark;
				if (!parse_expect(p, TOK_COMMA) || !(x = param(p, true))) {
					p->mark = mm;
					break;
				}
			}
		} else {
			no_defaults(p, lam, &w);
		}
		parse_expect(p, TOK_COMMA);
		PTok *close = w.n ? parse_expect(p, TOK_RPAR) : NULL;
		if (close)
			parse_raise(
				p,
				srcloc(open->lineno, open->col, close->end_lineno, close->end_col),
				lam ? "Lambda expression parameters cannot be parenthesized"
				    : "Function parameters cannot be parenthesized");
	}
	/* "/" ',' */
	p->mark = start;
	PTok *t = parse_expect(p, TOK_SLASH);
	if (t && parse_check(p, TOK_COMMA))
		parse_raise(p, parse_tok_loc(t), "at least one argument must precede /");
	/* (slash_no_default | slash_with_default) param_maybe_default* '/' */
	p->mark = start;
	v.n = 0;
	swd = (SlashWithDefault){{0}, {0}};
	bool have_slash = slash_no_default(p, lam, &v) || slash_with_default(p, lam, &swd);
	if (have_slash) {
		PtrVec md = {0};
		with_defaults(p, lam, true, &md);
		t = parse_expect(p, TOK_SLASH);
		if (t)
			parse_raise(p, parse_tok_loc(t), "/ may appear only once");
	}
	/* (slash_no_default | slash_with_default)? param_maybe_default* '*'
	 * (',' | param_no_default) param_maybe_default* '/' */
	p->mark = start;
	v.n = 0;
	swd = (SlashWithDefault){{0}, {0}};
	if (!slash_no_default(p, lam, &v))
		slash_with_default(p, lam, &swd);
	PtrVec md = {0};
	with_defaults(p, lam, true, &md);
	if (parse_expect(p, TOK_STAR) && (parse_expect(p, TOK_COMMA) || param_no_default(p, lam))) {
		with_defaults(p, lam, true, &md);
		t = parse_expect(p, TOK_SLASH);
		if (t)
			parse_raise(p, parse_tok_loc(t), "/ must be ahead of *");
	}
	/* param_maybe_default+ '/' '*' */
	p->mark = start;
	md.n = 0;
	with_defaults(p, lam, true, &md);
	if (md.n && parse_expect(p, TOK_SLASH)) {
		t = parse_expect(p, TOK_STAR);
		if (t)
			parse_raise(p, parse_tok_loc(t), "expected comma between / and *");
	}
}

/* rule:
 * invalid_star_etc:
 *     | '*' (')' | ',' (')' | '**'))
 *     | '*' ',' TYPE_COMMENT
 *     | '*' param '='
 *     | '*' (param_no_default | ',') param_maybe_default* '*' (param_no_default | ',')
 */
/* rule:
 * invalid_lambda_star_etc:
 *     | '*' (':' | ',' (':' | '**'))
 *     | '*' lambda_param '='
 *     | '*' (lambda_param_no_default | ',') lambda_param_maybe_default* '*'
 * (lambda_param_no_default | ',')
 */
static void invalid_star_etc(Parser *p, bool lam)
{
	int start = p->mark;
	PTok *star = parse_expect(p, TOK_STAR);
	if (!star)
		return;
	/* '*' (')' | ',' (')' | '**'))  -- lambda: ':' instead of ')' */
	if (parse_check(p, closer(lam)))
		goto bare;
	if (parse_expect(p, TOK_COMMA) &&
	    (parse_check(p, closer(lam)) || parse_check(p, TOK_DOUBLESTAR)))
		goto bare;
	/* '*' param '=' */
	p->mark = start + 1;
	if (param(p, lam)) {
		PTok *eq = parse_expect(p, TOK_EQUAL);
		if (eq)
			parse_raise(p, parse_tok_loc(eq),
				    "var-positional argument cannot have default value");
	}
	/* '*' (param_no_default | ',') param_maybe_default* '*' (param_no_default | ',') */
	p->mark = start + 1;
	if (param_no_default(p, lam) || parse_expect(p, TOK_COMMA)) {
		PtrVec md = {0};
		with_defaults(p, lam, true, &md);
		PTok *again = parse_expect(p, TOK_STAR);
		if (again && (param_no_default(p, lam) || parse_check(p, TOK_COMMA)))
			parse_raise(p, parse_tok_loc(again), "* argument may appear only once");
	}
	return;
bare:
	if (lam)
		parse_raise_last(p, "named arguments must follow bare *");
	parse_raise(p, parse_tok_loc(star), "named arguments must follow bare *");
}

/* rule:
 * invalid_kwds:
 *     | '**' param '='
 *     | '**' param ',' param
 *     | '**' param ',' ('*'|'**'|'/')
 */
/* rule:
 * invalid_lambda_kwds:
 *     | '**' lambda_param '='
 *     | '**' lambda_param ',' lambda_param
 *     | '**' lambda_param ',' ('*'|'**'|'/')
 */
static void invalid_kwds(Parser *p, bool lam)
{
	if (!parse_expect(p, TOK_DOUBLESTAR) || !param(p, lam))
		return;
	int m = p->mark;
	PTok *eq = parse_expect(p, TOK_EQUAL);
	if (eq)
		parse_raise(p, parse_tok_loc(eq), "var-keyword argument cannot have default value");
	p->mark = m;
	if (!parse_expect(p, TOK_COMMA))
		return;
	int m2 = p->mark;
	AstNode *a = param(p, lam);
	if (a)
		parse_raise(p, parse_node_loc(a), "arguments cannot follow var-keyword argument");
	p->mark = m2;
	PTok *t = parse_peek(p);
	if (t->kind == TOK_STAR || t->kind == TOK_DOUBLESTAR || t->kind == TOK_SLASH)
		parse_raise(p, parse_tok_loc(t), "arguments cannot follow var-keyword argument");
}
