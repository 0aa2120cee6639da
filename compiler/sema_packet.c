/*
 * sema_packet.c - packet pointers and header structs over packet memory.
 *
 * In XDP and tc programs (and cgroup_skb, read only) the context's `data`,
 * `data_end` and `data_meta` fields are packet pointers: 64-bit values the
 * verifier tracks as PTR_TO_PACKET (PKT_DATA), PTR_TO_PACKET_END (PKT_END)
 * and PTR_TO_PACKET_META (PKT_META). A packet pointer plus or minus an
 * integer is one too (byte offsets); a header struct applied to one,
 * `ethhdr(data)` or `iphdr(data + 14)` (a kernel struct from vmlinux or a
 * @struct class), points into the packet: its fields are read and written
 * in place with plain loads and stores (lower_packet.c), bitfields
 * (iphdr's ihl and version) included for reads.
 *
 * The verifier accepts an access only where a comparison with data_end has
 * proven the bytes are there. sema_packet_check_bounds() follows that
 * proof over the structured body: for each packet pointer it knows the
 * anchor it was derived from (ctx.data, ctx.data_meta, or a local holding
 * a pointer with a variable offset) and its constant offset, and for each
 * anchor how many bytes a guard such as `if data + 34 > data_end: return
 * XDP_PASS` has verified on the current path. An access beyond that is a
 * compile error with the guard to write as a note.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <bpf/btf.h>
#include <string.h>

/* ---- packet programs ---- */

typedef enum PacketAccess { PA_NONE, PA_READ, PA_WRITE } PacketAccess;

typedef struct PacketProgram {
	const char *prefix; /* the section, or its first part before '/' or '.' */
	const char *ctx;    /* the context struct */
	PacketAccess access;
	const char *what;     /* for messages */
	const char *pass_ret; /* what the guard's note returns */
} PacketProgram;

static const PacketProgram packet_programs[] = {
	{"xdp", "struct_xdp_md", PA_WRITE, "XDP programs", "XDP_PASS"},
	{"tc", "struct___sk_buff", PA_WRITE, "tc programs", "TC_ACT_OK"},
	{"classifier", "struct___sk_buff", PA_WRITE, "tc programs", "TC_ACT_OK"},
	{"tcx", "struct___sk_buff", PA_WRITE, "tc programs", "TC_ACT_OK"},
	{"action", "struct___sk_buff", PA_WRITE, "tc programs", "TC_ACT_OK"},
	{"cgroup_skb", "struct___sk_buff", PA_READ, "cgroup_skb programs", "1"},
	{"socket", "struct___sk_buff", PA_NONE, "socket filters", "0"},
};

static const PacketProgram *packet_program(const char *section)
{
	if (!section)
		return NULL;
	for (size_t i = 0; i < COUNT(packet_programs); i++) {
		size_t n = strlen(packet_programs[i].prefix);
		if (strncmp(section, packet_programs[i].prefix, n) == 0 &&
		    (!section[n] || section[n] == '/' || section[n] == '.'))
			return &packet_programs[i];
	}
	return NULL;
}

Type *sema_packet_context(Sema *s, const char *section)
{
	const PacketProgram *pp = packet_program(section);
	Type *t = NULL;
	ConstVal unused;
	if (!pp || kbtf_resolve(s->p->kbtf, pp->ctx, &t, &unused) != KBTF_TYPE ||
	    !sema_is_kernel_type(t))
		return NULL;
	return kbtf_pointer(s->p->kbtf, t, KPTR_CTX);
}

/* ---- types ---- */

static Type *packet_type(Sema *s, PacketKind kind, Type *to)
{
	Type *t = arena_alloc(s->a, sizeof *t);
	*t = *type_int(s->p, CT_UINT64);
	t->ll = t->di = NULL;
	t->pkt = (unsigned char)kind;
	t->pkt_to = to;
	t->name = kind == PKT_END    ? "data_end"
		  : to		     ? arena_printf(s->a, "%s packet pointer", to->name)
		  : kind == PKT_META ? "packet metadata pointer"
				     : "packet pointer";
	return t;
}

static bool is_packet_ctx(const Type *t)
{
	return t && t->is_kptr && t->kmode == KPTR_CTX && t->kptr &&
	       (strcmp(t->kptr->c_name, "xdp_md") == 0 ||
		strcmp(t->kptr->c_name, "__sk_buff") == 0);
}

static const struct {
	const char *name;
	PacketKind kind;
} packet_roots[] = {
	{"data", PKT_DATA},
	{"data_end", PKT_END},
	{"data_meta", PKT_META},
};

bool sema_is_packet_root(const AstNode *e)
{
	return e->kind == AST_Attribute && e->type && e->type->pkt &&
	       is_packet_ctx(e->Attribute.value->type);
}

bool sema_is_packet_place(const AstNode *e)
{
	if (e->kind != AST_Attribute || !e->sema || sema_is_packet_root(e))
		return false;
	const AstNode *b = e->Attribute.value;
	if (b->type && b->type->pkt)
		return true;
	return b->type && b->type->kind == TY_STRUCT && sema_is_packet_place(b);
}

/* ---- fields ---- */

/* Finds field `name` of struct t (kernel structs: also inside anonymous
 * members), at bit offset `at`. */
static bool find_field(Sema *s, Type *t, const char *name, long at, PacketField *out, int depth)
{
	const struct btf *btf = t->btf_id ? kbtf_btf(s->p->kbtf) : NULL;
	const struct btf_type *bt = btf ? btf__type_by_id(btf, t->btf_id) : NULL;
	if (btf)
		kbtf_fields(s->p->kbtf, t);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < t->nfields; i++) {
			Field *f = &t->fields[i];
			long bit = at + (bt ? (long)btf_member_bit_offset(bt, (uint32_t)i)
					    : (long)f->offset * 8);
			if (pass == 0 && strcmp(f->name, name) == 0) {
				out->f = *f;
				out->f.offset = (int)(bit / 8);
				out->bit_off = (int)bit;
				out->unit = 0;
				if (f->bit_size > 0) {
					int bytes = (int)(bit % 8 + f->bit_size + 7) / 8;
					out->unit = 1;
					while (out->unit < bytes)
						out->unit *= 2;
				}
				return true;
			}
			if (pass == 1 && !*f->name && f->type && f->type->kind == TY_STRUCT &&
			    depth < 8 && find_field(s, f->type, name, bit, out, depth + 1))
				return true;
		}
	return false;
}

static const PacketProgram *current_program(Sema *s)
{
	return packet_program(s->fn ? s->fn->section : NULL);
}

/* ctx.data, ctx.data_end, ctx.data_meta */
static Type *packet_root(Sema *s, AstNode *e, Type *ctx)
{
	const char *name = e->Attribute.attr;
	PacketKind kind = PKT_NONE;
	for (size_t i = 0; i < COUNT(packet_roots); i++)
		if (strcmp(name, packet_roots[i].name) == 0)
			kind = packet_roots[i].kind;
	if (kind == PKT_NONE)
		return NULL;
	const PacketProgram *pp = current_program(s);
	if (!pp || pp->access == PA_NONE) {
		Diag *g = diag_error(s->d, ast_loc(e),
				     "'%s' is a packet pointer, which %s cannot use directly", name,
				     pp ? pp->what : "this function");
		diag_note(s->d, g, ast_loc(e),
			  "packet data is read directly in XDP, tc and cgroup_skb programs; "
			  "elsewhere copy it with skb_load_bytes()");
		return s->p->none;
	}
	PacketField pf;
	if (!find_field(s, ctx->kptr, name, 0, &pf, 0))
		return NULL; /* not in this kernel's struct: reported as usual */
	Field *f = &ctx->kptr->fields[0];
	for (int i = 0; i < ctx->kptr->nfields; i++)
		if (strcmp(ctx->kptr->fields[i].name, name) == 0)
			f = &ctx->kptr->fields[i];
	e->sema = f;
	return sema_set_type(e, packet_type(s, kind, NULL));
}

static Type *packet_field(Sema *s, AstNode *e, Type *st)
{
	const char *name = e->Attribute.attr;
	PacketField pf;
	if (!find_field(s, st, name, 0, &pf, 0)) {
		Diag *g = diag_error(s->d, ast_loc(e), "struct '%s' has no field '%s'",
				     st->btf_id ? st->c_name : st->name, name);
		if (st->btf_id) {
			const char *near = kbtf_suggest_field(s->p->kbtf, st, name);
			if (near)
				diag_note(s->d, g, ast_loc(e), "did you mean '%s'?", near);
		} else {
			diag_note(s->d, g, st->loc, "'%s' is defined here", st->name);
		}
		return NULL;
	}
	if (!pf.f.type || pf.f.bit_size < 0) {
		diag_error(s->d, ast_loc(e), "field '%s' of kernel %s '%s' cannot be read yet (%s)",
			   name, st->is_union ? "union" : "struct", st->c_name,
			   "a type pybpf does not read");
		return NULL;
	}
	PacketField *keep = arena_alloc(s->a, sizeof *keep);
	*keep = pf;
	e->sema = keep;
	return sema_set_type(e, pf.f.type);
}

bool sema_packet_attribute(Sema *s, AstNode *e, Type *base, Type **out)
{
	*out = NULL;
	const PacketProgram *pp = current_program(s);
	if (pp && base == s->p->void_ptr && e->Attribute.value->kind == AST_Name &&
	    s->fn->nparams && e->Attribute.value->sema == s->fn->params[0]) {
		for (size_t i = 0; i < COUNT(packet_roots); i++)
			if (strcmp(e->Attribute.attr, packet_roots[i].name) == 0) {
				Diag *g =
					diag_error(s->d, ast_loc(e),
						   "the context is untyped (c_void_p): '%s' needs "
						   "its type",
						   e->Attribute.attr);
				diag_note(s->d, g, ast_loc(e->Attribute.value),
					  "import it from vmlinux and annotate the context, as in "
					  "'from vmlinux import %s' and 'def %s(ctx: %s)'",
					  pp->ctx, s->fn->name, pp->ctx);
				return true;
			}
	}
	if (is_packet_ctx(base)) {
		Type *t = packet_root(s, e, base);
		if (!t)
			return false;
		*out = t == s->p->none ? NULL : t;
		return true;
	}
	if (base->pkt) {
		if (base->pkt == PKT_END) {
			diag_error(s->d, ast_loc(e),
				   "data_end marks the end of the packet: it has no fields and "
				   "is only compared, as in 'if data + 14 > data_end:'");
			return true;
		}
		if (!base->pkt_to) {
			diag_error(s->d, ast_loc(e),
				   "a packet pointer has no fields; apply a header struct to it "
				   "first, as in 'eth = ethhdr(data)'");
			return true;
		}
		*out = packet_field(s, e, base->pkt_to);
		return true;
	}
	if (base->kind == TY_STRUCT && sema_is_packet_place(e->Attribute.value)) {
		*out = packet_field(s, e, base);
		return true;
	}
	return false;
}

/* ---- arithmetic and casts ---- */

Type *sema_packet_binop(Sema *s, AstNode *e, Type *l, Type *r)
{
	AstOp op = e->kind == AST_UnaryOp ? e->UnaryOp.op : e->BinOp.op;
	if (e->kind == AST_UnaryOp)
		l = r = type_int(s->p, CT_INT); /* -p, ~p: the general message */
	if (l->pkt == PKT_END || r->pkt == PKT_END) {
		if (op == OP_Sub && l->pkt && r->pkt)
			return sema_set_type(e, type_int(s->p, CT_INT64)); /* a length */
		diag_error(s->d, ast_loc(e),
			   "data_end marks the end of the packet: it has no fields and is only "
			   "compared, as in 'if data + 14 > data_end:'");
		return NULL;
	}
	if (op == OP_Sub && l->pkt && r->pkt)
		return sema_set_type(e, type_int(s->p, CT_INT64));
	if ((op == OP_Add && !(l->pkt && r->pkt)) || (op == OP_Sub && l->pkt))
		return sema_set_type(e, packet_type(s, l->pkt ? l->pkt : r->pkt, NULL));
	diag_error(s->d, ast_loc(e),
		   "a packet pointer only takes an integer added or subtracted (a byte "
		   "offset), or another packet pointer subtracted, not '%s'",
		   ast_op_text(op));
	return NULL;
}

/* Whether e denotes a packet pointer, judged before it is checked (a
 * header struct applied to it is a cast, not a constructor). */
static bool looks_packet(Sema *s, const AstNode *e)
{
	switch (e->kind) {
	case AST_Name: {
		Symbol *l = scope_get(&s->locals, e->Name.id);
		return l && l->type && l->type->pkt;
	}
	case AST_Attribute: {
		const AstNode *b = e->Attribute.value;
		Symbol *l = b->kind == AST_Name ? scope_get(&s->locals, b->Name.id) : NULL;
		if (!l || !is_packet_ctx(l->type))
			return false;
		for (size_t i = 0; i < COUNT(packet_roots); i++)
			if (strcmp(e->Attribute.attr, packet_roots[i].name) == 0)
				return true;
		return false;
	}
	case AST_BinOp:
		return looks_packet(s, e->BinOp.left) || looks_packet(s, e->BinOp.right);
	case AST_Call:
		return e->Call.args.n == 1 && looks_packet(s, e->Call.args.items[0]);
	default:
		return false;
	}
}

bool sema_packet_cast_applies(Sema *s, AstNode *e)
{
	return s->fn && e->Call.args.n == 1 && e->Call.keywords.n == 0 &&
	       looks_packet(s, e->Call.args.items[0]);
}

Type *sema_packet_cast(Sema *s, AstNode *e, Type *header)
{
	AstNode *arg = e->Call.args.items[0];
	Type *t = sema_expr(s, arg);
	if (!t)
		return NULL;
	if (t->pkt == PKT_END || !t->pkt) {
		diag_error(s->d, ast_loc(arg),
			   "data_end marks the end of the packet: it has no fields and is only "
			   "compared, as in 'if data + 14 > data_end:'");
		return NULL;
	}
	sema_set_call_cast(s, e);
	return sema_set_type(e, packet_type(s, (PacketKind)t->pkt, header));
}

/* ---- bounds ---- */

/* Anchors for ctx.data and ctx.data_meta (locals anchor themselves). */
static const char ROOT_DATA[] = "ctx.data", ROOT_META[] = "ctx.data_meta";

/* A packet pointer's value: anchor + off; unknown when it has a variable
 * offset that no local holds. */
typedef struct PktVal {
	const void *anchor;
	long off;
	bool known;
	const char *stale; /* a local read before this helper moved the packet */
} PktVal;

/* The helpers after which the verifier forgets every packet pointer
 * (bpf_helper_changes_pkt_data() in the kernel's net/core/filter.c). */
static const char *const moves_packet[] = {
	"skb_store_bytes",  "skb_change_head", "skb_change_tail",      "skb_adjust_room",
	"skb_change_proto", "skb_vlan_push",   "skb_vlan_pop",	       "skb_pull_data",
	"clone_redirect",   "l3_csum_replace", "l4_csum_replace",      "xdp_adjust_head",
	"xdp_adjust_meta",  "xdp_adjust_tail", "msg_pull_data",	       "msg_push_data",
	"msg_pop_data",	    "lwt_push_encap",  "lwt_seg6_store_bytes", "lwt_seg6_adjust_srh",
	"lwt_seg6_action",
};

#define MAX_TRACKED 64

typedef struct BoundState {
	bool dead; /* no path reaches here */
	int nver, nbind;
	struct {
		const void *anchor;
		long len; /* anchor + len <= end is proven */
	} ver[MAX_TRACKED];
	struct {
		Symbol *sym;
		PktVal v;
	} bind[MAX_TRACKED];
} BoundState;

typedef struct Bounds {
	Sema *s;
	const PacketProgram *pp;
	int errors;
} Bounds;

static long verified(const BoundState *st, const void *anchor)
{
	for (int i = 0; i < st->nver; i++)
		if (st->ver[i].anchor == anchor)
			return st->ver[i].len;
	return 0;
}

static void set_verified(BoundState *st, const void *anchor, long len)
{
	for (int i = 0; i < st->nver; i++)
		if (st->ver[i].anchor == anchor) {
			st->ver[i].len = len;
			return;
		}
	if (st->nver < MAX_TRACKED) {
		st->ver[st->nver].anchor = anchor;
		st->ver[st->nver++].len = len;
	}
}

static PktVal *binding(BoundState *st, const Symbol *sym)
{
	for (int i = 0; i < st->nbind; i++)
		if (st->bind[i].sym == sym)
			return &st->bind[i].v;
	return NULL;
}

/* Local sym now holds v: pointers derived from its old value are unknown. */
static void bind(BoundState *st, Symbol *sym, PktVal v)
{
	for (int i = 0; i < st->nbind; i++)
		if (st->bind[i].v.anchor == sym && st->bind[i].sym != sym)
			st->bind[i].v.known = false;
	if (!v.known || v.anchor == sym) { /* its own anchor, nothing verified */
		v = (PktVal){sym, 0, true, NULL};
		set_verified(st, sym, 0);
	}
	PktVal *b = binding(st, sym);
	if (b) {
		*b = v;
	} else if (st->nbind < MAX_TRACKED) {
		st->bind[st->nbind].sym = sym;
		st->bind[st->nbind++].v = v;
	}
}

static PktVal value_of(BoundState *st, const AstNode *e)
{
	PktVal none = {0};
	if (!e->type || !e->type->pkt)
		return none;
	switch (e->kind) {
	case AST_Name: {
		Symbol *sym = e->sema;
		PktVal *b = sym ? binding(st, sym) : NULL;
		return b ? *b : (PktVal){sym, 0, sym != NULL, NULL};
	}
	case AST_Attribute:
		if (!sema_is_packet_root(e))
			return none;
		return (PktVal){e->type->pkt == PKT_META ? ROOT_META : ROOT_DATA, 0,
				e->type->pkt != PKT_END, NULL};
	case AST_BinOp: {
		const AstNode *p = e->BinOp.left, *k = e->BinOp.right;
		if (!p->type || !p->type->pkt) {
			p = e->BinOp.right;
			k = e->BinOp.left;
		}
		PktVal v = value_of(st, p);
		if (!k->konst)
			return none;
		v.off += e->BinOp.op == OP_Sub ? -k->konst->v : k->konst->v;
		return v;
	}
	case AST_Call:
		return e->Call.args.n == 1 ? value_of(st, e->Call.args.items[0]) : none;
	default:
		return none;
	}
}

static const char *anchor_name(const BoundState *st, const void *anchor)
{
	for (int i = 0; i < st->nbind; i++)
		if (st->bind[i].v.known && st->bind[i].v.anchor == anchor &&
		    st->bind[i].v.off == 0 && st->bind[i].sym->type &&
		    st->bind[i].sym->type->pkt == PKT_DATA)
			return st->bind[i].sym->name;
	if (anchor == ROOT_DATA || anchor == ROOT_META)
		return anchor;
	return ((const Symbol *)anchor)->name;
}

static const char *end_name(const BoundState *st, const void *anchor)
{
	if (anchor == ROOT_META) /* metadata ends where the packet starts */
		return anchor_name(st, ROOT_DATA);
	for (int i = 0; i < st->nbind; i++)
		if (st->bind[i].sym->type && st->bind[i].sym->type->pkt == PKT_END)
			return st->bind[i].sym->name;
	return "ctx.data_end";
}

/* An access to packet place e (whose base is a packet pointer). */
static void check_access(Bounds *B, BoundState *st, AstNode *e)
{
	if (st->dead)
		return;
	const PacketField *pf = e->sema;
	PktVal v = value_of(st, e->Attribute.value);
	long end = (long)pf->f.offset + (pf->f.bit_size ? pf->unit : pf->f.type->size);
	if (!v.known) {
		Diag *g = diag_error(
			B->s->d, ast_loc(e),
			"'%s' is read through a packet pointer with a variable offset that no "
			"bounds check covers",
			e->Attribute.attr);
		diag_note(B->s->d, g, ast_loc(e->Attribute.value),
			  "keep the pointer in a variable and check it before use, as in "
			  "'udp = udphdr(data + off)' then 'if udp + 8 > data_end: return %s'",
			  B->pp ? B->pp->pass_ret : "0");
		B->errors++;
		return;
	}
	long need = v.off + end;
	if (v.off >= 0 && need <= verified(st, v.anchor))
		return;
	const char *name = anchor_name(st, v.anchor);
	Diag *g = diag_error(B->s->d, ast_loc(e),
			     "packet access to '%s' (bytes %ld to %ld after %s) is not "
			     "preceded by a bounds check the verifier accepts",
			     e->Attribute.attr, v.off + (long)pf->f.offset, need, name);
	if (v.off < 0)
		diag_note(B->s->d, g, ast_loc(e),
			  "it lies before the pointer it is reached from; packet offsets must "
			  "not be negative");
	else
		diag_note(B->s->d, g, ast_loc(e),
			  "check the packet is long enough first, as in 'if %s + %ld > %s: "
			  "return %s'",
			  name, need, end_name(st, v.anchor), B->pp ? B->pp->pass_ret : "0");
	B->errors++;
}

/* Checks every packet access in expression e (in evaluation order, with the
 * short-circuit refinements of and/or). */
static void refine(BoundState *st, const AstNode *cond, bool truth);

static void check_expr(Bounds *B, BoundState *st, AstNode *e)
{
	if (!e)
		return;
	if (e->kind == AST_BoolOp) {
		BoundState t = *st;
		for (int i = 0; i < e->BoolOp.values.n; i++) {
			check_expr(B, &t, e->BoolOp.values.items[i]);
			refine(&t, e->BoolOp.values.items[i], e->BoolOp.op == OP_And);
		}
		return;
	}
	if (e->kind == AST_IfExp) {
		check_expr(B, st, e->IfExp.test);
		BoundState t = *st, f = *st;
		refine(&t, e->IfExp.test, true);
		refine(&f, e->IfExp.test, false);
		check_expr(B, &t, e->IfExp.body);
		check_expr(B, &f, e->IfExp.orelse);
		return;
	}
	int n;
	const AstField *fs = ast_kind_fields(e->kind, &n);
	for (int i = 0; i < n; i++) {
		const char *at = (const char *)e + fs[i].offset;
		if (fs[i].type == AFT_NODE || fs[i].type == AFT_OPT)
			check_expr(B, st, *(AstNode *const *)at);
		else if (fs[i].type == AFT_LIST) {
			const AstList *l = (const AstList *)at;
			for (int j = 0; j < l->n; j++)
				check_expr(B, st, l->items[j]);
		}
	}
	if (e->kind == AST_Attribute && sema_is_packet_place(e) && e->Attribute.value->type->pkt)
		check_access(B, st, e);
	if (e->kind == AST_Name && e->type && e->type->pkt && !st->dead) {
		PktVal *b = e->sema ? binding(st, e->sema) : NULL;
		if (b && b->stale) {
			Diag *g = diag_error(
				B->s->d, ast_loc(e),
				"packet pointer '%s' is used after %s(), which moves the "
				"packet: the verifier has forgotten it",
				e->Name.id, b->stale);
			diag_note(B->s->d, g, ast_loc(e),
				  "read ctx.data and ctx.data_end again after the call, and check "
				  "the bounds again");
			b->stale = NULL; /* once */
			B->errors++;
		}
	}
	const CallInfo *ci = e->kind == AST_Call ? e->sema : NULL;
	if (ci && ci->kind == CALL_HELPER && ci->helper)
		for (size_t i = 0; i < COUNT(moves_packet); i++)
			if (strcmp(ci->helper->name, moves_packet[i]) == 0) {
				for (int j = 0; j < st->nbind; j++)
					st->bind[j].v.stale =
						arena_printf(B->s->a, "bpf_%s", moves_packet[i]);
				st->nver = 0;
			}
}

/* A comparison of a packet pointer with the end of its data: which anchor,
 * how many bytes, and whether the comparison's truth proves them. */
static bool guard(BoundState *st, const AstNode *c, PktVal *v, bool *when)
{
	if (c->kind != AST_Compare || c->Compare.ops.n != 1)
		return false;
	const AstNode *l = c->Compare.left, *r = c->Compare.comparators.items[0];
	AstOp op = c->Compare.ops.items[0];
	if (!l->type || !r->type || !l->type->pkt || !r->type->pkt)
		return false;
	bool end_right = r->type->pkt == PKT_END;
	if (!end_right && l->type->pkt != PKT_END) {
		/* metadata: meta + n > data */
		PktVal d = value_of(st, r);
		end_right =
			l->type->pkt == PKT_META && d.known && d.anchor == ROOT_DATA && d.off == 0;
		if (!end_right)
			return false;
	}
	const AstNode *p = end_right ? l : r;
	if (!end_right) { /* end OP p: mirror it to p OP' end */
		static const AstOp mirror[][2] = {
			{OP_Lt, OP_Gt}, {OP_LtE, OP_GtE}, {OP_Gt, OP_Lt}, {OP_GtE, OP_LtE}};
		for (size_t i = 0; i < COUNT(mirror); i++)
			if (mirror[i][0] == op) {
				op = mirror[i][1];
				break;
			}
	}
	*v = value_of(st, p);
	if (!v->known)
		return false;
	/* p > end, p >= end: false proves p <= end; p <= end, p < end: true does */
	if (op == OP_Gt || op == OP_GtE)
		*when = false;
	else if (op == OP_Lt || op == OP_LtE)
		*when = true;
	else
		return false;
	return true;
}

/* Narrows st to the paths where cond has this truth value. */
static void refine(BoundState *st, const AstNode *cond, bool truth)
{
	if (cond->kind == AST_UnaryOp && cond->UnaryOp.op == OP_Not) {
		refine(st, cond->UnaryOp.operand, !truth);
		return;
	}
	if (cond->kind == AST_BoolOp) {
		/* `a and b` true: both; `a or b` false: neither */
		if ((cond->BoolOp.op == OP_And) == truth)
			for (int i = 0; i < cond->BoolOp.values.n; i++)
				refine(st, cond->BoolOp.values.items[i], truth);
		return;
	}
	PktVal v;
	bool when;
	if (guard(st, cond, &v, &when) && when == truth && v.off > verified(st, v.anchor))
		set_verified(st, v.anchor, v.off);
}

/* The meet of two paths: what both prove. */
static void meet(BoundState *a, const BoundState *b)
{
	if (b->dead)
		return;
	if (a->dead) {
		*a = *b;
		return;
	}
	for (int i = 0; i < a->nver; i++) {
		long o = verified(b, a->ver[i].anchor);
		if (o < a->ver[i].len)
			a->ver[i].len = o;
	}
	for (int i = 0; i < a->nbind; i++) {
		PktVal *o = binding((BoundState *)b, a->bind[i].sym);
		PktVal *x = &a->bind[i].v;
		const char *stale = x->stale ? x->stale : o ? o->stale : NULL;
		if (!o || o->anchor != x->anchor || o->off != x->off || o->known != x->known) {
			/* differs: the local is its own anchor, nothing verified */
			*x = (PktVal){a->bind[i].sym, 0, true, NULL};
			set_verified(a, a->bind[i].sym, 0);
		}
		x->stale = stale;
	}
}

/* The locals a loop body assigns lose what is known of them. */
static void forget_assigned(BoundState *st, const AstList *body);

static void forget_target(BoundState *st, const AstNode *t)
{
	if (t->kind == AST_Name && t->sema && ((Symbol *)t->sema)->kind == SYM_LOCAL) {
		Symbol *sym = t->sema;
		if (sym->type && sym->type->pkt)
			bind(st, sym, (PktVal){0});
	}
}

static void forget_assigned(BoundState *st, const AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		const AstNode *x = body->items[i];
		switch (x->kind) {
		case AST_Assign:
			for (int j = 0; j < x->Assign.targets.n; j++)
				forget_target(st, x->Assign.targets.items[j]);
			break;
		case AST_AugAssign:
			forget_target(st, x->AugAssign.target);
			break;
		case AST_AnnAssign:
			forget_target(st, x->AnnAssign.target);
			break;
		case AST_If:
			forget_assigned(st, &x->If.body);
			forget_assigned(st, &x->If.orelse);
			break;
		case AST_While:
			forget_assigned(st, &x->While.body);
			forget_assigned(st, &x->While.orelse);
			break;
		case AST_For:
			forget_target(st, x->For.target);
			forget_assigned(st, &x->For.body);
			forget_assigned(st, &x->For.orelse);
			break;
		default:
			break;
		}
	}
}

/* A write to the packet through target t: allowed by the program type, and
 * not to a bitfield. */
static void check_write(Bounds *B, const AstNode *t)
{
	while (t->kind == AST_Subscript || (t->kind == AST_Attribute && !sema_is_packet_place(t)))
		t = t->kind == AST_Subscript ? t->Subscript.value : t->Attribute.value;
	if (!sema_is_packet_place(t))
		return;
	const PacketField *pf = t->sema;
	if (pf->f.bit_size) {
		diag_error(B->s->d, ast_loc(t),
			   "'%s' is a bitfield: bitfields in packet memory are only read",
			   t->Attribute.attr);
		B->errors++;
		return;
	}
	if (B->pp && B->pp->access != PA_WRITE) {
		diag_error(B->s->d, ast_loc(t), "%s can read packet memory but not write it",
			   B->pp->what);
		B->errors++;
	}
}

static void assign_target(BoundState *st, AstNode *t, AstNode *value)
{
	if (t->kind != AST_Name || !t->sema || ((Symbol *)t->sema)->kind != SYM_LOCAL)
		return;
	Symbol *sym = t->sema;
	if (!sym->type || !sym->type->pkt)
		return;
	bind(st, sym, value ? value_of(st, value) : (PktVal){0});
}

static void walk_block(Bounds *B, BoundState *st, AstList *body);

static void walk_loop(Bounds *B, BoundState *st, AstNode *test, AstList *body, AstList *orelse)
{
	forget_assigned(st, body);
	BoundState in = *st;
	if (test) {
		check_expr(B, &in, test);
		refine(&in, test, true);
	}
	walk_block(B, &in, body);
	if (test)
		refine(st, test, false);
	walk_block(B, st, orelse);
}

static void walk_stmt(Bounds *B, BoundState *st, AstNode *x)
{
	switch (x->kind) {
	case AST_Assign:
		check_expr(B, st, x->Assign.value);
		for (int j = 0; j < x->Assign.targets.n; j++) {
			AstNode *t = x->Assign.targets.items[j];
			if (t->kind == AST_Name) {
				assign_target(st, t, x->Assign.value);
				continue;
			}
			check_expr(B, st, t);
			check_write(B, t);
		}
		return;
	case AST_AugAssign: {
		check_expr(B, st, x->AugAssign.value);
		check_expr(B, st, x->AugAssign.target);
		check_write(B, x->AugAssign.target);
		AstNode *t = x->AugAssign.target;
		if (t->kind == AST_Name && t->type && t->type->pkt) {
			PktVal v = value_of(st, t);
			AstNode *k = x->AugAssign.value;
			if (k->konst && (x->AugAssign.op == OP_Add || x->AugAssign.op == OP_Sub))
				v.off += x->AugAssign.op == OP_Sub ? -k->konst->v : k->konst->v;
			else
				v.known = false;
			bind(st, t->sema, v);
		}
		return;
	}
	case AST_AnnAssign:
		check_expr(B, st, x->AnnAssign.value);
		if (x->AnnAssign.value)
			assign_target(st, x->AnnAssign.target, x->AnnAssign.value);
		return;
	case AST_If: {
		check_expr(B, st, x->If.test);
		BoundState f = *st;
		refine(st, x->If.test, true);
		refine(&f, x->If.test, false);
		walk_block(B, st, &x->If.body);
		walk_block(B, &f, &x->If.orelse);
		meet(st, &f);
		return;
	}
	case AST_While:
		walk_loop(B, st, x->While.test, &x->While.body, &x->While.orelse);
		return;
	case AST_For:
		check_expr(B, st, x->For.iter);
		walk_loop(B, st, NULL, &x->For.body, &x->For.orelse);
		return;
	case AST_Return:
		check_expr(B, st, x->Return.value);
		st->dead = true;
		return;
	case AST_Break:
	case AST_Continue:
		st->dead = true;
		return;
	case AST_Expr:
		check_expr(B, st, x->Expr.value);
		return;
	default:
		return;
	}
}

static void walk_block(Bounds *B, BoundState *st, AstList *body)
{
	for (int i = 0; i < body->n && !st->dead; i++)
		walk_stmt(B, st, body->items[i]);
}

void sema_packet_check_bounds(Sema *s, FuncDef *fn)
{
	Bounds B = {s, packet_program(fn->section), 0};
	BoundState *st = arena_alloc(s->a, sizeof *st);
	memset(st, 0, sizeof *st);
	walk_block(&B, st, &fn->def->FunctionDef.body);
}
