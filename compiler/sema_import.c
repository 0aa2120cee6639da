/*
 * sema_import.c - multi-file programs: local modules a @bpf source imports.
 *
 * `from mod import X` (and `import mod` + `mod.X`) where mod is not one of
 * pybpf's modules binds a lazy SYM_OTHER (sema_module.c). Only when BPF code
 * uses the name is the import followed: mod.py is looked for in the main
 * source's directory, then in the -I directories; it is read and parsed once
 * (its nodes carry its Diags file index, so its errors name its file),
 * bound into its own scope, and X is resolved there. An imported module's
 * defs and classes are classified and checked only when a name reaches them
 * (sema_register_def), so its unused maps, programs and LICENSE stay out of
 * the object. Constants fold, structs lay out and function bodies are
 * checked with their own module current (sema_enter_module), so their names
 * mean what they mean in their file. -D NAME applies to the main source,
 * -D MOD.NAME to module MOD (sema_define_symbol).
 *
 * A module spec is dotted (a.b: a/b.py or a/b/__init__.py on the search
 * path) or relative (.a.b, ..a: from the importing file's directory, one
 * directory up per extra dot). `pkg.mod` and `from pkg import mod` name the
 * submodule when pkg/mod.py (or the directory pkg/mod) exists: a symbol
 * like the one `import mod as m` binds (module_symbol).
 *
 * A loaded module's own local imports are loaded at once (not resolved),
 * which finds import cycles: an import of a module that is still loading is
 * reported at that import, with the cycle.
 */
#include "parse.h"
#include "sema_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum ModState { MS_LOADING = 1, MS_LOADED, MS_FAILED } ModState;

typedef struct SemaModule {
	const char *name; /* dotted, as imported */
	const char *path; /* the file as opened */
	const char *real; /* its canonical path (identity), or NULL */
	int file;	  /* Diags file index == index in Sema.mods */
	Scope scope;	  /* saved while another module is current */
	ModState state;
} SemaModule;

/* "dir/prog.py" -> "prog"; "<stdin>" -> "<stdin>" */
static const char *module_name_of(Sema *s, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strlen(base);
	if (n > 3 && strcmp(base + n - 3, ".py") == 0)
		n -= 3;
	return arena_strndup(s->a, base, n);
}

void sema_imports_init(Sema *s, AstNode *module)
{
	(void)module;
	SemaModule *m = arena_alloc(s->a, sizeof *m);
	m->path = s->d->filename;
	m->name = module_name_of(s, m->path);
	char buf[PATH_MAX];
	if (realpath(m->path, buf))
		m->real = arena_strdup(s->a, buf);
	m->state = MS_LOADING; /* the main source is loading until the end */
	ptrvec_push(s->a, &s->mods, m);
	ptrvec_push(s->a, &s->load_stack, m);
	s->cur_mod = 0;
}

int sema_enter_module(Sema *s, int mod)
{
	int old = s->cur_mod;
	if (mod == old || mod < 0 || mod >= s->mods.n)
		return old;
	SemaModule *from = s->mods.items[old], *to = s->mods.items[mod];
	from->scope = s->module;
	s->module = to->scope;
	s->cur_mod = mod;
	return old;
}

/* ---- finding and reading modules ---- */

/* The directory of the main source ("." when it has none). */
static const char *source_dir(Sema *s)
{
	const char *f = s->d->filename;
	const char *slash = strrchr(f, '/');
	if (!slash)
		return ".";
	if (slash == f)
		return "/";
	return arena_strndup(s->a, f, (size_t)(slash - f));
}

static const char *join(Sema *s, const char *dir, const char *rel)
{
	if (strcmp(dir, ".") == 0)
		return rel;
	size_t n = strlen(dir);
	return arena_printf(s->a, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", rel);
}

/* The search path: the source's directory, then -I. */
static int search_dirs(Sema *s, const char **dirs, int max)
{
	int n = 0;
	dirs[n++] = source_dir(s);
	for (size_t i = 0; i < s->opts->include_dir_cnt && n < max; i++)
		if (s->opts->include_dirs[i] && *s->opts->include_dirs[i])
			dirs[n++] = s->opts->include_dirs[i];
	return n;
}

#define MAX_DIRS 64

/* The number of leading dots of a module spec (a relative import). */
static int spec_level(const char *spec)
{
	int n = 0;
	while (spec[n] == '.')
		n++;
	return n;
}

/* The directory a relative import of file `file` starts from: the file's
 * own directory, then its parent per extra dot. */
static const char *relative_base(Sema *s, const char *spec, int file)
{
	SemaModule *m = s->mods.items[file >= 0 && file < s->mods.n ? file : 0];
	const char *f = m->path;
	const char *slash = strrchr(f, '/');
	const char *dir = !slash       ? "."
			  : slash == f ? "/"
				       : arena_strndup(s->a, f, (size_t)(slash - f));
	for (int i = 1; i < spec_level(spec); i++) {
		/* lexically, as Python goes up a package name: a/b -> a */
		const char *last = strrchr(dir, '/');
		const char *base = last ? last + 1 : dir;
		if (strcmp(dir, ".") == 0)
			dir = "..";
		else if (strcmp(base, "..") == 0 || strcmp(base, ".") == 0 || !*base)
			dir = join(s, dir, "..");
		else if (!last)
			dir = ".";
		else
			dir = last == dir ? "/" : arena_strndup(s->a, dir, (size_t)(last - dir));
	}
	return dir;
}

static bool is_module_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

/* The directories module spec is looked for in (the importing file's
 * relative base, or the search path) and, in *rel, its dotted name after
 * the leading dots as a relative path ("a.b" -> "a/b"). Returns how many. */
static int spec_dirs(Sema *s, const char *spec, int file, const char **dirs, const char **rel)
{
	int level = spec_level(spec);
	char *r = arena_strdup(s->a, spec + level);
	for (char *p = r; *p; p++)
		if (*p == '.')
			*p = '/';
	*rel = r;
	if (!level)
		return search_dirs(s, dirs, MAX_DIRS);
	dirs[0] = relative_base(s, spec, file);
	return 1;
}

/* The file of module `spec` imported from file `file`, or NULL: a.b is
 * a/b.py or a/b/__init__.py on the search path; .a.b (relative) is looked
 * for from the importing file's directory (".." per extra dot), where "."
 * alone is that directory's __init__.py. */
static const char *find_module_from(Sema *s, const char *spec, int file)
{
	const char *dirs[MAX_DIRS], *rel;
	int n = spec_dirs(s, spec, file, dirs, &rel);
	for (int i = 0; i < n; i++) {
		const char *path;
		if (*rel) {
			path = join(s, dirs[i], arena_printf(s->a, "%s.py", rel));
			if (is_module_file(path))
				return path;
			path = join(s, dirs[i], arena_printf(s->a, "%s/__init__.py", rel));
		} else {
			path = join(s, dirs[i], "__init__.py");
		}
		if (is_module_file(path))
			return path;
	}
	return NULL;
}

/* Reads a whole file into the arena; NULL (errno set) on failure. */
static char *read_file(Sema *s, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	StrBuf b = {0};
	char chunk[8192];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		strbuf_put(s->a, &b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		errno = EIO;
		return NULL;
	}
	*len = b.len;
	return b.s ? b.s : arena_strdup(s->a, "");
}

/* Whether an error was reported at `at` already (`pkg.mod.X` resolves
 * pkg.mod both statically and as an expression). */
static bool reported_at(Sema *s, SrcLoc at)
{
	for (int i = s->d->items.n - 1; i >= 0; i--) {
		Diag *g = s->d->items.items[i];
		if (g->level == DIAG_ERROR && g->loc.file == at.file && g->loc.line == at.line &&
		    g->loc.col == at.col && g->loc.end_col == at.end_col)
			return true;
	}
	return false;
}

static void report_not_found(Sema *s, const char *dotted, SrcLoc at)
{
	if (reported_at(s, at))
		return;
	Diag *g = diag_error(s->d, at, "no module named '%s'", dotted);
	if (spec_level(dotted)) {
		diag_note(s->d, g, at,
			  "a relative import is looked for from the importing file's directory "
			  "('%s')",
			  relative_base(s, dotted, at.file));
		return;
	}
	const char *dirs[MAX_DIRS];
	int n = search_dirs(s, dirs, MAX_DIRS);
	StrBuf b = {0};
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_put(s->a, &b, ", ", 2);
		strbuf_put(s->a, &b, "'", 1);
		strbuf_put(s->a, &b, dirs[i], strlen(dirs[i]));
		strbuf_put(s->a, &b, "'", 1);
	}
	diag_note(s->d, g, at,
		  "local modules are looked for as '%s.py' in the source's directory and the "
		  "-I directories: %s",
		  dotted, b.s);
}

/* An import of a module still loading: the cycle, reported at the import. */
static void report_cycle(Sema *s, SemaModule *m, SrcLoc at)
{
	int k = 0;
	while (k < s->load_stack.n && s->load_stack.items[k] != m)
		k++;
	StrBuf b = {0};
	for (int i = k; i < s->load_stack.n; i++) {
		const char *name = ((SemaModule *)s->load_stack.items[i])->name;
		strbuf_put(s->a, &b, name, strlen(name));
		strbuf_put(s->a, &b, " -> ", 4);
	}
	strbuf_put(s->a, &b, m->name, strlen(m->name));
	Diag *g = diag_error(s->d, at, "import cycle: %s", b.s);
	diag_note(s->d, g, at,
		  "BPF code cannot import modules in a cycle; move what both need into a "
		  "module that both import");
}

static SemaModule *load_module(Sema *s, const char *dotted, SrcLoc at, bool *missing);

/* The module spec of `from ..a.b import x`: "..a.b". */
static const char *from_spec(Sema *s, AstNode *st)
{
	const char *mod = st->ImportFrom.module ? st->ImportFrom.module : "";
	int level = st->ImportFrom.level;
	if (!level)
		return mod;
	char *dots = arena_alloc(s->a, (size_t)level + 1);
	memset(dots, '.', (size_t)level);
	return arena_printf(s->a, "%s%s", dots, mod);
}

/* Whether spec names a module file or a package directory. */
static bool spec_exists(Sema *s, const char *spec, int file)
{
	if (find_module_from(s, spec, file))
		return true;
	if (!spec[spec_level(spec)])
		return false;
	const char *dirs[MAX_DIRS], *rel;
	int n = spec_dirs(s, spec, file, dirs, &rel);
	for (int i = 0; i < n; i++) {
		struct stat st;
		if (stat(join(s, dirs[i], rel), &st) == 0 && S_ISDIR(st.st_mode))
			return true;
	}
	return false;
}

/* The spec of submodule `name` of package spec `pkg` ("." + "x" = ".x"). */
static const char *sub_spec(Sema *s, const char *pkg, const char *name)
{
	size_t n = strlen(pkg);
	return arena_printf(s->a, "%s%s%s", pkg, n && pkg[n - 1] != '.' ? "." : "", name);
}

static bool is_local_import(const char *modname)
{
	return modname && sema_module_id(modname) == MOD_NONE && strcmp(modname, "vmlinux") != 0;
}

/* Marks the names an import binds in the current module as failed. */
static void fail_import(Sema *s, AstNode *st)
{
	AstList *names = st->kind == AST_Import ? &st->Import.names : &st->ImportFrom.names;
	for (int i = 0; i < names->n; i++) {
		AstNode *al = names->items[i];
		const char *bound = al->alias.asname ? al->alias.asname : al->alias.name;
		Symbol *sym = scope_get(&s->module, bound);
		if (sym && sym->kind == SYM_OTHER && sym->cexpr && sym->cexpr->file == st->file &&
		    (sym->detail == SYM_DETAIL_IMPORT || sym->detail == SYM_DETAIL_FROM_IMPORT))
			sym->detail = -1;
	}
}

/* Loads the local modules an imported module imports (finds cycles). */
static void follow_imports(Sema *s, AstNode *module)
{
	AstList *body = &module->Module.body;
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		bool missing = false;
		if (st->kind == AST_ImportFrom &&
		    (st->ImportFrom.level > 0 || is_local_import(st->ImportFrom.module))) {
			const char *spec = from_spec(s, st);
			/* `from . import mod`, `from pkg import mod`: submodules */
			for (int k = 0; k < st->ImportFrom.names.n; k++) {
				AstNode *al = st->ImportFrom.names.items[k];
				const char *sub = sub_spec(s, spec, al->alias.name);
				if (strcmp(al->alias.name, "*") != 0 &&
				    find_module_from(s, sub, st->file) &&
				    !load_module(s, sub, ast_loc(al), &missing) && !missing)
					fail_import(s, st);
			}
			if (!find_module_from(s, spec, st->file))
				continue;
			if (!load_module(s, spec, ast_loc(st), &missing) && !missing)
				fail_import(s, st);
		} else if (st->kind == AST_Import) {
			for (int k = 0; k < st->Import.names.n; k++) {
				AstNode *al = st->Import.names.items[k];
				if (!is_local_import(al->alias.name))
					continue;
				if (!load_module(s, al->alias.name, ast_loc(al), &missing) &&
				    !missing)
					fail_import(s, st);
			}
		}
	}
}

/* The module `dotted`, loaded once. NULL when it is not found (*missing,
 * not reported), does not parse, or closes a cycle (reported). */
static SemaModule *load_module(Sema *s, const char *dotted, SrcLoc at, bool *missing)
{
	*missing = false;
	const char *path = find_module_from(s, dotted, at.file);
	if (!path) {
		*missing = true;
		return NULL;
	}
	char buf[PATH_MAX];
	const char *real = realpath(path, buf) ? arena_strdup(s->a, buf) : NULL;
	for (int i = 0; i < s->mods.n; i++) {
		SemaModule *m = s->mods.items[i];
		if (!(real && m->real ? strcmp(m->real, real) == 0 : strcmp(m->path, path) == 0))
			continue;
		if (m->state == MS_LOADING) {
			report_cycle(s, m, at);
			return NULL;
		}
		return m->state == MS_LOADED ? m : NULL;
	}
	size_t len = 0;
	char *src = read_file(s, path, &len);
	if (!src) { /* (found readable a moment ago) */
		diag_error(s->d, at, "internal compiler error: cannot read '%s': %s", path,
			   strerror(errno));
		return NULL;
	}
	if (s->opts->deps)
		ptrvec_push(s->a, s->opts->deps, (void *)path);
	SemaModule *m = arena_alloc(s->a, sizeof *m);
	m->name = dotted;
	m->path = path;
	m->real = real;
	m->file = diag_add_file(s->d, path, src, len);
	ptrvec_push(s->a, &s->mods, m);
	Diags pd;
	diag_init(&pd, s->a, path, src, len);
	AstNode *ast = parse_file(s->a, &pd, src, len);
	diag_merge(s->d, &pd, m->file);
	if (!ast || pd.errors) {
		m->state = MS_FAILED;
		return NULL;
	}
	ast_set_file(ast, m->file);
	m->state = MS_LOADING;
	ptrvec_push(s->a, &s->load_stack, m);
	int outer = sema_enter_module(s, m->file);
	PtrVec defs = {0};
	sema_bind_module(s, ast, &defs);
	follow_imports(s, ast);
	sema_enter_module(s, outer);
	s->load_stack.n--;
	m->state = MS_LOADED;
	return m;
}

/* The module an import statement of the current module names, loaded;
 * NULL after reporting (unless quiet_missing and it is not found). */
static SemaModule *import_module(Sema *s, const char *dotted, AstNode *at, bool quiet_missing)
{
	for (int i = 1; i < s->mods.n && !spec_level(dotted); i++) {
		SemaModule *m = s->mods.items[i];
		if (strcmp(m->name, dotted) == 0 && m->state == MS_LOADED)
			return m;
	}
	bool missing;
	SemaModule *m = load_module(s, dotted, ast_loc(at), &missing);
	if (!m && missing && !quiet_missing)
		report_not_found(s, dotted, ast_loc(at));
	return m;
}

/* ---- resolving names ---- */

/* The module-level name of the current scope closest to `name`, or NULL. */
static const char *nearest_name(Sema *s, const char *name)
{
	const char *best = NULL;
	int best_d = (int)strlen(name) / 3 + 1;
	for (int i = 0; i < s->module.cap; i++) {
		Symbol *sym = s->module.slots[i];
		if (!sym)
			continue;
		int d = diag_edit_distance(name, sym->name, best_d);
		if (d < best_d || (d == best_d && best && strcmp(sym->name, best) < 0)) {
			best_d = d;
			best = sym->name;
		}
	}
	return best;
}

/* X in module m, resolved in m's scope; NULL after reporting at `at`. */
static Symbol *module_member(Sema *s, SemaModule *m, const char *name, SrcLoc at)
{
	int outer = sema_enter_module(s, m->file);
	FuncDef *fn = s->fn; /* (its locals do not shadow another module's names) */
	s->fn = NULL;
	Symbol *x = scope_get(&s->module, name);
	if (x && x->kind == SYM_OTHER)
		x = sema_import_symbol(s, x);
	const char *near = x ? NULL : nearest_name(s, name);
	s->fn = fn;
	sema_enter_module(s, outer);
	if (!x && !reported_at(s, at)) {
		Diag *g = diag_error(s->d, at, "module '%s' has no name '%s'", m->name, name);
		if (near)
			diag_note(s->d, g, at, "did you mean '%s'?", near);
	}
	return x;
}

/* A symbol for module `spec` bound as `name` (`from . import mod`, the
 * `pkg.mod` of `import pkg.mod`): used like the name `import mod as m`
 * binds. A relative spec is relative to `base`'s file. */
static Symbol *module_symbol(Sema *s, const char *spec, const char *name, AstNode *base)
{
	AstNode *al = ast_new(s->a, AST_alias, base->lineno, base->col_offset, base->end_lineno,
			      base->end_col_offset);
	al->file = base->file;
	al->alias.name = spec;
	Symbol *sym = sema_new_symbol(s, SYM_OTHER, name, ast_loc(base));
	sym->detail = SYM_DETAIL_IMPORT;
	sym->cexpr = al;
	return sym;
}

/* The alias of a `from mod import ...` that binds `bound`. */
static AstNode *alias_binding(AstNode *st, const char *bound)
{
	AstNode *found = NULL;
	for (int i = 0; i < st->ImportFrom.names.n; i++) {
		AstNode *al = st->ImportFrom.names.items[i];
		const char *b = al->alias.asname ? al->alias.asname : al->alias.name;
		if (strcmp(b, bound) == 0)
			found = al;
	}
	return found;
}

Symbol *sema_import_symbol(Sema *s, Symbol *sym)
{
	if (sym->target)
		return sym->target;
	if (sym->detail == SYM_DETAIL_FROM_IMPORT) {
		if (s->quiet_imports == 2 || sym->cstate == 1)
			return sym;
		AstNode *st = sym->cexpr;
		AstNode *al = alias_binding(st, sym->name);
		if (!al)
			return sym;
		sym->cstate = 1; /* (a cycle of names ends here) */
		const char *spec = from_spec(s, st);
		const char *sub = sub_spec(s, spec, al->alias.name);
		if (spec_exists(s, sub, st->file)) {
			/* `from . import mod`, `from pkg import mod`: a submodule */
			sym->cstate = 0;
			AstNode *base = ast_new(s->a, AST_alias, al->lineno, al->col_offset,
						al->end_lineno, al->end_col_offset);
			base->file = st->file;
			sym->target = module_symbol(s, sub, sym->name, base);
			return sym->target;
		}
		SemaModule *m = import_module(s, spec, st, false);
		if (!m)
			fail_import(s, st); /* every name it binds: reported once */
		Symbol *x = m ? module_member(s, m, al->alias.name, ast_loc(al)) : NULL;
		sym->cstate = 0;
		if (!x) {
			sym->detail = -1; /* reported */
			return sym;
		}
		sym->target = x;
		return x;
	}
	if (s->cur_mod != 0 && sym->detail == 0 && sym->cexpr && sym->cstate == 0 &&
	    (sym->cexpr->kind == AST_FunctionDef || sym->cexpr->kind == AST_ClassDef)) {
		sym->cstate = 4; /* classified */
		sema_register_def(s, sym->cexpr);
	}
	return sym;
}

Symbol *sema_import_attribute(Sema *s, Symbol *mod, AstNode *attr)
{
	if (s->quiet_imports == 2)
		return NULL;
	AstNode *al = mod->cexpr;
	/* pkg.mod (after `import pkg.mod`, or `import pkg`): a submodule */
	const char *sub = sub_spec(s, al->alias.name, attr->Attribute.attr);
	if (spec_exists(s, sub, al->file))
		return module_symbol(s, sub, attr->Attribute.attr, al);
	if (!find_module_from(s, al->alias.name, al->file) &&
	    spec_exists(s, al->alias.name, al->file)) {
		/* a package directory without __init__.py has its submodules only */
		if (!s->quiet_imports && !reported_at(s, ast_loc(attr)))
			diag_error(s->d, ast_loc(attr), "module '%s' has no name '%s'",
				   al->alias.name, attr->Attribute.attr);
		return NULL;
	}
	/* N = os.cpu_count() folds quietly: os is no local module, N no constant */
	SemaModule *m = import_module(s, al->alias.name, al, s->quiet_imports);
	if (!m) {
		if (!s->quiet_imports)
			mod->detail = -1; /* reported */
		return NULL;
	}
	return module_member(s, m, attr->Attribute.attr, ast_loc(attr));
}

/* The symbol NAME of module MOD for `-D MOD.NAME=VALUE` (module-qualified:
 * the module is found and loaded as `import MOD` in the main source would),
 * or NULL: *reported when the module cannot be loaded. */
Symbol *sema_define_symbol(Sema *s, const char *def, const char *qualified, bool *reported)
{
	const char *dot = strrchr(qualified, '.');
	const char *modname = arena_strndup(s->a, qualified, (size_t)(dot - qualified));
	*reported = true;
	if (!*modname || spec_level(modname)) {
		diag_error(s->d, srcloc(0, 0, 0, 0),
			   "-D %s: a module-qualified name is MODULE.NAME, with MODULE as an "
			   "absolute import names it",
			   def);
		return NULL;
	}
	bool missing;
	SemaModule *m = load_module(s, modname, srcloc(0, 0, 0, 0), &missing);
	if (!m) {
		if (missing)
			diag_error(s->d, srcloc(0, 0, 0, 0),
				   "-D %s: no module named '%s' in the source's directory or the "
				   "-I directories",
				   def, modname);
		return NULL;
	}
	*reported = false;
	int outer = sema_enter_module(s, m->file);
	Symbol *sym = scope_get(&s->module, dot + 1);
	sema_enter_module(s, outer);
	return sym;
}

const char *sema_import_source(Sema *s, Symbol *sym)
{
	if (sym->kind != SYM_OTHER || sym->detail != SYM_DETAIL_FROM_IMPORT || !sym->cexpr)
		return NULL;
	return from_spec(s, sym->cexpr);
}
