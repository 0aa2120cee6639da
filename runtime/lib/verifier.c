/*
 * verifier.c - where the verifier rejected a program: the rejected program,
 * the failing instruction and the complaint from its verifier log, and the
 * source location of that instruction.
 *
 * The verifier log names the failing instruction (the last "N: (op) ..."
 * line) and, because the object carries BTF line info, the kernel annotates
 * instructions with "; <source> @ file:line" whenever the covering line info
 * record changes, so the last annotation before the failing instruction
 * gives its line, as the kernel saw it (also for instructions of
 * subprograms libbpf appended to the program). The kernel log has no
 * column, so the column (and the file name and the line's text) come from
 * the object's own .BTF.ext line info (each record's line_col holds line <<
 * 10 | column): the record covering the instruction, found through the
 * program's symbol offset in its ELF section. If that record's line is not
 * the kernel's (an appended subprogram), the first record of the kernel's
 * line is used.
 */
#include "internal.h"

#include <ctype.h>
#include <elf.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <string.h>

/* ---- the verifier log ---- */

/* Length of the line at p (without the newline). */
static size_t line_len(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	return (size_t)((nl ? nl : end) - p);
}

/* "N: (xx) ...": an instruction line; returns N, or -1. */
static long insn_index(const char *p, size_t n)
{
	size_t i = 0;
	long v = 0;

	while (i < n && isdigit((unsigned char)p[i]))
		v = v * 10 + (p[i++] - '0');
	if (i == 0 || i + 3 > n || p[i] != ':' || p[i + 1] != ' ' || p[i + 2] != '(')
		return -1;
	return v;
}

/* "; <source> @ <file>:<line>": the line number, or 0. */
static int annotation_line(const char *p, size_t n)
{
	if (n < 2 || p[0] != ';')
		return 0;
	for (size_t i = n; i-- > 0;) {
		if (p[i] == ':') {
			int line = 0;
			for (size_t j = i + 1; j < n && isdigit((unsigned char)p[j]); j++)
				line = line * 10 + (p[j] - '0');
			return line;
		}
		if (!isdigit((unsigned char)p[i]))
			return 0;
	}
	return 0;
}

/* Statistics the verifier prints after the verdict. */
static bool is_summary(const char *p, size_t n)
{
	static const char *const prefixes[] = {"processed ", "verification time ", "stack depth ",
					       "R0="};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(*prefixes); i++)
		if (n >= strlen(prefixes[i]) && memcmp(p, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return n == 0;
}

static void set_message(struct pybpf_load_error *e, const char *p, size_t n)
{
	static const char *const embedded[] = {"BPF program is too large"};

	/* a complaint printed on the instruction's own line */
	if (insn_index(p, n) >= 0) {
		for (size_t i = 0; i < sizeof(embedded) / sizeof(*embedded); i++) {
			const char *m = strstr(p, embedded[i]);
			if (m && m < p + n) {
				n -= (size_t)(m - p);
				p = m;
				break;
			}
		}
	}
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\r'))
		n--;
	if (n >= sizeof(e->message))
		n = sizeof(e->message) - 1;
	memcpy(e->message, p, n);
	e->message[n] = 0;
}

/*
 * Finds the rejected program's log in the load log: its name (into name),
 * its log, the failing instruction, the kernel's line of it and the
 * complaint. False if there is none.
 */
static bool parse_rejection(const char *log, char *name, size_t name_size,
			    struct pybpf_load_error *e)
{
	static const char begin[] = "': -- BEGIN PROG LOAD LOG --\n";
	static const char end_mark[] = "-- END PROG LOAD LOG --";
	const char *b = strstr(log, begin);

	if (!b)
		return false;
	/* "libbpf: prog 'NAME': -- BEGIN ..." */
	const char *q = b;
	while (q > log && q[-1] != '\'')
		q--;
	size_t name_len = (size_t)(b - q);
	if (name_len >= name_size)
		name_len = name_size - 1;
	memcpy(name, q, name_len);
	name[name_len] = 0;
	e->log = b + strlen(begin);
	const char *end_log = strstr(e->log, end_mark);
	e->log_len = end_log ? (size_t)(end_log - e->log) : strlen(e->log);

	/* the instruction the verifier stopped at is the last one it printed;
	 * its complaint is the first line after it (or, e.g. for "BPF program
	 * is too large", the end of that line) */
	const char *end = e->log + e->log_len, *insn_line = NULL, *msg = NULL;
	size_t insn_len = 0, msg_len = 0;
	int last_annotation = 0;
	for (const char *p = e->log; p < end;) {
		size_t n = line_len(p, end);
		long idx = insn_index(p, n);
		int al = annotation_line(p, n);
		if (al) {
			last_annotation = al;
		} else if (idx >= 0) {
			e->insn = idx;
			e->line = last_annotation;
			insn_line = p;
			insn_len = n;
			msg = NULL;
		} else if (!msg && !is_summary(p, n)) {
			msg = p;
			msg_len = n;
		}
		p += n + (p + n < end);
	}
	if (msg)
		set_message(e, msg, msg_len);
	else if (insn_line)
		set_message(e, insn_line, insn_len);
	return true;
}

/* ---- line info of the object (.BTF.ext) ---- */

struct ext_header {
	__u16 magic;
	__u8 version, flags;
	__u32 hdr_len;
	__u32 func_info_off, func_info_len;
	__u32 line_info_off, line_info_len;
};

struct line_rec {
	__u32 insn_off, file_name_off, line_off, line_col;
};

struct elf_info {
	Elf *elf;
	Elf_Data *btf, *ext, *symtab;
	size_t symtab_strndx;
	size_t prog_shndx;
};

/* A string of the object's .BTF (in the object's copy of the ELF image). */
static const char *btf_string(const struct elf_info *ei, __u32 off)
{
	const struct btf_header *h = ei->btf->d_buf;

	if (ei->btf->d_size < sizeof(*h) || off >= h->str_len ||
	    h->hdr_len + (size_t)h->str_off + h->str_len > ei->btf->d_size)
		return NULL;
	return (const char *)ei->btf->d_buf + h->hdr_len + h->str_off + off;
}

/* The byte offset of program `name` in its section, or -1. */
static long prog_offset(const struct elf_info *ei, const char *name, size_t *size)
{
	GElf_Sym sym;

	for (int i = 0; ei->symtab && gelf_getsym(ei->symtab, i, &sym); i++) {
		const char *n = elf_strptr(ei->elf, ei->symtab_strndx, sym.st_name);
		if (n && strcmp(n, name) == 0 && sym.st_shndx == ei->prog_shndx &&
		    GELF_ST_TYPE(sym.st_info) == STT_FUNC) {
			*size = sym.st_size;
			return (long)sym.st_value;
		}
	}
	return -1;
}

/*
 * The size of the ELF image at p (the object keeps the bytes, not their
 * size): the end of its last section or of its section header table. 0 if
 * it is not a 64-bit ELF.
 */
static size_t elf_image_size(const void *p)
{
	Elf64_Ehdr eh;
	size_t size;

	memcpy(&eh, p, sizeof(eh));
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize < sizeof(Elf64_Shdr))
		return 0;
	size = eh.e_shoff + (size_t)eh.e_shnum * eh.e_shentsize;
	for (size_t i = 0; i < eh.e_shnum; i++) {
		Elf64_Shdr sh;
		memcpy(&sh, (const char *)p + eh.e_shoff + i * eh.e_shentsize, sizeof(sh));
		if (sh.sh_type != SHT_NOBITS && sh.sh_offset + sh.sh_size > size)
			size = sh.sh_offset + sh.sh_size;
	}
	return size;
}

/*
 * Fills file, col and source_line of e from the line info record of
 * instruction e->insn of program `prog` (in section e->section) when its
 * line is e->line, else from the first record of e->line.
 */
static void find_location(const void *image, const char *prog, struct pybpf_load_error *e)
{
	struct elf_info ei = {0};
	struct line_rec found, first;
	bool have_found = false, have_first = false;
	size_t shstrndx, size = image ? elf_image_size(image) : 0;
	Elf_Scn *scn = NULL;

	if (!size || elf_version(EV_CURRENT) == EV_NONE)
		return;
	ei.elf = elf_memory((char *)(uintptr_t)image, size);
	if (!ei.elf || elf_getshdrstrndx(ei.elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(ei.elf, scn))) {
		GElf_Shdr sh;
		const char *n;
		if (!gelf_getshdr(scn, &sh) || !(n = elf_strptr(ei.elf, shstrndx, sh.sh_name)))
			continue;
		if (strcmp(n, ".BTF") == 0)
			ei.btf = elf_getdata(scn, NULL);
		else if (strcmp(n, ".BTF.ext") == 0)
			ei.ext = elf_getdata(scn, NULL);
		else if (sh.sh_type == SHT_SYMTAB) {
			ei.symtab = elf_getdata(scn, NULL);
			ei.symtab_strndx = sh.sh_link;
		} else if (strcmp(n, e->section) == 0)
			ei.prog_shndx = elf_ndxscn(scn);
	}
	if (!ei.btf || !ei.ext || ei.ext->d_size < sizeof(struct ext_header))
		goto out;
	size_t prog_size = 0;
	long base = prog_offset(&ei, prog, &prog_size);
	long target = base >= 0 && e->insn >= 0 && (size_t)e->insn * 8 < prog_size
			      ? base + e->insn * 8
			      : -1;

	const struct ext_header *h = ei.ext->d_buf;
	if ((size_t)h->hdr_len + h->line_info_off + h->line_info_len > ei.ext->d_size ||
	    h->line_info_len < 4)
		goto out;
	const unsigned char *p =
		(const unsigned char *)ei.ext->d_buf + h->hdr_len + h->line_info_off;
	const unsigned char *end = p + h->line_info_len;
	__u32 rec_size;
	memcpy(&rec_size, p, 4);
	p += 4;
	if (rec_size < sizeof(struct line_rec))
		goto out;
	while (p + 8 <= end) {
		__u32 sec_off, cnt;
		memcpy(&sec_off, p, 4);
		memcpy(&cnt, p + 4, 4);
		p += 8;
		const char *sec = btf_string(&ei, sec_off);
		bool ours = sec && strcmp(sec, e->section) == 0;
		struct line_rec best;
		bool have_best = false;
		for (__u32 i = 0; i < cnt && p + rec_size <= end; i++, p += rec_size) {
			struct line_rec rec;
			memcpy(&rec, p, sizeof(rec));
			if (!have_first && (int)(rec.line_col >> 10) == e->line) {
				first = rec;
				have_first = true;
			}
			if (ours && target >= 0 && rec.insn_off <= (__u32)target) {
				best = rec;
				have_best = true;
			}
		}
		if (have_best && (int)(best.line_col >> 10) == e->line) {
			found = best;
			have_found = true;
		}
	}
	if (!have_found && have_first) {
		found = first;
		have_found = true;
	}
	if (have_found) {
		e->file = btf_string(&ei, found.file_name_off);
		e->source_line = btf_string(&ei, found.line_off);
		e->col = (int)(found.line_col & 0x3ff);
	}
out:
	if (ei.elf)
		elf_end(ei.elf);
}

int pybpf_object__load_error(const struct pybpf_object *obj, struct pybpf_load_error *err)
{
	struct pybpf_load_error out;
	struct pybpf_program *prog;
	char name[128];
	size_t sz;

	if (!obj || !err || err->sz < sizeof(err->sz))
		return pybpf_err(-EINVAL);
	memset(&out, 0, sizeof(out));
	out.insn = -1;
	if (!obj->load_tried || !obj->log.buf ||
	    !parse_rejection(obj->log.buf, name, sizeof(name), &out))
		return pybpf_err(-ENOENT);
	prog = pybpf_object__find_program_by_name(obj, name);
	if (!prog)
		return pybpf_err(-ENOENT);
	out.prog_name = pybpf_program__name(prog);
	out.section = pybpf_program__section_name(prog);
	if (out.line > 0 && out.section)
		find_location(obj->elf_copy, out.prog_name, &out);
	sz = err->sz < sizeof(out) ? err->sz : sizeof(out);
	out.sz = err->sz;
	memcpy(err, &out, sz);
	return 0;
}
