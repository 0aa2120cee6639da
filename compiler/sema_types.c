/*
 * sema_types.c - the type system: ctypes integers, pointers, arrays, structs,
 * and C's conversion rules on them.
 *
 * Every compilation gets its own Type objects (they cache LLVM handles of
 * that compilation). Integer conversion rank is the size in bytes, with
 * c_bool below c_int8, as in C; c_char has the rank of c_int8.
 */
#include "sema.h"

#include <string.h>

typedef struct CTypeInfo {
	const char *name;
	int size;
	bool is_signed;
	const char *c_name;
} CTypeInfo;

static const CTypeInfo ctype_info[CT__INT_COUNT] = {
#define CTYPE(id, name, size, sgn, cname) [CT_##id] = {name, size, sgn, cname},
#define CTYPE_ALIAS(name, id)
#include "ctypes.def"
#undef CTYPE
#undef CTYPE_ALIAS
};

static Type *new_type(Arena *a, TypeKind kind, int size, int align, const char *name)
{
	Type *t = arena_alloc(a, sizeof *t);
	t->kind = kind;
	t->size = size;
	t->align = align;
	t->name = name;
	return t;
}

/* Instantiates this compilation's builtin types (called once per Program). */
void sema_init_types(Arena *a, Program *p);

void sema_init_types(Arena *a, Program *p)
{
	for (int i = 0; i < CT__INT_COUNT; i++) {
		const CTypeInfo *ci = &ctype_info[i];
		Type *t = new_type(a, TY_INT, ci->size, ci->size, ci->name);
		t->is_signed = ci->is_signed;
		t->c_name = ci->c_name;
		t->is_bool = i == CT_BOOL;
		t->is_char = i == CT_CHAR;
		p->ctypes[i] = t;
	}
	p->none = new_type(a, TY_VOID, 0, 1, "None");
	p->void_ptr = new_type(a, TY_PTR, 8, 8, "c_void_p");
	p->ctypes[CT_VOID_P] = p->void_ptr;
	p->ctypes[CT_CHAR_P] = type_ptr(a, p->ctypes[CT_CHAR]);
	p->ctypes[CT_CHAR_P]->name = "c_char_p";
	p->ctypes[CT_INT] = p->ctypes[CT_INT64];
	p->ctypes[CT_BOOL_PY] = p->ctypes[CT_BOOL];
	/* `str` alone is not a value type; sema handles str(N) and `-> str` */
	p->ctypes[CT_STR] = NULL;
}

Type *type_int(Program *p, CTypeId id)
{
	return p->ctypes[id];
}

Type *type_ptr(Arena *a, Type *base)
{
	Type *t = new_type(a, TY_PTR, 8, 8, NULL);
	t->base = base;
	t->name = base ? arena_printf(a, "pointer to %s", type_name(base)) : "c_void_p";
	return t;
}

Type *type_array(Arena *a, Type *elem, int len)
{
	Type *t = new_type(a, TY_ARRAY, elem->size * len, elem->align, NULL);
	t->base = elem;
	t->len = len;
	t->is_char = elem->is_char;
	t->name = elem->is_char ? arena_printf(a, "str(%d)", len)
				: arena_printf(a, "%s * %d", type_name(elem), len);
	return t;
}

bool type_is_int(const Type *t)
{
	return t && t->kind == TY_INT;
}

bool type_is_scalar(const Type *t)
{
	return t && (t->kind == TY_INT || t->kind == TY_PTR);
}

const char *type_name(const Type *t)
{
	if (!t)
		return "None";
	if (t->kind == TY_VOID)
		return "None";
	return t->name ? t->name : "?";
}

static int rank(const Type *t)
{
	return t->is_bool ? 0 : t->size;
}

Type *type_promote(Program *p, Type *t)
{
	if (t->kind == TY_INT && rank(t) < 4)
		return p->ctypes[CT_INT32];
	return t;
}

static Type *unsigned_of(Program *p, Type *t)
{
	return t->size == 8 ? p->ctypes[CT_UINT64] : p->ctypes[CT_UINT32];
}

Type *type_common(Program *p, Type *a, Type *b)
{
	a = type_promote(p, a);
	b = type_promote(p, b);
	if (a == b)
		return a;
	if (a->is_signed == b->is_signed)
		return rank(a) >= rank(b) ? a : b;
	Type *u = a->is_signed ? b : a, *s = a->is_signed ? a : b;
	if (rank(u) >= rank(s))
		return u;
	if (s->size > u->size)
		return s;
	return unsigned_of(p, s);
}

Type *type_of_constant(Program *p, int64_t v, bool is_unsigned)
{
	if (is_unsigned && v < 0)
		return p->ctypes[CT_UINT64];
	if (v >= INT32_MIN && v <= INT32_MAX)
		return p->ctypes[CT_INT32];
	return p->ctypes[CT_INT64];
}

bool type_same(const Type *a, const Type *b)
{
	if (a == b)
		return true;
	if (!a || !b || a->kind != b->kind)
		return false;
	switch (a->kind) {
	case TY_ARRAY:
		return a->len == b->len && type_same(a->base, b->base);
	case TY_PTR:
		return type_same(a->base, b->base);
	default:
		return false; /* integers and structs are unique per compilation */
	}
}
