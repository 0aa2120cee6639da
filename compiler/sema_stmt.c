/*
 * sema_stmt.c - checking the statements of a @bpf function.
 *
 * A pre-pass finds the function's `global` declarations and every name it
 * binds (Python scoping: a name assigned anywhere in the function is local
 * unless declared global). Then statements are checked in source order. A
 * local gets its type from its first binding (an annotation, or the type of
 * the first value assigned; a bare integer constant gives c_int64) and keeps
 * it: later assignments convert to it, as in C.
 */
#include "sema_internal.h"

#include <string.h>

static void check_block(Sema *s, AstList *body);

static bool is_map_item(const AstNode *e)
{
	return e->kind == AST_Subscript && e->sema && ((const IndexInfo *)e->sema)->map;
}

/* The kernel lets BPF code only look up in maps of maps. */
static bool check_not_outer(Sema *s, AstNode *item)
{
	MapDef *m = ((IndexInfo *)item->sema)->map;
	if (m->family != MF_OUTER)
		return true;
	diag_error(s->d, ast_loc(item), "BPF code can only look up in %s '%s'; userspace fills it",
		   sema_map_class_name(m->cls), m->name);
	return false;
}

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

/* ---- statements ---- */

/* The type a local takes from its first value. */
static Type *local_type_from(Sema *s, AstNode *value, Type *t)
{
	if (value && value->konst && value->konst->untyped)
		return type_int(s->p, CT_INT64);
	/* x = m[k] copies a number (Python ints are values) but refers to a
	 * struct in the map (Python objects are references), like lookup() */
	if (value && is_map_item(value) && t->base && t->base->kind == TY_INT)
		return t->base;
	return t;
}

/* Reports a write to a read-only (Final) global, through any fields and
 * elements of it. The target has been checked. */
static void check_writable(Sema *s, AstNode *target)
{
	AstNode *e = target;
	for (AstNode *k = target; k->kind == AST_Attribute || k->kind == AST_Subscript;
	     k = k->kind == AST_Attribute ? k->Attribute.value : k->Subscript.value) {
		if (sema_is_kernel_place(k)) {
			diag_error(s->d, ast_loc(target),
				   "kernel memory cannot be written: '%s' is a field of a kernel "
				   "struct",
				   k->Attribute.attr);
			return;
		}
	}
	while ((e->kind == AST_Attribute && e->sema) ||
	       (e->kind == AST_Subscript && e->sema && !is_map_item(e)))
		e = e->kind == AST_Attribute ? e->Attribute.value : e->Subscript.value;
	const Symbol *sym = e->kind == AST_Name ? e->sema : NULL;
	if (sym && sym->kind == SYM_GLOBAL && sym->global->readonly)
		diag_error(s->d, ast_loc(target),
			   "'%s' is read-only (Final): userspace sets it before the program is "
			   "loaded",
			   sym->name);
}

/* After an error in the value assigned to `target`: a local it would bind
 * becomes bound without a type, so its uses stay quiet (a NULL type means
 * the error was reported). */
static void poison(Sema *s, AstNode *target)
{
	if (target->kind != AST_Name || scope_get(&s->global_decls, target->Name.id))
		return;
	Symbol *l = scope_get(&s->locals, target->Name.id);
	if (l && !l->bound) {
		l->bound = true;
		l->type = NULL;
	}
}

/* name = value, where the value has type t. */
static void assign_name(Sema *s, AstNode *target, AstNode *value, Type *t)
{
	const char *name = target->Name.id;
	Symbol *g = scope_get(&s->global_decls, name);
	if (g) {
		target->sema = g;
		target->type = g->type;
		if (sema_convert(s, value, t, g->type, "assignment to global"))
			check_writable(s, target);
		return;
	}
	Symbol *l = scope_get(&s->locals, name);
	target->sema = l;
	if (l->bound && !l->type)
		return; /* poisoned by an earlier error */
	if (!l->bound) {
		if (sema_is_kernel_type(t)) {
			/* its fields' offsets are the compile-time kernel's */
			diag_error(s->d, ast_loc(value),
				   "kernel struct '%s' cannot be copied out of kernel memory; read "
				   "its fields in place",
				   t->c_name);
			l->bound = true; /* quiet from here on (poisoned) */
			return;
		}
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
		if (value->kind != AST_Call) /* a constructor reported it already */
			sema_fits_stack(s, ast_loc(target), l->type, name);
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
	sema_convert(s, value, t, l->type, "assignment");
}

/* target = value (value already checked, with type t). */
static void assign_target(Sema *s, AstNode *target, AstNode *value, Type *t)
{
	switch (target->kind) {
	case AST_Name:
		assign_name(s, target, value, t);
		return;
	case AST_Attribute: {
		Type *ft = sema_attribute(s, target);
		if (ft && sema_convert(s, value, t, ft, "assignment to field"))
			check_writable(s, target);
		return;
	}
	case AST_Subscript: {
		Type *et = sema_subscript(s, target);
		if (!et)
			return;
		if (is_map_item(target)) {
			if (check_not_outer(s, target))
				sema_convert(s, value, t, ((IndexInfo *)target->sema)->map->value,
					     "map value");
		} else if (sema_convert(s, value, t, et, "assignment to element"))
			check_writable(s, target);
		return;
	}
	default:
		diag_error(s->d, ast_loc(target), "cannot assign to %s in BPF code",
			   sema_construct_name(target->kind));
	}
}

/* del m[k], ... */
static void check_delete(Sema *s, AstNode *st)
{
	for (int i = 0; i < st->Delete.targets.n; i++) {
		AstNode *t = st->Delete.targets.items[i];
		if (t->kind != AST_Subscript || !sema_receiver_map(s, t->Subscript.value)) {
			diag_error(s->d, ast_loc(t), "'del' removes map items only: del m[key]");
			continue;
		}
		if (sema_subscript(s, t))
			check_not_outer(s, t);
	}
}

static bool is_sequence(const AstNode *e)
{
	return e->kind == AST_Tuple || e->kind == AST_List;
}

bool sema_is_unpacking(const AstNode *st)
{
	return st->Assign.targets.n == 1 && is_sequence(st->Assign.targets.items[0]) &&
	       is_sequence(st->Assign.value);
}

static void check_assign(Sema *s, AstNode *st)
{
	AstNode *value = st->Assign.value;
	/* a, b = x, y */
	if (sema_is_unpacking(st)) {
		AstNode *tt = st->Assign.targets.items[0];
		if (tt->Tuple.elts.n != value->Tuple.elts.n) {
			diag_error(s->d, ast_loc(st), "cannot unpack %d values into %d names",
				   value->Tuple.elts.n, tt->Tuple.elts.n);
			return;
		}
		Type **types =
			arena_alloc(s->a, sizeof(Type *) * (size_t)(value->Tuple.elts.n + 1));
		for (int i = 0; i < value->Tuple.elts.n; i++)
			types[i] = sema_stored(s, value->Tuple.elts.items[i]);
		for (int i = 0; i < value->Tuple.elts.n; i++)
			if (types[i])
				assign_target(s, tt->Tuple.elts.items[i],
					      value->Tuple.elts.items[i], types[i]);
		return;
	}
	Type *t = sema_stored(s, value);
	if (!t) {
		for (int i = 0; i < st->Assign.targets.n; i++)
			poison(s, st->Assign.targets.items[i]);
		return;
	}
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
		Type *vt = sema_stored(s, st->AnnAssign.value);
		if (!vt || !sema_convert(s, st->AnnAssign.value, vt, t, "initial value"))
			return;
	}
	if (!sema_fits_stack(s, ast_loc(target), t, name))
		return;
	l->type = t;
	l->bound = true;
	target->sema = l;
	target->type = t;
}

static void check_augassign(Sema *s, AstNode *st)
{
	AstNode *target = st->AugAssign.target;
	Type *vt = sema_int(s, st->AugAssign.value, "right operand");
	if (!sema_op_allowed(s, st, st->AugAssign.op))
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
			if (!sym->type)
				return; /* poisoned by an earlier error */
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
		tt = sema_attribute(s, target);
	} else if (target->kind == AST_Subscript) {
		tt = sema_subscript(s, target);
		if (tt && is_map_item(target))
			tt = check_not_outer(s, target) ? tt->base : NULL; /* updates the value */
	} else {
		diag_error(s->d, ast_loc(target), "cannot assign to %s in BPF code",
			   sema_construct_name(target->kind));
		return;
	}
	if (!tt || !vt)
		return;
	check_writable(s, target);
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
	sema_cond(s, st->If.test);
	check_block(s, &st->If.body);
	check_block(s, &st->If.orelse);
}

/* Whether a loop body can leave its loop: a break of this loop (not of a
 * nested one) or a return anywhere. */
static bool leaves_loop(const AstList *body, bool nested)
{
	for (int i = 0; i < body->n; i++) {
		const AstNode *st = body->items[i];
		switch (st->kind) {
		case AST_Break:
			if (!nested)
				return true;
			break;
		case AST_Return:
			return true;
		case AST_If:
			if (leaves_loop(&st->If.body, nested) ||
			    leaves_loop(&st->If.orelse, nested))
				return true;
			break;
		case AST_While:
			if (leaves_loop(&st->While.body, true) ||
			    leaves_loop(&st->While.orelse, nested))
				return true;
			break;
		case AST_For:
			if (leaves_loop(&st->For.body, true) ||
			    leaves_loop(&st->For.orelse, nested))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

static void check_while(Sema *s, AstNode *st)
{
	AstNode *test = st->While.test;
	if (sema_cond(s, test) && test->konst && test->konst->v &&
	    !leaves_loop(&st->While.body, false)) {
		Diag *g = diag_error(s->d, ast_loc(test),
				     "this loop never ends: the verifier rejects loops it cannot "
				     "bound");
		diag_note(s->d, g, ast_loc(st),
			  "add a 'break' or 'return', or count with 'for i in range(N)'");
	}
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

/* The verifier walks every iteration of a loop and gives up after a million
 * instructions: a constant range() beyond that is unlikely to load. */
static void check_trip_count(Sema *s, AstNode *range)
{
	AstList *args = &range->Call.args;
	for (int i = 0; i < args->n; i++)
		if (!args->items[i]->konst)
			return;
	int64_t start = args->n > 1 ? args->items[0]->konst->v : 0;
	int64_t stop = args->items[args->n > 1]->konst->v;
	int64_t step = args->n > 2 ? args->items[2]->konst->v : 1;
	__int128 span = step > 0 ? (__int128)stop - start : (__int128)start - stop;
	__int128 by = step > 0 ? (__int128)step : -(__int128)step;
	__int128 n = span <= 0 ? 0 : (span + by - 1) / by;
	if (n <= BPF_VERIFIER_INSNS)
		return;
	Diag *g = diag_warning(s->d, ast_loc(range),
			       "this loop runs %lld times; the verifier gives up after %d "
			       "instructions",
			       (long long)n, BPF_VERIFIER_INSNS);
	diag_note(s->d, g, ast_loc(range),
		  "bpf_loop(n, callback, ctx) runs a @bpf callback up to 8388608 times");
}

static void check_for(Sema *s, AstNode *st)
{
	AstNode *it = st->For.iter, *target = st->For.target;
	bool ok = true;
	if (!is_range_call(s, it)) {
		diag_error(s->d, ast_loc(it), "BPF 'for' loops iterate over range(...) only");
		ok = false;
	} else if (sema_no_keywords(s, it, "range") && sema_arg_count(s, it, "range", 1, 3)) {
		Type *t = NULL;
		for (int i = 0; i < it->Call.args.n; i++) {
			AstNode *a = it->Call.args.items[i];
			Type *at = sema_int(s, a, "range() argument");
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
		if (ok)
			check_trip_count(s, it);
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
			} else if (l->type && l->type->kind != TY_INT) {
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
	if (s->fn->ret->kind == TY_VOID) {
		if (!sema_is_none(v))
			diag_error(s->d, ast_loc(v), "'%s' returns None; it cannot return a value",
				   s->fn->name);
		return;
	}
	if (sema_is_none(v)) {
		diag_error(s->d, ast_loc(v), "a BPF program must return an integer, not None");
		return;
	}
	Type *t = sema_expr(s, v);
	if (t)
		sema_convert(s, v, t, s->fn->ret, "return value");
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
	if (sema_is_str(v))
		return; /* docstrings and string "comments" */
	sema_expr(s, v);
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
	[AST_Delete] = check_delete,
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
	for (int i = 0; i < fn->locals.n; i++) { /* a program's event arguments */
		Symbol *l = fn->locals.items[i];
		if (l->event_init || l->event_slot)
			scope_put(s->a, &s->locals, l);
	}
	AstList *body = &fn->def->FunctionDef.body;
	collect_globals(s, body);
	collect_locals(s, body);
	check_block(s, body);
	sema_packet_check_bounds(s, fn);
	s->fn = NULL;
}
