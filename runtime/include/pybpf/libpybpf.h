/*
 * pybpf/libpybpf.h - the pybpf loader runtime: a C library over libbpf.
 *
 * It opens BPF ELF objects (the bytes the pybpf compiler hands over, or a
 * file), loads them into the kernel, attaches their programs, and reads their
 * maps, ring buffers, perf buffers and the kernel's trace_pipe.
 *
 * Conventions (libbpf's):
 *  - names are pybpf_<type>__<verb>;
 *  - functions returning int return 0 (or a count) on success and a negative
 *    errno on failure, and also set errno; functions returning a pointer
 *    return NULL and set errno on failure;
 *  - options structs carry their own size in `sz`; declare them with
 *    LIBPYBPF_OPTS(type, name, .field = value, ...). A NULL opts pointer means
 *    all defaults;
 *  - every open/new has a close/free that accepts NULL;
 *  - the library never prints and never exits: messages (its own and
 *    libbpf's) go through the print callback set with pybpf_set_print().
 *
 *	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .object_name = "prog");
 *	struct pybpf_object *obj = pybpf_object__open_mem(buf, size, &opts);
 *	if (!obj || pybpf_object__load(obj) < 0)
 *		... errno, pybpf_object__load_log(obj) ...
 *	pybpf_object__attach_all(obj);
 *	...
 *	pybpf_object__close(obj);
 *
 * Ownership: programs and maps belong to their object and live until
 * pybpf_object__close(); links made by pybpf_object__attach_all() belong to
 * the object too. Ring and perf buffers belong to the caller and must be
 * freed before the object whose maps they read is closed. Links from
 * pybpf_program__attach() and line info lists belong to the caller and may
 * outlive the object (an attached program stays in the kernel until its
 * link is destroyed).
 *
 * The library installs its own libbpf print callback (libbpf_set_print) the
 * first time it opens an object or pybpf_set_print() is called; a program
 * that also uses libbpf directly should not replace it. Threads: one object
 * (and what belongs to it) must be used by one thread at a time; set the
 * print callback before several threads use the library.
 */
#ifndef PYBPF_LIBPYBPF_H
#define PYBPF_LIBPYBPF_H

#include <linux/bpf.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LIBPYBPF_API
#define LIBPYBPF_API __attribute__((visibility("default")))
#endif

/* Declares and zero-fills an opts struct, setting its sz, like LIBBPF_OPTS.
 * (The same definition as in pybpf/compile.h; either header may come first.) */
#ifndef LIBPYBPF_OPTS
#define LIBPYBPF_OPTS(TYPE, NAME, ...)                                 \
	struct TYPE NAME = ({                                          \
		memset(&NAME, 0, sizeof(struct TYPE));                 \
		(struct TYPE){.sz = sizeof(struct TYPE), __VA_ARGS__}; \
	})
#endif

/* ---- messages ---------------------------------------------------------- */

enum pybpf_print_level {
	PYBPF_WARN,
	PYBPF_INFO,
	PYBPF_DEBUG,
};

typedef int (*pybpf_print_fn_t)(enum pybpf_print_level level, const char *format, va_list args);

/*
 * Sets the callback that receives every message of the library and of libbpf
 * (libbpf's start with "libbpf: ", ours with "pybpf: "); returns the previous
 * one. NULL silences everything. The default prints warnings and info to
 * stderr, like libbpf's.
 */
LIBPYBPF_API pybpf_print_fn_t pybpf_set_print(pybpf_print_fn_t fn);

/* Describes an error code (errno or libbpf's LIBBPF_ERRNO__*; either sign). */
LIBPYBPF_API int pybpf_strerror(int err, char *buf, size_t size);

/* ---- objects ----------------------------------------------------------- */

struct pybpf_object;
struct pybpf_program;
struct pybpf_map;
struct pybpf_link;

struct pybpf_object_open_opts {
	size_t sz; /* sizeof(struct pybpf_object_open_opts) */
	/* Object name. Default: the file's base name up to the first '.' for
	 * open_file, libbpf's "<address>-<size>" for open_mem. Internal maps
	 * (.rodata, .bss) are named after it. */
	const char *object_name;
};
#define pybpf_object_open_opts__last_field object_name

/*
 * Opens an ELF object from `size` bytes at `buf`. The bytes are copied, so
 * the caller may free them as soon as this returns. Nothing is loaded into
 * the kernel yet: this needs no privileges.
 */
LIBPYBPF_API struct pybpf_object *pybpf_object__open_mem(const void *buf, size_t size,
							 const struct pybpf_object_open_opts *opts);
LIBPYBPF_API struct pybpf_object *
pybpf_object__open_file(const char *path, const struct pybpf_object_open_opts *opts);

/*
 * Creates the maps and loads every program into the kernel (the verifier
 * runs here). On failure the messages of libbpf and the verifier log of the
 * rejected program are kept; see pybpf_object__load_log().
 */
LIBPYBPF_API int pybpf_object__load(struct pybpf_object *obj);

/* Detaches the object's attach_all links, unloads and frees. NULL is a no-op. */
LIBPYBPF_API void pybpf_object__close(struct pybpf_object *obj);

LIBPYBPF_API const char *pybpf_object__name(const struct pybpf_object *obj);

/*
 * Warnings and information libbpf printed while opening and loading this
 * object, in order, including the kernel verifier's log of a program it
 * rejected (between "-- BEGIN PROG LOAD LOG --" and "-- END PROG LOAD LOG
 * --"). "" when there were none. Valid until the object is closed.
 */
LIBPYBPF_API const char *pybpf_object__load_log(const struct pybpf_object *obj);

/* Iteration in ELF order: pass NULL to get the first; NULL after the last. */
LIBPYBPF_API struct pybpf_program *pybpf_object__next_program(const struct pybpf_object *obj,
							      const struct pybpf_program *prev);
LIBPYBPF_API struct pybpf_map *pybpf_object__next_map(const struct pybpf_object *obj,
						      const struct pybpf_map *prev);
LIBPYBPF_API size_t pybpf_object__program_cnt(const struct pybpf_object *obj);
LIBPYBPF_API size_t pybpf_object__map_cnt(const struct pybpf_object *obj);

#define pybpf_object__for_each_program(pos, obj)                             \
	for ((pos) = pybpf_object__next_program((obj), NULL); (pos) != NULL; \
	     (pos) = pybpf_object__next_program((obj), (pos)))
#define pybpf_object__for_each_map(pos, obj)                             \
	for ((pos) = pybpf_object__next_map((obj), NULL); (pos) != NULL; \
	     (pos) = pybpf_object__next_map((obj), (pos)))

/* By function name (programs) or map name (also ".rodata", ".bss", ...).
 * NULL with errno ENOENT when there is none. */
LIBPYBPF_API struct pybpf_program *
pybpf_object__find_program_by_name(const struct pybpf_object *obj, const char *name);
LIBPYBPF_API struct pybpf_map *pybpf_object__find_map_by_name(const struct pybpf_object *obj,
							      const char *name);

/*
 * Attaches every loaded program whose section name tells libbpf how to attach
 * it (tracepoint/..., raw_tracepoint/..., uprobe/path:func, ...); programs
 * libbpf cannot auto-attach (xdp, tc, socket, a bare "kprobe", ...) and
 * programs with autoload or autoattach turned off are skipped. The object
 * owns the links (see pybpf_program__link()). Returns the number of programs
 * attached. All or nothing: if one attach fails, every link attach_all made
 * for this object is destroyed before the error is returned.
 */
LIBPYBPF_API int pybpf_object__attach_all(struct pybpf_object *obj);
/* Destroys the links made by pybpf_object__attach_all(). */
LIBPYBPF_API void pybpf_object__detach_all(struct pybpf_object *obj);

/* The underlying libbpf object, for what this library does not wrap yet. */
LIBPYBPF_API struct bpf_object *pybpf_object__bpf_object(const struct pybpf_object *obj);

/* ---- programs ---------------------------------------------------------- */

LIBPYBPF_API const char *pybpf_program__name(const struct pybpf_program *prog);
LIBPYBPF_API const char *pybpf_program__section_name(const struct pybpf_program *prog);
LIBPYBPF_API enum bpf_prog_type pybpf_program__type(const struct pybpf_program *prog);
/* The program's fd once loaded; a negative errno before. */
LIBPYBPF_API int pybpf_program__fd(const struct pybpf_program *prog);
LIBPYBPF_API struct pybpf_object *pybpf_program__object(const struct pybpf_program *prog);
LIBPYBPF_API struct bpf_program *pybpf_program__bpf_program(const struct pybpf_program *prog);

/* What the kernel reports about a loaded program. */
struct pybpf_prog_info {
	size_t sz;		     /* set by the caller: sizeof(struct pybpf_prog_info) */
	__u32 id;		     /* kernel program id */
	__u32 type;		     /* enum bpf_prog_type */
	__u32 btf_id;		     /* kernel id of the program's BTF; 0 without BTF */
	__u32 nr_func_info;	     /* BTF func info records (one per function) */
	__u32 nr_line_info;	     /* BTF line info records (source line table) */
	__u32 xlated_insn_cnt;	     /* BPF instructions after the verifier's rewrites */
	__u32 jited_len;	     /* bytes of JIT-compiled machine code (0 if not JITed) */
	__u32 nr_jited_funcs;	     /* JIT-compiled functions (main program + subprograms) */
	__u32 verified_insns;	     /* instructions the verifier processed */
	__u64 run_cnt;		     /* runs and total run time: only counted while */
	__u64 run_time_ns;	     /* kernel.bpf_stats_enabled=1 */
	char name[BPF_OBJ_NAME_LEN]; /* kernel name (the function name, maybe truncated) */
};

/* Fills *info (up to info->sz bytes, so older callers keep working).
 * The program must be loaded. */
LIBPYBPF_API int pybpf_program__info(const struct pybpf_program *prog,
				     struct pybpf_prog_info *info);

/* One entry of a loaded program's line table, as the kernel holds it. */
struct pybpf_line {
	__u32 insn_off;	  /* first (xlated) instruction of this line */
	__u32 line;	  /* 1-based source line; 0 when unknown */
	__u32 col;	  /* 1-based column; 0 when unknown */
	const char *file; /* source file name as compiled ("" when missing) */
	const char *text; /* the source line's text ("" when not recorded) */
};

struct pybpf_line_info;

/*
 * Reads the line info of a loaded program back from the kernel and resolves
 * it through the program's BTF as loaded in the kernel (the strings come from
 * the kernel, not from the ELF file). A program without line info gives an
 * empty list. Free with pybpf_line_info__free().
 */
LIBPYBPF_API struct pybpf_line_info *pybpf_program__line_info(const struct pybpf_program *prog);
LIBPYBPF_API size_t pybpf_line_info__cnt(const struct pybpf_line_info *li);
/* Entry i (0 <= i < cnt), in instruction order; NULL (errno ERANGE) past the end. */
LIBPYBPF_API const struct pybpf_line *pybpf_line_info__line(const struct pybpf_line_info *li,
							    size_t i);
/* The entry covering instruction insn_off: the last whose insn_off <= it.
 * NULL (errno ENOENT) when there is none. */
LIBPYBPF_API const struct pybpf_line *pybpf_line_info__find(const struct pybpf_line_info *li,
							    __u32 insn_off);
LIBPYBPF_API void pybpf_line_info__free(struct pybpf_line_info *li);

/*
 * Attaches a loaded program the way its section name says (libbpf
 * auto-attach). The caller owns the link. Fails with EOPNOTSUPP when the
 * section does not say enough to attach (xdp, tc, bare kprobe, ...).
 * libbpf finds tracepoints (and legacy kprobes/uprobes) through tracefs, so
 * for those program types tracefs is mounted first when it is missing.
 */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach(const struct pybpf_program *prog);
/* The link pybpf_object__attach_all() made for this program, or NULL. */
LIBPYBPF_API struct pybpf_link *pybpf_program__link(const struct pybpf_program *prog);

/* ---- links ------------------------------------------------------------- */

LIBPYBPF_API int pybpf_link__fd(const struct pybpf_link *link);
LIBPYBPF_API struct bpf_link *pybpf_link__bpf_link(const struct pybpf_link *link);
/* Detaches and frees a link the caller owns. NULL is a no-op (returns 0). */
LIBPYBPF_API int pybpf_link__destroy(struct pybpf_link *link);

/* ---- maps -------------------------------------------------------------- */

LIBPYBPF_API const char *pybpf_map__name(const struct pybpf_map *map);
LIBPYBPF_API enum bpf_map_type pybpf_map__type(const struct pybpf_map *map);
LIBPYBPF_API __u32 pybpf_map__key_size(const struct pybpf_map *map);
LIBPYBPF_API __u32 pybpf_map__value_size(const struct pybpf_map *map);
LIBPYBPF_API __u32 pybpf_map__max_entries(const struct pybpf_map *map);
/* The map's fd once created (by load); a negative errno before. */
LIBPYBPF_API int pybpf_map__fd(const struct pybpf_map *map);
LIBPYBPF_API struct pybpf_object *pybpf_map__object(const struct pybpf_map *map);
LIBPYBPF_API struct bpf_map *pybpf_map__bpf_map(const struct pybpf_map *map);

/*
 * Element access on raw bytes. key_sz must equal the key size and value_sz
 * the value size (for per-CPU maps: value size rounded up to 8, times the
 * number of possible CPUs), else -EINVAL. flags: BPF_ANY, BPF_NOEXIST,
 * BPF_EXIST for update; BPF_F_LOCK where the map supports it; 0 otherwise.
 * A missing key gives -ENOENT.
 */
LIBPYBPF_API int pybpf_map__lookup(const struct pybpf_map *map, const void *key, size_t key_sz,
				   void *value, size_t value_sz, __u64 flags);
LIBPYBPF_API int pybpf_map__update(const struct pybpf_map *map, const void *key, size_t key_sz,
				   const void *value, size_t value_sz, __u64 flags);
LIBPYBPF_API int pybpf_map__delete(const struct pybpf_map *map, const void *key, size_t key_sz,
				   __u64 flags);
/* The key after cur_key (the first key when cur_key is NULL); -ENOENT after
 * the last. */
LIBPYBPF_API int pybpf_map__get_next_key(const struct pybpf_map *map, const void *cur_key,
					 void *next_key, size_t key_sz);

/* ---- ring buffers (BPF_MAP_TYPE_RINGBUF) -------------------------------- */

struct pybpf_ring_buffer;

/* Called once per record, with the ctx given for that map. `data` is valid
 * only during the call. Return 0 to go on; a negative value stops the
 * current poll/consume, which then returns it. */
typedef int (*pybpf_ring_buffer_sample_fn)(void *ctx, void *data, size_t size);

struct pybpf_ring_buffer_opts {
	size_t sz; /* sizeof(struct pybpf_ring_buffer_opts); no options yet */
};
#define pybpf_ring_buffer_opts__last_field sz

/* A consumer for one ring buffer map; add more with pybpf_ring_buffer__add(). */
LIBPYBPF_API struct pybpf_ring_buffer *
pybpf_ring_buffer__new(const struct pybpf_map *map, pybpf_ring_buffer_sample_fn sample_cb,
		       void *ctx, const struct pybpf_ring_buffer_opts *opts);
LIBPYBPF_API int pybpf_ring_buffer__add(struct pybpf_ring_buffer *rb, const struct pybpf_map *map,
					pybpf_ring_buffer_sample_fn sample_cb, void *ctx);
/* Waits up to timeout_ms (-1: forever, 0: not at all) for records, then
 * consumes every available one. Returns the number of records consumed. */
LIBPYBPF_API int pybpf_ring_buffer__poll(struct pybpf_ring_buffer *rb, int timeout_ms);
/* Consumes the available records without waiting; returns their number. */
LIBPYBPF_API int pybpf_ring_buffer__consume(struct pybpf_ring_buffer *rb);
/* An epoll fd that becomes readable when records are available. */
LIBPYBPF_API int pybpf_ring_buffer__epoll_fd(const struct pybpf_ring_buffer *rb);
LIBPYBPF_API void pybpf_ring_buffer__free(struct pybpf_ring_buffer *rb);

/* ---- perf buffers (BPF_MAP_TYPE_PERF_EVENT_ARRAY) ----------------------- */

struct pybpf_perf_buffer;

typedef void (*pybpf_perf_buffer_sample_fn)(void *ctx, int cpu, void *data, __u32 size);
typedef void (*pybpf_perf_buffer_lost_fn)(void *ctx, int cpu, __u64 cnt);

struct pybpf_perf_buffer_opts {
	size_t sz;	 /* sizeof(struct pybpf_perf_buffer_opts) */
	size_t page_cnt; /* per-CPU buffer size in pages, a power of two; default 8 */
	pybpf_perf_buffer_lost_fn lost_cb; /* told how many records a CPU dropped */
};
#define pybpf_perf_buffer_opts__last_field lost_cb

/* A consumer for a perf event array: one buffer per CPU. The sample's data
 * is valid only during the callback, and may have trailing padding. */
LIBPYBPF_API struct pybpf_perf_buffer *
pybpf_perf_buffer__new(const struct pybpf_map *map, pybpf_perf_buffer_sample_fn sample_cb,
		       void *ctx, const struct pybpf_perf_buffer_opts *opts);
/* Waits up to timeout_ms for samples and handles them; returns the number
 * of per-CPU buffers that had data. */
LIBPYBPF_API int pybpf_perf_buffer__poll(struct pybpf_perf_buffer *pb, int timeout_ms);
/* Handles every available sample without waiting; returns 0. */
LIBPYBPF_API int pybpf_perf_buffer__consume(struct pybpf_perf_buffer *pb);
LIBPYBPF_API int pybpf_perf_buffer__epoll_fd(const struct pybpf_perf_buffer *pb);
LIBPYBPF_API void pybpf_perf_buffer__free(struct pybpf_perf_buffer *pb);

/* ---- trace_pipe and file systems ---------------------------------------- */

struct pybpf_trace_pipe;

/*
 * Opens the kernel's trace_pipe (where bpf_printk/bpf_trace_printk output
 * goes), mounting tracefs first if needed (pybpf_mount_tracefs()). Reading
 * consumes the lines: the buffer is global, shared by every reader.
 */
LIBPYBPF_API struct pybpf_trace_pipe *pybpf_trace_pipe__open(void);
/*
 * Reads one line, waiting up to timeout_ms (-1: forever, 0: not at all).
 * Returns its length and points *line at it (NUL-terminated, without the
 * newline; valid until the next call); -ETIMEDOUT when no full line came in
 * time.
 */
LIBPYBPF_API int pybpf_trace_pipe__read_line(struct pybpf_trace_pipe *tp, int timeout_ms,
					     const char **line);
LIBPYBPF_API int pybpf_trace_pipe__fd(const struct pybpf_trace_pipe *tp);
LIBPYBPF_API void pybpf_trace_pipe__close(struct pybpf_trace_pipe *tp);

/* Makes trace_pipe reachable: tracefs at /sys/kernel/tracing (mounted there
 * when missing), else /sys/kernel/debug/tracing (debugfs mounted when
 * missing). Returns 0 when it is. */
LIBPYBPF_API int pybpf_mount_tracefs(void);
/* Mounts bpffs at /sys/fs/bpf unless a bpffs is already there. */
LIBPYBPF_API int pybpf_mount_bpffs(void);

#ifdef __cplusplus
}
#endif

#endif
