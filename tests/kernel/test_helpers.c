/*
 * test_helpers.c - every kernel helper and every map class, through the
 * verifier.
 *
 * The corpus (tests/kernel/helpers/, one file per family of program types)
 * calls the helpers by their kernel names and declares every map class.
 * Each file is compiled by the library and loaded: every program in it must
 * pass the verifier. Then the coverage checks:
 *
 * - helpers: for each program type pybpf has sections for (the table
 *   `probes` below) and this kernel can load, the kernel is asked which
 *   helpers of the catalog (compiler/helpers.def) that type may call, the
 *   way libbpf_probe_bpf_helper() asks: load "call <id>; exit" and read the
 *   verifier's complaint. Every helper some type allows must be called by a
 *   loaded program (a BPF_CALL with src_reg 0 and imm = id in the program's
 *   instructions as libbpf loaded them, subprograms included), or be listed
 *   in `excluded` with the reason it cannot be exercised here. An exclusion
 *   that the corpus does call is stale and fails too.
 * - program types: each probed type has a loaded program in the corpus.
 * - maps: every map class of compiler/maps.def appears in a loaded object.
 *
 * libbpf 1.1's own libbpf_probe_bpf_helper() does not know the message of
 * kernels since 6.4 ("program of this type cannot use helper") and reports
 * every helper as allowed, so the probe is done here.
 *
 * Types that this kernel does not load are reported ("note: ...") and not
 * probed: on the test VM fentry/fexit/fmod_ret and LSM programs (no BPF
 * trampolines) and lirc_mode2. Sections pybpf accepts that are not probed:
 * freplace (an extension takes its target program's type), struct_ops
 * (pybpf cannot declare struct_ops maps), netfilter, tcx and netkit
 * (libbpf 1.1 does not know these sections), and the sleepable variants
 * (uprobe.s, ...), whose helpers are their type's.
 *
 * Usage: test_helpers DIR [-v]  (-v lists each helper with the program
 * types that allow it and where the corpus calls it). Needs root (prints
 * SKIP otherwise). Ends with "N passed, N failed".
 */
#include "pybpf/compile.h"
#include "pybpf/libpybpf.h"
#include "test_util.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int passed, failed;
static bool verbose;

static void report(bool ok, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("%s ", ok ? "PASS" : "FAIL");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	if (ok)
		passed++;
	else
		failed++;
}

/* ---- the catalogs ---- */

typedef struct Helper {
	const char *name;
	int id;
} Helper;

static const Helper helpers[] = {
#define HELPER(name, id, ret, sig, nargs, a1, a2, a3, a4, a5) {#name, id},
#include "helpers.def"
#undef HELPER
};

typedef struct MapClass {
	const char *name;
	int type;
} MapClass;

static const MapClass map_classes[] = {
#define MAPCLASS(id, name, type_id, family) {name, type_id},
#include "maps.def"
#undef MAPCLASS
};

/* Helpers no corpus program can call, and why. Keep it short: a helper
 * leaves this table as soon as pybpf can express a call the verifier
 * accepts. */
typedef struct Exclusion {
	const char *helper;
	const char *reason;
} Exclusion;

#define NO_CLASS(type)	"needs a " type " map: pybpf.maps has no class for it"
#define NEEDS_BTF(what) "needs " what " (kernel types and ksyms: issue 6)"

static const Exclusion excluded[] = {
	{"current_task_under_cgroup", NO_CLASS("BPF_MAP_TYPE_CGROUP_ARRAY")},
	{"skb_under_cgroup", NO_CLASS("BPF_MAP_TYPE_CGROUP_ARRAY")},
	{"redirect_map", NO_CLASS("BPF_MAP_TYPE_DEVMAP, CPUMAP or XSKMAP")},
	{"sock_map_update", NO_CLASS("BPF_MAP_TYPE_SOCKMAP")},
	{"sk_redirect_map", NO_CLASS("BPF_MAP_TYPE_SOCKMAP")},
	{"msg_redirect_map", NO_CLASS("BPF_MAP_TYPE_SOCKMAP")},
	{"sock_hash_update", NO_CLASS("BPF_MAP_TYPE_SOCKHASH")},
	{"sk_redirect_hash", NO_CLASS("BPF_MAP_TYPE_SOCKHASH")},
	{"msg_redirect_hash", NO_CLASS("BPF_MAP_TYPE_SOCKHASH")},
	{"sk_select_reuseport", NO_CLASS("BPF_MAP_TYPE_REUSEPORT_SOCKARRAY (or sockmap)")},
	{"get_local_storage", NO_CLASS("BPF_MAP_TYPE_CGROUP_STORAGE")},
	{"sk_storage_get", NO_CLASS("BPF_MAP_TYPE_SK_STORAGE")},
	{"sk_storage_delete", NO_CLASS("BPF_MAP_TYPE_SK_STORAGE")},
	{"task_storage_get", NO_CLASS("BPF_MAP_TYPE_TASK_STORAGE")},
	{"task_storage_delete", NO_CLASS("BPF_MAP_TYPE_TASK_STORAGE")},
	{"cgrp_storage_get", NO_CLASS("BPF_MAP_TYPE_CGRP_STORAGE")},
	{"cgrp_storage_delete", NO_CLASS("BPF_MAP_TYPE_CGRP_STORAGE")},
	{"user_ringbuf_drain", NO_CLASS("BPF_MAP_TYPE_USER_RINGBUF")},
	{"kptr_xchg",
	 "needs a map value field tagged __kptr (a BTF type tag pybpf cannot declare)"},
	{"per_cpu_ptr", NEEDS_BTF("a per-CPU kernel variable (__ksym)")},
	{"this_cpu_ptr", NEEDS_BTF("a per-CPU kernel variable (__ksym)")},
	{"skb_output", NEEDS_BTF("a struct sk_buff pointer (fentry/tp_btf arguments)")},
	{"xdp_output", NEEDS_BTF("a struct xdp_buff pointer (fentry/tp_btf arguments)")},
	{"sock_from_file", NEEDS_BTF("a struct file pointer (fentry/iterator arguments)")},
	{"d_path", NEEDS_BTF("a struct path pointer (iterator context fields)")},
	{"seq_printf", NEEDS_BTF("the iterator's ctx->meta->seq")},
	{"seq_write", NEEDS_BTF("the iterator's ctx->meta->seq")},
	{"seq_printf_btf", NEEDS_BTF("the iterator's ctx->meta->seq")},
};

static const char *exclusion_reason(const char *name)
{
	for (size_t i = 0; i < COUNT(excluded); i++)
		if (strcmp(excluded[i].helper, name) == 0)
			return excluded[i].reason;
	return NULL;
}

/* ---- which helpers the kernel allows ---- */

/* One program type (and attach type) pybpf has sections for. The section
 * name gives libbpf's program type and expected attach type; `target`
 * names the kernel BTF object (tp_btf, iter, fentry, lsm) the program
 * attaches to. */
typedef struct Probe {
	const char *section;
	const char *target;
	bool sleepable; /* loaded with BPF_F_SLEEPABLE, as libbpf does */
} Probe;

static const Probe probes[] = {
	{"socket", NULL, false},
	{"sk_reuseport", NULL, false},
	{"kprobe/do_nanosleep", NULL, false},
	{"kprobe.multi/do_nanosleep", NULL, false},
	{"uprobe/", NULL, false},
	{"tracepoint/syscalls/sys_enter_getpid", NULL, false},
	{"raw_tp/sys_enter", NULL, false},
	{"raw_tp.w/sys_enter", NULL, false},
	{"perf_event", NULL, false},
	{"tp_btf/sys_enter", "sys_enter", false},
	{"iter/task", "task", false},
	{"fentry/do_nanosleep", "do_nanosleep", false},
	{"fexit/do_nanosleep", "do_nanosleep", false},
	{"fmod_ret/bpf_modify_return_test", "bpf_modify_return_test", false},
	{"lsm/file_open", "file_open", false},
	{"lsm_cgroup/socket_bind", "socket_bind", false},
	{"syscall", NULL, true},
	{"xdp", NULL, false},
	{"tc", NULL, false},
	{"action", NULL, false},
	{"lwt_in", NULL, false},
	{"lwt_out", NULL, false},
	{"lwt_xmit", NULL, false},
	{"lwt_seg6local", NULL, false},
	{"flow_dissector", NULL, false},
	{"sockops", NULL, false},
	{"sk_skb/stream_parser", NULL, false},
	{"sk_skb/stream_verdict", NULL, false},
	{"sk_msg", NULL, false},
	{"sk_lookup", NULL, false},
	{"lirc_mode2", NULL, false},
	{"cgroup_skb/ingress", NULL, false},
	{"cgroup/sock_create", NULL, false},
	{"cgroup/post_bind4", NULL, false},
	{"cgroup/dev", NULL, false},
	{"cgroup/bind4", NULL, false},
	{"cgroup/connect4", NULL, false},
	{"cgroup/sendmsg4", NULL, false},
	{"cgroup/recvmsg4", NULL, false},
	{"cgroup/getpeername4", NULL, false},
	{"cgroup/getsockname4", NULL, false},
	{"cgroup/sysctl", NULL, false},
	{"cgroup/getsockopt", NULL, false},
	{"cgroup/setsockopt", NULL, false},
};

#define MAX_ID 256

static bool allowed[COUNT(probes)][MAX_ID];
static enum bpf_prog_type probe_type[COUNT(probes)];
static enum bpf_attach_type probe_attach[COUNT(probes)];
static char log_buf[1 << 16];

/* What the verifier says when a program may not call a helper (the first
 * two, which libbpf 1.1 looks for, are from kernels before 6.4). Other
 * complaints (about the arguments, or "helper call might sleep in a
 * non-sleepable prog") mean the helper is allowed. */
static const char *const not_allowed[] = {
	"invalid func ",
	"unknown func ",
	"program of this type cannot use helper ",
	" not supported for program type ",
	" supported only for fentry/fexit/fmod_ret programs",
	"helper call is not allowed in probe",
};

/* Loads "call id; exit" (id < 0: "r0 = 1; exit", which every type accepts)
 * as the probe's program type. Returns 1 when the type may call the helper,
 * 0 when it may not, and -1 when a program of this type does not load. */
static int probe_load(enum bpf_prog_type type, const struct bpf_prog_load_opts *base, int id)
{
	struct bpf_insn insns[2] = {
		{.code = BPF_JMP | BPF_CALL, .imm = id},
		{.code = BPF_JMP | BPF_EXIT},
	};
	if (id < 0)
		insns[0] = (struct bpf_insn){.code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 1};
	struct bpf_prog_load_opts opts = *base;
	opts.log_buf = log_buf;
	opts.log_size = sizeof log_buf;
	opts.log_level = 1;
	log_buf[0] = 0;
	int fd = bpf_prog_load(type, NULL, "GPL", insns, 2, &opts);
	if (fd >= 0) {
		close(fd);
		return 1;
	}
	if (id < 0)
		return -1;
	for (size_t i = 0; i < COUNT(not_allowed); i++)
		if (strstr(log_buf, not_allowed[i]))
			return 0;
	return 1; /* allowed, but "call; exit" does not pass its arguments */
}

/* Fills allowed[p] for one probe; false when the type does not load here. */
static bool probe_helpers(size_t p)
{
	const Probe *pr = &probes[p];
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
	if (libbpf_prog_type_by_name(pr->section, &type, &attach) < 0) {
		report(false, "probe %s: libbpf knows no program type for it", pr->section);
		return false;
	}
	probe_type[p] = type;
	probe_attach[p] = attach;
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = attach);
	if (pr->sleepable)
		opts.prog_flags = BPF_F_SLEEPABLE;
	if (pr->target) {
		int btf_id = libbpf_find_vmlinux_btf_id(pr->target, attach);
		if (btf_id < 0) {
			printf("note: %s: no kernel BTF for '%s': not probed\n", pr->section,
			       pr->target);
			return false;
		}
		opts.attach_btf_id = (__u32)btf_id;
	}
	if (probe_load(type, &opts, -1) < 0) {
		printf("note: %s (%s): this kernel does not load such programs: not probed\n",
		       pr->section, libbpf_bpf_prog_type_str(type));
		return false;
	}
	for (size_t i = 0; i < COUNT(helpers); i++)
		allowed[p][helpers[i].id] = probe_load(type, &opts, helpers[i].id) == 1;
	return true;
}

/* ---- the corpus ---- */

static bool type_probed[COUNT(probes)]; /* the types probe_helpers() probed */

static const char *helper_name(int id)
{
	for (size_t i = 0; i < COUNT(helpers); i++)
		if (helpers[i].id == id)
			return helpers[i].name;
	return "?";
}

/* The id of the helper a failed load's verifier log says the program's type
 * cannot use, when no probed type may use it either (the kernel was built
 * without it, e.g. the seg6 helpers without CONFIG_IPV6_SEG6_BPF); 0 when
 * the failure is anything else, which the corpus must not have. */
static int unoffered_helper(const char *log)
{
	const char *at = strstr(log, "program of this type cannot use helper ");
	const char *hash = at ? strchr(at, '#') : NULL;
	if (!hash)
		return 0;
	int id = atoi(hash + 1);
	if (id <= 0 || id >= MAX_ID)
		return 0;
	for (size_t p = 0; p < COUNT(probes); p++)
		if (type_probed[p] && allowed[p][id])
			return 0;
	return id;
}

#define MAX_CALLERS 4

static char *callers[MAX_ID][MAX_CALLERS]; /* "file:program" */
static int ncallers[MAX_ID];
static int map_seen[64]; /* by BPF_MAP_TYPE_* */

/* The program and attach types of the loaded programs. */
typedef struct Kind {
	enum bpf_prog_type type;
	enum bpf_attach_type attach;
} Kind;

static Kind kinds[64];
static int nkinds;

static void note_kind(const struct pybpf_program *prog)
{
	Kind k = {pybpf_program__type(prog),
		  bpf_program__expected_attach_type(pybpf_program__bpf_program(prog))};
	for (int i = 0; i < nkinds; i++)
		if (kinds[i].type == k.type && kinds[i].attach == k.attach)
			return;
	if (nkinds < (int)COUNT(kinds))
		kinds[nkinds++] = k;
}

/* Records the helper calls of one loaded program (its instructions as
 * libbpf loaded them: subprograms and callbacks are appended). */
static void scan_program(const char *file, struct pybpf_program *prog)
{
	const struct bpf_program *bp = pybpf_program__bpf_program(prog);
	const struct bpf_insn *insn = bpf_program__insns(bp);
	size_t n = bpf_program__insn_cnt(bp);
	for (size_t i = 0; i < n; i++) {
		if (insn[i].code != (BPF_JMP | BPF_CALL) || insn[i].src_reg != 0)
			continue;
		int id = insn[i].imm;
		if (id <= 0 || id >= MAX_ID || ncallers[id] == MAX_CALLERS)
			continue;
		char who[256];
		snprintf(who, sizeof who, "%s:%s", file, pybpf_program__name(prog));
		int k;
		for (k = 0; k < ncallers[id]; k++)
			if (strcmp(callers[id][k], who) == 0)
				break;
		if (k == ncallers[id])
			callers[id][ncallers[id]++] = strdup(who);
	}
}

static void run_file(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	size_t len;
	char *src = test_read_file(path, &len);
	if (!src) {
		report(false, "%s: cannot read", path);
		return;
	}
	LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = path);
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &co, &res);
	free(src);
	if (rc != 0) {
		report(false, "%s: compiles\n%s", name, pybpf_result__diags_text(res));
		pybpf_result__free(res);
		return;
	}
	size_t n;
	const void *bytes = pybpf_result__output(res, &n);
	struct pybpf_object *obj = pybpf_object__open_mem(bytes, n, NULL);
	pybpf_result__free(res);
	if (!obj || pybpf_object__load(obj) < 0) {
		const char *log = obj ? pybpf_object__load_log(obj) : "";
		int id = unoffered_helper(log);
		if (id > 0)
			printf("note: %s: not loaded: this kernel offers %s (id %d) to none of the "
			       "probed program types\n",
			       name, helper_name(id), id);
		else
			report(false, "%s: loads\n%s", name, log);
		pybpf_object__close(obj);
		return;
	}
	report(true, "%s: %zu programs pass the verifier", name, pybpf_object__program_cnt(obj));
	struct pybpf_program *prog;
	pybpf_object__for_each_program (prog, obj) {
		scan_program(name, prog);
		note_kind(prog);
	}
	struct pybpf_map *m;
	pybpf_object__for_each_map (m, obj) {
		unsigned t = pybpf_map__type(m);
		if (t < COUNT(map_seen) && !bpf_map__is_internal(pybpf_map__bpf_map(m)))
			map_seen[t]++; /* .rodata, .bss (arrays) are not ArrayMaps */
	}
	pybpf_object__close(obj);
}

/* ---- coverage ---- */

static void check_helpers(const bool *probed)
{
	int nallowed = 0, ncovered = 0, nexcluded = 0;
	for (size_t i = 0; i < COUNT(helpers); i++) {
		const Helper *h = &helpers[i];
		bool any = false;
		for (size_t p = 0; p < COUNT(probes); p++)
			any |= probed[p] && allowed[p][h->id];
		const char *why = exclusion_reason(h->name);
		if (verbose) {
			printf("  %-30s %-8s", h->name,
			       !any		 ? "-"
			       : ncallers[h->id] ? "called"
			       : why		 ? "excluded"
						 : "MISSING");
			for (size_t p = 0; p < COUNT(probes); p++)
				if (probed[p] && allowed[p][h->id])
					printf(" %s", probes[p].section);
			for (int k = 0; k < ncallers[h->id]; k++)
				printf(" [%s]", callers[h->id][k]);
			if (any && why && !ncallers[h->id])
				printf(" (%s)", why);
			printf("\n");
		}
		if (why && ncallers[h->id])
			report(false, "bpf_%s is called (by %s) but listed as excluded (\"%s\")",
			       h->name, callers[h->id][0], why);
		if (!any)
			continue;
		nallowed++;
		if (ncallers[h->id])
			ncovered++;
		else if (why)
			nexcluded++;
		else
			report(false,
			       "bpf_%s (id %d) is allowed by the kernel but no program calls it",
			       h->name, h->id);
	}
	report(ncovered + nexcluded == nallowed,
	       "helpers: %d of %d in the catalog allowed by the kernel for our program types: "
	       "%d called, %d excluded",
	       nallowed, (int)COUNT(helpers), ncovered, nexcluded);
}

/* Every program type the helpers were probed for has a program in the
 * corpus, so pybpf is known to produce loadable programs of each. */
static void check_kinds(const bool *probed)
{
	int n = 0, have = 0;
	for (size_t p = 0; p < COUNT(probes); p++) {
		if (!probed[p])
			continue;
		n++;
		int i;
		for (i = 0; i < nkinds; i++)
			if (kinds[i].type == probe_type[p] && kinds[i].attach == probe_attach[p])
				break;
		if (i < nkinds)
			have++;
		else
			report(false, "no loaded program has the type of section \"%s\"",
			       probes[p].section);
	}
	report(have == n, "program types: %d of %d probed types have a loaded program", have, n);
}

static void check_maps(void)
{
	int seen = 0;
	for (size_t i = 0; i < COUNT(map_classes); i++) {
		const MapClass *mc = &map_classes[i];
		if (map_seen[mc->type])
			seen++;
		else
			report(false, "map class %s (type %d) is in no loaded object", mc->name,
			       mc->type);
	}
	report(seen == (int)COUNT(map_classes), "maps: %d of %d map classes loaded", seen,
	       (int)COUNT(map_classes));
}

static int quiet(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_py(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return n > 3 && strcmp(d->d_name + n - 3, ".py") == 0;
}

int main(int argc, char **argv)
{
	if (geteuid() != 0) {
		printf("SKIP: needs root to load BPF programs\n");
		return 0;
	}
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "-v") != 0)) {
		fprintf(stderr, "usage: test_helpers DIR [-v]\n");
		return 2;
	}
	verbose = argc == 3;
	pybpf_set_print(quiet);
	for (size_t i = 0; i < COUNT(helpers); i++)
		if (helpers[i].id <= 0 || helpers[i].id >= MAX_ID) {
			report(false, "bpf_%s has id %d: raise MAX_ID", helpers[i].name,
			       helpers[i].id);
			return 1;
		}
	int nprobed = 0;
	for (size_t p = 0; p < COUNT(probes); p++)
		nprobed += type_probed[p] = probe_helpers(p);
	report(nprobed > 0, "probed the helpers of %d program types", nprobed);

	struct dirent **names;
	int n = scandir(argv[1], &names, is_py, by_name);
	report(n > 0, "corpus %s has %d files", argv[1], n);
	for (int i = 0; i < n; i++) {
		run_file(argv[1], names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	check_helpers(type_probed);
	check_kinds(type_probed);
	check_maps();
	for (int id = 0; id < MAX_ID; id++)
		for (int k = 0; k < ncallers[id]; k++)
			free(callers[id][k]);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
