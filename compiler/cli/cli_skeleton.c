/*
 * cli_skeleton.c - `pybpf gen skeleton`: a C header in the style of
 * `bpftool gen skeleton` for a BPF object (or a .py compiled in memory).
 *
 * The header embeds the object's bytes and declares `struct <name>` with one
 * member per map, program and link, plus one pointer per global data section
 * (.bss, .data, .rodata) to a struct whose fields are the section's global
 * variables, laid out from BTF; <name>__open/__load/__open_and_load/
 * __attach/__detach/__destroy wrap libbpf's skeleton API
 * (bpf_object__open_skeleton and friends), so the header needs nothing but
 * <bpf/libbpf.h>.
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

typedef struct Skel {
	const char *name;
	struct bpf_object *obj;
	const struct btf *btf;
	FILE *out;
	struct bpf_map *maps[MAX_ITEMS];
	char *map_idents[MAX_ITEMS];
	int nmaps;
	struct bpf_program *progs[MAX_ITEMS];
	int nprogs;
} Skel;

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

static int emit_header(Skel *s, const void *data, size_t len)
{
	FILE *f = s->out;
	const char *n = s->name;
	char guard[256];
	size_t g = 0;
	for (const char *p = n; *p && g < sizeof guard - 16; p++)
		guard[g++] = (char)toupper((unsigned char)*p);
	guard[g] = 0;
	fprintf(f,
		"/* Generated by pybpf gen skeleton: do not edit. */\n"
		"#ifndef %s_SKEL_H\n#define %s_SKEL_H\n\n"
		"#include <bpf/libbpf.h>\n#include <errno.h>\n#include <stddef.h>\n"
		"#include <stdlib.h>\n\n",
		guard, guard);

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
	fprintf(f,
		"struct %s {\n\tstruct bpf_object_skeleton *skeleton;\n"
		"\tstruct bpf_object *obj;\n",
		n);
	if (s->nmaps) {
		fputs("\tstruct {\n", f);
		for (int i = 0; i < s->nmaps; i++)
			fprintf(f, "\t\tstruct bpf_map *%s;\n", s->map_idents[i]);
		fputs("\t} maps;\n", f);
	}
	if (s->nprogs) {
		fputs("\tstruct {\n", f);
		for (int i = 0; i < s->nprogs; i++)
			fprintf(f, "\t\tstruct bpf_program *%s;\n", bpf_program__name(s->progs[i]));
		fputs("\t} progs;\n\tstruct {\n", f);
		for (int i = 0; i < s->nprogs; i++)
			fprintf(f, "\t\tstruct bpf_link *%s;\n", bpf_program__name(s->progs[i]));
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
	fprintf(f,
		"static inline struct %s *%s__open_and_load(void)\n{\n"
		"\tstruct %s *obj = %s__open();\n"
		"\tif (!obj)\n\t\treturn NULL;\n"
		"\tint err = %s__load(obj);\n"
		"\tif (err) {\n\t\t%s__destroy(obj);\n\t\terrno = -err;\n\t\treturn NULL;\n\t}\n"
		"\treturn obj;\n}\n\n",
		n, n, n, n, n, n);
	fprintf(f,
		"static inline int %s__attach(struct %s *obj)\n{\n"
		"\treturn bpf_object__attach_skeleton(obj->skeleton);\n}\n\n"
		"static inline void %s__detach(struct %s *obj)\n{\n"
		"\tbpf_object__detach_skeleton(obj->skeleton);\n}\n\n",
		n, n, n, n);
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
static int gen_skeleton(const char *input, const char *name, const void *data, size_t len,
			FILE *out)
{
	libbpf_set_print(libbpf_warnings);
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = name);
	Skel s = {.name = name, .out = out};
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

/* pybpf gen skeleton FILE [--name NAME] [-o OUT] [compile options] */
int cli_gen(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "skeleton") != 0)
		return cli_usage_error("%s", argc < 2 ? "gen needs a kind ('skeleton')"
						      : "unknown gen kind (use 'skeleton')");
	LIBPYBPF_OPTS(pybpf_compile_opts, opts);
	const char *input = NULL, *output = "-", *name = NULL;
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
			status = gen_skeleton(input, name, obj, obj_len, f);
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
