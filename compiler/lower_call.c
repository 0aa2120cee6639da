/*
 * lower_call.c - calls: helpers, map methods, print(), casts and struct
 * constructors.
 *
 * Builtin helpers are lowered through a table indexed by BuiltinId. Map
 * methods pass the map global itself (libbpf turns the relocation into the
 * map's fd) and keys/values by the address of a stack slot. print() builds a
 * bpf_trace_printk format string in .rodata with one conversion per value,
 * chosen from the value's type, and uses bpf_trace_vprintk beyond three
 * values. Each print() is one trace line: the kernel ends the line itself.
 */
#include "lower_internal.h"

#include <stdio.h>
#include <string.h>

#define BPF_F_CURRENT_CPU 0xffffffffULL

/* ---- helpers ---- */

static LLVMValueRef helper0(Lower *L, int id, LLVMTypeRef ret)
{
	return lower_helper(L, id, ret, NULL, 0);
}

static LLVMValueRef lower_ktime(Lower *L, AstNode *e)
{
	return helper0(L, HELPER_ktime_get_ns, L->t_i64);
}

/* process id (tgid): the upper half of bpf_get_current_pid_tgid() */
static LLVMValueRef lower_pid(Lower *L, AstNode *e)
{
	LLVMValueRef v = helper0(L, HELPER_get_current_pid_tgid, L->t_i64);
	v = LLVMBuildLShr(L->b, v, LLVMConstInt(L->t_i64, 32, 0), "");
	return LLVMBuildTrunc(L->b, v, L->t_i32, "pid");
}

/* thread id: the lower half */
static LLVMValueRef lower_tid(Lower *L, AstNode *e)
{
	LLVMValueRef v = helper0(L, HELPER_get_current_pid_tgid, L->t_i64);
	return LLVMBuildTrunc(L->b, v, L->t_i32, "tid");
}

static LLVMValueRef lower_uid(Lower *L, AstNode *e)
{
	LLVMValueRef v = helper0(L, HELPER_get_current_uid_gid, L->t_i64);
	return LLVMBuildTrunc(L->b, v, L->t_i32, "uid");
}

static LLVMValueRef lower_gid(Lower *L, AstNode *e)
{
	LLVMValueRef v = helper0(L, HELPER_get_current_uid_gid, L->t_i64);
	v = LLVMBuildLShr(L->b, v, LLVMConstInt(L->t_i64, 32, 0), "");
	return LLVMBuildTrunc(L->b, v, L->t_i32, "gid");
}

static LLVMValueRef lower_random(Lower *L, AstNode *e)
{
	return helper0(L, HELPER_get_prandom_u32, L->t_i32);
}

static LLVMValueRef lower_cpu(Lower *L, AstNode *e)
{
	return helper0(L, HELPER_get_smp_processor_id, L->t_i32);
}

/* comm(buf): bpf_get_current_comm(buf, sizeof buf) */
static LLVMValueRef lower_comm(Lower *L, AstNode *e)
{
	AstNode *buf = e->Call.args.items[0];
	LVal lv = lower_lvalue(L, buf);
	LLVMValueRef args[2] = {lower_place_addr(L, &lv),
				LLVMConstInt(L->t_i32, (unsigned)lv.type->size, 0)};
	return lower_helper(L, HELPER_get_current_comm, L->t_i64, args, 2);
}

/* ---- atomics ---- */

/* the read-modify-write each atomic builtin is, from atomic_add on (sub is
 * an add of the negated value: BPF has no atomic subtract) */
static const LLVMAtomicRMWBinOp atomic_rmw_ops[] = {
	LLVMAtomicRMWBinOpAdd, LLVMAtomicRMWBinOpAdd, LLVMAtomicRMWBinOpAnd,  LLVMAtomicRMWBinOpOr,
	LLVMAtomicRMWBinOpXor, LLVMAtomicRMWBinOpAdd, LLVMAtomicRMWBinOpAdd,  LLVMAtomicRMWBinOpAnd,
	LLVMAtomicRMWBinOpOr,  LLVMAtomicRMWBinOpXor, LLVMAtomicRMWBinOpXchg,
};

typedef struct AtomicCtx {
	BuiltinId id;
	LLVMValueRef v[2]; /* the operands, in the target's type */
} AtomicCtx;

static LLVMValueRef atomic_at(Lower *L, LLVMValueRef addr, void *ctx)
{
	AtomicCtx *c = ctx;
	LLVMAtomicOrdering order = LLVMAtomicOrderingSequentiallyConsistent;
	if (c->id == BI_ATOMIC_CMPXCHG) {
		LLVMValueRef r =
			LLVMBuildAtomicCmpXchg(L->b, addr, c->v[0], c->v[1], order, order, 0);
		return LLVMBuildExtractValue(L->b, r, 0, "old");
	}
	LLVMValueRef v = c->v[0];
	if (c->id == BI_ATOMIC_SUB || c->id == BI_ATOMIC_FETCH_SUB)
		v = LLVMBuildNeg(L->b, v, "");
	LLVMValueRef old =
		LLVMBuildAtomicRMW(L->b, atomic_rmw_ops[c->id - BI_ATOMIC_ADD], addr, v, order, 0);
	/* without a use of the old value BPF has the plain atomic (add: any CPU) */
	return c->id >= BI_ATOMIC_FETCH_ADD ? old : NULL;
}

/* atomic_op(target, v...): the operation on the target's place where it
 * exists (a map item may be missing, an index out of range); the fetching
 * forms give the old value, or 0 when there was no place. */
static LLVMValueRef lower_atomic(Lower *L, AstNode *e)
{
	CallInfo *ci = e->sema;
	LVal lv = lower_lvalue(L, e->Call.args.items[0]);
	AtomicCtx c = {.id = ci->builtin};
	for (int i = 1; i < e->Call.args.n; i++)
		c.v[i - 1] = lower_value_as(L, e->Call.args.items[i], lv.type);
	return lower_with_place(L, &lv, atomic_at, &c);
}

/* ---- print ---- */

typedef struct Fmt {
	StrBuf text;
	LLVMValueRef args[12];
	int nargs;
	LLVMValueRef data; /* bpf_trace_vprintk's u64 array, or NULL */
} Fmt;

/* Adds a value: with bpf_trace_vprintk it goes to its array slot at once,
 * as clang's bpf_printk() does, so that no value stays live (in a register
 * or spilled) across the helper calls that compute the next ones. */
static void fmt_arg(Lower *L, Fmt *f, LLVMValueRef v)
{
	if (f->data) {
		LLVMValueRef idx = LLVMConstInt(L->t_i64, (unsigned long long)f->nargs * 8, 0);
		LLVMValueRef slot = LLVMBuildInBoundsGEP2(L->b, L->t_i8, f->data, &idx, 1, "");
		lower_store(L, v, slot, type_int(L->p, CT_UINT64));
	}
	f->args[f->nargs++] = v;
}

/* How many values print() formats. */
static int count_values(AstNode *e)
{
	int n = 0;
	for (int i = 0; i < e->Call.args.n; i++) {
		AstNode *a = e->Call.args.items[i];
		if (a->kind == AST_Constant)
			continue;
		if (a->kind != AST_JoinedStr) {
			n++;
			continue;
		}
		for (int j = 0; j < a->JoinedStr.values.n; j++)
			n += a->JoinedStr.values.items[j]->kind != AST_Constant;
	}
	return n;
}

static void fmt_append(Lower *L, Fmt *f, const char *s, size_t n)
{
	strbuf_put(L->a, &f->text, s, n);
}

/* literal text: '%' doubled, NUL bytes dropped (they would end the format) */
static void fmt_text(Lower *L, Fmt *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%')
			fmt_append(L, f, "%%", 2);
		else if (s[i])
			fmt_append(L, f, &s[i], 1);
	}
}

/* Appends the conversion for value e (with format spec `spec`) and its argument. */
static void fmt_value(Lower *L, Fmt *f, AstNode *e, const char *spec)
{
	Type *t = e->type;
	Type *vt = t->kind == TY_PTR && t->base ? t->base : t;
	char conv = spec && *spec ? spec[0] : 0;
	if (vt->kind == TY_ARRAY) {
		LVal lv = lower_lvalue(L, e);
		fmt_append(L, f, "%s", 2);
		fmt_arg(L, f, lower_place_addr(L, &lv));
		return;
	}
	if (vt->kind == TY_PTR || (conv == 'p' && t->kind == TY_PTR)) {
		/* a pointer (a lookup result with :p is the pointer, not its value) */
		fmt_append(L, f, "%p", 2);
		fmt_arg(L, f, LLVMBuildPtrToInt(L->b, lower_pointer(L, e), L->t_i64, ""));
		return;
	}
	if (conv == 'p') { /* an integer shown as an address */
		fmt_append(L, f, "%p", 2);
		fmt_arg(L, f, lower_value_as(L, e, type_int(L->p, CT_UINT64)));
		return;
	}
	bool wide = vt->size == 8;
	bool sgn = vt->is_signed;
	const char *c;
	switch (conv) {
	case 'x':
		c = wide ? "%llx" : "%x";
		break;
	case 'X':
		c = wide ? "%llX" : "%X";
		break;
	case 'c':
		c = "%c";
		break;
	case 'u':
		c = wide ? "%llu" : "%u";
		break;
	case 'd':
	case 'i':
		c = wide ? "%lld" : "%d";
		break;
	default:
		if (vt->is_char && !conv)
			c = "%c";
		else
			c = sgn ? (wide ? "%lld" : "%d") : (wide ? "%llu" : "%u");
	}
	fmt_append(L, f, c, strlen(c));
	LLVMValueRef v = lower_rvalue(L, e);
	Type *i64 = type_int(L->p, sgn ? CT_INT64 : CT_UINT64);
	fmt_arg(L, f, lower_convert(L, v, vt, i64));
}

static void fmt_fstring(Lower *L, Fmt *f, AstNode *js)
{
	for (int i = 0; i < js->JoinedStr.values.n; i++) {
		AstNode *part = js->JoinedStr.values.items[i];
		if (part->kind == AST_Constant) {
			fmt_text(L, f, part->Constant.value.str, part->Constant.value.len);
			continue;
		}
		const char *spec = NULL;
		AstNode *sp = part->FormattedValue.format_spec;
		if (sp && sp->JoinedStr.values.n == 1)
			spec = sp->JoinedStr.values.items[0]->Constant.value.str;
		fmt_value(L, f, part->FormattedValue.value, spec);
	}
}

/* A NUL-terminated string as an internal constant in .rodata, with debug
 * info (format strings, string arguments of helpers), named __pybpf_fmt<n>:
 * loaders do not list "__pybpf" names as globals. */
LLVMValueRef lower_string(Lower *L, const char *s, size_t len)
{
	char name[32];
	snprintf(name, sizeof name, "__pybpf_fmt%d", L->nfmt++);
	LLVMTypeRef ty = LLVMArrayType2(L->t_i8, len + 1);
	LLVMValueRef g = LLVMAddGlobal(L->mod, ty, name);
	LLVMSetInitializer(g, LLVMConstStringInContext(L->ctx, len ? s : "", (unsigned)len, 0));
	LLVMSetLinkage(g, LLVMInternalLinkage);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetSection(g, ".rodata");
	LLVMSetAlignment(g, 1);
	SrcLoc loc = {L->fn->def->lineno, 0, 0, 0};
	dib_global(L, g, name, dib_const_char_array(L, (int)len + 1), loc, true);
	return g;
}

static LLVMValueRef lower_print(Lower *L, AstNode *e)
{
	CallInfo *ci = e->sema;
	Fmt f = {0};
	int nvalues = count_values(e);
	if (nvalues > 3)
		f.data = lower_temp(L, type_array(L->a, type_int(L->p, CT_UINT64), nvalues));
	for (int i = 0; i < e->Call.args.n; i++) {
		AstNode *a = e->Call.args.items[i];
		if (i)
			fmt_text(L, &f, ci->sep, strlen(ci->sep));
		if (a->kind == AST_Constant)
			fmt_text(L, &f, a->Constant.value.str, a->Constant.value.len);
		else if (a->kind == AST_JoinedStr)
			fmt_fstring(L, &f, a);
		else
			fmt_value(L, &f, a, NULL);
	}
	/* the kernel ends every trace line itself: a final "\n" would add an
	 * empty line, so print()'s default end adds nothing */
	size_t end_len = strlen(ci->end);
	if (end_len && ci->end[end_len - 1] == '\n')
		end_len--;
	fmt_text(L, &f, ci->end, end_len);
	LLVMValueRef fmt = lower_string(L, f.text.s, f.text.len);
	LLVMValueRef size = LLVMConstInt(L->t_i32, f.text.len + 1, 0);
	if (f.nargs <= 3) {
		LLVMValueRef args[5] = {fmt, size};
		for (int i = 0; i < f.nargs; i++)
			args[2 + i] = f.args[i];
		return lower_helper(L, HELPER_trace_printk, L->t_i64, args, 2 + f.nargs);
	}
	/* bpf_trace_vprintk(fmt, size, u64 data[], data_len): data is filled */
	LLVMValueRef args[4] = {fmt, size, f.data,
				LLVMConstInt(L->t_i32, (unsigned long long)f.nargs * 8, 0)};
	return lower_helper(L, HELPER_trace_vprintk, L->t_i64, args, 4);
}

typedef LLVMValueRef (*BuiltinLowering)(Lower *L, AstNode *e);

static const BuiltinLowering builtin_lowerings[BI__COUNT] = {
	[BI_PRINT] = lower_print,
	[BI_KTIME] = lower_ktime,
	[BI_PID] = lower_pid,
	[BI_TID] = lower_tid,
	[BI_UID] = lower_uid,
	[BI_GID] = lower_gid,
	[BI_COMM] = lower_comm,
	[BI_RANDOM] = lower_random,
	[BI_SMP_PROCESSOR_ID] = lower_cpu,
	[BI_ATOMIC_ADD... BI_ATOMIC_CMPXCHG] = lower_atomic,
	[BI_CORE_FIELD_EXISTS... BI_CORE_TYPE_SIZE] = lower_core_query,
};

/* ---- maps ---- */

static LLVMValueRef address_of(Lower *L, AstNode *place)
{
	LVal lv = lower_lvalue(L, place);
	return lower_place_addr(L, &lv);
}

/* Argument i of a call as u64 flags, or 0 when it is left out. */
static LLVMValueRef optional_flags(Lower *L, AstNode *e, int i)
{
	if (e->Call.args.n <= i)
		return LLVMConstInt(L->t_i64, 0, 0);
	return lower_value_as(L, e->Call.args.items[i], type_int(L->p, CT_UINT64));
}

/* q.pop(var) / q.peek(var): fill var, give the helper's result. Without a
 * variable: the value itself, zero when the queue is empty. A bloom filter's
 * peek(v) tests v instead (0: v may be in the set). */
static LLVMValueRef pop_or_peek(Lower *L, AstNode *e, MapDef *m, LLVMValueRef map, int id)
{
	AstList *args = &e->Call.args;
	if (args->n == 1) {
		LLVMValueRef slot = m->family == MF_BLOOM ? lower_spill(L, args->items[0], m->value)
							  : address_of(L, args->items[0]);
		LLVMValueRef a[2] = {map, slot};
		return lower_helper(L, id, L->t_i64, a, 2);
	}
	LLVMValueRef slot = lower_temp(L, m->value);
	lower_zero(L, slot, m->value);
	LLVMValueRef a[2] = {map, slot};
	lower_helper(L, id, L->t_i64, a, 2);
	if (m->value->kind == TY_STRUCT || m->value->kind == TY_ARRAY)
		return slot;
	return lower_load(L, slot, m->value);
}

LLVMValueRef lower_map_begin(Lower *L, MapDef *m, AstNode *recv, Guard *g)
{
	*g = (Guard){0};
	if (!recv->type || !recv->type->map)
		return m->ll;
	LLVMValueRef inner = lower_pointer(L, recv);
	lower_guard_begin(L, g, LLVMBuildIsNotNull(L->b, inner, ""));
	return inner;
}

LLVMValueRef lower_map_lookup(Lower *L, LLVMValueRef map, MapDef *m, AstNode *key)
{
	LLVMValueRef a[2] = {map, lower_spill(L, key, m->key)};
	return lower_helper(L, HELPER_map_lookup_elem, L->t_ptr, a, 2);
}

LLVMValueRef lower_map_update(Lower *L, LLVMValueRef map, MapDef *m, LLVMValueRef key,
			      LLVMValueRef value, LLVMValueRef flags)
{
	LLVMValueRef a[4] = {map, key, value, flags};
	return lower_helper(L, HELPER_map_update_elem, L->t_i64, a, 4);
}

static LLVMValueRef map_method(Lower *L, AstNode *e, CallInfo *ci, LLVMValueRef map)
{
	MapDef *m = ci->map;
	AstList *args = &e->Call.args;
	switch (ci->method) {
	case MM_LOOKUP:
		return lower_map_lookup(L, map, m, args->items[0]);
	case MM_DELETE: {
		LLVMValueRef a[2] = {map, lower_spill(L, args->items[0], m->key)};
		return lower_helper(L, HELPER_map_delete_elem, L->t_i64, a, 2);
	}
	case MM_UPDATE: {
		LLVMValueRef key = lower_spill(L, args->items[0], m->key);
		LLVMValueRef value;
		if (args->n >= 2) {
			value = lower_spill(L, args->items[1], m->value);
		} else {
			value = lower_temp(L, m->value);
			lower_zero(L, value, m->value);
		}
		LLVMValueRef flags =
			args->n == 3 ? lower_value_as(L, args->items[2], type_int(L->p, CT_UINT64))
				     : LLVMConstInt(L->t_i64, 0, 0);
		return lower_map_update(L, map, m, key, value, flags);
	}
	case MM_OUTPUT: {
		AstNode *obj = args->items[0];
		Type *t =
			obj->type->kind == TY_PTR && obj->type->base ? obj->type->base : obj->type;
		LLVMValueRef data = lower_spill(L, obj, t);
		LLVMValueRef size = LLVMConstInt(L->t_i64, (unsigned long long)t->size, 0);
		if (m->cls == MAPC_RINGBUF) {
			LLVMValueRef a[4] = {map, data, size, LLVMConstInt(L->t_i64, 0, 0)};
			return lower_helper(L, HELPER_ringbuf_output, L->t_i64, a, 4);
		}
		LLVMValueRef ctx = LLVMGetParam(L->llfn, 0);
		LLVMValueRef a[5] = {ctx, map, LLVMConstInt(L->t_i64, BPF_F_CURRENT_CPU, 0), data,
				     size};
		return lower_helper(L, HELPER_perf_event_output, L->t_i64, a, 5);
	}
	case MM_RESERVE: {
		Type *t = e->type->base;
		LLVMValueRef a[3] = {map, LLVMConstInt(L->t_i64, (unsigned long long)t->size, 0),
				     LLVMConstInt(L->t_i64, 0, 0)};
		return lower_helper(L, HELPER_ringbuf_reserve, L->t_ptr, a, 3);
	}
	case MM_SUBMIT:
	case MM_DISCARD: {
		LLVMValueRef a[2] = {lower_pointer(L, args->items[0]), optional_flags(L, e, 1)};
		int id = ci->method == MM_SUBMIT ? HELPER_ringbuf_submit : HELPER_ringbuf_discard;
		return lower_helper(L, id, L->t_void, a, 2);
	}
	case MM_PUSH: {
		LLVMValueRef a[3] = {map, lower_spill(L, args->items[0], m->value),
				     optional_flags(L, e, 1)};
		return lower_helper(L, HELPER_map_push_elem, L->t_i64, a, 3);
	}
	case MM_POP:
	case MM_PEEK:
		return pop_or_peek(L, e, m, map,
				   ci->method == MM_POP ? HELPER_map_pop_elem
							: HELPER_map_peek_elem);
	case MM_GET_STACKID: {
		LLVMValueRef a[3] = {LLVMGetParam(L->llfn, 0), map, optional_flags(L, e, 0)};
		return lower_helper(L, HELPER_get_stackid, L->t_i64, a, 3);
	}
	case MM_TAIL_CALL: {
		LLVMValueRef idx = lower_value_as(L, args->items[0], type_int(L->p, CT_UINT32));
		LLVMValueRef a[3] = {LLVMGetParam(L->llfn, 0), map,
				     LLVMBuildZExt(L->b, idx, L->t_i64, "")};
		return lower_helper(L, HELPER_tail_call, L->t_void, a, 3);
	}
	}
	return NULL;
}

/* m.method(...), on a map by name or an inner map from a map of maps */
static LLVMValueRef lower_map_call(Lower *L, AstNode *e, CallInfo *ci)
{
	Guard g;
	LLVMValueRef map = lower_map_begin(L, ci->map, e->Call.func->Attribute.value, &g);
	return lower_guard_end(L, &g, map_method(L, e, ci, map));
}

/* ---- kernel helpers ---- */

static bool is_aggregate(const Type *t)
{
	return t->kind == TY_STRUCT || t->kind == TY_ARRAY;
}

/* The address a memory argument passes: a pointer as is; the address of an
 * object or integer variable; an integer value stored in a stack slot; but
 * for address parameters (A_ADDR) an integer is the address itself. */
static LLVMValueRef memory_arg(Lower *L, AstNode *a, HelperArg kind)
{
	if (a->kind == AST_Constant && a->Constant.value.kind == CONST_STR)
		return lower_string(L, a->Constant.value.str, a->Constant.value.len);
	Type *t = a->type;
	if (t->kind == TY_PTR)
		return lower_pointer(L, a);
	if (t->kind == TY_INT && kind == A_ADDR)
		return LLVMBuildIntToPtr(L->b, lower_value_as(L, a, type_int(L->p, CT_UINT64)),
					 L->t_ptr, "");
	if (is_aggregate(t) || sema_is_lvalue(a)) {
		LVal lv = lower_lvalue(L, a);
		return lower_place_addr(L, &lv);
	}
	if (kind == A_CPTR)
		return lower_spill(L, a, t);
	LLVMValueRef tmp = lower_temp(L, t); /* the helper may write it */
	lower_store(L, lower_value_as(L, a, t), tmp, t);
	return tmp;
}

/* Every argument goes in a 64-bit register: integers are converted to the
 * C parameter's type, then extended by its signedness. */
static LLVMValueRef int_arg(Lower *L, AstNode *a, HelperArg kind)
{
	Type *t = type_int(L->p, helper_int_ctype(kind, false));
	LLVMValueRef v = lower_value_as(L, a, t);
	return lower_convert(L, v, t, type_int(L->p, t->is_signed ? CT_INT64 : CT_UINT64));
}

/* The size of the buffer before a left-out size parameter. */
static unsigned long long inferred_size(AstNode *e, CallInfo *ci, int i)
{
	AstNode *buf = e->Call.args.items[ci->helper_args[i - 1]];
	if (buf->kind == AST_Constant && buf->Constant.value.kind == CONST_STR)
		return buf->Constant.value.len + 1;
	Type *t = buf->type->kind == TY_PTR ? buf->type->base : buf->type;
	return (unsigned long long)t->size;
}

static LLVMValueRef lower_helper_call(Lower *L, AstNode *e, CallInfo *ci)
{
	const HelperInfo *h = ci->helper;
	LLVMValueRef args[5];
	Guard maps[5] = {0}; /* inner maps from maps of maps must be there */
	for (int i = 0; i < h->nargs; i++) {
		HelperArg kind = h->args[i];
		int ai = ci->helper_args[i];
		AstNode *a = ai >= 0 ? e->Call.args.items[ai] : NULL;
		switch (kind) {
		case A_CTX:
			args[i] = a ? lower_pointer(L, a) : LLVMGetParam(L->llfn, 0);
			break;
		case A_MAP:
			args[i] = lower_map_begin(L, ci->helper_maps[i], a, &maps[i]);
			break;
		case A_CALLBACK:
			args[i] = ci->helper_funcs[i]->ll;
			break;
		case A_SIZE:
			if (a) {
				args[i] = int_arg(L, a, kind);
			} else {
				args[i] = LLVMConstInt(L->t_i64, inferred_size(e, ci, i), 0);
			}
			break;
		case A_PTR:
		case A_CPTR:
		case A_ADDR:
		case A_STR:
			args[i] = memory_arg(L, a, kind);
			break;
		case A_NONE:
			args[i] = LLVMConstInt(L->t_i64, 0, 0);
			break;
		default: /* integers and flags */
			args[i] = a ? int_arg(L, a, kind) : LLVMConstInt(L->t_i64, 0, 0);
		}
	}
	LLVMTypeRef ret = h->ret == R_VOID  ? L->t_void
			  : h->ret == R_PTR ? L->t_ptr
					    : lower_type(L, e->type);
	LLVMValueRef r = lower_helper(L, h->id, ret, args, h->nargs);
	if (h->ret == R_VOID)
		r = NULL;
	else if (e->type->is_kptr) /* a kernel pointer is an integer */
		r = LLVMBuildPtrToInt(L->b, r, L->t_i64, "");
	else if (e->type->is_kptr) /* a kernel pointer is an integer */
		r = LLVMBuildPtrToInt(L->b, r, L->t_i64, "");
	for (int i = h->nargs - 1; i >= 0; i--)
		r = lower_guard_end(L, &maps[i], r);
	return r;
}

/* A BPF-to-BPF call. Integers are passed converted to the parameter's type;
 * structs and arrays by the address of the caller's object. */
static LLVMValueRef lower_func_call(Lower *L, AstNode *e, FuncDef *fn)
{
	LLVMValueRef args[5];
	for (int i = 0; i < fn->nparams; i++) {
		AstNode *a = e->Call.args.items[i];
		Type *pt = fn->params[i]->type;
		if (pt->kind == TY_INT) {
			args[i] = lower_value_as(L, a, pt);
		} else if (a->type->kind == TY_PTR) {
			args[i] = lower_pointer(L, a);
		} else {
			LVal lv = lower_lvalue(L, a);
			args[i] = lower_place_addr(L, &lv);
		}
	}
	dib_loc(L, e); /* calls to functions with debug info need a location */
	LLVMTypeRef fty = LLVMGlobalGetValueType(fn->ll);
	return LLVMBuildCall2(L->b, fty, fn->ll, args, (unsigned)fn->nparams, "");
}

/* v stored at byte offset off of object obj, as a t */
static void store_part(Lower *L, LLVMValueRef obj, uint64_t off, AstNode *v, Type *t)
{
	LLVMValueRef at = obj;
	if (off) {
		LLVMValueRef o = LLVMConstInt(L->t_i64, off, 0);
		at = LLVMBuildInBoundsGEP2(L->b, L->t_i8, obj, &o, 1, "");
	}
	LLVMValueRef x = lower_value_as(L, v, t);
	if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
		lower_memcpy(L, at, x, t);
	else
		lower_store(L, x, at, t);
}

/* A zeroed temporary with the given fields or elements stored into it. */
static LLVMValueRef lower_constructor(Lower *L, AstNode *e)
{
	Type *t = e->type;
	LLVMValueRef tmp = lower_temp(L, t);
	lower_zero(L, tmp, t);
	AstList *args = &e->Call.args, *kws = &e->Call.keywords;
	for (int i = 0; i < args->n; i++) {
		if (t->kind == TY_STRUCT)
			store_part(L, tmp, (uint64_t)t->fields[i].offset, args->items[i],
				   t->fields[i].type);
		else
			store_part(L, tmp, (uint64_t)i * (uint64_t)t->base->size, args->items[i],
				   t->base);
	}
	for (int i = 0; i < kws->n; i++) {
		AstNode *kw = kws->items[i];
		Field *f = kw->sema;
		store_part(L, tmp, (uint64_t)f->offset, kw->keyword.value, f->type);
	}
	return tmp;
}

LLVMValueRef lower_call(Lower *L, AstNode *e)
{
	CallInfo *ci = e->sema;
	dib_loc(L, e);
	switch (ci->kind) {
	case CALL_BUILTIN:
		return builtin_lowerings[ci->builtin](L, e);
	case CALL_MAP:
		return lower_map_call(L, e, ci);
	case CALL_CAST:
		return lower_value_as(L, e->Call.args.items[0], e->type);
	case CALL_CONSTRUCT:
		return lower_constructor(L, e);
	case CALL_FUNC:
		return lower_func_call(L, e, ci->func);
	case CALL_HELPER:
		return lower_helper_call(L, e, ci);
	case CALL_KFUNC:
		return lower_kfunc_call(L, e, ci->kfunc);
	}
	return LLVMGetUndef(lower_type(L, e->type));
}
