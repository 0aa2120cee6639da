/*
 * sema_kfunc.c - kernel functions exported to BPF (kfuncs) in BPF code.
 *
 * `from vmlinux import bpf_task_from_pid` binds a kfunc: a function of the
 * kernel's BTF that the kernel tags `bpf_kfunc` (kbtf_func). Its prototype
 * comes from the BTF: each parameter is an integer (KP_SCALAR), a pointer
 * to a kernel struct (KP_OBJECT: a BTF pointer, as a kfunc returns one), or
 * a pointer to anything else (KP_MEMORY: an address). A kfunc returning a
 * pointer to a kernel struct gives a BTF pointer, whose fields are read with
 * direct CO-RE loads (`t = bpf_task_from_pid(p)`, then `t.tgid`).
 *
 * Parameter name suffixes are the kernel's conventions
 * (Documentation/bpf/kfuncs.rst): `__k` takes a constant, `__nullable` and
 * `__opt` also take None. Which program types may call which kfunc is the
 * kernel's business: the verifier says so at load time.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <bpf/btf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct btf_type *skip_mods(const struct btf *btf, uint32_t id, uint32_t *out)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	while (id && (btf_is_mod(t) || btf_is_typedef(t))) {
		id = t->type;
		t = btf__type_by_id(btf, id);
	}
	*out = id;
	return t;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* ---- the C declaration, for messages ---- */

typedef struct Text {
	char *buf;
	size_t len;
} Text;

static void text_print(void *ctx, const char *fmt, va_list ap)
{
	Text *t = ctx;
	char piece[256];
	int n = vsnprintf(piece, sizeof piece, fmt, ap);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof piece)
		n = sizeof piece - 1;
	char *more = realloc(t->buf, t->len + (size_t)n + 1);
	if (!more)
		return;
	memcpy(more + t->len, piece, (size_t)n + 1);
	t->buf = more;
	t->len += (size_t)n;
}

/* `struct task_struct *bpf_task_from_pid(s32 pid)`, as libbpf's BTF dumper
 * writes the declaration. */
static const char *c_declaration(Sema *s, const struct btf *btf, const struct btf_type *fn)
{
	Text t = {0};
	struct btf_dump *d = btf_dump__new(btf, text_print, &t, NULL);
	const char *name = btf__name_by_offset(btf, fn->name_off);
	const char *out = name;
	if (d) {
		LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = name);
		if (btf_dump__emit_type_decl(d, fn->type, &o) == 0 && t.buf)
			out = arena_strdup(s->a, t.buf);
		btf_dump__free(d);
	}
	free(t.buf);
	return out;
}

/* ---- binding ---- */

static KParamKind param_kind(const struct btf *btf, uint32_t id)
{
	uint32_t rid;
	const struct btf_type *t = skip_mods(btf, id, &rid);
	if (rid && (btf_is_int(t) || btf_is_any_enum(t)))
		return KP_SCALAR;
	if (!rid || !btf_is_ptr(t))
		return KP_UNSUPPORTED;
	const struct btf_type *to = skip_mods(btf, t->type, &rid);
	if (!rid)
		return KP_MEMORY; /* void * */
	if (btf_is_composite(to))
		return KP_OBJECT;
	if (btf_is_int(to) || btf_is_any_enum(to) || btf_is_ptr(to) || btf_is_array(to))
		return KP_MEMORY;
	return KP_UNSUPPORTED; /* function pointers, forward declarations, floats */
}

static KFunc *new_kfunc(Sema *s, const char *name, uint32_t id)
{
	Kbtf *k = s->p->kbtf;
	const struct btf *btf = kbtf_btf(k);
	const struct btf_type *fn = btf__type_by_id(btf, id);
	const struct btf_type *proto = btf__type_by_id(btf, fn->type);
	KFunc *kf = arena_alloc(s->a, sizeof *kf);
	kf->name = arena_strdup(s->a, name);
	kf->btf_id = id;
	kf->signature = c_declaration(s, btf, fn);
	int n = btf_vlen(proto);
	const struct btf_param *ps = btf_params(proto);
	if (n && !ps[n - 1].type)
		n = -1; /* variadic: not callable from BPF */
	kf->nparams = n;
	size_t cap = (size_t)(n > 0 ? n : 1);
	kf->pnames = arena_alloc(s->a, sizeof(char *) * cap);
	kf->pkinds = arena_alloc(s->a, sizeof(KParamKind) * cap);
	kf->ptypes = arena_alloc(s->a, sizeof(Type *) * cap);
	for (int i = 0; i < n; i++) {
		kf->pnames[i] = btf__name_by_offset(btf, ps[i].name_off);
		kf->pkinds[i] = param_kind(btf, ps[i].type);
		if (kf->pkinds[i] == KP_OBJECT) {
			uint32_t pid, sid;
			const struct btf_type *pt = skip_mods(btf, ps[i].type, &pid);
			skip_mods(btf, pt->type, &sid);
			Type *st = kbtf_type(k, sid);
			kf->ptypes[i] = st ? kbtf_pointer(k, st, KPTR_BTF) : NULL;
		} else if (kf->pkinds[i] != KP_UNSUPPORTED) {
			kf->ptypes[i] = kbtf_type(k, ps[i].type);
		}
		if (!kf->ptypes[i])
			kf->pkinds[i] = KP_UNSUPPORTED;
	}
	uint32_t rid;
	const struct btf_type *rt = skip_mods(btf, proto->type, &rid);
	if (!rid) {
		kf->ret = s->p->none;
	} else if (btf_is_ptr(rt)) {
		uint32_t sid;
		const struct btf_type *to = skip_mods(btf, rt->type, &sid);
		Type *st = sid && btf_is_composite(to) ? kbtf_type(k, sid) : NULL;
		/* a struct pointer from a kfunc is a BTF pointer */
		kf->ret = st ? kbtf_pointer(k, st, KPTR_BTF) : kbtf_type(k, rid);
	} else if (btf_is_int(rt) || btf_is_any_enum(rt)) {
		kf->ret = kbtf_type(k, rid);
	}
	return kf;
}

bool sema_bind_kfunc(Sema *s, AstNode *alias, const char *name, Symbol *sym)
{
	Kbtf *k = s->p->kbtf;
	bool is_kfunc;
	uint32_t id = kbtf_func(k, name, &is_kfunc);
	if (id && is_kfunc) {
		sym->kind = SYM_KFUNC;
		sym->kfunc = new_kfunc(s, name, id);
		return true;
	}
	if (id) {
		diag_error(s->d, ast_loc(alias),
			   "'%s' is a kernel function but not a kfunc: BPF programs call only "
			   "the functions the kernel exports to them (tagged bpf_kfunc in its BTF)",
			   name);
		return true;
	}
	/* a misspelt kfunc */
	const char *near = kbtf_suggest(k, name);
	if (!near || !kbtf_func(k, near, &is_kfunc) || !is_kfunc)
		return false;
	Diag *g = diag_error(s->d, ast_loc(alias), "kernel BTF '%s' has no kfunc '%s'",
			     kbtf_path(k), name);
	diag_note(s->d, g, ast_loc(alias), "did you mean '%s'?", near);
	return true;
}

/* ---- calls ---- */

/* Reports why kfunc kf cannot be called; NULL. */
static Type *kfunc_error(Sema *s, AstNode *e, KFunc *kf, const char *why)
{
	Diag *g = diag_error(s->d, ast_loc(e), "kfunc %s() cannot be called from pybpf: %s",
			     kf->name, why);
	diag_note(s->d, g, ast_loc(e), "the kernel declares it as: %s", kf->signature);
	return NULL;
}

/* A pointer to a kernel struct: a BTF pointer to that struct (or None for
 * `__nullable`/`__opt` parameters). */
static bool check_object(Sema *s, AstNode *arg, KFunc *kf, int i)
{
	Type *want = kf->ptypes[i];
	const char *pname = kf->pnames[i];
	if (sema_is_none(arg)) {
		if (ends_with(pname, "__nullable") || ends_with(pname, "__opt"))
			return sema_set_type(arg, s->p->none) != NULL;
		diag_error(s->d, ast_loc(arg), "argument %d of %s() must be a '%s', not '%s'",
			   i + 1, kf->name, type_name(want), "None");
		return false;
	}
	Type *t = sema_expr(s, arg);
	if (!t)
		return false;
	bool same = t->is_kptr && t->kptr &&
		    (t->kptr == want->kptr ||
		     (t->kptr->btf_id && t->kptr->btf_id == want->kptr->btf_id));
	if (!same) {
		diag_error(s->d, ast_loc(arg), "argument %d of %s() must be a '%s', not '%s'",
			   i + 1, kf->name, type_name(want), type_name(t));
		return false;
	}
	if (t->kmode == KPTR_PROBE) {
		Diag *g =
			diag_error(s->d, ast_loc(arg),
				   "argument %d of %s() is a kernel pointer made from an address, "
				   "which the verifier does not trust",
				   i + 1, kf->name);
		diag_note(s->d, g, ast_loc(arg),
			  "kfuncs take BTF pointers: from kfuncs, bpf_get_current_task_btf(), "
			  "typed contexts, or fields read through those");
		return false;
	}
	return true;
}

/* Any other pointer: a pointer, a kernel pointer, a string constant, or a
 * variable, buffer or field passed by address. */
static bool check_memory(Sema *s, AstNode *arg, KFunc *kf, int i)
{
	if (sema_is_none(arg))
		return sema_set_type(arg, s->p->none) != NULL;
	if (sema_is_str(arg))
		return true;
	Type *t = sema_expr(s, arg);
	if (!t)
		return false;
	if (t->kind == TY_PTR || t->is_kptr || t->kind == TY_ARRAY || t->kind == TY_STRUCT ||
	    sema_is_lvalue(arg))
		return true;
	diag_error(s->d, ast_loc(arg),
		   "argument %d of %s() points to memory: pass a pointer, a variable or a "
		   "buffer, not a '%s' value",
		   i + 1, kf->name, type_name(t));
	return false;
}

Type *sema_kfunc_call(Sema *s, AstNode *e, KFunc *kf)
{
	if (!sema_no_keywords(s, e, kf->name))
		return NULL;
	if (kf->nparams < 0)
		return kfunc_error(s, e, kf, "it takes a variable number of arguments");
	if (kf->nparams > 5)
		return kfunc_error(s, e, kf, "BPF calls pass at most 5 arguments");
	if (!kf->ret)
		return kfunc_error(s, e, kf, "it returns a type pybpf does not read");
	for (int i = 0; i < kf->nparams; i++)
		if (kf->pkinds[i] == KP_UNSUPPORTED) {
			const char *why = arena_printf(
				s->a, "parameter %d ('%s') has a type pybpf does not pass", i + 1,
				kf->pnames[i]);
			return kfunc_error(s, e, kf, why);
		}
	if (e->Call.args.n != kf->nparams) {
		Diag *g = diag_error(s->d, ast_loc(e), "%s() takes %d argument%s, got %d", kf->name,
				     kf->nparams, kf->nparams == 1 ? "" : "s", e->Call.args.n);
		diag_note(s->d, g, ast_loc(e), "the kernel declares it as: %s", kf->signature);
		return NULL;
	}
	bool ok = true;
	for (int i = 0; i < kf->nparams; i++) {
		AstNode *arg = e->Call.args.items[i];
		switch (kf->pkinds[i]) {
		case KP_SCALAR:
			if (!sema_int(s, arg, "argument")) {
				ok = false;
			} else if (ends_with(kf->pnames[i], "__k") && !arg->konst) {
				diag_error(
					s->d, ast_loc(arg),
					"argument %d of %s() must be a constant (parameter '%s')",
					i + 1, kf->name, kf->pnames[i]);
				ok = false;
			}
			break;
		case KP_OBJECT:
			ok &= check_object(s, arg, kf, i);
			break;
		case KP_MEMORY:
			ok &= check_memory(s, arg, kf, i);
			break;
		case KP_UNSUPPORTED:
			break;
		}
	}
	if (!ok)
		return NULL;
	CallInfo *ci = arena_alloc(s->a, sizeof *ci);
	ci->kind = CALL_KFUNC;
	ci->kfunc = kf;
	e->sema = ci;
	return sema_set_type(e, kf->ret);
}

/* ---- a kfunc called without its import ---- */

bool sema_kfunc_unimported(Sema *s, AstNode *name)
{
	const char *id = name->Name.id;
	if (scope_get(&s->locals, id) || scope_get(&s->global_decls, id) ||
	    sema_lookup_module(s, id))
		return false;
	Kbtf *k = s->p->kbtf;
	if (!k && !s->kbtf_failed && !s->kbtf_probed) {
		/* read quietly, once: the file does not ask for kernel types */
		const char *why;
		s->kbtf_probed = true;
		s->kbtf_probe = kbtf_load(s->a, s->p, s->opts->btf_path, &why);
	}
	if (!k)
		k = s->kbtf_probe;
	bool is_kfunc;
	if (!k || !kbtf_func(k, id, &is_kfunc) || !is_kfunc)
		return false;
	diag_error(s->d, ast_loc(name), "'%s' is a kfunc: import it with 'from vmlinux import %s'",
		   id, id);
	return true;
}
