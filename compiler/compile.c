/*
 * compile.c - the library entry point: pybpf_compile() runs the phases.
 *
 * source -> parse (AST) -> sema (checked Program) -> lower (LLVM module)
 *        -> emit (object bytes)
 * Each phase runs only when the previous ones reported no error. All the
 * work happens in one arena that is freed before returning; the result keeps
 * its own arena with the output and the rendered diagnostics. Running out of
 * memory anywhere jumps back here and ends in a clean -ENOMEM.
 */
#include "pybpf/compile.h"

#include "ast.h"
#include "diag.h"
#include "emit.h"
#include "kbtf.h"
#include "lower.h"
#include "parse.h"
#include "sema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct pybpf_result {
	Arena *arena;
	const char *out;
	size_t out_len;
	struct pybpf_diag *diags;
	size_t ndiags;
	const char *diags_text;
	int errors;
	const char **deps; /* the local modules read */
	size_t ndeps;
};

int pybpf_mcpu_valid(const char *mcpu)
{
	static const char *const cpus[] = {"v1", "v2", "v3", "v4"};
	for (int i = 0; i < 4; i++)
		if (mcpu && strcmp(mcpu, cpus[i]) == 0)
			return i + 1;
	return 0;
}

const char *pybpf_version(void)
{
	return PYBPF_VERSION;
}

const char *pybpf_llvm_version(void)
{
	return emit_llvm_version();
}

static void dispose_context(void *p)
{
	LLVMContextDispose(p);
}

static void dispose_module(void *p)
{
	LLVMDisposeModule(p);
}

/* Character column (1-based) of a byte column on a line. */
static int char_column(const Diags *d, int file, int line, int bytecol)
{
	size_t len;
	const char *text = diag_file_line_text(d, file, line, &len);
	int c = 1;
	for (int i = 0; i < bytecol && (size_t)i < len; i++)
		if (((unsigned char)text[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Copies the location and message of g into pd (file and strings in r's arena). */
static void export_diag(struct pybpf_result *r, Diags *d, const Diag *g, struct pybpf_diag *pd)
{
	pd->level = (enum pybpf_diag_level)g->level;
	pd->file = arena_strdup(r->arena, diag_file_name(d, g->loc.file));
	pd->line = g->loc.line;
	pd->col = g->loc.line ? char_column(d, g->loc.file, g->loc.line, g->loc.col) : 0;
	pd->end_line = g->loc.end_line;
	pd->end_col =
		g->loc.end_line ? char_column(d, g->loc.file, g->loc.end_line, g->loc.end_col) : 0;
	pd->message = arena_strdup(r->arena, g->msg);
}

/* Copies the diagnostics (rendered) into the result's arena. */
static void collect_diags(struct pybpf_result *r, Diags *d)
{
	diag_sort(d);
	r->ndiags = (size_t)d->items.n;
	r->diags = arena_alloc(r->arena, sizeof(struct pybpf_diag) * (r->ndiags + 1));
	size_t total = 0;
	char **texts = arena_alloc(d->arena, sizeof(char *) * (r->ndiags + 1));
	for (size_t i = 0; i < r->ndiags; i++) {
		Diag *g = d->items.items[i];
		struct pybpf_diag *pd = &r->diags[i];
		export_diag(r, d, g, pd);
		for (const Diag *n = g->notes; n; n = n->next)
			pd->note_cnt++;
		struct pybpf_diag *notes =
			arena_alloc(r->arena, sizeof(struct pybpf_diag) * (pd->note_cnt + 1));
		size_t k = 0;
		for (const Diag *n = g->notes; n; n = n->next, k++) {
			export_diag(r, d, n, &notes[k]);
			notes[k].text = arena_strdup(r->arena, diag_render(d, n));
		}
		pd->notes = notes;
		texts[i] = diag_render(d, g);
		pd->text = arena_strdup(r->arena, texts[i]);
		total += strlen(texts[i]);
	}
	char *all = arena_alloc(r->arena, total + 64);
	size_t at = 0;
	for (size_t i = 0; i < r->ndiags; i++) {
		size_t n = strlen(texts[i]);
		memcpy(all + at, texts[i], n);
		at += n;
	}
	if (d->dropped)
		snprintf(all + at, 64, "%s: note: %d more errors not shown\n", d->filename,
			 d->dropped);
	r->diags_text = all;
	r->errors = d->errors + d->dropped;
}

static int valid_opts(const struct pybpf_compile_opts *o)
{
	if (!o)
		return 1;
	if (o->sz < sizeof(size_t) || o->sz > 4096)
		return 0;
	if (o->mcpu && !pybpf_mcpu_valid(o->mcpu))
		return 0;
	if ((unsigned)o->opt > PYBPF_OPT_O3 || (unsigned)o->emit > PYBPF_EMIT_ASM)
		return 0;
	return 1;
}

static int has_internal_error(const Diags *d)
{
	for (int i = 0; i < d->items.n; i++) {
		const Diag *g = d->items.items[i];
		if (g->level == DIAG_ERROR && strncmp(g->msg, "internal compiler", 17) == 0)
			return 1;
	}
	return d->errors == 0;
}

/* Runs the phases; returns 0, 1 (errors in the source) or -EIO. */
static int run_phases(Arena *work, Diags *d, const char *src, size_t len,
		      const struct pybpf_compile_opts *o, struct pybpf_result *r)
{
	const char *mcpu = o && o->mcpu ? o->mcpu : "v3";
	int opt = o && o->opt != PYBPF_OPT_DEFAULT ? (int)o->opt - 1 : 2;
	EmitKind kind = o ? (EmitKind)o->emit : EMIT_OBJ;

	AstNode *mod = parse_file(work, d, src, len);
	if (!mod || d->errors)
		return 1;
	SemaOptions so = {.mcpu = pybpf_mcpu_valid(mcpu)};
	if (o && o->sz >= offsetof(struct pybpf_compile_opts, btf_path) + sizeof(o->btf_path))
		so.btf_path = o->btf_path;
	if (o && o->sz >= offsetof(struct pybpf_compile_opts, define_cnt) + sizeof(o->define_cnt)) {
		so.defines = o->defines;
		so.define_cnt = o->defines ? o->define_cnt : 0;
	}
	if (o && o->sz >= offsetof(struct pybpf_compile_opts, include_dir_cnt) +
				  sizeof(o->include_dir_cnt)) {
		so.include_dirs = o->include_dirs;
		so.include_dir_cnt = o->include_dirs ? o->include_dir_cnt : 0;
	}
	PtrVec deps = {0};
	so.deps = &deps;
	Program *p = sema_check(work, d, mod, &so);
	/* the default kernel BTF, when it was read (a --btf file is listed by
	 * the caller, which knows it) */
	if (p && p->kbtf && !so.btf_path)
		ptrvec_push(work, &deps, (void *)kbtf_path(p->kbtf));
	r->deps = arena_alloc(r->arena, sizeof(char *) * (size_t)(deps.n + 1));
	for (int i = 0; i < deps.n; i++)
		r->deps[i] = arena_strdup(r->arena, deps.items[i]);
	r->ndeps = (size_t)deps.n;
	if (!p || d->errors)
		return 1;

	LLVMContextRef ctx = LLVMContextCreate();
	arena_on_free(work, dispose_context, ctx);
	emit_watch_context(ctx, d);
	LLVMTargetMachineRef tm = emit_target_machine(work, d, mcpu, opt);
	if (!tm)
		return -EIO;
	LowerOptions lo = {d->filename, so.mcpu, opt, NULL};
	if (o && o->sz >= offsetof(struct pybpf_compile_opts, debug_compilation_dir) +
				  sizeof(o->debug_compilation_dir))
		lo.comp_dir = o->debug_compilation_dir;
	LLVMModuleRef m = lower_program(work, d, p, ctx, tm, &lo);
	arena_on_free(work, dispose_module, m);
	char *out;
	size_t out_len;
	if (emit_module(work, d, m, tm, opt, kind, &out, &out_len))
		return has_internal_error(d) ? -EIO : 1;
	if (p->core_suffix)
		lower_core_canonical(out, out_len, p->core_suffix);
	char *copy = arena_alloc(r->arena, out_len + 1);
	memcpy(copy, out, out_len);
	r->out = copy;
	r->out_len = out_len;
	return 0;
}

int pybpf_compile(const char *src, size_t len, const struct pybpf_compile_opts *opts,
		  struct pybpf_result **res)
{
	if (!res || (!src && len) || !valid_opts(opts))
		return -EINVAL;
	*res = NULL;
	struct pybpf_result *r = calloc(1, sizeof *r);
	if (!r)
		return -ENOMEM;
	r->arena = arena_new();
	Arena *work = arena_new();
	if (!r->arena || !work) {
		arena_free(work);
		arena_free(r->arena);
		free(r);
		return -ENOMEM;
	}
	*res = r;
	r->diags_text = "";

	jmp_buf oom;
	volatile int rc;
	arena_set_oom_jmp(work, &oom);
	arena_set_oom_jmp(r->arena, &oom);
	if (setjmp(oom)) {
		r->out = NULL;
		r->out_len = 0;
		r->diags = NULL;
		r->ndiags = 0;
		r->errors = 1;
		r->diags_text = "pybpf: internal compiler error: out of memory\n";
		rc = -ENOMEM;
	} else {
		Diags d;
		diag_init(&d, work, opts && opts->filename ? opts->filename : "<input>", src, len);
		rc = run_phases(work, &d, src ? src : "", len, opts, r);
		if (rc)
			r->out = NULL;
		collect_diags(r, &d);
		if (rc == -EIO && !d.errors)
			r->errors = 1;
	}
	arena_free(work);
	arena_set_oom_jmp(r->arena, NULL);
	return rc;
}

const void *pybpf_result__output(const struct pybpf_result *res, size_t *size)
{
	if (size)
		*size = res && res->out ? res->out_len : 0;
	return res ? res->out : NULL;
}

size_t pybpf_result__diag_cnt(const struct pybpf_result *res)
{
	return res ? res->ndiags : 0;
}

const struct pybpf_diag *pybpf_result__diag(const struct pybpf_result *res, size_t i)
{
	return res && i < res->ndiags ? &res->diags[i] : NULL;
}

const char *pybpf_result__diags_text(const struct pybpf_result *res)
{
	return res ? res->diags_text : "";
}

size_t pybpf_result__dep_cnt(const struct pybpf_result *res)
{
	return res ? res->ndeps : 0;
}

const char *pybpf_result__dep(const struct pybpf_result *res, size_t i)
{
	return res && i < res->ndeps ? res->deps[i] : NULL;
}

int pybpf_result__error_cnt(const struct pybpf_result *res)
{
	return res ? res->errors : 0;
}

void pybpf_result__free(struct pybpf_result *res)
{
	if (!res)
		return;
	arena_free(res->arena);
	free(res);
}
