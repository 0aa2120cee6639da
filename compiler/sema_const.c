/*
 * sema_const.c - folding integer constant expressions.
 *
 * Two rules (grammar/dialect.md, "Constants"):
 *  - literals and module-level constants are *untyped*: between themselves
 *    they fold exactly, like Python ints, and the result must fit in 64 bits
 *    (N = 1 << 40 means 2**40);
 *  - as soon as a typed value takes part (a cast such as c_uint32(0)), the
 *    operation follows C: the untyped operand takes its literal type (int,
 *    long long or unsigned long long by magnitude), the usual arithmetic
 *    conversions apply and the result wraps to its type's width.
 * Division truncates toward zero and % takes the dividend's sign, in both.
 */
#include "sema_internal.h"

#include <stdint.h>
#include <string.h>

typedef __int128 i128;
typedef unsigned __int128 u128;

/* Reports why folding failed, or (quietly) remembers it for a later note. */
/* fold_why when the fold failed on a name whose error is reported already
 * (an import that failed): no second error for it */
static const char fold_reported[] = "(reported)";

static bool report_at(Sema *s, bool report, AstNode *e, const char *msg)
{
	if (report) {
		diag_error(s->d, ast_loc(e), "%s", msg);
	} else if (!s->fold_why) {
		s->fold_why = msg;
		s->fold_where = ast_loc(e);
	}
	return false;
}

/* Wraps v to the width and signedness of integer type t. */
static int64_t wrap(const Type *t, i128 v)
{
	uint64_t u = (uint64_t)v;
	if (t->is_bool)
		return v != 0;
	if (t->size < 8) {
		int bits = t->size * 8;
		u &= (1ull << bits) - 1;
		if (t->is_signed && (u >> (bits - 1)))
			u |= ~0ull << bits;
	}
	return (int64_t)u;
}

static i128 as_wide(const ConstVal *c)
{
	if (!c->type->is_signed && c->type->size == 8)
		return (i128)(uint64_t)c->v;
	return (i128)c->v;
}

/* The value v has after conversion to integer type t. */
static i128 to_type(const Type *t, i128 v)
{
	int64_t w = wrap(t, v);
	if (!t->is_signed && t->size == 8)
		return (i128)(uint64_t)w;
	return (i128)w;
}

static bool fits64(i128 v)
{
	return v >= (i128)INT64_MIN && v <= (i128)UINT64_MAX;
}

/* a ** b for b >= 0: exactly (failing past 64 bits), or modulo 2**64. */
static bool ipow(i128 a, i128 b, bool exact, i128 *out)
{
	if (a == 0 || a == 1 || b == 0) {
		*out = b == 0 ? 1 : a;
		return true;
	}
	if (a == -1) {
		*out = (b & 1) ? -1 : 1;
		return true;
	}
	if (exact) {
		i128 v = 1;
		for (i128 i = 0; i < b; i++) {
			/* |v| and |a| may both be near 2**64: the product can overflow i128 */
			if (__builtin_mul_overflow(v, a, &v) || !fits64(v))
				return false;
		}
		*out = v;
		return true;
	}
	uint64_t base = (uint64_t)a, r = 1;
	for (uint64_t n = (uint64_t)b; n; n >>= 1) {
		if (n & 1)
			r *= base;
		base *= base;
	}
	*out = (i128)r;
	return true;
}

static ConstVal make_untyped(Sema *s, i128 v)
{
	ConstVal c;
	c.v = (int64_t)(uint64_t)v;
	c.type = type_of_constant(s->p, c.v, v > (i128)INT64_MAX);
	c.untyped = true;
	return c;
}

static bool fold_binop(Sema *s, AstNode *e, AstOp op, ConstVal l, ConstVal r, ConstVal *out,
		       bool report)
{
	bool exact = l.untyped && r.untyped;
	Type *t = NULL;
	if (!exact) {
		if (op == OP_LShift || op == OP_RShift)
			t = type_promote(s->p, l.type);
		else
			t = type_common(s->p, l.type, r.type);
	}
	i128 a = as_wide(&l), b = as_wide(&r), v = 0;
	if (!exact) {
		/* C: both operands converted to t (shift counts keep their value) */
		a = to_type(t, a);
		if (op != OP_LShift && op != OP_RShift)
			b = to_type(t, b);
	}
	switch (op) {
	case OP_Add:
		v = a + b;
		break;
	case OP_Sub:
		v = a - b;
		break;
	case OP_Mult:
		/* Operands up to 2**64 - 1 can overflow i128 (UB): exactly, that
		 * overflows 64 bits anyway; in C only the low 64 bits matter, so
		 * multiply unsigned (defined wrap-around). */
		if (exact) {
			if (__builtin_mul_overflow(a, b, &v))
				return report_at(s, report, e,
						 "constant expression overflows 64 bits");
		} else {
			v = (i128)((u128)a * (u128)b);
		}
		break;
	case OP_Div:
	case OP_FloorDiv:
	case OP_Mod:
		if (b == 0)
			return report_at(s, report, e, "division by zero in a constant expression");
		v = op == OP_Mod ? a % b : a / b;
		break;
	case OP_LShift:
	case OP_RShift: {
		int width = exact ? 64 : t->size * 8;
		if (b < 0)
			return report_at(s, report, e, "negative shift count");
		if (b >= width)
			return report_at(s, report, e,
					 "shift count is not smaller than the width of the type");
		/* a << b is UB for a negative a: shift the bits unsigned (with
		 * |a| <= 2**64 and b < 64 the result fits in i128, so it is exact) */
		v = op == OP_LShift ? (i128)((u128)a << (int)b) : a >> (int)b;
		break;
	}
	case OP_BitAnd:
		v = a & b;
		break;
	case OP_BitOr:
		v = a | b;
		break;
	case OP_BitXor:
		v = a ^ b;
		break;
	case OP_Pow:
		if (b < 0)
			return report_at(s, report, e, "negative exponent in an integer constant");
		if (!ipow(a, b, exact, &v))
			return report_at(s, report, e, "constant expression overflows 64 bits");
		break;
	default:
		return report_at(s, report, e, "operator not allowed in a constant expression");
	}
	if (exact) {
		if (!fits64(v))
			return report_at(s, report, e, "constant expression overflows 64 bits");
		*out = make_untyped(s, v);
	} else {
		out->v = wrap(t, v);
		out->type = t;
		out->untyped = false;
	}
	return true;
}

static bool fold_unary(Sema *s, AstNode *e, ConstVal c, ConstVal *out, bool report)
{
	AstOp op = e->UnaryOp.op;
	i128 a = as_wide(&c);
	if (op == OP_Not) {
		out->v = a == 0;
		out->type = type_int(s->p, CT_INT32);
		out->untyped = c.untyped;
		return true;
	}
	i128 v = op == OP_USub ? -a : op == OP_Invert ? ~a : a;
	if (c.untyped) {
		if (!fits64(v))
			return report_at(s, report, e, "constant expression overflows 64 bits");
		*out = make_untyped(s, v);
		return true;
	}
	Type *t = type_promote(s->p, c.type);
	a = to_type(t, a);
	out->v = wrap(t, op == OP_USub ? -a : op == OP_Invert ? ~a : a);
	out->type = t;
	out->untyped = false;
	return true;
}

bool sema_const_symbol(Sema *s, Symbol *sym, ConstVal *out, SrcLoc use)
{
	(void)use;
	if (sym->cstate == 2) {
		*out = sym->cval;
		return true;
	}
	if (sym->cstate == 1) {
		if (!s->fold_why) {
			s->fold_why = "the constant is defined in terms of itself";
			s->fold_where = sym->loc;
		}
		return false;
	}
	if (sym->cstate == 3 || !sym->cexpr)
		return false;
	sym->cstate = 1;
	ConstVal v;
	/* a constant of an imported module folds in its own module */
	int outer = sema_enter_module(s, sym->cexpr->file);
	FuncDef *fn = s->fn;
	if (outer != s->cur_mod)
		s->fn = NULL; /* (the function's locals do not shadow its names) */
	int quiet = s->quiet_imports;
	if (!quiet)
		s->quiet_imports = 1; /* N = os.cpu_count(): not a constant, no error */
	bool ok = sema_const_eval(s, sym->cexpr, &v, false);
	s->quiet_imports = quiet;
	s->fn = fn;
	sema_enter_module(s, outer);
	sym->cstate = ok ? 2 : 0; /* a failure is reported (with its reason) per use */
	if (ok) {
		/* a module constant stays untyped unless it was written as a cast */
		sym->cval = v;
		*out = v;
	}
	return ok;
}

/* The error for a module-level name that does not fold, with the reason. */
void sema_not_constant(Sema *s, Symbol *sym, SrcLoc use)
{
	if (s->fold_why == fold_reported) {
		s->fold_why = NULL;
		return;
	}
	Diag *g = diag_error(s->d, use, "'%s' is not a compile-time integer constant", sym->name);
	if (s->fold_why)
		diag_note(s->d, g, s->fold_where, "%s", s->fold_why);
	else if (sym->loc.line)
		diag_note(s->d, g, sym->loc, "'%s' is assigned here", sym->name);
	s->fold_why = NULL;
}

static bool fold_cast(Sema *s, AstNode *e, Symbol *callee, ConstVal *out, bool report)
{
	Type *t = callee->type;
	if (!t || t->kind != TY_INT || e->Call.keywords.n || e->Call.args.n > 1)
		return report_at(s, report, e, "not an integer constant expression");
	ConstVal v = {0, t, false};
	if (e->Call.args.n == 1 && !sema_const_eval(s, e->Call.args.items[0], &v, report))
		return false;
	out->v = wrap(t, as_wide(&v));
	out->type = t;
	out->untyped = false;
	return true;
}

bool sema_const_eval(Sema *s, AstNode *e, ConstVal *out, bool report)
{
	switch (e->kind) {
	case AST_Constant: {
		const AstConst *c = &e->Constant.value;
		if (c->kind == CONST_TRUE || c->kind == CONST_FALSE) {
			out->v = c->kind == CONST_TRUE;
			out->type = type_int(s->p, CT_BOOL);
			out->untyped = false;
			return true;
		}
		if (c->kind != CONST_INT)
			return report_at(s, report, e, "not an integer constant");
		if (c->big)
			return report_at(s, report, e, "integer constant does not fit in 64 bits");
		*out = make_untyped(s, (i128)c->ival);
		return true;
	}
	case AST_Name:
	case AST_Attribute: {
		Symbol *sym = NULL;
		if (e->kind == AST_Name && s->fn)
			sym = scope_get(&s->locals, e->Name.id);
		if (!sym)
			sym = sema_resolve_static(s, e);
		if (sym && sym->kind == SYM_OTHER && sym->detail == -1) {
			if (!report && !s->fold_why)
				s->fold_why = fold_reported;
			return false;
		}
		if (!sym || sym->kind != SYM_CONST)
			return report_at(s, report, e, "not an integer constant expression");
		s->fold_why = NULL;
		if (sema_const_symbol(s, sym, out, ast_loc(e)))
			return true;
		if (report)
			sema_not_constant(s, sym, ast_loc(e));
		return false;
	}
	case AST_UnaryOp: {
		ConstVal c;
		if (!sema_const_eval(s, e->UnaryOp.operand, &c, report))
			return false;
		return fold_unary(s, e, c, out, report);
	}
	case AST_BinOp: {
		ConstVal l, r;
		if (!sema_const_eval(s, e->BinOp.left, &l, report) ||
		    !sema_const_eval(s, e->BinOp.right, &r, report))
			return false;
		return fold_binop(s, e, e->BinOp.op, l, r, out, report);
	}
	case AST_Call: {
		Symbol *callee = sema_resolve_static(s, e->Call.func);
		if (callee && callee->kind == SYM_TYPE)
			return fold_cast(s, e, callee, out, report);
		return report_at(s, report, e, "not an integer constant expression");
	}
	default:
		return report_at(s, report, e, "not an integer constant expression");
	}
}

/* VALUE of -D NAME=VALUE: a Python integer literal with an optional sign
 * ([+-]? (decimal | 0x.. | 0o.. | 0b..), underscores between digits) that
 * fits in 64 bits (signed or unsigned). */
static bool parse_define_value(const char *v, i128 *out)
{
	bool neg = *v == '-';
	if (*v == '-' || *v == '+')
		v++;
	int base = 10;
	if (v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
		base = 16;
	else if (v[0] == '0' && (v[1] == 'o' || v[1] == 'O'))
		base = 8;
	else if (v[0] == '0' && (v[1] == 'b' || v[1] == 'B'))
		base = 2;
	if (base != 10)
		v += 2;
	u128 r = 0;
	int digits = 0;
	for (; *v; v++) {
		if (*v == '_' && digits && v[1] && v[1] != '_')
			continue;
		int dv = *v >= '0' && *v <= '9'	  ? *v - '0'
			 : *v >= 'a' && *v <= 'f' ? *v - 'a' + 10
			 : *v >= 'A' && *v <= 'F' ? *v - 'A' + 10
						  : 99;
		if (dv >= base)
			return false;
		r = r * (u128)base + (u128)dv;
		if (r > (u128)UINT64_MAX + 1)
			return false;
		digits++;
	}
	if (!digits || (neg && r > (u128)INT64_MAX + 1) || (!neg && r > (u128)UINT64_MAX))
		return false;
	*out = neg ? -(i128)r : (i128)r;
	return true;
}

/* Applies -D NAME=VALUE: VALUE replaces the value of module-level constant
 * NAME (`NAME = expr` or `NAME: Final = expr`, bound once) of the main
 * source; -D MOD.NAME=VALUE that of local module MOD (sema_import.c). The
 * errors have no location: they are about the command line. */
void sema_apply_defines(Sema *s)
{
	SrcLoc none = srcloc(0, 0, 0, 0);
	for (size_t i = 0; i < s->opts->define_cnt; i++) {
		const char *def = s->opts->defines[i];
		const char *eq = def ? strchr(def, '=') : NULL;
		if (!eq || eq == def) {
			diag_error(s->d, none, "-D '%s': expected NAME=VALUE", def ? def : "");
			continue;
		}
		const char *name = arena_strndup(s->a, def, (size_t)(eq - def));
		i128 v;
		if (!parse_define_value(eq + 1, &v)) {
			diag_error(s->d, none, "-D %s: '%s' is not a 64-bit integer", def, eq + 1);
			continue;
		}
		bool reported = false;
		Symbol *sym = strchr(name, '.') ? sema_define_symbol(s, def, name, &reported)
						: scope_get(&s->module, name);
		if (!sym) {
			if (!reported)
				diag_error(s->d, none, "-D %s: no module-level constant '%s'", def,
					   name);
			continue;
		}
		const char *from = sema_import_source(s, sym);
		if (from) {
			diag_error(s->d, none,
				   "-D %s: '%s' is imported from module '%s'; set it in the "
				   "module that defines it (-D MODULE.NAME=VALUE)",
				   def, name, from);
			continue;
		}
		if (sym->kind != SYM_CONST) {
			diag_error(s->d, none,
				   "-D %s: '%s' is not a module-level constant (NAME = value, "
				   "bound once)",
				   def, name);
			continue;
		}
		sym->cval = make_untyped(s, v);
		sym->cstate = 2;
	}
}
