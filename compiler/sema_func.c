/*
 * sema_func.c - checking the body of a @bpf function.
 *
 * A pre-pass finds the function's `global` declarations and every name it
 * binds (Python scoping: a name assigned anywhere in the function is local
 * unless declared global). Then statements are checked in source order. A
 * local gets its type from its first binding (an annotation, or the type of
 * the first value assigned; a bare integer constant gives c_int64) and keeps
 * it: later assignments convert to it, as in C.
 *
 * Every expression gets AstNode.type: its natural type, which for a map
 * lookup is a pointer to the value. Where a value is needed such a pointer
 * is read through (pythonbpf's semantics; lowering guards it against None).
 * Constant subexpressions are folded into AstNode.konst.
 */
#include "sema_internal.h"

#include <string.h>

static Type *check_expr(Sema *s, AstNode *e);
static void check_block(Sema *s, AstList *body);

/* ---- pre-pass: global declarations and local bindings ---- */

static void declare_local(Sema *s, AstNode *target)
{
	if (target->kind == AST_Tuple || target->kind == AST_List) {
		AstList *elts =
			target->kind == AST_Tuple ? &target->Tuple.elts : &target->List.elts;
		for (int i = 0; i < elts->n; i++)
			declare_local(s, elts->items[i]);
		return;
	}
	if (target->kind == AST_Starred) {
		declare_local(s, target->Starred.value);
		return;
	}
	if (target->kind != AST_Name)
		return;
	const char *name = target->Name.id;
	Symbol *g = scope_get(&s->global_decls, name);
	if (g) {
		if (target->lineno < g->loc.line ||
		    (target->lineno == g->loc.line && target->col_offset < g->loc.col))
			diag_error(s->d, ast_loc(target),
				   "name '%s' is assigned to before its global declaration", name);
		return;
	}
	if (scope_get(&s->locals, name))
		return;
	Symbol *l = sema_new_symbol(s, SYM_LOCAL, name, ast_loc(target));
	scope_put(s->a, &s->locals, l);
	ptrvec_push(s->a, &s->fn->locals, l);
}

static void collect_globals(Sema *s, AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		switch (st->kind) {
		case AST_Global:
			for (int j = 0; j < st->Global.names.n; j++) {
				const char *name = st->Global.names.items[j];
				Symbol *p = scope_get(&s->locals, name);
				if (p && p->is_param) {
					diag_error(s->d, ast_loc(st),
						   "name '%s' is parameter and global", name);
					continue;
				}
				Symbol *m = sema_lookup_module(s, name);
				if (!m || m->kind != SYM_GLOBAL) {
					Diag *g = diag_error(s->d, ast_loc(st),
							     "'%s' is not a BPF global variable",
							     name);
					diag_note(
						s->d, g, ast_loc(st),
						"declare it at module level with @bpf @bpfglobal");
					continue;
				}
				Symbol *decl = sema_new_symbol(s, SYM_GLOBAL, name, ast_loc(st));
				decl->global = m->global;
				decl->type = m->type;
				scope_put(s->a, &s->global_decls, decl);
			}
			break;
		case AST_If:
			collect_globals(s, &st->If.body);
			collect_globals(s, &st->If.orelse);
			break;
		case AST_While:
			collect_globals(s, &st->While.body);
			collect_globals(s, &st->While.orelse);
			break;
		case AST_For:
			collect_globals(s, &st->For.body);
			collect_globals(s, &st->For.orelse);
			break;
		default:
			break;
		}
	}
}

static void collect_locals(Sema *s, AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		switch (st->kind) {
		case AST_Assign:
			for (int j = 0; j < st->Assign.targets.n; j++)
				declare_local(s, st->Assign.targets.items[j]);
			break;
		case AST_AugAssign:
			declare_local(s, st->AugAssign.target);
			break;
		case AST_AnnAssign:
			declare_local(s, st->AnnAssign.target);
			break;
		case AST_If:
			collect_locals(s, &st->If.body);
			collect_locals(s, &st->If.orelse);
			break;
		case AST_While:
			collect_locals(s, &st->While.body);
			collect_locals(s, &st->While.orelse);
			break;
		case AST_For:
			declare_local(s, st->For.target);
			collect_locals(s, &st->For.body);
			collect_locals(s, &st->For.orelse);
			break;
		default:
			break;
		}
	}
}

/* ---- names ---- */

static void error_not_value(Sema *s, AstNode *e, Symbol *sym)
{
	const char *name = sym->name;
	Diag *g;
	switch (sym->kind) {
	case SYM_MAP:
		g = diag_error(s->d, ast_loc(e), "map '%s' cannot be used as a value", name);
		diag_note(s->d, g, ast_loc(e), "call one of its methods, e.g. %s.lookup(key)",
			  name);
		return;
	case SYM_FUNC:
		diag_error(s->d, ast_loc(e), "BPF program '%s' cannot be used as a value", name);
		return;
	case SYM_TYPE:
	case SYM_MAPCLASS:
	case SYM_BUILTIN:
	case SYM_DECORATOR:
		diag_error(s->d, ast_loc(e), "'%s' cannot be used as a value; did you mean '%s()'?",
			   name, name);
		return;
	case SYM_MODULE:
		diag_error(s->d, ast_loc(e), "module '%s' cannot be used as a value", name);
		return;
	case SYM_USERSPACE:
		diag_error(s->d, ast_loc(e), "'%s' is userspace API and cannot be used in BPF code",
			   name);
		return;
	case SYM_CONST:
		sema_not_constant(s, sym, ast_loc(e));
		return;
	case SYM_OTHER:
		if (sym->detail == -2) {
			diag_error(
				s->d, ast_loc(e),
				"'%s' is not a constant: it is assigned more than once at module "
				"level",
				name);
			return;
		}
		if (sym->detail == -1) {
			diag_error(s->d, ast_loc(e),
				   "kernel types from 'vmlinux' are not supported yet ('%s')",
				   name);
			return;
		}
		g = diag_error(s->d, ast_loc(e),
			       "'%s' is userspace Python and cannot be used in BPF code", name);
		if (sym->loc.line)
			diag_note(s->d, g, sym->loc, "'%s' is defined here", name);
		return;
	default:
		diag_error(s->d, ast_loc(e), "internal compiler error: unexpected use of '%s'",
			   name);
	}
}

/* What a Name refers to in the current function, or NULL (reported). */
static Symbol *resolve_name(Sema *s, AstNode *e)
{
	const char *name = e->Name.id;
	Symbol *sym = scope_get(&s->locals, name);
	if (sym) {
		if (!sym->bound) {
			diag_error(s->d, ast_loc(e),
				   "local variable '%s' is used before it is assigned", name);
			return NULL;
		}
		return sym;
	}
	sym = scope_get(&s->global_decls, name);
	if (sym)
		return sym;
	sym = sema_lookup_module(s, name);
	if (!sym) {
		diag_error(s->d, ast_loc(e), "name '%s' is not defined", name);
		return NULL;
	}
	return sym;
}

/* ---- conversions ---- */

/* The type an expression of type t has where a value is needed: map value
 * pointers are read through. */
static Type *value_type(Type *t)
{
	if (t && t->kind == TY_PTR && t->base)
		return t->base;
	return t;
}

/* Checks that a value of type `from` (expression e) can be stored in `to`. */
static bool check_convert(Sema *s, AstNode *e, Type *from, Type *to, const char *what)
{
	Type *v = value_type(from);
	if (!v || !to)
		return false;
	if (to->kind == TY_INT && v->kind == TY_INT)
		return true;
	if (to == v || (to->kind == TY_PTR && from->kind == TY_PTR && to->base == from->base))
		return true;
	if (to->kind == TY_ARRAY && v->kind == TY_ARRAY && to->base == v->base && to->len == v->len)
		return true;
	if (to->kind == TY_ARRAY && v->kind == TY_ARRAY && to->size == v->size &&
	    to->is_char == v->is_char)
		return true;
	diag_error(s->d, ast_loc(e), "%s: expected '%s', got '%s'", what, type_name(to),
		   type_name(from->kind == TY_PTR ? v : from));
	return false;
}

static bool is_str_constant(const AstNode *e)
{
	return e->kind == AST_Constant && e->Constant.value.kind == CONST_STR;
}

static bool is_none(const AstNode *e)
{
	return e->kind == AST_Constant && e->Constant.value.kind == CONST_NONE;
}

/* A value of integer type (map pointers read through). */
static Type *check_int(Sema *s, AstNode *e, const char *what)
{
	Type *t = check_expr(s, e);
	if (!t)
		return NULL;
	Type *v = value_type(t);
	if (v->kind != TY_INT) {
		diag_error(s->d, ast_loc(e), "%s must be an integer, not '%s'", what, type_name(v));
		return NULL;
	}
	return v;
}

static bool check_cond(Sema *s, AstNode *e)
{
	Type *t = check_expr(s, e);
	if (!t)
		return false;
	if (!type_is_scalar(t)) {
		diag_error(s->d, ast_loc(e),
			   "'%s' cannot be used as a condition; test one of its fields",
			   type_name(t));
		return false;
	}
	return true;
}

/* Is e something with an address (a local, a global, a struct field)? */
static bool is_lvalue(const AstNode *e)
{
	if (e->konst)
		return false;
	if (e->kind == AST_Name) {
		const Symbol *sym = e->sema;
		return sym && (sym->kind == SYM_LOCAL || sym->kind == SYM_GLOBAL);
	}
	return e->kind == AST_Attribute && e->sema;
}

/* ---- expressions ---- */

static Type *set_type(AstNode *e, Type *t)
{
	e->type = t;
	return t;
}

static Type *set_const(Sema *s, AstNode *e, ConstVal v)
{
	ConstVal *k = arena_alloc(s->a, sizeof *k);
	*k = v;
	e->konst = k;
	return set_type(e, v.type);
}

static Type *check_constant(Sema *s, AstNode *e)
{
	const AstConst *c = &e->Constant.value;
	ConstVal v;
	switch (c->kind) {
	case CONST_INT:
	case CONST_TRUE:
	case CONST_FALSE:
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return set_const(s, e, v);
	case CONST_NONE:
		return set_type(e, s->p->none);
	case CONST_FLOAT:
	case CONST_COMPLEX:
		diag_error(s->d, ast_loc(e),
			   "floating-point numbers are not supported in BPF code");
		return NULL;
	case CONST_STR:
		diag_error(s->d, ast_loc(e), "strings are only supported in print() in BPF code");
		return NULL;
	case CONST_BYTES:
		diag_error(s->d, ast_loc(e), "bytes literals are not supported in BPF code");
		return NULL;
	case CONST_ELLIPSIS:
		diag_error(s->d, ast_loc(e), "'...' is not supported in BPF code");
		return NULL;
	}
	return NULL;
}

static Type *check_name(Sema *s, AstNode *e)
{
	Symbol *sym = resolve_name(s, e);
	if (!sym)
		return NULL;
	e->sema = sym;
	switch (sym->kind) {
	case SYM_LOCAL:
	case SYM_GLOBAL:
		return set_type(e, sym->type);
	case SYM_CONST: {
		ConstVal v;
		s->fold_why = NULL;
		if (sema_const_symbol(s, sym, &v, ast_loc(e)))
			return set_const(s, e, v);
		break;
	}
	default:
		break;
	}
	error_not_value(s, e, sym);
	return NULL;
}

static bool op_allowed(Sema *s, AstNode *e, AstOp op)
{
	if (op == OP_MatMult) {
		diag_error(s->d, ast_loc(e), "the '@' operator is not supported in BPF code");
		return false;
	}
	return true;
}

static Type *check_binop(Sema *s, AstNode *e)
{
	AstOp op = e->BinOp.op;
	Type *l = check_int(s, e->BinOp.left, "operand");
	Type *r = check_int(s, e->BinOp.right, "operand");
	if (!l || !r || !op_allowed(s, e, op))
		return NULL;
	if (e->BinOp.left->konst && e->BinOp.right->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return set_const(s, e, v);
	}
	if (op == OP_Pow) {
		diag_error(s->d, ast_loc(e),
			   "'**' needs constant operands in BPF code (there is no power "
			   "instruction)");
		return NULL;
	}
	if ((op == OP_Div || op == OP_FloorDiv || op == OP_Mod) && e->BinOp.right->konst &&
	    e->BinOp.right->konst->v == 0) {
		diag_error(s->d, ast_loc(e->BinOp.right), "division by zero");
		return NULL;
	}
	if (op == OP_LShift || op == OP_RShift)
		return set_type(e, type_promote(s->p, l));
	return set_type(e, type_common(s->p, l, r));
}

static Type *check_unaryop(Sema *s, AstNode *e)
{
	AstNode *x = e->UnaryOp.operand;
	if (e->UnaryOp.op == OP_Not) {
		if (!check_cond(s, x))
			return NULL;
	} else if (!check_int(s, x, "operand")) {
		return NULL;
	}
	if (x->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return set_const(s, e, v);
	}
	if (e->UnaryOp.op == OP_Not)
		return set_type(e, type_int(s->p, CT_INT32));
	return set_type(e, type_promote(s->p, value_type(x->type)));
}

/* `a and b`, `a or b`: the value of the deciding operand, as in Python. */
static Type *check_boolop(Sema *s, AstNode *e)
{
	Type *common = NULL;
	for (int i = 0; i < e->BoolOp.values.n; i++) {
		AstNode *v = e->BoolOp.values.items[i];
		if (!check_cond(s, v))
			return NULL;
		Type *t = value_type(v->type);
		if (t->kind != TY_INT) {
			/* void pointers (contexts) can only be tested */
			t = type_int(s->p, CT_INT32);
		}
		common = common ? type_common(s->p, common, t) : t;
	}
	return set_type(e, common);
}

static Type *check_compare(Sema *s, AstNode *e)
{
	AstNode *left = e->Compare.left;
	bool ok = true;
	for (int i = 0; i < e->Compare.ops.n; i++) {
		AstOp op = e->Compare.ops.items[i];
		AstNode *right = e->Compare.comparators.items[i];
		if (op == OP_In || op == OP_NotIn) {
			diag_error(s->d, ast_loc(e), "'in' is not supported in BPF code yet");
			return NULL;
		}
		bool none_test = is_none(left) || is_none(right);
		if (op == OP_Is || op == OP_IsNot || none_test) {
			AstNode *other = is_none(left) ? right : left;
			if (!none_test || is_none(other) ||
			    !(op == OP_Is || op == OP_IsNot || op == OP_Eq || op == OP_NotEq)) {
				diag_error(s->d, ast_loc(e),
					   "'is' and 'is not' only compare a map lookup with None");
				return NULL;
			}
			Type *t = check_expr(s, other);
			if (!t)
				return NULL;
			if (t->kind != TY_PTR) {
				diag_error(s->d, ast_loc(other),
					   "'%s' is never None: only map lookups can be None",
					   type_name(t));
				return NULL;
			}
			if (is_none(left))
				set_type(left, s->p->none);
			else
				set_type(right, s->p->none);
		} else {
			if (i == 0 && !check_int(s, left, "comparison operand"))
				ok = false;
			if (!check_int(s, right, "comparison operand"))
				ok = false;
		}
		left = right;
	}
	if (!ok)
		return NULL;
	return set_type(e, type_int(s->p, CT_INT32));
}

static Type *check_ifexp(Sema *s, AstNode *e)
{
	if (!check_cond(s, e->IfExp.test))
		return NULL;
	Type *a = check_int(s, e->IfExp.body, "conditional expression value");
	Type *b = check_int(s, e->IfExp.orelse, "conditional expression value");
	if (!a || !b)
		return NULL;
	return set_type(e, type_common(s->p, a, b));
}

static Type *check_attribute(Sema *s, AstNode *e)
{
	AstNode *base = e->Attribute.value;
	Symbol *st = sema_resolve_static(s, base);
	if (st && st->kind == SYM_MODULE &&
	    !(base->kind == AST_Name && scope_get(&s->locals, base->Name.id))) {
		Symbol *m = sema_universe(s, (ModuleId)st->detail, e->Attribute.attr);
		if (!m) {
			diag_error(s->d, ast_loc(e), "module '%s' has no attribute '%s'", st->name,
				   e->Attribute.attr);
			return NULL;
		}
		e->sema = m;
		ConstVal v;
		s->fold_why = NULL;
		if (m->kind == SYM_CONST && sema_const_symbol(s, m, &v, ast_loc(e)))
			return set_const(s, e, v);
		error_not_value(s, e, m);
		return NULL;
	}
	Type *t = check_expr(s, base);
	if (!t)
		return NULL;
	Type *st_type = t->kind == TY_PTR && t->base ? t->base : t;
	if (st_type->kind != TY_STRUCT) {
		diag_error(s->d, ast_loc(e), "'%s' has no fields (no attribute '%s')",
			   type_name(st_type), e->Attribute.attr);
		return NULL;
	}
	for (int i = 0; i < st_type->nfields; i++) {
		Field *f = &st_type->fields[i];
		if (strcmp(f->name, e->Attribute.attr) == 0) {
			e->sema = f;
			return set_type(e, f->type);
		}
	}
	Diag *g = diag_error(s->d, ast_loc(e), "struct '%s' has no field '%s'", st_type->name,
			     e->Attribute.attr);
	diag_note(s->d, g, st_type->loc, "'%s' is defined here", st_type->name);
	return NULL;
}

/* ---- calls ---- */

static CallInfo *new_call(Sema *s, AstNode *e, CallKind kind)
{
	CallInfo *ci = arena_alloc(s->a, sizeof *ci);
	ci->kind = kind;
	e->sema = ci;
	return ci;
}

static bool no_keywords(Sema *s, AstNode *e, const char *fname)
{
	if (e->Call.keywords.n) {
		diag_error(s->d, ast_loc(e->Call.keywords.items[0]),
			   "%s() takes no keyword arguments", fname);
		return false;
	}
	return true;
}

static bool arg_count(Sema *s, AstNode *e, const char *fname, int min, int max)
{
	int n = e->Call.args.n;
	if (n >= min && n <= max)
		return true;
	if (min == max)
		diag_error(s->d, ast_loc(e), "%s() takes %d argument%s, got %d", fname, min,
			   min == 1 ? "" : "s", n);
	else
		diag_error(s->d, ast_loc(e), "%s() takes %d to %d arguments, got %d", fname, min,
			   max, n);
	return false;
}

/* print(...) arguments: strings, f-strings and values. */
static bool check_print_value(Sema *s, AstNode *v)
{
	Type *t = check_expr(s, v);
	if (!t)
		return false;
	Type *vt = value_type(t);
	if (vt->kind == TY_INT || (vt->kind == TY_ARRAY && vt->is_char) || t->kind == TY_PTR)
		return true;
	diag_error(s->d, ast_loc(v), "print() cannot show a value of type '%s'", type_name(vt));
	return false;
}

static const char *const print_specs[] = {"", "d", "i", "u", "x", "X", "c", "s", "p"};

static bool check_fstring(Sema *s, AstNode *js, int *nvalues)
{
	bool ok = true;
	for (int i = 0; i < js->JoinedStr.values.n; i++) {
		AstNode *part = js->JoinedStr.values.items[i];
		if (part->kind != AST_FormattedValue)
			continue;
		(*nvalues)++;
		if (part->FormattedValue.conversion != -1) {
			diag_error(s->d, ast_loc(part),
				   "conversions (!r, !s, !a) are not supported in BPF print()");
			ok = false;
		}
		AstNode *spec = part->FormattedValue.format_spec;
		if (spec) {
			const char *text = "?";
			if (spec->JoinedStr.values.n == 1 &&
			    is_str_constant(spec->JoinedStr.values.items[0]))
				text = spec->JoinedStr.values.items[0]->Constant.value.str;
			else if (spec->JoinedStr.values.n == 0)
				text = "";
			bool known = false;
			for (size_t k = 0; k < sizeof print_specs / sizeof *print_specs; k++)
				known |= strcmp(text, print_specs[k]) == 0;
			if (!known) {
				diag_error(s->d, ast_loc(spec),
					   "unsupported format spec in BPF print(): use one of d, "
					   "u, x, X, c, s, p");
				ok = false;
			}
		}
		ok &= check_print_value(s, part->FormattedValue.value);
	}
	return ok;
}

static Type *check_print(Sema *s, AstNode *e, CallInfo *ci)
{
	bool ok = true;
	int nvalues = 0;
	ci->sep = " ";
	ci->end = "\n";
	for (int i = 0; i < e->Call.keywords.n; i++) {
		AstNode *kw = e->Call.keywords.items[i];
		const char *name = kw->keyword.arg ? kw->keyword.arg : "**";
		bool is_sep = strcmp(name, "sep") == 0, is_end = strcmp(name, "end") == 0;
		if (!is_sep && !is_end) {
			diag_error(s->d, ast_loc(kw),
				   "print() in BPF code takes only 'sep' and 'end' keywords");
			ok = false;
			continue;
		}
		AstNode *v = kw->keyword.value;
		if (!is_str_constant(v) ||
		    memchr(v->Constant.value.str, 0, v->Constant.value.len)) {
			diag_error(s->d, ast_loc(v), "'%s' must be a string constant", name);
			ok = false;
			continue;
		}
		if (is_sep)
			ci->sep = v->Constant.value.str;
		else
			ci->end = v->Constant.value.str;
	}
	for (int i = 0; i < e->Call.args.n; i++) {
		AstNode *a = e->Call.args.items[i];
		if (is_str_constant(a))
			continue;
		if (a->kind == AST_JoinedStr) {
			ok &= check_fstring(s, a, &nvalues);
			continue;
		}
		nvalues++;
		ok &= check_print_value(s, a);
	}
	if (nvalues > 12) {
		diag_error(s->d, ast_loc(e), "print() can show at most 12 values, got %d", nvalues);
		ok = false;
	}
	return ok ? set_type(e, s->p->none) : NULL;
}

typedef struct BuiltinSig {
	const char *name;
	int nargs;
	CTypeId ret; /* CT__COUNT: returns nothing */
} BuiltinSig;

static const BuiltinSig builtin_sigs[BI__COUNT] = {
	[BI_PRINT] = {"print", -1, CT__COUNT},
	[BI_RANGE] = {"range", -1, CT__COUNT},
	[BI_KTIME] = {"ktime", 0, CT_UINT64},
	[BI_PID] = {"pid", 0, CT_UINT32},
	[BI_TID] = {"tid", 0, CT_UINT32},
	[BI_UID] = {"uid", 0, CT_UINT32},
	[BI_GID] = {"gid", 0, CT_UINT32},
	[BI_COMM] = {"comm", 1, CT_INT64},
	[BI_RANDOM] = {"random", 0, CT_UINT32},
	[BI_SMP_PROCESSOR_ID] = {"smp_processor_id", 0, CT_UINT32},
};

static Type *check_builtin_call(Sema *s, AstNode *e, Symbol *sym)
{
	BuiltinId id = (BuiltinId)sym->detail;
	const BuiltinSig *sig = &builtin_sigs[id];
	CallInfo *ci = new_call(s, e, CALL_BUILTIN);
	ci->builtin = id;
	if (id == BI_PRINT)
		return check_print(s, e, ci);
	if (id == BI_RANGE) {
		diag_error(s->d, ast_loc(e),
			   "range() is only supported as the iterable of a "
			   "'for' loop");
		return NULL;
	}
	if (!no_keywords(s, e, sig->name) || !arg_count(s, e, sig->name, sig->nargs, sig->nargs))
		return NULL;
	if (id == BI_COMM) {
		AstNode *buf = e->Call.args.items[0];
		Type *t = check_expr(s, buf);
		if (!t)
			return NULL;
		if (t->kind != TY_ARRAY || !t->is_char || !is_lvalue(buf)) {
			diag_error(s->d, ast_loc(buf),
				   "comm() fills a string buffer: pass a str(N) field or "
				   "variable, not '%s'",
				   type_name(t));
			return NULL;
		}
	}
	return set_type(e, type_int(s->p, sig->ret));
}

typedef struct MapMethodInfo {
	const char *name;
	MapMethod method;
	bool keyed;  /* HashMap, ArrayMap */
	bool stream; /* PerfEventArray, RingBuffer */
} MapMethodInfo;

static const MapMethodInfo map_methods[] = {
	{"lookup", MM_LOOKUP, true, false},
	{"update", MM_UPDATE, true, false},
	{"delete", MM_DELETE, true, false},
	{"output", MM_OUTPUT, false, true},
};

static bool map_is_keyed(const MapDef *m)
{
	return m->cls == MAPC_HASH || m->cls == MAPC_ARRAY;
}

static Type *check_map_call(Sema *s, AstNode *e, MapDef *m, const char *method)
{
	const MapMethodInfo *mi = NULL;
	for (size_t i = 0; i < sizeof map_methods / sizeof *map_methods; i++)
		if (strcmp(map_methods[i].name, method) == 0)
			mi = &map_methods[i];
	bool keyed = map_is_keyed(m);
	if (!mi || (keyed && !mi->keyed) || (!keyed && !mi->stream)) {
		Diag *g = diag_error(s->d, ast_loc(e->Call.func), "map '%s' has no method '%s'",
				     m->name, method);
		diag_note(s->d, g, m->loc, "'%s' is a %s; its methods are %s", m->name,
			  keyed ? (m->cls == MAPC_HASH ? "HashMap" : "ArrayMap")
				: (m->cls == MAPC_RINGBUF ? "RingBuffer" : "PerfEventArray"),
			  keyed ? "lookup(), update() and delete()" : "output()");
		return NULL;
	}
	CallInfo *ci = new_call(s, e, CALL_MAP);
	ci->map = m;
	ci->method = mi->method;
	if (!no_keywords(s, e, method))
		return NULL;
	AstList *args = &e->Call.args;
	switch (mi->method) {
	case MM_LOOKUP:
	case MM_DELETE: {
		if (!arg_count(s, e, method, 1, 1))
			return NULL;
		Type *k = check_expr(s, args->items[0]);
		if (!k || !check_convert(s, args->items[0], k, m->key, "map key"))
			return NULL;
		if (mi->method == MM_LOOKUP)
			return set_type(e, type_ptr(s->a, m->value));
		return set_type(e, type_int(s->p, CT_INT64));
	}
	case MM_UPDATE: {
		if (!arg_count(s, e, method, 1, 3))
			return NULL;
		bool ok = true;
		Type *k = check_expr(s, args->items[0]);
		ok &= k && check_convert(s, args->items[0], k, m->key, "map key");
		if (args->n >= 2) {
			Type *v = check_expr(s, args->items[1]);
			ok &= v && check_convert(s, args->items[1], v, m->value, "map value");
		} else {
			diag_warning(s->d, ast_loc(e),
				     "update() without a value stores zero in map '%s'", m->name);
		}
		if (args->n == 3)
			ok &= check_int(s, args->items[2], "update() flags") != NULL;
		return ok ? set_type(e, type_int(s->p, CT_INT64)) : NULL;
	}
	case MM_OUTPUT: {
		if (!arg_count(s, e, method, 1, 1))
			return NULL;
		Type *t = check_expr(s, args->items[0]);
		if (!t)
			return NULL;
		Type *v = value_type(t);
		if (v->kind == TY_VOID || (t->kind == TY_PTR && !t->base)) {
			diag_error(s->d, ast_loc(args->items[0]), "output() cannot send '%s'",
				   type_name(t));
			return NULL;
		}
		if (m->cls == MAPC_PERF_EVENT_ARRAY && s->fn->nparams == 0) {
			diag_error(s->d, ast_loc(e),
				   "PerfEventArray.output() needs the program's context: give '%s' "
				   "a parameter (ctx)",
				   s->fn->name);
			return NULL;
		}
		return set_type(e, type_int(s->p, CT_INT64));
	}
	}
	return NULL;
}

/* The map a method receiver names: `m` or pythonbpf's `m()`. */
static MapDef *receiver_map(Sema *s, AstNode *recv)
{
	if (recv->kind == AST_Call && recv->Call.args.n == 0 && recv->Call.keywords.n == 0)
		recv = recv->Call.func;
	if (recv->kind != AST_Name || scope_get(&s->locals, recv->Name.id))
		return NULL;
	Symbol *sym = sema_lookup_module(s, recv->Name.id);
	return sym && sym->kind == SYM_MAP ? sym->map : NULL;
}

static Type *check_cast(Sema *s, AstNode *e, Symbol *sym)
{
	Type *t = sym->type;
	if (!no_keywords(s, e, sym->name))
		return NULL;
	if (!t) {
		diag_error(s->d, ast_loc(e), "str() is only used in types, as str(N)");
		return NULL;
	}
	if (t->kind == TY_STRUCT) {
		if (e->Call.args.n) {
			diag_error(s->d, ast_loc(e),
				   "%s() makes a zeroed struct and takes no arguments (casting a "
				   "pointer to a struct is not supported yet)",
				   sym->name);
			return NULL;
		}
		new_call(s, e, CALL_STRUCT);
		return set_type(e, t);
	}
	if (t->kind != TY_INT) {
		diag_error(s->d, ast_loc(e), "cannot convert to '%s'", type_name(t));
		return NULL;
	}
	if (!arg_count(s, e, sym->name, 0, 1))
		return NULL;
	new_call(s, e, CALL_CAST);
	if (e->Call.args.n && !check_int(s, e->Call.args.items[0], "the value to convert"))
		return NULL;
	if (!e->Call.args.n || e->Call.args.items[0]->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return set_const(s, e, v);
	}
	return set_type(e, t);
}

static Type *check_call(Sema *s, AstNode *e)
{
	AstNode *f = e->Call.func;
	if (f->kind == AST_Attribute) {
		MapDef *m = receiver_map(s, f->Attribute.value);
		if (m)
			return check_map_call(s, e, m, f->Attribute.attr);
	}
	Symbol *sym = NULL;
	if (f->kind == AST_Name) {
		sym = resolve_name(s, f);
		if (!sym)
			return NULL;
	} else if (f->kind == AST_Attribute) {
		sym = sema_resolve_static(s, f);
		if (!sym) {
			Type *t = check_expr(s, f);
			if (t)
				diag_error(s->d, ast_loc(f), "'%s' is not callable", type_name(t));
			return NULL;
		}
	} else {
		diag_error(s->d, ast_loc(f), "only named functions can be called in BPF code");
		return NULL;
	}
	switch (sym->kind) {
	case SYM_BUILTIN:
		return check_builtin_call(s, e, sym);
	case SYM_TYPE:
		return check_cast(s, e, sym);
	case SYM_MAP:
		diag_error(s->d, ast_loc(e),
			   "calling map '%s' only names it; call a method, e.g. %s().lookup(key)",
			   sym->name, sym->name);
		return NULL;
	case SYM_FUNC:
		diag_error(s->d, ast_loc(e), "calling BPF program '%s' is not supported",
			   sym->name);
		return NULL;
	case SYM_LOCAL:
	case SYM_GLOBAL:
		diag_error(s->d, ast_loc(f), "'%s' is a variable, not a function", sym->name);
		return NULL;
	default:
		error_not_value(s, f, sym);
		return NULL;
	}
}

static Type *check_expr(Sema *s, AstNode *e)
{
	switch (e->kind) {
	case AST_Constant:
		return check_constant(s, e);
	case AST_Name:
		return check_name(s, e);
	case AST_BinOp:
		return check_binop(s, e);
	case AST_UnaryOp:
		return check_unaryop(s, e);
	case AST_BoolOp:
		return check_boolop(s, e);
	case AST_Compare:
		return check_compare(s, e);
	case AST_IfExp:
		return check_ifexp(s, e);
	case AST_Attribute:
		return check_attribute(s, e);
	case AST_Call:
		return check_call(s, e);
	default:
		diag_error(s->d, ast_loc(e), "%s are not supported in BPF code",
			   sema_construct_name(e->kind));
		return NULL;
	}
}

/* ---- statements ---- */

/* The type a local takes from its first value. */
static Type *local_type_from(Sema *s, AstNode *value, Type *t)
{
	if (value && value->konst && value->konst->untyped)
		return type_int(s->p, CT_INT64);
	return t;
}

/* name = value, where the value has type t. */
static void assign_name(Sema *s, AstNode *target, AstNode *value, Type *t)
{
	const char *name = target->Name.id;
	Symbol *g = scope_get(&s->global_decls, name);
	if (g) {
		target->sema = g;
		target->type = g->type;
		check_convert(s, value, t, g->type, "assignment to global");
		return;
	}
	Symbol *l = scope_get(&s->locals, name);
	target->sema = l;
	if (!l->bound) {
		if (t->kind == TY_VOID) {
			diag_error(s->d, ast_loc(value), "cannot assign %s to '%s'",
				   value->kind == AST_Call ? "the result of a call that returns "
							     "nothing"
							   : "None",
				   name);
			return;
		}
		l->type = local_type_from(s, value, t);
		l->bound = true;
		target->type = l->type;
		return;
	}
	target->type = l->type;
	if (l->type->kind == TY_PTR && t->kind != TY_PTR) {
		Diag *gd = diag_error(s->d, ast_loc(target),
				      "'%s' holds a map lookup result; it cannot be assigned '%s'",
				      name, type_name(t));
		diag_note(s->d, gd, l->loc, "'%s' was first assigned here", name);
		return;
	}
	check_convert(s, value, t, l->type, "assignment");
}

/* target = value (value already checked, with type t). */
static void assign_target(Sema *s, AstNode *target, AstNode *value, Type *t)
{
	switch (target->kind) {
	case AST_Name:
		assign_name(s, target, value, t);
		return;
	case AST_Attribute: {
		Type *ft = check_attribute(s, target);
		if (ft)
			check_convert(s, value, t, ft, "assignment to field");
		return;
	}
	default:
		diag_error(s->d, ast_loc(target), "cannot assign to %s in BPF code",
			   sema_construct_name(target->kind));
	}
}

static void check_assign(Sema *s, AstNode *st)
{
	AstNode *value = st->Assign.value;
	/* a, b = x, y */
	if (st->Assign.targets.n == 1 && st->Assign.targets.items[0]->kind == AST_Tuple &&
	    value->kind == AST_Tuple) {
		AstNode *tt = st->Assign.targets.items[0];
		if (tt->Tuple.elts.n != value->Tuple.elts.n) {
			diag_error(s->d, ast_loc(st), "cannot unpack %d values into %d names",
				   value->Tuple.elts.n, tt->Tuple.elts.n);
			return;
		}
		Type **types =
			arena_alloc(s->a, sizeof(Type *) * (size_t)(value->Tuple.elts.n + 1));
		for (int i = 0; i < value->Tuple.elts.n; i++)
			types[i] = check_expr(s, value->Tuple.elts.items[i]);
		for (int i = 0; i < value->Tuple.elts.n; i++)
			if (types[i])
				assign_target(s, tt->Tuple.elts.items[i],
					      value->Tuple.elts.items[i], types[i]);
		return;
	}
	Type *t = check_expr(s, value);
	if (!t)
		return;
	for (int i = 0; i < st->Assign.targets.n; i++)
		assign_target(s, st->Assign.targets.items[i], value, t);
}

static void check_annassign(Sema *s, AstNode *st)
{
	AstNode *target = st->AnnAssign.target;
	if (target->kind != AST_Name) {
		diag_error(s->d, ast_loc(target),
			   "only plain names can be declared with an annotation");
		return;
	}
	Type *t = sema_type_expr(s, st->AnnAssign.annotation);
	if (!t)
		return;
	if (t->kind == TY_VOID) {
		diag_error(s->d, ast_loc(st->AnnAssign.annotation),
			   "a variable cannot have type None");
		return;
	}
	const char *name = target->Name.id;
	if (scope_get(&s->global_decls, name)) {
		diag_error(s->d, ast_loc(target), "annotated name '%s' can't be global", name);
		return;
	}
	Symbol *l = scope_get(&s->locals, name);
	if (l->bound && l->type != t) {
		Diag *g = diag_error(s->d, ast_loc(target), "'%s' already has type '%s'", name,
				     type_name(l->type));
		diag_note(s->d, g, l->loc, "'%s' was first bound here", name);
		return;
	}
	if (st->AnnAssign.value) {
		Type *vt = check_expr(s, st->AnnAssign.value);
		if (!vt || !check_convert(s, st->AnnAssign.value, vt, t, "initial value"))
			return;
	}
	l->type = t;
	l->bound = true;
	target->sema = l;
	target->type = t;
}

static void check_augassign(Sema *s, AstNode *st)
{
	AstNode *target = st->AugAssign.target;
	Type *vt = check_int(s, st->AugAssign.value, "right operand");
	if (!op_allowed(s, st, st->AugAssign.op))
		return;
	if (st->AugAssign.op == OP_Pow) {
		diag_error(s->d, ast_loc(st), "'**=' is not supported in BPF code");
		return;
	}
	Type *tt = NULL;
	if (target->kind == AST_Name) {
		const char *name = target->Name.id;
		Symbol *sym = scope_get(&s->global_decls, name);
		if (!sym) {
			sym = scope_get(&s->locals, name);
			if (!sym->bound) {
				diag_error(s->d, ast_loc(target),
					   "local variable '%s' is used before it is assigned",
					   name);
				return;
			}
			if (sym->type->kind == TY_PTR) {
				Diag *g = diag_error(
					s->d, ast_loc(target),
					"'%s' holds a map lookup result; '%s=' would only change "
					"this local copy",
					name, ast_op_text(st->AugAssign.op));
				diag_note(s->d, g, ast_loc(target),
					  "update the map instead: m.update(key, %s + ...)", name);
				return;
			}
		}
		target->sema = sym;
		tt = target->type = sym->type;
	} else if (target->kind == AST_Attribute) {
		tt = check_attribute(s, target);
	} else {
		diag_error(s->d, ast_loc(target), "cannot assign to %s in BPF code",
			   sema_construct_name(target->kind));
		return;
	}
	if (!tt || !vt)
		return;
	if (tt->kind != TY_INT) {
		diag_error(s->d, ast_loc(target), "'%s' is not an integer", type_name(tt));
		return;
	}
	if ((st->AugAssign.op == OP_Div || st->AugAssign.op == OP_FloorDiv ||
	     st->AugAssign.op == OP_Mod) &&
	    st->AugAssign.value->konst && st->AugAssign.value->konst->v == 0)
		diag_error(s->d, ast_loc(st->AugAssign.value), "division by zero");
}

static void check_if(Sema *s, AstNode *st)
{
	check_cond(s, st->If.test);
	check_block(s, &st->If.body);
	check_block(s, &st->If.orelse);
}

static void check_while(Sema *s, AstNode *st)
{
	check_cond(s, st->While.test);
	s->loop_depth++;
	check_block(s, &st->While.body);
	s->loop_depth--;
	check_block(s, &st->While.orelse);
}

static bool is_range_call(Sema *s, AstNode *e)
{
	if (e->kind != AST_Call)
		return false;
	AstNode *f = e->Call.func;
	if (f->kind == AST_Name && scope_get(&s->locals, f->Name.id))
		return false;
	Symbol *sym = sema_resolve_static(s, f);
	return sym && sym->kind == SYM_BUILTIN && sym->detail == BI_RANGE;
}

static void check_for(Sema *s, AstNode *st)
{
	AstNode *it = st->For.iter, *target = st->For.target;
	bool ok = true;
	if (!is_range_call(s, it)) {
		diag_error(s->d, ast_loc(it), "BPF 'for' loops iterate over range(...) only");
		ok = false;
	} else if (no_keywords(s, it, "range") && arg_count(s, it, "range", 1, 3)) {
		Type *t = NULL;
		for (int i = 0; i < it->Call.args.n; i++) {
			AstNode *a = it->Call.args.items[i];
			Type *at = check_int(s, a, "range() argument");
			if (!at) {
				ok = false;
				continue;
			}
			if (i < 2 && !(a->konst && a->konst->untyped))
				t = t ? type_common(s->p, t, at) : at;
		}
		if (ok && it->Call.args.n == 3) {
			AstNode *step = it->Call.args.items[2];
			if (!step->konst) {
				diag_error(s->d, ast_loc(step),
					   "the step of range() must be a constant in BPF code");
				ok = false;
			} else if (step->konst->v == 0) {
				diag_error(s->d, ast_loc(step), "range() step must not be zero");
				ok = false;
			}
		}
		it->type = t ? t : type_int(s->p, CT_INT64);
	} else {
		ok = false;
	}
	if (target->kind != AST_Name) {
		diag_error(s->d, ast_loc(target), "the target of a BPF 'for' loop must be a name");
		ok = false;
	} else if (ok) {
		Symbol *l = scope_get(&s->global_decls, target->Name.id);
		if (l) {
			diag_error(s->d, ast_loc(target), "a loop variable cannot be a global");
			ok = false;
		} else {
			l = scope_get(&s->locals, target->Name.id);
			if (!l->bound) {
				l->type = it->type;
				l->bound = true;
			} else if (l->type->kind != TY_INT) {
				diag_error(s->d, ast_loc(target),
					   "loop variable '%s' already holds a '%s'",
					   target->Name.id, type_name(l->type));
				ok = false;
			}
			target->sema = l;
			target->type = l->type;
		}
	}
	s->loop_depth++;
	check_block(s, &st->For.body);
	s->loop_depth--;
	check_block(s, &st->For.orelse);
}

static void check_return(Sema *s, AstNode *st)
{
	AstNode *v = st->Return.value;
	if (!v)
		return;
	if (is_none(v)) {
		diag_error(s->d, ast_loc(v), "a BPF program must return an integer, not None");
		return;
	}
	Type *t = check_expr(s, v);
	if (t)
		check_convert(s, v, t, s->fn->ret, "return value");
}

static void check_loop_jump(Sema *s, AstNode *st)
{
	if (s->loop_depth == 0)
		diag_error(s->d, ast_loc(st), "'%s' outside loop",
			   st->kind == AST_Break ? "break" : "continue");
}

static void check_expr_stmt(Sema *s, AstNode *st)
{
	AstNode *v = st->Expr.value;
	if (is_str_constant(v))
		return; /* docstrings and string "comments" */
	check_expr(s, v);
}

static void check_nothing(Sema *s, AstNode *st)
{
}

typedef void (*StmtChecker)(Sema *s, AstNode *st);

static const StmtChecker stmt_checkers[AST__COUNT] = {
	[AST_Assign] = check_assign,	   [AST_AnnAssign] = check_annassign,
	[AST_AugAssign] = check_augassign, [AST_If] = check_if,
	[AST_While] = check_while,	   [AST_For] = check_for,
	[AST_Return] = check_return,	   [AST_Break] = check_loop_jump,
	[AST_Continue] = check_loop_jump,  [AST_Expr] = check_expr_stmt,
	[AST_Pass] = check_nothing,	   [AST_Global] = check_nothing,
};

static void check_block(Sema *s, AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		StmtChecker check = stmt_checkers[st->kind];
		if (check)
			check(s, st);
		else
			diag_error(s->d, ast_loc(st), "%s are not supported in BPF code",
				   sema_construct_name(st->kind));
	}
}

void sema_check_function(Sema *s, FuncDef *fn)
{
	s->fn = fn;
	memset(&s->locals, 0, sizeof s->locals);
	memset(&s->global_decls, 0, sizeof s->global_decls);
	s->loop_depth = 0;
	for (int i = 0; i < fn->nparams; i++)
		scope_put(s->a, &s->locals, fn->params[i]);
	AstList *body = &fn->def->FunctionDef.body;
	collect_globals(s, body);
	collect_locals(s, body);
	check_block(s, body);
	s->fn = NULL;
}
