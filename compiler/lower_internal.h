/*
 * lower_internal.h - state shared by the lower_*.c and dib.c files.
 */
#ifndef PYBPF_LOWER_INTERNAL_H
#define PYBPF_LOWER_INTERNAL_H

#include "lower.h"

#include <llvm-c/DebugInfo.h>

/* kernel helper ids (enum bpf_func_id in uapi/linux/bpf.h) */
enum {
	HELPER_map_lookup_elem = 1,
	HELPER_map_update_elem = 2,
	HELPER_map_delete_elem = 3,
	HELPER_ktime_get_ns = 5,
	HELPER_trace_printk = 6,
	HELPER_get_prandom_u32 = 7,
	HELPER_get_smp_processor_id = 8,
	HELPER_get_current_pid_tgid = 14,
	HELPER_get_current_uid_gid = 15,
	HELPER_get_current_comm = 16,
	HELPER_tail_call = 12,
	HELPER_perf_event_output = 25,
	HELPER_get_stackid = 27,
	HELPER_map_push_elem = 87,
	HELPER_map_pop_elem = 88,
	HELPER_map_peek_elem = 89,
	HELPER_ringbuf_output = 130,
	HELPER_ringbuf_reserve = 131,
	HELPER_ringbuf_submit = 132,
	HELPER_ringbuf_discard = 133,
	HELPER_trace_vprintk = 177,
};

typedef struct Loop {
	struct Loop *outer;
	LLVMBasicBlockRef brk, cont;
} Loop;

#define LOWER_MAX_OPAQUE 64

typedef struct Lower {
	Arena *a;
	Diags *d;
	Program *p;
	const LowerOptions *opts;
	LLVMContextRef ctx;
	LLVMModuleRef mod;
	LLVMBuilderRef b;
	LLVMTypeRef t_i1, t_i8, t_i16, t_i32, t_i64, t_ptr, t_void;
	/* debug info */
	LLVMDIBuilderRef dib;
	LLVMMetadataRef di_file, di_cu, di_int;
	unsigned md_dbg;
	/* the function being lowered */
	FuncDef *fn;
	LLVMValueRef llfn;
	LLVMMetadataRef di_sp;
	LLVMBasicBlockRef entry;    /* holds only allocas until the function is done */
	LLVMBasicBlockRef ret_bb;   /* the one return block, laid out last */
	LLVMValueRef ret_slot;	    /* the value it returns (NULL for None) */
	const AstNode *last_return; /* the last return statement lowered */
	bool fell_off;		    /* the body may end without a return */
	Loop *loop;
	PtrVec temps; /* Temp *: stack slots for temporaries, reused per statement */
	int nfmt;     /* format strings made so far */
	int nseq;     /* llvm.bpf.passthrough sequence numbers used so far */
	/* the sequence number given to each array length in this function */
	int nopaque;
	uint64_t opaque_len[LOWER_MAX_OPAQUE];
	int opaque_seq[LOWER_MAX_OPAQUE];
} Lower;

#define LVAL_MAX_INDEXES 4

/* A place in memory holding a `type`: `addr` plus run-time array indexes
 * (each times its element size) plus a constant byte offset. When `valid`
 * (an i1) is set the place may not exist: it is inside a map value that may
 * be None, or an element whose index may be out of range. Reads give zero
 * and writes do nothing when valid is false. The address is computed only
 * where it is used (lower_place_addr), so that inside a guarded access the
 * verifier sees the bounds check on the very register it adds. */
typedef struct LVal {
	LLVMValueRef addr;
	Type *type;
	LLVMValueRef valid;
	int nidx;
	LLVMValueRef idx[LVAL_MAX_INDEXES];
	uint64_t scale[LVAL_MAX_INDEXES], len[LVAL_MAX_INDEXES];
	uint64_t offset;
	unsigned align; /* what addr is known to be aligned to (0: the type's) */
} LVal;

/* types and constants */
LLVMTypeRef lower_type(Lower *L, Type *t);
LLVMValueRef lower_const_int(Lower *L, Type *t, int64_t v);
LLVMValueRef lower_alloca(Lower *L, Type *t, const char *name);
/* A stack slot for a temporary that lives until the end of the current
 * statement (keys, values and records passed by pointer, struct values). */
LLVMValueRef lower_temp(Lower *L, Type *t);
/* Makes every temporary slot free again (at the start of each statement). */
void lower_release_temps(Lower *L);
LLVMValueRef lower_convert(Lower *L, LLVMValueRef v, Type *from, Type *to);
LLVMValueRef lower_load(Lower *L, LLVMValueRef addr, Type *t);
void lower_store(Lower *L, LLVMValueRef v, LLVMValueRef addr, Type *t);
void lower_memcpy(Lower *L, LLVMValueRef dst, LLVMValueRef src, Type *t);
/* The same with the alignment known for the addresses. */
LLVMValueRef lower_load_aligned(Lower *L, LLVMValueRef addr, Type *t, unsigned align);
void lower_store_aligned(Lower *L, LLVMValueRef v, LLVMValueRef addr, Type *t, unsigned align);
void lower_memcpy_aligned(Lower *L, LLVMValueRef dst, unsigned dst_align, LLVMValueRef src,
			  unsigned src_align, Type *t);
void lower_zero(Lower *L, LLVMValueRef addr, Type *t);
/* A read-only .rodata copy of constant v, for helpers that only read it. */
LLVMValueRef lower_const_slot(Lower *L, Type *t, LLVMValueRef v);
LLVMValueRef lower_helper(Lower *L, int id, LLVMTypeRef ret, LLVMValueRef *args, int n);
LLVMBasicBlockRef lower_block(Lower *L, const char *name);
/* Continues emission in bb, moved to the end of the function first, so
 * blocks are laid out in the order their code is emitted (as clang does). */
void lower_position(Lower *L, LLVMBasicBlockRef bb);
/* Starts a new block after a terminator so following code has a home. */
void lower_after_terminator(Lower *L);

/* expressions (lower_expr.c) */
/* The value of e where a value is needed: an integer (of value type), a
 * pointer for void pointers, or the address of an aggregate. */
LLVMValueRef lower_rvalue(Lower *L, AstNode *e);
/* lower_rvalue converted to `to` (integers), or an aggregate's address. */
LLVMValueRef lower_value_as(Lower *L, AstNode *e, Type *to);
LVal lower_lvalue(Lower *L, AstNode *e);
/* The pointer value of an expression of pointer type (not read through). */
LLVMValueRef lower_pointer(Lower *L, AstNode *e);
LLVMValueRef lower_lval_load(Lower *L, LVal lv);
/* The address of a place for use outside a guarded access: out-of-range
 * indexes are replaced by 0 so the address stays inside the object. */
LLVMValueRef lower_place_addr(Lower *L, LVal *lv);
void lower_lval_store(Lower *L, LVal lv, LLVMValueRef v);
/* Code that runs only when cond holds: lower_guard_begin branches into it,
 * lower_guard_end joins, giving v where cond held and zero (or NULL) where
 * it did not (nothing when v is NULL). A zeroed Guard is no guard at all. */
typedef struct Guard {
	LLVMBasicBlockRef from, join;
} Guard;
void lower_guard_begin(Lower *L, Guard *g, LLVMValueRef cond);
LLVMValueRef lower_guard_end(Lower *L, Guard *g, LLVMValueRef v);
/* Calls fn with the place's address where the place exists (inside the
 * guard, so the verifier sees the checks); the result is fn's there and zero
 * elsewhere (fn returns NULL: no result). */
typedef LLVMValueRef (*PlaceFn)(Lower *L, LLVMValueRef addr, void *ctx);
LLVMValueRef lower_with_place(Lower *L, LVal *lv, PlaceFn fn, void *ctx);
/* Branches on the truth of e. */
void lower_branch(Lower *L, AstNode *e, LLVMBasicBlockRef yes, LLVMBasicBlockRef no);
LLVMValueRef lower_binary(Lower *L, AstOp op, LLVMValueRef l, LLVMValueRef r, Type *t);
/* The address of a temporary holding e's value converted to t (for helpers
 * that take pointers to keys, values and records). */
LLVMValueRef lower_spill(Lower *L, AstNode *e, Type *t);

/* calls (lower_call.c) */
LLVMValueRef lower_call(Lower *L, AstNode *e);
/* A NUL-terminated string constant in .rodata (its address). */
LLVMValueRef lower_string(Lower *L, const char *s, size_t len);
/* The map a receiver denotes: map m's .maps global, or, for an inner map
 * found in a map of maps, that map; then the code up to lower_guard_end(g)
 * runs only when there is one (an operation on None does nothing and
 * gives 0 or None). */
LLVMValueRef lower_map_begin(Lower *L, MapDef *m, AstNode *recv, Guard *g);
/* bpf_map_lookup_elem(map, &key): a pointer to the value, or NULL. */
LLVMValueRef lower_map_lookup(Lower *L, LLVMValueRef map, MapDef *m, AstNode *key);
/* bpf_map_update_elem(map, &key, value, flags) with value a pointer. */
LLVMValueRef lower_map_update(Lower *L, LLVMValueRef map, MapDef *m, LLVMValueRef key,
			      LLVMValueRef value, LLVMValueRef flags);

/* a call of a kernel function (kfunc): lower_kfunc.c */
LLVMValueRef lower_kfunc_call(Lower *L, AstNode *e, KFunc *kf);

/* functions and statements (lower_stmt.c) */
void lower_declare_function(Lower *L, FuncDef *fn);
void lower_function(Lower *L, FuncDef *fn);
void lower_add_attribute(Lower *L, LLVMValueRef f, const char *name);

/* debug info (dib.c) */
void dib_init(Lower *L);
void dib_finish(Lower *L);
LLVMMetadataRef dib_type(Lower *L, Type *t);
/* kernel types and reads (lower_core.c) */
LLVMMetadataRef dib_kernel_type(Lower *L, Type *t); /* NULL: as pybpf's own types */
LLVMTypeRef lower_kernel_struct_type(Lower *L, Type *t);
/* bpf_core_field_exists() and the other CO-RE queries (a u32). */
LLVMValueRef lower_core_query(Lower *L, AstNode *e);
/* A kernel place's value, copied to a temporary by a CO-RE probe read. */
LVal lower_kernel_read(Lower *L, AstNode *e);
/* An element at a constant index of a kernel place's array, read alone. */
LVal lower_kernel_element(Lower *L, AstNode *e);
LLVMMetadataRef dib_map_type(Lower *L, MapDef *m, int *nptrs);
void dib_global(Lower *L, LLVMValueRef g, const char *name, LLVMMetadataRef type, SrcLoc loc,
		bool local);
LLVMMetadataRef dib_function(Lower *L, FuncDef *fn, LLVMValueRef f);
void dib_loc(Lower *L, const AstNode *n);
LLVMMetadataRef dib_const_char_array(Lower *L, int n);

#endif
