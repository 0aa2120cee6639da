/*
 * emit.h - from an LLVM module to BPF object bytes (or IR / assembly text).
 */
#ifndef PYBPF_EMIT_H
#define PYBPF_EMIT_H

#include "arena.h"
#include "diag.h"

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

typedef enum EmitKind { EMIT_OBJ, EMIT_LLVM, EMIT_ASM } EmitKind;

/* Creates the BPF target machine for cpu "v1".."v4" and -O level 0..3. The
 * arena disposes of it. NULL (with a diagnostic) on failure. */
LLVMTargetMachineRef emit_target_machine(Arena *a, Diags *d, const char *cpu, int opt_level);

/* Installs the diagnostic handler on ctx: LLVM errors become internal
 * compiler errors in d instead of ending the process. */
void emit_watch_context(LLVMContextRef ctx, Diags *d);

/* Verifies, optimises and emits the module. The output is in the arena. */
int emit_module(Arena *a, Diags *d, LLVMModuleRef m, LLVMTargetMachineRef tm, int opt_level,
		EmitKind kind, char **out, size_t *len);

const char *emit_llvm_version(void);

#endif
