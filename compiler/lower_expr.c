/*
 * lower_expr.c - expressions: values, places (lvalues) and conditions.
 *
 * lower_rvalue() gives an expression's value: an integer as iN of its value
 * type, a void pointer as `ptr`, and for aggregates (structs, arrays) the
 * address of memory holding the value. A map lookup result used as a value is
 * read through, guarded: when the lookup found nothing the value is zero.
 * lower_lvalue() gives a place to load from or store to, with the condition
 * under which it exists (a lookup found something, an index is in range).
 * lower_branch() lowers conditions with short-circuit control flow.
 *
 * Arithmetic follows C on the types sema computed; signed division and
 * remainder are built from unsigned ones below -mcpu=v4 (which has sdiv),
 * and shift counts are taken modulo the width, like the BPF instructions.
 */
#include "lower_internal.h"

#include <string.h>

/* memory(none), nounwind, willreturn: an inline assembly call that is pure
 * arithmetic, as clang marks an asm without side effects or clobbers */
static void lower_pure_call(Lower *L, LLVMValueRef call)
{
	static const char *const attrs[] = {"memory", "nounwind", "willreturn"};
	for (int i = 0; i < 3; i++) {
		unsigned kind = LLVMGetEnumAttributeKindForName(attrs[i], strlen(attrs[i]));
		LLVMAddCallSiteAttribute(call, LLVMAttributeFunctionIndex,
					 LLVMCreateEnumAttribute(L->ctx, kind, 0));
	}
}

static Type *value_type(Type *t)
{
	return t->kind == TY_PTR && t->base ? t->base : t;
}

static bool is_aggregate(const Type *t)
{
	return t->kind == TY_STRUCT || t->kind == TY_ARRAY;
}

static LLVMValueRef konst_value(Lower *L, AstNode *e, Type *t)
{
	return lower_const_int(L, t, e->konst->v);
}

/* ---- guarded access ---- */

/* i1: both conditions (either may be NULL: always true). */
static LLVMValueRef both(Lower *L, LLVMValueRef a, LLVMValueRef b)
{
	if (!a)
		return b;
	if (!b)
		return a;
	return LLVMBuildAnd(L->b, a, b, "");
}

/* An opaque copy of v: LLVM cannot move computations with it above the
 * branch it sits behind, or reason through it (llvm.bpf.passthrough, which
 * the BPF backend removes before instruction selection). */
static LLVMValueRef opaque(Lower *L, LLVMValueRef v, uint64_t len)
{
	static const char name[] = "llvm.bpf.passthrough";
	unsigned id = LLVMLookupIntrinsicID(name, sizeof name - 1);
	LLVMTypeRef types[2] = {LLVMTypeOf(v), LLVMTypeOf(v)}; /* overloaded: result, value */
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(L->mod, id, types, 2);
	LLVMTypeRef fty = LLVMIntrinsicGetType(L->ctx, id, types, 2);
	/* One sequence number per array length: copies of the same index
	 * checked against the same length are then identical calls, which
	 * LLVM merges where one access dominates the other (n.buf[i] read
	 * twice loads once); different indexes stay different calls. */
	int seq = -1;
	for (int k = 0; k < L->nopaque; k++)
		if (L->opaque_len[k] == len)
			seq = L->opaque_seq[k];
	if (seq < 0) {
		seq = L->nseq++;
		if (L->nopaque < LOWER_MAX_OPAQUE) {
			L->opaque_len[L->nopaque] = len;
			L->opaque_seq[L->nopaque++] = seq;
		}
	}
	LLVMValueRef args[2] = {LLVMConstInt(L->t_i32, (unsigned long long)seq, 0), v};
	return LLVMBuildCall2(L->b, fty, fn, args, 2, "");
}

static LLVMValueRef byte_offset(Lower *L, LLVMValueRef addr, LLVMValueRef off)
{
	return LLVMBuildInBoundsGEP2(L->b, L->t_i8, addr, &off, 1, "");
}

/* v as a value LLVM knows nothing about, up to instruction selection (an
 * empty inline assembly statement: no instruction; unlike
 * llvm.bpf.passthrough it is still there when comparisons get narrowed). */
static LLVMValueRef barrier(Lower *L, LLVMValueRef v)
{
	LLVMTypeRef t = LLVMTypeOf(v);
	LLVMTypeRef fty = LLVMFunctionType(t, &t, 1, 0);
	LLVMValueRef asm_ =
		LLVMGetInlineAsm(fty, "", 0, "=r,0", 4, 0, 0, LLVMInlineAsmDialectATT, 0);
	LLVMValueRef r = LLVMBuildCall2(L->b, fty, asm_, &v, 1, "");
	lower_pure_call(L, r);
	return r;
}

/* addr + idx[k] * scale[k]... + offset. Inside a guarded access the indexes
 * are known to be in range; outside one they are clamped to 0. */
static LLVMValueRef place_addr(Lower *L, LVal *lv, bool guarded)
{
	LLVMValueRef a = lv->addr;
	for (int k = 0; k < lv->nidx; k++) {
		LLVMValueRef i = lv->idx[k];
		if (guarded) {
			i = opaque(L, i, lv->len[k]);
			/* LLVM merges the checks of two indexes into one when the
			 * lengths are a power of two ((i | j) < 4); the verifier
			 * cannot bound each index from that, but from a mask it can */
			if (lv->nidx > 1 && !(lv->len[k] & (lv->len[k] - 1)))
				i = LLVMBuildAnd(L->b, i, LLVMConstInt(L->t_i64, lv->len[k] - 1, 0),
						 "");
		} else {
			LLVMValueRef len = LLVMConstInt(L->t_i64, lv->len[k], 0);
			LLVMValueRef in = LLVMBuildICmp(L->b, LLVMIntULT, i, len, "");
			i = LLVMBuildSelect(L->b, in, i, LLVMConstInt(L->t_i64, 0, 0), "");
		}
		LLVMValueRef scale = LLVMConstInt(L->t_i64, lv->scale[k], 0);
		a = byte_offset(L, a, LLVMBuildMul(L->b, i, scale, ""));
	}
	if (lv->offset)
		a = byte_offset(L, a, LLVMConstInt(L->t_i64, lv->offset, 0));
	return a;
}

static unsigned low_bit(uint64_t v)
{
	return v ? (unsigned)(v & -v) : 1u << 12;
}

/* The alignment an access to the place may assume: the base's, reduced by
 * the constant offset and the index scales, never below the type's own (C
 * layout keeps every field naturally aligned). Clang computes the same from
 * the struct layout, and LLVM needs it to merge neighbouring stores. */
static unsigned place_align(const LVal *lv)
{
	unsigned a = lv->align ? lv->align : (unsigned)lv->type->align;
	if (lv->offset && low_bit(lv->offset) < a)
		a = low_bit(lv->offset);
	for (int k = 0; k < lv->nidx; k++)
		if (low_bit(lv->scale[k]) < a)
			a = low_bit(lv->scale[k]);
	return a > (unsigned)lv->type->align ? a : (unsigned)lv->type->align;
}

LLVMValueRef lower_place_addr(Lower *L, LVal *lv)
{
	return place_addr(L, lv, false);
}

/* A place at a pointer that may be NULL. */
static LVal pointer_place(Lower *L, LLVMValueRef p, Type *t)
{
	LVal lv = {.addr = p, .type = t, .align = (unsigned)t->align};
	lv.valid = LLVMBuildIsNotNull(L->b, p, "");
	return lv;
}

void lower_guard_begin(Lower *L, Guard *g, LLVMValueRef cond)
{
	g->from = LLVMGetInsertBlock(L->b);
	LLVMBasicBlockRef yes = lower_block(L, "found");
	g->join = lower_block(L, "join");
	LLVMBuildCondBr(L->b, cond, yes, g->join);
	lower_position(L, yes);
}

LLVMValueRef lower_guard_end(Lower *L, Guard *g, LLVMValueRef v)
{
	if (!g->from)
		return v;
	LLVMBasicBlockRef yes_end = LLVMGetInsertBlock(L->b);
	LLVMBuildBr(L->b, g->join);
	lower_position(L, g->join);
	if (!v)
		return NULL;
	LLVMTypeRef t = LLVMTypeOf(v);
	LLVMValueRef phi = LLVMBuildPhi(L->b, t, "");
	LLVMValueRef vals[2] = {LLVMConstNull(t), v};
	LLVMBasicBlockRef bbs[2] = {g->from, yes_end};
	LLVMAddIncoming(phi, vals, bbs, 2);
	return phi;
}

LLVMValueRef lower_with_place(Lower *L, LVal *lv, PlaceFn fn, void *ctx)
{
	if (!lv->valid)
		return fn(L, place_addr(L, lv, false), ctx);
	Guard g;
	lower_guard_begin(L, &g, lv->valid);
	return lower_guard_end(L, &g, fn(L, place_addr(L, lv, true), ctx));
}

/* A load or store of a `type` at a place: for stores `v` is the value (an
 * aggregate's address), for loads of aggregates where to copy to. */
typedef struct Access {
	Type *type;
	LLVMValueRef v;
	unsigned align; /* of the place */
} Access;

static LLVMValueRef store_at(Lower *L, LLVMValueRef addr, void *ctx)
{
	Access *c = ctx;
	if (is_aggregate(c->type))
		lower_memcpy_aligned(L, addr, c->align, c->v, (unsigned)c->type->align, c->type);
	else
		lower_store_aligned(L, c->v, addr, c->type, c->align);
	return NULL;
}

void lower_lval_store(Lower *L, LVal lv, LLVMValueRef v)
{
	Access c = {lv.type, v, place_align(&lv)};
	lower_with_place(L, &lv, store_at, &c);
}

static LLVMValueRef load_at(Lower *L, LLVMValueRef addr, void *ctx)
{
	Access *c = ctx;
	if (!c->v)
		return lower_load_aligned(L, addr, c->type, c->align);
	lower_memcpy_aligned(L, c->v, (unsigned)c->type->align, addr, c->align, c->type);
	return NULL;
}

/* Loads the place's value, or zero when it does not exist. Aggregates come
 * back as the address of a copy (or of the object itself when it surely
 * exists). */
LLVMValueRef lower_lval_load(Lower *L, LVal lv)
{
	Type *t = lv.type;
	if (!lv.valid) {
		LLVMValueRef a = place_addr(L, &lv, false);
		return is_aggregate(t) ? a : lower_load_aligned(L, a, t, place_align(&lv));
	}
	Access c = {t, NULL, place_align(&lv)};
	if (!is_aggregate(t))
		return lower_with_place(L, &lv, load_at, &c);
	c.v = lower_temp(L, t);
	lower_zero(L, c.v, t);
	lower_with_place(L, &lv, load_at, &c);
	return c.v;
}

/* ---- places ---- */

static bool is_map_item(const AstNode *e)
{
	return e->kind == AST_Subscript && ((const IndexInfo *)e->sema)->map;
}

LLVMValueRef lower_pointer(Lower *L, AstNode *e)
{
	if (e->kind == AST_Name) {
		Symbol *sym = e->sema;
		return lower_load(L, sym->ll, sym->type);
	}
	if (e->kind == AST_Call)
		return lower_call(L, e);
	if (is_map_item(e)) {
		Guard g;
		MapDef *m = ((IndexInfo *)e->sema)->map;
		LLVMValueRef map = lower_map_begin(L, m, e->Subscript.value, &g);
		return lower_guard_end(L, &g, lower_map_lookup(L, map, m, e->Subscript.slice));
	}
	LVal lv = lower_lvalue(L, e);
	return lower_lval_load(L, lv);
}

/* The place of the object an aggregate-typed (or pointer) expression
 * denotes, with the condition under which it exists. */
static LVal base_place(Lower *L, AstNode *base)
{
	if (base->type->kind == TY_PTR)
		return pointer_place(L, lower_pointer(L, base), base->type->base);
	if (base->kind == AST_Name || base->kind == AST_Attribute || base->kind == AST_Subscript)
		return lower_lvalue(L, base);
	LVal b = {.addr = lower_rvalue(L, base),
		  .type = base->type,
		  .align = (unsigned)base->type->align}; /* a temporary */
	return b;
}

/* a[i]: the element's place. A run-time index is checked against the length
 * (unsigned, so negative indexes are out of range too); the element exists
 * only when it is in range. */
static LVal element_place(Lower *L, AstNode *e)
{
	IndexInfo *ii = e->sema;
	LVal lv = base_place(L, e->Subscript.value);
	Type *arr = lv.type, *elem = arr->base;
	lv.type = elem;
	if (ii->const_index) {
		lv.offset += (uint64_t)ii->index * (uint64_t)elem->size;
		return lv;
	}
	if (lv.nidx == LVAL_MAX_INDEXES) { /* fold the outermost index in */
		lv.align = place_align(&lv);
		lv.addr = place_addr(L, &lv, false);
		lv.nidx = 0;
		lv.offset = 0;
	}
	/* the constant offset stays apart: place_addr adds it after the
	 * indexes, inside the guard, where it becomes the access's
	 * displacement (p + i*8 + 8 is one register add and *(u64 *)(r + 8)) */
	LLVMValueRef i = lower_value_as(L, e->Subscript.slice, type_int(L->p, CT_UINT64));
	/* the check is on an opaque 64-bit copy: where LLVM could prove the
	 * index in range, it would drop the check or narrow it to 32 bits, and
	 * the verifier, which knows less, could not bound the index
	 * (place_addr hides it again inside the guard, so the address is
	 * computed after the check) */
	i = barrier(L, i);
	LLVMValueRef len = LLVMConstInt(L->t_i64, (unsigned long long)arr->len, 0);
	LLVMValueRef in = LLVMBuildICmp(L->b, LLVMIntULT, i, len, "in.range");
	lv.idx[lv.nidx] = i;
	lv.scale[lv.nidx] = (uint64_t)elem->size;
	lv.len[lv.nidx] = (uint64_t)arr->len;
	lv.nidx++;
	lv.valid = both(L, lv.valid, in);
	return lv;
}

LVal lower_lvalue(Lower *L, AstNode *e)
{
	LVal lv = {.type = e->type};
	if (e->kind == AST_Name) {
		Symbol *sym = e->sema;
		lv.addr = sym->kind == SYM_GLOBAL ? sym->global->ll : sym->ll;
		lv.type = sym->type;
		lv.align = (unsigned)sym->type->align;
		return lv;
	}
	if (e->kind == AST_Attribute && sema_is_packet_place(e))
		return lower_packet_place(L, e);
	if (e->kind == AST_Attribute && sema_is_kernel_place(e))
		return lower_kernel_read(L, e);
	if (e->kind == AST_Attribute) {
		Field *f = e->sema;
		lv = base_place(L, e->Attribute.value);
		lv.offset += (uint64_t)f->offset;
		lv.type = f->type;
		return lv;
	}
	if (is_map_item(e)) /* the value, which exists when the key does */
		return pointer_place(L, lower_pointer(L, e), e->type->base);
	if (e->kind == AST_Subscript && ((IndexInfo *)e->sema)->const_index &&
	    sema_is_kernel_place(e->Subscript.value))
		return lower_kernel_element(L, e);
	if (e->kind == AST_Subscript)
		return element_place(L, e);
	/* an rvalue aggregate (e.g. a struct constructor) */
	lv.addr = lower_rvalue(L, e);
	lv.align = (unsigned)lv.type->align;
	return lv;
}

/* ---- arithmetic ---- */

/* Signed division or remainder from unsigned operations (BPF before v4). */
static LLVMValueRef signed_divrem(Lower *L, LLVMValueRef a, LLVMValueRef b, bool rem)
{
	LLVMTypeRef t = LLVMTypeOf(a);
	LLVMValueRef zero = LLVMConstNull(t);
	LLVMValueRef an = LLVMBuildICmp(L->b, LLVMIntSLT, a, zero, "");
	LLVMValueRef bn = LLVMBuildICmp(L->b, LLVMIntSLT, b, zero, "");
	LLVMValueRef ua = LLVMBuildSelect(L->b, an, LLVMBuildNeg(L->b, a, ""), a, "");
	LLVMValueRef ub = LLVMBuildSelect(L->b, bn, LLVMBuildNeg(L->b, b, ""), b, "");
	LLVMValueRef q = rem ? LLVMBuildURem(L->b, ua, ub, "") : LLVMBuildUDiv(L->b, ua, ub, "");
	LLVMValueRef neg = rem ? an : LLVMBuildXor(L->b, an, bn, "");
	return LLVMBuildSelect(L->b, neg, LLVMBuildNeg(L->b, q, ""), q, "");
}

/* An unsigned BPF div or mod instruction as inline assembly: its result for
 * a zero divisor is defined (x / 0 == 0, x % 0 == x), which LLVM's udiv and
 * urem are not, so no guard is needed. The asm has no side effects, so LLVM
 * may still move, merge or drop it like any arithmetic. */
static LLVMValueRef bpf_divide(Lower *L, LLVMValueRef l, LLVMValueRef r, bool rem)
{
	LLVMTypeRef t = LLVMTypeOf(l);
	bool narrow = LLVMGetIntTypeWidth(t) == 32;
	bool alu32 = narrow && L->opts->mcpu >= 3;
	LLVMValueRef a = l, d = r;
	if (narrow && !alu32) { /* no 32-bit instructions: divide the zero-extended values */
		a = LLVMBuildZExt(L->b, l, L->t_i64, "");
		d = LLVMBuildZExt(L->b, r, L->t_i64, "");
	}
	LLVMTypeRef at = LLVMTypeOf(a);
	LLVMTypeRef params[2] = {at, at};
	LLVMTypeRef fty = LLVMFunctionType(at, params, 2, 0);
	const char *text = rem ? "$0 %= $2" : "$0 /= $2";
	const char *cons = alu32 ? "=w,0,w" : "=r,0,r";
	LLVMValueRef asm_ = LLVMGetInlineAsm(fty, (char *)text, strlen(text), (char *)cons,
					     strlen(cons), 0, 0, LLVMInlineAsmDialectATT, 0);
	LLVMValueRef args[2] = {a, d};
	LLVMValueRef q = LLVMBuildCall2(L->b, fty, asm_, args, 2, "");
	lower_pure_call(L, q);
	return at == t ? q : LLVMBuildTrunc(L->b, q, t, "");
}

/* Division and remainder as the BPF instructions define them: x / 0 is 0 and
 * x % 0 is x. LLVM's division by zero is undefined, so unless the divisor is
 * a non-zero constant it is replaced by 1 and the result chosen afterwards
 * (LLVM drops the selects where it can prove the divisor non-zero). */
static LLVMValueRef divide(Lower *L, AstOp op, LLVMValueRef l, LLVMValueRef r, Type *t)
{
	LLVMBuilderRef b = L->b;
	bool rem = op == OP_Mod;
	bool guard = !LLVMIsAConstantInt(r) || LLVMConstIntGetZExtValue(r) == 0;
	if (guard && !t->is_signed)
		return bpf_divide(L, l, r, rem); /* the instruction's x / 0 == 0, x % 0 == x */
	LLVMValueRef is0 = NULL;
	if (guard) {
		is0 = LLVMBuildICmp(b, LLVMIntEQ, r, LLVMConstNull(LLVMTypeOf(r)), "");
		r = LLVMBuildSelect(b, is0, LLVMConstInt(LLVMTypeOf(r), 1, 0), r, "");
	}
	LLVMValueRef q;
	if (!t->is_signed)
		q = rem ? LLVMBuildURem(b, l, r, "") : LLVMBuildUDiv(b, l, r, "");
	else if (L->opts->mcpu >= 4)
		q = rem ? LLVMBuildSRem(b, l, r, "") : LLVMBuildSDiv(b, l, r, "");
	else
		q = signed_divrem(L, l, r, rem);
	if (guard)
		q = LLVMBuildSelect(b, is0, rem ? l : LLVMConstNull(LLVMTypeOf(l)), q, "");
	return q;
}

LLVMValueRef lower_binary(Lower *L, AstOp op, LLVMValueRef l, LLVMValueRef r, Type *t)
{
	LLVMBuilderRef b = L->b;
	bool sgn = t->is_signed;
	switch (op) {
	case OP_Add:
		return LLVMBuildAdd(b, l, r, "");
	case OP_Sub:
		return LLVMBuildSub(b, l, r, "");
	case OP_Mult:
		return LLVMBuildMul(b, l, r, "");
	case OP_Div:
	case OP_FloorDiv:
	case OP_Mod:
		return divide(L, op, l, r, t);
	case OP_LShift:
	case OP_RShift: {
		LLVMValueRef mask =
			LLVMConstInt(LLVMTypeOf(r), (unsigned long long)t->size * 8 - 1, 0);
		LLVMValueRef n = LLVMBuildAnd(b, r, mask, "");
		if (op == OP_LShift)
			return LLVMBuildShl(b, l, n, "");
		return sgn ? LLVMBuildAShr(b, l, n, "") : LLVMBuildLShr(b, l, n, "");
	}
	case OP_BitAnd:
		return LLVMBuildAnd(b, l, r, "");
	case OP_BitOr:
		return LLVMBuildOr(b, l, r, "");
	case OP_BitXor:
		return LLVMBuildXor(b, l, r, "");
	default:
		return l; /* sema rejects the rest */
	}
}

static LLVMValueRef lower_binop(Lower *L, AstNode *e)
{
	Type *t = e->type;
	AstOp op = e->BinOp.op;
	if (t->pkt)
		return lower_packet_binop(L, e);
	LLVMValueRef l = lower_value_as(L, e->BinOp.left, t);
	LLVMValueRef r = lower_value_as(L, e->BinOp.right, t);
	return lower_binary(L, op, l, r, t);
}

static LLVMValueRef truth_value(Lower *L, AstNode *e);

static LLVMValueRef lower_unaryop(Lower *L, AstNode *e)
{
	if (e->UnaryOp.op == OP_Not)
		return truth_value(L, e);
	LLVMValueRef v = lower_value_as(L, e->UnaryOp.operand, e->type);
	switch (e->UnaryOp.op) {
	case OP_USub:
		return LLVMBuildNeg(L->b, v, "");
	case OP_Invert:
		return LLVMBuildNot(L->b, v, "");
	default:
		return v;
	}
}

/* ---- comparisons and conditions ---- */

static bool is_none_node(const AstNode *e)
{
	return e->kind == AST_Constant && e->Constant.value.kind == CONST_NONE;
}

static LLVMIntPredicate int_predicate(AstOp op, bool sgn)
{
	switch (op) {
	case OP_Eq:
		return LLVMIntEQ;
	case OP_NotEq:
		return LLVMIntNE;
	case OP_Lt:
		return sgn ? LLVMIntSLT : LLVMIntULT;
	case OP_LtE:
		return sgn ? LLVMIntSLE : LLVMIntULE;
	case OP_Gt:
		return sgn ? LLVMIntSGT : LLVMIntUGT;
	default:
		return sgn ? LLVMIntSGE : LLVMIntUGE;
	}
}

/* One comparison `l op r` as an i1; `lv` is l's value already computed (for
 * chains) or NULL. Sets *rv to r's value for the next link. */
static LLVMValueRef compare_link(Lower *L, AstNode *l, LLVMValueRef lv, AstOp op, AstNode *r,
				 LLVMValueRef *rv)
{
	if (op == OP_In || op == OP_NotIn) {
		MapDef *m = r->type ? r->type->map : r->sema; /* an inner map, or by name */
		*rv = NULL;
		Guard g;
		LLVMValueRef map = lower_map_begin(L, m, r, &g), found;
		if (m->family == MF_BLOOM) { /* peek is 0 when the value may be there */
			LLVMValueRef a[2] = {map, lower_spill(L, l, m->value)};
			LLVMValueRef rc = lower_helper(L, HELPER_map_peek_elem, L->t_i64, a, 2);
			found = LLVMBuildIsNull(L->b, rc, "");
		} else {
			found = LLVMBuildIsNotNull(L->b, lower_map_lookup(L, map, m, l), "");
		}
		found = lower_guard_end(L, &g, found);
		return op == OP_In ? found : LLVMBuildNot(L->b, found, "");
	}
	if (is_none_node(l) || is_none_node(r)) {
		AstNode *p = is_none_node(l) ? r : l;
		LLVMValueRef ptr = lower_pointer(L, p);
		bool eq = op == OP_Is || op == OP_Eq;
		*rv = NULL;
		return eq ? LLVMBuildIsNull(L->b, ptr, "") : LLVMBuildIsNotNull(L->b, ptr, "");
	}
	Type *lt = value_type(l->type), *rtype = value_type(r->type);
	Type *t = type_common(L->p, lt, rtype);
	if (!lv)
		lv = lower_rvalue(L, l);
	LLVMValueRef a =
		l->konst ? lower_const_int(L, t, l->konst->v) : lower_convert(L, lv, lt, t);
	LLVMValueRef rraw = lower_rvalue(L, r);
	LLVMValueRef bval =
		r->konst ? lower_const_int(L, t, r->konst->v) : lower_convert(L, rraw, rtype, t);
	*rv = rraw;
	return LLVMBuildICmp(L->b, int_predicate(op, t->is_signed), a, bval, "");
}

static void branch_compare(Lower *L, AstNode *e, LLVMBasicBlockRef yes, LLVMBasicBlockRef no)
{
	AstNode *left = e->Compare.left;
	LLVMValueRef lv = NULL;
	int n = e->Compare.ops.n;
	for (int i = 0; i < n; i++) {
		AstNode *right = e->Compare.comparators.items[i];
		LLVMValueRef rv;
		LLVMValueRef c = compare_link(L, left, lv, e->Compare.ops.items[i], right, &rv);
		if (i == n - 1) {
			LLVMBuildCondBr(L->b, c, yes, no);
			return;
		}
		LLVMBasicBlockRef next = lower_block(L, "cmp.next");
		LLVMBuildCondBr(L->b, c, next, no);
		lower_position(L, next);
		left = right;
		lv = rv;
	}
}

void lower_branch(Lower *L, AstNode *e, LLVMBasicBlockRef yes, LLVMBasicBlockRef no)
{
	if (e->konst) {
		LLVMBuildBr(L->b, e->konst->v ? yes : no);
		return;
	}
	switch (e->kind) {
	case AST_BoolOp: {
		bool is_and = e->BoolOp.op == OP_And;
		int n = e->BoolOp.values.n;
		for (int i = 0; i < n - 1; i++) {
			LLVMBasicBlockRef next = lower_block(L, is_and ? "and.next" : "or.next");
			if (is_and)
				lower_branch(L, e->BoolOp.values.items[i], next, no);
			else
				lower_branch(L, e->BoolOp.values.items[i], yes, next);
			lower_position(L, next);
		}
		lower_branch(L, e->BoolOp.values.items[n - 1], yes, no);
		return;
	}
	case AST_UnaryOp:
		if (e->UnaryOp.op == OP_Not) {
			lower_branch(L, e->UnaryOp.operand, no, yes);
			return;
		}
		break;
	case AST_Compare:
		branch_compare(L, e, yes, no);
		return;
	default:
		break;
	}
	LLVMValueRef c;
	if (e->type->kind == TY_PTR) {
		c = LLVMBuildIsNotNull(L->b, lower_pointer(L, e), "");
	} else {
		LLVMValueRef v = lower_rvalue(L, e);
		c = LLVMBuildIsNotNull(L->b, v, "");
	}
	LLVMBuildCondBr(L->b, c, yes, no);
}

/* A condition's value as 0 or 1 (an i32, C's int). */
static LLVMValueRef truth_value(Lower *L, AstNode *e)
{
	LLVMBasicBlockRef yes = lower_block(L, "true"), no = lower_block(L, "false"),
			  join = lower_block(L, "bool");
	lower_branch(L, e, yes, no);
	lower_position(L, yes);
	LLVMBuildBr(L->b, join);
	lower_position(L, no);
	LLVMBuildBr(L->b, join);
	lower_position(L, join);
	LLVMValueRef phi = LLVMBuildPhi(L->b, L->t_i32, "");
	LLVMValueRef vals[2] = {LLVMConstInt(L->t_i32, 1, 0), LLVMConstInt(L->t_i32, 0, 0)};
	LLVMBasicBlockRef bbs[2] = {yes, no};
	LLVMAddIncoming(phi, vals, bbs, 2);
	return phi;
}

/* `a or b` / `a and b` as a value: the deciding operand's value. */
static LLVMValueRef lower_boolop_value(Lower *L, AstNode *e)
{
	bool is_and = e->BoolOp.op == OP_And;
	int n = e->BoolOp.values.n;
	LLVMBasicBlockRef join = lower_block(L, "boolop");
	LLVMValueRef *vals = arena_alloc(L->a, sizeof(LLVMValueRef) * (size_t)n);
	LLVMBasicBlockRef *bbs = arena_alloc(L->a, sizeof(LLVMBasicBlockRef) * (size_t)n);
	for (int i = 0; i < n; i++) {
		AstNode *v = e->BoolOp.values.items[i];
		LLVMValueRef val, truth;
		if (v->type->kind == TY_PTR) {
			LLVMValueRef p = lower_pointer(L, v);
			truth = LLVMBuildIsNotNull(L->b, p, "");
			val = v->type->base && v->type->base->kind == TY_INT
				      ? lower_convert(
						L,
						lower_lval_load(L,
								pointer_place(L, p, v->type->base)),
						v->type->base, e->type)
				      : LLVMBuildZExt(L->b, truth, lower_type(L, e->type), "");
		} else {
			val = lower_value_as(L, v, e->type);
			truth = LLVMBuildIsNotNull(L->b, val, "");
		}
		vals[i] = val;
		bbs[i] = LLVMGetInsertBlock(L->b);
		if (i == n - 1) {
			LLVMBuildBr(L->b, join);
		} else {
			LLVMBasicBlockRef next = lower_block(L, "boolop.next");
			if (is_and)
				LLVMBuildCondBr(L->b, truth, next, join);
			else
				LLVMBuildCondBr(L->b, truth, join, next);
			lower_position(L, next);
		}
	}
	lower_position(L, join);
	LLVMValueRef phi = LLVMBuildPhi(L->b, lower_type(L, e->type), "");
	LLVMAddIncoming(phi, vals, bbs, (unsigned)n);
	return phi;
}

static LLVMValueRef lower_ifexp(Lower *L, AstNode *e)
{
	LLVMBasicBlockRef yes = lower_block(L, "ifexp.then"), no = lower_block(L, "ifexp.else"),
			  join = lower_block(L, "ifexp.end");
	lower_branch(L, e->IfExp.test, yes, no);
	lower_position(L, yes);
	LLVMValueRef a = lower_value_as(L, e->IfExp.body, e->type);
	LLVMBasicBlockRef yes_end = LLVMGetInsertBlock(L->b);
	LLVMBuildBr(L->b, join);
	lower_position(L, no);
	LLVMValueRef b = lower_value_as(L, e->IfExp.orelse, e->type);
	LLVMBasicBlockRef no_end = LLVMGetInsertBlock(L->b);
	LLVMBuildBr(L->b, join);
	lower_position(L, join);
	LLVMValueRef phi = LLVMBuildPhi(L->b, lower_type(L, e->type), "");
	LLVMValueRef vals[2] = {a, b};
	LLVMBasicBlockRef bbs[2] = {yes_end, no_end};
	LLVMAddIncoming(phi, vals, bbs, 2);
	return phi;
}

/* ---- values ---- */

/* Reads through a map value pointer (guarded). */
static LLVMValueRef deref(Lower *L, LLVMValueRef p, Type *ptype)
{
	if (!ptype->base)
		return p; /* a void pointer stays a pointer */
	return lower_lval_load(L, pointer_place(L, p, ptype->base));
}

LLVMValueRef lower_rvalue(Lower *L, AstNode *e)
{
	if (e->konst)
		return konst_value(L, e, e->type);
	switch (e->kind) {
	case AST_Name: {
		Symbol *sym = e->sema;
		if (sym->type->kind == TY_PTR)
			return deref(L, lower_pointer(L, e), sym->type);
		LVal lv = lower_lvalue(L, e);
		return is_aggregate(lv.type) ? lv.addr : lower_load(L, lv.addr, lv.type);
	}
	case AST_Attribute: {
		LLVMValueRef v = lower_packet_root(L, e);
		if (!v)
			v = lower_packet_bitfield(L, e);
		return v ? v : lower_lval_load(L, lower_lvalue(L, e));
	}
	case AST_Subscript:
		if (is_map_item(e))
			return deref(L, lower_pointer(L, e), e->type);
		return lower_lval_load(L, lower_lvalue(L, e));
	case AST_BinOp:
		return lower_binop(L, e);
	case AST_UnaryOp:
		return lower_unaryop(L, e);
	case AST_BoolOp:
		return lower_boolop_value(L, e);
	case AST_Compare:
		return truth_value(L, e);
	case AST_IfExp:
		return lower_ifexp(L, e);
	case AST_Call: {
		LLVMValueRef v = lower_call(L, e);
		if (e->type->kind == TY_PTR)
			return deref(L, v, e->type);
		return v;
	}
	case AST_Constant: /* a string literal stored somewhere */
		return lower_string(L, e->Constant.value.str, e->Constant.value.len);
	default:
		return LLVMGetUndef(lower_type(L, e->type)); /* sema rejects the rest */
	}
}

/* A char buffer of `from` bytes at src as a str(to->len): the bytes that
 * fit, then zeros. A cut buffer ends with a NUL; a string literal loses only
 * its own NUL (sema checked that the text fits), as in C. */
static LLVMValueRef resize_chars(Lower *L, AstNode *e, LLVMValueRef src, Type *from, Type *to)
{
	Type *chars = type_int(L->p, CT_CHAR);
	LLVMValueRef tmp = lower_temp(L, to);
	int n = from->len < to->len ? from->len : to->len;
	bool cut = from->len > to->len && e->kind != AST_Constant;
	if (cut)
		n--;
	lower_memcpy(L, tmp, src, type_array(L->a, chars, n));
	if (n < to->len)
		lower_zero(L, byte_offset(L, tmp, LLVMConstInt(L->t_i64, (unsigned)n, 0)),
			   type_array(L->a, chars, to->len - n));
	return tmp;
}

LLVMValueRef lower_value_as(Lower *L, AstNode *e, Type *to)
{
	if (to->kind == TY_PTR)
		return lower_pointer(L, e);
	if (e->konst && to->kind == TY_INT)
		return lower_const_int(L, to, e->konst->v);
	LLVMValueRef v = lower_rvalue(L, e);
	Type *from = value_type(e->type);
	if (to->kind == TY_ARRAY && to->is_char && from->len != to->len)
		return resize_chars(L, e, v, from, to);
	return lower_convert(L, v, from, to);
}

LLVMValueRef lower_spill(Lower *L, AstNode *e, Type *t)
{
	/* a plain variable or field of exactly this type: pass its address */
	if ((e->kind == AST_Name || e->kind == AST_Attribute) && !e->konst && e->type == t) {
		LVal lv = lower_lvalue(L, e);
		if (!lv.valid)
			return lower_place_addr(L, &lv);
	}
	LLVMValueRef v = lower_value_as(L, e, t);
	if (t->kind == TY_INT && LLVMIsAConstantInt(v))
		return lower_const_slot(L, t, v); /* the helper only reads it */
	LLVMValueRef tmp = lower_temp(L, t);
	if (is_aggregate(t))
		lower_memcpy(L, tmp, v, t);
	else
		lower_store(L, v, tmp, t);
	return tmp;
}
