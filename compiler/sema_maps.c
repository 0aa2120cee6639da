/*
 * sema_maps.c - map declarations: `@bpf @map def m() -> HashMap: return
 * HashMap(key=..., value=..., max_entries=N)`.
 *
 * Each map class has a table of the parameters it takes (keyword names,
 * pythonbpf's older spellings, positions); sema checks the arguments against
 * it, validates them the way the kernel would, and records a MapDef.
 */
#include "sema_internal.h"

#include <string.h>

typedef enum MapSlot {
	MS_KEY,
	MS_VALUE,
	MS_MAX_ENTRIES,
	MS_FLAGS,
	MS_KEY_SIZE,
	MS_VALUE_SIZE
} MapSlot;

typedef struct MapParam {
	MapClassId cls; /* 0: every class */
	const char *name;
	MapSlot slot;
	int position; /* index as a positional argument, or -1 */
} MapParam;

static const MapParam map_params[] = {
	{MAPC_HASH, "key", MS_KEY, 0},
	{MAPC_HASH, "key_type", MS_KEY, -1},
	{MAPC_HASH, "value", MS_VALUE, 1},
	{MAPC_HASH, "value_type", MS_VALUE, -1},
	{MAPC_HASH, "max_entries", MS_MAX_ENTRIES, 2},
	{MAPC_ARRAY, "key", MS_KEY, 0},
	{MAPC_ARRAY, "key_type", MS_KEY, -1},
	{MAPC_ARRAY, "value", MS_VALUE, 1},
	{MAPC_ARRAY, "value_type", MS_VALUE, -1},
	{MAPC_ARRAY, "max_entries", MS_MAX_ENTRIES, 2},
	{MAPC_PERF_EVENT_ARRAY, "key_size", MS_KEY_SIZE, 0},
	{MAPC_PERF_EVENT_ARRAY, "value_size", MS_VALUE_SIZE, 1},
	{MAPC_PERF_EVENT_ARRAY, "max_entries", MS_MAX_ENTRIES, 2},
	{MAPC_RINGBUF, "max_entries", MS_MAX_ENTRIES, 0},
	{0, "flags", MS_FLAGS, -1},
	{0, "map_flags", MS_FLAGS, -1},
};

typedef struct MapClassInfo {
	const char *name;
	int type_id; /* BPF_MAP_TYPE_* (uapi/linux/bpf.h) */
} MapClassInfo;

static const MapClassInfo map_classes[] = {
	[MAPC_HASH] = {"HashMap", 1},
	[MAPC_ARRAY] = {"ArrayMap", 2},
	[MAPC_PERF_EVENT_ARRAY] = {"PerfEventArray", 4},
	[MAPC_RINGBUF] = {"RingBuffer", 27},
};

static const MapParam *find_map_param(MapClassId cls, const char *name, int position)
{
	for (size_t i = 0; i < COUNT(map_params); i++) {
		const MapParam *mp = &map_params[i];
		if (mp->cls && mp->cls != cls)
			continue;
		if (name ? strcmp(mp->name, name) == 0 : mp->position == position)
			return mp;
	}
	return NULL;
}

static bool set_size_slot(Sema *s, AstNode *arg, uint32_t *out)
{
	/* key_size=c_int32 (pythonbpf) or key_size=4 */
	Symbol *sym = sema_resolve_static(s, arg);
	if (sym && sym->kind == SYM_TYPE) {
		Type *t = sema_type_expr(s, arg);
		if (!t)
			return false;
		*out = (uint32_t)t->size;
		return true;
	}
	ConstVal v;
	if (!sema_const_eval(s, arg, &v, true))
		return false;
	if (v.v <= 0 || v.v > 65536) {
		diag_error(s->d, ast_loc(arg), "size must be between 1 and 65536, got %lld",
			   (long long)v.v);
		return false;
	}
	*out = (uint32_t)v.v;
	return true;
}

static bool set_map_slot(Sema *s, MapDef *m, const MapParam *mp, AstNode *arg)
{
	ConstVal v;
	switch (mp->slot) {
	case MS_KEY:
	case MS_VALUE: {
		Type *t = sema_type_expr(s, arg);
		if (!t)
			return false;
		if (t->kind == TY_VOID || t->kind == TY_PTR) {
			diag_error(s->d, ast_loc(arg), "map %s type cannot be '%s'",
				   mp->slot == MS_KEY ? "key" : "value", type_name(t));
			return false;
		}
		if (mp->slot == MS_KEY)
			m->key = t;
		else
			m->value = t;
		return true;
	}
	case MS_KEY_SIZE:
		return set_size_slot(s, arg, &m->key_size);
	case MS_VALUE_SIZE:
		return set_size_slot(s, arg, &m->value_size);
	case MS_MAX_ENTRIES:
		if (!sema_const_eval(s, arg, &v, true))
			return false;
		if (v.v <= 0 || v.v > UINT32_MAX) {
			diag_error(s->d, ast_loc(arg),
				   "max_entries must be between 1 and 4294967295, got %lld",
				   (long long)v.v);
			return false;
		}
		m->max_entries = (uint32_t)v.v;
		return true;
	case MS_FLAGS:
		if (!sema_const_eval(s, arg, &v, true))
			return false;
		if (v.v < 0 || v.v > UINT32_MAX) {
			diag_error(s->d, ast_loc(arg), "map flags must fit in 32 bits");
			return false;
		}
		m->flags = (uint32_t)v.v;
		return true;
	}
	return false;
}

static bool validate_map(Sema *s, MapDef *m, AstNode *call)
{
	const char *cls = map_classes[m->cls].name;
	switch (m->cls) {
	case MAPC_HASH:
	case MAPC_ARRAY:
		if (!m->key && m->cls == MAPC_ARRAY)
			m->key = type_int(s->p, CT_UINT32);
		if (!m->key || !m->value || !m->max_entries) {
			diag_error(s->d, ast_loc(call), "%s needs %s", cls,
				   !m->key     ? "a key type (key=...)"
				   : !m->value ? "a value type (value=...)"
					       : "max_entries=N");
			return false;
		}
		if (m->cls == MAPC_ARRAY && (m->key->kind != TY_INT || m->key->size != 4)) {
			diag_error(s->d, ast_loc(call),
				   "ArrayMap keys are 32-bit indexes (c_uint32), not '%s'",
				   type_name(m->key));
			return false;
		}
		return true;
	case MAPC_PERF_EVENT_ARRAY:
		if (!m->key_size)
			m->key_size = 4;
		if (!m->value_size)
			m->value_size = 4;
		if (m->key_size != 4 || m->value_size != 4) {
			diag_error(s->d, ast_loc(call),
				   "PerfEventArray keys and values are 32-bit (c_int32)");
			return false;
		}
		return true;
	case MAPC_RINGBUF:
		if (!m->max_entries || (m->max_entries & (m->max_entries - 1)) ||
		    m->max_entries % 4096) {
			diag_error(s->d, ast_loc(call),
				   "RingBuffer max_entries is its size in bytes: a power of two "
				   "and a multiple of the page size (4096), got %u",
				   m->max_entries);
			return false;
		}
		return true;
	}
	return false;
}

void sema_check_map(Sema *s, AstNode *def, const char *name)
{
	Symbol *sym = scope_get(&s->module, name);
	if (!sema_no_parameters(s, def, "@map"))
		return;
	AstNode *call = sema_sole_return(def);
	if (!call || call->kind != AST_Call) {
		diag_error(s->d, sema_def_loc(s, def),
			   "a @map function must be 'return <MapType>(...)', e.g. "
			   "'return HashMap(key=c_uint32, value=c_uint64, max_entries=1024)'");
		return;
	}
	Symbol *cls = sema_resolve_static(s, call->Call.func);
	if (!cls || cls->kind != SYM_MAPCLASS) {
		Diag *g = diag_error(s->d, ast_loc(call->Call.func), "unknown map type");
		diag_note(s->d, g, ast_loc(call->Call.func),
			  "map types: HashMap, ArrayMap, PerfEventArray, RingBuffer");
		return;
	}
	MapDef *m = arena_alloc(s->a, sizeof *m);
	m->name = name;
	m->loc = sema_def_loc(s, def);
	m->cls = (MapClassId)cls->detail;
	m->type_id = map_classes[m->cls].type_id;
	bool ok = true;
	for (int i = 0; i < call->Call.args.n; i++) {
		AstNode *arg = call->Call.args.items[i];
		const MapParam *mp = find_map_param(m->cls, NULL, i);
		if (!mp) {
			diag_error(s->d, ast_loc(arg), "too many arguments to %s",
				   map_classes[m->cls].name);
			ok = false;
			continue;
		}
		ok &= set_map_slot(s, m, mp, arg);
	}
	for (int i = 0; i < call->Call.keywords.n; i++) {
		AstNode *kw = call->Call.keywords.items[i];
		const MapParam *mp =
			kw->keyword.arg ? find_map_param(m->cls, kw->keyword.arg, -1) : NULL;
		if (!mp) {
			diag_error(s->d, ast_loc(kw), "%s has no parameter '%s'",
				   map_classes[m->cls].name,
				   kw->keyword.arg ? kw->keyword.arg : "**");
			ok = false;
			continue;
		}
		ok &= set_map_slot(s, m, mp, kw->keyword.value);
	}
	if (!ok || !validate_map(s, m, call))
		return;
	sym->kind = SYM_MAP;
	sym->map = m;
	ptrvec_push(s->a, &s->p->maps, m);
}

const char *sema_map_class_name(MapClassId cls)
{
	return map_classes[cls].name;
}
