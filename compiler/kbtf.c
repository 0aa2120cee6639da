/*
 * kbtf.c - kernel types from the kernel's BTF (see kbtf.h).
 *
 * The BTF is parsed with libbpf's btf__new(). A name index, built once,
 * maps the names Python code uses to BTF ids: `struct_task_struct` and
 * `task_struct` to the struct, `union_X` and `enum_X` to unions and enums,
 * typedef names to their typedef, and every enumerator to its enum. Types
 * are converted lazily, one BTF id at a time, and cached by id; typedefs and
 * qualifiers give the type they name, so each kernel type has one Type.
 */
#include "kbtf.h"

#include <bpf/btf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A name in the index, and what it means. */
typedef struct KName {
	const char *key;
	uint32_t id;  /* the type, or the enum of an enumerator */
	int enum_idx; /* the enumerator's index, -1 for a type, KNAME_KFUNC */
	int rank;     /* which meaning wins a plain name: lower wins */
} KName;

#define KNAME_KFUNC (-2) /* a function tagged bpf_kfunc */

struct Kbtf {
	Arena *a;
	Program *p;
	struct btf *btf;
	const char *path;
	uint32_t ntypes;
	Type **types; /* by BTF id (NULL: not converted yet) */
	bool *tried;  /* by BTF id: converted, possibly to NULL */
	KName *names; /* open addressing, cap a power of two */
	uint32_t cap;
	bool kfunc_tags; /* some function is tagged bpf_kfunc */
};

static void free_btf(void *btf)
{
	btf__free(btf);
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static KName *slot(Kbtf *k, const char *key)
{
	uint32_t i = hash(key) & (k->cap - 1);
	while (k->names[i].key && strcmp(k->names[i].key, key) != 0)
		i = (i + 1) & (k->cap - 1);
	return &k->names[i];
}

static void add_name(Kbtf *k, const char *key, uint32_t id, int enum_idx, int rank)
{
	KName *n = slot(k, key);
	if (n->key && n->rank <= rank)
		return;
	n->key = key;
	n->id = id;
	n->enum_idx = enum_idx;
	n->rank = rank;
}

static const char *str(Kbtf *k, uint32_t off)
{
	return btf__name_by_offset(k->btf, off);
}

/* ranks for plain names: a struct beats a union, a typedef, an enum type
 * and an enumerator of the same name */
enum { RANK_PREFIXED, RANK_STRUCT, RANK_UNION, RANK_TYPEDEF, RANK_ENUMERATOR, RANK_KFUNC };

static void build_index(Kbtf *k)
{
	uint32_t n = 0;
	for (uint32_t id = 1; id < k->ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(k->btf, id);
		n += 2;
		if (btf_is_any_enum(t))
			n += btf_vlen(t);
	}
	k->cap = 1024;
	while (k->cap < 2 * n)
		k->cap *= 2;
	k->names = arena_alloc(k->a, sizeof(KName) * k->cap);
	for (uint32_t id = 1; id < k->ntypes; id++) {
		const struct btf_type *t = btf__type_by_id(k->btf, id);
		const char *name = str(k, t->name_off);
		bool named = name && *name;
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
			if (named) {
				add_name(k, arena_printf(k->a, "struct_%s", name), id, -1,
					 RANK_PREFIXED);
				add_name(k, name, id, -1, RANK_STRUCT);
			}
			break;
		case BTF_KIND_UNION:
			if (named) {
				add_name(k, arena_printf(k->a, "union_%s", name), id, -1,
					 RANK_PREFIXED);
				add_name(k, name, id, -1, RANK_UNION);
			}
			break;
		case BTF_KIND_TYPEDEF:
			add_name(k, name, id, -1, RANK_TYPEDEF);
			break;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64: {
			if (named)
				add_name(k, arena_printf(k->a, "enum_%s", name), id, -1,
					 RANK_PREFIXED);
			int vlen = btf_vlen(t);
			for (int i = 0; i < vlen; i++) {
				uint32_t off = btf_is_enum(t) ? btf_enum(t)[i].name_off
							      : btf_enum64(t)[i].name_off;
				add_name(k, str(k, off), id, i, RANK_ENUMERATOR);
			}
			break;
		}
		case BTF_KIND_DECL_TAG: /* the kfuncs: FUNCs tagged bpf_kfunc */
			if (btf_decl_tag(t)->component_idx == -1 &&
			    strcmp(name, "bpf_kfunc") == 0 &&
			    btf_is_func(btf__type_by_id(k->btf, t->type))) {
				k->kfunc_tags = true;
				add_name(k, str(k, btf__type_by_id(k->btf, t->type)->name_off),
					 t->type, KNAME_KFUNC, RANK_KFUNC);
			}
			break;
		default:
			break;
		}
	}
}

/* Reads a raw BTF file (as /sys/kernel/btf/vmlinux) with btf__new(), which
 * stays quiet on bad input (libbpf's ELF reader prints to stderr, and the
 * compiler library never prints). NULL with *why set on failure. */
static struct btf *read_btf(Arena *a, const char *path, const char **why)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int err = errno;
		*why = arena_printf(a, "cannot read kernel BTF from '%s': %s", path,
				    err == ENOENT ? "no such file" : strerror(err));
		return NULL;
	}
	size_t cap = 1 << 20, n = 0;
	unsigned char *buf = malloc(cap);
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap || cap >= (1u << 30))
			break;
		unsigned char *more = realloc(buf, cap * 2);
		if (!more) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = more;
		cap *= 2;
	}
	bool failed = ferror(f) || !buf;
	fclose(f);
	struct btf *btf = NULL;
	/* raw BTF starts with the magic 0xeB9F (little-endian here) */
	if (!failed && n >= 4 && buf[0] == 0x9f && buf[1] == 0xeb)
		btf = btf__new(buf, (uint32_t)n);
	free(buf);
	if (!btf)
		*why = arena_printf(
			a, "cannot read kernel BTF from '%s': %s", path,
			failed ? "read error"
			       : "not a raw BTF file (such as /sys/kernel/btf/vmlinux)");
	return btf;
}

Kbtf *kbtf_load(Arena *a, Program *p, const char *path, const char **why)
{
	if (!path)
		path = "/sys/kernel/btf/vmlinux";
	struct btf *btf = read_btf(a, path, why);
	if (!btf)
		return NULL;
	arena_on_free(a, free_btf, btf);
	Kbtf *k = arena_alloc(a, sizeof *k);
	k->a = a;
	k->p = p;
	k->btf = btf;
	k->path = arena_strdup(a, path);
	k->ntypes = btf__type_cnt(btf);
	k->types = arena_alloc(a, sizeof(Type *) * k->ntypes);
	k->tried = arena_alloc(a, sizeof(bool) * k->ntypes);
	build_index(k);
	return k;
}

const char *kbtf_path(const Kbtf *k)
{
	return k->path;
}

const void *kbtf_btf(const Kbtf *k)
{
	return k->btf;
}

/* ---- types ---- */

static Type *new_type(Kbtf *k, TypeKind kind, uint32_t id, int size, const char *name)
{
	Type *t = arena_alloc(k->a, sizeof *t);
	t->kind = kind;
	t->btf_id = id;
	t->size = size;
	t->align = size >= 8 ? 8 : size > 0 ? size : 1;
	t->name = name;
	t->c_name = name;
	return t;
}

static Type *convert(Kbtf *k, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(k->btf, id);
	const char *name = str(k, t->name_off);
	switch (btf_kind(t)) {
	case BTF_KIND_INT: {
		uint8_t enc = btf_int_encoding(t);
		if (t->size > 8 || btf_int_bits(t) != t->size * 8 || btf_int_offset(t))
			return NULL; /* __int128 and odd widths */
		Type *r = new_type(k, TY_INT, id, (int)t->size, name);
		r->is_signed = (enc & BTF_INT_SIGNED) != 0;
		r->is_char = (enc & BTF_INT_CHAR) != 0 || strcmp(name, "char") == 0;
		r->is_bool = (enc & BTF_INT_BOOL) != 0;
		return r;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64: {
		if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
			return NULL;
		Type *r = new_type(k, TY_INT, id, (int)t->size,
				   *name ? arena_printf(k->a, "enum_%s", name) : "enum");
		r->is_signed = btf_kflag(t);
		return r;
	}
	case BTF_KIND_PTR: {
		Type *to = kbtf_type(k, t->type);
		const struct btf_type *pt =
			btf__type_by_id(k->btf, btf__resolve_type(k->btf, t->type));
		bool fn = pt && btf_is_func_proto(pt);
		Type *r = new_type(k, TY_INT, id, 8,
				   fn ? "function pointer"
				      : arena_printf(k->a, "%s *", to ? to->name : "void"));
		r->is_kptr = true;
		r->kptr = to;
		r->is_fnptr = fn; /* its value is the function's address, a u64 */
		return r;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *arr = btf_array(t);
		Type *elem = kbtf_type(k, arr->type);
		if (!elem || arr->nelems > (1u << 20))
			return NULL;
		Type *r = new_type(k, TY_ARRAY, id, elem->size * (int)arr->nelems, NULL);
		r->align = elem->align;
		r->base = elem;
		r->len = (int)arr->nelems;
		r->is_char = elem->is_char;
		r->name = arena_printf(k->a, "%s * %u", elem->name, arr->nelems);
		return r;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		bool u = btf_is_union(t);
		Type *r = new_type(k, TY_STRUCT, id, (int)t->size,
				   arena_printf(k->a, "%s_%s", u ? "union" : "struct",
						*name ? name : "(anonymous)"));
		r->c_name = name;
		r->is_union = u;
		int al = btf__align_of(k->btf, id);
		r->align = al > 0 ? al : 1;
		return r;
	}
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return kbtf_type(k, t->type);
	default:
		return NULL; /* void, functions, forward declarations, floats */
	}
}

Type *kbtf_type(Kbtf *k, uint32_t id)
{
	if (id == 0 || id >= k->ntypes)
		return NULL;
	if (!k->tried[id]) {
		k->tried[id] = true; /* a struct is cached before its fields are read */
		k->types[id] = convert(k, id);
	}
	return k->types[id];
}

void kbtf_fields(Kbtf *k, Type *t)
{
	if (t->fields_done)
		return;
	t->fields_done = true;
	const struct btf_type *bt = btf__type_by_id(k->btf, t->btf_id);
	int n = btf_vlen(bt);
	t->fields = arena_alloc(k->a, sizeof(Field) * (size_t)(n ? n : 1));
	t->nfields = n;
	for (int i = 0; i < n; i++) {
		const struct btf_member *m = btf_members(bt) + i;
		Field *f = &t->fields[i];
		f->name = str(k, m->name_off);
		f->type = kbtf_type(k, m->type);
		f->offset = (int)(btf_member_bit_offset(bt, (uint32_t)i) / 8);
		f->bit_size = (int)btf_member_bitfield_size(bt, (uint32_t)i);
		if (btf_member_bit_offset(bt, (uint32_t)i) % 8)
			f->bit_size = f->bit_size ? f->bit_size : -1;
	}
}

Type *kbtf_pointer(Kbtf *k, Type *to, KptrMode mode)
{
	if (to->kref[mode])
		return to->kref[mode];
	Type *r = new_type(k, TY_INT, 0, 8, arena_printf(k->a, "%s *", to->name));
	r->is_kptr = true;
	r->kmode = (unsigned char)mode;
	r->kptr = to;
	to->kref[mode] = r;
	return r;
}

/* ---- names ---- */

KbtfKind kbtf_resolve(Kbtf *k, const char *name, Type **type, ConstVal *cval)
{
	KName *n = slot(k, name);
	if (!n->key || n->enum_idx == KNAME_KFUNC)
		return KBTF_NONE;
	if (n->enum_idx < 0) {
		*type = kbtf_type(k, n->id);
		return *type ? KBTF_TYPE : KBTF_NONE;
	}
	const struct btf_type *t = btf__type_by_id(k->btf, n->id);
	bool sgn = btf_kflag(t);
	int64_t v = btf_is_enum(t) ? (sgn ? (int64_t)btf_enum(t)[n->enum_idx].val
					  : (int64_t)(uint32_t)btf_enum(t)[n->enum_idx].val)
				   : (int64_t)btf_enum64_value(btf_enum64(t) + n->enum_idx);
	cval->v = v;
	cval->type = type_of_constant(k->p, v, !sgn && v < 0);
	cval->untyped = true;
	return KBTF_CONST;
}

uint32_t kbtf_func(Kbtf *k, const char *name, bool *is_kfunc)
{
	KName *n = slot(k, name);
	*is_kfunc = true;
	if (n->key && n->enum_idx == KNAME_KFUNC)
		return n->id;
	int id = btf__find_by_name_kind(k->btf, name, BTF_KIND_FUNC);
	*is_kfunc = !k->kfunc_tags;
	return id > 0 ? (uint32_t)id : 0;
}

const char *kbtf_suggest(Kbtf *k, const char *name)
{
	int best = diag_suggest_limit(name) + 1;
	const char *found = NULL;
	for (uint32_t i = 0; i < k->cap; i++) {
		const char *key = k->names[i].key;
		if (!key)
			continue;
		int d = diag_edit_distance(name, key, best - 1);
		if (d < best) {
			best = d;
			found = key;
		}
	}
	return found;
}

const char *kbtf_suggest_field(Kbtf *k, Type *t, const char *name)
{
	kbtf_fields(k, t);
	int best = diag_suggest_limit(name) + 1;
	const char *found = NULL;
	for (int i = 0; i < t->nfields; i++) {
		const char *f = t->fields[i].name;
		int d = *f ? diag_edit_distance(name, f, best - 1) : best;
		if (d < best) {
			best = d;
			found = f;
		}
	}
	return found;
}
