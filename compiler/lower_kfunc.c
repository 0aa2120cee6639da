/*
 * lower_kfunc.c - calls of kernel functions exported to BPF (kfuncs).
 *
 * A kfunc is declared as clang declares `extern T f(...) __ksym;`
 * (shared/reference/llvm-bpf-notes.md, section 2): an external function in
 * section .ksyms with a declaration-only DISubprogram, which the BPF backend
 * turns into a BTF FUNC with extern linkage inside DATASEC .ksyms. A call
 * becomes `call -1` with an R_BPF_64_32 relocation against the function's
 * name; libbpf finds the kfunc in the kernel's BTF by that name, checks that
 * the prototypes are compatible (same number of parameters, each of the same
 * kind: integer, pointer to struct, ...), and patches in its BTF id.
 *
 * The debug prototype therefore follows the kernel's: integers and enums as
 * the kernel's types, pointers to kernel structs as pointers to the struct
 * (the same debug struct CO-RE reads use), other pointers to their pointee.
 * Kernel pointers are 64-bit integers in pybpf and cross the call as `ptr`.
 */
#include "kbtf.h"
#include "lower_internal.h"

#include <string.h>

#define S(x) (x), strlen(x)

static bool is_pointer_param(const KFunc *kf, int i)
{
	return kf->pkinds[i] == KP_OBJECT || kf->pkinds[i] == KP_MEMORY;
}

static LLVMTypeRef value_type(Lower *L, Type *t)
{
	if (t == L->p->none)
		return L->t_void;
	return t->is_kptr ? L->t_ptr : lower_type(L, t);
}

/* The debug type of a parameter or result: a pointer to a kernel struct
 * points to the struct itself (clang's BTF does the same), others as
 * dib_type gives them. */
static LLVMMetadataRef debug_type(Lower *L, Type *t)
{
	if (t == L->p->none)
		return NULL;
	if (t->is_kptr && t->kptr && sema_is_kernel_type(t->kptr))
		return LLVMDIBuilderCreatePointerType(L->dib, dib_type(L, t->kptr), 64, 0, 0, "",
						      0);
	return dib_type(L, t);
}

static LLVMValueRef declare(Lower *L, KFunc *kf)
{
	if (kf->ll)
		return kf->ll;
	/* the same kfunc imported under two names is one extern */
	kf->ll = LLVMGetNamedFunction(L->mod, kf->name);
	if (kf->ll)
		return kf->ll;
	int n = kf->nparams;
	LLVMTypeRef params[5];
	LLVMMetadataRef di[6];
	di[0] = debug_type(L, kf->ret);
	for (int i = 0; i < n; i++) {
		params[i] = is_pointer_param(kf, i) ? L->t_ptr : lower_type(L, kf->ptypes[i]);
		di[i + 1] = debug_type(L, kf->ptypes[i]);
	}
	LLVMTypeRef fty = LLVMFunctionType(value_type(L, kf->ret), params, (unsigned)n, 0);
	LLVMValueRef f = LLVMAddFunction(L->mod, kf->name, fty);
	LLVMSetSection(f, ".ksyms");
	lower_add_attribute(L, f, "nounwind");
	LLVMMetadataRef sty =
		LLVMDIBuilderCreateSubroutineType(L->dib, L->di_file, di, (unsigned)n + 1, 0);
	LLVMSetSubprogram(f, LLVMDIBuilderCreateFunction(L->dib, L->di_file, S(kf->name),
							 S(kf->name), L->di_file, 0, sty, 0,
							 /* IsDefinition */ 0, 0,
							 LLVMDIFlagPrototyped, 1));
	kf->ll = f;
	return f;
}

/* A pointer argument: a kernel pointer (an integer), a pointer, None, a
 * string constant, or the address of a place (a temporary for a value). */
static LLVMValueRef pointer_arg(Lower *L, AstNode *a)
{
	if (a->type == L->p->none)
		return LLVMConstNull(L->t_ptr);
	if (a->kind == AST_Constant && a->Constant.value.kind == CONST_STR)
		return lower_string(L, a->Constant.value.str, a->Constant.value.len);
	Type *t = a->type;
	if (t->kind == TY_PTR)
		return lower_pointer(L, a);
	if (t->is_kptr)
		return LLVMBuildIntToPtr(L->b, lower_rvalue(L, a), L->t_ptr, "");
	if (t->kind == TY_STRUCT || t->kind == TY_ARRAY || sema_is_lvalue(a)) {
		LVal lv = lower_lvalue(L, a);
		return lower_place_addr(L, &lv);
	}
	LLVMValueRef tmp = lower_temp(L, t);
	lower_store(L, lower_value_as(L, a, t), tmp, t);
	return tmp;
}

LLVMValueRef lower_kfunc_call(Lower *L, AstNode *e, KFunc *kf)
{
	LLVMValueRef f = declare(L, kf);
	LLVMValueRef args[5];
	for (int i = 0; i < kf->nparams; i++) {
		AstNode *a = e->Call.args.items[i];
		args[i] = is_pointer_param(kf, i) ? pointer_arg(L, a)
						  : lower_value_as(L, a, kf->ptypes[i]);
	}
	dib_loc(L, e); /* calls to functions with debug info need a location */
	LLVMValueRef r =
		LLVMBuildCall2(L->b, LLVMGlobalGetValueType(f), f, args, (unsigned)kf->nparams, "");
	if (kf->ret == L->p->none)
		return NULL;
	if (kf->ret->is_kptr) /* a kernel pointer is an integer */
		return LLVMBuildPtrToInt(L->b, r, L->t_i64, "");
	return r;
}
