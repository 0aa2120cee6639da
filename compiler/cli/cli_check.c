/*
 * cli_check.c - `pybpf check`: compile in memory and load into the kernel
 * verifier without attaching anything.
 *
 * When every program loads it prints one "ok" line. When the verifier
 * rejects a program, the complaint becomes a diagnostic in the compiler's
 * format at the Python source of the instruction the verifier stopped at,
 * then the tail of the verifier log follows; libbpf stops at the first
 * program it cannot load, so the object is loaded again without it until
 * every rejected program is reported:
 *
 *	prog.py:19:11: error: the verifier rejected program 'spin': BPF program is too large...
 *	    while i != n:
 *	          ^
 *	note: last 20 lines of the verifier log:
 *	  ...
 *
 * Where the location comes from: the verifier log names the failing
 * instruction (the last "N: (op) ..." line) and, because the object carries
 * BTF line info, the kernel annotates instructions with "; <source> @
 * file:line" whenever the covering line info record changes, so the last
 * annotation before the failing instruction gives its line, as the kernel
 * saw it (also for instructions of subprograms libbpf appended to the
 * program). The kernel log has no column, so the column comes from the
 * object's own .BTF.ext line info (each record's line_col holds line << 10 |
 * column, the column the compiler put in the instruction's DILocation): the
 * record covering the instruction, found through the program's symbol
 * offset in its ELF section. If that record's line is not the kernel's
 * (an appended subprogram), the first record of the kernel's line gives the
 * column; without any, the first non-blank character of the line.
 */
#include "cli.h"
#include "diag.h"
#include "pybpf/libpybpf.h"

#include <ctype.h>
#include <errno.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/btf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LOG_TAIL_LINES 20

typedef struct CheckOptions {
	const char *input;
	struct pybpf_compile_opts copts;
} CheckOptions;

static int parse_check_args(int argc, char **argv, CheckOptions *co)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = cli_compile_option(argc, argv, &i, &co->copts);
		if (r < 0)
			return -1;
		if (r > 0)
			continue;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_usage(stdout);
			exit(0);
		} else if (a[0] == '-' && a[1]) {
			return cli_usage_error("unknown option '%s'", a), -1;
		} else if (co->input) {
			return cli_usage_error("more than one input file ('%s')", a), -1;
		} else {
			co->input = a;
		}
	}
	if (!co->input)
		return cli_usage_error("%s", "check needs an input file"), -1;
	return 0;
}

/* ---- the verifier log ---- */

typedef struct Rejection {
	char prog[128];	   /* the program libbpf could not load */
	const char *log;   /* its verifier log (in the object's load log) */
	size_t log_len;	   /* up to "-- END PROG LOAD LOG --" */
	long insn;	   /* the failing instruction, -1 if unknown */
	int line;	   /* from the last "; ... @ file:line" before it; 0 if none */
	char message[512]; /* the verifier's complaint */
} Rejection;

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

static void set_message(Rejection *r, const char *p, size_t n)
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
	if (n >= sizeof(r->message))
		n = sizeof(r->message) - 1;
	memcpy(r->message, p, n);
	r->message[n] = 0;
}

/* Finds the rejected program's log in libbpf's messages; false if none. */
static bool parse_rejection(const char *log, Rejection *r)
{
	static const char begin[] = "': -- BEGIN PROG LOAD LOG --\n";
	static const char end_mark[] = "-- END PROG LOAD LOG --";
	const char *b = strstr(log, begin);
	memset(r, 0, sizeof(*r));
	r->insn = -1;
	if (!b)
		return false;
	/* "libbpf: prog 'NAME': -- BEGIN ..." */
	const char *q = b;
	while (q > log && q[-1] != '\'')
		q--;
	size_t name_len = (size_t)(b - q);
	if (name_len < sizeof(r->prog)) {
		memcpy(r->prog, q, name_len);
		r->prog[name_len] = 0;
	}
	r->log = b + strlen(begin);
	const char *e = strstr(r->log, end_mark);
	r->log_len = e ? (size_t)(e - r->log) : strlen(r->log);

	/* the instruction the verifier stopped at is the last one it printed;
	 * its complaint is the first line after it (or, e.g. for "BPF program
	 * is too large", the end of that line) */
	const char *end = r->log + r->log_len, *insn_line = NULL, *msg = NULL;
	size_t insn_len = 0, msg_len = 0;
	int last_annotation = 0;
	for (const char *p = r->log; p < end;) {
		size_t n = line_len(p, end);
		long idx = insn_index(p, n);
		int al = annotation_line(p, n);
		if (al) {
			last_annotation = al;
		} else if (idx >= 0) {
			r->insn = idx;
			r->line = last_annotation;
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
		set_message(r, msg, msg_len);
	else if (insn_line)
		set_message(r, insn_line, insn_len);
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

typedef struct ElfInfo {
	Elf_Data *btf, *ext;
	Elf_Data *symtab;
	size_t symtab_strndx;
	size_t prog_shndx;
	Elf *elf;
} ElfInfo;

static const char *btf_string(const ElfInfo *ei, __u32 off)
{
	const struct btf_header *h = ei->btf->d_buf;
	if (ei->btf->d_size < sizeof(*h) ||
	    h->str_off + (size_t)h->hdr_len + off >= ei->btf->d_size)
		return "";
	return (const char *)ei->btf->d_buf + h->hdr_len + h->str_off + off;
}

/* The byte offset of program `name` in its section, or -1. */
static long prog_offset(const ElfInfo *ei, const char *name, size_t *size)
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
 * The column (1-based, 0 unknown) of instruction `insn` of program `prog`
 * (in ELF section `sec`), when its line info record says line `line`;
 * else of the first record of `line`.
 */
static int find_column(const void *obj, size_t obj_len, const char *sec, const char *prog,
		       long insn, int line)
{
	ElfInfo ei = {0};
	size_t shstrndx;
	int col = 0, fallback = 0;
	Elf_Scn *scn = NULL;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return 0;
	ei.elf = elf_memory((char *)(uintptr_t)obj, obj_len);
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
		} else if (strcmp(n, sec) == 0)
			ei.prog_shndx = elf_ndxscn(scn);
	}
	if (!ei.btf || !ei.ext || ei.ext->d_size < sizeof(struct ext_header))
		goto out;
	size_t prog_size = 0;
	long base = prog_offset(&ei, prog, &prog_size);
	long target = base >= 0 && insn >= 0 && (size_t)insn * 8 < prog_size ? base + insn * 8 : -1;

	const struct ext_header *h = ei.ext->d_buf;
	const unsigned char *p =
		(const unsigned char *)ei.ext->d_buf + h->hdr_len + h->line_info_off;
	const unsigned char *end = p + h->line_info_len;
	if (end > (const unsigned char *)ei.ext->d_buf + ei.ext->d_size || h->line_info_len < 4)
		goto out;
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
		bool ours = strcmp(btf_string(&ei, sec_off), sec) == 0;
		const struct line_rec *best = NULL;
		for (__u32 i = 0; i < cnt && p + rec_size <= end; i++, p += rec_size) {
			struct line_rec rec;
			memcpy(&rec, p, sizeof(rec));
			if (!fallback && (int)(rec.line_col >> 10) == line)
				fallback = (int)(rec.line_col & 0x3ff);
			if (ours && target >= 0 && rec.insn_off <= (__u32)target)
				best = (const struct line_rec *)p;
		}
		if (best) {
			struct line_rec rec;
			memcpy(&rec, best, sizeof(rec));
			if ((int)(rec.line_col >> 10) == line)
				col = (int)(rec.line_col & 0x3ff);
		}
	}
out:
	if (ei.elf)
		elf_end(ei.elf);
	return col ? col : fallback;
}

/* ---- the report ---- */

/* Prints the last LOG_TAIL_LINES lines of the rejected program's log. */
static void print_log_tail(const Rejection *r)
{
	const char *starts[LOG_TAIL_LINES];
	size_t lens[LOG_TAIL_LINES], cnt = 0;
	const char *end = r->log + r->log_len;

	for (const char *p = r->log; p < end;) {
		size_t n = line_len(p, end);
		starts[cnt % LOG_TAIL_LINES] = p;
		lens[cnt % LOG_TAIL_LINES] = n;
		cnt++;
		p += n + 1;
	}
	size_t first = cnt > LOG_TAIL_LINES ? cnt - LOG_TAIL_LINES : 0;
	for (size_t i = first; i < cnt; i++)
		fprintf(stderr, "  %.*s\n", (int)lens[i % LOG_TAIL_LINES],
			starts[i % LOG_TAIL_LINES]);
}

static void report_rejection(const CheckOptions *co, const char *src, size_t len, const void *obj,
			     size_t obj_len, struct pybpf_object *o, const Rejection *r)
{
	struct pybpf_program *prog = pybpf_object__find_program_by_name(o, r->prog);
	const char *sec = prog ? pybpf_program__section_name(prog) : "";
	Arena *a = arena_new();
	Diags d;
	SrcLoc loc = {0, 0, 0, 0};

	if (!a) {
		fprintf(stderr, "pybpf: error: out of memory\n");
		return;
	}
	diag_init(&d, a, co->input, src, len);
	if (r->line > 0) {
		int col = find_column(obj, obj_len, sec, r->prog, r->insn, r->line);
		size_t ll;
		const char *lt = diag_line_text(&d, r->line, &ll);
		int c0 = 0; /* 0-based byte column */
		if (col > 0)
			c0 = col - 1;
		else
			while ((size_t)c0 < ll && (lt[c0] == ' ' || lt[c0] == '\t'))
				c0++;
		loc = srcloc(r->line, c0, 0, 0);
	}
	/* rendered by the compiler's diagnostics code, but formatted here: these
	 * messages come from `pybpf check` (tested in tests/cli, CheckTest), never
	 * from a compile, which is all tests/diagnostics/check_coverage.py runs */
	char *msg = arena_printf(a, "the verifier rejected program '%s': %s", r->prog,
				 r->message[0] ? r->message : "(no message)");
	Diag *g = diag_error(&d, loc, "%s", msg);
	if (r->insn >= 0) {
		msg = arena_printf(a, "at instruction %ld of program '%s' (section '%s')", r->insn,
				   r->prog, sec);
		diag_note(&d, g, srcloc(0, 0, 0, 0), "%s", msg);
	}
	fputs(diag_render(&d, g), stderr);
	fprintf(stderr, "note: the end of the verifier log:\n");
	print_log_tail(r);
	arena_free(a);
}

static int silent(enum pybpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/*
 * Loads the object; when the verifier rejects a program, reports it and
 * loads again (a fresh open: libbpf loads an object once) without the
 * programs rejected so far, until the rest loads. Returns the exit status.
 */
static int check_object(const CheckOptions *co, const char *src, size_t len, const void *obj,
			size_t obj_len)
{
	char rejected[64][128];
	size_t nrej = 0, total = 0;
	int status = 0;

	for (;;) {
		struct pybpf_object *o = pybpf_object__open_mem(obj, obj_len, NULL);
		struct pybpf_program *prog;
		Rejection r;
		if (!o) {
			fprintf(stderr, "pybpf: error: cannot open the compiled object: %s\n",
				strerror(errno));
			return 2;
		}
		total = pybpf_object__program_cnt(o);
		pybpf_object__for_each_program (prog, o)
			for (size_t i = 0; i < nrej; i++)
				if (strcmp(pybpf_program__name(prog), rejected[i]) == 0)
					pybpf_program__set_autoload(prog, false);
		if (pybpf_object__load(o) == 0) {
			pybpf_object__close(o);
			break;
		}
		int err = errno;
		status = 1;
		bool again = parse_rejection(pybpf_object__load_log(o), &r) && r.prog[0] &&
			     nrej < sizeof(rejected) / sizeof(*rejected);
		for (size_t i = 0; again && i < nrej; i++)
			again = strcmp(rejected[i], r.prog) != 0;
		if (!again) {
			fprintf(stderr, "%s: error: the kernel did not load the object: %s\n",
				co->input, strerror(err));
			fputs(pybpf_object__load_log(o), stderr);
			pybpf_object__close(o);
			return status;
		}
		report_rejection(co, src, len, obj, obj_len, o, &r);
		snprintf(rejected[nrej++], sizeof(*rejected), "%s", r.prog);
		pybpf_object__close(o);
	}
	if (nrej)
		fprintf(stderr, "%s: %zu of %zu program%s rejected by the verifier\n", co->input,
			nrej, total, total == 1 ? "" : "s");
	else
		printf("%s: ok: %zu program%s passed the verifier\n", co->input, total,
		       total == 1 ? "" : "s");
	return status;
}

int cli_check(int argc, char **argv)
{
	CheckOptions co = {0};
	co.copts.sz = sizeof co.copts;
	if (parse_check_args(argc, argv, &co))
		return 2;

	size_t len;
	char *src = cli_read_file(co.input, &len);
	if (!src)
		return 2;
	co.copts.filename = co.input;
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile(src, len, &co.copts, &res);
	fputs(pybpf_result__diags_text(res), stderr);
	if (rc) {
		pybpf_result__free(res);
		free(src);
		return rc == 1 ? 1 : 2;
	}

	size_t obj_len;
	const void *obj = pybpf_result__output(res, &obj_len);
	pybpf_set_print(silent); /* the load log is kept in the object */
	int status = check_object(&co, src, len, obj, obj_len);
	pybpf_result__free(res);
	free(src);
	return status;
}
