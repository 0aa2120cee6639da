/*
 * lower_context.c - a program's event arguments (sema_context.c), stored
 * into their locals at entry.
 *
 * raw_tp, tp_btf, fentry, fexit and lsm programs get their arguments in
 * the u64 slots of their context: slot i is a direct 8-byte load at
 * ctx + 8*i, which the verifier types from the BTF prototype (a BTF
 * pointer for the pointer arguments of tp_btf, fentry, fexit and lsm).
 * kprobe and uprobe arguments are CO-RE reads of the pt_regs context's
 * registers, built by sema as `ctx.di` and friends.
 */
#include "kbtf.h"
#include "lower_internal.h"

#include <bpf/btf.h>
#include <string.h>

void lower_event_args(Lower *L, FuncDef *fn)
{
	Type *u64 = type_int(L->p, CT_UINT64);
	for (int i = 0; i < fn->locals.n; i++) {
		Symbol *l = fn->locals.items[i];
		if (!l->event_init && !l->event_slot)
			continue;
		LLVMValueRef v;
		if (l->event_init) {
			v = lower_value_as(L, l->event_init, u64);
		} else {
			LLVMValueRef ctx = LLVMGetParam(L->llfn, 0);
			if (LLVMGetTypeKind(LLVMTypeOf(ctx)) != LLVMPointerTypeKind)
				ctx = LLVMBuildIntToPtr(L->b, ctx, L->t_ptr, "");
			LLVMValueRef off = LLVMConstInt(
				L->t_i64, 8ull * (unsigned long long)(l->event_slot - 1), 0);
			LLVMValueRef p = LLVMBuildGEP2(L->b, L->t_i8, ctx, &off, 1, "");
			v = LLVMBuildLoad2(L->b, L->t_i64, p, l->name);
			LLVMSetAlignment(v, 8);
		}
		v = LLVMBuildIntCast2(L->b, v, lower_type(L, l->type), l->type->is_signed, "");
		lower_store(L, v, l->ll, l->type);
	}
}

static LLVMValueRef call_intrinsic(Lower *L, const char *name, LLVMValueRef *args, int n)
{
	unsigned id = LLVMLookupIntrinsicID(name, strlen(name));
	LLVMTypeRef fty = LLVMIntrinsicGetType(L->ctx, id, NULL, 0);
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(L->mod, id, NULL, 0);
	return LLVMBuildCall2(L->b, fty, fn, args, (unsigned)n, "");
}

/* bpf_core_enum_value[_exists](enum_X, NAME): llvm.bpf.preserve.enum.value
 * with the string "NAME:VALUE" (the build BTF's value) and the enum's
 * debug type; bpf_core_type_id_local/kernel(T): llvm.bpf.btf.type.id.
 * The sequence number keeps calls apart (ORDER CORE2). */
LLVMValueRef lower_core_enum_or_id(Lower *L, AstNode *e)
{
	CallInfo *ci = e->sema;
	AstNode *arg = e->Call.args.items[0];
	Type *t = arg->type;
	LLVMValueRef call;
	if (ci->builtin == BI_CORE_ENUM_VALUE_EXISTS || ci->builtin == BI_CORE_ENUM_VALUE) {
		const struct btf *btf = kbtf_btf(L->p->kbtf);
		const char *name = e->Call.args.items[1]->Name.id;
		int i = sema_enumerator_index(btf, t, name);
		const struct btf_type *bt = btf__type_by_id(btf, t->btf_id);
		long long v = btf_is_enum(bt)
				      ? (t->is_signed ? (long long)btf_enum(bt)[i].val
						      : (long long)(uint32_t)btf_enum(bt)[i].val)
				      : (long long)btf_enum64_value(btf_enum64(bt) + i);
		const char *text = arena_printf(L->a, "%s:%lld", name, v);
		LLVMValueRef str = LLVMBuildGlobalStringPtr(L->b, text, "");
		LLVMValueRef args[3] = {
			LLVMConstInt(L->t_i32, (unsigned)L->nseq++, 0), str,
			LLVMConstInt(L->t_i64, ci->builtin == BI_CORE_ENUM_VALUE ? 1 : 0, 0)};
		call = call_intrinsic(L, "llvm.bpf.preserve.enum.value", args, 3);
	} else {
		LLVMValueRef args[2] = {
			LLVMConstInt(L->t_i32, (unsigned)L->nseq++, 0),
			LLVMConstInt(L->t_i64, ci->builtin == BI_CORE_TYPE_ID_KERNEL ? 1 : 0, 0)};
		call = call_intrinsic(L, "llvm.bpf.btf.type.id", args, 2);
	}
	unsigned md = LLVMGetMDKindIDInContext(L->ctx, "llvm.preserve.access.index", 26);
	LLVMSetMetadata(call, md, LLVMMetadataAsValue(L->ctx, dib_type(L, t)));
	return LLVMBuildIntCast2(L->b, call, lower_type(L, e->type), 0, "");
}
