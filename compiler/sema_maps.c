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
	MS_VALUE_SIZE,
	MS_DEPTH,  /* StackTraceMap: frames per stack */
	MS_HASHES, /* BloomFilter: hash functions (map_extra) */
	MS_VALUES, /* ProgArray, maps of maps: programs or maps by index */
	MS_INNER,  /* maps of maps: the inner map template */
} MapSlot;

typedef struct MapParam {
	int family; /* MapFamily, or -1: every family */
	const char *name;
	MapSlot slot;
	int position; /* index as a positional argument, or -1 */
} MapParam;

static const MapParam map_params[] = {
	{MF_KEYED, "key", MS_KEY, 0},
	{MF_KEYED, "key_type", MS_KEY, -1},
	{MF_KEYED, "value", MS_VALUE, 1},
	{MF_KEYED, "value_type", MS_VALUE, -1},
	{MF_KEYED, "max_entries", MS_MAX_ENTRIES, 2},
	{MF_PERF, "key_size", MS_KEY_SIZE, 0},
	{MF_PERF, "value_size", MS_VALUE_SIZE, 1},
	{MF_PERF, "max_entries", MS_MAX_ENTRIES, 2},
	{MF_RINGBUF, "max_entries", MS_MAX_ENTRIES, 0},
	{MF_STACKTRACE, "max_entries", MS_MAX_ENTRIES, 0},
	{MF_STACKTRACE, "depth", MS_DEPTH, 1},
	{MF_QUEUE, "value", MS_VALUE, 0},
	{MF_QUEUE, "value_type", MS_VALUE, -1},
	{MF_QUEUE, "max_entries", MS_MAX_ENTRIES, 1},
	{MF_BLOOM, "value", MS_VALUE, 0},
	{MF_BLOOM, "value_type", MS_VALUE, -1},
	{MF_BLOOM, "max_entries", MS_MAX_ENTRIES, 1},
	{MF_BLOOM, "hashes", MS_HASHES, 2},
	{MF_PROGS, "max_entries", MS_MAX_ENTRIES, 0},
	{MF_PROGS, "values", MS_VALUES, 1},
	{MF_OUTER, "key", MS_KEY, 0},
	{MF_OUTER, "key_type", MS_KEY, -1},
	{MF_OUTER, "inner", MS_INNER, 1},
	{MF_OUTER, "max_entries", MS_MAX_ENTRIES, 2},
	{MF_OUTER, "values", MS_VALUES, 3},
	{-1, "flags", MS_FLAGS, -1},
	{-1, "map_flags", MS_FLAGS, -1},
};

typedef struct MapClassInfo {
	const char *name;
	int type_id; /* BPF_MAP_TYPE_* (uapi/linux/bpf.h) */
	MapFamily family;
} MapClassInfo;

static const MapClassInfo map_classes[MAPC__COUNT] = {
#define MAPCLASS(id, name, type_id, family) [MAPC_##id] = {name, type_id, family},
#include "maps.def"
#undef MAPCLASS
};

#define BPF_F_NO_PREALLOC   1
#define STACK_DEPTH_DEFAULT 127 /* the kernel's perf_event_max_stack */

static const MapParam *find_map_param(MapFamily family, const char *name, int position)
{
	for (size_t i = 0; i < COUNT(map_params); i++) {
		const MapParam *mp = &map_params[i];
		if (mp->family >= 0 && mp->family != (int)family)
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
	case MS_DEPTH:
		if (!sema_const_eval(s, arg, &v, true))
			return false;
		if (v.v < 1 || v.v > STACK_DEPTH_DEFAULT) {
			diag_error(s->d, ast_loc(arg),
				   "depth must be between 1 and %d frames, got %lld",
				   STACK_DEPTH_DEFAULT, (long long)v.v);
			return false;
		}
		m->value = type_array(s->a, type_int(s->p, CT_UINT64), (int)v.v);
		return true;
	case MS_HASHES:
		if (!sema_const_eval(s, arg, &v, true))
			return false;
		if (v.v < 1 || v.v > 15) {
			diag_error(s->d, ast_loc(arg),
				   "a BloomFilter uses 1 to 15 hash functions, got %lld",
				   (long long)v.v);
			return false;
		}
		m->map_extra = (uint64_t)v.v;
		return true;
	case MS_VALUES:
		if (arg->kind != AST_List && arg->kind != AST_Tuple) {
			diag_error(s->d, ast_loc(arg), "values must be a list of %s, e.g. %s",
				   m->family == MF_PROGS ? "programs" : "maps",
				   m->family == MF_PROGS ? "values=[prog_a, None, prog_b]"
							 : "values=[map_a, None, map_b]");
			return false;
		}
		/* resolved once programs and maps are known (sema_resolve_map_values) */
		m->values = arg;
		m->nvalues = arg->List.elts.n; /* List and Tuple share the layout */
		return true;
	case MS_INNER:
		m->inner_name = arg;
		return true;
	}
	return false;
}

static bool check_value_count(Sema *s, MapDef *m)
{
	if (m->nvalues <= (int)m->max_entries)
		return true;
	diag_error(s->d, ast_loc(m->values), "values has %d %s but max_entries is %u", m->nvalues,
		   m->family == MF_PROGS ? "programs" : "maps", m->max_entries);
	return false;
}

static bool needs(Sema *s, MapDef *m, AstNode *call, bool present, const char *what)
{
	if (!present)
		diag_error(s->d, ast_loc(call), "%s needs %s", map_classes[m->cls].name, what);
	return present;
}

/* Checks a map as the kernel would, and fills in what the class implies. */
static bool validate_map(Sema *s, MapDef *m, AstNode *call)
{
	const char *cls = map_classes[m->cls].name;
	bool is_array = m->cls == MAPC_ARRAY || m->cls == MAPC_PERCPU_ARRAY;
	switch (m->family) {
	case MF_KEYED:
		if (!m->key && is_array)
			m->key = type_int(s->p, CT_UINT32);
		if (!needs(s, m, call, m->key != NULL, "a key type (key=...)") ||
		    !needs(s, m, call, m->value != NULL, "a value type (value=...)") ||
		    !needs(s, m, call, m->max_entries != 0, "max_entries=N"))
			return false;
		if (is_array && (m->key->kind != TY_INT || m->key->size != 4)) {
			diag_error(s->d, ast_loc(call),
				   "%s keys are 32-bit indexes (c_uint32), not '%s'", cls,
				   type_name(m->key));
			return false;
		}
		if (m->cls == MAPC_LPM_TRIE) {
			if (m->key->kind != TY_STRUCT || m->key->nfields < 2 ||
			    m->key->fields[0].type->kind != TY_INT ||
			    m->key->fields[0].type->size != 4) {
				diag_error(s->d, ast_loc(call),
					   "an LPMTrie key is a @struct whose first field is the "
					   "32-bit prefix length, followed by the data");
				return false;
			}
			m->flags |= BPF_F_NO_PREALLOC; /* the kernel requires it */
		}
		return true;
	case MF_PERF:
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
	case MF_RINGBUF:
		if (!m->max_entries || (m->max_entries & (m->max_entries - 1)) ||
		    m->max_entries % 4096) {
			diag_error(s->d, ast_loc(call),
				   "RingBuffer max_entries is its size in bytes: a power of two "
				   "and a multiple of the page size (4096), got %u",
				   m->max_entries);
			return false;
		}
		return true;
	case MF_STACKTRACE:
		m->key = type_int(s->p, CT_UINT32);
		if (!m->value)
			m->value = type_array(s->a, type_int(s->p, CT_UINT64), STACK_DEPTH_DEFAULT);
		return needs(s, m, call, m->max_entries != 0, "max_entries=N");
	case MF_QUEUE:
	case MF_BLOOM:
		return needs(s, m, call, m->value != NULL, "a value type (value=...)") &&
		       needs(s, m, call, m->max_entries != 0, "max_entries=N");
	case MF_PROGS:
		/* sizes, not BTF types: the kernel refuses BTF key/value types on
		 * prog arrays */
		m->key_size = 4;
		if (!needs(s, m, call, m->max_entries != 0, "max_entries=N"))
			return false;
		if (!m->values)
			m->value_size = 4;
		return check_value_count(s, m);
	case MF_OUTER:
		/* the value is the inner map's fd: libbpf's __array(values, ...) */
		if (!m->key && m->cls == MAPC_ARRAY_OF_MAPS)
			m->key = type_int(s->p, CT_UINT32);
		if (!needs(s, m, call, m->key != NULL, "a key type (key=...)") ||
		    !needs(s, m, call, m->max_entries != 0, "max_entries=N") ||
		    !needs(s, m, call, m->inner_name || m->values,
			   "an inner map (inner=m) or initial maps (values=[...])"))
			return false;
		if ((m->cls == MAPC_ARRAY_OF_MAPS || m->values) &&
		    (m->key->kind != TY_INT || m->key->size != 4)) {
			diag_error(s->d, ast_loc(call),
				   "%s keys are 32-bit indexes (c_uint32) when %s, not '%s'", cls,
				   m->values ? "values=[...] fills it" : "it is an array",
				   type_name(m->key));
			return false;
		}
		return check_value_count(s, m);
	}
	return false;
}

/* A map named in a map of maps (inner= or values=), or NULL after an error. */
static MapDef *inner_map(Sema *s, MapDef *outer, AstNode *e)
{
	Symbol *sym = e->kind == AST_Name ? sema_lookup_module(s, e->Name.id) : NULL;
	if (!sym || sym->kind != SYM_MAP || !sym->map) {
		diag_error(s->d, ast_loc(e), "%s holds maps declared with @map (or None)",
			   map_classes[outer->cls].name);
		return NULL;
	}
	MapDef *m = sym->map;
	if (m->family == MF_OUTER) {
		diag_error(s->d, ast_loc(e), "a map of maps cannot hold maps of maps ('%s')",
			   m->name);
		return NULL;
	}
	return m;
}

/* Whether the kernel takes map m where the template t is expected. */
static bool same_shape(const MapDef *m, const MapDef *t)
{
	bool is_array = m->cls == MAPC_ARRAY || m->cls == MAPC_PERCPU_ARRAY;
	return m->type_id == t->type_id && m->flags == t->flags &&
	       (m->key ? m->key->size : (int)m->key_size) ==
		       (t->key ? t->key->size : (int)t->key_size) &&
	       (m->value ? m->value->size : (int)m->value_size) ==
		       (t->value ? t->value->size : (int)t->value_size) &&
	       (!is_array || m->max_entries == t->max_entries);
}

/* ArrayOfMaps / HashOfMaps: the template (inner=, or the first map of
 * values=) and the maps by index, each of the template's shape. */
static void resolve_inner_maps(Sema *s, MapDef *m)
{
	if (m->inner_name && !(m->inner = inner_map(s, m, m->inner_name)))
		return;
	AstList *items = m->values ? &m->values->List.elts : NULL;
	m->maps = arena_alloc(s->a, sizeof(MapDef *) * (size_t)(m->nvalues ? m->nvalues : 1));
	for (int i = 0; i < m->nvalues; i++) {
		AstNode *v = items->items[i];
		if (sema_is_none(v))
			continue;
		MapDef *im = inner_map(s, m, v);
		if (!im)
			continue;
		if (!m->inner)
			m->inner = im;
		if (!same_shape(im, m->inner)) {
			Diag *g = diag_error(s->d, ast_loc(v),
					     "map '%s' does not fit in '%s': the kernel wants maps "
					     "like '%s' (type, key and value sizes, flags%s)",
					     im->name, m->name, m->inner->name,
					     m->inner->cls == MAPC_ARRAY ||
							     m->inner->cls == MAPC_PERCPU_ARRAY
						     ? ", max_entries"
						     : "");
			diag_note(s->d, g, im->loc, "'%s' is declared here", im->name);
			continue;
		}
		m->maps[i] = im;
	}
	if (!m->inner) {
		diag_error(s->d, m->loc, "%s '%s' needs an inner map: inner=m",
			   map_classes[m->cls].name, m->name);
		return;
	}
	Type *t = type_ptr(s->a, NULL);
	t->map = m->inner;
	t->name = arena_printf(s->a, "map from '%s'", m->name);
	m->ref_type = t;
}

/* ProgArray(values=[...]): each item names a program (or is None). Maps of
 * maps: see resolve_inner_maps. */
void sema_resolve_map_values(Sema *s, MapDef *m)
{
	if (m->family == MF_OUTER) {
		resolve_inner_maps(s, m);
		return;
	}
	if (!m->values)
		return;
	AstList *items = &m->values->List.elts; /* List and Tuple share the layout */
	m->progs = arena_alloc(s->a, sizeof(FuncDef *) * (size_t)(items->n ? items->n : 1));
	for (int i = 0; i < items->n; i++) {
		AstNode *v = items->items[i];
		if (v->kind == AST_Constant && v->Constant.value.kind == CONST_NONE)
			continue;
		Symbol *sym = v->kind == AST_Name ? sema_lookup_module(s, v->Name.id) : NULL;
		if (!sym || sym->kind != SYM_FUNC || !sym->func->section) {
			diag_error(s->d, ast_loc(v),
				   "ProgArray values are BPF programs (@bpf @section functions) "
				   "or None");
			continue;
		}
		m->progs[i] = sym->func;
	}
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
			  "map types: HashMap, ArrayMap, PerCPUHashMap, PerCPUArrayMap, "
			  "LRUHashMap, LRUPerCPUHashMap, LPMTrie, PerfEventArray, RingBuffer, "
			  "StackTraceMap, QueueMap, StackMap, BloomFilter, ProgArray, ArrayOfMaps, "
			  "HashOfMaps");
		return;
	}
	MapDef *m = arena_alloc(s->a, sizeof *m);
	m->name = name;
	m->loc = sema_def_loc(s, def);
	m->cls = (MapClassId)cls->detail;
	m->type_id = map_classes[m->cls].type_id;
	m->family = map_classes[m->cls].family;
	bool ok = true;
	for (int i = 0; i < call->Call.args.n; i++) {
		AstNode *arg = call->Call.args.items[i];
		const MapParam *mp = find_map_param(m->family, NULL, i);
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
			kw->keyword.arg ? find_map_param(m->family, kw->keyword.arg, -1) : NULL;
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
