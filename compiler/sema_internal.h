/*
 * sema_internal.h - state shared by the sema_*.c files.
 *
 * Sema holds the module scope and, while a function body is checked, that
 * function's local scope. Scopes are small open-addressing hash tables of
 * Symbol pointers keyed by name, allocated in the arena.
 */
#ifndef PYBPF_SEMA_INTERNAL_H
#define PYBPF_SEMA_INTERNAL_H

#include "sema.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct Scope {
	Symbol **slots;
	int cap, count;
} Scope;

typedef struct Sema {
	Arena *a;
	Diags *d;
	Program *p;
	const SemaOptions *opts;
	Scope module;
	/* the function being checked */
	FuncDef *fn;
	Scope locals;
	Scope global_decls; /* names declared `global` in this function */
	int loop_depth;
	bool kbtf_failed;   /* the kernel BTF could not be read (reported once) */
	bool kbtf_imported; /* the file imports from vmlinux (else read lazily) */
	/* the kernel BTF read quietly to tell a kfunc called without its import
	 * (sema_kfunc.c), when the file does not import from vmlinux */
	struct Kbtf *kbtf_probe;
	bool kbtf_probed;
	/* why the last quiet constant fold failed, and where (for notes) */
	const char *fold_why;
	SrcLoc fold_where;
	/* local modules (sema_import.c): SemaModule *, index = Diags file
	 * index; 0 is the main source. `module` above is the scope of the
	 * current one (cur_mod); the others keep theirs in the table. */
	PtrVec mods;
	int cur_mod;
	PtrVec load_stack; /* SemaModule * being loaded (import cycles) */
	/* following local imports: 0 reports a missing module or name; 1
	 * (quiet constant folding) does not report that `import mod` finds no
	 * local mod (it may be Python's: N = os.cpu_count()); 2 (decorators,
	 * which userspace code has too) does not follow imports at all */
	int quiet_imports;
} Sema;

Symbol *scope_get(const Scope *s, const char *name);
void scope_put(Arena *a, Scope *s, Symbol *sym); /* replaces a symbol of the same name */

Symbol *sema_new_symbol(Sema *s, SymKind kind, const char *name, SrcLoc loc);
/* A fresh symbol for `name` as exported by module `mod` (builtins.def), or NULL. */
Symbol *sema_universe(Sema *s, ModuleId mod, const char *name);
/* Any pybpf-universe symbol with this name (for files that do not import). */
Symbol *sema_universe_any(Sema *s, const char *name);
/* Module id for a dotted module name, or MOD_NONE. */
ModuleId sema_module_id(const char *dotted);

/* Resolves `name` at module level (module scope, then builtins and the
 * pybpf universe). NULL when unknown. */
Symbol *sema_lookup_module(Sema *s, const char *name);
/* Resolves an expression that names something at module level: a Name or an
 * attribute of an imported module (ctypes.c_uint32, pybpf.maps.HashMap). */
Symbol *sema_resolve_static(Sema *s, AstNode *e);

/* Folds an integer constant expression. Reports why not when `report`. */
bool sema_const_eval(Sema *s, AstNode *e, ConstVal *out, bool report);
bool sema_const_symbol(Sema *s, Symbol *sym, ConstVal *out, SrcLoc use);
/* Reports that module-level `sym` does not fold, with the reason as a note. */
void sema_not_constant(Sema *s, Symbol *sym, SrcLoc use);
/* Overrides module-level constants with the -D NAME=VALUE options. */
void sema_apply_defines(Sema *s);

/* Turns a type expression into a Type: ctypes names, @struct names, str(N),
 * T * N arrays. Reports and returns NULL when it is not a type. */
Type *sema_type_expr(Sema *s, AstNode *e);
/* Lays out a @struct class (idempotent; detects recursion). */
bool sema_layout_struct(Sema *s, Symbol *sym);

void sema_check_function(Sema *s, FuncDef *fn);

/* ---- local modules (sema_import.c) ---- */

/* SYM_OTHER details: a lazy `from mod import X` / `import mod` of a module
 * that is not pybpf's (cexpr: the import statement) */
#define SYM_DETAIL_FROM_IMPORT (-3)
#define SYM_DETAIL_IMPORT      (-4)

/* Registers the main module (index 0) before binding. */
void sema_imports_init(Sema *s, AstNode *module);
/* Makes module `mod` current (its scope in s->module); returns the previous. */
int sema_enter_module(Sema *s, int mod);
/* What a module-level SYM_OTHER means once its import is followed (or the
 * imported module's def it names is classified); sym itself otherwise. */
Symbol *sema_import_symbol(Sema *s, Symbol *sym);
/* mod.X where `import mod` bound a local module: X, or NULL. */
Symbol *sema_import_attribute(Sema *s, Symbol *mod, AstNode *attr);
/* -D MOD.NAME=VALUE: NAME in module MOD (loaded), or NULL (*reported if
 * the module could not be loaded). */
Symbol *sema_define_symbol(Sema *s, const char *def, const char *qualified, bool *reported);
/* The module a `from mod import NAME` symbol of the main source names, or NULL. */
const char *sema_import_source(Sema *s, Symbol *sym);
/* sema_module.c: binds a module's top level into s->module; classifies and
 * checks one def/class of an imported module when its name is used. */
void sema_bind_module(Sema *s, AstNode *module, PtrVec *items);
void sema_register_def(Sema *s, AstNode *def);

/* ---- module level (sema_module.c, sema_maps.c) ---- */

/* The location of the name in `def name` / `class name`. */
SrcLoc sema_def_loc(Sema *s, AstNode *def);
/* The expression of a body that is exactly `return <expr>`, or NULL. */
AstNode *sema_sole_return(AstNode *def);
/* Reports (and returns false) when a def takes parameters. */
bool sema_no_parameters(Sema *s, AstNode *def, const char *what);
void sema_check_map(Sema *s, AstNode *def, const char *name);
void sema_resolve_map_values(Sema *s, MapDef *m);
void sema_check_global(Sema *s, AstNode *def, const char *name);
Type *sema_type_expr_quiet(Sema *s, AstNode *e);
const char *sema_map_class_name(MapClassId cls);

/* ---- shared by sema_expr.c, sema_call.c and sema_stmt.c ---- */

/* Checks an expression; its natural type (NULL after reporting an error). */
Type *sema_expr(Sema *s, AstNode *e);
/* A value that is stored (assigned, or passed as a map key or value): as
 * sema_expr, but a string literal is a value too, of type str(len + 1). */
Type *sema_stored(Sema *s, AstNode *e);
/* An expression whose value is an integer (map pointers read through). */
Type *sema_int(Sema *s, AstNode *e, const char *what);
/* An expression usable as a condition (an integer or a pointer). */
bool sema_cond(Sema *s, AstNode *e);
/* Checks that a value of type `from` (expression e) can be stored in `to`. */
bool sema_convert(Sema *s, AstNode *e, Type *from, Type *to, const char *what);
/* The type of the value of an expression of type t (pointers read through). */
Type *sema_value_type(Type *t);
Type *sema_set_type(AstNode *e, Type *t);
Type *sema_set_const(Sema *s, AstNode *e, ConstVal v);
bool sema_is_none(const AstNode *e);
bool sema_is_str(const AstNode *e);
Symbol *sema_resolve_name(Sema *s, AstNode *e);
/* Reports why a module-level symbol cannot be used as a value here. */
void sema_not_value(Sema *s, AstNode *e, Symbol *sym);
Type *sema_attribute(Sema *s, AstNode *e);
/* a[i] and m[k]; a map item has the type of a lookup (a pointer). */
Type *sema_subscript(Sema *s, AstNode *e);
/* The map a receiver names (`m` or pythonbpf's `m()`), or NULL. */
MapDef *sema_receiver_map(Sema *s, AstNode *recv);
bool sema_map_is_keyed(const MapDef *m);
bool sema_op_allowed(Sema *s, AstNode *e, AstOp op);
Type *sema_call(Sema *s, AstNode *e);
bool sema_no_keywords(Sema *s, AstNode *e, const char *fname);
bool sema_arg_count(Sema *s, AstNode *e, const char *fname, int min, int max);

/* BPF's stack: every function's locals and temporaries share 512 bytes. */
#define BPF_STACK_SIZE	   512
#define BPF_VERIFIER_INSNS 1000000 /* BPF_COMPLEXITY_LIMIT_INSNS */
/* The largest type pybpf lays out (far above any kernel map value limit,
 * so the kernel stays the judge of what fits; sizes stay in an int). */
#define TYPE_SIZE_MAX (1 << 30)
/* Reports (and returns false) when an object of type t, named `what`, cannot
 * live on the BPF stack. */
bool sema_fits_stack(Sema *s, SrcLoc where, Type *t, const char *what);

/* ---- kernel helpers (sema_helpers.c) ---- */

Type *sema_helper_call(Sema *s, AstNode *e, const HelperInfo *h);
/* The context a function can pass to helpers: a program's first parameter,
 * or a subprogram's first parameter when it is a c_void_p. NULL if none. */
Symbol *sema_context_param(const FuncDef *fn);
int sema_helper_index(const HelperInfo *h);
const HelperInfo *sema_helper_at(int index);

void sema_init_types(Arena *a, Program *p);

/* ---- kernel types (sema_kernel.c) ---- */

/* The kernel BTF (s->p->kbtf), read at its first need, at `at`: reports
 * once when it cannot be read, with a note "WHY_BTF; give a BTF file with
 * --btf PATH". False when it is not available. */
bool sema_need_kbtf(Sema *s, AstNode *at, const char *why_btf);
/* from vmlinux import name [as bound]: binds `bound` (reports failures) */
void sema_bind_vmlinux(Sema *s, AstNode *alias, const char *name, const char *bound);
/* STRUCT(address) for a kernel struct type symbol */
Type *sema_kernel_cast(Sema *s, AstNode *e, Symbol *sym);
/* base.name where base is a kernel pointer to, or kernel place of, st */
Type *sema_kernel_attribute(Sema *s, AstNode *e, Type *st);
/* The context type a program of this section gets without an annotation,
 * in a file that imports from vmlinux: the tracepoint's record
 * (trace_event_raw_<name>); NULL when unknown (then c_void_p). */
Type *sema_section_context(Sema *s, const char *section);
/* Whether the unannotated context parameter ctx of program def is typed
 * from its section: loads the kernel BTF when the program needs it in a file
 * without vmlinux imports (sema_lazyctx.c). */
bool sema_context_wants_btf(Sema *s, AstNode *def, AstNode *ctx);
/* Checks the argument of a CO-RE query (bpf_core_field_exists, ...). */
bool sema_core_query(Sema *s, AstNode *e, BuiltinId id, const char *name);
/* ---- kfuncs (sema_kfunc.c) ---- */

/* from vmlinux import name, when name is no type or constant: binds a kfunc,
 * or reports a kernel function that is not one or a misspelt kfunc (true);
 * false when name is nothing like a kfunc. */
bool sema_bind_kfunc(Sema *s, AstNode *alias, const char *name, Symbol *sym);
Type *sema_kfunc_call(Sema *s, AstNode *e, KFunc *kf);
/* A call of an undefined name that is a kfunc of the kernel's BTF: reports
 * the missing import (true). */
bool sema_kfunc_unimported(Sema *s, AstNode *name);
/* ---- program contexts and event arguments (sema_context.c) ---- */

/* The context type of sections other than tracepoints (pt_regs for
 * kprobes and uprobes, bpf_sock_addr for cgroup/connect4, ...), or NULL. */
Type *sema_typed_context(Sema *s, const char *section);
/* The parameters after a program's context: its event's arguments, typed
 * from the kernel's BTF (args[1..n) of the arguments node). Reports and
 * returns false when the section has none or they do not fit. */
bool sema_event_args(Sema *s, FuncDef *fn, AstNode *args);
/* PT_REGS_PARM1(ctx) and friends: rewrites call e into the register's
 * field read. */
Type *sema_pt_regs(Sema *s, AstNode *e, BuiltinId id, const char *name);
/* Checks the arguments of bpf_core_enum_value[_exists](enum_X, NAME) and
 * bpf_core_type_id_local/kernel(T). */
bool sema_core_enum_or_id(Sema *s, AstNode *e, BuiltinId id, const char *name);
/* Can the BPF backend relocate bitfield f of kernel struct t (does it
 * fit in an aligned unit of the struct's alignment, at most 8 bytes)? */
bool sema_bitfield_relocatable(Sema *s, Type *t, Field *f);
/* Is the function a program of a tracing type (kprobe, tracepoint, raw_tp,
 * fentry, lsm, perf_event, ...)? Subprograms count as tracing (unknown). */
bool sema_tracing_function(const FuncDef *fn);

/* Marks call e as a cast (CALL_CAST). */
void sema_set_call_cast(Sema *s, AstNode *e);

/* ---- packets (sema_packet.c) ---- */

/* The context type of a packet program's section (xdp: xdp_md; tc,
 * classifier, tcx, socket, cgroup_skb: __sk_buff), or NULL. */
Type *sema_packet_context(Sema *s, const char *section);
/* base.NAME when base is a packet pointer, a packet place or a packet
 * program's context (ctx.data): sets *out and returns true when it handled
 * (or reported) e. */
bool sema_packet_attribute(Sema *s, AstNode *e, Type *base, Type **out);
/* l OP r with a packet pointer operand. */
Type *sema_packet_binop(Sema *s, AstNode *e, Type *l, Type *r);
/* HEADER(p) where p is (syntactically) a packet pointer. */
bool sema_packet_cast_applies(Sema *s, AstNode *e);
Type *sema_packet_cast(Sema *s, AstNode *e, Type *header);
/* Reports packet accesses no bounds check guards (after the body checked). */
void sema_packet_check_bounds(Sema *s, FuncDef *fn);

/* Human-readable name of a statement or expression kind ("'with' statements"). */
const char *sema_construct_name(AstKind kind);

#endif
