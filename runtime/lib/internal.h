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

/*
 * A map of an object (map set, obj set) or one opened from a pin with
 * pybpf_map__open_pinned() (map NULL, obj NULL: then fd and the fields
 * below, from the kernel, describe it).
 */
struct pybpf_map {
	struct pybpf_object *obj;
	struct bpf_map *map;
	int fd;
	__u32 type, key_size, value_size, max_entries;
	char name[BPF_OBJ_NAME_LEN];
};

struct pybpf_object {
	struct bpf_object *obj;
	void *elf_copy; /* open_mem's bytes: libbpf reads them until load */
	struct pybpf_program *progs;
	size_t prog_cnt;
	struct pybpf_map *maps;
	size_t map_cnt;
	struct strbuf log;		    /* libbpf's messages during open and load */
	bool load_tried;		    /* load was called (libbpf allows it once) */
	struct pybpf_global_table *globals; /* global.c's, built on first use */
};

/* How a link detaches (link.c has one entry per kind). */
enum pybpf_link_kind {
	PYBPF_LINK_BPF,	   /* a libbpf bpf_link (BPF link, perf event, ...) */
	PYBPF_LINK_XDP,	   /* XDP through netlink, with flags */
	PYBPF_LINK_TC,	   /* a tc filter on a clsact qdisc */
	PYBPF_LINK_SOCKET, /* SO_ATTACH_BPF on a socket */
	PYBPF_LINK_KIND_CNT,
};

struct pybpf_link {
	enum pybpf_link_kind kind;
	struct bpf_link *link; /* PYBPF_LINK_BPF */
	int fd;		       /* XDP, TC: our copy of the program fd; SOCKET: of the socket */
	int ifindex;	       /* XDP, TC */
	__u32 xdp_flags;       /* XDP */
	__u32 tc_attach_point; /* TC: BPF_TC_INGRESS or BPF_TC_EGRESS */
	__u32 tc_handle, tc_priority;
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

/* ---- program.c, link.c ---- */

/* The fd of a loaded program, or -EBADF with a message. */
int pybpf_prog_loaded_fd(const struct pybpf_program *prog);
/* Wraps a libbpf link (NULL: returns NULL with errno unchanged). */
struct pybpf_link *pybpf_link_new(enum pybpf_link_kind kind, struct bpf_link *bl);
/* tc: the clsact qdiscs this process created, counted by live tc links. */
void pybpf_tc_qdisc_get(int ifindex, int created);
int pybpf_tc_qdisc_put(int ifindex); /* 1: the last user of a qdisc we created */

/* ---- map.c ---- */

/* Names for messages. */
const char *pybpf_map_name(const struct pybpf_map *map);

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
