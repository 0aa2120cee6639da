/*
 * cli_skeleton.c - `pybpf gen skeleton`: a C header in the style of
 * `bpftool gen skeleton` for a BPF object (or a .py compiled in memory).
 *
 * The header embeds the object's bytes and declares `struct <name>` with one
 * member per map, program and link, plus one pointer per global data section
 * (.bss, .data, .rodata) to a struct whose fields are the section's global
 * variables, laid out from BTF. Two flavours, the same names:
 *  - libbpf (default): the members are libbpf's (struct bpf_map *, ...) and
 *    <name>__open/__load/__open_and_load/__attach/__detach/__destroy wrap
 *    libbpf's skeleton API (bpf_object__open_skeleton and friends), so the
 *    header needs nothing but <bpf/libbpf.h>;
 *  - libpybpf (--libpybpf): the members are libpybpf's handles (struct
 *    pybpf_object *, struct pybpf_map *, ...) and the functions wrap
 *    pybpf_object__open_mem/__load/__attach_all/__close; the section
 *    pointers are libbpf's initial image before load and a shared mapping
 *    of the kernel's map after (NULL when the map is not mmapable), as with
 *    libbpf's skeletons.
 *
 * The object is opened with libbpf (no kernel access) under the skeleton's
 * name, so the internal map names ("<name>.bss") are the ones libbpf will
 * use when the header opens it.
 */
#include "cli.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_ITEMS = 256 };

typedef struct Skel Skel;

/* What differs between the two flavours of header. */
typedef struct Flavour {
	const char *includes; /* after the include guard */
	const char *obj_decl; /* the struct's first members */
	const char *map_type; /* the members of maps{}, progs{} and links{} */
	const char *prog_type;
	const char *link_type;
	void (*emit_functions)(Skel *s); /* after NAME__elf_bytes */
} Flavour;

struct Skel {
	const Flavour *flavour;
	const char *name;
	struct bpf_object *obj;
	const struct btf *btf;
	FILE *out;
	struct bpf_map *maps[MAX_ITEMS];
	char *map_idents[MAX_ITEMS];
	int nmaps;
	struct bpf_program *progs[MAX_ITEMS];
	int nprogs;
};

/* The C identifier for a map: its name, or for an internal map the part
 * after the object name ("prog_bpf.rodata" -> "rodata", ".data.x" -> "data_x"). */
static char *map_ident(struct bpf_map *m)
{
	const char *n = bpf_map__name(m);
	if (bpf_map__is_internal(m)) {
		const char *dot = strchr(n, '.');
		if (dot)
			n = dot + 1;
	}
	char *id = strdup(n);
	for (char *p = id; p && *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	return id;
}

/* The DATASEC a global-data map holds (".bss" for "prog_bpf.bss"), or 0. */
static int datasec_of(const Skel *s, struct bpf_map *m)
{
	if (!s->btf || !bpf_map__is_internal(m))
		return 0;
	const char *sec = strchr(bpf_map__name(m), '.');
	if (!sec || strcmp(sec, ".kconfig") == 0)
		return 0;
	int id = btf__find_by_name_kind(s->btf, sec, BTF_KIND_DATASEC);
	return id > 0 ? id : 0;
}

/* A variable the skeleton exposes: global linkage and a plain name. */
static const char *exposed_var(const Skel *s, const struct btf_var_secinfo *v)
{
	const struct btf_type *t = btf__type_by_id(s->btf, v->type);
	if (!t || !btf_is_var(t) || btf_var(t)->linkage == BTF_VAR_STATIC)
		return NULL;
	const char *n = btf__name_by_offset(s->btf, t->name_off);
	if (!n || !*n)
		return NULL;
	for (const char *p = n; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			return NULL;
	return n;
}

static int datasec_has_vars(const Skel *s, int sec_id)
{
	const struct btf_type *sec = btf__type_by_id(s->btf, (__u32)sec_id);
	const struct btf_var_secinfo *v = btf_var_secinfos(sec);
	for (int i = 0; i < btf_vlen(sec); i++)
		if (exposed_var(s, &v[i]))
			return 1;
	return 0;
}

static void dump_printf(void *ctx, const char *fmt, va_list ap)
{
	vfprintf(ctx, fmt, ap);
}

/* Type definitions the variables need (named structs), once each. */
static int emit_var_types(Skel *s, struct btf_dump *d)
{
	for (int i = 0; i < s->nmaps; i++) {
		int sec_id = datasec_of(s, s->maps[i]);
		if (!sec_id)
			continue;
		const struct btf_type *sec = btf__type_by_id(s->btf, (__u32)sec_id);
		const struct btf_var_secinfo *v = btf_var_secinfos(sec);
		for (int k = 0; k < btf_vlen(sec); k++) {
			if (!exposed_var(s, &v[k]))
				continue;
			const struct btf_type *var = btf__type_by_id(s->btf, v[k].type);
			int err = btf_dump__dump_type(d, var->type);
			if (err)
				return err;
		}
	}
	return 0;
}

/* struct <name>__bss { fields at their BTF offsets } *bss; */
static int emit_datasec(Skel *s, struct btf_dump *d, int i)
{
	int sec_id = datasec_of(s, s->maps[i]);
	if (!sec_id || !datasec_has_vars(s, sec_id))
		return 0;
	const struct btf_type *sec = btf__type_by_id(s->btf, (__u32)sec_id);
	const struct btf_var_secinfo *v = btf_var_secinfos(sec);
	fprintf(s->out, "\tstruct %s__%s {\n", s->name, s->map_idents[i]);
	__u32 at = 0;
	for (int k = 0; k < btf_vlen(sec); k++) {
		const char *vn = exposed_var(s, &v[k]);
		if (!vn)
			continue;
		if (v[k].offset > at)
			fprintf(s->out, "\t\tchar __pad%d[%u];\n", k, v[k].offset - at);
		const struct btf_type *var = btf__type_by_id(s->btf, v[k].type);
		/* no const/volatile: .rodata is written before load, as with bpftool */
		LIBBPF_OPTS(btf_dump_emit_type_decl_opts, o, .field_name = vn, .indent_level = 2,
			    .strip_mods = true);
		fputs("\t\t", s->out);
		int err = btf_dump__emit_type_decl(d, var->type, &o);
		if (err)
			return err;
		fputs(";\n", s->out);
		at = v[k].offset + v[k].size;
	}
	fprintf(s->out, "\t} *%s;\n", s->map_idents[i]);
	return 0;
}

/* Compile-time checks that the C layout is the BPF one (C only: in C++ the
 * section structs are nested types). */
static void emit_layout_asserts(Skel *s)
{
	fputs("#ifndef __cplusplus\n", s->out);
	for (int i = 0; i < s->nmaps; i++) {
		int sec_id = datasec_of(s, s->maps[i]);
		if (!sec_id || !datasec_has_vars(s, sec_id))
			continue;
		const struct btf_type *sec = btf__type_by_id(s->btf, (__u32)sec_id);
		const struct btf_var_secinfo *v = btf_var_secinfos(sec);
		for (int k = 0; k < btf_vlen(sec); k++) {
			const char *vn = exposed_var(s, &v[k]);
			if (!vn)
				continue;
			const char *st = s->map_idents[i];
			fprintf(s->out,
				"_Static_assert(offsetof(struct %s__%s, %s) == %u &&\n"
				"\t       sizeof(((struct %s__%s *)0)->%s) == %u,\n"
				"\t       \"unexpected layout of '%s'\");\n",
				s->name, st, vn, v[k].offset, s->name, st, vn, v[k].size, vn);
		}
	}
	fputs("#endif\n", s->out);
}

static void emit_bytes(FILE *f, const unsigned char *p, size_t n)
{
	fputs("\tstatic const char data[] __attribute__((__aligned__(8))) =\n", f);
	for (size_t i = 0; i < n; i += 16) {
		fputs("\t\t\"", f);
		for (size_t k = i; k < n && k < i + 16; k++)
			fprintf(f, "\\x%02x", p[k]);
		fputs(i + 16 >= n ? "\";\n" : "\"\n", f);
	}
	if (n == 0)
		fputs("\t\t\"\";\n", f);
}

/* NAME__open_and_load(), the same over libbpf and libpybpf. */
static void emit_open_and_load(FILE *f, const char *n)
{
	fprintf(f,
		"static inline struct %s *%s__open_and_load(void)\n{\n"
		"\tstruct %s *obj = %s__open();\n"
		"\tif (!obj)\n\t\treturn NULL;\n"
		"\tint err = %s__load(obj);\n"
		"\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n"
		"\treturn obj;\n}\n\n",
		n, n, n, n, n, n);
}

/* <name>__destroy/__create_skeleton/__open.../__detach over libbpf's skeleton API. */
static void emit_libbpf_functions(Skel *s)
{
	FILE *f = s->out;
	const char *n = s->name;
	fprintf(f,
		"static inline void %s__destroy(struct %s *obj)\n{\n"
		"\tif (!obj)\n\t\treturn;\n"
		"\tif (obj->skeleton)\n\t\tbpf_object__destroy_skeleton(obj->skeleton);\n"
		"\tfree(obj);\n}\n\n",
		n, n);

	fprintf(f,
		"static inline int %s__create_skeleton(struct %s *obj)\n{\n"
		"\tstruct bpf_object_skeleton *s =\n"
		"\t\t(struct bpf_object_skeleton *)calloc(1, sizeof(*s));\n"
		"\tif (!s)\n\t\treturn -ENOMEM;\n"
		"\tobj->skeleton = s;\n"
		"\ts->sz = sizeof(*s);\n\ts->name = \"%s\";\n\ts->obj = &obj->obj;\n",
		n, n, n);
	if (s->nmaps) {
		fprintf(f,
			"\ts->map_cnt = %d;\n\ts->map_skel_sz = sizeof(*s->maps);\n"
			"\ts->maps = (struct bpf_map_skeleton *)calloc((size_t)s->map_cnt,\n"
			"\t\t\t\t\t\t       (size_t)s->map_skel_sz);\n"
			"\tif (!s->maps)\n\t\treturn -ENOMEM;\n",
			s->nmaps);
		for (int i = 0; i < s->nmaps; i++) {
			fprintf(f,
				"\ts->maps[%d].name = \"%s\";\n\ts->maps[%d].map = &obj->maps.%s;\n",
				i, bpf_map__name(s->maps[i]), i, s->map_idents[i]);
			int sec_id = datasec_of(s, s->maps[i]);
			if (sec_id && datasec_has_vars(s, sec_id))
				fprintf(f, "\ts->maps[%d].mmaped = (void **)&obj->%s;\n", i,
					s->map_idents[i]);
		}
	}
	if (s->nprogs) {
		fprintf(f,
			"\ts->prog_cnt = %d;\n\ts->prog_skel_sz = sizeof(*s->progs);\n"
			"\ts->progs = (struct bpf_prog_skeleton *)calloc((size_t)s->prog_cnt,\n"
			"\t\t\t\t\t\t\t (size_t)s->prog_skel_sz);\n"
			"\tif (!s->progs)\n\t\treturn -ENOMEM;\n",
			s->nprogs);
		for (int i = 0; i < s->nprogs; i++) {
			const char *pn = bpf_program__name(s->progs[i]);
			fprintf(f,
				"\ts->progs[%d].name = \"%s\";\n\ts->progs[%d].prog = "
				"&obj->progs.%s;\n\ts->progs[%d].link = &obj->links.%s;\n",
				i, pn, i, pn, i, pn);
		}
	}
	fprintf(f, "\ts->data = (void *)%s__elf_bytes(&s->data_sz);\n\treturn 0;\n}\n\n", n);

	fprintf(f,
		"static inline struct %s *%s__open_opts(const struct bpf_object_open_opts *opts)\n"
		"{\n\tstruct %s *obj = (struct %s *)calloc(1, sizeof(*obj));\n"
		"\tif (!obj) {\n\t\terrno = ENOMEM;\n\t\treturn NULL;\n\t}\n"
		"\tint err = %s__create_skeleton(obj);\n"
		"\tif (!err)\n\t\terr = bpf_object__open_skeleton(obj->skeleton, opts);\n"
		"\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n"
		"\treturn obj;\n}\n\n",
		n, n, n, n, n, n);
	fprintf(f,
		"static inline struct %s *%s__open(void)\n{\n"
		"\treturn %s__open_opts(NULL);\n}\n\n"
		"static inline int %s__load(struct %s *obj)\n{\n"
		"\treturn bpf_object__load_skeleton(obj->skeleton);\n}\n\n",
		n, n, n, n, n);
	emit_open_and_load(f, n);
	fprintf(f,
		"static inline int %s__attach(struct %s *obj)\n{\n"
		"\treturn bpf_object__attach_skeleton(obj->skeleton);\n}\n\n"
		"static inline void %s__detach(struct %s *obj)\n{\n"
		"\tbpf_object__detach_skeleton(obj->skeleton);\n}\n\n",
		n, n, n, n);
}

/* Whether map i holds globals the struct points at. */
static int has_section_ptr(const Skel *s, int i)
{
	int sec_id = datasec_of(s, s->maps[i]);
	return sec_id && datasec_has_vars(s, sec_id);
}

/* The name libpybpf finds map i by: an internal map's section (".bss"),
 * whatever the object's name, else the map's name. */
static const char *lookup_name(const Skel *s, int i)
{
	const char *n = bpf_map__name(s->maps[i]);
	const char *dot = bpf_map__is_internal(s->maps[i]) ? strchr(n, '.') : NULL;
	return dot ? dot : n;
}

/* <name>__destroy/__open.../__detach over libpybpf's object API. */
static void emit_libpybpf_functions(Skel *s)
{
	FILE *f = s->out;
	const char *n = s->name;
	/* a global data section's memory after load */
	fprintf(f,
		"static inline size_t %s__section_len(const struct pybpf_map *map)\n{\n"
		"\tsize_t page = (size_t)sysconf(_SC_PAGESIZE);\n"
		"\treturn ((size_t)pybpf_map__value_size(map) + page - 1) / page * page;\n}\n\n"
		"static inline void *%s__map_section(const struct pybpf_map *map)\n{\n"
		"\tstruct pybpf_map_info info;\n"
		"\tmemset(&info, 0, sizeof(info));\n\tinfo.sz = sizeof(info);\n"
		"\tif (pybpf_map__info(map, &info) || !(info.map_flags & BPF_F_MMAPABLE))\n"
		"\t\treturn NULL;\n"
		"\tint prot = info.map_flags & BPF_F_RDONLY_PROG ? PROT_READ : PROT_READ | PROT_WRITE;\n"
		"\tvoid *p = mmap(NULL, %s__section_len(map), prot, MAP_SHARED, pybpf_map__fd(map), 0);\n"
		"\treturn p == MAP_FAILED ? NULL : p;\n}\n\n",
		n, n, n);

	fprintf(f,
		"static inline void %s__destroy(struct %s *obj)\n{\n"
		"\tif (!obj)\n\t\treturn;\n",
		n, n);
	for (int i = 0; i < s->nmaps; i++)
		if (has_section_ptr(s, i))
			fprintf(f,
				"\tif (obj->sections_mapped && obj->%s)\n"
				"\t\tmunmap(obj->%s, %s__section_len(obj->maps.%s));\n",
				s->map_idents[i], s->map_idents[i], n, s->map_idents[i]);
	fputs("\tpybpf_object__close(obj->obj);\n\tfree(obj);\n}\n\n", f);

	fprintf(f,
		"static inline struct %s *%s__open_opts(const struct pybpf_object_open_opts *opts)\n"
		"{\n\tstruct pybpf_object_open_opts o;\n"
		"\tmemset(&o, 0, sizeof(o));\n"
		"\tif (opts)\n\t\tmemcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));\n"
		"\to.sz = sizeof(o);\n"
		"\tif (!o.object_name)\n\t\to.object_name = \"%s\";\n"
		"\tstruct %s *obj = (struct %s *)calloc(1, sizeof(*obj));\n"
		"\tif (!obj) {\n\t\terrno = ENOMEM;\n\t\treturn NULL;\n\t}\n"
		"\tsize_t sz;\n\tconst void *data = %s__elf_bytes(&sz);\n"
		"\tconst void *init; /* void * in libbpf >= 1.3, const before */\n\t(void)init;\n"
		"\tobj->obj = pybpf_object__open_mem(data, sz, &o);\n"
		"\tif (!obj->obj)\n\t\tgoto fail;\n",
		n, n, n, n, n, n);
	for (int i = 0; i < s->nmaps; i++)
		fprintf(f,
			"\tif (!(obj->maps.%s = pybpf_object__find_map_by_name(obj->obj, \"%s\")))\n"
			"\t\tgoto fail;\n",
			s->map_idents[i], lookup_name(s, i));
	for (int i = 0; i < s->nprogs; i++) {
		const char *pn = bpf_program__name(s->progs[i]);
		fprintf(f,
			"\tif (!(obj->progs.%s = pybpf_object__find_program_by_name(obj->obj, "
			"\"%s\")))\n\t\tgoto fail;\n",
			pn, pn);
	}
	for (int i = 0; i < s->nmaps; i++)
		if (has_section_ptr(s, i))
			fprintf(f,
				"\tinit = bpf_map__initial_value(pybpf_map__bpf_map(obj->maps.%s), &sz);\n"
				"\tif (!init) {\n\t\terrno = ENOENT;\n\t\tgoto fail;\n\t}\n"
				"\tmemcpy(&obj->%s, &init, sizeof(init));\n",
				s->map_idents[i], s->map_idents[i]);
	fprintf(f,
		"\treturn obj;\nfail:;\n"
		"\tint err = errno;\n\t%s__destroy(obj);\n\terrno = err;\n\treturn NULL;\n}\n\n",
		n);

	fprintf(f,
		"static inline struct %s *%s__open(void)\n{\n"
		"\treturn %s__open_opts(NULL);\n}\n\n"
		"static inline int %s__load(struct %s *obj)\n{\n"
		"\tint err = pybpf_object__load(obj->obj);\n"
		"\tif (err)\n\t\treturn err;\n"
		"\tvoid *p;\n\t(void)p;\n"
		"\tobj->sections_mapped = 1;\n",
		n, n, n, n, n);
	for (int i = 0; i < s->nmaps; i++)
		if (has_section_ptr(s, i))
			fprintf(f,
				"\tp = %s__map_section(obj->maps.%s);\n"
				"\tmemcpy(&obj->%s, &p, sizeof(p));\n",
				n, s->map_idents[i], s->map_idents[i]);
	fputs("\treturn 0;\n}\n\n", f);

	emit_open_and_load(f, n);
	fprintf(f,
		"static inline int %s__attach(struct %s *obj)\n{\n"
		"\tint err = pybpf_object__attach_all(obj->obj);\n"
		"\tif (err < 0)\n\t\treturn err;\n",
		n, n);
	for (int i = 0; i < s->nprogs; i++) {
		const char *pn = bpf_program__name(s->progs[i]);
		fprintf(f, "\tobj->links.%s = pybpf_program__link(obj->progs.%s);\n", pn, pn);
	}
	fprintf(f, "\treturn 0;\n}\n\nstatic inline void %s__detach(struct %s *obj)\n{\n", n, n);
	fputs("\tpybpf_object__detach_all(obj->obj);\n", f);
	for (int i = 0; i < s->nprogs; i++)
		fprintf(f, "\tobj->links.%s = NULL;\n", bpf_program__name(s->progs[i]));
	fputs("}\n\n", f);
}

static const Flavour LIBBPF_FLAVOUR = {
	.includes = "#include <bpf/libbpf.h>\n#include <errno.h>\n#include <stddef.h>\n"
		    "#include <stdlib.h>\n\n",
	.obj_decl = "\tstruct bpf_object_skeleton *skeleton;\n\tstruct bpf_object *obj;\n",
	.map_type = "struct bpf_map",
	.prog_type = "struct bpf_program",
	.link_type = "struct bpf_link",
	.emit_functions = emit_libbpf_functions,
};

static const Flavour LIBPYBPF_FLAVOUR = {
	.includes = "#include <bpf/libbpf.h>\n#include <pybpf/libpybpf.h>\n#include <errno.h>\n"
		    "#include <stddef.h>\n#include <stdlib.h>\n#include <string.h>\n"
		    "#include <sys/mman.h>\n#include <unistd.h>\n\n",
	.obj_decl = "\tstruct pybpf_object *obj;\n"
		    "\tint sections_mapped; /* set by load: the section pointers are mmaps */\n",
	.map_type = "struct pybpf_map",
	.prog_type = "struct pybpf_program",
	.link_type = "struct pybpf_link",
	.emit_functions = emit_libpybpf_functions,
};

static int emit_header(Skel *s, const void *data, size_t len)
{
	FILE *f = s->out;
	const char *n = s->name;
	const Flavour *fl = s->flavour;
	char guard[256];
	size_t g = 0;
	for (const char *p = n; *p && g < sizeof guard - 16; p++)
		guard[g++] = (char)toupper((unsigned char)*p);
	guard[g] = 0;
	fprintf(f,
		"/* Generated by pybpf gen skeleton: do not edit. */\n"
		"#ifndef %s_SKEL_H\n#define %s_SKEL_H\n\n%s",
		guard, guard, fl->includes);

	struct btf_dump *d = NULL;
	if (s->btf) {
		d = btf_dump__new(s->btf, dump_printf, f, NULL);
		if (!d)
			return -errno;
		int err = emit_var_types(s, d);
		if (err) {
			btf_dump__free(d);
			return err;
		}
	}
	fprintf(f, "struct %s {\n%s", n, fl->obj_decl);
	if (s->nmaps) {
		fputs("\tstruct {\n", f);
		for (int i = 0; i < s->nmaps; i++)
			fprintf(f, "\t\t%s *%s;\n", fl->map_type, s->map_idents[i]);
		fputs("\t} maps;\n", f);
	}
	if (s->nprogs) {
		fputs("\tstruct {\n", f);
		for (int i = 0; i < s->nprogs; i++)
			fprintf(f, "\t\t%s *%s;\n", fl->prog_type, bpf_program__name(s->progs[i]));
		fputs("\t} progs;\n\tstruct {\n", f);
		for (int i = 0; i < s->nprogs; i++)
			fprintf(f, "\t\t%s *%s;\n", fl->link_type, bpf_program__name(s->progs[i]));
		fputs("\t} links;\n", f);
	}
	for (int i = 0; i < s->nmaps && d; i++) {
		int err = emit_datasec(s, d, i);
		if (err) {
			btf_dump__free(d);
			return err;
		}
	}
	btf_dump__free(d);
	fputs("};\n\n", f);
	emit_layout_asserts(s);

	fprintf(f, "\nstatic inline const void *%s__elf_bytes(size_t *sz)\n{\n", n);
	emit_bytes(f, data, len);
	fputs("\t*sz = sizeof(data) - 1;\n\treturn (const void *)data;\n}\n\n", f);
	fl->emit_functions(s);
	fprintf(f, "#endif /* %s_SKEL_H */\n", guard);
	return 0;
}

/* The default name: "dir/prog.bpf.o" and "dir/prog.py" give "prog_bpf". */
static char *default_name(const char *input)
{
	const char *base = strrchr(input, '/');
	base = base ? base + 1 : input;
	if (strcmp(input, "-") == 0)
		base = "stdin";
	size_t n = strlen(base);
	char *name = malloc(n + 8);
	if (!name)
		return NULL;
	memcpy(name, base, n + 1);
	if (n > 3 && strcmp(name + n - 3, ".py") == 0) {
		name[n -= 3] = 0;
		if (!(n > 4 && strcmp(name + n - 4, ".bpf") == 0))
			strcat(name, ".bpf");
	} else if (n > 2 && strcmp(name + n - 2, ".o") == 0) {
		name[n - 2] = 0;
	}
	for (char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	if (isdigit((unsigned char)name[0]))
		name[0] = '_';
	return name;
}

static int valid_ident(const char *s)
{
	if (!*s || isdigit((unsigned char)*s))
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int libbpf_warnings(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level != LIBBPF_WARN)
		return 0;
	fputs("libbpf: ", stderr);
	return vfprintf(stderr, fmt, ap);
}

/* Opens the object and writes its header to `out`; returns the exit status. */
static int gen_skeleton(const char *input, const char *name, const Flavour *flavour,
			const void *data, size_t len, FILE *out)
{
	libbpf_set_print(libbpf_warnings);
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = name);
	Skel s = {.flavour = flavour, .name = name, .out = out};
	s.obj = bpf_object__open_mem(data, len, &oo);
	if (!s.obj) {
		fprintf(stderr, "pybpf: error: '%s' is not a BPF object libbpf can open: %s\n",
			input, strerror(errno));
		return 1;
	}
	s.btf = bpf_object__btf(s.obj);
	int status = 0;
	struct bpf_map *m;
	bpf_object__for_each_map (m, s.obj) {
		if (s.nmaps == MAX_ITEMS)
			break;
		s.maps[s.nmaps] = m;
		s.map_idents[s.nmaps++] = map_ident(m);
	}
	struct bpf_program *p;
	bpf_object__for_each_program (p, s.obj) {
		if (s.nprogs < MAX_ITEMS)
			s.progs[s.nprogs++] = p;
	}
	for (int i = 0; i < s.nmaps; i++)
		if (!s.map_idents[i])
			status = 2;
	if (status == 0) {
		int err = emit_header(&s, data, len);
		if (err) {
			fprintf(stderr,
				"pybpf: internal error: cannot describe the globals of '%s': %s\n",
				input, strerror(-err));
			status = 1;
		}
	}
	for (int i = 0; i < s.nmaps; i++)
		free(s.map_idents[i]);
	bpf_object__close(s.obj);
	return status;
}

/* pybpf gen skeleton FILE [--name NAME] [--libpybpf] [-o OUT] [compile options] */
int cli_gen(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "skeleton") != 0)
		return cli_usage_error("%s", argc < 2 ? "gen needs a kind ('skeleton')"
						      : "unknown gen kind (use 'skeleton')");
	LIBPYBPF_OPTS(pybpf_compile_opts, opts);
	const char *input = NULL, *output = "-", *name = NULL;
	const Flavour *flavour = &LIBBPF_FLAVOUR;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, &opts);
		if (r < 0)
			return 2;
		if (r > 0)
			continue;
		if (strcmp(a, "-o") == 0 || strcmp(a, "--name") == 0 || strcmp(a, "name") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error("%s needs a %s", a,
						       a[0] == '-' && a[1] == 'o' ? "file name"
										  : "value");
			if (a[1] == 'o')
				output = argv[++i];
			else
				name = argv[++i];
		} else if (strncmp(a, "--name=", 7) == 0) {
			name = a + 7;
		} else if (strcmp(a, "--libpybpf") == 0) {
			flavour = &LIBPYBPF_FLAVOUR;
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a);
		} else if (input) {
			return cli_usage_error("more than one input file ('%s')", a);
		} else {
			input = a;
		}
	}
	if (!input)
		return cli_usage_error("%s", "gen skeleton needs an object or a .py file");
	if (name && !valid_ident(name))
		return cli_usage_error("skeleton name '%s' is not a C identifier", name);
	size_t len;
	char *src = cli_read_file(input, &len);
	if (!src)
		return 2;
	char *name_alloc = name ? NULL : default_name(input);
	if (!name)
		name = name_alloc;
	int status = 2;
	struct pybpf_result *res = NULL;
	const void *obj = src;
	size_t obj_len = len;
	if (!(len >= 4 && memcmp(src,
				 "\x7f"
				 "ELF",
				 4) == 0)) {
		/* Python source: compile it in memory */
		opts.filename = strcmp(input, "-") == 0 ? "<stdin>" : input;
		int rc = pybpf_compile(src, len, &opts, &res);
		fputs(pybpf_result__diags_text(res), stderr);
		obj = rc == 0 ? pybpf_result__output(res, &obj_len) : NULL;
		if (!obj)
			status = rc == 1 ? 1 : 2;
	}
	if (obj && name) {
		char *text = NULL;
		size_t tlen = 0;
		FILE *f = open_memstream(&text, &tlen);
		if (f) {
			status = gen_skeleton(input, name, flavour, obj, obj_len, f);
			if (fclose(f) != 0 && status == 0)
				status = 2;
			if (status == 0 && cli_write_output(output, text, tlen))
				status = 2;
		}
		free(text);
	}
	pybpf_result__free(res);
	free(name_alloc);
	free(src);
	return status;
}
