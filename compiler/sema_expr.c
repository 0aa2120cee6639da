/*
 * sema_expr.c - checking expressions in @bpf functions.
 *
 * Every expression gets AstNode.type: its natural type, which for a map
 * lookup is a pointer to the value. Where a value is needed such a pointer
 * is read through (pythonbpf's semantics; lowering guards it against None).
 * Constant subexpressions are folded into AstNode.konst. Names record their
 * Symbol in AstNode.sema, struct field accesses their Field.
 */
#include "sema_internal.h"

#include <string.h>

/* ---- names ---- */

void sema_not_value(Sema *s, AstNode *e, Symbol *sym)
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
	case SYM_HELPER:
	case SYM_KFUNC:
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
		if (sym->detail == -1)
			return; /* a kernel name that did not resolve (reported) */
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
Symbol *sema_resolve_name(Sema *s, AstNode *e)
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
Type *sema_value_type(Type *t)
{
	if (t && t->kind == TY_PTR && t->base)
		return t->base;
	return t;
}

/* Checks that a value of type `from` (expression e) can be stored in `to`. */
bool sema_convert(Sema *s, AstNode *e, Type *from, Type *to, const char *what)
{
	Type *v = sema_value_type(from);
	if (!v || !to)
		return false;
	if (to->kind == TY_INT && v->kind == TY_INT)
		return true;
	if (type_same(to, v) || (to->kind == TY_PTR && from->kind == TY_PTR && type_same(to, from)))
		return true;
	/* char buffers of any size (str(N), c_char * N, string literals): the
	 * copy is cut or zero-filled to fit; a literal must fit */
	if (to->kind == TY_ARRAY && v->kind == TY_ARRAY && to->is_char && v->is_char) {
		if (sema_is_str(e) && e->Constant.value.len > (size_t)to->len) {
			diag_error(s->d, ast_loc(e), "the string has %zu bytes; '%s' holds %d",
				   e->Constant.value.len, type_name(to), to->len);
			return false;
		}
		return true;
	}
	diag_error(s->d, ast_loc(e), "%s: expected '%s', got '%s'", what, type_name(to),
		   type_name(from->kind == TY_PTR ? v : from));
	return false;
}

Type *sema_stored(Sema *s, AstNode *e)
{
	if (!sema_is_str(e))
		return sema_expr(s, e);
	Type *chars = type_int(s->p, CT_CHAR);
	return sema_set_type(e, type_array(s->a, chars, (int)e->Constant.value.len + 1));
}

bool sema_is_str(const AstNode *e)
{
	return e->kind == AST_Constant && e->Constant.value.kind == CONST_STR;
}

bool sema_is_none(const AstNode *e)
{
	return e->kind == AST_Constant && e->Constant.value.kind == CONST_NONE;
}

/* A value of integer type (map pointers read through). */
Type *sema_int(Sema *s, AstNode *e, const char *what)
{
	Type *t = sema_expr(s, e);
	if (!t)
		return NULL;
	Type *v = sema_value_type(t);
	if (v->kind != TY_INT) {
		diag_error(s->d, ast_loc(e), "%s must be an integer, not '%s'", what, type_name(v));
		return NULL;
	}
	return v;
}

bool sema_cond(Sema *s, AstNode *e)
{
	Type *t = sema_expr(s, e);
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
bool sema_is_lvalue(const AstNode *e)
{
	if (e->konst)
		return false;
	if (e->kind == AST_Name) {
		const Symbol *sym = e->sema;
		return sym && (sym->kind == SYM_LOCAL || sym->kind == SYM_GLOBAL);
	}
	if (e->kind == AST_Subscript)
		return e->sema && !((const IndexInfo *)e->sema)->map;
	return e->kind == AST_Attribute && e->sema && !sema_is_kernel_place(e);
}

/* ---- expressions ---- */

Type *sema_set_type(AstNode *e, Type *t)
{
	e->type = t;
	return t;
}

Type *sema_set_const(Sema *s, AstNode *e, ConstVal v)
{
	ConstVal *k = arena_alloc(s->a, sizeof *k);
	*k = v;
	e->konst = k;
	return sema_set_type(e, v.type);
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
		return sema_set_const(s, e, v);
	case CONST_NONE:
		return sema_set_type(e, s->p->none);
	case CONST_FLOAT:
	case CONST_COMPLEX:
		diag_error(s->d, ast_loc(e),
			   "floating-point numbers are not supported in BPF code");
		return NULL;
	case CONST_STR:
		diag_error(
			s->d, ast_loc(e),
			"a string can only be printed, stored in a str(N) buffer or used as a map key");
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
	Symbol *sym = sema_resolve_name(s, e);
	if (!sym)
		return NULL;
	e->sema = sym;
	switch (sym->kind) {
	case SYM_LOCAL:
	case SYM_GLOBAL:
		return sema_set_type(e, sym->type); /* NULL: poisoned by an earlier error */
	case SYM_CONST: {
		ConstVal v;
		s->fold_why = NULL;
		if (sema_const_symbol(s, sym, &v, ast_loc(e)))
			return sema_set_const(s, e, v);
		break;
	}
	default:
		break;
	}
	sema_not_value(s, e, sym);
	return NULL;
}

bool sema_op_allowed(Sema *s, AstNode *e, AstOp op)
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
	Type *l = sema_int(s, e->BinOp.left, "operand");
	Type *r = sema_int(s, e->BinOp.right, "operand");
	if (!l || !r || !sema_op_allowed(s, e, op))
		return NULL;
	if (e->BinOp.left->konst && e->BinOp.right->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return sema_set_const(s, e, v);
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
		return sema_set_type(e, type_promote(s->p, l));
	return sema_set_type(e, type_common(s->p, l, r));
}

static Type *check_unaryop(Sema *s, AstNode *e)
{
	AstNode *x = e->UnaryOp.operand;
	if (e->UnaryOp.op == OP_Not) {
		if (!sema_cond(s, x))
			return NULL;
	} else if (!sema_int(s, x, "operand")) {
		return NULL;
	}
	if (x->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return sema_set_const(s, e, v);
	}
	if (e->UnaryOp.op == OP_Not)
		return sema_set_type(e, type_int(s->p, CT_INT32));
	return sema_set_type(e, type_promote(s->p, sema_value_type(x->type)));
}

/* `a and b`, `a or b`: the value of the deciding operand, as in Python. */
static Type *check_boolop(Sema *s, AstNode *e)
{
	Type *common = NULL;
	for (int i = 0; i < e->BoolOp.values.n; i++) {
		AstNode *v = e->BoolOp.values.items[i];
		if (!sema_cond(s, v))
			return NULL;
		Type *t = sema_value_type(v->type);
		if (t->kind != TY_INT) {
			/* void pointers (contexts) can only be tested */
			t = type_int(s->p, CT_INT32);
		}
		common = common ? type_common(s->p, common, t) : t;
	}
	return sema_set_type(e, common);
}

static Type *check_compare(Sema *s, AstNode *e)
{
	AstNode *left = e->Compare.left;
	bool ok = true;
	for (int i = 0; i < e->Compare.ops.n; i++) {
		AstOp op = e->Compare.ops.items[i];
		AstNode *right = e->Compare.comparators.items[i];
		if (op == OP_In || op == OP_NotIn) {
			MapDef *m = sema_receiver_map(s, right);
			bool bloom = m && m->family == MF_BLOOM;
			if (!m || (!sema_map_is_keyed(m) && !bloom)) {
				diag_error(s->d, ast_loc(right),
					   "'in' tests whether a key is in a map; the right side "
					   "must be a map with keys or a BloomFilter");
				return NULL;
			}
			if (i == 0) {
				Type *k = sema_stored(s, left);
				if (!k || !sema_convert(s, left, k, bloom ? m->value : m->key,
							bloom ? "value" : "map key"))
					ok = false;
			}
			if (!right->type) /* a map by name (an inner map is a variable) */
				right->sema = m;
			left = right;
			continue;
		}
		bool none_test = sema_is_none(left) || sema_is_none(right);
		if (op == OP_Is || op == OP_IsNot || none_test) {
			AstNode *other = sema_is_none(left) ? right : left;
			if (!none_test || sema_is_none(other) ||
			    !(op == OP_Is || op == OP_IsNot || op == OP_Eq || op == OP_NotEq)) {
				diag_error(s->d, ast_loc(e),
					   "'is' and 'is not' only compare a map lookup with None");
				return NULL;
			}
			Type *t = sema_expr(s, other);
			if (!t)
				return NULL;
			if (t->kind != TY_PTR) {
				diag_error(s->d, ast_loc(other),
					   "'%s' is never None: only map lookups can be None",
					   type_name(t));
				return NULL;
			}
			if (sema_is_none(left))
				sema_set_type(left, s->p->none);
			else
				sema_set_type(right, s->p->none);
		} else {
			if (i == 0 && !sema_int(s, left, "comparison operand"))
				ok = false;
			if (!sema_int(s, right, "comparison operand"))
				ok = false;
		}
		left = right;
	}
	if (!ok)
		return NULL;
	return sema_set_type(e, type_int(s->p, CT_INT32));
}

static Type *check_ifexp(Sema *s, AstNode *e)
{
	if (!sema_cond(s, e->IfExp.test))
		return NULL;
	Type *a = sema_int(s, e->IfExp.body, "conditional expression value");
	Type *b = sema_int(s, e->IfExp.orelse, "conditional expression value");
	if (!a || !b)
		return NULL;
	return sema_set_type(e, type_common(s->p, a, b));
}

Type *sema_attribute(Sema *s, AstNode *e)
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
			return sema_set_const(s, e, v);
		sema_not_value(s, e, m);
		return NULL;
	}
	Type *t = sema_expr(s, base);
	if (!t)
		return NULL;
	Type *st_type = t->kind == TY_PTR && t->base ? t->base : t;
	if (t->is_kptr && t->kptr)
		st_type = t->kptr;
	if (sema_is_kernel_type(st_type) && (t->is_kptr || sema_is_kernel_place(base)))
		return sema_kernel_attribute(s, e, st_type);
	if (st_type->kind != TY_STRUCT) {
		diag_error(s->d, ast_loc(e), "'%s' has no fields (no attribute '%s')",
			   type_name(st_type), e->Attribute.attr);
		return NULL;
	}
	for (int i = 0; i < st_type->nfields; i++) {
		Field *f = &st_type->fields[i];
		if (strcmp(f->name, e->Attribute.attr) == 0) {
			e->sema = f;
			return sema_set_type(e, f->type);
		}
	}
	Diag *g = diag_error(s->d, ast_loc(e), "struct '%s' has no field '%s'", st_type->name,
			     e->Attribute.attr);
	diag_note(s->d, g, st_type->loc, "'%s' is defined here", st_type->name);
	return NULL;
}

bool sema_fits_stack(Sema *s, SrcLoc where, Type *t, const char *what)
{
	if (t->size <= BPF_STACK_SIZE)
		return true;
	Diag *g = diag_error(s->d, where, "'%s' takes %d bytes, more than the %d-byte BPF stack",
			     what, t->size, BPF_STACK_SIZE);
	diag_note(s->d, g, where,
		  "keep large data in a map, e.g. a PerCPUArrayMap with one entry used as "
		  "scratch space");
	return false;
}

/* ---- subscripts ---- */

Type *sema_subscript(Sema *s, AstNode *e)
{
	AstNode *base = e->Subscript.value, *idx = e->Subscript.slice;
	IndexInfo *ii = arena_alloc(s->a, sizeof *ii);
	MapDef *m = sema_receiver_map(s, base);
	if (m) {
		if (!sema_map_is_keyed(m)) {
			diag_error(s->d, ast_loc(e), "%s '%s' has no items; use %s.output()",
				   sema_map_class_name(m->cls), m->name, m->name);
			return NULL;
		}
		Type *k = sema_stored(s, idx);
		if (!k || !sema_convert(s, idx, k, m->key, "map key"))
			return NULL;
		ii->map = m;
		e->sema = ii;
		if (m->family == MF_OUTER)
			return sema_set_type(e, m->ref_type);
		return sema_set_type(e, type_ptr(s->a, m->value));
	}
	Type *bt = sema_expr(s, base);
	if (!bt)
		return NULL;
	Type *arr = bt->kind == TY_PTR && bt->base ? bt->base : bt;
	if (bt->map) {
		diag_error(s->d, ast_loc(e),
			   "use a map found in a map of maps through a variable: inner = "
			   "outer[k], then inner[key]");
		return NULL;
	}
	if (arr->kind != TY_ARRAY) {
		diag_error(s->d, ast_loc(e), "'%s' cannot be indexed: only arrays and maps can",
			   type_name(arr));
		return NULL;
	}
	if (!sema_int(s, idx, "an index"))
		return NULL;
	if (idx->konst) {
		int64_t i = idx->konst->v;
		if (i < 0 && !(idx->konst->type->size == 8 && !idx->konst->type->is_signed))
			i += arr->len; /* a[-1] is the last element, as in Python */
		if (i < 0 || i >= arr->len) {
			diag_error(s->d, ast_loc(idx), "index %lld is out of range for '%s'",
				   (long long)idx->konst->v, type_name(arr));
			return NULL;
		}
		ii->const_index = true;
		ii->index = i;
	}
	e->sema = ii;
	return sema_set_type(e, arr->base);
}

Type *sema_expr(Sema *s, AstNode *e)
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
		return sema_attribute(s, e);
	case AST_Call:
		return sema_call(s, e);
	case AST_Subscript:
		return sema_subscript(s, e);
	default:
		diag_error(s->d, ast_loc(e), "%s are not supported in BPF code",
			   sema_construct_name(e->kind));
		return NULL;
	}
}
