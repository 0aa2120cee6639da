/*
 * sema_call.c - checking calls in @bpf functions: builtins (print, the
 * pythonbpf helpers), map methods, casts to ctypes and struct construction.
 * Each call records a CallInfo in AstNode.sema saying what it is.
 */
#include "sema_internal.h"

#include <string.h>

/* ---- calls ---- */

static CallInfo *new_call(Sema *s, AstNode *e, CallKind kind)
{
	CallInfo *ci = arena_alloc(s->a, sizeof *ci);
	ci->kind = kind;
	e->sema = ci;
	return ci;
}

bool sema_no_keywords(Sema *s, AstNode *e, const char *fname)
{
	if (e->Call.keywords.n) {
		diag_error(s->d, ast_loc(e->Call.keywords.items[0]),
			   "%s() takes no keyword arguments", fname);
		return false;
	}
	return true;
}

bool sema_arg_count(Sema *s, AstNode *e, const char *fname, int min, int max)
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
	Type *t = sema_expr(s, v);
	if (!t)
		return false;
	Type *vt = sema_value_type(t);
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
			    sema_is_str(spec->JoinedStr.values.items[0]))
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
		if (!sema_is_str(v) || memchr(v->Constant.value.str, 0, v->Constant.value.len)) {
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
		if (sema_is_str(a))
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
	return ok ? sema_set_type(e, s->p->none) : NULL;
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
	/* atomics: the result type is the target's (CT__COUNT: nothing) */
	[BI_ATOMIC_ADD] = {"atomic_add", 2, CT__COUNT},
	[BI_ATOMIC_SUB] = {"atomic_sub", 2, CT__COUNT},
	[BI_ATOMIC_AND] = {"atomic_and", 2, CT__COUNT},
	[BI_ATOMIC_OR] = {"atomic_or", 2, CT__COUNT},
	[BI_ATOMIC_XOR] = {"atomic_xor", 2, CT__COUNT},
	[BI_ATOMIC_FETCH_ADD] = {"atomic_fetch_add", 2, CT__COUNT},
	[BI_ATOMIC_FETCH_SUB] = {"atomic_fetch_sub", 2, CT__COUNT},
	[BI_ATOMIC_FETCH_AND] = {"atomic_fetch_and", 2, CT__COUNT},
	[BI_ATOMIC_FETCH_OR] = {"atomic_fetch_or", 2, CT__COUNT},
	[BI_ATOMIC_FETCH_XOR] = {"atomic_fetch_xor", 2, CT__COUNT},
	[BI_ATOMIC_XCHG] = {"atomic_xchg", 2, CT__COUNT},
	[BI_ATOMIC_CMPXCHG] = {"atomic_cmpxchg", 3, CT__COUNT},
	[BI_CORE_FIELD_EXISTS] = {"bpf_core_field_exists", 1, CT_UINT32},
	[BI_CORE_FIELD_SIZE] = {"bpf_core_field_size", 1, CT_UINT32},
	[BI_CORE_TYPE_EXISTS] = {"bpf_core_type_exists", 1, CT_UINT32},
	[BI_CORE_TYPE_SIZE] = {"bpf_core_type_size", 1, CT_UINT32},
	[BI_NTOHS] = {"bpf_ntohs", 1, CT_UINT16},
	[BI_HTONS] = {"bpf_htons", 1, CT_UINT16},
	[BI_NTOHL] = {"bpf_ntohl", 1, CT_UINT32},
	[BI_HTONL] = {"bpf_htonl", 1, CT_UINT32},
	[BI_BE64_TO_CPU] = {"bpf_be64_to_cpu", 1, CT_UINT64},
	[BI_CPU_TO_BE64] = {"bpf_cpu_to_be64", 1, CT_UINT64},
	[BI_PT_REGS_PARM1] = {"PT_REGS_PARM1", 1, CT_UINT64},
	[BI_PT_REGS_PARM2] = {"PT_REGS_PARM2", 1, CT_UINT64},
	[BI_PT_REGS_PARM3] = {"PT_REGS_PARM3", 1, CT_UINT64},
	[BI_PT_REGS_PARM4] = {"PT_REGS_PARM4", 1, CT_UINT64},
	[BI_PT_REGS_PARM5] = {"PT_REGS_PARM5", 1, CT_UINT64},
	[BI_PT_REGS_PARM6] = {"PT_REGS_PARM6", 1, CT_UINT64},
	[BI_PT_REGS_RC] = {"PT_REGS_RC", 1, CT_UINT64},
	[BI_PT_REGS_IP] = {"PT_REGS_IP", 1, CT_UINT64},
	[BI_PT_REGS_SP] = {"PT_REGS_SP", 1, CT_UINT64},
	[BI_PT_REGS_FP] = {"PT_REGS_FP", 1, CT_UINT64},
	[BI_CORE_ENUM_VALUE_EXISTS] = {"bpf_core_enum_value_exists", 2, CT_UINT32},
	[BI_CORE_ENUM_VALUE] = {"bpf_core_enum_value", 2, CT_INT64},
	[BI_CORE_TYPE_ID_LOCAL] = {"bpf_core_type_id_local", 1, CT_UINT32},
	[BI_CORE_TYPE_ID_KERNEL] = {"bpf_core_type_id_kernel", 1, CT_UINT32},
};

/* atomic_op(target, value...): target is a 32- or 64-bit integer place
 * (a map value field, a global, an element...). Plain add and subtract are
 * BPF's oldest atomic instruction; the others need -mcpu=v3. The fetch forms,
 * exchange and compare-exchange give the old value. */
static Type *check_atomic(Sema *s, AstNode *e, BuiltinId id, const char *name)
{
	AstNode *target = e->Call.args.items[0];
	Type *t = sema_expr(s, target);
	if (!t)
		return NULL;
	bool map_item = target->kind == AST_Subscript && ((IndexInfo *)target->sema)->map;
	Type *vt = map_item ? t->base : t;
	if ((!sema_is_lvalue(target) && !map_item) || vt->kind != TY_INT) {
		diag_error(s->d, ast_loc(target),
			   "%s() changes a variable, field, element or map item, not '%s'", name,
			   type_name(vt));
		return NULL;
	}
	if (vt->size != 4 && vt->size != 8) {
		diag_error(s->d, ast_loc(target),
			   "atomic operations work on 32- and 64-bit integers, not '%s'",
			   type_name(vt));
		return NULL;
	}
	if (id != BI_ATOMIC_ADD && id != BI_ATOMIC_SUB && s->opts->mcpu < 3) {
		diag_error(s->d, ast_loc(e), "%s() needs --mcpu=v3 or later (v%d was asked for)",
			   name, s->opts->mcpu);
		return NULL;
	}
	for (int i = 1; i < e->Call.args.n; i++)
		if (!sema_int(s, e->Call.args.items[i], "the value"))
			return NULL;
	bool returns = id >= BI_ATOMIC_FETCH_ADD;
	return sema_set_type(e, returns ? vt : s->p->none);
}

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
	if (!sema_no_keywords(s, e, sig->name) ||
	    !sema_arg_count(s, e, sig->name, sig->nargs, sig->nargs))
		return NULL;
	if (id >= BI_ATOMIC_ADD && id <= BI_ATOMIC_CMPXCHG)
		return check_atomic(s, e, id, sig->name);
	if (id >= BI_CORE_FIELD_EXISTS && id <= BI_CORE_TYPE_SIZE &&
	    !sema_core_query(s, e, id, sig->name))
		return NULL;
	if (id >= BI_NTOHS && id <= BI_CPU_TO_BE64 &&
	    !sema_int(s, e->Call.args.items[0], "the value to convert"))
		return NULL;
	if (id >= BI_CORE_ENUM_VALUE_EXISTS && id <= BI_CORE_TYPE_ID_KERNEL &&
	    !sema_core_enum_or_id(s, e, id, sig->name))
		return NULL;
	if (id >= BI_PT_REGS_PARM1 && id <= BI_PT_REGS_FP)
		return sema_pt_regs(s, e, id, sig->name); /* becomes a field read */
	if (id == BI_COMM) {
		AstNode *buf = e->Call.args.items[0];
		Type *t = sema_expr(s, buf);
		if (!t)
			return NULL;
		if (t->kind != TY_ARRAY || !t->is_char || !sema_is_lvalue(buf)) {
			diag_error(s->d, ast_loc(buf),
				   "comm() fills a string buffer: pass a str(N) field or "
				   "variable, not '%s'",
				   type_name(t));
			return NULL;
		}
	}
	return sema_set_type(e, type_int(s->p, sig->ret));
}

typedef struct MapMethodInfo {
	const char *name;
	MapMethod method;
	unsigned families; /* bit per MapFamily */
} MapMethodInfo;

#define FAM(f) (1u << (f))

static const MapMethodInfo map_methods[] = {
	{"lookup", MM_LOOKUP, FAM(MF_KEYED) | FAM(MF_OUTER)},
	{"update", MM_UPDATE, FAM(MF_KEYED)},
	{"delete", MM_DELETE, FAM(MF_KEYED)},
	{"output", MM_OUTPUT, FAM(MF_PERF) | FAM(MF_RINGBUF)},
	{"reserve", MM_RESERVE, FAM(MF_RINGBUF)},
	{"submit", MM_SUBMIT, FAM(MF_RINGBUF)},
	{"discard", MM_DISCARD, FAM(MF_RINGBUF)},
	{"push", MM_PUSH, FAM(MF_QUEUE) | FAM(MF_BLOOM)},
	{"pop", MM_POP, FAM(MF_QUEUE)},
	{"peek", MM_PEEK, FAM(MF_QUEUE) | FAM(MF_BLOOM)},
	{"get_stackid", MM_GET_STACKID, FAM(MF_STACKTRACE)},
	{"tail_call", MM_TAIL_CALL, FAM(MF_PROGS)},
};

static const char *const family_methods[] = {
	[MF_KEYED] = "lookup(), update() and delete()",
	[MF_PERF] = "output()",
	[MF_RINGBUF] = "output(), reserve(), submit() and discard()",
	[MF_STACKTRACE] = "get_stackid()",
	[MF_QUEUE] = "push(), pop() and peek()",
	[MF_BLOOM] = "push() and peek()",
	[MF_PROGS] = "tail_call()",
	[MF_OUTER] = "lookup() (userspace fills it)",
};

bool sema_map_is_keyed(const MapDef *m)
{
	return m->family == MF_KEYED || m->family == MF_OUTER;
}

/* A key, value or record argument convertible to type t. */
static bool check_map_arg(Sema *s, AstNode *arg, Type *t, const char *what)
{
	Type *at = sema_stored(s, arg);
	return at && sema_convert(s, arg, at, t, what);
}

static bool needs_context(Sema *s, AstNode *e, MapDef *m, const char *method)
{
	if (sema_context_param(s->fn))
		return true;
	diag_error(s->d, ast_loc(e),
		   "%s.%s() needs the program's context: give '%s' a parameter (ctx)",
		   sema_map_class_name(m->cls), method, s->fn->name);
	return false;
}

/* queue/stack pop() and peek(): with a variable, fill it and return the
 * helper's result; without, return the value (zero when empty). */
static Type *check_pop_peek(Sema *s, AstNode *e, MapDef *m, const char *method)
{
	AstList *args = &e->Call.args;
	if (!sema_arg_count(s, e, method, 0, 1))
		return NULL;
	if (args->n == 0)
		return sema_set_type(e, m->value);
	Type *t = sema_expr(s, args->items[0]);
	if (!t)
		return NULL;
	if (!sema_is_lvalue(args->items[0]) || !type_same(t, m->value)) {
		diag_error(s->d, ast_loc(args->items[0]),
			   "%s() fills a variable of the map's value type '%s'", method,
			   type_name(m->value));
		return NULL;
	}
	return sema_set_type(e, type_int(s->p, CT_INT64));
}

/* ringbuf.reserve(T): a pointer to a T in the ring buffer, or None. */
/* Remembers the type of the records map m carries, for the BTF. */
static void note_event_type(MapDef *m, Type *t)
{
	if (!m->event_type)
		m->event_type = t;
	else if (!type_same(m->event_type, t))
		m->event_mixed = true;
}

static Type *check_reserve(Sema *s, AstNode *e, MapDef *m)
{
	if (!sema_arg_count(s, e, "reserve", 1, 1))
		return NULL;
	Type *t = sema_type_expr(s, e->Call.args.items[0]);
	if (!t)
		return NULL;
	if (t->kind == TY_VOID || t->kind == TY_PTR) {
		diag_error(s->d, ast_loc(e->Call.args.items[0]), "cannot reserve a '%s'",
			   type_name(t));
		return NULL;
	}
	note_event_type(m, t);
	return sema_set_type(e, type_ptr(s->a, t));
}

static Type *check_submit(Sema *s, AstNode *e, const char *method)
{
	if (!sema_arg_count(s, e, method, 1, 2))
		return NULL;
	AstNode *rec = e->Call.args.items[0];
	Type *t = sema_expr(s, rec);
	if (!t)
		return NULL;
	if (t->kind != TY_PTR || !t->base) {
		diag_error(s->d, ast_loc(rec), "%s() takes a record from reserve(), not '%s'",
			   method, type_name(t));
		return NULL;
	}
	if (e->Call.args.n == 2 && !sema_int(s, e->Call.args.items[1], "flags"))
		return NULL;
	return sema_set_type(e, s->p->none);
}

static Type *check_map_call(Sema *s, AstNode *e, MapDef *m, const char *method)
{
	const MapMethodInfo *mi = NULL;
	for (size_t i = 0; i < COUNT(map_methods); i++)
		if (strcmp(map_methods[i].name, method) == 0 &&
		    (map_methods[i].families & FAM(m->family)))
			mi = &map_methods[i];
	if (!mi) {
		Diag *g = diag_error(s->d, ast_loc(e->Call.func), "map '%s' has no method '%s'",
				     m->name, method);
		diag_note(s->d, g, m->loc, "'%s' is a %s; its methods are %s", m->name,
			  sema_map_class_name(m->cls), family_methods[m->family]);
		return NULL;
	}
	CallInfo *ci = new_call(s, e, CALL_MAP);
	ci->map = m;
	ci->method = mi->method;
	if (!sema_no_keywords(s, e, method))
		return NULL;
	AstList *args = &e->Call.args;
	Type *i64 = type_int(s->p, CT_INT64);
	switch (mi->method) {
	case MM_LOOKUP:
	case MM_DELETE:
		if (!sema_arg_count(s, e, method, 1, 1) ||
		    !check_map_arg(s, args->items[0], m->key, "map key"))
			return NULL;
		if (m->family == MF_OUTER)
			return sema_set_type(e, m->ref_type);
		return sema_set_type(e, mi->method == MM_LOOKUP ? type_ptr(s->a, m->value) : i64);
	case MM_UPDATE: {
		if (!sema_arg_count(s, e, method, 1, 3))
			return NULL;
		bool ok = check_map_arg(s, args->items[0], m->key, "map key");
		if (args->n >= 2)
			ok &= check_map_arg(s, args->items[1], m->value, "map value");
		else
			diag_warning(s->d, ast_loc(e),
				     "update() without a value stores zero in map '%s'", m->name);
		if (args->n == 3)
			ok &= sema_int(s, args->items[2], "update() flags") != NULL;
		return ok ? sema_set_type(e, i64) : NULL;
	}
	case MM_OUTPUT: {
		if (!sema_arg_count(s, e, method, 1, 1))
			return NULL;
		Type *t = sema_expr(s, args->items[0]);
		if (!t)
			return NULL;
		Type *v = sema_value_type(t);
		if (v->kind == TY_VOID || (t->kind == TY_PTR && !t->base)) {
			diag_error(s->d, ast_loc(args->items[0]), "output() cannot send '%s'",
				   type_name(t));
			return NULL;
		}
		if (m->family == MF_PERF && !needs_context(s, e, m, method))
			return NULL;
		note_event_type(m, v);
		return sema_set_type(e, i64);
	}
	case MM_RESERVE:
		return check_reserve(s, e, m);
	case MM_SUBMIT:
	case MM_DISCARD:
		return check_submit(s, e, method);
	case MM_PUSH:
		if (!sema_arg_count(s, e, method, 1, 2) ||
		    !check_map_arg(s, args->items[0], m->value, "value") ||
		    (args->n == 2 && !sema_int(s, args->items[1], "flags")))
			return NULL;
		return sema_set_type(e, i64);
	case MM_POP:
		return check_pop_peek(s, e, m, method);
	case MM_PEEK:
		if (m->family == MF_QUEUE)
			return check_pop_peek(s, e, m, method);
		/* bloom filter: peek(v) is 0 when v may be in the set */
		if (!sema_arg_count(s, e, method, 1, 1) ||
		    !check_map_arg(s, args->items[0], m->value, "value"))
			return NULL;
		return sema_set_type(e, i64);
	case MM_GET_STACKID:
		if (!sema_arg_count(s, e, method, 0, 1) || !needs_context(s, e, m, method) ||
		    (args->n == 1 && !sema_int(s, args->items[0], "flags")))
			return NULL;
		return sema_set_type(e, i64);
	case MM_TAIL_CALL:
		/* it only returns when it fails, and then gives no result */
		if (!sema_arg_count(s, e, method, 1, 1) || !needs_context(s, e, m, method) ||
		    !sema_int(s, args->items[0], "the program index"))
			return NULL;
		return sema_set_type(e, s->p->none);
	}
	return NULL;
}

MapDef *sema_receiver_map(Sema *s, AstNode *recv)
{
	if (recv->kind == AST_Call && recv->Call.args.n == 0 && recv->Call.keywords.n == 0)
		recv = recv->Call.func;
	if (recv->kind != AST_Name)
		return NULL;
	Symbol *l = scope_get(&s->locals, recv->Name.id);
	if (l) { /* an inner map found in a map of maps */
		if (!l->bound || !l->type || !l->type->map)
			return NULL;
		recv->sema = l;
		sema_set_type(recv, l->type);
		return l->type->map;
	}
	Symbol *sym = sema_lookup_module(s, recv->Name.id);
	return sym && sym->kind == SYM_MAP ? sym->map : NULL;
}

/* One value of a constructor, stored into a part of type t. */
static bool check_part(Sema *s, AstNode *v, Type *t, const char *what)
{
	Type *vt = sema_stored(s, v);
	return vt && sema_convert(s, v, vt, t, what);
}

/* T(v, ..., field=v, ...) for a struct T, (T * N)(v, ...) for an array: a
 * zeroed object with the given fields (in order, or by name) or elements. */
static Type *check_constructor(Sema *s, AstNode *e, Type *t)
{
	AstList *args = &e->Call.args, *kws = &e->Call.keywords;
	bool is_struct = t->kind == TY_STRUCT;
	int n = is_struct ? t->nfields : t->len;
	if (!is_struct && kws->n) {
		diag_error(s->d, ast_loc(kws->items[0]), "array values are given by position");
		return NULL;
	}
	if (args->n > n) {
		diag_error(s->d, ast_loc(args->items[n]), "'%s' has %d %s, got %d values",
			   type_name(t), n, is_struct ? "fields" : "elements", args->n);
		return NULL;
	}
	bool ok = true;
	for (int i = 0; i < args->n; i++)
		ok &= check_part(s, args->items[i], is_struct ? t->fields[i].type : t->base,
				 is_struct ? "struct field" : "array element");
	for (int i = 0; i < kws->n; i++) {
		AstNode *kw = kws->items[i];
		int f = -1;
		for (int j = 0; j < t->nfields && kw->keyword.arg; j++)
			if (strcmp(t->fields[j].name, kw->keyword.arg) == 0)
				f = j;
		if (f < 0) {
			diag_error(s->d, ast_loc(kw), "struct '%s' has no field '%s'", t->name,
				   kw->keyword.arg ? kw->keyword.arg : "**");
			ok = false;
			continue;
		}
		bool twice = f < args->n;
		for (int j = 0; j < i; j++)
			twice |= ((AstNode *)kws->items[j])->sema == &t->fields[f];
		if (twice) {
			diag_error(s->d, ast_loc(kw), "field '%s' is given twice",
				   t->fields[f].name);
			ok = false;
			continue;
		}
		kw->sema = &t->fields[f];
		ok &= check_part(s, kw->keyword.value, t->fields[f].type, "struct field");
	}
	if (!ok || !sema_fits_stack(s, ast_loc(e), t, type_name(t)))
		return NULL;
	new_call(s, e, CALL_CONSTRUCT);
	return sema_set_type(e, t);
}

void sema_set_call_cast(Sema *s, AstNode *e)
{
	new_call(s, e, CALL_CAST);
}

static Type *check_cast(Sema *s, AstNode *e, Symbol *sym)
{
	Type *t = sym->type;
	if (t && t->kind == TY_STRUCT && sema_packet_cast_applies(s, e))
		return sema_packet_cast(s, e, t);
	if (sema_is_kernel_type(t))
		return sema_kernel_cast(s, e, sym);
	if (t && t->kind == TY_STRUCT)
		return check_constructor(s, e, t);
	if (!sema_no_keywords(s, e, sym->name))
		return NULL;
	if (!t) {
		diag_error(s->d, ast_loc(e), "str() is only used in types, as str(N)");
		return NULL;
	}
	if (t->kind != TY_INT) {
		diag_error(s->d, ast_loc(e), "cannot convert to '%s'", type_name(t));
		return NULL;
	}
	if (!sema_arg_count(s, e, sym->name, 0, 1))
		return NULL;
	new_call(s, e, CALL_CAST);
	if (e->Call.args.n && !sema_int(s, e->Call.args.items[0], "the value to convert"))
		return NULL;
	if (!e->Call.args.n || e->Call.args.items[0]->konst) {
		ConstVal v;
		if (!sema_const_eval(s, e, &v, true))
			return NULL;
		return sema_set_const(s, e, v);
	}
	return sema_set_type(e, t);
}

/* An argument passed to a subprogram's parameter of type pt. */
static bool check_func_arg(Sema *s, FuncDef *fn, int i, AstNode *arg, Type *pt)
{
	Type *t = sema_expr(s, arg);
	if (!t)
		return false;
	if (pt->kind == TY_INT)
		return sema_int(s, arg, "argument") != NULL;
	/* a pointer parameter: a struct or array by reference, or c_void_p */
	Type *want = pt->base;
	bool ok;
	if (!want)
		ok = t->kind == TY_PTR;
	else if (t->kind == TY_PTR)
		ok = type_same(t->base, want);
	else
		ok = type_same(t, want); /* a place (passed by address) or a temporary */
	if (!ok)
		diag_error(s->d, ast_loc(arg), "argument %d of '%s': expected '%s', got '%s'",
			   i + 1, fn->name, type_name(want ? want : pt),
			   type_name(t->kind == TY_PTR && t->base ? t->base : t));
	return ok;
}

static Type *check_func_call(Sema *s, AstNode *e, FuncDef *fn)
{
	if (!sema_no_keywords(s, e, fn->name) ||
	    !sema_arg_count(s, e, fn->name, fn->nparams, fn->nparams))
		return NULL;
	bool ok = true;
	for (int i = 0; i < fn->nparams; i++)
		ok &= check_func_arg(s, fn, i, e->Call.args.items[i], fn->params[i]->type);
	if (!ok)
		return NULL;
	CallInfo *ci = new_call(s, e, CALL_FUNC);
	ci->func = fn;
	CallSite *cs = arena_alloc(s->a, sizeof *cs);
	cs->callee = fn;
	cs->loc = ast_loc(e);
	ptrvec_push(s->a, &s->fn->calls, cs);
	return sema_set_type(e, fn->ret);
}

Type *sema_call(Sema *s, AstNode *e)
{
	AstNode *f = e->Call.func;
	if (f->kind == AST_Attribute) {
		MapDef *m = sema_receiver_map(s, f->Attribute.value);
		if (m)
			return check_map_call(s, e, m, f->Attribute.attr);
	}
	Symbol *sym = NULL;
	if (f->kind == AST_Name) {
		if (sema_kfunc_unimported(s, f))
			return NULL;
		sym = sema_resolve_name(s, f);
		if (!sym)
			return NULL;
	} else if (f->kind == AST_Attribute) {
		sym = sema_resolve_static(s, f);
		if (!sym) {
			Type *t = sema_expr(s, f);
			if (t && t->is_fnptr)
				diag_error(
					s->d, ast_loc(f),
					"'%s' is a kernel function pointer: BPF code cannot call "
					"it (read it as an address)",
					f->Attribute.attr);
			else if (t)
				diag_error(s->d, ast_loc(f), "'%s' is not callable", type_name(t));
			return NULL;
		}
	} else {
		Type *t = f->kind == AST_BinOp ? sema_type_expr_quiet(s, f) : NULL;
		if (t && t->kind == TY_ARRAY)
			return check_constructor(s, e, t); /* (c_uint32 * 4)(...) */
		diag_error(s->d, ast_loc(f), "only named functions can be called in BPF code");
		return NULL;
	}
	switch (sym->kind) {
	case SYM_BUILTIN:
		return check_builtin_call(s, e, sym);
	case SYM_HELPER:
		return sema_helper_call(s, e, sema_helper_at(sym->detail));
	case SYM_KFUNC:
		return sema_kfunc_call(s, e, sym->kfunc);
	case SYM_TYPE:
		return check_cast(s, e, sym);
	case SYM_MAP:
		diag_error(s->d, ast_loc(e),
			   "calling map '%s' only names it; call a method, e.g. %s().lookup(key)",
			   sym->name, sym->name);
		return NULL;
	case SYM_FUNC:
		if (sym->func->section) {
			diag_error(s->d, ast_loc(e), "calling BPF program '%s' is not supported",
				   sym->name);
			return NULL;
		}
		return check_func_call(s, e, sym->func);
	case SYM_LOCAL:
	case SYM_GLOBAL:
		diag_error(s->d, ast_loc(f), "'%s' is a variable, not a function", sym->name);
		return NULL;
	default:
		sema_not_value(s, f, sym);
		return NULL;
	}
}
