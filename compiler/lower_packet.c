/*
 * lower_packet.c - packet pointers and header fields in packet memory.
 *
 * ctx.data, ctx.data_end and ctx.data_meta are 32-bit context fields the
 * verifier rewrites into 64-bit packet pointers: like clang's
 * `(void *)(long)ctx->data`, one 32-bit load zero-extended to 64 bits, kept
 * in a register (a copy through a 32-bit stack slot would lose the pointer).
 * A packet pointer is a 64-bit integer in the IR; a header field is a plain
 * load or store at the pointer plus the field's offset (header layouts are
 * the wire's, so no CO-RE relocation), a bitfield a load of the bytes that
 * hold it, shifted and masked (little-endian BPF).
 */
#include "lower_internal.h"

LLVMValueRef lower_packet_root(Lower *L, AstNode *e)
{
	if (!sema_is_packet_root(e))
		return NULL;
	const Field *f = e->sema;
	LLVMValueRef ctx = lower_value_as(L, e->Attribute.value, type_int(L->p, CT_UINT64));
	LLVMValueRef p = LLVMBuildIntToPtr(L->b, ctx, L->t_ptr, "");
	LLVMValueRef off = LLVMConstInt(L->t_i64, (unsigned)f->offset, 0);
	LLVMValueRef addr = LLVMBuildGEP2(L->b, L->t_i8, p, &off, 1, "");
	LLVMValueRef v = LLVMBuildLoad2(L->b, L->t_i32, addr, e->Attribute.attr);
	LLVMSetAlignment(v, 4);
	return LLVMBuildZExt(L->b, v, L->t_i64, "");
}

LVal lower_packet_place(Lower *L, AstNode *e)
{
	AstNode *base = e->Attribute.value;
	const PacketField *pf = e->sema;
	LVal lv;
	if (base->type->pkt) {
		LLVMValueRef v = lower_value_as(L, base, type_int(L->p, CT_UINT64));
		lv = (LVal){.addr = LLVMBuildIntToPtr(L->b, v, L->t_ptr, ""), .align = 1};
	} else {
		lv = lower_lvalue(L, base);
	}
	lv.offset += (uint64_t)pf->f.offset;
	lv.type = pf->f.type;
	return lv;
}

LLVMValueRef lower_packet_bitfield(Lower *L, AstNode *e)
{
	if (!sema_is_packet_place(e) || !((const PacketField *)e->sema)->f.bit_size)
		return NULL;
	const PacketField *pf = e->sema;
	static const CTypeId units[] = {
		[1] = CT_UINT8, [2] = CT_UINT16, [4] = CT_UINT32, [8] = CT_UINT64};
	LVal lv = lower_packet_place(L, e);
	lv.type = type_int(L->p, units[pf->unit]);
	LLVMValueRef v = lower_lval_load(L, lv);
	unsigned bits = (unsigned)pf->unit * 8, size = (unsigned)pf->f.bit_size;
	unsigned shift = (unsigned)pf->bit_off % 8;
	LLVMTypeRef t = LLVMTypeOf(v);
	/* the field's bits to the top, then down with the field's sign */
	if (bits - shift - size)
		v = LLVMBuildShl(L->b, v, LLVMConstInt(t, bits - shift - size, 0), "");
	if (bits - size) {
		LLVMValueRef by = LLVMConstInt(t, bits - size, 0);
		v = pf->f.type->is_signed ? LLVMBuildAShr(L->b, v, by, "")
					  : LLVMBuildLShr(L->b, v, by, "");
	}
	return lower_convert(L, v, lv.type, pf->f.type);
}

LLVMValueRef lower_byte_order(Lower *L, AstNode *e)
{
	static const CTypeId widths[] = {
		[BI_NTOHS - BI_NTOHS] = CT_UINT16,	 [BI_HTONS - BI_NTOHS] = CT_UINT16,
		[BI_NTOHL - BI_NTOHS] = CT_UINT32,	 [BI_HTONL - BI_NTOHS] = CT_UINT32,
		[BI_BE64_TO_CPU - BI_NTOHS] = CT_UINT64, [BI_CPU_TO_BE64 - BI_NTOHS] = CT_UINT64,
	};
	CallInfo *ci = e->sema;
	Type *t = type_int(L->p, widths[ci->builtin - BI_NTOHS]);
	LLVMValueRef v = lower_value_as(L, e->Call.args.items[0], t);
	LLVMTypeRef ty = LLVMTypeOf(v), fty;
	unsigned id = LLVMLookupIntrinsicID("llvm.bswap", 10);
	fty = LLVMIntrinsicGetType(L->ctx, id, &ty, 1);
	LLVMValueRef fn = LLVMGetIntrinsicDeclaration(L->mod, id, &ty, 1);
	return LLVMBuildCall2(L->b, fty, fn, &v, 1, "");
}

/* A packet pointer plus or minus an integer (in bytes). A variable offset is
 * taken modulo 16384 (PACKET_VAR_OFFSET_MASK + 1) so that the verifier can
 * bound it whatever its type (a sign-extended int could be negative) and
 * still add the constant offsets and the guard's length below its 64 KiB
 * limit on packet offsets (MAX_PACKET_OFF). */
#define PACKET_VAR_OFFSET_MASK 0x3fff

LLVMValueRef lower_packet_binop(Lower *L, AstNode *e)
{
	Type *u64 = type_int(L->p, CT_UINT64);
	AstNode *p = e->BinOp.left, *k = e->BinOp.right;
	if (!p->type->pkt) {
		p = e->BinOp.right;
		k = e->BinOp.left;
	}
	LLVMValueRef base = lower_value_as(L, p, u64);
	LLVMValueRef off = lower_value_as(L, k, u64);
	if (!k->konst)
		off = LLVMBuildAnd(L->b, off, LLVMConstInt(L->t_i64, PACKET_VAR_OFFSET_MASK, 0),
				   "");
	return e->BinOp.op == OP_Sub ? LLVMBuildSub(L->b, base, off, "")
				     : LLVMBuildAdd(L->b, base, off, "");
}
