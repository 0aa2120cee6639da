/*
 * sema_context.c - what a program receives from the kernel: its context
 * typed from its section, and its event's arguments as parameters.
 *
 * In a file that imports from vmlinux, an unannotated context is typed by
 * the program's section (the table below: pt_regs for kprobes and uprobes,
 * bpf_sock_addr for cgroup/connect4, ...) and read with direct CO-RE loads,
 * which the verifier turns into context accesses. Tracepoint records are
 * typed in sema_kernel.c.
 *
 * The parameters after the context are the event's arguments, by position,
 * typed from the kernel's BTF (libbpf's BPF_PROG / BPF_KPROBE style):
 *
 *   raw_tp/NAME, tp_btf/NAME  the `btf_trace_NAME` prototype after its
 *                             first `void *`; u64 slots of the context
 *   fentry/F, fexit/F,        F's prototype; fexit, fmod_ret and lsm also
 *   fmod_ret/F, lsm/HOOK      get the return value after the arguments
 *                             (lsm: the function bpf_lsm_HOOK)
 *   kprobe/F                  F's prototype, from PT_REGS_PARM1..6
 *   kretprobe/F               one parameter: F's return value (PT_REGS_RC)
 *   uprobe, uretprobe         no BTF: u64 registers PARM1..6 / RC
 *
 * Pointers of tp_btf, fentry, fexit and lsm arguments are BTF pointers
 * (direct loads); those of raw_tp and kprobe arguments are read with
 * bpf_probe_read_kernel.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <bpf/btf.h>
#include <string.h>

/* ---- typed contexts ---- */

/* A section names a context struct when it equals `section`, or starts
 * with it followed by '/' or '.' (a prefix ending in '/' matches any
 * target). */
typedef struct ContextType {
	const char *section;
	const char *type;
} ContextType;

static const ContextType context_types[] = {
	{"kprobe/", "struct_pt_regs"},
	{"kretprobe/", "struct_pt_regs"},
	{"ksyscall/", "struct_pt_regs"},
	{"kretsyscall/", "struct_pt_regs"},
	{"uprobe", "struct_pt_regs"},
	{"uretprobe", "struct_pt_regs"},
	{"perf_event", "struct_bpf_perf_event_data"},
	{"socket", "struct___sk_buff"},
	{"cgroup_skb/ingress", "struct___sk_buff"},
	{"cgroup_skb/egress", "struct___sk_buff"},
	{"cgroup/connect4", "struct_bpf_sock_addr"},
	{"cgroup/connect6", "struct_bpf_sock_addr"},
	{"cgroup/connect_unix", "struct_bpf_sock_addr"},
	{"cgroup/bind4", "struct_bpf_sock_addr"},
	{"cgroup/bind6", "struct_bpf_sock_addr"},
	{"cgroup/sendmsg4", "struct_bpf_sock_addr"},
	{"cgroup/sendmsg6", "struct_bpf_sock_addr"},
	{"cgroup/sendmsg_unix", "struct_bpf_sock_addr"},
	{"cgroup/recvmsg4", "struct_bpf_sock_addr"},
	{"cgroup/recvmsg6", "struct_bpf_sock_addr"},
	{"cgroup/recvmsg_unix", "struct_bpf_sock_addr"},
	{"cgroup/getpeername4", "struct_bpf_sock_addr"},
	{"cgroup/getpeername6", "struct_bpf_sock_addr"},
	{"cgroup/getpeername_unix", "struct_bpf_sock_addr"},
	{"cgroup/getsockname4", "struct_bpf_sock_addr"},
	{"cgroup/getsockname6", "struct_bpf_sock_addr"},
	{"cgroup/getsockname_unix", "struct_bpf_sock_addr"},
	{"cgroup/getsockopt", "struct_bpf_sockopt"},
	{"cgroup/setsockopt", "struct_bpf_sockopt"},
	{"cgroup/sock_create", "struct_bpf_sock"},
	{"cgroup/sock_release", "struct_bpf_sock"},
	{"cgroup/post_bind4", "struct_bpf_sock"},
	{"cgroup/post_bind6", "struct_bpf_sock"},
	{"cgroup/sock", "struct_bpf_sock"},
	{"cgroup/sysctl", "struct_bpf_sysctl"},
	{"cgroup/dev", "struct_bpf_cgroup_dev_ctx"},
	{"sockops", "struct_bpf_sock_ops"},
	{"sk_msg", "struct_sk_msg_md"},
	{"sk_lookup", "struct_bpf_sk_lookup"},
};

static bool section_is(const char *section, const char *pattern)
{
	size_t n = strlen(pattern);
	if (strncmp(section, pattern, n) != 0)
		return false;
	if (pattern[n - 1] == '/')
		return true;
	return section[n] == 0 || section[n] == '/' || section[n] == '.';
}

Type *sema_typed_context(Sema *s, const char *section)
{
	for (size_t i = 0; i < sizeof context_types / sizeof context_types[0]; i++) {
		if (!section_is(section, context_types[i].section))
			continue;
		Type *t = NULL;
		ConstVal unused;
		if (kbtf_resolve(s->p->kbtf, context_types[i].type, &t, &unused) != KBTF_TYPE ||
		    !sema_is_kernel_type(t))
			return NULL;
		return kbtf_pointer(s->p->kbtf, t, KPTR_CTX);
	}
	return NULL;
}

/* ---- bitfields ---- */

/* LLVM's BPFAbstractMemberAccess computes a bitfield's relocations from the
 * struct's alignment (capped at 8 bytes) and stops the process with a fatal
 * error when the bitfield does not fit in one aligned unit: the same test. */
bool sema_bitfield_relocatable(Sema *s, Type *t, Field *f)
{
	const struct btf_type *bt = btf__type_by_id(kbtf_btf(s->p->kbtf), t->btf_id);
	uint32_t bit = btf_member_bit_offset(bt, (uint32_t)(f - t->fields));
	uint32_t bits = (uint32_t)f->bit_size;
	if (t->align > 8 && bit / 64 != (bit + bits) / 64)
		return false;
	uint32_t unit = (uint32_t)(t->align > 8 ? 8 : t->align) * 8;
	return bits <= unit && (bit & ~(unit - 1)) + unit >= bit + bits;
}

/* ---- program types ---- */

/* The sections of tracing programs: those bpf_get_current_task_btf() and
 * kernel probe reads are meant for. */
static const char *const tracing_sections[] = {
	"kprobe/",	   "kretprobe/",    "ksyscall/",
	"kretsyscall/",	   "kprobe.multi/", "kretprobe.multi/",
	"uprobe",	   "uretprobe",	    "usdt",
	"tracepoint/",	   "tp/",	    "raw_tp/",
	"raw_tracepoint/", "raw_tp.w/",	    "raw_tracepoint.w/",
	"tp_btf/",	   "fentry/",	    "fexit/",
	"fmod_ret/",	   "fentry.s/",	    "fexit.s/",
	"fmod_ret.s/",	   "lsm/",	    "lsm.s/",
	"lsm_cgroup/",	   "iter/",	    "iter.s/",
	"perf_event",
};

bool sema_tracing_function(const FuncDef *fn)
{
	if (!fn->section)
		return true;
	for (size_t i = 0; i < sizeof tracing_sections / sizeof tracing_sections[0]; i++)
		if (section_is(fn->section, tracing_sections[i]))
			return true;
	return false;
}

/* ---- event arguments ---- */

typedef enum EventKind {
	EV_NONE,
	EV_RAW_TP, /* btf_trace_NAME, u64 slots, probe reads */
	EV_TP_BTF, /* btf_trace_NAME, u64 slots, BTF pointers */
	EV_FENTRY, /* the function's prototype, u64 slots, BTF pointers */
	EV_FEXIT,  /* ... and the return value after the arguments */
	EV_LSM,	   /* bpf_lsm_HOOK, like fexit */
	EV_KPROBE, /* the function's prototype, pt_regs registers */
	EV_KRETPROBE,
	EV_UPROBE, /* no prototype: u64 registers */
	EV_URETPROBE,
} EventKind;

typedef struct EventSection {
	const char *prefix;
	EventKind kind;
} EventSection;

static const EventSection event_sections[] = {
	{"raw_tp/", EV_RAW_TP},	      {"raw_tracepoint/", EV_RAW_TP},
	{"raw_tp.w/", EV_RAW_TP},     {"raw_tracepoint.w/", EV_RAW_TP},
	{"tp_btf/", EV_TP_BTF},	      {"fentry/", EV_FENTRY},
	{"fentry.s/", EV_FENTRY},     {"fexit/", EV_FEXIT},
	{"fexit.s/", EV_FEXIT},	      {"fmod_ret/", EV_FEXIT},
	{"fmod_ret.s/", EV_FEXIT},    {"lsm/", EV_LSM},
	{"lsm.s/", EV_LSM},	      {"kprobe/", EV_KPROBE},
	{"kretprobe/", EV_KRETPROBE}, {"uprobe", EV_UPROBE},
	{"uretprobe", EV_URETPROBE},
};

/* x86-64 registers of pt_regs: PT_REGS_PARM1..6, RC, IP, SP, FP (ORDER
 * PT_REGS) */
static const char *const pt_regs_x86[] = {"di", "si", "dx", "cx", "r8",
					  "r9", "ax", "ip", "sp", "bp"};
#define PT_REGS_NPARMS	 6
#define PT_REGS_RC_INDEX 6

static EventKind event_kind(const char *section, const char **target)
{
	for (size_t i = 0; i < sizeof event_sections / sizeof event_sections[0]; i++) {
		if (!section_is(section, event_sections[i].prefix))
			continue;
		const char *slash = strchr(section, '/');
		*target = slash ? slash + 1 : "";
		return event_sections[i].kind;
	}
	return EV_NONE;
}

/* The prototype (BTF_KIND_FUNC_PROTO) of the event, or NULL (reported). */
static const struct btf_type *event_proto(Sema *s, FuncDef *fn, EventKind kind, const char *target,
					  int *skip)
{
	const struct btf *btf = kbtf_btf(s->p->kbtf);
	const char *name = target;
	int btf_kind = BTF_KIND_FUNC;
	*skip = 0;
	if (kind == EV_RAW_TP || kind == EV_TP_BTF) {
		name = arena_printf(s->a, "btf_trace_%s", target);
		btf_kind = BTF_KIND_TYPEDEF;
		*skip = 1; /* the tracepoint's `void *__data` */
	} else if (kind == EV_LSM) {
		name = arena_printf(s->a, "bpf_lsm_%s", target);
	}
	int id = *target && !strpbrk(target, "+:") ? btf__find_by_name_kind(btf, name, btf_kind)
						   : -1;
	const struct btf_type *t = id > 0 ? btf__type_by_id(btf, (uint32_t)id) : NULL;
	if (t && btf_kind == BTF_KIND_TYPEDEF) {
		t = btf__type_by_id(btf, t->type);
		if (t && btf_is_ptr(t))
			t = btf__type_by_id(btf, t->type);
	} else if (t) {
		t = btf__type_by_id(btf, t->type);
	}
	if (t && btf_is_func_proto(t) && btf_vlen(t) >= *skip)
		return t;
	diag_error(s->d, fn->section_loc,
		   "kernel BTF '%s' has no %s '%s': the program's parameters after the context "
		   "cannot be typed",
		   kbtf_path(s->p->kbtf), btf_kind == BTF_KIND_TYPEDEF ? "tracepoint" : "function",
		   name);
	return NULL;
}

/* The pybpf type of an argument or return value of BTF type id, with
 * kernel pointers read in mode; NULL when pybpf does not read it. */
static Type *arg_type(Sema *s, uint32_t id, KptrMode mode)
{
	Type *t = kbtf_type(s->p->kbtf, id);
	if (!t || t->kind != TY_INT)
		return NULL;
	if (t->is_kptr && t->kptr && mode != KPTR_PROBE)
		return kbtf_pointer(s->p->kbtf, t->kptr, mode);
	return t;
}

/* ctx.REG: the register of the program's pt_regs context. */
static AstNode *register_read(Sema *s, Symbol *ctx, AstNode *at, const char *reg)
{
	AstNode *name = arena_alloc(s->a, sizeof *name);
	*name = *at;
	name->kind = AST_Name;
	name->Name.id = ctx->name;
	name->sema = ctx;
	name->type = ctx->type;
	name->konst = NULL;
	AstNode *attr = arena_alloc(s->a, sizeof *attr);
	*attr = *at;
	attr->kind = AST_Attribute;
	attr->Attribute.value = name;
	attr->Attribute.attr = reg;
	attr->sema = NULL;
	attr->type = NULL;
	attr->konst = NULL;
	return sema_kernel_attribute(s, attr, ctx->type->kptr) ? attr : NULL;
}

static bool is_pt_regs(const Type *t)
{
	return t && t->is_kptr && t->kptr && t->kptr->c_name &&
	       strcmp(t->kptr->c_name, "pt_regs") == 0;
}

bool sema_event_args(Sema *s, FuncDef *fn, AstNode *args)
{
	const AstList *params = &args->arguments.args;
	const char *target = "";
	EventKind kind = event_kind(fn->section, &target);
	AstNode *first = params->items[1];
	if (kind == EV_NONE) {
		Diag *g = diag_error(s->d, ast_loc(first),
				     "a BPF program takes one parameter (its context), not %d",
				     params->n);
		diag_note(s->d, g, fn->section_loc,
			  "only raw_tp, tp_btf, fentry, fexit, fmod_ret, lsm, kprobe, kretprobe, "
			  "uprobe and uretprobe programs take their event's arguments as "
			  "parameters");
		return false;
	}
	if (!s->p->kbtf) /* it could not be read: reported (sema_lazyctx.c) */
		return false;
	Symbol *ctx = fn->params[0];
	bool regs = kind == EV_KPROBE || kind == EV_KRETPROBE || kind == EV_UPROBE ||
		    kind == EV_URETPROBE;
	if (regs && !is_pt_regs(ctx->type)) {
		diag_error(s->d, ast_loc(params->items[0]),
			   "the arguments of a %s program are read from its pt_regs context: leave "
			   "'%s' unannotated or annotate it struct_pt_regs",
			   kind == EV_UPROBE || kind == EV_URETPROBE ? "uprobe" : "kprobe",
			   ctx->name);
		return false;
	}
	const struct btf *btf = kbtf_btf(s->p->kbtf);
	const struct btf_type *proto = NULL;
	int skip = 0;
	if (kind != EV_UPROBE && kind != EV_URETPROBE) {
		proto = event_proto(s, fn, kind, target, &skip);
		if (!proto)
			return false;
	}
	KptrMode mode = kind == EV_TP_BTF || kind == EV_FENTRY || kind == EV_FEXIT || kind == EV_LSM
				? KPTR_BTF
				: KPTR_PROBE;
	/* the values the parameters can take, in order */
	int nargs = proto ? btf_vlen(proto) - skip : PT_REGS_NPARMS;
	bool has_ret = proto && proto->type != 0;
	int nvalues = nargs;
	if (kind == EV_KPROBE && nvalues > PT_REGS_NPARMS)
		nvalues = PT_REGS_NPARMS;
	if (kind == EV_FEXIT || kind == EV_LSM)
		nvalues += has_ret;
	if (kind == EV_KRETPROBE || kind == EV_URETPROBE)
		nvalues = 1;
	bool ok = true;
	for (int i = 1; i < params->n; i++) {
		AstNode *a = params->items[i];
		int idx = i - 1;
		if (a->arg.annotation) {
			diag_error(
				s->d, ast_loc(a->arg.annotation),
				"event argument '%s' takes its type from the kernel's BTF; remove "
				"the annotation",
				a->arg.arg);
			ok = false;
			continue;
		}
		if (idx >= nvalues) {
			diag_error(s->d, ast_loc(a),
				   "'%s' gives %d value%s to the program's parameters after the "
				   "context, not %d",
				   *target ? target : fn->section, nvalues, nvalues == 1 ? "" : "s",
				   params->n - 1);
			ok = false;
			break;
		}
		bool ret = kind == EV_KRETPROBE || kind == EV_URETPROBE || idx == nargs;
		Type *t = type_int(s->p, CT_UINT64);
		if (proto) {
			uint32_t id = ret ? proto->type : btf_params(proto)[idx + skip].type;
			t = arg_type(s, id, mode);
			if (!t) {
				int r = btf__resolve_type(btf, id);
				const struct btf_type *bt =
					r > 0 ? btf__type_by_id(btf, (uint32_t)r) : NULL;
				diag_error(
					s->d, ast_loc(a),
					"event argument '%s' has a kernel type pybpf does not read "
					"(%s)",
					a->arg.arg,
					bt && btf_is_composite(bt) ? "a struct passed by value"
								   : "not an integer or pointer");
				ok = false;
				continue;
			}
		}
		Symbol *l = sema_new_symbol(s, SYM_LOCAL, a->arg.arg, ast_loc(a));
		l->type = t;
		l->bound = true;
		l->is_param = true;
		if (regs) {
			l->event_init =
				register_read(s, ctx, a, pt_regs_x86[ret ? PT_REGS_RC_INDEX : idx]);
			if (!l->event_init)
				return false;
		} else {
			l->event_slot = idx + 1;
		}
		ptrvec_push(s->a, &fn->locals, l);
	}
	return ok;
}

/* ---- PT_REGS_PARM1(ctx) and friends ---- */

Type *sema_pt_regs(Sema *s, AstNode *e, BuiltinId id, const char *name)
{
	AstNode *arg = e->Call.args.items[0];
	Type *t = sema_expr(s, arg);
	if (!t)
		return NULL;
	if (!is_pt_regs(t)) {
		diag_error(s->d, ast_loc(arg),
			   "%s() reads a register of a pt_regs pointer (a kprobe's or uprobe's "
			   "context in a file that imports from vmlinux), not of '%s'",
			   name, type_name(t));
		return NULL;
	}
	e->kind = AST_Attribute;
	e->Attribute.value = arg;
	e->Attribute.attr = pt_regs_x86[id - BI_PT_REGS_PARM1];
	e->sema = NULL;
	return sema_kernel_attribute(s, e, t->kptr);
}

/* ---- enum values and type ids ---- */

static bool is_kernel_enum(Sema *s, const Type *t)
{
	if (!t || t->kind != TY_INT || !t->btf_id || t->is_kptr)
		return false;
	return btf_is_any_enum(btf__type_by_id(kbtf_btf(s->p->kbtf), t->btf_id));
}

/* The index of enumerator `name` in kernel enum t, or -1. */
int sema_enumerator_index(const void *btf, const Type *t, const char *name)
{
	const struct btf_type *bt = btf__type_by_id(btf, t->btf_id);
	for (int i = 0; i < btf_vlen(bt); i++) {
		uint32_t off =
			btf_is_enum(bt) ? btf_enum(bt)[i].name_off : btf_enum64(bt)[i].name_off;
		if (strcmp(btf__name_by_offset(btf, off), name) == 0)
			return i;
	}
	return -1;
}

/* bpf_core_enum_value[_exists](enum_X, NAME): NAME is the enumerator's
 * name (not evaluated); bpf_core_type_id_local/kernel(T): a kernel struct,
 * union or enum. The type asked about is left in the first argument's
 * AstNode.type for lowering. */
bool sema_core_enum_or_id(Sema *s, AstNode *e, BuiltinId id, const char *name)
{
	AstNode *arg = e->Call.args.items[0];
	Symbol *sym = sema_resolve_static(s, arg);
	Type *t = sym && sym->kind == SYM_TYPE ? sym->type : NULL;
	bool is_enum = s->p->kbtf && is_kernel_enum(s, t);
	if (id == BI_CORE_ENUM_VALUE_EXISTS || id == BI_CORE_ENUM_VALUE) {
		if (!is_enum) {
			diag_error(
				s->d, ast_loc(arg),
				"%s() takes a kernel enum from vmlinux and an enumerator's name, as "
				"in %s(enum_bpf_func_id, BPF_FUNC_get_current_task)",
				name, name);
			return false;
		}
		AstNode *v = e->Call.args.items[1];
		if (v->kind != AST_Name ||
		    sema_enumerator_index(kbtf_btf(s->p->kbtf), t, v->Name.id) < 0) {
			diag_error(s->d, ast_loc(v), "kernel enum '%s' has no enumerator '%s'",
				   t->name, v->kind == AST_Name ? v->Name.id : "?");
			return false;
		}
		arg->type = t;
		return true;
	}
	if (!is_enum && !sema_is_kernel_type(t)) {
		diag_error(s->d, ast_loc(arg),
			   "%s() takes a kernel struct, union or enum from vmlinux, as in "
			   "%s(struct_task_struct)",
			   name, name);
		return false;
	}
	arg->type = t;
	return true;
}
