/*
 * lower_core.c - reads of kernel memory with CO-RE relocations.
 *
 * A kernel place (sema_is_kernel_place: a field of what a kernel pointer
 * points to) is read with bpf_probe_read_kernel() from an address computed
 * by LLVM's preserve-access-index intrinsics, so the BPF backend records a
 * CO-RE relocation (.BTF.ext) for each field offset and libbpf fixes it up
 * for the kernel the object is loaded on
 * (shared/reference/llvm-bpf-notes.md, section 3):
 *
 *   ptr @llvm.preserve.struct.access.index(ptr elementtype(%S) base, gep, di)
 *   ptr @llvm.preserve.union.access.index(ptr base, di)
 *
 * with !llvm.preserve.access.index pointing at the struct's debug type. A
 * kernel struct's LLVM and debug types hold only the fields the program
 * reads (Field.used), at their real offsets, by name: libbpf matches
 * fields by name. Pointer members point to forward declarations, so the
 * debug info never pulls in the kernel's type graph.
 */
#define _GNU_SOURCE /* memmem */
#include "kbtf.h"
#include "lower_internal.h"

#include <bpf/btf.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#define S(x) (x), strlen(x)

enum {
	HELPER_probe_read_kernel = 113,
	DW_TAG_structure_type = 0x13,
	DW_TAG_union_type = 0x17,
};

/* The bit offset of member i of kernel struct t (bitfields need it). */
static int bit_offset(Lower *L, Type *t, int i)
{
	const struct btf_type *bt = btf__type_by_id(kbtf_btf(L->p->kbtf), t->btf_id);
	return (int)btf_member_bit_offset(bt, (uint32_t)i);
}

/* The bytes field i of t covers: [*start, *end). */
static void field_span(Lower *L, Type *t, int i, int *start, int *end)
{
	Field *f = &t->fields[i];
	if (f->bit_size > 0) {
		int bit = bit_offset(L, t, i);
		*start = bit / 8;
		*end = (bit + f->bit_size + 7) / 8;
		return;
	}
	*start = f->offset;
	*end = f->offset + f->type->size;
}

static bool has_bitfield(const Type *t)
{
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].used && t->fields[i].bit_size > 0)
			return true;
	return false;
}

/* Numbers the used fields of a kernel struct: di_idx among the used ones,
 * gep_idx in the LLVM struct (padding between them; bitfields sharing
 * bytes share one element; with a bitfield, element 0 is a zero-length
 * array that gives the struct its alignment, which the BPF backend's
 * bitfield relocations are computed from). */
static void number_fields(Lower *L, Type *t)
{
	int di = 0, gep = has_bitfield(t) ? 1 : 0, at = 0, cur = -1;
	for (int i = 0; i < t->nfields; i++) {
		Field *f = &t->fields[i];
		if (!f->used)
			continue;
		f->di_idx = di++;
		if (t->is_union)
			continue;
		int start, end;
		field_span(L, t, i, &start, &end);
		if (cur >= 0 && start < at) { /* shares the previous element */
			f->gep_idx = cur;
			at = end > at ? end : at;
			continue;
		}
		if (start > at)
			gep++;
		f->gep_idx = cur = gep++;
		at = end;
	}
}

LLVMTypeRef lower_kernel_struct_type(Lower *L, Type *t)
{
	number_fields(L, t);
	if (t->is_union) /* the union intrinsic takes no element type */
		return LLVMArrayType2(L->t_i8, (uint64_t)t->size);
	LLVMTypeRef *elems = arena_alloc(L->a, sizeof(LLVMTypeRef) * (size_t)(2 * t->nfields + 2));
	int n = 0, at = 0, cs = 0, ce = -1;
	bool aligned = has_bitfield(t);
	if (aligned) {
		int al = t->align > 8 ? 8 : t->align;
		elems[n++] = LLVMArrayType2(LLVMIntTypeInContext(L->ctx, (unsigned)al * 8), 0);
	}
	for (int i = 0; i < t->nfields; i++) {
		if (!t->fields[i].used)
			continue;
		int start, end;
		field_span(L, t, i, &start, &end);
		if (ce >= 0 && start < ce) {
			ce = end > ce ? end : ce;
			continue;
		}
		if (ce >= 0) {
			elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(ce - cs));
			at = ce;
		}
		if (start > at)
			elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(start - at));
		cs = start;
		ce = end;
	}
	if (ce >= 0) {
		elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(ce - cs));
		at = ce;
	}
	if (t->size > at)
		elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(t->size - at));
	return LLVMStructTypeInContext(L->ctx, elems, (unsigned)n, !aligned);
}

/* ---- debug types ---- */

/* LLVM's BPFAbstractMemberAccess pass caches the globals it makes for each
 * access ("llvm.task_struct:0:2352$0:2") in a process-wide table, keyed by
 * struct name and access, and reuses them in later modules: a second
 * compilation in one process would use a global of a freed module. So each
 * compilation names kernel structs with a suffix of its own,
 * `task_struct___pybpf0000002a` (libbpf ignores a `___` suffix when it
 * matches names against the kernel's: CO-RE "flavors"), and compile.c puts
 * the canonical suffix lower_core_canonical() back into the output, so the
 * same input always gives the same bytes. */
#define CORE_SUFFIX "___pybpf%08x"

void lower_core_canonical(char *out, size_t len, const char *suffix)
{
	char canon[32];
	size_t n = strlen(suffix);
	snprintf(canon, sizeof canon, CORE_SUFFIX, 0u);
	for (char *p = out; p && (size_t)(p - out) + n <= len;) {
		p = memmem(p, len - (size_t)(p - out), suffix, n);
		if (p) {
			memcpy(p, canon, n);
			p += n;
		}
	}
}

static const char *suffixed(Lower *L, const char *name)
{
	static atomic_uint compilations;
	if (!*name)
		return "";
	if (!L->p->core_suffix) {
		unsigned n = atomic_fetch_add(&compilations, 1) + 1;
		L->p->core_suffix = arena_printf(L->a, CORE_SUFFIX, n);
	}
	return arena_printf(L->a, "%s%s", name, L->p->core_suffix);
}

static const char *kernel_name(Lower *L, Type *t)
{
	return suffixed(L, t->c_name);
}

static LLVMMetadataRef forward_decl(Lower *L, Type *t)
{
	return LLVMDIBuilderCreateForwardDecl(
		L->dib, t->is_union ? DW_TAG_union_type : DW_TAG_structure_type,
		S(kernel_name(L, t)), L->di_file, L->di_file, 0, 0, 0, 0, "", 0);
}

static LLVMMetadataRef enum_type(Lower *L, Type *t)
{
	/* A kernel enum's debug type comes from a second DIBuilder that is never
	 * finalized, so it is not one of the compile unit's enums: it reaches
	 * the BTF through the relocations and members that use it, but not the
	 * DWARF, whose .debug_names would hash the per-compilation name. */
	if (!L->dib_loose)
		L->dib_loose = LLVMCreateDIBuilderDisallowUnresolved(L->mod);
	LLVMDIBuilderRef dib = L->dib_loose;
	const struct btf *btf = kbtf_btf(L->p->kbtf);
	const struct btf_type *bt = btf__type_by_id(btf, t->btf_id);
	int n = btf_vlen(bt);
	LLVMMetadataRef *e = arena_alloc(L->a, sizeof(LLVMMetadataRef) * (size_t)(n ? n : 1));
	for (int i = 0; i < n; i++) {
		uint32_t off =
			btf_is_enum(bt) ? btf_enum(bt)[i].name_off : btf_enum64(bt)[i].name_off;
		int64_t v = btf_is_enum(bt)
				    ? (t->is_signed ? (int64_t)btf_enum(bt)[i].val
						    : (int64_t)(uint32_t)btf_enum(bt)[i].val)
				    : (int64_t)btf_enum64_value(btf_enum64(bt) + i);
		e[i] = LLVMDIBuilderCreateEnumerator(dib, S(btf__name_by_offset(btf, off)), v,
						     !t->is_signed);
	}
	/* suffixed too: enum value relocations are cached by the enum's name */
	const char *name = suffixed(L, btf__name_by_offset(btf, bt->name_off));
	LLVMMetadataRef under = LLVMDIBuilderCreateBasicType(
		dib, S(t->is_signed ? "int" : "unsigned int"), (uint64_t)t->size * 8,
		t->is_signed ? 0x05 : 0x07, LLVMDIFlagZero);
	return LLVMDIBuilderCreateEnumerationType(dib, L->di_file, S(name), L->di_file, 0,
						  (uint64_t)t->size * 8, (uint32_t)t->size * 8, e,
						  (unsigned)n, under);
}

static LLVMMetadataRef struct_type(Lower *L, Type *t)
{
	number_fields(L, t);
	LLVMMetadataRef *members =
		arena_alloc(L->a, sizeof(LLVMMetadataRef) * (size_t)(t->nfields ? t->nfields : 1));
	int n = 0;
	for (int i = 0; i < t->nfields; i++) {
		Field *f = &t->fields[i];
		if (!f->used)
			continue;
		if (f->bit_size > 0) {
			int bit = bit_offset(L, t, i);
			members[n++] = LLVMDIBuilderCreateBitFieldMemberType(
				L->dib, L->di_file, S(f->name), L->di_file, 0,
				(uint64_t)f->bit_size, (uint64_t)bit, (uint64_t)(bit / 8 * 8),
				LLVMDIFlagZero, dib_type(L, f->type));
			continue;
		}
		members[n++] = LLVMDIBuilderCreateMemberType(
			L->dib, L->di_file, S(f->name), L->di_file, 0, (uint64_t)f->type->size * 8,
			0, (uint64_t)f->offset * 8, LLVMDIFlagZero, dib_type(L, f->type));
	}
	if (t->is_union)
		return LLVMDIBuilderCreateUnionType(L->dib, L->di_file, S(kernel_name(L, t)),
						    L->di_file, 0, (uint64_t)t->size * 8,
						    (uint32_t)t->align * 8, LLVMDIFlagZero, members,
						    (unsigned)n, 0, "", 0);
	return LLVMDIBuilderCreateStructType(
		L->dib, L->di_file, S(kernel_name(L, t)), L->di_file, 0, (uint64_t)t->size * 8,
		(uint32_t)t->align * 8, LLVMDIFlagZero, NULL, members, (unsigned)n, 0, NULL, "", 0);
}

LLVMMetadataRef dib_kernel_type(Lower *L, Type *t)
{
	if (t->is_kptr) {
		LLVMMetadataRef to = NULL;
		if (t->kptr)
			to = sema_is_kernel_type(t->kptr) ? forward_decl(L, t->kptr)
							  : dib_type(L, t->kptr);
		return LLVMDIBuilderCreatePointerType(L->dib, to, 64, 0, 0, "", 0);
	}
	if (t->kind == TY_STRUCT)
		return struct_type(L, t);
	if (t->kind == TY_INT && btf_is_any_enum(btf__type_by_id(kbtf_btf(L->p->kbtf), t->btf_id)))
		return enum_type(L, t);
	return NULL; /* ints and arrays: as pybpf's own */
}

/* ---- reads ---- */

static LLVMValueRef intrinsic(Lower *L, const char *name, LLVMTypeRef *ovl, int novl,
			      LLVMTypeRef *fty)
{
	unsigned id = LLVMLookupIntrinsicID(S(name));
	*fty = LLVMIntrinsicGetType(L->ctx, id, ovl, (size_t)novl);
	return LLVMGetIntrinsicDeclaration(L->mod, id, ovl, (size_t)novl);
}

/* The kernel pointer a kernel place is reached through, as a pointer. */
static LLVMValueRef root_pointer(Lower *L, AstNode *e)
{
	AstNode *b = e->Attribute.value;
	if (!b->type->is_kptr)
		return root_pointer(L, b);
	LLVMValueRef v = lower_value_as(L, b, type_int(L->p, CT_UINT64));
	return LLVMBuildIntToPtr(L->b, v, L->t_ptr, "");
}

/* The address of kernel place e, through the CO-RE access intrinsics,
 * from its kernel pointer root (root_pointer). */
static LLVMValueRef core_addr_from(Lower *L, AstNode *e, LLVMValueRef root)
{
	AstNode *b = e->Attribute.value;
	Field *f = e->sema;
	Type *st;
	LLVMValueRef base;
	if (b->type->is_kptr) {
		st = b->type->kptr;
		base = root;
	} else {
		st = b->type;
		base = core_addr_from(L, b, root);
	}
	LLVMTypeRef ir = lower_type(L, st);
	LLVMMetadataRef di = dib_type(L, st);
	LLVMTypeRef ovl[2] = {L->t_ptr, L->t_ptr}, fty;
	LLVMValueRef call;
	if (st->is_union) {
		LLVMValueRef fn = intrinsic(L, "llvm.preserve.union.access.index", ovl, 2, &fty);
		LLVMValueRef args[2] = {base, LLVMConstInt(L->t_i32, (unsigned)f->di_idx, 0)};
		call = LLVMBuildCall2(L->b, fty, fn, args, 2, "");
	} else {
		LLVMValueRef fn = intrinsic(L, "llvm.preserve.struct.access.index", ovl, 2, &fty);
		LLVMValueRef args[3] = {base, LLVMConstInt(L->t_i32, (unsigned)f->gep_idx, 0),
					LLVMConstInt(L->t_i32, (unsigned)f->di_idx, 0)};
		call = LLVMBuildCall2(L->b, fty, fn, args, 3, "");
		unsigned kind = LLVMGetEnumAttributeKindForName(S("elementtype"));
		LLVMAddCallSiteAttribute(call, 1, LLVMCreateTypeAttribute(L->ctx, kind, ir));
	}
	unsigned md = LLVMGetMDKindIDInContext(L->ctx, S("llvm.preserve.access.index"));
	LLVMSetMetadata(call, md, LLVMMetadataAsValue(L->ctx, di));
	return call;
}

static LLVMValueRef core_addr(Lower *L, AstNode *e)
{
	return core_addr_from(L, e, root_pointer(L, e));
}

/* The value of type t at kernel address addr, copied to a temporary: by
 * plain loads through a BTF pointer or the context, by a probe read
 * otherwise. */
static LVal read_at(Lower *L, LLVMValueRef addr, Type *t, KptrMode mode)
{
	LLVMValueRef tmp = lower_temp(L, t);
	if (mode != KPTR_PROBE) {
		/* copied so that the value is on the stack wherever it goes
		 * (map keys, helpers) */
		lower_memcpy_aligned(L, tmp, (unsigned)t->align, addr, (unsigned)t->align, t);
	} else {
		LLVMValueRef args[3] = {tmp, LLVMConstInt(L->t_i32, (unsigned)t->size, 0), addr};
		lower_helper(L, HELPER_probe_read_kernel, L->t_i64, args, 3);
	}
	LVal lv = {.addr = tmp, .type = t, .align = (unsigned)t->align};
	return lv;
}

/* llvm.bpf.preserve.field.info kinds */
enum { FI_BYTE_OFFSET, FI_BYTE_SIZE, FI_EXISTS, FI_SIGNED, FI_LSHIFT, FI_RSHIFT };

static LLVMValueRef field_info(Lower *L, AstNode *e, LLVMValueRef root, int kind)
{
	LLVMTypeRef ovl = L->t_ptr, fty;
	LLVMValueRef fn = intrinsic(L, "llvm.bpf.preserve.field.info", &ovl, 1, &fty);
	LLVMValueRef args[2] = {core_addr_from(L, e, root),
				LLVMConstInt(L->t_i64, (unsigned)kind, 0)};
	return LLVMBuildZExt(L->b, LLVMBuildCall2(L->b, fty, fn, args, 2, ""), L->t_i64, "");
}

/* A bitfield, as libbpf's BPF_CORE_READ_BITFIELD(_PROBED): the relocated
 * byte offset and size of the bytes holding it, read into a u64 (a probe
 * read, or a direct load of that size), shifted left then right by the
 * relocated amounts. */
static LVal read_bitfield(Lower *L, AstNode *e)
{
	AstNode *b = e->Attribute.value;
	Type *t = e->type;
	LLVMValueRef root = root_pointer(L, e);
	LLVMValueRef base = b->type->is_kptr ? root : core_addr_from(L, b, root);
	LLVMValueRef off = field_info(L, e, root, FI_BYTE_OFFSET);
	LLVMValueRef size = field_info(L, e, root, FI_BYTE_SIZE);
	LLVMValueRef addr = LLVMBuildGEP2(L->b, L->t_i8, base, &off, 1, "");
	LLVMValueRef v;
	if (sema_kernel_mode(e) == KPTR_PROBE) {
		Type *u64 = type_int(L->p, CT_UINT64);
		LLVMValueRef tmp = lower_temp(L, u64);
		lower_store(L, LLVMConstInt(L->t_i64, 0, 0), tmp, u64);
		LLVMValueRef args[3] = {tmp, LLVMBuildTrunc(L->b, size, L->t_i32, ""), addr};
		lower_helper(L, HELPER_probe_read_kernel, L->t_i64, args, 3);
		v = lower_load(L, tmp, u64);
	} else {
		/* a load of the relocated size (the verifier sees a constant) */
		static const unsigned sizes[] = {1, 2, 4};
		LLVMBasicBlockRef done = lower_block(L, "bitfield.done");
		LLVMBasicBlockRef wide = lower_block(L, "bitfield.8");
		LLVMValueRef sw = LLVMBuildSwitch(L->b, size, wide, 3);
		LLVMValueRef vals[4];
		LLVMBasicBlockRef from[4];
		for (int i = 0; i < 4; i++) {
			unsigned n = i < 3 ? sizes[i] : 8;
			LLVMBasicBlockRef bb = i < 3 ? lower_block(L, "bitfield.load") : wide;
			if (i < 3)
				LLVMAddCase(sw, LLVMConstInt(L->t_i64, n, 0), bb);
			LLVMPositionBuilderAtEnd(L->b, bb);
			LLVMTypeRef it = LLVMIntTypeInContext(L->ctx, n * 8);
			LLVMValueRef ld = LLVMBuildLoad2(L->b, it, addr, "");
			LLVMSetAlignment(ld, n);
			vals[i] = LLVMBuildZExt(L->b, ld, L->t_i64, "");
			from[i] = LLVMGetInsertBlock(L->b);
			LLVMBuildBr(L->b, done);
		}
		LLVMPositionBuilderAtEnd(L->b, done);
		v = LLVMBuildPhi(L->b, L->t_i64, "");
		LLVMAddIncoming(v, vals, from, 4);
	}
	v = LLVMBuildShl(L->b, v, field_info(L, e, root, FI_LSHIFT), "");
	LLVMValueRef r = field_info(L, e, root, FI_RSHIFT);
	v = t->is_signed ? LLVMBuildAShr(L->b, v, r, "") : LLVMBuildLShr(L->b, v, r, "");
	LLVMValueRef tmp = lower_temp(L, t);
	lower_store(L, LLVMBuildTrunc(L->b, v, lower_type(L, t), ""), tmp, t);
	LVal lv = {.addr = tmp, .type = t, .align = (unsigned)t->align};
	return lv;
}

LVal lower_kernel_read(Lower *L, AstNode *e)
{
	if (((Field *)e->sema)->bit_size > 0)
		return read_bitfield(L, e);
	return read_at(L, core_addr(L, e), e->type, sema_kernel_mode(e));
}

/* arr[i] for an array field at a constant index: the element alone, through
 * llvm.preserve.array.access.index (part of the field's relocation). */
LVal lower_kernel_element(Lower *L, AstNode *e)
{
	AstNode *arr = e->Subscript.value;
	IndexInfo *ii = e->sema;
	LLVMValueRef base = core_addr(L, arr);
	LLVMTypeRef ovl[2] = {L->t_ptr, L->t_ptr}, fty;
	LLVMValueRef fn = intrinsic(L, "llvm.preserve.array.access.index", ovl, 2, &fty);
	LLVMValueRef args[3] = {base, LLVMConstInt(L->t_i32, 0, 0),
				LLVMConstInt(L->t_i32, (unsigned long long)ii->index, 0)};
	LLVMValueRef call = LLVMBuildCall2(L->b, fty, fn, args, 3, "");
	unsigned kind = LLVMGetEnumAttributeKindForName(S("elementtype"));
	LLVMAddCallSiteAttribute(call, 1,
				 LLVMCreateTypeAttribute(L->ctx, kind, lower_type(L, arr->type)));
	unsigned md = LLVMGetMDKindIDInContext(L->ctx, S("llvm.preserve.access.index"));
	LLVMSetMetadata(call, md, LLVMMetadataAsValue(L->ctx, dib_type(L, arr->type)));
	return read_at(L, call, e->type, sema_kernel_mode(arr));
}

/* The CO-RE queries: relocations whose value is the answer (libbpf's
 * bpf_core_field_exists() and friends); ORDER CORE. */
LLVMValueRef lower_core_query(Lower *L, AstNode *e)
{
	CallInfo *ci = e->sema;
	AstNode *arg = e->Call.args.items[0];
	LLVMTypeRef fty;
	LLVMValueRef fn, call;
	if (ci->builtin == BI_CORE_FIELD_EXISTS || ci->builtin == BI_CORE_FIELD_SIZE) {
		/* kinds: 0 byte offset, 1 byte size, 2 exists */
		LLVMValueRef addr = core_addr(L, arg);
		LLVMTypeRef ovl = L->t_ptr;
		fn = intrinsic(L, "llvm.bpf.preserve.field.info", &ovl, 1, &fty);
		LLVMValueRef args[2] = {
			addr,
			LLVMConstInt(L->t_i64, ci->builtin == BI_CORE_FIELD_EXISTS ? 2 : 1, 0)};
		call = LLVMBuildCall2(L->b, fty, fn, args, 2, "");
	} else {
		/* flags: 0 exists, 1 size; the sequence number keeps calls apart */
		fn = intrinsic(L, "llvm.bpf.preserve.type.info", NULL, 0, &fty);
		LLVMValueRef args[2] = {
			LLVMConstInt(L->t_i32, (unsigned)L->nseq++, 0),
			LLVMConstInt(L->t_i64, ci->builtin == BI_CORE_TYPE_EXISTS ? 0 : 1, 0)};
		call = LLVMBuildCall2(L->b, fty, fn, args, 2, "");
		unsigned md = LLVMGetMDKindIDInContext(L->ctx, S("llvm.preserve.access.index"));
		LLVMSetMetadata(call, md, LLVMMetadataAsValue(L->ctx, dib_type(L, arg->type)));
	}
	return call;
}
