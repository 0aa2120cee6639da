/*
 * sema_lazyctx.c - the kernel BTF read on demand for a program's context.
 *
 * A file that imports from vmlinux reads the kernel BTF at the import
 * (sema_kernel.c), and every unannotated context gets its section's type
 * (sema_section_context). A file without that import reads the BTF only
 * when a program needs it: its unannotated context has a field read
 * (`ctx.pid`, `ctx.data`, `ctx.args[1]`) or it takes event arguments
 * after the context. Then that program's context is typed from its section;
 * the other programs' contexts stay opaque (c_void_p), as they would be
 * alone, so a file that never needs the BTF compiles exactly as before and
 * never opens it. A context annotated `c_void_p` (pythonbpf's spelling) is
 * always opaque: the annotation asks for it.
 */
#include "kbtf.h"
#include "sema_internal.h"

#include <string.h>

/* The first `NAME.field` in the tree n (source order), or NULL. */
static AstNode *find_field_read(AstNode *n, const char *name)
{
	if (!n)
		return NULL;
	if (n->kind == AST_Attribute && n->Attribute.value->kind == AST_Name &&
	    strcmp(n->Attribute.value->Name.id, name) == 0)
		return n;
	int count;
	const AstField *fields = ast_kind_fields(n->kind, &count);
	for (int i = 0; i < count; i++) {
		const char *at = (const char *)n + fields[i].offset;
		AstNode *found = NULL;
		if (fields[i].type == AFT_NODE || fields[i].type == AFT_OPT) {
			found = find_field_read(*(AstNode *const *)at, name);
		} else if (fields[i].type == AFT_LIST) {
			const AstList *l = (const AstList *)at;
			for (int k = 0; k < l->n && !found; k++)
				found = find_field_read(l->items[k], name);
		}
		if (found)
			return found;
	}
	return NULL;
}

bool sema_context_wants_btf(Sema *s, AstNode *def, AstNode *ctx)
{
	if (s->kbtf_imported)
		return s->p->kbtf != NULL;
	const AstList *params = &def->FunctionDef.args->arguments.args;
	if (params->n > 1)
		return sema_need_kbtf(s, params->items[1],
				      "an event argument is typed from the kernel's BTF");
	AstNode *use = NULL;
	const AstList *body = &def->FunctionDef.body;
	for (int i = 0; i < body->n && !use; i++)
		use = find_field_read(body->items[i], ctx->arg.arg);
	return use && sema_need_kbtf(s, use, "the context is typed from the kernel's BTF");
}
