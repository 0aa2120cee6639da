/*
 * kbtf.c - the kernel's BTF for users of the runtime: opening vmlinux BTF
 * (or any BTF file), finding types by their pythonbpf-style names
 * ("struct_task_struct", "task_struct", "u32"), enum constants by name, a
 * "did you mean" suggestion for unknown names, and a one-level JSON
 * description of a type in which nested structs and unions are referred to
 * by id (kernel types are too big and too connected to describe inline).
 *
 * The Python package's `vmlinux` module builds ctypes classes from these.
 * The writers fill a caller's buffer snprintf-style, as btf.c's do.
 */
#include "internal.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMLINUX_PATH "/sys/kernel/btf/vmlinux"
#define MAX_RESOLVE  32

struct btf *pybpf_btf__open(const char *path)
{
	struct btf *btf;

	if (!path)
		return pybpf_err_ptr(-EINVAL);
	btf = btf__parse(path, NULL);
	if (!btf)
		return pybpf_err_ptr(-errno);
	return btf;
}

const char *pybpf_btf__vmlinux_path(void)
{
	const char *env = getenv("PYBPF_VMLINUX_BTF");
	return env && *env ? env : VMLINUX_PATH;
}

struct btf *pybpf_btf__load_vmlinux(void)
{
	return pybpf_btf__open(pybpf_btf__vmlinux_path());
}

void pybpf_btf__free(struct btf *btf)
{
	btf__free(btf);
}

static const char *name_of(const struct btf *btf, __u32 name_off)
{
	const char *n = btf__name_by_offset(btf, name_off);
	return n ? n : "";
}

/* Follows typedefs and qualifiers. */
static __u32 resolve(const struct btf *btf, __u32 id)
{
	for (int depth = 0; depth < MAX_RESOLVE; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		if (!t || !(btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)))
			return id;
		id = t->type;
	}
	return id;
}

/* The spelling prefixes pythonbpf's vmlinux.py uses, and their kinds. */
static const struct {
	const char *prefix;
	int kind;
} prefixes[] = {
	{"struct_", BTF_KIND_STRUCT},
	{"union_", BTF_KIND_UNION},
	{"enum_", BTF_KIND_ENUM},
};

static int find_kind(const struct btf *btf, const char *name, int kind)
{
	int id = btf__find_by_name_kind(btf, name, kind);
	if (id <= 0 && kind == BTF_KIND_ENUM)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM64);
	return id;
}

int pybpf_btf__find_name(const struct btf *btf, const char *name)
{
	static const int plain[] = {BTF_KIND_TYPEDEF, BTF_KIND_STRUCT, BTF_KIND_UNION,
				    BTF_KIND_ENUM,    BTF_KIND_INT,    BTF_KIND_FLOAT};
	int id;

	if (!btf || !name || !*name)
		return pybpf_err(-EINVAL);
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i].prefix);
		if (strncmp(name, prefixes[i].prefix, n) == 0 && name[n]) {
			id = find_kind(btf, name + n, prefixes[i].kind);
			if (id > 0)
				return id;
		}
	}
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		id = find_kind(btf, name, plain[i]);
		if (id > 0)
			return id;
	}
	return pybpf_err(-ENOENT);
}

/* Whether FUNC `id` is tagged bpf_kfunc; *any is set when some function is
 * (a BTF without the tags comes from a kernel older than them). */
static bool kfunc_tagged(const struct btf *btf, __u32 id, bool *any)
{
	__u32 n = btf__type_cnt(btf);
	*any = false;
	for (__u32 i = 1; i < n; i++) {
		const struct btf_type *t = btf__type_by_id(btf, i);
		if (!btf_is_decl_tag(t) || btf_decl_tag(t)->component_idx != -1 ||
		    strcmp(name_of(btf, t->name_off), "bpf_kfunc") != 0)
			continue;
		*any = true;
		if (t->type == id)
			return true;
	}
	return false;
}

int pybpf_btf__find_kfunc(const struct btf *btf, const char *name)
{
	bool any;
	int id;

	if (!btf || !name || !*name)
		return pybpf_err(-EINVAL);
	id = btf__find_by_name_kind(btf, name, BTF_KIND_FUNC);
	if (id <= 0)
		return pybpf_err(-ENOENT);
	if (kfunc_tagged(btf, (__u32)id, &any) || !any)
		return id;
	return pybpf_err(-EPERM);
}

/* Calls fn(name, value, ctx) for every enumerator; stops when fn returns
 * nonzero and returns that. */
static int for_each_enumerator(const struct btf *btf,
			       int (*fn)(const char *name, long long value, bool sign, void *ctx),
			       void *ctx)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		bool sign;

		if (!btf_is_any_enum(t))
			continue;
		sign = btf_kflag(t);
		for (int i = 0; i < btf_vlen(t); i++) {
			long long v;
			const char *name;
			int ret;

			if (btf_is_enum(t)) {
				const struct btf_enum *e = btf_enum(t) + i;
				name = name_of(btf, e->name_off);
				v = sign ? (long long)e->val : (long long)(__u32)e->val;
			} else {
				const struct btf_enum64 *e = btf_enum64(t) + i;
				name = name_of(btf, e->name_off);
				v = (long long)btf_enum64_value(e);
			}
			ret = fn(name, v, sign, ctx);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct enum_find {
	const char *name;
	long long value;
};

static int enum_find_fn(const char *name, long long value, bool sign, void *ctx)
{
	struct enum_find *f = ctx;
	(void)sign;
	if (strcmp(name, f->name) != 0)
		return 0;
	f->value = value;
	return 1;
}

int pybpf_btf__find_enum_value(const struct btf *btf, const char *name, long long *value)
{
	struct enum_find f = {name, 0};

	if (!btf || !name || !*name || !value)
		return pybpf_err(-EINVAL);
	if (!for_each_enumerator(btf, enum_find_fn, &f))
		return pybpf_err(-ENOENT);
	*value = f.value;
	return 0;
}

/* ---- an snprintf-like output buffer (as in btf.c) ---- */

typedef struct Out {
	char *buf;
	size_t size;
	size_t len;
} Out;

static void out_write(Out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len - 1;
		memcpy(o->buf + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void out_str(Out *o, const char *s)
{
	out_write(o, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void out_fmt(Out *o, const char *fmt, ...)
{
	char tmp[96];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_write(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static int out_finish(Out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = 0;
	return o->len > INT32_MAX ? pybpf_err(-E2BIG) : (int)o->len;
}

/* C identifiers need no escaping; anything else is left out. */
static void out_name(Out *o, const char *s)
{
	out_str(o, "\"");
	for (; *s; s++)
		if (*s != '"' && *s != '\\' && (unsigned char)*s >= 0x20)
			out_write(o, s, 1);
	out_str(o, "\"");
}

/* ---- enum constants ---- */

struct enum_all {
	Out *o;
	int count;
};

static int enum_all_fn(const char *name, long long value, bool sign, void *ctx)
{
	struct enum_all *a = ctx;

	if (!*name)
		return 0;
	out_str(a->o, a->count++ ? "," : "");
	out_name(a->o, name);
	if (sign || value >= 0)
		out_fmt(a->o, ":%lld", value);
	else
		out_fmt(a->o, ":%llu", (unsigned long long)value);
	return 0;
}

int pybpf_btf__enum_constants(const struct btf *btf, char *buf, size_t size)
{
	Out o = {buf, size, 0};
	struct enum_all a = {&o, 0};

	if (!btf || (!buf && size))
		return pybpf_err(-EINVAL);
	out_str(&o, "{");
	for_each_enumerator(btf, enum_all_fn, &a);
	out_str(&o, "}");
	return out_finish(&o);
}

/* ---- one-level descriptions ---- */

/* A leaf (int, float, enum, void) as pybpf_btf__describe() has it. */
static int describe_leaf(Out *o, const struct btf *btf, __u32 id)
{
	int n = pybpf_btf__describe(btf, id, NULL, 0);
	char *tmp;

	if (n < 0)
		return n;
	tmp = malloc((size_t)n + 1);
	if (!tmp)
		return -ENOMEM;
	pybpf_btf__describe(btf, id, tmp, (size_t)n + 1);
	out_write(o, tmp, (size_t)n);
	free(tmp);
	return 0;
}

static int describe_ref(Out *o, const struct btf *btf, __u32 id, int depth);

static int describe_members(Out *o, const struct btf *btf, const struct btf_type *t)
{
	const struct btf_member *m = btf_members(t);

	out_str(o, ",\"members\":[");
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		__u32 bit = btf_member_bit_offset(t, i);
		__u32 bits = btf_member_bitfield_size(t, i);
		int err;

		out_str(o, i ? ",{\"name\":" : "{\"name\":");
		out_name(o, name_of(btf, m->name_off));
		out_fmt(o, ",\"offset\":%u,\"bitfield\":%u", bit / 8, bits);
		if (bits)
			out_fmt(o, ",\"bit_offset\":%u", bit);
		out_str(o, ",\"type\":");
		err = describe_ref(o, btf, m->type, 1);
		if (err)
			return err;
		out_str(o, "}");
	}
	out_str(o, "]");
	return 0;
}

/*
 * A type as a member or array element sees it: structs and unions by id
 * (with name and size, without members), arrays with their element, pointers
 * with the id of what they point to, leaves in full.
 */
static int describe_ref(Out *o, const struct btf *btf, __u32 id, int depth)
{
	const struct btf_type *t;
	__s64 sz;

	if (depth > MAX_RESOLVE)
		return -ELOOP;
	id = resolve(btf, id);
	t = id ? btf__type_by_id(btf, id) : NULL;
	if (id && !t)
		return -EINVAL;
	if (!t || btf_is_int(t) || btf_is_float(t) || btf_is_any_enum(t))
		return describe_leaf(o, btf, id);
	switch (btf_kind(t)) {
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		out_fmt(o, "{\"kind\":\"%s\",\"id\":%u,\"name\":",
			btf_is_struct(t) ? "struct" : "union", id);
		out_name(o, name_of(btf, t->name_off));
		out_fmt(o, ",\"size\":%u}", t->size);
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		int err;
		sz = btf__resolve_size(btf, id);
		out_fmt(o, "{\"kind\":\"array\",\"size\":%lld,\"len\":%u,\"elem\":",
			(long long)(sz < 0 ? 0 : sz), a->nelems);
		err = describe_ref(o, btf, a->type, depth + 1);
		if (err)
			return err;
		out_str(o, "}");
		return 0;
	}
	case BTF_KIND_PTR:
		out_fmt(o, "{\"kind\":\"ptr\",\"size\":%u,\"target\":%u}",
			(unsigned)btf__pointer_size(btf) ? (unsigned)btf__pointer_size(btf) : 8u,
			resolve(btf, t->type));
		return 0;
	case BTF_KIND_FWD:
		out_fmt(o, "{\"kind\":\"fwd\",\"name\":");
		out_name(o, name_of(btf, t->name_off));
		out_str(o, ",\"size\":0}");
		return 0;
	case BTF_KIND_FUNC_PROTO:
		out_str(o, "{\"kind\":\"func_proto\",\"size\":0}");
		return 0;
	default:
		sz = btf__resolve_size(btf, id);
		out_fmt(o, "{\"kind\":\"other\",\"size\":%lld}", (long long)(sz < 0 ? 0 : sz));
		return 0;
	}
}

int pybpf_btf__describe_shallow(const struct btf *btf, __u32 type_id, char *buf, size_t size)
{
	Out o = {buf, size, 0};
	const struct btf_type *t;
	__u32 id;
	int err;

	if (!btf || (!buf && size) || (type_id && !btf__type_by_id(btf, type_id)))
		return pybpf_err(-EINVAL);
	id = resolve(btf, type_id);
	t = id ? btf__type_by_id(btf, id) : NULL;
	if (t && (btf_is_struct(t) || btf_is_union(t))) {
		out_fmt(&o, "{\"kind\":\"%s\",\"id\":%u,\"name\":",
			btf_is_struct(t) ? "struct" : "union", id);
		out_name(&o, name_of(btf, t->name_off));
		out_fmt(&o, ",\"size\":%u", t->size);
		err = describe_members(&o, btf, t);
		if (!err)
			out_str(&o, "}");
	} else {
		err = describe_ref(&o, btf, id, 0);
	}
	if (err) {
		if (size)
			buf[0] = 0;
		return pybpf_err(err);
	}
	return out_finish(&o);
}

/* ---- did you mean ---- */

/* Levenshtein distance of a and b, or limit + 1 when it exceeds limit. */
static size_t distance(const char *a, const char *b, size_t limit)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[256];

	if (la > lb ? la - lb > limit : lb - la > limit)
		return limit + 1;
	if (lb >= sizeof(row) / sizeof(row[0]))
		return limit + 1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0], best;
		row[0] = i;
		best = row[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t v = diag + cost;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
			if (v < best)
				best = v;
		}
		if (best > limit)
			return limit + 1;
	}
	return row[lb];
}

struct suggest {
	const char *want;    /* the name without its kind prefix */
	const char *kprefix; /* that prefix, or "" */
	int kind;	     /* the prefix's kind, or -1 */
	size_t best;
	char found[256];
};

static void suggest_try(struct suggest *s, const char *prefix, const char *name)
{
	size_t d;

	if (!*name || strlen(name) >= 200)
		return;
	d = distance(s->want, name, s->best - 1);
	if (d < s->best) {
		s->best = d;
		snprintf(s->found, sizeof(s->found), "%s%s", prefix, name);
	}
}

static int suggest_enum_fn(const char *name, long long value, bool sign, void *ctx)
{
	(void)value;
	(void)sign;
	suggest_try(ctx, "", name);
	return 0;
}

int pybpf_btf__suggest(const struct btf *btf, const char *name, char *buf, size_t size)
{
	struct suggest s = {name, "", -1, 0, ""};
	Out o = {buf, size, 0};
	__u32 n;

	if (!btf || !name || (!buf && size))
		return pybpf_err(-EINVAL);
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t len = strlen(prefixes[i].prefix);
		if (strncmp(name, prefixes[i].prefix, len) == 0 && name[len]) {
			s.want = name + len;
			s.kprefix = prefixes[i].prefix;
			s.kind = prefixes[i].kind;
			break;
		}
	}
	/* at most a third of the name may differ (and at least 1, at most 5) */
	s.best = strlen(s.want) / 3;
	s.best = (s.best < 1 ? 1 : s.best > 5 ? 5 : s.best) + 1;
	n = btf__type_cnt(btf);
	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		int kind = btf_kind(t) == BTF_KIND_ENUM64 ? BTF_KIND_ENUM : btf_kind(t);
		const char *prefix = "";

		if (s.kind >= 0 && kind != s.kind)
			continue;
		if (kind == BTF_KIND_STRUCT)
			prefix = "struct_";
		else if (kind == BTF_KIND_UNION)
			prefix = "union_";
		else if (kind == BTF_KIND_ENUM)
			prefix = "enum_";
		else if (kind != BTF_KIND_TYPEDEF)
			continue;
		suggest_try(&s, s.kind >= 0 ? prefix : "", name_of(btf, t->name_off));
	}
	if (s.kind < 0)
		for_each_enumerator(btf, suggest_enum_fn, &s);
	if (!s.found[0])
		return pybpf_err(-ENOENT);
	out_str(&o, s.found);
	return out_finish(&o);
}
