/*
 * btf.c - BTF for users of the runtime: the object's BTF and the type ids of
 * map keys, values and event records; types described as JSON (what the
 * Python package builds its decoders from) and values formatted as text
 * (what `pybpf run` prints).
 *
 * Event record types come from the pybpf compiler: for each ring buffer or
 * perf event array it puts a variable `__pybpf_event_<map>` of type "pointer
 * to the record type" into the object's BTF (grammar/dialect.md, "Event
 * record types"). Objects from other compilers have none: their event type
 * is 0, unknown.
 *
 * Both writers fill a caller's buffer snprintf-style: they always return the
 * length the whole text needs, and write what fits, NUL-terminated.
 */
#include "internal.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EVENT_VAR_PREFIX "__pybpf_event_"
#define MAX_DEPTH	 32 /* nesting of types we follow before giving up */

const struct btf *pybpf_object__btf(const struct pybpf_object *obj)
{
	struct btf *btf;

	if (!obj)
		return pybpf_err_ptr(-EINVAL);
	btf = bpf_object__btf(obj->obj);
	return btf ? btf : pybpf_err_ptr(-ENOENT);
}

__u32 pybpf_map__btf_key_type_id(const struct pybpf_map *map)
{
	return map && map->map ? bpf_map__btf_key_type_id(map->map) : 0;
}

__u32 pybpf_map__btf_value_type_id(const struct pybpf_map *map)
{
	return map && map->map ? bpf_map__btf_value_type_id(map->map) : 0;
}

/* Follows typedefs and qualifiers; returns the id of the type beneath. */
static __u32 resolve(const struct btf *btf, __u32 id)
{
	for (int depth = 0; depth < MAX_DEPTH; depth++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		if (!t || !(btf_is_typedef(t) || btf_is_mod(t) || btf_is_type_tag(t)))
			return id;
		id = t->type;
	}
	return id;
}

__u32 pybpf_map__btf_event_type_id(const struct pybpf_map *map)
{
	char name[sizeof(EVENT_VAR_PREFIX) + 256];
	const struct btf_type *var, *ptr;
	const struct btf *btf;
	int id;

	if (!map || !map->map || !map->obj)
		return 0;
	if (bpf_map__type(map->map) != BPF_MAP_TYPE_RINGBUF &&
	    bpf_map__type(map->map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY)
		return 0;
	btf = bpf_object__btf(map->obj->obj);
	if (!btf)
		return 0;
	if (snprintf(name, sizeof(name), EVENT_VAR_PREFIX "%s", bpf_map__name(map->map)) >=
	    (int)sizeof(name))
		return 0;
	id = btf__find_by_name_kind(btf, name, BTF_KIND_VAR);
	if (id <= 0)
		return 0;
	var = btf__type_by_id(btf, id);
	ptr = btf__type_by_id(btf, resolve(btf, var->type));
	return ptr && btf_is_ptr(ptr) ? ptr->type : 0;
}

/* ---- an snprintf-like output buffer ---- */

typedef struct Out {
	char *buf;
	size_t size; /* bytes at buf */
	size_t len;  /* bytes the whole text needs (may exceed size) */
} Out;

static void out_write(Out *o, const char *s, size_t n)
{
	if (o->len < o->size) {
		size_t room = o->size - o->len - 1; /* keep one byte for the NUL */
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
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		out_write(o, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* Returns the length, after NUL-terminating what was written. */
static int out_finish(Out *o)
{
	if (o->size)
		o->buf[o->len < o->size ? o->len : o->size - 1] = 0;
	return o->len > INT32_MAX ? pybpf_err(-E2BIG) : (int)o->len;
}

/* A string literal: JSON (json true) or the C-like form of format(). */
static void out_quoted(Out *o, const char *s, size_t n, bool json)
{
	out_str(o, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			out_fmt(o, "\\%c", c);
		else if (c == '\n')
			out_str(o, "\\n");
		else if (c == '\t')
			out_str(o, "\\t");
		else if (c < 0x20 || c == 0x7f || (!json && c >= 0x80))
			out_fmt(o, json ? "\\u%04x" : "\\x%02x", c);
		else
			out_write(o, (const char *)&c, 1);
	}
	out_str(o, "\"");
}

/* ---- describing types ---- */

static const char *name_of(const struct btf *btf, const struct btf_type *t)
{
	const char *n = btf__name_by_offset(btf, t->name_off);
	return n ? n : "";
}

/* An 8-bit integer that holds text: BTF_INT_CHAR, or C's plain `char`. */
static bool int_is_char(const struct btf *btf, const struct btf_type *t)
{
	return t->size == 1 &&
	       ((btf_int_encoding(t) & BTF_INT_CHAR) || strcmp(name_of(btf, t), "char") == 0);
}

static bool int_is_bool(const struct btf *btf, const struct btf_type *t)
{
	const char *n = name_of(btf, t);
	return (btf_int_encoding(t) & BTF_INT_BOOL) || strcmp(n, "_Bool") == 0 ||
	       strcmp(n, "bool") == 0;
}

static bool enum_is_signed(const struct btf_type *t)
{
	return btf_kflag(t);
}

static int describe(Out *o, const struct btf *btf, __u32 id, int depth);

static int describe_members(Out *o, const struct btf *btf, const struct btf_type *t, int depth)
{
	const struct btf_member *m = btf_members(t);
	out_str(o, ",\"members\":[");
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		__u32 bit = btf_member_bit_offset(t, i);
		__u32 bits = btf_member_bitfield_size(t, i);
		const char *n = btf__name_by_offset(btf, m->name_off);
		out_str(o, i ? ",{\"name\":" : "{\"name\":");
		out_quoted(o, n ? n : "", n ? strlen(n) : 0, true);
		out_fmt(o, ",\"offset\":%u,\"bitfield\":%u", bit / 8, bits);
		if (bits)
			out_fmt(o, ",\"bit_offset\":%u", bit);
		out_str(o, ",\"type\":");
		int err = describe(o, btf, m->type, depth + 1);
		if (err)
			return err;
		out_str(o, "}");
	}
	out_str(o, "]");
	return 0;
}

static void describe_enum_values(Out *o, const struct btf *btf, const struct btf_type *t)
{
	bool sign = enum_is_signed(t);
	out_str(o, ",\"values\":{");
	for (int i = 0; i < btf_vlen(t); i++) {
		const char *n;
		long long v;
		if (btf_is_enum(t)) {
			const struct btf_enum *e = btf_enum(t) + i;
			n = btf__name_by_offset(btf, e->name_off);
			v = sign ? (long long)e->val : (long long)(__u32)e->val;
		} else {
			const struct btf_enum64 *e = btf_enum64(t) + i;
			n = btf__name_by_offset(btf, e->name_off);
			v = (long long)btf_enum64_value(e);
		}
		if (i)
			out_str(o, ",");
		out_quoted(o, n ? n : "", n ? strlen(n) : 0, true);
		if (sign || v >= 0)
			out_fmt(o, ":%lld", v);
		else
			out_fmt(o, ":%llu", (unsigned long long)v);
	}
	out_str(o, "}");
}

static int describe(Out *o, const struct btf *btf, __u32 id, int depth)
{
	const struct btf_type *t;
	const char *kind;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	id = resolve(btf, id);
	if (id == 0) {
		out_str(o, "{\"kind\":\"void\",\"size\":0}");
		return 0;
	}
	t = btf__type_by_id(btf, id);
	if (!t)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		out_str(o, "{\"kind\":\"int\",\"name\":");
		out_quoted(o, name_of(btf, t), strlen(name_of(btf, t)), true);
		out_fmt(o, ",\"size\":%u,\"signed\":%s,\"bool\":%s,\"char\":%s}", t->size,
			(btf_int_encoding(t) & BTF_INT_SIGNED) ? "true" : "false",
			int_is_bool(btf, t) ? "true" : "false",
			int_is_char(btf, t) ? "true" : "false");
		return 0;
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		out_fmt(o, "{\"kind\":\"%s\",\"name\":", btf_is_struct(t) ? "struct" : "union");
		out_quoted(o, name_of(btf, t), strlen(name_of(btf, t)), true);
		out_fmt(o, ",\"size\":%u", t->size);
		int err = describe_members(o, btf, t, depth);
		if (err)
			return err;
		out_str(o, "}");
		return 0;
	}
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		__s64 sz = btf__resolve_size(btf, id);
		out_fmt(o, "{\"kind\":\"array\",\"size\":%lld,\"len\":%u,\"elem\":",
			(long long)(sz < 0 ? 0 : sz), a->nelems);
		int err = describe(o, btf, a->type, depth + 1);
		if (err)
			return err;
		out_str(o, "}");
		return 0;
	}
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		out_str(o, "{\"kind\":\"enum\",\"name\":");
		out_quoted(o, name_of(btf, t), strlen(name_of(btf, t)), true);
		out_fmt(o, ",\"size\":%u,\"signed\":%s", t->size,
			enum_is_signed(t) ? "true" : "false");
		describe_enum_values(o, btf, t);
		out_str(o, "}");
		return 0;
	case BTF_KIND_PTR:
		out_fmt(o, "{\"kind\":\"ptr\",\"size\":%d}", (int)sizeof(__u64));
		return 0;
	case BTF_KIND_FLOAT:
		out_fmt(o, "{\"kind\":\"float\",\"size\":%u}", t->size);
		return 0;
	case BTF_KIND_FWD:
		kind = "fwd";
		break;
	case BTF_KIND_FUNC:
		kind = "func";
		break;
	case BTF_KIND_FUNC_PROTO:
		kind = "func_proto";
		break;
	case BTF_KIND_VAR:
		kind = "var";
		break;
	case BTF_KIND_DATASEC:
		kind = "datasec";
		break;
	default:
		kind = "unknown";
		break;
	}
	__s64 sz = btf__resolve_size(btf, id);
	out_fmt(o, "{\"kind\":\"%s\",\"size\":%lld}", kind, (long long)(sz < 0 ? 0 : sz));
	return 0;
}

int pybpf_btf__describe(const struct btf *btf, __u32 type_id, char *buf, size_t size)
{
	Out o = {buf, size, 0};

	if (!btf || (!buf && size) || (type_id && !btf__type_by_id(btf, type_id)))
		return pybpf_err(-EINVAL);
	int err = describe(&o, btf, type_id, 0);
	if (err) {
		if (size)
			buf[0] = 0;
		return pybpf_err(err);
	}
	return out_finish(&o);
}

/* ---- formatting values ---- */

/* Reads an integer of `size` bytes (little endian, as BPF's x86 host). */
static __u64 load_uint(const unsigned char *p, __u32 size)
{
	__u64 v = 0;
	memcpy(&v, p, size > 8 ? 8 : size);
	return v;
}

static __s64 sign_extend(__u64 v, __u32 bits)
{
	if (bits >= 64)
		return (__s64)v;
	__u64 m = 1ULL << (bits - 1);
	v &= (1ULL << bits) - 1;
	return (__s64)((v ^ m) - m);
}

static void format_int(Out *o, const struct btf *btf, const struct btf_type *t, __u64 v, __u32 bits)
{
	if (int_is_bool(btf, t))
		out_str(o, v ? "true" : "false");
	else if (btf_int_encoding(t) & BTF_INT_SIGNED)
		out_fmt(o, "%" PRId64, (int64_t)sign_extend(v, bits));
	else
		out_fmt(o, "%" PRIu64, (uint64_t)v);
}

static void format_enum(Out *o, const struct btf *btf, const struct btf_type *t, __u64 v)
{
	for (int i = 0; i < btf_vlen(t); i++) {
		__u64 ev = btf_is_enum(t) ? (__u64)(__u32)btf_enum(t)[i].val
					  : btf_enum64_value(btf_enum64(t) + i);
		__u32 name_off =
			btf_is_enum(t) ? btf_enum(t)[i].name_off : btf_enum64(t)[i].name_off;
		__u64 mask = t->size >= 8 ? ~0ULL : (1ULL << (t->size * 8)) - 1;
		if ((ev & mask) == (v & mask)) {
			out_str(o, btf__name_by_offset(btf, name_off));
			return;
		}
	}
	if (enum_is_signed(t))
		out_fmt(o, "%" PRId64, (int64_t)sign_extend(v, t->size * 8));
	else
		out_fmt(o, "%" PRIu64, (uint64_t)v);
}

static int format(Out *o, const struct btf *btf, __u32 id, const unsigned char *p, int depth);

static int format_bitfield(Out *o, const struct btf *btf, __u32 id, const unsigned char *base,
			   __u32 bit, __u32 bits)
{
	const struct btf_type *t = btf__type_by_id(btf, resolve(btf, id));
	__u64 v = 0;
	/* the bytes covering the field, as one little-endian number */
	__u32 first = bit / 8, last = (bit + bits - 1) / 8;
	for (__u32 i = first; i <= last && i - first < 8; i++)
		v |= (__u64)base[i] << (8 * (i - first));
	v >>= bit % 8;
	if (bits < 64)
		v &= (1ULL << bits) - 1;
	if (t && btf_is_int(t))
		format_int(o, btf, t, v, bits);
	else if (t && btf_is_any_enum(t))
		format_enum(o, btf, t, v);
	else
		out_fmt(o, "%" PRIu64, (uint64_t)v);
	return 0;
}

static int format(Out *o, const struct btf *btf, __u32 id, const unsigned char *p, int depth)
{
	const struct btf_type *t;

	if (depth > MAX_DEPTH)
		return -ELOOP;
	id = resolve(btf, id);
	t = btf__type_by_id(btf, id);
	if (!t || id == 0)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
		if (t->size > 8) { /* __int128: hex, most significant byte first */
			out_str(o, "0x");
			for (__u32 i = t->size; i-- > 0;)
				out_fmt(o, "%02x", p[i]);
			return 0;
		}
		format_int(o, btf, t, load_uint(p, t->size), t->size * 8);
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		format_enum(o, btf, t, load_uint(p, t->size));
		return 0;
	case BTF_KIND_PTR:
		out_fmt(o, "0x%" PRIx64, (uint64_t)load_uint(p, 8));
		return 0;
	case BTF_KIND_FLOAT:
		if (t->size == 4) {
			float f;
			memcpy(&f, p, 4);
			out_fmt(o, "%g", (double)f);
		} else if (t->size == 8) {
			double d;
			memcpy(&d, p, 8);
			out_fmt(o, "%g", d);
		} else {
			out_str(o, "?");
		}
		return 0;
	case BTF_KIND_ARRAY: {
		const struct btf_array *a = btf_array(t);
		__u32 eid = resolve(btf, a->type);
		const struct btf_type *et = btf__type_by_id(btf, eid);
		__s64 esz = btf__resolve_size(btf, eid);
		if (!et || esz < 0)
			return -EINVAL;
		if (btf_is_int(et) && int_is_char(btf, et)) {
			size_t n = strnlen((const char *)p, a->nelems);
			out_quoted(o, (const char *)p, n, false);
			return 0;
		}
		out_str(o, "[");
		for (__u32 i = 0; i < a->nelems; i++) {
			if (i)
				out_str(o, ", ");
			int err = format(o, btf, eid, p + (size_t)i * (size_t)esz, depth + 1);
			if (err)
				return err;
		}
		out_str(o, "]");
		return 0;
	}
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION: {
		const struct btf_member *m = btf_members(t);
		out_str(o, "{");
		for (int i = 0; i < btf_vlen(t); i++, m++) {
			__u32 bit = btf_member_bit_offset(t, i);
			__u32 bits = btf_member_bitfield_size(t, i);
			const char *n = btf__name_by_offset(btf, m->name_off);
			if (i)
				out_str(o, ", ");
			if (n && *n) {
				out_str(o, n);
				out_str(o, ": ");
			}
			int err = bits ? format_bitfield(o, btf, m->type, p, bit, bits)
				       : format(o, btf, m->type, p + bit / 8, depth + 1);
			if (err)
				return err;
		}
		out_str(o, "}");
		return 0;
	}
	default: {
		__s64 sz = btf__resolve_size(btf, id);
		for (__s64 i = 0; i < sz; i++)
			out_fmt(o, "%s%02x", i ? " " : "", p[i]);
		return 0;
	}
	}
}

int pybpf_btf__format(const struct btf *btf, __u32 type_id, const void *data, size_t size,
		      char *buf, size_t bufsz)
{
	Out o = {buf, bufsz, 0};
	__s64 need;

	if (!btf || !data || (!buf && bufsz) || type_id == 0 || !btf__type_by_id(btf, type_id))
		return pybpf_err(-EINVAL);
	need = btf__resolve_size(btf, type_id);
	if (need < 0 || (size_t)need > size)
		return pybpf_err(-EINVAL);
	int err = format(&o, btf, type_id, data, 0);
	if (err) {
		if (bufsz)
			buf[0] = 0;
		return pybpf_err(err);
	}
	return out_finish(&o);
}
