/*
 * lower_module.c - the module: maps, globals and functions, plus the small
 * building blocks (types, constants, loads, stores, helper calls) that the
 * other lower_*.c files share.
 *
 * Integers are LLVM iN of their size (c_bool is an i8 holding 0 or 1);
 * pointers are opaque `ptr`; a struct is an LLVM struct with explicit padding
 * so its layout is exactly ours (fields are reached by byte offset); an array
 * is [N x T]. Helpers are called through a constant `inttoptr(id)` callee,
 * which BPF codegen turns into `call <id>` at every optimisation level.
 */
#include "lower_internal.h"

#include <stdio.h>
#include <string.h>

#define S(x) (x), strlen(x)

LLVMTypeRef lower_type(Lower *L, Type *t)
{
	if (t->ll)
		return t->ll;
	LLVMTypeRef ll = NULL;
	if (sema_is_kernel_type(t)) {
		t->ll = lower_kernel_struct_type(L, t);
		return t->ll;
	}
	switch (t->kind) {
	case TY_VOID:
		ll = L->t_void;
		break;
	case TY_INT:
		ll = LLVMIntTypeInContext(L->ctx, (unsigned)t->size * 8);
		break;
	case TY_PTR:
		ll = L->t_ptr;
		break;
	case TY_ARRAY:
		ll = LLVMArrayType2(lower_type(L, t->base), (uint64_t)t->len);
		break;
	case TY_STRUCT: {
		/* fields and explicit padding, packed, so offsets are ours */
		LLVMTypeRef *elems =
			arena_alloc(L->a, sizeof(LLVMTypeRef) * (size_t)(2 * t->nfields + 1));
		int n = 0, at = 0;
		for (int i = 0; i < t->nfields; i++) {
			Field *f = &t->fields[i];
			if (f->offset > at)
				elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(f->offset - at));
			elems[n++] = lower_type(L, f->type);
			at = f->offset + f->type->size;
		}
		if (t->size > at)
			elems[n++] = LLVMArrayType2(L->t_i8, (uint64_t)(t->size - at));
		ll = LLVMStructTypeInContext(L->ctx, elems, (unsigned)n, 1);
		break;
	}
	}
	t->ll = ll;
	return ll;
}

LLVMValueRef lower_const_int(Lower *L, Type *t, int64_t v)
{
	return LLVMConstInt(lower_type(L, t), (unsigned long long)v, t->is_signed);
}

LLVMBasicBlockRef lower_block(Lower *L, const char *name)
{
	return LLVMAppendBasicBlockInContext(L->ctx, L->llfn, name);
}

void lower_position(Lower *L, LLVMBasicBlockRef bb)
{
	LLVMBasicBlockRef last = LLVMGetLastBasicBlock(L->llfn);
	if (bb != last)
		LLVMMoveBasicBlockAfter(bb, last);
	LLVMPositionBuilderAtEnd(L->b, bb);
}

void lower_after_terminator(Lower *L)
{
	lower_position(L, lower_block(L, "dead"));
}

/* Allocas live in the entry block, so mem2reg can promote the scalar ones.
 * An integer slot is 8-byte aligned: the verifier tracks a register spilled
 * to the stack (its constant or range) only at an 8-byte aligned offset, so at
 * -O0, where locals and the return value stay in memory, a u32 slot at
 * fp-4 would lose "return 1" to an unknown scalar (rejected by program types
 * with a restricted return range, and by loops that need a bounded counter). */
LLVMValueRef lower_alloca(Lower *L, Type *t, const char *name)
{
	LLVMBuilderRef eb = LLVMCreateBuilderInContext(L->ctx);
	LLVMPositionBuilderAtEnd(eb, L->entry); /* its branch is added last */
	LLVMValueRef a = LLVMBuildAlloca(eb, lower_type(L, t), name);
	unsigned align = (unsigned)(t->align ? t->align : 1);
	if (t->kind == TY_INT && align < 8)
		align = 8;
	LLVMSetAlignment(a, align);
	LLVMDisposeBuilder(eb);
	return a;
}

typedef struct Temp {
	Type *type;
	LLVMValueRef slot;
	bool in_use;
} Temp;

/* Temporaries die with their statement, so later statements reuse their
 * slots: this keeps the stack small and gives LLVM one address for the same
 * kind of temporary on different paths (so it can merge the calls). */
LLVMValueRef lower_temp(Lower *L, Type *t)
{
	for (int i = 0; i < L->temps.n; i++) {
		Temp *tmp = L->temps.items[i];
		if (!tmp->in_use && type_same(tmp->type, t)) {
			tmp->in_use = true;
			return tmp->slot;
		}
	}
	Temp *tmp = arena_alloc(L->a, sizeof *tmp);
	tmp->type = t;
	tmp->slot = lower_alloca(L, t, "tmp");
	tmp->in_use = true;
	ptrvec_push(L->a, &L->temps, tmp);
	return tmp->slot;
}

void lower_release_temps(Lower *L)
{
	for (int i = 0; i < L->temps.n; i++)
		((Temp *)L->temps.items[i])->in_use = false;
}

LLVMValueRef lower_convert(Lower *L, LLVMValueRef v, Type *from, Type *to)
{
	if (from == to || to->kind != TY_INT || from->kind != TY_INT)
		return v;
	LLVMTypeRef tt = lower_type(L, to);
	if (to->is_bool) {
		LLVMValueRef nz =
			LLVMBuildICmp(L->b, LLVMIntNE, v, LLVMConstNull(LLVMTypeOf(v)), "");
		return LLVMBuildZExt(L->b, nz, tt, "");
	}
	if (to->size == from->size)
		return v;
	if (to->size < from->size)
		return LLVMBuildTrunc(L->b, v, tt, "");
	return from->is_signed ? LLVMBuildSExt(L->b, v, tt, "") : LLVMBuildZExt(L->b, v, tt, "");
}

LLVMValueRef lower_load(Lower *L, LLVMValueRef addr, Type *t)
{
	LLVMValueRef v = LLVMBuildLoad2(L->b, lower_type(L, t), addr, "");
	LLVMSetAlignment(v, (unsigned)t->align);
	return v;
}

void lower_store(Lower *L, LLVMValueRef v, LLVMValueRef addr, Type *t)
{
	LLVMValueRef st = LLVMBuildStore(L->b, v, addr);
	LLVMSetAlignment(st, (unsigned)t->align);
}

LLVMValueRef lower_load_aligned(Lower *L, LLVMValueRef addr, Type *t, unsigned align)
{
	LLVMValueRef v = lower_load(L, addr, t);
	LLVMSetAlignment(v, align);
	return v;
}

void lower_store_aligned(Lower *L, LLVMValueRef v, LLVMValueRef addr, Type *t, unsigned align)
{
	LLVMSetAlignment(LLVMBuildStore(L->b, v, addr), align);
}

void lower_memcpy_aligned(Lower *L, LLVMValueRef dst, unsigned dst_align, LLVMValueRef src,
			  unsigned src_align, Type *t)
{
	LLVMBuildMemCpy(L->b, dst, dst_align, src, src_align,
			LLVMConstInt(L->t_i64, (unsigned long long)t->size, 0));
}

void lower_memcpy(Lower *L, LLVMValueRef dst, LLVMValueRef src, Type *t)
{
	LLVMBuildMemCpy(L->b, dst, (unsigned)t->align, src, (unsigned)t->align,
			LLVMConstInt(L->t_i64, (unsigned long long)t->size, 0));
}

void lower_zero(Lower *L, LLVMValueRef addr, Type *t)
{
	if (t->kind == TY_INT || t->kind == TY_PTR) {
		lower_store(L, LLVMConstNull(lower_type(L, t)), addr, t);
		return;
	}
	LLVMBuildMemSet(L->b, addr, LLVMConstInt(L->t_i8, 0, 0),
			LLVMConstInt(L->t_i64, (unsigned long long)t->size, 0), (unsigned)t->align);
}

void lower_add_attribute(Lower *L, LLVMValueRef f, const char *name)
{
	unsigned kind = LLVMGetEnumAttributeKindForName(name, strlen(name));
	LLVMAddAttributeAtIndex(f, LLVMAttributeFunctionIndex,
				LLVMCreateEnumAttribute(L->ctx, kind, 0));
}

LLVMValueRef lower_helper(Lower *L, int id, LLVMTypeRef ret, LLVMValueRef *args, int n)
{
	LLVMTypeRef params[5];
	for (int i = 0; i < n; i++)
		params[i] = LLVMTypeOf(args[i]);
	LLVMTypeRef fty = LLVMFunctionType(ret, params, (unsigned)n, 0);
	LLVMValueRef callee =
		LLVMConstIntToPtr(LLVMConstInt(L->t_i64, (unsigned long long)id, 0), L->t_ptr);
	return LLVMBuildCall2(L->b, fty, callee, args, (unsigned)n, "");
}

/* A read-only integer constant in .rodata (for keys and values that helpers
 * take by address): its address is one ld_imm64 (2 slots), where a stack
 * slot costs a move, a store and two address instructions (4). Named
 * __pybpf_const<n>: loaders do not list "__pybpf" names as globals. */
LLVMValueRef lower_const_slot(Lower *L, Type *t, LLVMValueRef v)
{
	char name[40];
	snprintf(name, sizeof name, "__pybpf_const%d", L->nfmt++);
	LLVMValueRef g = LLVMAddGlobal(L->mod, lower_type(L, t), name);
	LLVMSetInitializer(g, v);
	LLVMSetLinkage(g, LLVMInternalLinkage);
	LLVMSetGlobalConstant(g, 1);
	LLVMSetSection(g, ".rodata");
	LLVMSetAlignment(g, (unsigned)t->align);
	SrcLoc loc = {L->fn->def->lineno, 0, 0, 0, L->fn->def->file};
	dib_global(L, g, name, dib_type(L, t), loc, true);
	return g;
}

/* ---- module-level objects ---- */

/* A BTF-defined map: a zeroed global of pointers in ".maps" whose debug
 * type says what the map is. A ProgArray's programs or a map of maps' maps
 * follow the pointers, as libbpf's static initialisation of `values` expects
 * (programs are declared before maps are lowered, maps of maps last). */
static void lower_map(Lower *L, MapDef *m)
{
	int n;
	LLVMMetadataRef di = dib_map_type(L, m, &n);
	LLVMTypeRef fields[9];
	LLVMValueRef init[9];
	for (int i = 0; i < n; i++) {
		fields[i] = L->t_ptr;
		init[i] = LLVMConstNull(L->t_ptr);
	}
	if (m->nvalues) {
		LLVMValueRef *vals = arena_alloc(L->a, sizeof(LLVMValueRef) * (size_t)m->nvalues);
		for (int i = 0; i < m->nvalues; i++) {
			void *ll = m->progs ? (m->progs[i] ? m->progs[i]->ll : NULL)
					    : (m->maps[i] ? m->maps[i]->ll : NULL);
			vals[i] = ll ? ll : LLVMConstNull(L->t_ptr);
		}
		fields[n] = LLVMArrayType2(L->t_ptr, (uint64_t)m->nvalues);
		init[n] = LLVMConstArray2(L->t_ptr, vals, (uint64_t)m->nvalues);
		n++;
	}
	LLVMTypeRef ty = LLVMStructTypeInContext(L->ctx, fields, (unsigned)n, 0);
	LLVMValueRef g = LLVMAddGlobal(L->mod, ty, m->name);
	LLVMSetInitializer(g, LLVMConstNamedStruct(ty, init, (unsigned)n));
	LLVMSetSection(g, ".maps");
	LLVMSetAlignment(g, 8);
	dib_global(L, g, m->name, di, m->loc, false);
	m->ll = g;
}

/* A global: its bytes (an [N x i8] global, reached by byte offsets like every
 * object), its C type in the debug info. Read-only globals go to .rodata
 * (userspace may set them before load, so they are not IR constants), zero
 * ones to .bss, others to .data; LICENSE to "license". */
static void lower_global(Lower *L, GlobalVar *gv)
{
	size_t size = (size_t)gv->type->size;
	LLVMTypeRef ty = LLVMArrayType2(L->t_i8, size);
	LLVMValueRef g = LLVMAddGlobal(L->mod, ty, gv->name);
	LLVMSetInitializer(g, gv->init ? LLVMConstStringInContext(L->ctx, (const char *)gv->init,
								  (unsigned)size, 1)
				       : LLVMConstNull(ty));
	LLVMSetSection(g, gv->is_license ? "license"
			  : gv->readonly ? ".rodata"
			  : gv->init	 ? ".data"
					 : ".bss");
	LLVMSetAlignment(g, (unsigned)(gv->is_license ? 1 : gv->type->align));
	if (gv->readonly) {
		/* constant, so .rodata is one read-only section with the format
		 * strings (a writable one of the same name breaks the BTF), but
		 * externally initialised: userspace may change the value before
		 * load, so LLVM must not fold it (clang: const volatile) */
		LLVMSetGlobalConstant(g, 1);
		LLVMSetExternallyInitialized(g, 1);
	}
	dib_global(L, g, gv->name, dib_type(L, gv->type), gv->loc, false);
	gv->ll = g;
}

/*
 * The record type of each RingBuffer and PerfEventArray map, for loaders
 * that decode events from BTF (grammar/dialect.md, "Event record types").
 * The map definitions cannot carry it (libbpf would size a ring buffer's
 * value by it, and a perf event array's value is the 4-byte fd), and a local
 * variable's type does not reach BTF, so each such map gets a variable
 * `__pybpf_event_<map>` of type "pointer to the record" in the license
 * section, after LICENSE: libbpf only reads the license string up to its
 * NUL and creates no map for that section, the kernel never sees these
 * bytes, no instruction refers to them, and the type lands in .BTF through
 * the variable's DATASEC entry. A map sent records of different types gets
 * none (loaders then report the type as unknown).
 */
static void lower_event_types(Lower *L)
{
	for (int i = 0; i < L->p->maps.n; i++) {
		MapDef *m = L->p->maps.items[i];
		if (!m->event_type || m->event_mixed || m->event_type->kind == TY_VOID)
			continue;
		const char *name = arena_printf(L->a, "__pybpf_event_%s", m->name);
		LLVMValueRef g = LLVMAddGlobal(L->mod, L->t_ptr, name);
		LLVMSetInitializer(g, LLVMConstNull(L->t_ptr));
		LLVMSetSection(g, "license");
		LLVMSetAlignment(g, 1);
		dib_global(L, g, name, dib_type(L, type_ptr(L->a, m->event_type)), m->loc, false);
	}
}

LLVMModuleRef lower_program(Arena *a, Diags *d, Program *p, LLVMContextRef ctx,
			    LLVMTargetMachineRef tm, const LowerOptions *opts)
{
	Lower L = {0};
	L.a = a;
	L.d = d;
	L.p = p;
	L.opts = opts;
	L.ctx = ctx;
	L.mod = LLVMModuleCreateWithNameInContext("pybpf", ctx);
	L.b = LLVMCreateBuilderInContext(ctx);
	L.t_i1 = LLVMInt1TypeInContext(ctx);
	L.t_i8 = LLVMInt8TypeInContext(ctx);
	L.t_i16 = LLVMInt16TypeInContext(ctx);
	L.t_i32 = LLVMInt32TypeInContext(ctx);
	L.t_i64 = LLVMInt64TypeInContext(ctx);
	L.t_ptr = LLVMPointerTypeInContext(ctx, 0);
	L.t_void = LLVMVoidTypeInContext(ctx);

	LLVMSetTarget(L.mod, "bpfel");
	LLVMTargetDataRef td = LLVMCreateTargetDataLayout(tm);
	LLVMSetModuleDataLayout(L.mod, td);
	LLVMDisposeTargetData(td);
	dib_init(&L);

	for (int i = 0; i < p->funcs.n; i++)
		lower_declare_function(&L, p->funcs.items[i]);
	/* maps of maps point at the maps they hold: those come first */
	for (int outer = 0; outer < 2; outer++)
		for (int i = 0; i < p->maps.n; i++)
			if ((((MapDef *)p->maps.items[i])->family == MF_OUTER) == outer)
				lower_map(&L, p->maps.items[i]);
	for (int i = 0; i < p->globals.n; i++)
		lower_global(&L, p->globals.items[i]);
	lower_event_types(&L); /* after LICENSE: they share its section */
	for (int i = 0; i < p->funcs.n; i++)
		lower_function(&L, p->funcs.items[i]);

	dib_finish(&L);
	LLVMDisposeBuilder(L.b);
	return L.mod;
}
