/*
 * object.c - BPF objects: open (from memory or a file), load, close, find and
 * iterate their programs and maps, attach all programs at once.
 *
 * A pybpf_object wraps a libbpf bpf_object. At open time it builds one
 * pybpf_program per bpf_program and one pybpf_map per bpf_map, in libbpf's
 * (ELF) order; these arrays never change afterwards, so handles stay valid
 * until close. libbpf's messages during open and load are captured into the
 * object's log (see log.c), which is how a failed load explains itself.
 */
#include "global.h"
#include "internal.h"

#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds the program and map wrappers of a freshly opened object. */
static int wrap_contents(struct pybpf_object *o)
{
	struct bpf_program *prog = NULL;
	struct bpf_map *map = NULL;
	size_t n = 0;

	while ((prog = bpf_object__next_program(o->obj, prog)))
		n++;
	o->progs = calloc(n ? n : 1, sizeof(*o->progs));
	if (!o->progs)
		return -ENOMEM;
	while ((prog = bpf_object__next_program(o->obj, prog))) {
		o->progs[o->prog_cnt].obj = o;
		o->progs[o->prog_cnt].prog = prog;
		o->prog_cnt++;
	}

	n = 0;
	while ((map = bpf_object__next_map(o->obj, map)))
		n++;
	o->maps = calloc(n ? n : 1, sizeof(*o->maps));
	if (!o->maps)
		return -ENOMEM;
	while ((map = bpf_object__next_map(o->obj, map))) {
		o->maps[o->map_cnt].obj = o;
		o->maps[o->map_cnt].map = map;
		o->map_cnt++;
	}
	return 0;
}

/*
 * The part open_mem and open_file share. `copy` (may be NULL) is the ELF
 * image the object owns from now on, whatever happens.
 */
static struct pybpf_object *open_common(const char *path, void *copy, size_t size,
					const struct pybpf_object_open_opts *opts)
{
	LIBBPF_OPTS(bpf_object_open_opts, lopts);
	struct pybpf_object *o;
	int err;

	o = calloc(1, sizeof(*o));
	if (!o) {
		free(copy);
		return pybpf_err_ptr(-ENOMEM);
	}
	o->elf_copy = copy;
	lopts.object_name = OPTS_GET(opts, object_name, NULL);
	lopts.kernel_log_level = OPTS_GET(opts, kernel_log_level, 0);
	lopts.pin_root_path = OPTS_GET(opts, pin_root_path, NULL);
	lopts.btf_custom_path = OPTS_GET(opts, btf_custom_path, NULL);

	pybpf_hook_libbpf();
	pybpf_capture_begin(&o->log);
	if (path)
		o->obj = bpf_object__open_file(path, &lopts);
	else
		o->obj = bpf_object__open_mem(copy, size, &lopts);
	err = o->obj ? 0 : -errno;
	pybpf_capture_end();
	if (err) {
		pr_warn("failed to open %s: %s", path ? path : "object from memory",
			strerror(-err));
		goto fail;
	}
	err = wrap_contents(o);
	if (err)
		goto fail;
	return o;
fail:
	pybpf_object__close(o);
	return pybpf_err_ptr(err);
}

/*
 * A copy of the ELF file at path, kept by the object so that
 * pybpf_object__load_error() can read its line info; NULL (no line info
 * then) if it cannot be read. libbpf opens the file itself.
 */
static void *read_image(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size)) && fread(buf, 1, (size_t)size, f) != (size_t)size) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

struct pybpf_object *pybpf_object__open_mem(const void *buf, size_t size,
					    const struct pybpf_object_open_opts *opts)
{
	void *copy;

	if (!buf || size == 0)
		return pybpf_err_ptr(-EINVAL);
	if (!OPTS_VALID(opts, pybpf_object_open_opts))
		return pybpf_err_ptr(-EINVAL);
	copy = malloc(size);
	if (!copy)
		return pybpf_err_ptr(-ENOMEM);
	memcpy(copy, buf, size);
	return open_common(NULL, copy, size, opts);
}

struct pybpf_object *pybpf_object__open_file(const char *path,
					     const struct pybpf_object_open_opts *opts)
{
	if (!path)
		return pybpf_err_ptr(-EINVAL);
	if (!OPTS_VALID(opts, pybpf_object_open_opts))
		return pybpf_err_ptr(-EINVAL);
	return open_common(path, read_image(path), 0, opts);
}

int pybpf_object__load(struct pybpf_object *obj)
{
	int err;

	if (!obj)
		return pybpf_err(-EINVAL);
	obj->load_tried = true;
	pybpf_capture_begin(&obj->log);
	err = bpf_object__load(obj->obj); /* 0 or -errno */
	pybpf_capture_end();
	if (err)
		pr_warn("object '%s': load failed: %s", bpf_object__name(obj->obj), strerror(-err));
	return pybpf_err(err);
}

void pybpf_object__close(struct pybpf_object *obj)
{
	int saved = errno;

	if (!obj)
		return;
	pybpf_object__detach_all(obj);
	pybpf_globals_release(obj);
	bpf_object__close(obj->obj);
	free(obj->progs);
	free(obj->maps);
	free(obj->elf_copy);
	strbuf_free(&obj->log);
	free(obj);
	errno = saved;
}

const char *pybpf_object__name(const struct pybpf_object *obj)
{
	return obj ? bpf_object__name(obj->obj) : NULL;
}

const char *pybpf_object__load_log(const struct pybpf_object *obj)
{
	if (!obj)
		return NULL;
	return obj->log.buf ? obj->log.buf : "";
}

size_t pybpf_object__program_cnt(const struct pybpf_object *obj)
{
	return obj ? obj->prog_cnt : 0;
}

size_t pybpf_object__map_cnt(const struct pybpf_object *obj)
{
	return obj ? obj->map_cnt : 0;
}

struct pybpf_program *pybpf_object__next_program(const struct pybpf_object *obj,
						 const struct pybpf_program *prev)
{
	size_t i;

	if (!obj)
		return NULL;
	i = prev ? (size_t)(prev - obj->progs) + 1 : 0;
	return i < obj->prog_cnt ? &obj->progs[i] : NULL;
}

struct pybpf_map *pybpf_object__next_map(const struct pybpf_object *obj,
					 const struct pybpf_map *prev)
{
	size_t i;

	if (!obj)
		return NULL;
	i = prev ? (size_t)(prev - obj->maps) + 1 : 0;
	return i < obj->map_cnt ? &obj->maps[i] : NULL;
}

/* Lookups go through libbpf, which knows the name rules (".rodata" for
 * "<object>.rodata", ...), then back to our wrapper. */
struct pybpf_program *pybpf_object__find_program_by_name(const struct pybpf_object *obj,
							 const char *name)
{
	struct bpf_program *prog;
	size_t i;

	if (!obj || !name)
		return pybpf_err_ptr(-EINVAL);
	prog = bpf_object__find_program_by_name(obj->obj, name);
	for (i = 0; prog && i < obj->prog_cnt; i++) {
		if (obj->progs[i].prog == prog)
			return &obj->progs[i];
	}
	return pybpf_err_ptr(-ENOENT);
}

struct pybpf_map *pybpf_object__find_map_by_name(const struct pybpf_object *obj, const char *name)
{
	struct bpf_map *map;
	size_t i;

	if (!obj || !name)
		return pybpf_err_ptr(-EINVAL);
	map = bpf_object__find_map_by_name(obj->obj, name);
	for (i = 0; map && i < obj->map_cnt; i++) {
		if (obj->maps[i].map == map)
			return &obj->maps[i];
	}
	return pybpf_err_ptr(-ENOENT);
}

int pybpf_object__attach_all(struct pybpf_object *obj)
{
	int attached = 0;
	size_t i;

	if (!obj)
		return pybpf_err(-EINVAL);
	for (i = 0; i < obj->prog_cnt; i++) {
		struct pybpf_program *p = &obj->progs[i];
		const char *name = bpf_program__name(p->prog);
		int err;

		if (p->link) { /* attached by an earlier call */
			attached++;
			continue;
		}
		if (!bpf_program__autoload(p->prog) || !bpf_program__autoattach(p->prog))
			continue;
		p->link = pybpf_program__attach(p);
		if (p->link) {
			attached++;
			continue;
		}
		err = -errno;
		if (err == -EOPNOTSUPP) {
			/* libbpf cannot attach this section on its own */
			pr_debug("prog '%s': section '%s' has no auto-attach, skipped", name,
				 bpf_program__section_name(p->prog));
			continue;
		}
		pybpf_object__detach_all(obj);
		pr_warn("object '%s': attach_all failed at prog '%s' (%s); detached all",
			bpf_object__name(obj->obj), name, strerror(-err));
		return pybpf_err(err);
	}
	return attached;
}

void pybpf_object__detach_all(struct pybpf_object *obj)
{
	size_t i;

	if (!obj)
		return;
	for (i = obj->prog_cnt; i-- > 0;) {
		pybpf_link__destroy(obj->progs[i].link);
		obj->progs[i].link = NULL;
	}
}

struct bpf_object *pybpf_object__bpf_object(const struct pybpf_object *obj)
{
	return obj ? obj->obj : NULL;
}

#ifndef PYBPF_VERSION
#error "PYBPF_VERSION (the CMake project version) must be defined"
#endif

/* The compiler library (pybpf/compile.h) defines the same function with the
 * same version; weak here so a program may link both libraries. */
__attribute__((weak)) const char *pybpf_version(void)
{
	return PYBPF_VERSION;
}

const char *pybpf_libbpf_version(void)
{
	static char version[32];

	if (!version[0])
		snprintf(version, sizeof(version), "%u.%u", libbpf_major_version(),
			 libbpf_minor_version());
	return version;
}
