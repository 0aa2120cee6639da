/*
 * sema_globals.c - global variables: `@bpf @bpfglobal def name() -> T:
 * return <initial value>`.
 *
 * A global is an integer, an array, a struct or a string buffer. Its initial
 * value is folded at compile time into the bytes of the object (C layout,
 * little endian), so lowering only copies them: zero globals go to .bss,
 * others to .data. `-> Final[T]` (typing.Final) makes a read-only global in
 * .rodata: BPF code cannot write it, userspace may set it before loading.
 * LICENSE is the string in the `license` section.
 */
#include "sema_internal.h"

#include <string.h>

/* Is the annotation Final[T] (typing.Final, however it is spelled)? Then *inner
 * is T. */
static bool is_final(AstNode *ann, AstNode **inner)
{
	if (ann->kind != AST_Subscript)
		return false;
	AstNode *f = ann->Subscript.value;
	const char *name = f->kind == AST_Name	      ? f->Name.id
			   : f->kind == AST_Attribute ? f->Attribute.attr
						      : NULL;
	if (!name || strcmp(name, "Final") != 0)
		return false;
	*inner = ann->Subscript.slice;
	return true;
}

static void put_int(unsigned char *buf, int size, int64_t v)
{
	uint64_t u = (uint64_t)v;
	for (int i = 0; i < size; i++)
		buf[i] = (unsigned char)(u >> (8 * i)); /* BPF is little endian here */
}

static bool init_value(Sema *s, AstNode *e, Type *t, unsigned char *buf);

/* The initial value of a list of items: `[a, b]`, `(T * N)(a, b)`, S(a, b). */
static bool init_items(Sema *s, AstList *items, Type *t, unsigned char *buf, AstNode *where)
{
	int n = t->kind == TY_ARRAY ? t->len : t->nfields;
	if (items->n > n) {
		diag_error(s->d, ast_loc(where), "too many initial values for '%s': %d, at most %d",
			   type_name(t), items->n, n);
		return false;
	}
	bool ok = true;
	for (int i = 0; i < items->n; i++) {
		if (t->kind == TY_ARRAY)
			ok &= init_value(s, items->items[i], t->base, buf + i * t->base->size);
		else
			ok &= init_value(s, items->items[i], t->fields[i].type,
					 buf + t->fields[i].offset);
	}
	return ok;
}

/* S(field=value, ...): a struct's fields by name. */
static bool init_fields(Sema *s, AstList *kws, Type *t, unsigned char *buf)
{
	bool ok = true;
	for (int i = 0; i < kws->n; i++) {
		AstNode *kw = kws->items[i];
		const Field *f = NULL;
		for (int j = 0; j < t->nfields && kw->keyword.arg; j++)
			if (strcmp(t->fields[j].name, kw->keyword.arg) == 0)
				f = &t->fields[j];
		if (!f) {
			diag_error(s->d, ast_loc(kw), "struct '%s' has no field '%s'", t->name,
				   kw->keyword.arg ? kw->keyword.arg : "**");
			ok = false;
			continue;
		}
		ok &= init_value(s, kw->keyword.value, f->type, buf + f->offset);
	}
	return ok;
}

/* Folds the initial value e of an object of type t into buf (zeroed). */
static bool init_value(Sema *s, AstNode *e, Type *t, unsigned char *buf)
{
	if (t->kind == TY_INT) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return false;
		put_int(buf, t->size, t->is_bool ? v.v != 0 : v.v);
		return true;
	}
	if (t->kind == TY_ARRAY && t->is_char && e->kind == AST_Constant &&
	    (e->Constant.value.kind == CONST_STR || e->Constant.value.kind == CONST_BYTES)) {
		const AstConst *c = &e->Constant.value;
		if ((int)c->len > t->len) {
			diag_error(s->d, ast_loc(e), "the string has %zu bytes; '%s' holds %d",
				   c->len, type_name(t), t->len);
			return false;
		}
		memcpy(buf, c->str, c->len);
		return true;
	}
	if (t->kind == TY_ARRAY && (e->kind == AST_List || e->kind == AST_Tuple))
		return init_items(s, &e->List.elts, t, buf, e);
	if ((t->kind == TY_ARRAY || t->kind == TY_STRUCT) && e->kind == AST_Call) {
		Type *ct = sema_type_expr_quiet(s, e->Call.func);
		if (!ct || !type_same(ct, t)) {
			diag_error(s->d, ast_loc(e), "expected an initial value of type '%s'",
				   type_name(t));
			return false;
		}
		if (t->kind == TY_ARRAY && e->Call.keywords.n) {
			diag_error(s->d, ast_loc(e->Call.keywords.items[0]),
				   "array values are given by position");
			return false;
		}
		return init_items(s, &e->Call.args, t, buf, e) &&
		       init_fields(s, &e->Call.keywords, t, buf);
	}
	diag_error(s->d, ast_loc(e), "expected an initial value of type '%s'", type_name(t));
	return false;
}

/* The type of a global whose annotation does not say it. */
static Type *infer_type(Sema *s, AstNode *value)
{
	if (value->kind == AST_Constant && value->Constant.value.kind == CONST_STR)
		return type_array(s->a, type_int(s->p, CT_CHAR),
				  (int)value->Constant.value.len + 1);
	if (value->kind == AST_Call) {
		Type *t = sema_type_expr_quiet(s, value->Call.func);
		if (t && (t->kind == TY_ARRAY || t->kind == TY_STRUCT))
			return t;
	}
	ConstVal v;
	if (!sema_const_eval(s, value, &v, true))
		return NULL;
	return v.untyped ? type_int(s->p, CT_INT64) : v.type;
}

static bool check_license(Sema *s, GlobalVar *g, AstNode *value)
{
	if (value->kind != AST_Constant || value->Constant.value.kind != CONST_STR) {
		diag_error(s->d, ast_loc(value), "LICENSE must be a string, e.g. \"GPL\"");
		return false;
	}
	const AstConst *c = &value->Constant.value;
	if (memchr(c->str, 0, c->len) || c->len == 0 || c->len > 127) {
		diag_error(s->d, ast_loc(value),
			   "LICENSE must be a non-empty string without NUL characters");
		return false;
	}
	g->is_license = true;
	g->type = type_array(s->a, type_int(s->p, CT_CHAR), (int)c->len + 1);
	g->init = arena_alloc(s->a, c->len + 1);
	memcpy(g->init, c->str, c->len);
	s->p->license = g;
	return true;
}

void sema_check_global(Sema *s, AstNode *def, const char *name)
{
	Symbol *sym = scope_get(&s->module, name);
	if (!sema_no_parameters(s, def, "@bpfglobal"))
		return;
	AstNode *value = sema_sole_return(def);
	if (!value) {
		diag_error(s->d, sema_def_loc(s, def),
			   "a @bpfglobal function must be 'return <value>', e.g. "
			   "'return c_uint64(0)'");
		return;
	}
	GlobalVar *g = arena_alloc(s->a, sizeof *g);
	g->name = name;
	g->loc = sema_def_loc(s, def);
	AstNode *ann = def->FunctionDef.returns, *inner;
	if (ann && is_final(ann, &inner)) {
		g->readonly = true;
		ann = inner;
	}
	Symbol *ann_sym = ann ? sema_resolve_static(s, ann) : NULL;
	bool plain_str = ann_sym && ann_sym->kind == SYM_TYPE && ann_sym->detail == CT_STR;
	if (strcmp(name, "LICENSE") == 0) {
		if (!check_license(s, g, value))
			return;
	} else {
		Type *t = plain_str ? NULL : ann ? sema_type_expr(s, ann) : NULL;
		if (ann && !plain_str && !t)
			return;
		if (!t)
			t = infer_type(s, value);
		if (!t)
			return;
		if (t->kind == TY_VOID || t->kind == TY_PTR) {
			diag_error(s->d, ann ? ast_loc(ann) : g->loc,
				   "global '%s' cannot have type '%s'", name, type_name(t));
			return;
		}
		g->type = t;
		unsigned char *buf = arena_alloc(s->a, (size_t)t->size);
		if (!init_value(s, value, t, buf))
			return;
		for (int i = 0; i < t->size; i++)
			if (buf[i])
				g->init = buf; /* otherwise it stays NULL: all zero */
	}
	sym->kind = SYM_GLOBAL;
	sym->global = g;
	sym->type = g->type;
	ptrvec_push(s->a, &s->p->globals, g);
}
