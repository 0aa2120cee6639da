/*
 * internal.h - what the files of libpybpf share and users never see: the
 * layout of the handles, the message and error helpers, opts validation.
 */
#ifndef PYBPF_RUNTIME_INTERNAL_H
#define PYBPF_RUNTIME_INTERNAL_H

#include "pybpf/libpybpf.h"

#include <errno.h>
#include <stddef.h>

struct bpf_object;
struct bpf_program;
struct bpf_map;
struct bpf_link;

/* A growable NUL-terminated string (the captured load log). */
struct strbuf {
	char *buf;
	size_t len, cap;
};

struct pybpf_program {
	struct pybpf_object *obj;
	struct bpf_program *prog;
	struct pybpf_link *link; /* made by pybpf_object__attach_all(), or NULL */
};

struct pybpf_map {
	struct pybpf_object *obj;
	struct bpf_map *map;
};

struct pybpf_object {
	struct bpf_object *obj;
	void *elf_copy; /* open_mem's bytes: libbpf reads them until load */
	struct pybpf_program *progs;
	size_t prog_cnt;
	struct pybpf_map *maps;
	size_t map_cnt;
	struct strbuf log; /* libbpf's messages during open and load */
};

struct pybpf_link {
	struct bpf_link *link;
};

/* ---- log.c ---- */

/* Sends a message to the user's print callback. */
void pybpf_pr(enum pybpf_print_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define pr_warn(fmt, ...)  pybpf_pr(PYBPF_WARN, "pybpf: " fmt "\n", ##__VA_ARGS__)
#define pr_info(fmt, ...)  pybpf_pr(PYBPF_INFO, "pybpf: " fmt "\n", ##__VA_ARGS__)
#define pr_debug(fmt, ...) pybpf_pr(PYBPF_DEBUG, "pybpf: " fmt "\n", ##__VA_ARGS__)

/* Routes libbpf's messages through pybpf's callback (idempotent). */
void pybpf_hook_libbpf(void);
/* Between begin and end, warnings and info printed on this thread (by libbpf
 * or by us) are also appended to sb. Captures do not nest. */
void pybpf_capture_begin(struct strbuf *sb);
void pybpf_capture_end(void);

void strbuf_free(struct strbuf *sb);

/* ---- trace.c ---- */

/* Finds the directory holding trace_pipe, mounting tracefs (or debugfs)
 * when missing; 0 or -errno. */
int pybpf_tracing_dir(const char **dir);

/* ---- errors ---- */

/* Returns ret unchanged; a negative ret also goes to errno (as -ret). */
static inline int pybpf_err(int ret)
{
	if (ret < 0)
		errno = -ret;
	return ret;
}

/* Sets errno to -err (err < 0) and returns NULL. */
static inline void *pybpf_err_ptr(int err)
{
	errno = -err;
	return NULL;
}

/* ---- opts ---- */

#define offsetofend(TYPE, FIELD) (offsetof(TYPE, FIELD) + sizeof(((TYPE *)0)->FIELD))

/*
 * An opts struct is valid when it is NULL, or its sz covers at least sz
 * itself and every byte beyond the fields this library knows is zero (a
 * newer caller may pass a bigger struct, as long as it sets nothing new).
 */
int pybpf_validate_opts(const void *opts, size_t known_sz, const char *type_name);
#define OPTS_VALID(opts, type) \
	(!(opts) ||            \
	 pybpf_validate_opts((opts), offsetofend(struct type, type##__last_field), #type))
#define OPTS_HAS(opts, field)		((opts) && (opts)->sz >= offsetofend(__typeof__(*(opts)), field))
#define OPTS_GET(opts, field, fallback) (OPTS_HAS(opts, field) ? (opts)->field : (fallback))

#endif
