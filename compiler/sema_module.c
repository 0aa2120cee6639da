/*
 * sema_module.c - the module level: imports, decorators and BPF items.
 *
 * Pass 1 binds every module-level name in source order: imports (to pybpf's
 * universe where the module is one we know), `NAME = expr` candidates for
 * constants, and every def/class. Pass 2 classifies each def/class by its
 * decorators (@bpf outermost, then at most one of @section, @map, @struct,
 * @bpfglobal); anything without @bpf is userspace code and is ignored. Then
 * it checks, in order, structs (layout), maps, globals, function signatures
 * and function bodies (sema_func.c).
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <string.h>

/* ---- pass 1: binding ---- */

static void bind(Sema *s, Symbol *sym)
{
	scope_put(s->a, &s->module, sym);
}

static Symbol *bind_other(Sema *s, const char *name, SrcLoc loc, AstNode *decl)
{
	Symbol *sym = sema_new_symbol(s, SYM_OTHER, name, loc);
	sym->cexpr = decl;
	bind(s, sym);
	return sym;
}

/* import a.b.c [as x] */
static void bind_import(Sema *s, AstNode *st)
{
	for (int i = 0; i < st->Import.names.n; i++) {
		AstNode *al = st->Import.names.items[i];
		const char *full = al->alias.name;
		ModuleId mod = sema_module_id(full);
		const char *bound = al->alias.asname;
		if (!bound) {
			/* `import a.b` binds `a` to the top-level package */
			const char *dot = strchr(full, '.');
			bound = dot ? arena_strndup(s->a, full, (size_t)(dot - full)) : full;
			mod = sema_module_id(bound);
		}
		if (mod == MOD_NONE) {
			Symbol *o = bind_other(s, bound, ast_loc(al), NULL);
			/* maybe a local module: followed when BPF code uses it
			 * (`import a.b` binds a; a.b is found as a's submodule) */
			o->detail = SYM_DETAIL_IMPORT;
			o->cexpr = al;
			if (bound != full && !al->alias.asname) {
				o->cexpr = ast_new(s->a, AST_alias, al->lineno, al->col_offset,
						   al->end_lineno, al->end_col_offset);
				o->cexpr->file = al->file;
				o->cexpr->alias.name = bound;
			}
			continue;
		}
		Symbol *sym = sema_new_symbol(s, SYM_MODULE, bound, ast_loc(al));
		sym->detail = mod;
		bind(s, sym);
	}
}

/* from module import a [as b], ... | * */
static void bind_import_from(Sema *s, AstNode *st)
{
	const char *modname = st->ImportFrom.module;
	ModuleId mod = st->ImportFrom.level == 0 && modname ? sema_module_id(modname) : MOD_NONE;
	for (int i = 0; i < st->ImportFrom.names.n; i++) {
		AstNode *al = st->ImportFrom.names.items[i];
		const char *name = al->alias.name;
		const char *bound = al->alias.asname ? al->alias.asname : name;
		if (strcmp(name, "*") == 0)
			continue; /* pybpf's names are found by name anyway (sema_lookup_module) */
		if (st->ImportFrom.level == 0 && modname && strcmp(modname, "vmlinux") == 0) {
			sema_bind_vmlinux(s, al, name, bound);
			continue;
		}
		Symbol *sym = mod != MOD_NONE ? sema_universe(s, mod, name) : NULL;
		if (!sym) {
			Symbol *o = bind_other(s, bound, ast_loc(al), NULL);
			o->detail = (int)mod;
			if (mod == MOD_NONE && (st->ImportFrom.level > 0 || modname)) {
				/* maybe a local module: followed when BPF code uses it */
				o->detail = SYM_DETAIL_FROM_IMPORT;
				o->cexpr = st;
			}
			continue;
		}
		sym->name = bound;
		sym->loc = ast_loc(al);
		bind(s, sym);
	}
}

/* NAME = expr at module level: a constant if it is bound exactly once and
 * folds to an integer (checked lazily, when BPF code uses it). */
static void bind_assign(Sema *s, AstNode *target, AstNode *value)
{
	if (target->kind != AST_Name)
		return;
	const char *name = target->Name.id;
	Symbol *old = scope_get(&s->module, name);
	if (old && (old->kind == SYM_CONST || old->kind == SYM_OTHER)) {
		/* bound twice: not a constant any more */
		old->kind = SYM_OTHER;
		old->cexpr = NULL;
		old->detail = -2;
		return;
	}
	Symbol *sym = sema_new_symbol(s, SYM_CONST, name, ast_loc(target));
	sym->cexpr = value;
	bind(s, sym);
}

void sema_bind_module(Sema *s, AstNode *module, PtrVec *items)
{
	AstList *body = &module->Module.body;
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		switch (st->kind) {
		case AST_Import:
			bind_import(s, st);
			break;
		case AST_ImportFrom:
			bind_import_from(s, st);
			break;
		case AST_Assign:
			for (int t = 0; t < st->Assign.targets.n; t++)
				bind_assign(s, st->Assign.targets.items[t], st->Assign.value);
			break;
		case AST_AnnAssign:
			if (st->AnnAssign.value)
				bind_assign(s, st->AnnAssign.target, st->AnnAssign.value);
			break;
		case AST_AugAssign:
			bind_assign(s, st->AugAssign.target, NULL);
			break;
		case AST_FunctionDef:
			bind_other(s, st->FunctionDef.name, ast_loc(st), st);
			ptrvec_push(s->a, items, st);
			break;
		case AST_AsyncFunctionDef:
			bind_other(s, st->AsyncFunctionDef.name, ast_loc(st), st);
			ptrvec_push(s->a, items, st);
			break;
		case AST_ClassDef:
			bind_other(s, st->ClassDef.name, ast_loc(st), st);
			ptrvec_push(s->a, items, st);
			break;
		default:
			break;
		}
	}
}

/* ---- pass 2: classifying decorated items ---- */

static const char *const decorator_names[] = {
	[DEC_BPF] = "bpf",	 [DEC_SECTION] = "section",
	[DEC_MAP] = "map",	 [DEC_BPFGLOBAL] = "bpfglobal",
	[DEC_STRUCT] = "struct",
};

/* The pybpf decorator a decorator expression names (`@section(...)` names
 * section), or 0. */
static DecoratorId decorator_of(Sema *s, AstNode *deco, bool *called)
{
	*called = deco->kind == AST_Call;
	AstNode *head = *called ? deco->Call.func : deco;
	int quiet = s->quiet_imports;
	s->quiet_imports = 2; /* decorators of userspace code too */
	Symbol *sym = sema_resolve_static(s, head);
	s->quiet_imports = quiet;
	return sym && sym->kind == SYM_DECORATOR ? (DecoratorId)sym->detail : 0;
}

/* The location of the name in `def name` / `class name`. The node starts at
 * the keyword; the name is the identifier after it on the same line. */
static const char *def_name(AstNode *def);

SrcLoc sema_def_loc(Sema *s, AstNode *def)
{
	const char *name = def_name(def);
	SrcLoc l = ast_loc(def);
	size_t len;
	const char *text = diag_file_line_text(s->d, l.file, l.line, &len);
	size_t nlen = strlen(name);
	for (size_t i = (size_t)l.col; i + nlen <= len; i++) {
		bool starts = i == 0 ||
			      !(text[i - 1] == '_' || (text[i - 1] >= 'a' && text[i - 1] <= 'z') ||
				(text[i - 1] >= 'A' && text[i - 1] <= 'Z') ||
				(text[i - 1] >= '0' && text[i - 1] <= '9'));
		if (starts && memcmp(text + i, name, nlen) == 0 && i > (size_t)l.col) {
			l.col = (int)i;
			l.end_line = l.line;
			l.end_col = (int)(i + nlen);
			return l;
		}
	}
	l.end_line = l.line;
	l.end_col = l.col;
	return l;
}

static const char *def_name(AstNode *def)
{
	return def->kind == AST_ClassDef      ? def->ClassDef.name
	       : def->kind == AST_FunctionDef ? def->FunctionDef.name
					      : def->AsyncFunctionDef.name;
}

typedef struct Item {
	AstNode *def;
	const char *name;
	DecoratorId kind; /* DEC_SECTION, DEC_MAP, DEC_BPFGLOBAL, DEC_STRUCT or DEC_BPF */
	AstNode *section;
} Item;

/* Classifies one def/class; returns false when it is not BPF code. */
static bool classify(Sema *s, AstNode *def, Item *it)
{
	AstList *decos = def->kind == AST_ClassDef	? &def->ClassDef.decorator_list
			 : def->kind == AST_FunctionDef ? &def->FunctionDef.decorator_list
							: &def->AsyncFunctionDef.decorator_list;
	it->def = def;
	it->name = def_name(def);
	it->kind = 0;
	it->section = NULL;
	int bpf_at = -1;
	for (int i = 0; i < decos->n; i++) {
		bool called;
		if (decorator_of(s, decos->items[i], &called) == DEC_BPF) {
			bpf_at = i;
			break;
		}
	}
	if (bpf_at < 0) {
		for (int i = 0; i < decos->n; i++) {
			bool called;
			DecoratorId d = decorator_of(s, decos->items[i], &called);
			if (d)
				diag_warning(s->d, ast_loc(decos->items[i]),
					     "'@%s' without '@bpf' is ignored; add '@bpf' as the "
					     "outermost decorator to compile '%s'",
					     decorator_names[d], it->name);
		}
		return false;
	}
	bool ok = true;
	if (bpf_at > 0) {
		diag_error(s->d, ast_loc(decos->items[bpf_at]),
			   "'@bpf' must be the outermost (first) decorator");
		ok = false;
	}
	if (decos->items[bpf_at]->kind == AST_Call) {
		diag_error(s->d, ast_loc(decos->items[bpf_at]),
			   "'@bpf' takes no arguments; write '@bpf' without parentheses");
		ok = false;
	}
	it->kind = DEC_BPF;
	AstNode *kind_deco = NULL;
	for (int i = 0; i < decos->n; i++) {
		if (i == bpf_at)
			continue;
		AstNode *deco = decos->items[i];
		bool called;
		DecoratorId d = decorator_of(s, deco, &called);
		if (!d) {
			AstNode *head = deco->kind == AST_Call ? deco->Call.func : deco;
			Diag *g = diag_error(s->d, ast_loc(head), "unknown decorator on @bpf '%s'",
					     it->name);
			diag_note(s->d, g, ast_loc(head),
				  "a @bpf definition takes one of @section(\"...\"), @map, "
				  "@struct or @bpfglobal");
			ok = false;
			continue;
		}
		if (d == DEC_BPF) {
			diag_error(s->d, ast_loc(deco), "'@bpf' is given twice");
			ok = false;
			continue;
		}
		if (kind_deco) {
			diag_error(s->d, ast_loc(deco), "conflicting decorators '@%s' and '@%s'",
				   decorator_names[it->kind], decorator_names[d]);
			ok = false;
			continue;
		}
		kind_deco = deco;
		it->kind = d;
		if (d == DEC_SECTION) {
			if (!called || deco->Call.args.n != 1 || deco->Call.keywords.n ||
			    deco->Call.args.items[0]->kind != AST_Constant ||
			    deco->Call.args.items[0]->Constant.value.kind != CONST_STR) {
				diag_error(
					s->d, ast_loc(deco),
					"'@section' needs the ELF section name as one string, "
					"e.g. @section(\"tracepoint/syscalls/sys_enter_execve\")");
				ok = false;
			} else {
				it->section = deco->Call.args.items[0];
			}
		} else if (called) {
			diag_error(s->d, ast_loc(deco), "'@%s' takes no arguments",
				   decorator_names[d]);
			ok = false;
		}
	}
	if (def->kind == AST_AsyncFunctionDef) {
		diag_error(s->d, sema_def_loc(s, def), "a @bpf function cannot be 'async'");
		return false;
	}
	bool is_class = def->kind == AST_ClassDef;
	if (is_class && it->kind != DEC_STRUCT) {
		diag_error(s->d, sema_def_loc(s, def),
			   "a @bpf class must be a '@struct' (got '%s')",
			   it->kind == DEC_BPF ? "no kind decorator" : decorator_names[it->kind]);
		return false;
	}
	if (!is_class && it->kind == DEC_STRUCT) {
		diag_error(s->d, sema_def_loc(s, def),
			   "'@struct' applies to classes, not functions");
		return false;
	}
	return ok;
}

/* ---- structs ---- */

static bool check_struct(Sema *s, Item *it)
{
	Symbol *sym = scope_get(&s->module, it->name);
	Type *t = arena_alloc(s->a, sizeof *t);
	t->kind = TY_STRUCT;
	t->name = it->name;
	t->c_name = it->name;
	t->loc = ast_loc(it->def);
	sym->kind = SYM_TYPE;
	sym->type = t;
	sym->cexpr = it->def;
	sym->cstate = 0; /* layout state: 0 pending, 1 in progress, 2 done, 3 failed */
	ptrvec_push(s->a, &s->p->structs, t);
	return true;
}

bool sema_layout_struct(Sema *s, Symbol *sym)
{
	Type *t = sym->type;
	if (sym->cstate == 2)
		return true;
	if (sym->cstate == 3)
		return false;
	if (sym->cstate == 1) {
		diag_error(s->d, t->loc, "struct '%s' contains itself", t->name);
		sym->cstate = 3;
		return false;
	}
	sym->cstate = 1;
	AstNode *cls = sym->cexpr;
	int outer = sema_enter_module(s, cls->file); /* field types name its module's things */
	bool ok = true;
	if (cls->ClassDef.bases.n || cls->ClassDef.keywords.n) {
		diag_error(s->d,
			   ast_loc(cls->ClassDef.bases.n ? cls->ClassDef.bases.items[0]
							 : cls->ClassDef.keywords.items[0]),
			   "a @struct class takes no base classes");
		ok = false;
	}
	PtrVec fields = {0};
	int offset = 0, align = 1;
	AstList *body = &cls->ClassDef.body;
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		if (st->kind == AST_Pass ||
		    (st->kind == AST_Expr && st->Expr.value->kind == AST_Constant &&
		     st->Expr.value->Constant.value.kind == CONST_STR))
			continue;
		if (st->kind != AST_AnnAssign || st->AnnAssign.target->kind != AST_Name) {
			diag_error(s->d, ast_loc(st),
				   "a @struct class body may only contain annotated fields "
				   "('name: c_uint32')");
			ok = false;
			continue;
		}
		const char *fname = st->AnnAssign.target->Name.id;
		if (st->AnnAssign.value) {
			diag_error(s->d, ast_loc(st->AnnAssign.value),
				   "struct field '%s' cannot have a default value", fname);
			ok = false;
		}
		for (int j = 0; j < fields.n; j++) {
			Field *f = fields.items[j];
			if (strcmp(f->name, fname) == 0) {
				Diag *g = diag_error(s->d, ast_loc(st->AnnAssign.target),
						     "duplicate field '%s' in struct '%s'", fname,
						     t->name);
				diag_note(s->d, g, f->loc, "'%s' was first declared here", fname);
				ok = false;
			}
		}
		Type *ft = sema_type_expr(s, st->AnnAssign.annotation);
		if (!ft) {
			ok = false;
			continue;
		}
		if (ft->kind == TY_VOID) {
			diag_error(s->d, ast_loc(st->AnnAssign.annotation),
				   "struct field '%s' cannot have type None", fname);
			ok = false;
			continue;
		}
		Field *f = arena_alloc(s->a, sizeof *f);
		f->name = fname;
		f->type = ft;
		f->loc = ast_loc(st->AnnAssign.target);
		offset = (offset + ft->align - 1) / ft->align * ft->align;
		if ((int64_t)offset + ft->size > TYPE_SIZE_MAX) {
			diag_error(s->d, f->loc, "struct '%s' is larger than 1 GiB at field '%s'",
				   t->name, fname);
			ok = false;
			break;
		}
		f->offset = offset;
		offset += ft->size;
		if (ft->align > align)
			align = ft->align;
		ptrvec_push(s->a, &fields, f);
	}
	if (ok && fields.n == 0) {
		diag_error(s->d, t->loc, "struct '%s' has no fields", t->name);
		ok = false;
	}
	t->fields = arena_alloc(s->a, sizeof(Field) * (size_t)(fields.n ? fields.n : 1));
	for (int i = 0; i < fields.n; i++)
		t->fields[i] = *(Field *)fields.items[i];
	t->nfields = fields.n;
	t->align = align;
	t->size = (offset + align - 1) / align * align;
	sym->cstate = ok ? 2 : 3;
	sema_enter_module(s, outer);
	return ok;
}

/* ---- type expressions ---- */

/* The type e denotes if it has the shape of a type expression, or NULL
 * (without a diagnostic) when it is clearly something else. */
Type *sema_type_expr_quiet(Sema *s, AstNode *e)
{
	Symbol *sym = NULL;
	switch (e->kind) {
	case AST_Name:
	case AST_Attribute:
		sym = sema_resolve_static(s, e);
		return sym && sym->kind == SYM_TYPE && sym->type ? sema_type_expr(s, e) : NULL;
	case AST_BinOp:
		return e->BinOp.op == OP_Mult && sema_type_expr_quiet(s, e->BinOp.left)
			       ? sema_type_expr(s, e)
			       : NULL;
	case AST_Call:
		sym = sema_resolve_static(s, e->Call.func);
		return sym && sym->kind == SYM_TYPE && sym->detail == CT_STR && !sym->type
			       ? sema_type_expr(s, e)
			       : NULL;
	default:
		return NULL;
	}
}

Type *sema_type_expr(Sema *s, AstNode *e)
{
	if (e->kind == AST_Constant && e->Constant.value.kind == CONST_NONE)
		return s->p->none;
	if (e->kind == AST_Call) {
		Symbol *f = sema_resolve_static(s, e->Call.func);
		if (f && f->kind == SYM_TYPE && f->detail == CT_STR && !f->type) {
			ConstVal n;
			if (e->Call.args.n != 1 || e->Call.keywords.n) {
				diag_error(s->d, ast_loc(e),
					   "str(N) takes one argument: the buffer size in bytes");
				return NULL;
			}
			if (!sema_const_eval(s, e->Call.args.items[0], &n, true))
				return NULL;
			if (n.v <= 0 || n.v > 65536) {
				diag_error(
					s->d, ast_loc(e->Call.args.items[0]),
					"string buffer size must be between 1 and 65536, got %lld",
					(long long)n.v);
				return NULL;
			}
			return type_array(s->a, type_int(s->p, CT_CHAR), (int)n.v);
		}
	}
	if (e->kind == AST_BinOp && e->BinOp.op == OP_Mult) {
		Type *elem = sema_type_expr(s, e->BinOp.left);
		if (!elem)
			return NULL;
		ConstVal n;
		if (!sema_const_eval(s, e->BinOp.right, &n, true))
			return NULL;
		if (elem->kind == TY_VOID || n.v <= 0 || n.v > 65536) {
			diag_error(s->d, ast_loc(e), "invalid array type: '%s * %lld'",
				   type_name(elem), (long long)n.v);
			return NULL;
		}
		if ((int64_t)elem->size * n.v > TYPE_SIZE_MAX) {
			diag_error(s->d, ast_loc(e), "array type '%s * %lld' is larger than 1 GiB",
				   type_name(elem), (long long)n.v);
			return NULL;
		}
		return type_array(s->a, elem, (int)n.v);
	}
	if (e->kind == AST_Name || e->kind == AST_Attribute) {
		Symbol *sym = sema_resolve_static(s, e);
		if (sym && sym->kind == SYM_TYPE) {
			if (!sym->type) {
				diag_error(s->d, ast_loc(e),
					   "'str' needs a size here: str(16) is a 16-byte buffer");
				return NULL;
			}
			if (sema_is_kernel_type(sym->type)) {
				diag_error(s->d, ast_loc(e),
					   "kernel %s '%s' is only read through a kernel pointer, "
					   "as %s(address)",
					   sym->type->is_union ? "union" : "struct",
					   sym->type->c_name, sym->name);
				return NULL;
			}
			if (sym->type->kind == TY_STRUCT && !sema_layout_struct(s, sym))
				return NULL;
			return sym->type;
		}
		if (sym && sym->kind == SYM_OTHER && sym->detail == -1)
			return NULL; /* a kernel name that did not resolve (reported) */
	}
	diag_error(s->d, ast_loc(e),
		   "expected a type (a ctypes type such as c_uint32, a @struct "
		   "class, str(N) or T * N)");
	return NULL;
}

/* ---- helpers shared with sema_maps.c ---- */

/* A function body without its docstring. */
static AstList body_without_docstring(AstList body)
{
	if (body.n && body.items[0]->kind == AST_Expr &&
	    body.items[0]->Expr.value->kind == AST_Constant &&
	    body.items[0]->Expr.value->Constant.value.kind == CONST_STR) {
		body.n--;
		body.items++;
	}
	return body;
}

/* The expression of a body that is exactly `return <expr>`, or NULL. */
AstNode *sema_sole_return(AstNode *def)
{
	AstList body = body_without_docstring(def->FunctionDef.body);
	if (body.n != 1 || body.items[0]->kind != AST_Return)
		return NULL;
	return body.items[0]->Return.value;
}

bool sema_no_parameters(Sema *s, AstNode *def, const char *what)
{
	AstNode *args = def->FunctionDef.args;
	if (args->arguments.args.n || args->arguments.posonlyargs.n || args->arguments.vararg ||
	    args->arguments.kwonlyargs.n || args->arguments.kwarg) {
		diag_error(s->d, sema_def_loc(s, def), "a %s function takes no parameters", what);
		return false;
	}
	return true;
}

/* ---- globals ---- */

/* ---- functions ---- */

/* Section prefixes libbpf 1.1 knows (libbpf.c section_defs), so a typo is
 * caught here instead of at load time. */
static const char *const section_prefixes[] = {
	"socket",
	"sk_reuseport",
	"kprobe/",
	"uprobe",
	"kretprobe/",
	"uretprobe",
	"kprobe.multi/",
	"kretprobe.multi/",
	"ksyscall/",
	"kretsyscall/",
	"usdt",
	"tc",
	"classifier",
	"action",
	"tracepoint/",
	"tp/",
	"raw_tracepoint/",
	"raw_tp/",
	"raw_tracepoint.w/",
	"raw_tp.w/",
	"tp_btf/",
	"fentry/",
	"fmod_ret/",
	"fexit/",
	"fentry.s/",
	"fmod_ret.s/",
	"fexit.s/",
	"freplace/",
	"lsm/",
	"lsm.s/",
	"lsm_cgroup/",
	"iter/",
	"iter.s/",
	"syscall",
	"xdp",
	"perf_event",
	"lwt_in",
	"lwt_out",
	"lwt_xmit",
	"lwt_seg6local",
	"sockops",
	"sk_skb",
	"sk_msg",
	"lirc_mode2",
	"flow_dissector",
	"cgroup_skb/",
	"cgroup/",
	"struct_ops",
	"sk_lookup",
	"netfilter",
	"tcx/",
	"netkit/",
};

static bool known_section(const char *sec)
{
	for (size_t i = 0; i < COUNT(section_prefixes); i++)
		if (strncmp(sec, section_prefixes[i], strlen(section_prefixes[i])) == 0)
			return true;
	return false;
}

static Symbol *new_local(Sema *s, FuncDef *fn, const char *name, SrcLoc loc, Type *t)
{
	Symbol *l = sema_new_symbol(s, SYM_LOCAL, name, loc);
	l->type = t;
	ptrvec_push(s->a, &fn->locals, l);
	return l;
}

/* Does a body `return` a value anywhere (outside nested definitions)? */
static bool returns_value(AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		switch (st->kind) {
		case AST_Return:
			if (st->Return.value &&
			    !(st->Return.value->kind == AST_Constant &&
			      st->Return.value->Constant.value.kind == CONST_NONE))
				return true;
			break;
		case AST_If:
			if (returns_value(&st->If.body) || returns_value(&st->If.orelse))
				return true;
			break;
		case AST_While:
			if (returns_value(&st->While.body) || returns_value(&st->While.orelse))
				return true;
			break;
		case AST_For:
			if (returns_value(&st->For.body) || returns_value(&st->For.orelse))
				return true;
			break;
		default:
			break;
		}
	}
	return false;
}

#define MAX_BPF_ARGS 5

/* A @bpf function without @section: a BPF subprogram, called from programs
 * (BPF-to-BPF calls). Up to five parameters, typed by their annotations
 * (c_int64 without one); a struct or array parameter refers to the caller's
 * object, as Python passes objects. It returns an integer type or None;
 * without an annotation, c_int64 when some `return` gives a value, else None. */
static void check_subprogram(Sema *s, Item *it)
{
	AstNode *def = it->def;
	Symbol *sym = scope_get(&s->module, it->name);
	FuncDef *fn = arena_alloc(s->a, sizeof *fn);
	fn->name = it->name;
	fn->def = def;
	bool ok = true;
	AstNode *args = def->FunctionDef.args;
	if (args->arguments.vararg || args->arguments.kwonlyargs.n || args->arguments.kwarg ||
	    args->arguments.defaults.n) {
		diag_error(s->d, sema_def_loc(s, def),
			   "BPF functions take plain positional parameters (no defaults, *args, "
			   "keyword-only parameters or **kwargs)");
		ok = false;
	}
	int np = args->arguments.posonlyargs.n + args->arguments.args.n;
	if (np > MAX_BPF_ARGS) {
		diag_error(s->d, sema_def_loc(s, def),
			   "a BPF function takes at most 5 parameters (BPF passes arguments in "
			   "5 registers), not %d",
			   np);
		ok = false;
		np = MAX_BPF_ARGS;
	}
	fn->params = arena_alloc(s->a, sizeof(Symbol *) * (size_t)(np ? np : 1));
	for (int i = 0; i < np; i++) {
		int npos = args->arguments.posonlyargs.n;
		AstNode *a = i < npos ? args->arguments.posonlyargs.items[i]
				      : args->arguments.args.items[i - npos];
		Type *t = a->arg.annotation ? sema_type_expr(s, a->arg.annotation)
					    : type_int(s->p, CT_INT64);
		if (!t) {
			ok = false;
			continue;
		}
		if (t->kind == TY_VOID) {
			diag_error(s->d, ast_loc(a), "parameter '%s' cannot have type None",
				   a->arg.arg);
			ok = false;
			continue;
		}
		if (t->kind == TY_STRUCT || t->kind == TY_ARRAY)
			t = type_ptr(s->a, t); /* passed by reference */
		Symbol *l = new_local(s, fn, a->arg.arg, ast_loc(a), t);
		l->is_param = true;
		l->bound = true;
		fn->params[fn->nparams++] = l;
	}
	AstNode *ann = def->FunctionDef.returns;
	if (ann) {
		Type *t = sema_type_expr(s, ann);
		if (!t) {
			ok = false;
		} else if (t->kind != TY_INT && t->kind != TY_VOID) {
			diag_error(s->d, ast_loc(ann),
				   "a BPF function returns an integer or None, not '%s'",
				   type_name(t));
			ok = false;
		}
		fn->ret = t;
	} else {
		fn->ret = returns_value(&def->FunctionDef.body) ? type_int(s->p, CT_INT64)
								: s->p->none;
	}
	if (!ok)
		return;
	sym->kind = SYM_FUNC;
	sym->func = fn;
	ptrvec_push(s->a, &s->p->funcs, fn);
}

static void check_signature(Sema *s, Item *it)
{
	AstNode *def = it->def;
	Symbol *sym = scope_get(&s->module, it->name);
	if (it->kind == DEC_BPF) {
		check_subprogram(s, it);
		return;
	}
	FuncDef *fn = arena_alloc(s->a, sizeof *fn);
	fn->name = it->name;
	fn->def = def;
	const AstConst *sec = &it->section->Constant.value;
	fn->section = arena_strndup(s->a, sec->str, sec->len);
	fn->section_loc = ast_loc(it->section);
	bool ok = true;
	if (!*fn->section || memchr(sec->str, 0, sec->len)) {
		diag_error(s->d, fn->section_loc, "empty or invalid section name");
		ok = false;
	} else if (!known_section(fn->section)) {
		Diag *g = diag_error(s->d, fn->section_loc,
				     "unknown section \"%s\": libbpf cannot tell the program type",
				     fn->section);
		diag_note(s->d, g, fn->section_loc,
			  "sections look like \"tracepoint/<category>/<name>\", \"raw_tp/<name>\", "
			  "\"kprobe/<function>\", \"uprobe/<binary>:<symbol>\", \"xdp\", \"tc\", "
			  "\"socket\"");
		ok = false;
	}
	AstNode *args = def->FunctionDef.args;
	if (args->arguments.posonlyargs.n || args->arguments.vararg ||
	    args->arguments.kwonlyargs.n || args->arguments.kwarg || args->arguments.defaults.n) {
		diag_error(s->d, sema_def_loc(s, def),
			   "a BPF program takes one plain parameter: its context");
		ok = false;
	}
	/* parameters after the context: the event's arguments (sema_context.c) */
	int np = args->arguments.args.n > 1 ? 1 : args->arguments.args.n;
	fn->params = arena_alloc(s->a, sizeof(Symbol *) * (size_t)(np ? np : 1));
	for (int i = 0; i < np; i++) {
		AstNode *a = args->arguments.args.items[i];
		Type *t = s->p->void_ptr;
		Symbol *ks = a->arg.annotation ? sema_resolve_static(s, a->arg.annotation) : NULL;
		if (ks && ks->kind == SYM_TYPE && sema_is_kernel_type(ks->type)) {
			/* ctx: struct_xdp_md, read with direct loads */
			t = kbtf_pointer(s->p->kbtf, ks->type, KPTR_CTX);
		} else if (!a->arg.annotation && sema_context_wants_btf(s, def, a)) {
			Type *kt = sema_section_context(s, fn->section);
			if (kt)
				t = kt;
		} else if (a->arg.annotation) {
			t = sema_type_expr(s, a->arg.annotation);
			if (!t) {
				ok = false;
				continue;
			}
			if (t->kind != TY_PTR) {
				diag_error(s->d, ast_loc(a->arg.annotation),
					   "the context parameter must be a pointer such as "
					   "c_void_p, not '%s'",
					   type_name(t));
				ok = false;
				continue;
			}
		}
		Symbol *l = new_local(s, fn, a->arg.arg, ast_loc(a), t);
		l->is_param = true;
		l->bound = true;
		fn->params[fn->nparams++] = l;
	}
	if (ok && args->arguments.args.n > 1 && !sema_event_args(s, fn, args))
		ok = false;
	fn->ret = type_int(s->p, CT_INT32);
	if (def->FunctionDef.returns) {
		Type *t = sema_type_expr(s, def->FunctionDef.returns);
		if (!t)
			ok = false;
		else if (t->kind != TY_INT || t->is_bool) {
			diag_error(
				s->d, ast_loc(def->FunctionDef.returns),
				"a BPF program returns an integer (c_int32 or c_int64), not '%s'",
				type_name(t));
			ok = false;
		} else {
			fn->ret = t;
		}
	}
	if (!ok)
		return;
	sym->kind = SYM_FUNC;
	sym->func = fn;
	ptrvec_push(s->a, &s->p->funcs, fn);
}

/* BPF has no recursion (the verifier rejects any cycle in the call graph):
 * a depth-first walk reports the first call that closes a cycle. */
static bool check_recursion(Sema *s, FuncDef *fn)
{
	if (fn->visit == 2)
		return true;
	fn->visit = 1;
	for (int i = 0; i < fn->calls.n; i++) {
		CallSite *cs = fn->calls.items[i];
		if (cs->callee->visit == 1) {
			Diag *g = diag_error(
				s->d, cs->loc,
				"recursive call: '%s' calls '%s', which is already being "
				"called",
				fn->name, cs->callee->name);
			diag_note(s->d, g, sema_def_loc(s, cs->callee->def),
				  "BPF programs cannot recurse (the verifier rejects call cycles)");
			return false;
		}
		if (!check_recursion(s, cs->callee))
			return false;
	}
	fn->visit = 2;
	return true;
}

/* The object-file symbols (maps, globals, programs) share one namespace:
 * the ones an imported def added (from index `from` on) must not take a
 * name an earlier one has. */
typedef struct ObjName {
	const char *name;
	SrcLoc loc;
	const char *what;
} ObjName;

static ObjName obj_name(Sema *s, int list, int i)
{
	ObjName o = {0};
	if (list == 0) {
		MapDef *m = s->p->maps.items[i];
		o = (ObjName){m->name, m->loc, "map"};
	} else if (list == 1) {
		GlobalVar *g = s->p->globals.items[i];
		o = (ObjName){g->name, g->loc, "global"};
	} else {
		FuncDef *fn = s->p->funcs.items[i];
		if (fn->section)
			o = (ObjName){fn->name, sema_def_loc(s, fn->def), "program"};
	}
	return o;
}

static void check_imported_names(Sema *s, const int before[3])
{
	PtrVec *lists[3] = {&s->p->maps, &s->p->globals, &s->p->funcs};
	for (int l = 0; l < 3; l++) {
		for (int i = before[l]; i < lists[l]->n; i++) {
			ObjName n = obj_name(s, l, i);
			for (int k = 0; n.name && k < 3; k++) {
				for (int j = 0; j < before[k]; j++) {
					ObjName o = obj_name(s, k, j);
					if (!o.name || strcmp(o.name, n.name) != 0)
						continue;
					Diag *g = diag_error(s->d, n.loc,
							     "imported %s '%s' has the name of %s "
							     "'%s'; the object file has one "
							     "namespace for maps, globals and "
							     "programs",
							     n.what, n.name, o.what, o.name);
					diag_note(s->d, g, o.loc, "'%s' is defined here", o.name);
					return;
				}
			}
		}
	}
}

/* An imported module's def or class, classified and checked when its name
 * is first used (s->module is its module's scope). */
void sema_register_def(Sema *s, AstNode *def)
{
	Item it;
	if (!classify(s, def, &it))
		return;
	int before[3] = {s->p->maps.n, s->p->globals.n, s->p->funcs.n};
	switch (it.kind) {
	case DEC_STRUCT:
		check_struct(s, &it);
		sema_layout_struct(s, scope_get(&s->module, it.name));
		break;
	case DEC_MAP:
		sema_check_map(s, def, it.name);
		for (int i = before[0]; i < s->p->maps.n; i++)
			sema_resolve_map_values(s, s->p->maps.items[i]);
		break;
	case DEC_BPFGLOBAL:
		sema_check_global(s, def, it.name);
		break;
	default:
		check_signature(s, &it);
		break;
	}
	check_imported_names(s, before);
}

/* ---- entry ---- */

/* Reports a symbol of the object file named like a section: a function,
 * map or global called "xdp" next to a program in section "xdp" (or one
 * called "license"). The ELF writer cannot hold both. */
static void clash(Sema *s, const char *name, SrcLoc loc, const char *what, int from_fn, bool is_new)
{
	for (int i = from_fn; i < s->p->funcs.n; i++) {
		FuncDef *fn = s->p->funcs.items[i];
		if (fn->section && strcmp(fn->section, name) == 0) {
			Diag *g = diag_error(s->d, loc,
					     "%s '%s' has the name of a program section; rename it",
					     what, name);
			diag_note(s->d, g, fn->section_loc, "the section is named here");
			return;
		}
	}
	if (is_new && strcmp(name, "license") == 0)
		diag_error(s->d, loc, "%s 'license' has the name of the license section; rename it",
			   what);
}

/* Checks the maps, globals and functions from index done[0..2] on (all at
 * first; after the bodies are checked, those imported meanwhile), against
 * every section, and the earlier ones against the new programs' sections. */
static void check_section_names(Sema *s, const int done[3])
{
	for (int i = 0; i < s->p->funcs.n; i++) {
		FuncDef *fn = s->p->funcs.items[i];
		bool is_new = i >= done[2];
		clash(s, fn->name, sema_def_loc(s, fn->def), fn->section ? "program" : "function",
		      is_new ? 0 : done[2], is_new);
	}
	for (int i = 0; i < s->p->maps.n; i++) {
		MapDef *m = s->p->maps.items[i];
		clash(s, m->name, m->loc, "map", i >= done[0] ? 0 : done[2], i >= done[0]);
	}
	for (int i = 0; i < s->p->globals.n; i++) {
		GlobalVar *g = s->p->globals.items[i];
		clash(s, g->name, g->loc, "global", i >= done[1] ? 0 : done[2], i >= done[1]);
	}
}

Program *sema_check(Arena *a, Diags *d, AstNode *module, const SemaOptions *opts)
{
	Sema s = {0};
	s.a = a;
	s.d = d;
	s.opts = opts;
	s.p = arena_alloc(a, sizeof *s.p);
	sema_init_types(a, s.p);

	PtrVec defs = {0};
	sema_imports_init(&s, module);
	sema_bind_module(&s, module, &defs);
	sema_apply_defines(&s);

	Item *items = arena_alloc(a, sizeof(Item) * (size_t)(defs.n ? defs.n : 1));
	int nitems = 0;
	for (int i = 0; i < defs.n; i++) {
		Item it;
		if (!classify(&s, defs.items[i], &it))
			continue;
		/* a later def of the same name replaces an earlier one, as in Python */
		for (int j = 0; j < nitems; j++) {
			if (items[j].def && strcmp(items[j].name, it.name) == 0) {
				Diag *g = diag_error(s.d, sema_def_loc(&s, it.def),
						     "'%s' is defined twice", it.name);
				diag_note(s.d, g, sema_def_loc(&s, items[j].def),
					  "first definition of '%s'", it.name);
				items[j].def = NULL;
			}
		}
		items[nitems++] = it;
	}
	for (int i = 0; i < nitems; i++)
		if (items[i].def && items[i].kind == DEC_STRUCT)
			check_struct(&s, &items[i]);
	for (int i = 0; i < nitems; i++) {
		if (items[i].def && items[i].kind == DEC_STRUCT)
			sema_layout_struct(&s, scope_get(&s.module, items[i].name));
	}
	for (int i = 0; i < nitems; i++)
		if (items[i].def && items[i].kind == DEC_MAP)
			sema_check_map(&s, items[i].def, items[i].name);
	for (int i = 0; i < nitems; i++)
		if (items[i].def && items[i].kind == DEC_BPFGLOBAL)
			sema_check_global(&s, items[i].def, items[i].name);
	for (int i = 0; i < nitems; i++)
		if (items[i].def && (items[i].kind == DEC_SECTION || items[i].kind == DEC_BPF))
			check_signature(&s, &items[i]);
	for (int i = 0; i < s.p->maps.n; i++)
		sema_resolve_map_values(&s, s.p->maps.items[i]);
	int none[3] = {0, 0, 0};
	check_section_names(&s, none);
	if (d->errors == 0) {
		int done[3] = {s.p->maps.n, s.p->globals.n, s.p->funcs.n};
		/* (an imported subprogram joins funcs when a body uses it) */
		for (int i = 0; i < s.p->funcs.n; i++) {
			FuncDef *fn = s.p->funcs.items[i];
			int outer = sema_enter_module(&s, fn->def->file);
			sema_check_function(&s, fn);
			sema_enter_module(&s, outer);
		}
		/* what the bodies imported (programs, maps, globals) */
		check_section_names(&s, done);
		for (int i = 0; i < s.p->funcs.n && d->errors == 0; i++)
			check_recursion(&s, s.p->funcs.items[i]);
	}
	if (d->errors == 0 && s.p->funcs.n == 0)
		diag_warning(d, srcloc(0, 0, 0, 0),
			     "no BPF programs: nothing is decorated with @bpf and @section");
	if (!s.p->license && s.p->funcs.n && d->errors == 0) {
		diag_warning(d, srcloc(0, 0, 0, 0),
			     "no LICENSE global; using \"GPL\" (declare one with @bpf @bpfglobal "
			     "def LICENSE() -> str: return \"GPL\")");
		GlobalVar *g = arena_alloc(a, sizeof *g);
		g->name = "LICENSE";
		g->is_license = true;
		g->init = (unsigned char *)arena_strdup(a, "GPL");
		g->type = type_array(a, type_int(s.p, CT_CHAR), 4);
		s.p->license = g;
		ptrvec_push(a, &s.p->globals, g);
	}
	return d->errors ? NULL : s.p;
}
