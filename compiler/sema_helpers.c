/*
 * sema_helpers.c - the kernel's BPF helpers, callable by name.
 *
 * The catalog comes from helpers.def (generated from libbpf's
 * bpf_helper_defs.h by scripts/gen_helpers.py). A helper is called by its
 * kernel name, with or without the bpf_ prefix: probe_read_kernel(dst, 16,
 * src) or bpf_probe_read_kernel(...). Memory arguments take pointers (as
 * they are), objects and integer variables (by address: map_update_elem(m,
 * k, v)) and integer values (stored in a stack slot whose address is
 * passed); only address parameters (unsafe_ptr, user_ptr) take an integer
 * as the address itself. Arguments the compiler knows may be
 * left out, as pythonbpf's friendly forms do: the program's context
 * (get_stack(buf)), the size of the buffer just before (probe_read_kernel(
 * dst, src) reads sizeof(dst) bytes) and flags (0). When fewer arguments are
 * given, pybpf fills in contexts first, then sizes, then flags.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <string.h>

static const HelperInfo helpers[] = {
#define HELPER(name, id, ret, sig, nargs, a1, a2, a3, a4, a5) \
	{#name, id, ret, sig, nargs, {a1, a2, a3, a4, a5}},
#include "helpers.def"
#undef HELPER
};

const HelperInfo *helper_find(const char *name)
{
	if (strncmp(name, "bpf_", 4) == 0)
		name += 4;
	for (size_t i = 0; i < COUNT(helpers); i++)
		if (strcmp(helpers[i].name, name) == 0)
			return &helpers[i];
	return NULL;
}

int sema_helper_index(const HelperInfo *h)
{
	return (int)(h - helpers);
}

const HelperInfo *sema_helper_at(int index)
{
	return &helpers[index];
}

CTypeId helper_int_ctype(int kind, bool is_ret)
{
	static const CTypeId arg_types[] = {
		[A_U8] = CT_UINT8,     [A_U16] = CT_UINT16, [A_U32] = CT_UINT32,
		[A_U64] = CT_UINT64,   [A_S8] = CT_INT8,    [A_S16] = CT_INT16,
		[A_S32] = CT_INT32,    [A_S64] = CT_INT64,  [A_SIZE] = CT_UINT64,
		[A_FLAGS] = CT_UINT64,
	};
	static const CTypeId ret_types[] = {
		[R_U8] = CT_UINT8, [R_U16] = CT_UINT16, [R_U32] = CT_UINT32, [R_U64] = CT_UINT64,
		[R_S8] = CT_INT8,  [R_S16] = CT_INT16,	[R_S32] = CT_INT32,  [R_S64] = CT_INT64,
	};
	return is_ret ? ret_types[kind] : arg_types[kind];
}

static bool is_int_arg(HelperArg a)
{
	return (a >= A_U8 && a <= A_S64) || a == A_SIZE || a == A_FLAGS;
}

/* Decides which parameters the user left out: contexts first (unless the
 * user passed the context), then sizes, then flags. Returns false when the
 * count cannot be made to fit. */
static bool fill_omitted(const HelperInfo *h, int given, bool ctx_given, int *argmap)
{
	bool omit[5] = {false};
	int deficit = h->nargs - given;
	static const HelperArg order[] = {A_CTX, A_SIZE, A_FLAGS};
	for (size_t o = ctx_given ? 1 : 0; o < COUNT(order); o++)
		for (int i = 0; i < h->nargs && deficit > 0; i++)
			if (h->args[i] == order[o] && !omit[i]) {
				omit[i] = true;
				deficit--;
			}
	if (deficit != 0)
		return false;
	int j = 0;
	for (int i = 0; i < h->nargs; i++)
		argmap[i] = omit[i] ? -1 : j++;
	return true;
}

/* A memory argument: a pointer, an object (passed by address), or an
 * integer (an address the program computed). */
static bool check_memory_arg(Sema *s, const HelperInfo *h, HelperArg kind, int pos, AstNode *arg)
{
	if (kind == A_STR && sema_is_str(arg))
		return true;
	Type *t = sema_expr(s, arg);
	if (!t)
		return false;
	if (t->kind == TY_PTR || t->kind == TY_STRUCT || t->kind == TY_ARRAY || t->kind == TY_INT)
		return true;
	diag_error(s->d, ast_loc(arg), "argument %d of bpf_%s: expected memory, got '%s'", pos,
		   h->name, type_name(t));
	return false;
}

/* The size of what a memory argument points to (for a left-out size), or 0
 * when it is unknown (a void pointer, an integer used as an address). */
static int object_size(const AstNode *arg, HelperArg kind)
{
	if (sema_is_str(arg))
		return (int)arg->Constant.value.len + 1; /* with its NUL */
	const Type *t = arg->type;
	if (!t)
		return 0;
	if (t->kind == TY_PTR)
		return t->base ? t->base->size : 0;
	return t->kind == TY_INT && kind == A_ADDR ? 0 : t->size;
}

Symbol *sema_context_param(const FuncDef *fn)
{
	if (fn->nparams == 0)
		return NULL;
	if (fn->section && fn->params[0]->type->is_kptr && fn->params[0]->type->kmode == KPTR_CTX)
		return fn->params[0]; /* a context typed from the kernel's BTF */
	if (fn->params[0]->type->kind != TY_PTR)
		return NULL;
	if (!fn->section && fn->params[0]->type->base)
		return NULL; /* a struct or array passed by reference */
	return fn->params[0];
}

Type *sema_helper_call(Sema *s, AstNode *e, const HelperInfo *h)
{
	char fname[80];
	snprintf(fname, sizeof fname, "bpf_%s", h->name);
	if (!sema_no_keywords(s, e, fname))
		return NULL;
	CallInfo *ci = arena_alloc(s->a, sizeof *ci);
	ci->kind = CALL_HELPER;
	ci->helper = h;
	e->sema = ci;
	int given = e->Call.args.n;
	/* perf_event_output(ctx, m, flags, data) leaves out the size, not ctx */
	Symbol *ctx = sema_context_param(s->fn);
	AstNode *first = given ? e->Call.args.items[0] : NULL;
	bool ctx_given = ctx && h->nargs && h->args[0] == A_CTX && first &&
			 first->kind == AST_Name && strcmp(first->Name.id, ctx->name) == 0;
	if (given > h->nargs || !fill_omitted(h, given, ctx_given, ci->helper_args)) {
		Diag *g = diag_error(s->d, ast_loc(e), "%s() takes %d arguments, got %d", fname,
				     h->nargs, given);
		diag_note(s->d, g, ast_loc(e), "%s", h->signature);
		return NULL;
	}
	bool ok = true;
	for (int i = 0; i < h->nargs; i++) {
		HelperArg kind = h->args[i];
		int ai = ci->helper_args[i];
		AstNode *arg = ai >= 0 ? e->Call.args.items[ai] : NULL;
		if (!arg) {
			if (kind == A_CTX && !sema_context_param(s->fn)) {
				diag_error(s->d, ast_loc(e),
					   "%s() needs the program's context, and '%s' has no "
					   "context parameter",
					   fname, s->fn->name);
				ok = false;
			}
			if (kind == A_SIZE) {
				AstNode *buf = e->Call.args.items[ci->helper_args[i - 1]];
				if (object_size(buf, h->args[i - 1]) == 0) {
					diag_error(s->d, ast_loc(buf),
						   "the size of argument %d of %s() cannot be "
						   "inferred: pass it explicitly",
						   ci->helper_args[i - 1] + 1, fname);
					ok = false;
				}
			}
			continue;
		}
		int pos = ai + 1; /* the user's argument number */
		if (is_int_arg(kind)) {
			ok &= sema_int(s, arg, "argument") != NULL;
		} else if (kind == A_MAP) {
			MapDef *m = sema_receiver_map(s, arg);
			if (!m) {
				diag_error(s->d, ast_loc(arg), "argument %d of %s() must be a map",
					   pos, fname);
				ok = false;
			}
			ci->helper_maps[i] = m;
		} else if (kind == A_CALLBACK) {
			Symbol *f =
				arg->kind == AST_Name ? sema_lookup_module(s, arg->Name.id) : NULL;
			if (!f || f->kind != SYM_FUNC || f->func->section) {
				diag_error(
					s->d, ast_loc(arg),
					"argument %d of %s() must be a @bpf function (a callback)",
					pos, fname);
				ok = false;
				continue;
			}
			ci->helper_funcs[i] = f->func;
			CallSite *cs = arena_alloc(s->a, sizeof *cs);
			cs->callee = f->func;
			cs->loc = ast_loc(arg);
			ptrvec_push(s->a, &s->fn->calls, cs);
		} else if (kind == A_CTX) {
			Type *t = sema_expr(s, arg);
			if (t && t->kind != TY_PTR && !(t->is_kptr && t->kmode == KPTR_CTX)) {
				diag_error(s->d, ast_loc(arg),
					   "argument %d of %s() is the program's context, not '%s'",
					   pos, fname, type_name(t));
				ok = false;
			}
			ok &= t != NULL;
		} else {
			ok &= check_memory_arg(s, h, kind, pos, arg);
		}
	}
	if (!ok)
		return NULL;
	if (h->ret == R_VOID)
		return sema_set_type(e, s->p->none);
	if (h->ret == R_PTR && strcmp(h->name, "get_current_task_btf") == 0 && s->p->kbtf) {
		/* a BTF pointer: its fields are read with direct loads */
		Type *task = NULL;
		ConstVal unused;
		if (kbtf_resolve(s->p->kbtf, "struct_task_struct", &task, &unused) == KBTF_TYPE &&
		    sema_is_kernel_type(task))
			return sema_set_type(e, kbtf_pointer(s->p->kbtf, task, KPTR_BTF));
	}
	if (h->ret == R_PTR)
		return sema_set_type(e, s->p->void_ptr);
	return sema_set_type(e, type_int(s->p, helper_int_ctype(h->ret, true)));
}
