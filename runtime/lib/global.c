/*
 * global.c - an object's global variables by name.
 *
 * The variables are those the object's BTF lists in the DATASECs of the
 * sections libbpf turns into array maps of one element: .rodata, .data,
 * .bss, .rodata.* and .data.*. A variable is a byte range (offset, size) of
 * its section's map value. Before load the bytes are the map's initial
 * image (libbpf's, what bpf_map__initial_value() points at, the same memory
 * a libbpf skeleton writes); after load they are the kernel's map, reached
 * through a mapping of it made for each access when the map is mmapable
 * (libbpf 1.1 maps it only for skeletons, and a kept mapping would keep a
 * closed object's map alive) and through element lookup/update of key 0
 * otherwise.
 * A .rodata map is frozen by the load, so its variables only read
 * afterwards.
 *
 * The table of variables is built the first time an object is asked for
 * one and hangs off the object (obj->globals); pybpf_globals_release()
 * frees it when the object closes.
 */
#include "global.h"

#include "internal.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define INTERNAL_PREFIX "__pybpf"

/* A data section with a map. */
typedef struct Section {
	char *name;
	struct bpf_map *map; /* looked up again on every access */
} Section;

struct pybpf_global {
	struct pybpf_object *obj;
	Section *sec;
	char *name;	    /* a copy: valid even while libbpf rewrites its BTF */
	__u32 offset, size; /* in the section's map value */
	__u32 type_id;	    /* the variable's type (not the VAR) */
	bool readonly;	    /* .rodata, .rodata.*: frozen at load */
};

struct pybpf_global_table {
	struct pybpf_global *vars;
	size_t cnt;
	Section **sections; /* what the vars point at */
	size_t nsections;
};
typedef struct pybpf_global_table GlobalTable;

static void table_free(GlobalTable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->cnt; i++)
		free(t->vars[i].name);
	for (size_t i = 0; i < t->nsections; i++) {
		Section *sec = t->sections[i];
		free(sec->name);
		free(sec);
	}
	free(t->sections);
	free(t->vars);
	free(t);
}

void pybpf_globals_release(struct pybpf_object *obj)
{
	table_free(obj->globals);
	obj->globals = NULL;
}

static bool is_data_section(const char *name)
{
	return strcmp(name, ".rodata") == 0 || strcmp(name, ".data") == 0 ||
	       strcmp(name, ".bss") == 0 || strncmp(name, ".rodata.", 8) == 0 ||
	       strncmp(name, ".data.", 6) == 0;
}

/* Adds the variables of one DATASEC; 0 or -ENOMEM. */
static int add_section(GlobalTable *t, struct pybpf_object *obj, const struct btf *btf,
		       const struct btf_type *sec, const char *sec_name)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj->obj, sec_name);
	const struct btf_var_secinfo *vsi = btf_var_secinfos(sec);
	Section **secs, *section;

	if (!map)
		return 0; /* no map for it (e.g. an empty section) */
	secs = realloc(t->sections, (t->nsections + 1) * sizeof(*secs));
	if (!secs)
		return -ENOMEM;
	t->sections = secs;
	section = calloc(1, sizeof(*section));
	if (!section)
		return -ENOMEM;
	secs[t->nsections++] = section;
	section->map = map;
	section->name = strdup(sec_name);
	if (!section->name)
		return -ENOMEM;

	for (int i = 0; i < btf_vlen(sec); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		const char *name;
		if (!var || !btf_is_var(var))
			continue;
		name = btf__name_by_offset(btf, var->name_off);
		/* compiler-internal: our constants, and clang's function-local
		 * statics ("func.____fmt" of bpf_printk), as bpftool's skeletons */
		if (!name || strncmp(name, INTERNAL_PREFIX, strlen(INTERNAL_PREFIX)) == 0 ||
		    strchr(name, '.'))
			continue;
		struct pybpf_global *vars = realloc(t->vars, (t->cnt + 1) * sizeof(*vars));
		if (!vars)
			return -ENOMEM;
		t->vars = vars;
		struct pybpf_global *g = &vars[t->cnt];
		memset(g, 0, sizeof(*g));
		g->name = strdup(name);
		if (!g->name)
			return -ENOMEM;
		t->cnt++;
		g->obj = obj;
		g->sec = section;
		g->offset = vsi->offset;
		g->size = vsi->size;
		g->type_id = var->type;
		g->readonly = strncmp(sec_name, ".rodata", 7) == 0;
	}
	return 0;
}

static GlobalTable *table_build(struct pybpf_object *obj)
{
	const struct btf *btf = bpf_object__btf(obj->obj);
	GlobalTable *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	if (!btf)
		return t;
	for (__u32 id = 1; id < btf__type_cnt(btf); id++) {
		const struct btf_type *sec = btf__type_by_id(btf, id);
		const char *name;
		if (!btf_is_datasec(sec))
			continue;
		name = btf__name_by_offset(btf, sec->name_off);
		if (name && is_data_section(name) && add_section(t, obj, btf, sec, name)) {
			table_free(t);
			return NULL;
		}
	}
	/* the pointers into vars are handed out only now: realloc is over */
	return t;
}

/* The object's table, built on first use; NULL (errno set) on failure. */
static GlobalTable *table_of(const struct pybpf_object *obj)
{
	struct pybpf_object *o = (struct pybpf_object *)obj;

	if (!obj)
		return pybpf_err_ptr(-EINVAL);
	if (!o->globals)
		o->globals = table_build(o);
	return o->globals ? o->globals : pybpf_err_ptr(-ENOMEM);
}

struct pybpf_global *pybpf_object__next_global(const struct pybpf_object *obj,
					       const struct pybpf_global *prev)
{
	GlobalTable *t = table_of(obj);
	size_t i;

	if (!t)
		return NULL;
	if (!prev)
		i = 0;
	else if (prev >= t->vars && prev < t->vars + t->cnt)
		i = (size_t)(prev - t->vars) + 1;
	else
		return pybpf_err_ptr(-EINVAL);
	return i < t->cnt ? &t->vars[i] : NULL;
}

struct pybpf_global *pybpf_object__find_global(const struct pybpf_object *obj, const char *name)
{
	GlobalTable *t;

	if (!name)
		return pybpf_err_ptr(-EINVAL);
	t = table_of(obj);
	if (!t)
		return NULL;
	for (size_t i = 0; i < t->cnt; i++)
		if (strcmp(t->vars[i].name, name) == 0)
			return &t->vars[i];
	return pybpf_err_ptr(-ENOENT);
}

const char *pybpf_global__name(const struct pybpf_global *g)
{
	return g ? g->name : NULL;
}

size_t pybpf_global__size(const struct pybpf_global *g)
{
	return g ? g->size : 0;
}

__u32 pybpf_global__btf_type_id(const struct pybpf_global *g)
{
	return g ? g->type_id : 0;
}

const char *pybpf_global__section(const struct pybpf_global *g)
{
	return g ? g->sec->name : NULL;
}

/* One read or write of a global: where the section's bytes are. */
typedef struct Access {
	unsigned char *p;  /* NULL: go through the map fd */
	size_t map_len;	   /* > 0: p is our mmap of the map, unmapped afterwards */
	size_t value_size; /* of the section's map */
	bool loaded;
} Access;

/*
 * Finds the section's bytes: libbpf's initial image before load; after load
 * a mapping of the kernel's map made for this access (read-only for a
 * frozen .rodata; not kept, so that a closed object's maps never stay
 * mapped). a->p is NULL when there is no such memory (a map libbpf did not
 * make mmapable): the caller then goes through the map fd.
 */
static void access_begin(const struct pybpf_global *g, Access *a)
{
	Section *sec = g->sec;
	size_t sz = 0;

	memset(a, 0, sizeof(*a));
	/* from the object itself, not a pointer kept since the table was built */
	sec->map = bpf_object__find_map_by_name(g->obj->obj, sec->name);
	if (!sec->map)
		return;
	int fd = bpf_map__fd(sec->map);
	a->loaded = fd >= 0;
	a->value_size = bpf_map__value_size(sec->map);
	if (!a->loaded) {
		const void *p = bpf_map__initial_value(sec->map, &sz);
		/* the memory libbpf creates the map from: a skeleton writes it */
		a->p = p && sz >= a->value_size ? (unsigned char *)(uintptr_t)p : NULL;
		return;
	}
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (a->value_size + (size_t)page - 1) / (size_t)page * (size_t)page;
	if (!len || !(bpf_map__map_flags(sec->map) & BPF_F_MMAPABLE))
		return;
	void *m = mmap(NULL, len, g->readonly ? PROT_READ : PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		       0);
	if (m != MAP_FAILED) {
		a->p = m;
		a->map_len = len;
	}
}

static void access_end(Access *a)
{
	if (a->map_len)
		munmap(a->p, a->map_len);
}

static int check_access(const struct pybpf_global *g, const void *buf, size_t size,
			size_t value_size)
{
	if (!g || !buf) {
		pr_warn("global: NULL argument");
		return -EINVAL;
	}
	if (size != g->size) {
		pr_warn("global '%s': %zu bytes given, the variable has %u", g->name, size,
			g->size);
		return -EINVAL;
	}
	if (!g->sec->map) {
		pr_warn("global '%s': the object has no map for %s", g->name, g->sec->name);
		return -ENOENT;
	}
	if ((size_t)g->offset + g->size > value_size) {
		pr_warn("global '%s': outside its section %s", g->name, g->sec->name);
		return -EINVAL;
	}
	return 0;
}

/* The whole section value from the kernel map into a new buffer. */
static unsigned char *read_value(const struct pybpf_global *g, size_t value_size, int *err)
{
	__u32 zero = 0;
	unsigned char *v = malloc(value_size ? value_size : 1);

	if (!v) {
		*err = -ENOMEM;
		return NULL;
	}
	if (bpf_map_lookup_elem(bpf_map__fd(g->sec->map), &zero, v)) {
		*err = -errno;
		pr_warn("global '%s': cannot read map %s: %s", g->name, bpf_map__name(g->sec->map),
			strerror(errno));
		free(v);
		return NULL;
	}
	return v;
}

/* Reads through the map fd (after load). */
static int read_by_fd(const struct pybpf_global *g, void *buf, size_t value_size)
{
	int err = 0;
	unsigned char *v = read_value(g, value_size, &err);
	if (!v)
		return err;
	memcpy(buf, v + g->offset, g->size);
	free(v);
	return 0;
}

/* Writes through the map fd (after load): read, change, write back, racing
 * with the programs' own writes to other variables of the section. */
static int write_by_fd(const struct pybpf_global *g, const void *buf, size_t value_size)
{
	__u32 zero = 0;
	int err = 0;
	unsigned char *v = read_value(g, value_size, &err);
	if (!v)
		return err;
	memcpy(v + g->offset, buf, g->size);
	err = bpf_map_update_elem(bpf_map__fd(g->sec->map), &zero, v, BPF_ANY) ? -errno : 0;
	free(v);
	if (err)
		pr_warn("global '%s': cannot write map %s: %s", g->name, bpf_map__name(g->sec->map),
			strerror(-err));
	return err;
}

int pybpf_global__read(const struct pybpf_global *g, void *buf, size_t size)
{
	Access a = {0};
	int err;

	if (g)
		access_begin(g, &a);
	err = check_access(g, buf, size, a.value_size);
	if (!err && a.p)
		memcpy(buf, a.p + g->offset, size);
	else if (!err && a.loaded)
		err = read_by_fd(g, buf, a.value_size);
	else if (!err) {
		pr_warn("global '%s': map %s has no initial image", g->name,
			bpf_map__name(g->sec->map));
		err = -ENOENT;
	}
	access_end(&a);
	return pybpf_err(err);
}

int pybpf_global__write(struct pybpf_global *g, const void *buf, size_t size)
{
	Access a = {0};
	int err;

	if (g)
		access_begin(g, &a);
	err = check_access(g, buf, size, a.value_size);
	if (!err && a.loaded && g->readonly) {
		pr_warn("global '%s': %s is read-only once loaded", g->name, g->sec->name);
		err = -EPERM;
	} else if (!err && a.p) {
		memcpy(a.p + g->offset, buf, size);
	} else if (!err && a.loaded) {
		err = write_by_fd(g, buf, a.value_size);
	} else if (!err) {
		pr_warn("global '%s': map %s has no initial image", g->name,
			bpf_map__name(g->sec->map));
		err = -ENOENT;
	}
	access_end(&a);
	return pybpf_err(err);
}
