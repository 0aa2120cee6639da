/*
 * ast.c - AST tables, constructors and the stable dump format.
 *
 * The dump is our own format (not ast.dump's text, which changes between
 * CPython versions) and tests/parse/astdump.py prints the same format from
 * CPython's ast module. One node per line, two spaces of indent per level:
 *
 *   Kind@line:col-end_line:end_col     (positions only for nodes that have them)
 *     field: value
 *
 * A node-valued field prints `field: Kind@pos` and its own fields below it;
 * a list prints `field: [` ... `]` (or `field: []`), one item per line; a
 * missing optional value prints None. Strings print in double quotes with
 * printable ASCII kept and every other byte of their UTF-8 form as \xNN
 * ('"' and '\' escaped); identifiers the same. Constants print their type
 * then their value: `int 123` (decimal, any size), `float 0x3ff0000000000000`
 * (the IEEE-754 bits), `complex 0x...` (bits of the imaginary part),
 * `str "..."`, `bytes "..."`, `None`, `True`, `False`, `Ellipsis`.
 */
#include "ast.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

const AstKindInfo ast_kinds[AST__COUNT] = {
#define AST_NODE(K, C, P) [AST_##K] = {#K, #C, P},
#define AST_LEAF(K, C, P) [AST_##K] = {#K, #C, P},
#define AST_FIELD(K, T, N)
#define AST_END(K)
#include "ast.def"
#undef AST_NODE
#undef AST_LEAF
#undef AST_FIELD
#undef AST_END
};

const AstField ast_fields[] = {
#define AST_NODE(K, C, P)
#define AST_LEAF(K, C, P)
#define AST_FIELD(K, T, N) {AST_##K, #N, AFT_##T, offsetof(AstNode, K.N)},
#define AST_END(K)
#include "ast.def"
#undef AST_NODE
#undef AST_LEAF
#undef AST_FIELD
#undef AST_END
	{AST__COUNT, NULL, AFT_INT, 0},
};

static const char *const op_names[OP__COUNT] = {
	[OP_NONE_] = "?",
#define OP(name, sum, text) [OP_##name] = #name,
#include "ops.def"
#undef OP
};

static const char *const op_texts[OP__COUNT] = {
	[OP_NONE_] = "?",
#define OP(name, sum, text) [OP_##name] = text,
#include "ops.def"
#undef OP
};

const char *ast_op_name(AstOp op)
{
	return op > OP_NONE_ && op < OP__COUNT ? op_names[op] : "?";
}

const char *ast_op_text(AstOp op)
{
	return op > OP_NONE_ && op < OP__COUNT ? op_texts[op] : "?";
}

const char *ast_ctx_name(AstCtx c)
{
	static const char *const names[] = {"Load", "Store", "Del"};
	return names[c];
}

/* Where each kind's fields start in ast_fields[], and how many it has. */
static int field_first[AST__COUNT], field_count[AST__COUNT];
static pthread_once_t fields_once = PTHREAD_ONCE_INIT;

static void init_field_index(void)
{
	for (int k = 0; k < AST__COUNT; k++)
		field_first[k] = -1;
	for (int i = 0; ast_fields[i].name; i++) {
		AstKind k = ast_fields[i].kind;
		if (field_first[k] < 0)
			field_first[k] = i;
		field_count[k]++;
	}
}

const AstField *ast_kind_fields(AstKind kind, int *count)
{
	pthread_once(&fields_once, init_field_index);
	*count = field_count[kind];
	return field_first[kind] >= 0 ? &ast_fields[field_first[kind]] : ast_fields;
}

AstNode *ast_new(Arena *a, AstKind kind, int lineno, int col, int end_lineno, int end_col)
{
	AstNode *n = arena_alloc(a, sizeof *n);
	n->kind = kind;
	n->lineno = lineno;
	n->col_offset = col;
	n->end_lineno = end_lineno;
	n->end_col_offset = end_col;
	return n;
}

AstList ast_list(Arena *a, const PtrVec *v)
{
	AstList l = {0, NULL};
	if (v->n) {
		l.items = arena_alloc(a, sizeof(AstNode *) * (size_t)v->n);
		memcpy(l.items, v->items, sizeof(AstNode *) * (size_t)v->n);
		l.n = v->n;
	}
	return l;
}

/* ---- dump ---- */

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

static void dump_bytes(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
}

static void dump_str(FILE *out, const char *s)
{
	if (!s)
		fputs("None", out);
	else
		dump_bytes(out, s, strlen(s));
}

/* Decimal text of an integer literal of any size ("0x1F" -> "31"). */
static void dump_int_digits(FILE *out, const char *lit)
{
	int base = 10;
	const char *p = lit;
	if (p[0] == '0' && p[1]) {
		char b = (char)tolower((unsigned char)p[1]);
		base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
		if (base != 10)
			p += 2;
	}
	/* little-endian limbs of 10^9 */
	uint32_t limbs[512];
	int nl = 1;
	limbs[0] = 0;
	for (; *p; p++) {
		int d = isdigit((unsigned char)*p) ? *p - '0'
						   : tolower((unsigned char)*p) - 'a' + 10;
		if (d < 0 || d >= base)
			continue; /* '_' and the like */
		uint64_t carry = (uint64_t)d;
		for (int i = 0; i < nl; i++) {
			uint64_t v = (uint64_t)limbs[i] * (uint64_t)base + carry;
			limbs[i] = (uint32_t)(v % 1000000000u);
			carry = v / 1000000000u;
		}
		if (carry && nl < 512)
			limbs[nl++] = (uint32_t)carry;
	}
	fprintf(out, "%u", limbs[nl - 1]);
	for (int i = nl - 2; i >= 0; i--)
		fprintf(out, "%09u", limbs[i]);
}

static void dump_double(FILE *out, double d)
{
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	fprintf(out, "0x%016llx", (unsigned long long)bits);
}

static void dump_const(FILE *out, const AstConst *c)
{
	switch (c->kind) {
	case CONST_NONE:
		fputs("None", out);
		break;
	case CONST_TRUE:
		fputs("True", out);
		break;
	case CONST_FALSE:
		fputs("False", out);
		break;
	case CONST_ELLIPSIS:
		fputs("Ellipsis", out);
		break;
	case CONST_INT:
		fputs("int ", out);
		if (c->digits)
			dump_int_digits(out, c->digits);
		else
			fprintf(out, "%llu", (unsigned long long)c->ival);
		break;
	case CONST_FLOAT:
		fputs("float ", out);
		dump_double(out, c->fval);
		break;
	case CONST_COMPLEX:
		fputs("complex ", out);
		dump_double(out, c->fval);
		break;
	case CONST_STR:
		fputs("str ", out);
		dump_bytes(out, c->str, c->len);
		break;
	case CONST_BYTES:
		fputs("bytes ", out);
		dump_bytes(out, c->str, c->len);
		break;
	}
}

static void dump_node(FILE *out, const AstNode *n, int depth);

static void dump_head(FILE *out, const AstNode *n)
{
	const AstKindInfo *ki = &ast_kinds[n->kind];
	fputs(ki->name, out);
	if (ki->has_pos)
		fprintf(out, "@%d:%d-%d:%d", n->lineno, n->col_offset, n->end_lineno,
			n->end_col_offset);
	fputc('\n', out);
}

static void dump_field(FILE *out, const AstNode *n, const AstField *f, int depth)
{
	const char *p = (const char *)n + f->offset;
	indent(out, depth);
	fprintf(out, "%s: ", f->name);
	switch (f->type) {
	case AFT_NODE:
	case AFT_OPT: {
		const AstNode *c = *(AstNode *const *)p;
		if (!c) {
			fputs("None\n", out);
			return;
		}
		dump_node(out, c, depth + 1);
		return;
	}
	case AFT_LIST: {
		const AstList *l = (const AstList *)p;
		if (!l->n) {
			fputs("[]\n", out);
			return;
		}
		fputs("[\n", out);
		for (int i = 0; i < l->n; i++) {
			indent(out, depth + 1);
			if (l->items[i])
				dump_node(out, l->items[i], depth + 2);
			else
				fputs("None\n", out);
		}
		indent(out, depth);
		fputs("]\n", out);
		return;
	}
	case AFT_IDENT:
	case AFT_OPTIDENT:
	case AFT_OPTSTR:
		dump_str(out, *(const char *const *)p);
		break;
	case AFT_IDLIST: {
		const AstIdList *l = (const AstIdList *)p;
		fputc('[', out);
		for (int i = 0; i < l->n; i++) {
			if (i)
				fputs(", ", out);
			dump_str(out, l->items[i]);
		}
		fputc(']', out);
		break;
	}
	case AFT_INT:
		fprintf(out, "%d", *(const int *)p);
		break;
	case AFT_CONST:
		dump_const(out, (const AstConst *)p);
		break;
	case AFT_OP:
		fputs(ast_op_name(*(const AstOp *)p), out);
		break;
	case AFT_OPLIST: {
		const AstOpList *l = (const AstOpList *)p;
		fputc('[', out);
		for (int i = 0; i < l->n; i++)
			fprintf(out, "%s%s", i ? ", " : "", ast_op_name(l->items[i]));
		fputc(']', out);
		break;
	}
	case AFT_CTX:
		fputs(ast_ctx_name(*(const AstCtx *)p), out);
		break;
	}
	fputc('\n', out);
}

/* Prints the node's head (the caller has written the indent) and its fields. */
static void dump_node(FILE *out, const AstNode *n, int depth)
{
	dump_head(out, n);
	int count;
	const AstField *fields = ast_kind_fields(n->kind, &count);
	for (int i = 0; i < count; i++)
		dump_field(out, n, &fields[i], depth);
}

void ast_dump(FILE *out, const AstNode *n)
{
	dump_node(out, n, 1);
}

void ast_set_file(AstNode *n, int file)
{
	if (!n || n->file == file)
		return;
	n->file = file;
	int count;
	const AstField *fields = ast_kind_fields(n->kind, &count);
	for (int i = 0; i < count; i++) {
		const char *at = (const char *)n + fields[i].offset;
		if (fields[i].type == AFT_NODE || fields[i].type == AFT_OPT) {
			ast_set_file(*(AstNode *const *)at, file);
		} else if (fields[i].type == AFT_LIST) {
			const AstList *l = (const AstList *)at;
			for (int k = 0; k < l->n; k++)
				ast_set_file(l->items[k], file);
		}
	}
}
