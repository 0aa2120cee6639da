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
 * pybpf_program__attach() and the pybpf_program__attach_*() functions, and
 * line info lists, belong to the caller and may outlive the object (an
 * attached program stays in the kernel until its link is destroyed). Maps
 * from pybpf_map__open_pinned() belong to the caller (pybpf_map__close()).
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
#include <sys/types.h>

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
	/* Verifier log level for every program load (1: instructions and
	 * states, 2: more detail, 4: statistics; 0: libbpf's default, which
	 * asks for a log only after a failed load). With a non-zero level the
	 * log of a successful load goes to the print callback (debug level). */
	__u32 kernel_log_level;
	/* Directory (in a bpffs) where maps declared with
	 * __uint(pinning, LIBBPF_PIN_BY_NAME) are pinned and re-used from;
	 * default /sys/fs/bpf. */
	const char *pin_root_path;
	/* Kernel BTF to use for CO-RE relocations instead of the running
	 * kernel's /sys/kernel/btf/vmlinux. */
	const char *btf_custom_path;
};
#define pybpf_object_open_opts__last_field btf_custom_path

/*
 * Opens an ELF object from `size` bytes at `buf`. The bytes are copied, so
 * the caller may free them as soon as this returns. Nothing is loaded into
 * the kernel yet: this needs no privileges. Bytes (or a file) that are not
 * a valid BPF ELF object fail with libbpf's LIBBPF_ERRNO__FORMAT (4001;
 * pybpf_strerror() describes it); a missing file with ENOENT.
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

/*
 * Where the verifier rejected a program, after pybpf_object__load() failed.
 * The program is the one whose verifier log the load log holds; insn is the
 * instruction the verifier stopped at (the last one its log shows) and
 * message the line of the log that explains the rejection. The location is
 * that instruction's source line as the kernel annotated the log ("; ... @
 * file:line", from the object's BTF line info), with file, column and text
 * from the object's own .BTF.ext record of the instruction (or the first
 * record of that line): for a pybpf-compiled object the Python source, for
 * a clang-built one the C file as clang saw it.
 */
struct pybpf_load_error {
	size_t sz;		 /* set by the caller: sizeof(struct pybpf_load_error) */
	const char *prog_name;	 /* the rejected program */
	const char *section;	 /* its ELF section */
	long insn;		 /* the failing instruction, -1 if unknown */
	char message[512];	 /* the verifier's complaint ("" if none) */
	const char *file;	 /* source file name from line info, NULL if unknown */
	int line;		 /* 1-based source line, 0 if unknown */
	int col;		 /* 1-based column, 0 if unknown */
	const char *source_line; /* the line's text from line info, NULL if unknown */
	const char *log;	 /* the program's verifier log (not NUL-terminated) */
	size_t log_len;		 /* its length, up to "-- END PROG LOAD LOG --" */
};

/*
 * Fills *err (up to err->sz bytes) about the program the last load
 * rejected. The pointers point into the object and stay valid until it is
 * closed. -ENOENT when the object's load did not fail in the verifier (not
 * loaded, loaded, or failed before a program's verifier log); a rejection
 * without a known location still returns 0, with line 0 and file NULL.
 */
LIBPYBPF_API int pybpf_object__load_error(const struct pybpf_object *obj,
					  struct pybpf_load_error *err);

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

/* The library's version ("0.1.0", the CMake project version) and the
 * version of the libbpf it runs on ("1.1"). Static strings. */
LIBPYBPF_API const char *pybpf_version(void);
LIBPYBPF_API const char *pybpf_libbpf_version(void);

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

/*
 * Before load: whether the program is loaded at all (default true; a program
 * that is not loaded has no fd and is never attached), and whether
 * pybpf_object__attach_all() attaches it (default true). -EBUSY after load.
 */
LIBPYBPF_API int pybpf_program__set_autoload(struct pybpf_program *prog, bool autoload);
LIBPYBPF_API bool pybpf_program__autoload(const struct pybpf_program *prog);
LIBPYBPF_API int pybpf_program__set_autoattach(struct pybpf_program *prog, bool autoattach);
LIBPYBPF_API bool pybpf_program__autoattach(const struct pybpf_program *prog);

/*
 * Explicit attach. Each needs a loaded program of a fitting type, returns a
 * link the caller owns (NULL and errno on failure, with a message naming the
 * program) and detaches when the link is destroyed. Links may outlive the
 * object.
 */

/* A tracepoint, e.g. ("syscalls", "sys_enter_getpid"). */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_tracepoint(const struct pybpf_program *prog,
								 const char *category,
								 const char *name);
/* A raw tracepoint, e.g. "sys_enter". */
LIBPYBPF_API struct pybpf_link *
pybpf_program__attach_raw_tracepoint(const struct pybpf_program *prog, const char *name);
/* A kprobe (or kretprobe) on kernel function `func`, `offset` bytes in
 * (0 for kretprobes). Fails (e.g. ENOENT, EOPNOTSUPP) when the kernel has no
 * kprobes. */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_kprobe(const struct pybpf_program *prog,
							     bool retprobe, const char *func,
							     __u64 offset);
/*
 * A uprobe (or uretprobe) in the ELF file `binary` (a path; a bare name is
 * looked up in PATH and the library path). With func_name, at that symbol
 * plus `offset`; without (NULL), at file offset `offset`. pid: the process
 * to trace, 0 for this one, -1 for every process.
 */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_uprobe(const struct pybpf_program *prog,
							     bool retprobe, pid_t pid,
							     const char *binary,
							     const char *func_name, size_t offset);
/* A USDT probe provider:name of `binary` (pid as for uprobes). The program
 * reads the probe's arguments with usdt.bpf.h's bpf_usdt_arg() and the
 * cookie with bpf_usdt_cookie(). */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_usdt(const struct pybpf_program *prog,
							   pid_t pid, const char *binary,
							   const char *provider, const char *name,
							   __u64 cookie);
/*
 * XDP on interface ifindex. xdp_flags 0: a BPF link (the kernel picks the
 * mode; detached when the link is destroyed or the process exits without
 * pinning it). Non-zero flags (XDP_FLAGS_SKB_MODE, XDP_FLAGS_DRV_MODE,
 * XDP_FLAGS_HW_MODE, XDP_FLAGS_UPDATE_IF_NOEXIST, ...): attached through
 * netlink with those flags, which stays attached until the link is
 * destroyed (destroy removes the program only if it is still this one).
 * Such links have no fd (pybpf_link__fd gives -EOPNOTSUPP) and cannot be
 * pinned.
 */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_xdp(const struct pybpf_program *prog,
							  int ifindex, __u32 xdp_flags);

enum pybpf_tc_direction {
	PYBPF_TC_INGRESS,
	PYBPF_TC_EGRESS,
};

/*
 * A tc (BPF_PROG_TYPE_SCHED_CLS) filter on ifindex, in direct-action mode,
 * through the clsact qdisc, which is created when missing. priority and
 * handle: 0 lets the kernel choose. Destroying the link removes the filter,
 * and the clsact qdisc too when this library created it and no other tc
 * link of this process uses it. No fd, cannot be pinned.
 */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_tc(const struct pybpf_program *prog,
							 int ifindex,
							 enum pybpf_tc_direction direction,
							 __u32 priority, __u32 handle);
/* A socket filter (SO_ATTACH_BPF) on sock_fd; the link keeps its own
 * reference to the socket, so the caller may close sock_fd. Destroy
 * detaches it (SO_DETACH_BPF). No fd, cannot be pinned. */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_socket(const struct pybpf_program *prog,
							     int sock_fd);
/* A cgroup program (cgroup_skb, cgroup/sock, ...) on the cgroup v2
 * directory opened as cgroup_fd (a BPF link; the caller keeps its fd). */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_cgroup(const struct pybpf_program *prog,
							     int cgroup_fd);
/* A perf event (see pybpf_perf_event__open); the link keeps its own copy of
 * the fd, so the caller may close perf_fd. */
LIBPYBPF_API struct pybpf_link *pybpf_program__attach_perf_event(const struct pybpf_program *prog,
								 int perf_fd);

/*
 * Opens a perf event for pybpf_program__attach_perf_event(): type
 * PERF_TYPE_SOFTWARE, PERF_TYPE_HARDWARE, ..., config PERF_COUNT_SW_CPU_CLOCK,
 * ..., one sample every sample_period events (nanoseconds for the clocks),
 * on cpu (-1: any) for pid (-1: every process; then cpu must not be -1).
 * Returns the fd (close-on-exec; the caller closes it) or a negative errno.
 */
LIBPYBPF_API int pybpf_perf_event__open(__u32 type, __u64 config, __u64 sample_period, int cpu,
					pid_t pid);

/* Runs a loaded program once or `repeat` times on given input
 * (BPF_PROG_TEST_RUN), for the program types the kernel supports it for
 * (xdp, tc, socket filters, raw tracepoints, ...). */
struct pybpf_test_run_opts {
	size_t sz;	     /* sizeof(struct pybpf_test_run_opts) */
	const void *data_in; /* packet (xdp, tc, ...) */
	__u32 data_size_in;
	void *data_out;	     /* optional: the packet after the program */
	__u32 data_size_out; /* in: room at data_out; out: bytes written */
	const void *ctx_in;  /* optional context (struct xdp_md, __sk_buff, ...) */
	__u32 ctx_size_in;
	void *ctx_out;	    /* optional: the context afterwards */
	__u32 ctx_size_out; /* in: room at ctx_out; out: bytes written */
	__u32 repeat;	    /* runs; 0 means 1 */
	__u32 flags;	    /* BPF_F_TEST_RUN_ON_CPU, BPF_F_TEST_XDP_LIVE_FRAMES */
	__u32 cpu;	    /* with BPF_F_TEST_RUN_ON_CPU */
	__u32 retval;	    /* out: the program's return value (last run) */
	__u32 duration;	    /* out: mean time per run in ns */
};
#define pybpf_test_run_opts__last_field duration

LIBPYBPF_API int pybpf_program__test_run(const struct pybpf_program *prog,
					 struct pybpf_test_run_opts *opts);

/* Pins a loaded program at path (in a bpffs) / removes that pin. */
LIBPYBPF_API int pybpf_program__pin(const struct pybpf_program *prog, const char *path);
LIBPYBPF_API int pybpf_program__unpin(const struct pybpf_program *prog, const char *path);

/* ---- links ------------------------------------------------------------- */

/* The link's fd: a BPF link, or the perf event for links made through one.
 * -EOPNOTSUPP for links without one (XDP with flags, tc, socket). */
LIBPYBPF_API int pybpf_link__fd(const struct pybpf_link *link);
/* The libbpf link; NULL for links libbpf does not represent (see above). */
LIBPYBPF_API struct bpf_link *pybpf_link__bpf_link(const struct pybpf_link *link);
/*
 * Pins a BPF link at path (in a bpffs): the attachment then stays after the
 * link is destroyed and the process exits, until the pin is removed.
 * -EOPNOTSUPP for links that are not BPF links. unpin removes the pin.
 */
LIBPYBPF_API int pybpf_link__pin(struct pybpf_link *link, const char *path);
LIBPYBPF_API int pybpf_link__unpin(struct pybpf_link *link);
/* Opens a pinned BPF link; destroying it only closes it (the pin keeps the
 * attachment) unless it is unpinned first. */
LIBPYBPF_API struct pybpf_link *pybpf_link__open_pinned(const char *path);
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

/* Like lookup, then deletes the element (hash, LRU and queue/stack maps;
 * for queues and stacks key is NULL and key_sz 0). */
LIBPYBPF_API int pybpf_map__lookup_and_delete(const struct pybpf_map *map, const void *key,
					      size_t key_sz, void *value, size_t value_sz,
					      __u64 flags);
/* Deletes every element; array maps (which cannot delete) get every value
 * zeroed instead. Returns how many elements were deleted (zeroed). */
LIBPYBPF_API int pybpf_map__clear(const struct pybpf_map *map);

/*
 * Batch operations (BPF_MAP_*_BATCH). keys and values are arrays of *count
 * keys and values (values of per-CPU maps: pybpf_map__value_buffer_size()
 * bytes each). lookup: in_batch NULL starts at the beginning; the kernel
 * writes an opaque position to out_batch (room for one key; for hash maps
 * at least 4 bytes) to pass as in_batch next time; *count in: room, out:
 * elements returned. -ENOENT means the end was reached (*count still says
 * how many came back in this call). update/delete: *count out is how many
 * were done when an error stops them. elem_flags: 0 or BPF_F_LOCK (the
 * kernel refuses the others).
 */
LIBPYBPF_API int pybpf_map__lookup_batch(const struct pybpf_map *map, void *in_batch,
					 void *out_batch, void *keys, void *values, __u32 *count,
					 __u64 elem_flags);
/* Like lookup_batch, and deletes what it returns (hash maps). */
LIBPYBPF_API int pybpf_map__lookup_and_delete_batch(const struct pybpf_map *map, void *in_batch,
						    void *out_batch, void *keys, void *values,
						    __u32 *count, __u64 elem_flags);
LIBPYBPF_API int pybpf_map__update_batch(const struct pybpf_map *map, const void *keys,
					 const void *values, __u32 *count, __u64 elem_flags);
LIBPYBPF_API int pybpf_map__delete_batch(const struct pybpf_map *map, const void *keys,
					 __u32 *count);

/* Possible CPUs (what per-CPU values are sized by), or a negative errno. */
LIBPYBPF_API int pybpf_num_possible_cpus(void);
/* Per-CPU hash, array, LRU hash or cgroup storage: one value per CPU. */
LIBPYBPF_API bool pybpf_map__is_percpu(const struct pybpf_map *map);
/* Bytes of the value buffer of lookup/update: the value size, or for
 * per-CPU maps the value size rounded up to 8 times the possible CPUs. */
LIBPYBPF_API size_t pybpf_map__value_buffer_size(const struct pybpf_map *map);

/* What the kernel reports about a created map. */
struct pybpf_map_info {
	size_t sz; /* set by the caller: sizeof(struct pybpf_map_info) */
	__u32 id;  /* kernel map id */
	__u32 type;
	__u32 key_size;
	__u32 value_size;
	__u32 max_entries;
	__u32 map_flags;
	__u32 btf_id; /* kernel id of the map's BTF; 0 without BTF */
	__u32 btf_key_type_id;
	__u32 btf_value_type_id;
	char name[BPF_OBJ_NAME_LEN]; /* kernel name (maybe truncated) */
};

/* Fills *info (up to info->sz bytes). The map must be created. */
LIBPYBPF_API int pybpf_map__info(const struct pybpf_map *map, struct pybpf_map_info *info);

/* Pins a created map at path (in a bpffs) / removes the pin (path NULL:
 * where it was pinned). */
LIBPYBPF_API int pybpf_map__pin(const struct pybpf_map *map, const char *path);
LIBPYBPF_API int pybpf_map__unpin(const struct pybpf_map *map, const char *path);
/*
 * Opens a map pinned at path, without any object: the accessors, element
 * and batch access, info and ring/perf buffers work on it;
 * pybpf_map__object() is NULL. Its name is the kernel's. Free it with
 * pybpf_map__close().
 */
LIBPYBPF_API struct pybpf_map *pybpf_map__open_pinned(const char *path);
/* Closes a map from pybpf_map__open_pinned(); NULL is a no-op, and maps of
 * an object are left alone (they close with it). */
LIBPYBPF_API void pybpf_map__close(struct pybpf_map *map);

/* Before load: the map's size. -EBUSY after load. */
LIBPYBPF_API int pybpf_map__set_max_entries(struct pybpf_map *map, __u32 max_entries);

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

/* ---- BTF types and values ----------------------------------------------- */

struct btf;

/* The object's BTF (libbpf's struct btf, read with libbpf's btf__*
 * functions), or NULL (errno ENOENT) when the object has none. Valid until
 * the object is closed. */
LIBPYBPF_API const struct btf *pybpf_object__btf(const struct pybpf_object *obj);

/*
 * BTF type ids (in pybpf_object__btf()) of a map's key and value; 0 when the
 * map has none (maps opened from a pin, ring buffers, ...).
 */
LIBPYBPF_API __u32 pybpf_map__btf_key_type_id(const struct pybpf_map *map);
LIBPYBPF_API __u32 pybpf_map__btf_value_type_id(const struct pybpf_map *map);
/*
 * The type of the records a ring buffer or perf event array map carries, as
 * recorded by the pybpf compiler (see grammar/dialect.md, "event record
 * types"); 0 when unknown: another map type, an object from another
 * compiler, or records of more than one type.
 */
LIBPYBPF_API __u32 pybpf_map__btf_event_type_id(const struct pybpf_map *map);

/*
 * Writes a JSON description of BTF type type_id to buf (at most size bytes,
 * always NUL-terminated when size > 0) and returns the length of the whole
 * description (like snprintf: a result >= size means buf was too small), or
 * a negative errno (EINVAL: bad arguments or type id; ELOOP: the type nests
 * too deeply). typedef, const, volatile, restrict and type tags are
 * followed transparently. The forms:
 *   {"kind":"int","name":"unsigned int","size":4,"signed":false,"bool":false,"char":false}
 *   {"kind":"struct","name":"event","size":24,"members":[
 *      {"name":"pid","offset":0,"bitfield":0,"type":{...}}, ...]}
 *     ("union" alike; offset in bytes; bitfield: the bit size, 0 for a plain
 *      member; bitfields also have "bit_offset", in bits from the start)
 *   {"kind":"array","size":16,"len":16,"elem":{...}}
 *   {"kind":"enum","name":"e","size":4,"signed":false,"values":{"A":0,"B":1}}
 *   {"kind":"ptr","size":8}  {"kind":"float","size":8}  {"kind":"void","size":0}
 * Other kinds (func, var, datasec, ...) give {"kind":"<kind>","size":N}.
 * An anonymous struct, union or enum has "name":"". "char" is true for
 * 1-byte integers that hold text: BTF_INT_CHAR, or C's plain `char` (what
 * the pybpf compiler emits for c_char and str(N)); signed/unsigned char
 * (c_int8, c_uint8) are numbers. "bool" is BTF_INT_BOOL or _Bool.
 */
LIBPYBPF_API int pybpf_btf__describe(const struct btf *btf, __u32 type_id, char *buf, size_t size);

/*
 * Formats `size` bytes at data, a value of BTF type type_id, as human text
 * into buf (snprintf-like return, as above): integers in decimal, bool as
 * true/false, char arrays as "quoted strings" (up to the first NUL, with C
 * escapes), other arrays as [a, b, ...], structs and unions as
 * {name: value, ...}, enums by their enumerator name (the number when none
 * matches), pointers in hex. -EINVAL when size is smaller than the type.
 */
LIBPYBPF_API int pybpf_btf__format(const struct btf *btf, __u32 type_id, const void *data,
				   size_t size, char *buf, size_t bufsz);

/* ---- globals ------------------------------------------------------------ */

/*
 * The object's global variables: those of .rodata, .data and .bss (and of
 * .rodata.* and .data.* sections), as the object's BTF describes them.
 * Compiler-internal variables (names starting with "__pybpf", and C
 * function-local statics, whose BTF names contain a '.') are left out.
 * Handles belong to the object and are valid until it is closed.
 */
struct pybpf_global;

/* Iteration in BTF order: NULL gives the first; NULL after the last. */
LIBPYBPF_API struct pybpf_global *pybpf_object__next_global(const struct pybpf_object *obj,
							    const struct pybpf_global *prev);
/* By name; NULL with errno ENOENT when there is none. */
LIBPYBPF_API struct pybpf_global *pybpf_object__find_global(const struct pybpf_object *obj,
							    const char *name);

#define pybpf_object__for_each_global(pos, obj)                             \
	for ((pos) = pybpf_object__next_global((obj), NULL); (pos) != NULL; \
	     (pos) = pybpf_object__next_global((obj), (pos)))

LIBPYBPF_API const char *pybpf_global__name(const struct pybpf_global *g);
LIBPYBPF_API size_t pybpf_global__size(const struct pybpf_global *g);
/* The variable's type in pybpf_object__btf() (not the BTF_KIND_VAR). */
LIBPYBPF_API __u32 pybpf_global__btf_type_id(const struct pybpf_global *g);
/* ".rodata", ".data", ".bss", ".data.<name>" or ".rodata.<name>". */
LIBPYBPF_API const char *pybpf_global__section(const struct pybpf_global *g);

/*
 * Reads / writes the variable's bytes; size must be its size (else
 * -EINVAL). Before load they read and change the initial image the map is
 * created from. After load they read and write the live value in the
 * kernel's map (.data and .bss); a .rodata variable is frozen then and
 * writing it gives -EPERM.
 */
LIBPYBPF_API int pybpf_global__read(const struct pybpf_global *g, void *buf, size_t size);
LIBPYBPF_API int pybpf_global__write(struct pybpf_global *g, const void *buf, size_t size);

/* ---- kernel BTF ---------------------------------------------------------- */

/*
 * The running kernel's BTF (or another BTF file), for users that want kernel
 * types by name: the Python package's `vmlinux` module builds ctypes classes
 * from these. Names use pythonbpf's spelling: "struct_<name>",
 * "union_<name>", "enum_<name>", or a plain name.
 */

/* Opens a BTF file: raw BTF (as /sys/kernel/btf/vmlinux) or an ELF file with
 * a .BTF section. NULL with errno set on error. Free with pybpf_btf__free. */
LIBPYBPF_API struct btf *pybpf_btf__open(const char *path);
/* The file pybpf_btf__load_vmlinux() reads: $PYBPF_VMLINUX_BTF when set and
 * not empty, else /sys/kernel/btf/vmlinux. */
LIBPYBPF_API const char *pybpf_btf__vmlinux_path(void);
/* pybpf_btf__open(pybpf_btf__vmlinux_path()). */
LIBPYBPF_API struct btf *pybpf_btf__load_vmlinux(void);
/* Frees a BTF from pybpf_btf__open/__load_vmlinux; NULL is accepted. */
LIBPYBPF_API void pybpf_btf__free(struct btf *btf);

/*
 * The type id of a name: "struct_X", "union_X", "enum_X" find that kind of
 * type named X; any name (also when the prefixed lookup fails) is then
 * looked up as a typedef, struct, union, enum, integer or float, in that
 * order. -ENOENT when nothing has that name.
 */
LIBPYBPF_API int pybpf_btf__find_name(const struct btf *btf, const char *name);
/* The FUNC id of kernel function `name` when it is a kfunc (the BTF tags it
 * bpf_kfunc; in a BTF without such tags, any function): -ENOENT when there
 * is no such function, -EPERM when it is not a kfunc. */
LIBPYBPF_API int pybpf_btf__find_kfunc(const struct btf *btf, const char *name);
/* The value of the enum constant `name` (the first enum in BTF order that has
 * it) in *value (an unsigned 64-bit value > LLONG_MAX comes back as its two's
 * complement). -ENOENT when no enum has it. */
LIBPYBPF_API int pybpf_btf__find_enum_value(const struct btf *btf, const char *name,
					    long long *value);
/* Every enum constant as a JSON object {"NAME":value,...} (a name in two
 * enums appears twice; the first is the one __find_enum_value gives).
 * snprintf-like return, as pybpf_btf__describe. */
LIBPYBPF_API int pybpf_btf__enum_constants(const struct btf *btf, char *buf, size_t size);
/*
 * A one-level JSON description of a type, for types too big to describe
 * inline: as pybpf_btf__describe(), except that a struct or union has an
 * "id" and, when it is not the described type itself but a member's or an
 * array element's type, no "members" (describe that id to get them);
 * pointers are {"kind":"ptr","size":8,"target":<pointee id, typedefs
 * followed>}; forward declarations {"kind":"fwd","name":"X","size":0};
 * function prototypes {"kind":"func_proto","size":0}. snprintf-like return.
 */
LIBPYBPF_API int pybpf_btf__describe_shallow(const struct btf *btf, __u32 type_id, char *buf,
					     size_t size);
/*
 * "Did you mean": the closest known name to an unknown one (edit distance at
 * most a third of its length, between 1 and 5), spelled as the name was:
 * with the prefix "struct_"/"union_"/"enum_" among types of that kind, else
 * among typedef, struct, union and enum names and enum constants.
 * snprintf-like return; -ENOENT when nothing is close.
 */
LIBPYBPF_API int pybpf_btf__suggest(const struct btf *btf, const char *name, char *buf,
				    size_t size);

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
