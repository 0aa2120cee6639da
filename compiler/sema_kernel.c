/*
 * sema_kernel.c - kernel types in BPF code: `from vmlinux import ...`,
 * kernel pointers and their fields.
 *
 * Each name imported from vmlinux is resolved when it is bound (kbtf.c
 * loads the kernel BTF at the first such import): a kernel struct, union or
 * typedef becomes a type symbol, an enumerator an integer constant. A kernel
 * struct type called on an address, `struct_task_struct(addr)`, gives a
 * kernel pointer (an integer that remembers what it points to). A field of
 * what a kernel pointer points to is a kernel place: reading it copies the
 * field out of kernel memory with a CO-RE relocated probe read
 * (lower_core.c); writing it is an error.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <string.h>

bool sema_need_kbtf(Sema *s, AstNode *at, const char *why_btf)
{
	if (s->p->kbtf)
		return true;
	if (s->kbtf_failed)
		return false;
	if (s->kbtf_probe) { /* read quietly already (sema_kfunc.c) */
		s->p->kbtf = s->kbtf_probe;
		return true;
	}
	const char *why = NULL;
	s->p->kbtf = kbtf_load(s->a, s->p, s->opts->btf_path, &why);
	if (s->p->kbtf)
		return true;
	s->kbtf_failed = true;
	Diag *g = diag_error(s->d, ast_loc(at), "%s", why);
	diag_note(s->d, g, ast_loc(at), "%s; give a BTF file with --btf PATH", why_btf);
	return false;
}

/* from vmlinux import NAME [as BOUND] */
void sema_bind_vmlinux(Sema *s, AstNode *alias, const char *name, const char *bound)
{
	Symbol *sym = sema_new_symbol(s, SYM_OTHER, bound, ast_loc(alias));
	sym->detail = -1; /* a kernel name that did not resolve (reported) */
	scope_put(s->a, &s->module, sym);
	s->kbtf_imported = true;
	if (!sema_need_kbtf(s, alias, "kernel types come from the kernel's BTF"))
		return;
	Type *t = NULL;
	ConstVal v = {0};
	switch (kbtf_resolve(s->p->kbtf, name, &t, &v)) {
	case KBTF_TYPE:
		sym->kind = SYM_TYPE;
		sym->type = t;
		return;
	case KBTF_CONST:
		sym->kind = SYM_CONST;
		sym->cval = v;
		sym->cstate = 2;
		return;
	case KBTF_NONE:
		if (sema_bind_kfunc(s, alias, name, sym))
			return;
		break;
	}
	Diag *g = diag_error(s->d, ast_loc(alias), "kernel BTF '%s' has no type or constant '%s'",
			     kbtf_path(s->p->kbtf), name);
	const char *near = kbtf_suggest(s->p->kbtf, name);
	if (near)
		diag_note(s->d, g, ast_loc(alias), "did you mean '%s'?", near);
}

bool sema_is_kernel_type(const Type *t)
{
	return t && t->btf_id && t->kind == TY_STRUCT;
}

/* STRUCT(address): a kernel pointer to a kernel struct or union. */
Type *sema_kernel_cast(Sema *s, AstNode *e, Symbol *sym)
{
	if (!sema_no_keywords(s, e, sym->name) || !sema_arg_count(s, e, sym->name, 1, 1))
		return NULL;
	if (!sema_int(s, e->Call.args.items[0], "the kernel address"))
		return NULL;
	sema_set_call_cast(s, e);
	return sema_set_type(e, kbtf_pointer(s->p->kbtf, sym->type, KPTR_PROBE));
}

/* A kernel place: a field of what a kernel pointer points to, or a field of
 * such a field that is itself a struct. */
bool sema_is_kernel_place(const AstNode *e)
{
	if (e->kind != AST_Attribute || !e->sema)
		return false;
	const AstNode *b = e->Attribute.value;
	if (b->type && b->type->is_kptr)
		return true;
	return sema_is_kernel_type(b->type) && sema_is_kernel_place(b);
}

KptrMode sema_kernel_mode(const AstNode *e)
{
	const AstNode *b = e->Attribute.value;
	if (b->type->is_kptr)
		return (KptrMode)b->type->kmode;
	return sema_kernel_mode(b);
}

/* Finds field `name` of kernel struct t, looking into anonymous members;
 * fills path[] with the fields from t down to it. Returns the depth (0: not
 * found). */
static int find_field(Kbtf *k, Type *t, const char *name, Field **path, int max)
{
	if (max == 0)
		return 0;
	kbtf_fields(k, t);
	for (int i = 0; i < t->nfields; i++) {
		Field *f = &t->fields[i];
		if (strcmp(f->name, name) == 0) {
			path[0] = f;
			return 1;
		}
	}
	for (int i = 0; i < t->nfields; i++) {
		Field *f = &t->fields[i];
		if (*f->name || !sema_is_kernel_type(f->type))
			continue;
		int d = find_field(k, f->type, name, path + 1, max - 1);
		if (d) {
			path[0] = f;
			return d + 1;
		}
	}
	return 0;
}

#define MAX_ANON_DEPTH 8

/* base.NAME where base is a kernel pointer or a kernel place of struct type
 * st. A field inside anonymous members becomes a chain of attributes (with
 * empty names), so lowering sees every step of the CO-RE access. */
Type *sema_kernel_attribute(Sema *s, AstNode *e, Type *st)
{
	Kbtf *k = s->p->kbtf;
	const char *name = e->Attribute.attr;
	Field *path[MAX_ANON_DEPTH];
	int depth = find_field(k, st, name, path, MAX_ANON_DEPTH);
	if (!depth) {
		Diag *g = diag_error(s->d, ast_loc(e), "kernel %s '%s' has no field '%s'",
				     st->is_union ? "union" : "struct", st->c_name, name);
		const char *near = kbtf_suggest_field(k, st, name);
		if (near)
			diag_note(s->d, g, ast_loc(e), "did you mean '%s'?", near);
		return NULL;
	}
	Field *f = path[depth - 1];
	Type *owner = depth > 1 ? path[depth - 2]->type : st;
	bool odd = !f->type || f->bit_size < 0 || (f->bit_size && f->type->kind != TY_INT);
	const char *why = odd ? "a type pybpf does not read"
			  : f->bit_size && !sema_bitfield_relocatable(s, owner, f)
				  ? "a bitfield across its struct's alignment"
				  : NULL;
	if (why) {
		diag_error(s->d, ast_loc(e), "field '%s' of kernel %s '%s' cannot be read yet (%s)",
			   name, st->is_union ? "union" : "struct", st->c_name, why);
		return NULL;
	}
	/* the anonymous steps become Attribute nodes between base and e */
	AstNode *base = e->Attribute.value;
	for (int i = 0; i < depth - 1; i++) {
		AstNode *step = arena_alloc(s->a, sizeof *step);
		*step = *e;
		step->Attribute.value = base;
		step->Attribute.attr = "";
		step->sema = path[i];
		step->type = path[i]->type;
		step->konst = NULL;
		path[i]->used = true;
		base = step;
	}
	e->Attribute.value = base;
	f->used = true;
	e->sema = f;
	/* a pointer read through a BTF pointer is one too (PTR_TO_BTF_ID) */
	if (f->type->is_kptr && sema_is_kernel_type(f->type->kptr) &&
	    sema_kernel_mode(e) == KPTR_BTF)
		return sema_set_type(e, kbtf_pointer(k, f->type->kptr, KPTR_BTF));
	return sema_set_type(e, f->type);
}

/* bpf_core_field_exists(task.pid), bpf_core_field_size(task.comm): a field
 * of a kernel struct (the access the relocation describes);
 * bpf_core_type_exists(struct_task_struct), bpf_core_type_size(...): a
 * kernel type. The argument is not evaluated. */
bool sema_core_query(Sema *s, AstNode *e, BuiltinId id, const char *name)
{
	AstNode *arg = e->Call.args.items[0];
	if (id == BI_CORE_FIELD_EXISTS || id == BI_CORE_FIELD_SIZE) {
		if (arg->kind == AST_Attribute && !sema_expr(s, arg))
			return false;
		if (!sema_is_kernel_place(arg)) {
			diag_error(s->d, ast_loc(arg),
				   "%s() takes a field of a kernel struct, as in %s(task.pid)",
				   name, name);
			return false;
		}
		return true;
	}
	Symbol *sym = sema_resolve_static(s, arg);
	if (!sym || sym->kind != SYM_TYPE || !sema_is_kernel_type(sym->type)) {
		diag_error(s->d, ast_loc(arg),
			   "%s() takes a kernel struct or union from vmlinux, as in "
			   "%s(struct_task_struct)",
			   name, name);
		return false;
	}
	arg->type = sym->type; /* for lowering: the type asked about */
	return true;
}

Type *sema_section_context(Sema *s, const char *section)
{
	Type *pt = sema_packet_context(s, section);
	if (pt)
		return pt;
	Type *typed = sema_typed_context(s, section);
	if (typed)
		return typed;
	const char *event = NULL;
	if (strncmp(section, "tracepoint/", 11) == 0)
		event = section + 11;
	else if (strncmp(section, "tp/", 3) == 0)
		event = section + 3;
	const char *name = event ? strchr(event, '/') : NULL;
	if (!name)
		return NULL;
	name++;
	/* the syscalls' events share the raw_syscalls records: an id, then the
	 * arguments (or the return value) in 8-byte slots */
	if (strncmp(event, "syscalls/", 9) == 0)
		name = strncmp(name, "sys_enter_", 10) == 0 ? "sys_enter"
		       : strncmp(name, "sys_exit_", 9) == 0 ? "sys_exit"
							    : NULL;
	if (!name)
		return NULL;
	Type *t = NULL;
	ConstVal unused;
	const char *record = arena_printf(s->a, "struct_trace_event_raw_%s", name);
	if (kbtf_resolve(s->p->kbtf, record, &t, &unused) != KBTF_TYPE || !sema_is_kernel_type(t))
		return NULL;
	return kbtf_pointer(s->p->kbtf, t, KPTR_CTX);
}
