/*
 * program.c - BPF programs: accessors, what the kernel reports about a
 * loaded program (bpf_obj_get_info_by_fd), its line table resolved through
 * the kernel's copy of its BTF, and attaching the way its section name says
 * (explicit attach is in attach.c, links in link.c).
 *
 * The line table comes back from the kernel, not from the ELF file: it shows
 * what the kernel itself will print in verifier logs and bpftool dumps, which
 * is how the tests prove that compiled Python keeps its source lines.
 */
#include "internal.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *pybpf_program__name(const struct pybpf_program *prog)
{
	return prog ? bpf_program__name(prog->prog) : NULL;
}

const char *pybpf_program__section_name(const struct pybpf_program *prog)
{
	return prog ? bpf_program__section_name(prog->prog) : NULL;
}

enum bpf_prog_type pybpf_program__type(const struct pybpf_program *prog)
{
	return prog ? bpf_program__type(prog->prog) : BPF_PROG_TYPE_UNSPEC;
}

int pybpf_program__fd(const struct pybpf_program *prog)
{
	int fd;

	if (!prog)
		return pybpf_err(-EINVAL);
	fd = bpf_program__fd(prog->prog);
	return fd >= 0 ? fd : pybpf_err(-EBADF);
}

struct pybpf_object *pybpf_program__object(const struct pybpf_program *prog)
{
	return prog ? prog->obj : NULL;
}

struct bpf_program *pybpf_program__bpf_program(const struct pybpf_program *prog)
{
	return prog ? prog->prog : NULL;
}

int pybpf_prog_loaded_fd(const struct pybpf_program *prog)
{
	int fd = bpf_program__fd(prog->prog);

	if (fd < 0) {
		pr_warn("prog '%s': not loaded", bpf_program__name(prog->prog));
		return -EBADF;
	}
	return fd;
}

int pybpf_program__info(const struct pybpf_program *prog, struct pybpf_prog_info *info)
{
	struct bpf_prog_info kinfo;
	struct pybpf_prog_info out;
	__u32 len = sizeof(kinfo);
	size_t sz;
	int fd, err;

	if (!prog || !info || info->sz < sizeof(info->sz))
		return pybpf_err(-EINVAL);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err(fd);
	memset(&kinfo, 0, sizeof(kinfo));
	err = bpf_obj_get_info_by_fd(fd, &kinfo, &len);
	if (err) {
		err = -errno;
		pr_warn("prog '%s': cannot get info: %s", bpf_program__name(prog->prog),
			strerror(-err));
		return pybpf_err(err);
	}

	memset(&out, 0, sizeof(out));
	out.id = kinfo.id;
	out.type = kinfo.type;
	out.btf_id = kinfo.btf_id;
	out.nr_func_info = kinfo.nr_func_info;
	out.nr_line_info = kinfo.nr_line_info;
	out.xlated_insn_cnt = kinfo.xlated_prog_len / (__u32)sizeof(struct bpf_insn);
	out.jited_len = kinfo.jited_prog_len;
	out.nr_jited_funcs = kinfo.nr_jited_ksyms;
	out.verified_insns = kinfo.verified_insns;
	out.run_cnt = kinfo.run_cnt;
	out.run_time_ns = kinfo.run_time_ns;
	memcpy(out.name, kinfo.name, sizeof(out.name));

	/* Copy only what the caller's struct has room for; keep its sz. */
	sz = info->sz < sizeof(out) ? info->sz : sizeof(out);
	out.sz = info->sz;
	memcpy(info, &out, sz);
	return 0;
}

/* ---- line info ---- */

struct pybpf_line_info {
	struct btf *btf; /* the program's BTF, read back from the kernel */
	struct pybpf_line *lines;
	size_t cnt;
};

void pybpf_line_info__free(struct pybpf_line_info *li)
{
	if (!li)
		return;
	btf__free(li->btf);
	free(li->lines);
	free(li);
}

/* A BTF string, or "" when the offset is invalid. */
static const char *btf_str(const struct btf *btf, __u32 off)
{
	const char *s = btf__name_by_offset(btf, off);

	return s ? s : "";
}

/*
 * Asks the kernel for the program's raw line info records (struct
 * bpf_line_info: insn_off, file_name_off, line_off, line_col; the offsets
 * point into the program's BTF strings). First call: how many; second call:
 * the records, into *recs (malloc'ed; the caller frees it). 0 or -errno.
 */
static int fetch_line_info(int fd, struct bpf_prog_info *info, char **recs)
{
	__u32 len = sizeof(*info), n, rec_size;

	*recs = NULL;
	memset(info, 0, sizeof(*info));
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		return -errno;
	n = info->nr_line_info;
	rec_size = info->line_info_rec_size;
	if (n == 0)
		return 0;
	if (rec_size < sizeof(struct bpf_line_info))
		return -EPROTO;
	*recs = calloc(n, rec_size);
	if (!*recs)
		return -ENOMEM;

	memset(info, 0, sizeof(*info));
	info->nr_line_info = n;
	info->line_info_rec_size = rec_size;
	info->line_info = (__u64)(uintptr_t)*recs;
	len = sizeof(*info);
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		return -errno;
	return 0;
}

/* Resolves each record through the program's BTF, read back from the kernel. */
static int resolve_line_info(struct pybpf_line_info *li, const struct bpf_prog_info *info,
			     const char *recs, const char *name)
{
	__u32 i, n = info->nr_line_info;
	int err;

	li->btf = btf__load_from_kernel_by_id(info->btf_id);
	if (!li->btf) {
		err = -errno;
		pr_warn("prog '%s': cannot load its BTF (id %u) from the kernel: %s", name,
			info->btf_id, strerror(-err));
		return err;
	}
	li->lines = calloc(n, sizeof(*li->lines));
	if (!li->lines)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct bpf_line_info r;

		memcpy(&r, recs + (size_t)i * info->line_info_rec_size, sizeof(r));
		li->lines[i].insn_off = r.insn_off;
		li->lines[i].line = BPF_LINE_INFO_LINE_NUM(r.line_col);
		li->lines[i].col = BPF_LINE_INFO_LINE_COL(r.line_col);
		li->lines[i].file = btf_str(li->btf, r.file_name_off);
		li->lines[i].text = btf_str(li->btf, r.line_off);
	}
	li->cnt = n;
	return 0;
}

struct pybpf_line_info *pybpf_program__line_info(const struct pybpf_program *prog)
{
	const char *name;
	struct bpf_prog_info info;
	struct pybpf_line_info *li;
	char *recs;
	int fd, err;

	if (!prog)
		return pybpf_err_ptr(-EINVAL);
	name = bpf_program__name(prog->prog);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err_ptr(fd);
	li = calloc(1, sizeof(*li));
	if (!li)
		return pybpf_err_ptr(-ENOMEM);
	err = fetch_line_info(fd, &info, &recs);
	if (err)
		pr_warn("prog '%s': cannot get line info: %s", name, strerror(-err));
	else if (info.nr_line_info > 0)
		err = resolve_line_info(li, &info, recs, name);
	free(recs);
	if (err) {
		pybpf_line_info__free(li);
		return pybpf_err_ptr(err);
	}
	return li;
}

size_t pybpf_line_info__cnt(const struct pybpf_line_info *li)
{
	return li ? li->cnt : 0;
}

const struct pybpf_line *pybpf_line_info__line(const struct pybpf_line_info *li, size_t i)
{
	if (!li || i >= li->cnt)
		return pybpf_err_ptr(-ERANGE);
	return &li->lines[i];
}

const struct pybpf_line *pybpf_line_info__find(const struct pybpf_line_info *li, __u32 insn_off)
{
	const struct pybpf_line *best = NULL;
	size_t i;

	if (!li)
		return pybpf_err_ptr(-EINVAL);
	/* Records are sorted by insn_off (the kernel checks this at load). */
	for (i = 0; i < li->cnt && li->lines[i].insn_off <= insn_off; i++)
		best = &li->lines[i];
	return best ? best : pybpf_err_ptr(-ENOENT);
}

/* ---- attach and links ---- */

/* libbpf finds tracepoints (and legacy kprobes/uprobes) through tracefs. */
static int needs_tracefs(const struct pybpf_program *prog)
{
	switch (bpf_program__type(prog->prog)) {
	case BPF_PROG_TYPE_TRACEPOINT:
	case BPF_PROG_TYPE_KPROBE:
		return 1;
	default:
		return 0;
	}
}

struct pybpf_link *pybpf_program__attach(const struct pybpf_program *prog)
{
	struct pybpf_link *link;
	int err;

	if (!prog)
		return pybpf_err_ptr(-EINVAL);
	err = pybpf_prog_loaded_fd(prog);
	if (err < 0)
		return pybpf_err_ptr(err);
	if (needs_tracefs(prog)) {
		const char *dir;

		pybpf_tracing_dir(&dir); /* if this fails, the attach says why */
	}
	link = pybpf_link_new(PYBPF_LINK_BPF, bpf_program__attach(prog->prog));
	if (!link) {
		err = -errno;
		if (err != -EOPNOTSUPP)
			pr_warn("prog '%s': attach to '%s' failed: %s",
				bpf_program__name(prog->prog),
				bpf_program__section_name(prog->prog), strerror(-err));
		return pybpf_err_ptr(err);
	}
	return link;
}

struct pybpf_link *pybpf_program__link(const struct pybpf_program *prog)
{
	return prog ? prog->link : NULL;
}
