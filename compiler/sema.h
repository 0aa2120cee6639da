/*
 * sema.h - semantic analysis: from the AST to a checked BPF program.
 *
 * sema_check() resolves the module (imports, decorators, maps, globals,
 * structs, constants, functions), then checks every @bpf function body: it
 * resolves names, gives every expression its type (AstNode.type), records
 * what each name, call and attribute means (AstNode.sema), and reports every
 * error it finds (up to the cap). Lowering runs only on an error-free result
 * and trusts these annotations.
 *
 * Types follow C on ctypes integers (DESIGN.md section 2; grammar/dialect.md).
 */
#ifndef PYBPF_SEMA_H
#define PYBPF_SEMA_H

#include "ast.h"
#include "diag.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- types ---- */

typedef enum CTypeId {
#define CTYPE(id, name, size, sgn, cname) CT_##id,
#define CTYPE_ALIAS(name, id)
#include "ctypes.def"
#undef CTYPE
#undef CTYPE_ALIAS
	CT__INT_COUNT,
	CT_VOID_P = CT__INT_COUNT, /* pointer to void */
	CT_CHAR_P,		   /* pointer to char */
	CT_STR,			   /* Python `str`: str(N) char buffers, `-> str` for LICENSE */
	CT_INT,			   /* Python `int`: c_int64 */
	CT_BOOL_PY,		   /* Python `bool`: c_bool */
	CT__COUNT
} CTypeId;

typedef enum TypeKind { TY_VOID, TY_INT, TY_PTR, TY_ARRAY, TY_STRUCT } TypeKind;

/* How what a kernel pointer points to is read. */
typedef enum KptrMode {
	KPTR_PROBE, /* any kernel address: bpf_probe_read_kernel */
	KPTR_BTF,   /* a BTF pointer (bpf_get_current_task_btf()): direct loads */
	KPTR_CTX,   /* the program's context (ctx: struct_xdp_md): direct loads */
	KPTR__COUNT
} KptrMode;

typedef struct Type Type;

/* What a packet pointer is (Type.pkt; sema_packet.c). */
typedef enum PacketKind {
	PKT_NONE,
	PKT_DATA, /* into the packet: ctx.data plus offsets, header pointers */
	PKT_META, /* into the metadata before it: ctx.data_meta plus offsets */
	PKT_END,  /* ctx.data_end: only compared */
} PacketKind;

typedef struct Field {
	const char *name;
	Type *type;
	int offset; /* bytes */
	SrcLoc loc;
	/* kernel struct members (kbtf.c) */
	int bit_size; /* a bitfield's width in bits; 0 otherwise */
	bool used;    /* read by the program: kept in the CO-RE debug type */
	int di_idx;   /* lowering: its index among the kept members */
	int gep_idx;  /* lowering: its index in the LLVM struct */
} Field;

/* AstNode.sema of a field in packet memory (sema_packet.c): Field.offset
 * from the struct it is looked up in (through anonymous members); a
 * bitfield (Field.bit_size) is read as the `unit` bytes at Field.offset,
 * from bit bit_off % 8 on. */
typedef struct PacketField {
	Field f;
	int bit_off;
	int unit;
} PacketField;

struct Type {
	TypeKind kind;
	int size, align;
	bool is_signed;	    /* TY_INT */
	bool is_bool;	    /* TY_INT: c_bool */
	bool is_char;	    /* TY_INT: c_char, or TY_ARRAY of c_char (a string buffer) */
	const char *name;   /* as the user spells it: "c_uint32", "str(16)", "event" */
	const char *c_name; /* C spelling for BTF: "unsigned int"; struct tag */
	Type *base;	    /* TY_PTR: pointee (NULL for void *); TY_ARRAY: element */
	struct MapDef *map; /* TY_PTR to an inner map of a map of maps: its template */
	int len;	    /* TY_ARRAY */
	Field *fields;	    /* TY_STRUCT */
	int nfields;
	SrcLoc loc; /* TY_STRUCT: the class */
	/* kernel types (kbtf.c) */
	uint32_t btf_id;	 /* the type's id in the kernel BTF; 0 for pybpf's own types */
	bool is_union;		 /* TY_STRUCT from a kernel union: every field at offset 0 */
	bool fields_done;	 /* kernel TY_STRUCT: its fields have been read from the BTF */
	bool is_kptr;		 /* TY_INT: a kernel pointer, an address read through CO-RE */
	unsigned char kmode;	 /* kernel pointer: how it is read (KptrMode) */
	Type *kptr;		 /* TY_INT kernel pointer: what it points to (NULL: void) */
	bool is_fnptr;		 /* kernel pointer to a function: an address, never called */
	Type *kref[KPTR__COUNT]; /* kernel TY_STRUCT: kernel pointer types to it (cache) */
	/* packet pointers (sema_packet.c): a TY_INT u64 that is a PacketKind */
	unsigned char pkt;
	Type *pkt_to; /* PKT_DATA, PKT_META: the header it points to (NULL: bytes) */
	/* lowering caches (LLVM type, DI type) */
	void *ll, *di;
};

/* ---- module-level symbols ---- */

typedef enum ModuleId {
	MOD_NONE = 0,
	MOD_PYBPF,
	MOD_MAPS,
	MOD_HELPER,
	MOD_CTYPES,
	MOD_BUILTINS,
	MOD__COUNT
} ModuleId;

typedef enum DecoratorId {
	DEC_BPF = 1,
	DEC_SECTION,
	DEC_MAP,
	DEC_BPFGLOBAL,
	DEC_STRUCT
} DecoratorId;

typedef enum MapClassId {
	MAPC_NONE_ = 0,
#define MAPCLASS(id, name, type_id, family) MAPC_##id,
#include "maps.def"
#undef MAPCLASS
	MAPC__COUNT
} MapClassId;

/* What a map class offers, by family (maps.def). */
typedef enum MapFamily {
	MF_KEYED,      /* keys and values: lookup/update/delete, m[k] */
	MF_PERF,       /* PerfEventArray: output */
	MF_RINGBUF,    /* RingBuffer: output, reserve/submit/discard */
	MF_STACKTRACE, /* StackTraceMap: get_stackid */
	MF_QUEUE,      /* QueueMap, StackMap: push/pop/peek */
	MF_BLOOM,      /* BloomFilter: push, peek, `in` */
	MF_PROGS,      /* ProgArray: tail_call */
	MF_OUTER,      /* ArrayOfMaps, HashOfMaps: lookup, m[k], `in` give inner maps */
} MapFamily;

typedef enum BuiltinId {
	BI_NONE = 0,
	BI_PRINT,
	BI_RANGE,
	BI_KTIME,
	BI_PID,
	BI_TID,
	BI_UID,
	BI_GID,
	BI_COMM,
	BI_RANDOM,
	BI_SMP_PROCESSOR_ID,
	BI_ATOMIC_ADD, /* atomics: ORDER ATOMICS (sema_call.c, lower_call.c) */
	BI_ATOMIC_SUB,
	BI_ATOMIC_AND,
	BI_ATOMIC_OR,
	BI_ATOMIC_XOR,
	BI_ATOMIC_FETCH_ADD,
	BI_ATOMIC_FETCH_SUB,
	BI_ATOMIC_FETCH_AND,
	BI_ATOMIC_FETCH_OR,
	BI_ATOMIC_FETCH_XOR,
	BI_ATOMIC_XCHG,
	BI_ATOMIC_CMPXCHG,
	BI_CORE_FIELD_EXISTS, /* CO-RE queries: ORDER CORE (sema_kernel.c, lower_core.c) */
	BI_CORE_FIELD_SIZE,
	BI_CORE_TYPE_EXISTS,
	BI_CORE_TYPE_SIZE,
	BI_NTOHS, /* byte order: ORDER BSWAP (sema_packet.c, lower_packet.c) */
	BI_HTONS,
	BI_NTOHL,
	BI_HTONL,
	BI_BE64_TO_CPU,
	BI_CPU_TO_BE64,
	BI_PT_REGS_PARM1, /* pt_regs registers: ORDER PT_REGS (sema_context.c) */
	BI_PT_REGS_PARM2,
	BI_PT_REGS_PARM3,
	BI_PT_REGS_PARM4,
	BI_PT_REGS_PARM5,
	BI_PT_REGS_PARM6,
	BI_PT_REGS_RC,
	BI_PT_REGS_IP,
	BI_PT_REGS_SP,
	BI_PT_REGS_FP,
	BI_CORE_ENUM_VALUE_EXISTS, /* enum values and type ids: ORDER CORE2 (sema_context.c) */
	BI_CORE_ENUM_VALUE,
	BI_CORE_TYPE_ID_LOCAL,
	BI_CORE_TYPE_ID_KERNEL,
	BI__COUNT
} BuiltinId;

/* ---- the BPF helper catalog (helpers.def, generated from libbpf) ---- */

typedef enum HelperArg {
	A_NONE,
	A_U8,
	A_U16,
	A_U32,
	A_U64,
	A_S8,
	A_S16,
	A_S32,
	A_S64,
	A_MAP,	    /* a map */
	A_CTX,	    /* the program's context */
	A_PTR,	    /* memory the helper may write */
	A_CPTR,	    /* memory the helper only reads */
	A_ADDR,	    /* an address to read from: an integer is the address */
	A_STR,	    /* a constant C string */
	A_CALLBACK, /* a @bpf function */
	A_SIZE,	    /* the size of the buffer passed just before */
	A_FLAGS,    /* flags (0 when left out) */
} HelperArg;

typedef enum HelperRet {
	R_VOID,
	R_PTR,
	R_U8,
	R_U16,
	R_U32,
	R_U64,
	R_S8,
	R_S16,
	R_S32,
	R_S64,
} HelperRet;

typedef struct HelperInfo {
	const char *name; /* without the bpf_ prefix */
	int id;		  /* enum bpf_func_id */
	HelperRet ret;
	const char *signature; /* the C declaration, for messages */
	int nargs;
	HelperArg args[5];
} HelperInfo;

/* The helper called `name` or `bpf_` + name, or NULL. */
const HelperInfo *helper_find(const char *name);
/* The integer ctype of an integer argument or return kind. */
CTypeId helper_int_ctype(int kind, bool is_ret);

typedef enum SymKind {
	SYM_MODULE,    /* an imported module we know (detail: ModuleId) */
	SYM_DECORATOR, /* bpf, section, map, bpfglobal, struct */
	SYM_USERSPACE, /* pybpf's userspace API (compile, BPF, ...) */
	SYM_TYPE,      /* a ctype, a @struct, or a builtin type name */
	SYM_MAPCLASS,  /* HashMap, ... */
	SYM_BUILTIN,   /* pythonbpf's helper functions and Python builtins */
	SYM_HELPER,    /* a kernel helper from the catalog (detail: index) */
	SYM_CONST,     /* an integer constant */
	SYM_MAP,       /* a @map */
	SYM_GLOBAL,    /* a @bpfglobal variable */
	SYM_FUNC,      /* a @bpf function */
	SYM_KFUNC,     /* a kernel function from `from vmlinux import` (kfunc) */
	SYM_OTHER,     /* any other module-level name: userspace Python */
	SYM_LOCAL,     /* a local variable or parameter of a BPF function */
} SymKind;

typedef struct MapDef MapDef;
typedef struct GlobalVar GlobalVar;
typedef struct FuncDef FuncDef;
typedef struct KFunc KFunc;

typedef struct ConstVal {
	int64_t v;    /* the value as 64 bits (u64 values are stored bit-cast) */
	Type *type;   /* the C type the constant has when used in an expression */
	bool untyped; /* a literal or module constant: folds exactly, not in C */
} ConstVal;

typedef struct Symbol {
	SymKind kind;
	const char *name;
	SrcLoc loc;	   /* where it was bound (0 for builtins) */
	int detail;	   /* ModuleId, DecoratorId, CTypeId, MapClassId, BuiltinId */
	Type *type;	   /* SYM_TYPE, SYM_LOCAL, SYM_GLOBAL */
	ConstVal cval;	   /* SYM_CONST */
	AstNode *cexpr;	   /* SYM_CONST from `N = expr` at module level, before folding */
	int cstate;	   /* SYM_CONST folding: 0 pending, 1 in progress, 2 done, 3 failed */
	MapDef *map;	   /* SYM_MAP */
	GlobalVar *global; /* SYM_GLOBAL */
	FuncDef *func;	   /* SYM_FUNC */
	KFunc *kfunc;	   /* SYM_KFUNC */
	/* SYM_LOCAL */
	bool is_param;
	bool nullable;	  /* a map value pointer from lookup(): may be None */
	MapDef *from_map; /* the map a pointer local points into */
	void *ll;	  /* lowering: the alloca */
	bool bound;	  /* sema: an assignment has been seen */
	/* SYM_OTHER from `from mod import X` of a local module (sema_import.c):
	 * what X is in mod, once a use resolved it */
	struct Symbol *target;
	/* a program's event argument (a parameter after the context,
	 * sema_context.c): its value at entry is event_init (a read of the
	 * context), or the context's u64 slot event_slot - 1 */
	AstNode *event_init;
	int event_slot;
} Symbol;

struct MapDef {
	const char *name;
	SrcLoc loc;
	MapClassId cls;
	MapFamily family;
	int type_id; /* BPF_MAP_TYPE_* */
	Type *key, *value;
	uint32_t key_size, value_size; /* for maps declared by size (PerfEventArray) */
	uint32_t max_entries;
	uint32_t flags;
	uint64_t map_extra; /* BloomFilter: the number of hash functions */
	AstNode *values;    /* ProgArray, maps of maps: the `values=[...]` list */
	int nvalues;
	FuncDef **progs;     /* ProgArray: its programs by index (NULL: empty) */
	MapDef **maps;	     /* maps of maps: the maps by index (NULL: empty) */
	AstNode *inner_name; /* maps of maps: `inner=`, resolved into inner */
	MapDef *inner;	     /* maps of maps: the template of the inner maps */
	Type *ref_type;	     /* maps of maps: the type of an inner map found in it */
	void *di;	     /* the debug type of the map definition */
	void *ll;	     /* the .maps global */
	/* RingBuffer, PerfEventArray: the type of the records sent with
	 * output() or reserve(); event_mixed when they differ (see
	 * lower_event_types in lower_module.c) */
	Type *event_type;
	bool event_mixed;
};

struct GlobalVar {
	const char *name;
	SrcLoc loc;
	Type *type;
	bool is_license;
	bool readonly;	     /* Final[T]: .rodata, written only by userspace */
	unsigned char *init; /* the initial bytes (type->size), or NULL: zero */
	void *ll;
};

/* How a kfunc parameter is passed (sema_kfunc.c). */
typedef enum KParamKind {
	KP_SCALAR,	/* an integer or enum: an integer */
	KP_OBJECT,	/* a pointer to a kernel struct: a BTF pointer to it */
	KP_MEMORY,	/* any other pointer: an address (buffer, variable, pointer) */
	KP_UNSUPPORTED, /* function pointers, floats, structs by value, ... */
} KParamKind;

/* A kernel function exported to BPF (a kfunc), from the kernel's BTF: called
 * through an extern declaration in section .ksyms that libbpf resolves. */
struct KFunc {
	const char *name;
	uint32_t btf_id;       /* its FUNC in the kernel BTF */
	const char *signature; /* as C, for messages */
	int nparams;
	const char **pnames;
	KParamKind *pkinds;
	Type **ptypes; /* the parameter types (kernel pointers for pointers) */
	Type *ret;     /* p->none for void; NULL: a return pybpf cannot read */
	void *ll;      /* lowering: the extern declaration */
};

/* A call of a BPF subprogram, for the recursion check. */
typedef struct CallSite {
	FuncDef *callee;
	SrcLoc loc;
} CallSite;

struct FuncDef {
	const char *name;
	AstNode *def;	     /* the FunctionDef */
	const char *section; /* NULL for a subprogram */
	SrcLoc section_loc;
	Symbol **params;
	int nparams;
	Type *ret;     /* an integer type, or the None type (subprograms only) */
	PtrVec locals; /* Symbol * (SYM_LOCAL), parameters first */
	PtrVec calls;  /* CallSite *: the subprograms this function calls */
	int visit;     /* recursion check: 0 new, 1 on the path, 2 done */
	void *ll, *di;
};

/* ---- per-node annotations (AstNode.sema) ---- */

typedef enum CallKind {
	CALL_BUILTIN,	/* pythonbpf helper or print/range: builtin */
	CALL_HELPER,	/* a kernel helper: helper, helper_args */
	CALL_MAP,	/* map method: map, method */
	CALL_CAST,	/* ctype(x): type (AstNode.type) */
	CALL_CONSTRUCT, /* event(pid=1), (c_uint32 * 4)(1, 2): a struct or array */
	CALL_FUNC,	/* a @bpf subprogram */
	CALL_KFUNC,	/* a kernel function (kfunc): kfunc */
} CallKind;

typedef enum MapMethod {
	MM_LOOKUP,
	MM_UPDATE,
	MM_DELETE,
	MM_OUTPUT,
	MM_RESERVE,
	MM_SUBMIT,
	MM_DISCARD,
	MM_PUSH,
	MM_POP,
	MM_PEEK,
	MM_GET_STACKID,
	MM_TAIL_CALL,
} MapMethod;

typedef struct CallInfo {
	CallKind kind;
	BuiltinId builtin;
	MapDef *map;
	MapMethod method;
	FuncDef *func;
	KFunc *kfunc; /* CALL_KFUNC */
	/* print: the arguments (Constant str, JoinedStr, or plain values),
	 * separator and end text */
	const char *sep, *end;
	/* CALL_HELPER: for each helper parameter, the index of the user's
	 * argument, or -1 when pybpf fills it in (context, size, flags) */
	const HelperInfo *helper;
	int helper_args[5];
	MapDef *helper_maps[5];	  /* A_MAP arguments */
	FuncDef *helper_funcs[5]; /* A_CALLBACK arguments */
} CallInfo;

/* AstNode.sema of a Subscript. */
typedef struct IndexInfo {
	MapDef *map;	  /* m[k]: the map; NULL for an array element */
	bool const_index; /* an array element at a constant index (in range) */
	int64_t index;
} IndexInfo;

typedef struct Program {
	PtrVec maps;	/* MapDef * in source order */
	PtrVec globals; /* GlobalVar * (LICENSE included) */
	PtrVec funcs;	/* FuncDef * */
	PtrVec structs; /* Type * (TY_STRUCT) */
	GlobalVar *license;
	Type *ctypes[CT__COUNT]; /* this compilation's builtin types */
	Type *void_ptr;
	Type *none;	   /* the type of None and of calls that return nothing */
	struct Kbtf *kbtf; /* the kernel BTF: the file imports from vmlinux, or a
			    * program's context needs it (sema_lazyctx.c) */
	/* the suffix lowering gave kernel struct names, or NULL (lower_core.c) */
	const char *core_suffix;
} Program;

typedef struct SemaOptions {
	int mcpu;	      /* 1..4 */
	const char *btf_path; /* kernel BTF for `from vmlinux import`; NULL: the running kernel's */
	const char *const *defines; /* "NAME=VALUE": override module-level constants */
	size_t define_cnt;
	const char *const *include_dirs; /* -I: searched for local modules after the source's dir */
	size_t include_dir_cnt;
	PtrVec *deps; /* out (may be NULL): the paths of the local modules read */
} SemaOptions;

/* Does a checked expression denote a place (a local, a global, a field, an
 * array element)? */
bool sema_is_lvalue(const AstNode *e);
/* Whether an assignment unpacks: a, b = x, y (tuples or lists on both
 * sides; their elements are at the same place in both nodes). */
bool sema_is_unpacking(const AstNode *assign);

/* Checks the module. Returns NULL when errors were reported. */
Program *sema_check(Arena *a, Diags *d, AstNode *module, const SemaOptions *opts);

/* ---- shared between the sema_*.c files and lowering ---- */

Type *type_int(Program *p, CTypeId id);
Type *type_ptr(Arena *a, Type *base);
Type *type_array(Arena *a, Type *elem, int len);
bool type_is_int(const Type *t);
bool type_is_scalar(const Type *t); /* int or pointer */
/* The same type (arrays and pointers compare by structure). */
bool type_same(const Type *a, const Type *b);
/* C's usual arithmetic conversions on two integer types. */
Type *type_common(Program *p, Type *a, Type *b);
/* C's integer promotion (ranks below int become int). */
Type *type_promote(Program *p, Type *t);
/* The C type of an integer constant of this value ("int", "long long", ...). */
Type *type_of_constant(Program *p, int64_t v, bool is_unsigned);
const char *type_name(const Type *t);
/* A struct or union from the kernel's BTF. */
bool sema_is_kernel_type(const Type *t);
/* A field read from kernel memory: a field of what a kernel pointer points
 * to, or of such a field that is a struct (lower_core.c reads it). */
bool sema_is_kernel_place(const AstNode *e);
/* How a kernel place is read: the KptrMode of the pointer it is reached from. */
KptrMode sema_kernel_mode(const AstNode *e);
/* A field in packet memory: of what a packet pointer points to, or of such a
 * field that is a struct (lower_packet.c reads and writes it in place). */
bool sema_is_packet_place(const AstNode *e);
/* ctx.data, ctx.data_end, ctx.data_meta of a packet program's context. */
bool sema_is_packet_root(const AstNode *e);
/* The index of enumerator `name` in kernel enum t (btf: kbtf_btf()), or -1. */
int sema_enumerator_index(const void *btf, const Type *t, const char *name);

#endif
