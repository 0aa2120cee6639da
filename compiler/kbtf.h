/*
 * kbtf.h - kernel types from the kernel's BTF, read at compile time.
 *
 * `from vmlinux import struct_task_struct, XDP_PASS` names kernel types and
 * enum constants. kbtf_load() parses /sys/kernel/btf/vmlinux (or the file
 * given with --btf) with libbpf once per compilation, and only when the
 * source imports from vmlinux. Kernel types become pybpf Types on demand:
 * only the names imported and, recursively, what their used fields need.
 * A kernel struct's fields are read from the BTF when a field is first
 * looked up (kbtf_fields), so a pointer member never drags in the kernel's
 * whole type graph.
 *
 * Kernel pointers are 64-bit integers that remember what they point to
 * (Type.is_kptr, Type.kptr): BPF code reads through them with CO-RE
 * relocated probe reads (lower_core.c), never by a plain load.
 */
#ifndef PYBPF_KBTF_H
#define PYBPF_KBTF_H

#include "sema.h"

typedef struct Kbtf Kbtf;

/* What a name imported from vmlinux denotes. */
typedef enum KbtfKind { KBTF_NONE, KBTF_TYPE, KBTF_CONST } KbtfKind;

/* Loads the kernel BTF from path (NULL: /sys/kernel/btf/vmlinux). On
 * failure returns NULL and sets *why to a message (arena text). */
Kbtf *kbtf_load(Arena *a, Program *p, const char *path, const char **why);
const char *kbtf_path(const Kbtf *k);

/* Resolves a pythonbpf-style name: struct_NAME, union_NAME, enum_NAME, a
 * plain struct/union/typedef name, or an enum constant. */
KbtfKind kbtf_resolve(Kbtf *k, const char *name, Type **type, ConstVal *cval);
/* The known name closest to `name`, or NULL when none is close. */
const char *kbtf_suggest(Kbtf *k, const char *name);

/* The pybpf type for a BTF type id (NULL for kinds pybpf cannot read). */
Type *kbtf_type(Kbtf *k, uint32_t id);
/* Reads a kernel struct's or union's fields from the BTF (idempotent). */
void kbtf_fields(Kbtf *k, Type *t);
/* The kernel pointer type to a kernel type, read in the given mode. */
Type *kbtf_pointer(Kbtf *k, Type *to, KptrMode mode);
/* The field of kernel struct t closest in spelling to `name`, or NULL. */
const char *kbtf_suggest_field(Kbtf *k, Type *t, const char *name);

/* The kernel function `name`: its BTF FUNC id, or 0 when there is none.
 * *is_kfunc tells whether BPF programs may call it: its BTF tags it
 * `bpf_kfunc` (in a BTF without such tags, from older kernels: any
 * function). Tagged kfuncs are in the name index (kbtf_suggest). */
uint32_t kbtf_func(Kbtf *k, const char *name, bool *is_kfunc);

/* The parsed BTF (a struct btf *), for the debug info of kernel types. */
const void *kbtf_btf(const Kbtf *k);

#endif
