/*
 * lower_stmt.c - functions and statements.
 *
 * A program is an external function in its ELF section. Its entry block holds
 * only the allocas (one per local, plus temporaries); the body starts by
 * zeroing every local and storing the parameters, so no path reads an
 * uninitialised stack slot (the verifier would reject it) and mem2reg turns
 * the scalar ones into registers. Control flow is lowered directly to basic
 * blocks; code after a return/break/continue goes to a fresh block that
 * nothing branches to, which LLVM deletes.
 */
#include "lower_internal.h"

#include <string.h>

static void lower_stmts(Lower *L, AstList *body);

static bool is_aggregate(const Type *t)
{
	return t->kind == TY_STRUCT || t->kind == TY_ARRAY;
}

static bool terminated(Lower *L)
{
	return LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(L->b)) != NULL;
}

/* ---- assignments ---- */

#define BPF_NOEXIST 1

static MapDef *map_of_item(const AstNode *e)
{
	return e->kind == AST_Subscript ? ((const IndexInfo *)e->sema)->map : NULL;
}

/* The type a value must have to be stored into target. */
static Type *store_type(const AstNode *target)
{
	MapDef *m = map_of_item(target);
	return m ? m->value : target->type;
}

/* target = v, where v already has store_type(target) (an aggregate's address
 * for structs and arrays). m[k] = v becomes bpf_map_update_elem(BPF_ANY). */
static void store_to(Lower *L, AstNode *target, LLVMValueRef v)
{
	MapDef *m = map_of_item(target);
	if (!m) {
		lower_lval_store(L, lower_lvalue(L, target), v);
		return;
	}
	Guard g;
	LLVMValueRef map = lower_map_begin(L, m, target->Subscript.value, &g);
	LLVMValueRef key = lower_spill(L, target->Subscript.slice, m->key);
	LLVMValueRef slot = lower_temp(L, m->value);
	if (is_aggregate(m->value))
		lower_memcpy(L, slot, v, m->value);
	else
		lower_store(L, v, slot, m->value);
	lower_map_update(L, map, m, key, slot, LLVMConstInt(L->t_i64, 0, 0));
	lower_guard_end(L, &g, NULL);
}

static void lower_assign(Lower *L, AstNode *st)
{
	AstNode *value = st->Assign.value;
	AstNode *t0 = st->Assign.targets.items[0];
	if (sema_is_unpacking(st)) {
		/* evaluate every value first, then store, as Python does */
		int n = value->Tuple.elts.n;
		LLVMValueRef *vals = arena_alloc(L->a, sizeof(LLVMValueRef) * (size_t)n);
		for (int i = 0; i < n; i++) {
			Type *tt = store_type(t0->Tuple.elts.items[i]);
			vals[i] = lower_value_as(L, value->Tuple.elts.items[i], tt);
			if (is_aggregate(tt)) {
				LLVMValueRef tmp = lower_alloca(L, tt, "tuple");
				lower_memcpy(L, tmp, vals[i], tt);
				vals[i] = tmp;
			}
		}
		for (int i = 0; i < n; i++)
			store_to(L, t0->Tuple.elts.items[i], vals[i]);
		return;
	}
	/* a = b = value: one evaluation, converted for each target from the
	 * value itself (n = m = 300 with n a c_uint8 leaves m 300) */
	Type *first = store_type(t0);
	Type *vt =
		value->type->kind == TY_PTR && value->type->base ? value->type->base : value->type;
	bool ints = first->kind == TY_INT && vt->kind == TY_INT && !value->konst;
	LLVMValueRef v = ints ? lower_rvalue(L, value) : lower_value_as(L, value, first);
	for (int i = 0; i < st->Assign.targets.n; i++) {
		AstNode *target = st->Assign.targets.items[i];
		Type *tt = store_type(target);
		LLVMValueRef vi = v;
		if (ints)
			vi = lower_convert(L, v, vt, tt);
		else if (i > 0 && (tt != first || is_aggregate(tt)) && tt->size != first->size)
			vi = lower_value_as(L, value, tt); /* constants, char buffers */
		store_to(L, target, vi);
	}
}

static void lower_annassign(Lower *L, AstNode *st)
{
	if (!st->AnnAssign.value)
		return;
	AstNode *target = st->AnnAssign.target;
	LLVMValueRef v = lower_value_as(L, st->AnnAssign.value, target->type);
	lower_lval_store(L, lower_lvalue(L, target), v);
}

/* The type an augmented assignment computes in (C: the common type). */
static Type *aug_type(Lower *L, AstOp op, Type *target, AstNode *value)
{
	Type *vt = value->type->kind == TY_PTR ? value->type->base : value->type;
	if (op == OP_LShift || op == OP_RShift)
		return type_promote(L->p, target);
	return type_common(L->p, target, vt);
}

/* *p = *p op n, atomically when BPF can (add and subtract on 32/64 bits). */
static void update_in_place(Lower *L, LLVMValueRef p, Type *vt, AstOp op, LLVMValueRef n, Type *ot)
{
	if ((op == OP_Add || op == OP_Sub) && vt->size >= 4) {
		LLVMValueRef d = lower_convert(L, n, ot, vt);
		if (op == OP_Sub)
			d = LLVMBuildNeg(L->b, d, "");
		LLVMBuildAtomicRMW(L->b, LLVMAtomicRMWBinOpAdd, p, d,
				   LLVMAtomicOrderingSequentiallyConsistent, 0);
		return;
	}
	LLVMValueRef old = lower_convert(L, lower_load(L, p, vt), vt, ot);
	lower_store(L, lower_convert(L, lower_binary(L, op, old, n, ot), ot, vt), p, vt);
}

/* m[k] op= n: when the key is there, update the value in place (an atomic
 * add for += and -=); otherwise insert `0 op n` with BPF_NOEXIST, and if
 * another CPU inserted the key meanwhile, update that value instead. */
static void augassign_map(Lower *L, AstNode *st, MapDef *m)
{
	AstNode *target = st->AugAssign.target;
	AstOp op = st->AugAssign.op;
	Type *vt = m->value, *ot = aug_type(L, op, vt, st->AugAssign.value);
	Guard g;
	LLVMValueRef map = lower_map_begin(L, m, target->Subscript.value, &g);
	LLVMValueRef key = lower_spill(L, target->Subscript.slice, m->key);
	LLVMValueRef n = lower_value_as(L, st->AugAssign.value, ot);
	LLVMValueRef la[2] = {map, key};
	LLVMValueRef p = lower_helper(L, HELPER_map_lookup_elem, L->t_ptr, la, 2);
	LLVMBasicBlockRef found = lower_block(L, "aug.found"),
			  missing = lower_block(L, "aug.missing");
	LLVMBasicBlockRef raced = lower_block(L, "aug.raced"), retry = lower_block(L, "aug.retry");
	LLVMBasicBlockRef done = lower_block(L, "aug.done");
	LLVMBuildCondBr(L->b, LLVMBuildIsNotNull(L->b, p, ""), found, missing);

	lower_position(L, found);
	update_in_place(L, p, vt, op, n, ot);
	LLVMBuildBr(L->b, done);

	lower_position(L, missing);
	LLVMValueRef init = lower_binary(L, op, LLVMConstNull(lower_type(L, ot)), n, ot);
	init = lower_convert(L, init, ot, vt);
	LLVMValueRef slot;
	if (LLVMIsAConstantInt(init)) { /* update only reads it */
		slot = lower_const_slot(L, vt, init);
	} else {
		slot = lower_temp(L, vt);
		lower_store(L, init, slot, vt);
	}
	LLVMValueRef r =
		lower_map_update(L, map, m, key, slot, LLVMConstInt(L->t_i64, BPF_NOEXIST, 0));
	LLVMBuildCondBr(L->b, LLVMBuildIsNull(L->b, r, ""), done, raced);

	lower_position(L, raced);
	LLVMValueRef p2 = lower_helper(L, HELPER_map_lookup_elem, L->t_ptr, la, 2);
	LLVMBuildCondBr(L->b, LLVMBuildIsNotNull(L->b, p2, ""), retry, done);

	lower_position(L, retry);
	update_in_place(L, p2, vt, op, n, ot);
	LLVMBuildBr(L->b, done);

	lower_position(L, done);
	lower_guard_end(L, &g, NULL);
}

static void lower_augassign(Lower *L, AstNode *st)
{
	AstNode *target = st->AugAssign.target, *value = st->AugAssign.value;
	AstOp op = st->AugAssign.op;
	MapDef *m = map_of_item(target);
	if (m) {
		augassign_map(L, st, m);
		return;
	}
	LVal lv = lower_lvalue(L, target);
	Type *tt = lv.type, *ot = aug_type(L, op, tt, value);
	LLVMValueRef old = lower_convert(L, lower_lval_load(L, lv), tt, ot);
	LLVMValueRef r = lower_value_as(L, value, ot);
	LLVMValueRef res = lower_binary(L, op, old, r, ot);
	lower_lval_store(L, lv, lower_convert(L, res, ot, tt));
}

/* del m[k], ...: bpf_map_delete_elem for each */
static void lower_delete(Lower *L, AstNode *st)
{
	for (int i = 0; i < st->Delete.targets.n; i++) {
		AstNode *t = st->Delete.targets.items[i];
		MapDef *m = map_of_item(t);
		Guard g;
		LLVMValueRef map = lower_map_begin(L, m, t->Subscript.value, &g);
		LLVMValueRef a[2] = {map, lower_spill(L, t->Subscript.slice, m->key)};
		lower_helper(L, HELPER_map_delete_elem, L->t_i64, a, 2);
		lower_guard_end(L, &g, NULL);
	}
}

/* ---- control flow ---- */

static void lower_if(Lower *L, AstNode *st)
{
	LLVMBasicBlockRef then = lower_block(L, "if.then");
	LLVMBasicBlockRef els = st->If.orelse.n ? lower_block(L, "if.else") : NULL;
	LLVMBasicBlockRef end = lower_block(L, "if.end");
	lower_branch(L, st->If.test, then, els ? els : end);
	lower_position(L, then);
	lower_stmts(L, &st->If.body);
	if (!terminated(L))
		LLVMBuildBr(L->b, end);
	if (els) {
		lower_position(L, els);
		lower_stmts(L, &st->If.orelse);
		if (!terminated(L))
			LLVMBuildBr(L->b, end);
	}
	lower_position(L, end);
}

/* Runs the loop body with break/continue targets set. */
static void loop_body(Lower *L, AstList *body, LLVMBasicBlockRef brk, LLVMBasicBlockRef cont)
{
	Loop loop = {L->loop, brk, cont};
	L->loop = &loop;
	lower_stmts(L, body);
	L->loop = loop.outer;
	if (!terminated(L))
		LLVMBuildBr(L->b, cont);
}

/* After the loop's condition fails: the else clause, then the exit. */
static void loop_else(Lower *L, AstList *orelse, LLVMBasicBlockRef els, LLVMBasicBlockRef end)
{
	lower_position(L, els);
	lower_stmts(L, orelse);
	if (!terminated(L))
		LLVMBuildBr(L->b, end);
	lower_position(L, end);
}

static void lower_while(Lower *L, AstNode *st)
{
	LLVMBasicBlockRef cond = lower_block(L, "while.cond"), body = lower_block(L, "while.body");
	LLVMBasicBlockRef els = lower_block(L, "while.else"), end = lower_block(L, "while.end");
	LLVMBuildBr(L->b, cond);
	lower_position(L, cond);
	lower_branch(L, st->While.test, body, els);
	lower_position(L, body);
	loop_body(L, &st->While.body, end, cond);
	loop_else(L, &st->While.orelse, els, end);
}

/* for i in range(start, stop, step): bounds evaluated once, step constant. */
static void lower_for(Lower *L, AstNode *st)
{
	AstNode *call = st->For.iter;
	Type *t = call->type;
	AstList *args = &call->Call.args;
	LLVMValueRef start =
		args->n >= 2 ? lower_value_as(L, args->items[0], t) : lower_const_int(L, t, 0);
	LLVMValueRef stop = lower_value_as(L, args->items[args->n >= 2 ? 1 : 0], t);
	int64_t step = args->n == 3 ? args->items[2]->konst->v : 1;

	LLVMValueRef cur = lower_alloca(L, t, "for.cur");
	LLVMValueRef lim = lower_alloca(L, t, "for.stop");
	lower_store(L, start, cur, t);
	lower_store(L, stop, lim, t);
	LVal var = lower_lvalue(L, st->For.target);

	LLVMBasicBlockRef cond = lower_block(L, "for.cond"), body = lower_block(L, "for.body");
	LLVMBasicBlockRef next = lower_block(L, "for.next"), els = lower_block(L, "for.else");
	LLVMBasicBlockRef end = lower_block(L, "for.end");
	LLVMBuildBr(L->b, cond);

	lower_position(L, cond);
	LLVMValueRef c = lower_load(L, cur, t), s = lower_load(L, lim, t);
	LLVMIntPredicate pred = step > 0 ? (t->is_signed ? LLVMIntSLT : LLVMIntULT)
					 : (t->is_signed ? LLVMIntSGT : LLVMIntUGT);
	LLVMBuildCondBr(L->b, LLVMBuildICmp(L->b, pred, c, s, ""), body, els);

	lower_position(L, body);
	lower_lval_store(L, var, lower_convert(L, lower_load(L, cur, t), t, var.type));
	loop_body(L, &st->For.body, end, next);

	lower_position(L, next);
	LLVMValueRef inc =
		LLVMBuildAdd(L->b, lower_load(L, cur, t), lower_const_int(L, t, step), "");
	lower_store(L, inc, cur, t);
	LLVMBuildBr(L->b, cond);

	loop_else(L, &st->For.orelse, els, end);
}

/* Every return stores its value and branches to the function's one return
 * block (as clang does), which is laid out last. */
static void return_value(Lower *L, LLVMValueRef v)
{
	if (L->ret_slot)
		lower_store(L, v, L->ret_slot, L->fn->ret);
	LLVMBuildBr(L->b, L->ret_bb);
}

/* `return` without a value: 0, or nothing in a function returning None. */
static void return_default(Lower *L)
{
	return_value(L, L->ret_slot ? lower_const_int(L, L->fn->ret, 0) : NULL);
}

static void lower_return(Lower *L, AstNode *st)
{
	AstNode *v = st->Return.value;
	L->last_return = st;
	if (v && L->ret_slot)
		return_value(L, lower_value_as(L, v, L->fn->ret));
	else
		return_default(L);
	lower_after_terminator(L);
}

static void lower_break(Lower *L, AstNode *st)
{
	LLVMBuildBr(L->b, L->loop->brk);
	lower_after_terminator(L);
}

static void lower_continue(Lower *L, AstNode *st)
{
	LLVMBuildBr(L->b, L->loop->cont);
	lower_after_terminator(L);
}

static void lower_expr_stmt(Lower *L, AstNode *st)
{
	AstNode *v = st->Expr.value;
	if (v->kind == AST_Constant)
		return; /* docstring */
	if (v->kind == AST_Call)
		lower_call(L, v);
	else
		lower_rvalue(L, v);
}

typedef void (*StmtLowering)(Lower *L, AstNode *st);

static const StmtLowering stmt_lowerings[AST__COUNT] = {
	[AST_Assign] = lower_assign,	   [AST_AnnAssign] = lower_annassign,
	[AST_AugAssign] = lower_augassign, [AST_If] = lower_if,
	[AST_While] = lower_while,	   [AST_For] = lower_for,
	[AST_Return] = lower_return,	   [AST_Break] = lower_break,
	[AST_Continue] = lower_continue,   [AST_Expr] = lower_expr_stmt,
	[AST_Delete] = lower_delete,
};

static void lower_stmts(Lower *L, AstList *body)
{
	for (int i = 0; i < body->n; i++) {
		AstNode *st = body->items[i];
		StmtLowering lower = stmt_lowerings[st->kind];
		if (!lower)
			continue; /* pass, global */
		dib_loc(L, st);
		lower_release_temps(L);
		lower(L, st);
	}
}

/* ---- functions ---- */

/* Creates the LLVM function (with its debug info) so calls can refer to it
 * before its body is lowered. Programs are external functions in their
 * section; subprograms are static, never inlined (the verifier checks them
 * once per call site), in .text. */
void lower_declare_function(Lower *L, FuncDef *fn)
{
	LLVMTypeRef params[5];
	for (int i = 0; i < fn->nparams; i++)
		params[i] = lower_type(L, fn->params[i]->type);
	/* a function returning None returns 0 in the IR: BPF has no void
	 * return, and the verifier rejects whatever r0 held if it was a stack
	 * pointer ("cannot return stack pointer to the caller") */
	LLVMTypeRef ret = fn->ret->kind == TY_VOID ? L->t_i64 : lower_type(L, fn->ret);
	LLVMTypeRef fty = LLVMFunctionType(ret, params, (unsigned)fn->nparams, 0);
	LLVMValueRef f = LLVMAddFunction(L->mod, fn->name, fty);
	LLVMSetSection(f, fn->section ? fn->section : ".text");
	lower_add_attribute(L, f, "nounwind");
	if (!fn->section) {
		LLVMSetLinkage(f, LLVMInternalLinkage);
		lower_add_attribute(L, f, "noinline");
	}
	for (int i = 0; i < fn->nparams; i++)
		LLVMSetValueName2(LLVMGetParam(f, (unsigned)i), fn->params[i]->name,
				  strlen(fn->params[i]->name));
	fn->ll = f;
	fn->di = dib_function(L, fn, f);
}

void lower_function(Lower *L, FuncDef *fn)
{
	LLVMValueRef f = fn->ll;
	L->fn = fn;
	L->llfn = f;
	L->loop = NULL;
	L->temps.n = 0;
	L->nopaque = 0;
	L->di_sp = fn->di;

	L->entry = lower_block(L, "entry");
	LLVMBasicBlockRef body = lower_block(L, "body");
	L->ret_bb = lower_block(L, "return");
	L->ret_slot = fn->ret->kind == TY_VOID ? NULL : lower_alloca(L, fn->ret, "retval");
	L->last_return = NULL;
	lower_position(L, body);
	dib_loc(L, fn->def);
	for (int i = 0; i < fn->locals.n; i++) {
		Symbol *l = fn->locals.items[i];
		if (!l->type)
			continue; /* declared but never bound: sema reported any use */
		l->ll = lower_alloca(L, l->type, l->name);
		lower_zero(L, l->ll, l->type);
	}
	for (int i = 0; i < fn->nparams; i++)
		lower_store(L, LLVMGetParam(f, (unsigned)i), fn->params[i]->ll,
			    fn->params[i]->type);
	lower_event_args(L, fn);
	lower_stmts(L, &fn->def->FunctionDef.body);
	L->fell_off = false;
	if (!terminated(L)) {
		/* falling off the end: reachable unless the last statement returned */
		L->fell_off = !(L->last_return && fn->def->FunctionDef.body.n &&
				fn->def->FunctionDef.body.items[fn->def->FunctionDef.body.n - 1] ==
					L->last_return);
		dib_loc(L, fn->def);
		return_default(L);
	}
	lower_position(L, L->ret_bb);
	/* the exit is the last return statement's line (the def line when the
	 * body just ends), as clang gives it the closing brace's */
	if (L->last_return && !L->fell_off)
		dib_loc(L, L->last_return);
	else
		dib_loc(L, fn->def);
	if (L->ret_slot)
		LLVMBuildRet(L->b, lower_load(L, L->ret_slot, fn->ret));
	else
		LLVMBuildRet(L->b, LLVMConstInt(L->t_i64, 0, 0));
	LLVMPositionBuilderAtEnd(L->b, L->entry);
	LLVMBuildBr(L->b, body);
	L->fn = NULL;
}
