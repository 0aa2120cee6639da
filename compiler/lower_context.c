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
#include "lower_internal.h"

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
