/*
 * ast.h - AST nodes shaped like CPython 3.11's (see ast.def).
 *
 * Every node is an AstNode: a kind, CPython's four positions, a slot for the
 * semantic pass, and an anonymous union with one struct per kind, so a field
 * is read as n->FunctionDef.name. Nodes live in the compilation arena.
 * The table ast_fields[] describes every field (name, type, offset) in ASDL
 * order; the dumper walks it, so it never needs a switch over kinds.
 */
#ifndef PYBPF_AST_H
#define PYBPF_AST_H

#include "arena.h"
#include "diag.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum AstKind {
#define AST_NODE(K, C, P) AST_##K,
#define AST_LEAF(K, C, P) AST_##K,
#define AST_FIELD(K, T, N)
#define AST_END(K)
#include "ast.def"
#undef AST_NODE
#undef AST_LEAF
#undef AST_FIELD
#undef AST_END
	AST__COUNT
} AstKind;

typedef enum AstOp {
	OP_NONE_ = 0,
#define OP(name, sum, text) OP_##name,
#include "ops.def"
#undef OP
	OP__COUNT
} AstOp;

typedef enum AstCtx { CTX_Load, CTX_Store, CTX_Del } AstCtx;

typedef struct AstNode AstNode;

typedef struct AstList {
	int n;
	AstNode **items; /* some lists allow NULL items (Dict.keys, kw_defaults) */
} AstList;

typedef struct AstIdList {
	int n;
	const char **items;
} AstIdList;

typedef struct AstOpList {
	int n;
	AstOp *items;
} AstOpList;

typedef enum ConstKind {
	CONST_NONE,
	CONST_TRUE,
	CONST_FALSE,
	CONST_ELLIPSIS,
	CONST_INT,
	CONST_FLOAT,
	CONST_COMPLEX, /* imaginary literal: fval is the imaginary part */
	CONST_STR,     /* UTF-8 bytes in str/len (may contain NUL; surrogates escaped) */
	CONST_BYTES,   /* raw bytes in str/len */
} ConstKind;

typedef struct AstConst {
	ConstKind kind;
	/* CONST_INT: the value when it fits in 64 bits unsigned (big == false);
	 * digits always holds the literal without '_' and with its prefix
	 * (e.g. "0x1F", "123", "0o17"), so arbitrarily large ints survive. */
	uint64_t ival;
	bool big;
	const char *digits;
	double fval; /* CONST_FLOAT, CONST_COMPLEX */
	const char *str;
	size_t len;
} AstConst;

#define AST_FT_NODE	AstNode *
#define AST_FT_OPT	AstNode *
#define AST_FT_LIST	AstList
#define AST_FT_IDENT	const char *
#define AST_FT_OPTIDENT const char *
#define AST_FT_IDLIST	AstIdList
#define AST_FT_INT	int
#define AST_FT_CONST	AstConst
#define AST_FT_OPTSTR	const char *
#define AST_FT_OP	AstOp
#define AST_FT_OPLIST	AstOpList
#define AST_FT_CTX	AstCtx

struct Type;	 /* sema */
struct ConstVal; /* sema */

struct AstNode {
	AstKind kind;
	int lineno, col_offset, end_lineno, end_col_offset;
	int file;		/* the source file (SrcLoc.file): 0, or an imported module */
	struct Type *type;	/* sema: the type of an expression */
	struct ConstVal *konst; /* sema: the value of a constant expression */
	void *sema;		/* sema: what a name, call or attribute means */
	union {
#define AST_NODE(K, C, P) struct {
#define AST_LEAF(K, C, P)
#define AST_FIELD(K, T, N) AST_FT_##T N;
#define AST_END(K) \
	}          \
	K;
#include "ast.def"
#undef AST_NODE
#undef AST_LEAF
#undef AST_FIELD
#undef AST_END
	};
};

typedef enum AstFieldType {
	AFT_NODE,
	AFT_OPT,
	AFT_LIST,
	AFT_IDENT,
	AFT_OPTIDENT,
	AFT_IDLIST,
	AFT_INT,
	AFT_CONST,
	AFT_OPTSTR,
	AFT_OP,
	AFT_OPLIST,
	AFT_CTX,
} AstFieldType;

typedef struct AstField {
	AstKind kind;
	const char *name;
	AstFieldType type;
	size_t offset; /* within AstNode */
} AstField;

typedef struct AstKindInfo {
	const char *name;     /* "FunctionDef" */
	const char *category; /* "stmt" */
	bool has_pos;
} AstKindInfo;

extern const AstKindInfo ast_kinds[AST__COUNT];
extern const AstField ast_fields[];

/* The fields of one kind, in ASDL order (a slice of ast_fields[]). */
const AstField *ast_kind_fields(AstKind kind, int *count);

const char *ast_op_name(AstOp op);  /* "Add" */
const char *ast_op_text(AstOp op);  /* "+" */
const char *ast_ctx_name(AstCtx c); /* "Load" */

/* Allocates a zeroed node of `kind` with the given position. */
AstNode *ast_new(Arena *a, AstKind kind, int lineno, int col, int end_lineno, int end_col);

static inline SrcLoc ast_loc(const AstNode *n)
{
	SrcLoc l = {n->lineno, n->col_offset, n->end_lineno, n->end_col_offset, n->file};
	return l;
}

/* Sets the file of every node of a tree (an imported module's AST). */
void ast_set_file(AstNode *n, int file);

/* Builds an AstList from a PtrVec (copies the pointers into the arena). */
AstList ast_list(Arena *a, const PtrVec *v);

/* Writes the stable dump format (see ast.c) of `n` to `out`. */
void ast_dump(FILE *out, const AstNode *n);

#endif
