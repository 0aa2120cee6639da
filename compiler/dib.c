/*
 * dib.c - debug info, from which LLVM's BPF backend writes .BTF and .BTF.ext.
 *
 * What the kernel and libbpf need (shared/reference/llvm-bpf-notes.md, 1.3):
 * a FullDebug compile unit, a DISubprogram with named parameters on every
 * function (func_info), a DILocation on instructions (line_info, pointing at
 * the .py file so the kernel can show Python lines), and a global variable
 * expression on every global (maps, license, .rodata, .bss, .data), with
 * maps described in libbpf's BTF-defined-map encoding:
 *   __uint(name, N)  is a member `int (*name)[N]`
 *   __type(name, T)  is a member `T *name`
 */
#include "lower_internal.h"
#include "pybpf/compile.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	DW_ATE_boolean = 0x02,
	DW_ATE_signed = 0x05,
	DW_ATE_signed_char = 0x06,
	DW_ATE_unsigned = 0x07,
	DW_ATE_unsigned_char = 0x08,
	DW_TAG_const_type = 0x26,
};

#define S(x) (x), strlen(x)

/* The DIFile of a source path: relative to the compilation directory. */
static LLVMMetadataRef create_file(Lower *L, const char *path)
{
	char cwd[PATH_MAX];
	const char *dir = L->opts->comp_dir	    ? L->opts->comp_dir
			  : path[0] == '/'	    ? "/"
			  : getcwd(cwd, sizeof cwd) ? cwd
						    : ".";
	return LLVMDIBuilderCreateFile(L->dib, S(path), S(dir));
}

/* The DIFile of a SrcLoc/AstNode file: the main source, or an imported
 * module (DIFiles are uniqued, so creating one again gives the same). */
static LLVMMetadataRef file_of(Lower *L, int file)
{
	return file ? create_file(L, diag_file_name(L->d, file)) : L->di_file;
}

void dib_init(Lower *L)
{
	L->dib = LLVMCreateDIBuilder(L->mod);
	L->md_dbg = LLVMGetMDKindIDInContext(L->ctx, S("dbg"));
	L->di_file = create_file(L, L->opts->filename ? L->opts->filename : "<input>");
	L->di_cu = LLVMDIBuilderCreateCompileUnit(L->dib, LLVMDWARFSourceLanguageC11, L->di_file,
						  S("pybpf " PYBPF_VERSION), L->opts->opt_level > 0,
						  "", 0, 0, "", 0, LLVMDWARFEmissionFull, 0, 0, 0,
						  "", 0, "", 0);
	LLVMAddModuleFlag(
		L->mod, LLVMModuleFlagBehaviorWarning, S("Debug Info Version"),
		LLVMValueAsMetadata(LLVMConstInt(L->t_i32, LLVMDebugMetadataVersion(), 0)));
	LLVMAddModuleFlag(L->mod, LLVMModuleFlagBehaviorWarning, S("Dwarf Version"),
			  LLVMValueAsMetadata(LLVMConstInt(L->t_i32, 5, 0)));
	L->di_int = LLVMDIBuilderCreateBasicType(L->dib, S("int"), 32, DW_ATE_signed, 0);
}

void dib_finish(Lower *L)
{
	LLVMDIBuilderFinalize(L->dib);
	LLVMDisposeDIBuilder(L->dib);
	L->dib = NULL;
	if (L->dib_loose) /* never finalized: its enums are not the CU's */
		LLVMDisposeDIBuilder(L->dib_loose);
	L->dib_loose = NULL;
}

static unsigned int_encoding(const Type *t)
{
	if (t->is_bool)
		return DW_ATE_boolean;
	if (t->is_char)
		return DW_ATE_signed_char;
	if (t->size == 1)
		return t->is_signed ? DW_ATE_signed_char : DW_ATE_unsigned_char;
	return t->is_signed ? DW_ATE_signed : DW_ATE_unsigned;
}

static LLVMMetadataRef array_of(Lower *L, LLVMMetadataRef elem, int64_t n, uint64_t elem_bits,
				uint32_t align_bits)
{
	LLVMMetadataRef sr = LLVMDIBuilderGetOrCreateSubrange(L->dib, 0, n);
	return LLVMDIBuilderCreateArrayType(L->dib, elem_bits * (uint64_t)n, align_bits, elem, &sr,
					    1);
}

static LLVMMetadataRef struct_type(Lower *L, Type *t)
{
	LLVMMetadataRef *members =
		arena_alloc(L->a, sizeof(LLVMMetadataRef) * (size_t)(t->nfields ? t->nfields : 1));
	LLVMMetadataRef file = file_of(L, t->loc.file);
	for (int i = 0; i < t->nfields; i++) {
		Field *f = &t->fields[i];
		members[i] = LLVMDIBuilderCreateMemberType(
			L->dib, file, S(f->name), file, (unsigned)f->loc.line,
			(uint64_t)f->type->size * 8, (uint32_t)f->type->align * 8,
			(uint64_t)f->offset * 8, LLVMDIFlagZero, dib_type(L, f->type));
	}
	return LLVMDIBuilderCreateStructType(L->dib, file, S(t->c_name), file,
					     (unsigned)t->loc.line, (uint64_t)t->size * 8,
					     (uint32_t)t->align * 8, LLVMDIFlagZero, NULL, members,
					     (unsigned)t->nfields, 0, NULL, "", 0);
}

LLVMMetadataRef dib_type(Lower *L, Type *t)
{
	if (t->di)
		return t->di;
	LLVMMetadataRef di = NULL;
	if (t->btf_id || t->is_kptr) {
		di = dib_kernel_type(L, t);
		if (di) {
			t->di = di;
			return di;
		}
	}
	switch (t->kind) {
	case TY_VOID:
		return NULL;
	case TY_INT:
		di = LLVMDIBuilderCreateBasicType(L->dib, S(t->c_name), (uint64_t)t->size * 8,
						  int_encoding(t), LLVMDIFlagZero);
		break;
	case TY_PTR:
		di = LLVMDIBuilderCreatePointerType(L->dib, t->base ? dib_type(L, t->base) : NULL,
						    64, 0, 0, "", 0);
		break;
	case TY_ARRAY:
		di = array_of(L, dib_type(L, t->base), t->len, (uint64_t)t->base->size * 8,
			      (uint32_t)t->align * 8);
		break;
	case TY_STRUCT:
		di = struct_type(L, t);
		break;
	}
	t->di = di;
	return di;
}

LLVMMetadataRef dib_const_char_array(Lower *L, int n)
{
	LLVMMetadataRef ch =
		LLVMDIBuilderCreateBasicType(L->dib, S("char"), 8, DW_ATE_signed_char, 0);
	LLVMMetadataRef cch = LLVMDIBuilderCreateQualifiedType(L->dib, DW_TAG_const_type, ch);
	return array_of(L, cch, n, 8, 8);
}

void dib_global(Lower *L, LLVMValueRef g, const char *name, LLVMMetadataRef type, SrcLoc loc,
		bool local)
{
	LLVMMetadataRef gve = LLVMDIBuilderCreateGlobalVariableExpression(
		L->dib, L->di_cu, S(name), "", 0, file_of(L, loc.file), (unsigned)loc.line, type,
		local, LLVMDIBuilderCreateExpression(L->dib, NULL, 0), NULL, 0);
	LLVMGlobalSetMetadata(g, L->md_dbg, gve);
}

/* int (*name)[n]: libbpf's __uint(name, n) */
static LLVMMetadataRef uint_member_type(Lower *L, uint32_t n)
{
	LLVMMetadataRef arr = array_of(L, L->di_int, n, 32, 32);
	return LLVMDIBuilderCreatePointerType(L->dib, arr, 64, 0, 0, "", 0);
}

/* `values`: a flexible array of pointers to `pointee` (libbpf's
 * __array(values, ...)), at member index n. */
static LLVMMetadataRef values_member(Lower *L, MapDef *m, LLVMMetadataRef pointee, int n)
{
	LLVMMetadataRef ptr = LLVMDIBuilderCreatePointerType(L->dib, pointee, 64, 0, 0, "", 0);
	LLVMMetadataRef sr = LLVMDIBuilderGetOrCreateSubrange(L->dib, 0, -1);
	LLVMMetadataRef flex = LLVMDIBuilderCreateArrayType(L->dib, 0, 64, ptr, &sr, 1);
	return LLVMDIBuilderCreateMemberType(L->dib, L->di_file, S("values"), L->di_file,
					     (unsigned)m->loc.line, 0, 64, 64 * (uint64_t)n,
					     LLVMDIFlagZero, flex);
}

/* The libbpf map definition struct for m (kept in m->di). *nptrs gets the
 * number of pointer members. A last member `values` follows them in a
 * ProgArray with programs (pointers to `int (void *)`) and in a map of maps
 * (pointers to the inner map's definition: libbpf's template for the inner
 * maps); the global's initializer fills it. */
LLVMMetadataRef dib_map_type(Lower *L, MapDef *m, int *nptrs)
{
	const char *names[8];
	LLVMMetadataRef types[8];
	int n = 0;
	names[n] = "type";
	types[n++] = uint_member_type(L, (uint32_t)m->type_id);
	if (m->max_entries) {
		names[n] = "max_entries";
		types[n++] = uint_member_type(L, m->max_entries);
	}
	if (m->key) {
		names[n] = "key";
		types[n++] = LLVMDIBuilderCreatePointerType(L->dib, dib_type(L, m->key), 64, 0, 0,
							    "", 0);
	} else if (m->key_size) {
		names[n] = "key_size";
		types[n++] = uint_member_type(L, m->key_size);
	}
	if (m->value) {
		names[n] = "value";
		types[n++] = LLVMDIBuilderCreatePointerType(L->dib, dib_type(L, m->value), 64, 0, 0,
							    "", 0);
	} else if (m->value_size) {
		names[n] = "value_size";
		types[n++] = uint_member_type(L, m->value_size);
	}
	if (m->flags) {
		names[n] = "map_flags";
		types[n++] = uint_member_type(L, m->flags);
	}
	if (m->map_extra) {
		names[n] = "map_extra";
		types[n++] = uint_member_type(L, (uint32_t)m->map_extra);
	}
	*nptrs = n;
	LLVMMetadataRef members[8];
	LLVMMetadataRef file = file_of(L, m->loc.file);
	for (int i = 0; i < n; i++)
		members[i] = LLVMDIBuilderCreateMemberType(
			L->dib, file, S(names[i]), file, (unsigned)m->loc.line, 64, 64,
			64 * (uint64_t)i, LLVMDIFlagZero, types[i]);
	int nmembers = n;
	if (m->family == MF_PROGS && m->values) {
		LLVMMetadataRef voidp =
			LLVMDIBuilderCreatePointerType(L->dib, NULL, 64, 0, 0, "", 0);
		LLVMMetadataRef proto_types[2] = {L->di_int, voidp};
		LLVMMetadataRef proto =
			LLVMDIBuilderCreateSubroutineType(L->dib, L->di_file, proto_types, 2, 0);
		members[nmembers++] = values_member(L, m, proto, n);
	} else if (m->family == MF_OUTER) {
		members[nmembers++] = values_member(L, m, m->inner->di, n);
	}
	m->di = LLVMDIBuilderCreateStructType(L->dib, file, "", 0, file, (unsigned)m->loc.line,
					      64 * (uint64_t)n, 64, LLVMDIFlagZero, NULL, members,
					      (unsigned)nmembers, 0, NULL, "", 0);
	return m->di;
}

LLVMMetadataRef dib_function(Lower *L, FuncDef *fn, LLVMValueRef f)
{
	LLVMMetadataRef types[6];
	types[0] = dib_type(L, fn->ret); /* NULL: void */
	int n = 1;
	for (int i = 0; i < fn->nparams; i++)
		types[n++] = dib_type(L, fn->params[i]->type);
	LLVMMetadataRef file = file_of(L, fn->def->file); /* an imported function's module */
	LLVMMetadataRef sty =
		LLVMDIBuilderCreateSubroutineType(L->dib, file, types, (unsigned)n, 0);
	unsigned line = (unsigned)fn->def->lineno;
	LLVMMetadataRef sp = LLVMDIBuilderCreateFunction(
		L->dib, file, S(fn->name), S(fn->name), file, line, sty,
		/* subprograms are static: BTF linkage=static, verified per caller */
		fn->section == NULL, 1, line, LLVMDIFlagPrototyped, L->opts->opt_level > 0);
	LLVMSetSubprogram(f, sp);
	for (int i = 0; i < fn->nparams; i++) {
		Symbol *p = fn->params[i];
		/* AlwaysPreserve: BTF takes parameter names from retainedNodes */
		LLVMDIBuilderCreateParameterVariable(L->dib, sp, S(p->name), (unsigned)i + 1, file,
						     (unsigned)p->loc.line, dib_type(L, p->type), 1,
						     0);
	}
	return sp;
}

void dib_loc(Lower *L, const AstNode *n)
{
	LLVMMetadataRef loc = LLVMDIBuilderCreateDebugLocation(
		L->ctx, (unsigned)n->lineno, (unsigned)n->col_offset + 1, L->di_sp, NULL);
	LLVMSetCurrentDebugLocation2(L->b, loc);
}
