/*
 * sema_scope.c - symbol tables and the pybpf universe of predefined names.
 *
 * The universe (builtins.def) maps (module, name) to what the name means:
 * decorators, map classes, helpers, ctypes, Python builtins. A file binds
 * universe names by importing them; sema_universe() creates the symbol.
 */
#include "sema_internal.h"

#include <string.h>

static unsigned hash_name(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

Symbol *scope_get(const Scope *s, const char *name)
{
	if (!s->cap)
		return NULL;
	unsigned mask = (unsigned)s->cap - 1;
	for (unsigned i = hash_name(name) & mask;; i = (i + 1) & mask) {
		Symbol *sym = s->slots[i];
		if (!sym)
			return NULL;
		if (strcmp(sym->name, name) == 0)
			return sym;
	}
}

static void insert(Scope *s, Symbol *sym)
{
	unsigned mask = (unsigned)s->cap - 1;
	for (unsigned i = hash_name(sym->name) & mask;; i = (i + 1) & mask) {
		if (!s->slots[i] || strcmp(s->slots[i]->name, sym->name) == 0) {
			if (!s->slots[i])
				s->count++;
			s->slots[i] = sym;
			return;
		}
	}
}

void scope_put(Arena *a, Scope *s, Symbol *sym)
{
	if ((s->count + 1) * 2 > s->cap) {
		Scope old = *s;
		s->cap = s->cap ? s->cap * 2 : 32;
		s->slots = arena_alloc(a, sizeof(Symbol *) * (size_t)s->cap);
		s->count = 0;
		for (int i = 0; i < old.cap; i++)
			if (old.slots[i])
				insert(s, old.slots[i]);
	}
	insert(s, sym);
}

Symbol *sema_new_symbol(Sema *s, SymKind kind, const char *name, SrcLoc loc)
{
	Symbol *sym = arena_alloc(s->a, sizeof *sym);
	sym->kind = kind;
	sym->name = name;
	sym->loc = loc;
	return sym;
}

typedef struct ModuleName {
	ModuleId id;
	const char *name;
} ModuleName;

static const ModuleName module_names[] = {
#define MODULE(id, name) {id, name},
#define NAME(mod, name, kind, detail)
#include "builtins.def"
#undef MODULE
#undef NAME
};

typedef struct UniverseName {
	ModuleId mod;
	const char *name;
	SymKind kind;
	int detail;
} UniverseName;

static const UniverseName universe[] = {
#define MODULE(id, name)
#define NAME(mod, name, kind, detail) {mod, name, kind, detail},
#include "builtins.def"
#undef MODULE
#undef NAME
};

ModuleId sema_module_id(const char *dotted)
{
	for (size_t i = 0; i < COUNT(module_names); i++)
		if (strcmp(module_names[i].name, dotted) == 0)
			return module_names[i].id;
	return MOD_NONE;
}

static Symbol *make_universe_symbol(Sema *s, const UniverseName *u)
{
	SrcLoc none = {0, 0, 0, 0, 0};
	Symbol *sym = sema_new_symbol(s, u->kind, u->name, none);
	sym->detail = u->detail;
	if (u->kind == SYM_TYPE)
		sym->type = s->p->ctypes[u->detail];
	if (u->kind == SYM_CONST) {
		sym->cval.v = u->detail;
		sym->cval.type = type_int(s->p, CT_INT32);
		sym->cstate = 2;
	}
	return sym;
}

/* A kernel helper from the catalog, by its name with or without bpf_. */
static Symbol *helper_symbol(Sema *s, const char *name)
{
	const HelperInfo *h = helper_find(name);
	if (!h)
		return NULL;
	SrcLoc none = {0, 0, 0, 0, 0};
	Symbol *sym = sema_new_symbol(s, SYM_HELPER, name, none);
	sym->detail = sema_helper_index(h);
	return sym;
}

Symbol *sema_universe(Sema *s, ModuleId mod, const char *name)
{
	for (size_t i = 0; i < COUNT(universe); i++)
		if (universe[i].mod == mod && strcmp(universe[i].name, name) == 0)
			return make_universe_symbol(s, &universe[i]);
	return mod == MOD_HELPER ? helper_symbol(s, name) : NULL;
}

Symbol *sema_universe_any(Sema *s, const char *name)
{
	for (size_t i = 0; i < COUNT(universe); i++)
		if (universe[i].kind != SYM_MODULE && strcmp(universe[i].name, name) == 0)
			return make_universe_symbol(s, &universe[i]);
	return helper_symbol(s, name);
}

Symbol *sema_lookup_module(Sema *s, const char *name)
{
	Symbol *sym = scope_get(&s->module, name);
	if (sym)
		return sym->kind == SYM_OTHER ? sema_import_symbol(s, sym) : sym;
	sym = sema_universe(s, MOD_BUILTINS, name);
	if (sym)
		return sym;
	return sema_universe_any(s, name);
}

Symbol *sema_resolve_static(Sema *s, AstNode *e)
{
	if (e->kind == AST_Name)
		return sema_lookup_module(s, e->Name.id);
	if (e->kind == AST_Attribute) {
		Symbol *base = sema_resolve_static(s, e->Attribute.value);
		if (base && base->kind == SYM_MODULE)
			return sema_universe(s, (ModuleId)base->detail, e->Attribute.attr);
		if (base && base->kind == SYM_OTHER && base->detail == SYM_DETAIL_IMPORT)
			return sema_import_attribute(s, base, e);
	}
	return NULL;
}

typedef struct ConstructName {
	AstKind kind;
	const char *text;
} ConstructName;

static const ConstructName construct_names[] = {
	{AST_FunctionDef, "nested function definitions"},
	{AST_AsyncFunctionDef, "async functions"},
	{AST_ClassDef, "class definitions"},
	{AST_Delete, "'del' statements"},
	{AST_AsyncFor, "'async for' loops"},
	{AST_With, "'with' statements"},
	{AST_AsyncWith, "'async with' statements"},
	{AST_Match, "'match' statements"},
	{AST_Raise, "'raise' statements"},
	{AST_Try, "'try' statements"},
	{AST_TryStar, "'try' statements"},
	{AST_Assert, "'assert' statements"},
	{AST_Import, "imports"},
	{AST_ImportFrom, "imports"},
	{AST_Nonlocal, "'nonlocal' statements"},
	{AST_NamedExpr, "assignment expressions (':=')"},
	{AST_Lambda, "lambdas"},
	{AST_Dict, "dict displays"},
	{AST_Set, "set displays"},
	{AST_ListComp, "list comprehensions"},
	{AST_SetComp, "set comprehensions"},
	{AST_DictComp, "dict comprehensions"},
	{AST_GeneratorExp, "generator expressions"},
	{AST_Await, "'await' expressions"},
	{AST_Yield, "'yield' expressions"},
	{AST_YieldFrom, "'yield from' expressions"},
	{AST_Starred, "starred expressions"},
	{AST_List, "lists"},
	{AST_Tuple, "tuples"},
	{AST_Slice, "slices"},
	{AST_Subscript, "subscripts"},
	{AST_JoinedStr, "f-strings outside print()"},
	{AST_FormattedValue, "f-strings outside print()"},
};

const char *sema_construct_name(AstKind kind)
{
	for (size_t i = 0; i < COUNT(construct_names); i++)
		if (construct_names[i].kind == kind)
			return construct_names[i].text;
	return ast_kinds[kind].name;
}
