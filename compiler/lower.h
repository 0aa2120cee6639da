/*
 * lower.h - lowering a checked Program to an LLVM module for the BPF target.
 *
 * One LLVM function per @section program (external, in its ELF section), one
 * BTF-defined map global per @map in ".maps", globals in ".bss"/".data", the
 * license in "license", format strings in ".rodata". Full debug info is
 * attached so the BPF backend emits .BTF and .BTF.ext (dib.c).
 */
#ifndef PYBPF_LOWER_H
#define PYBPF_LOWER_H

#include "sema.h"

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>

typedef struct LowerOptions {
	const char *filename; /* the source path, for debug info */
	int mcpu;	      /* 1..4 */
	int opt_level;	      /* 0..3 */
	const char *comp_dir; /* DW_AT_comp_dir; NULL: the current directory */
} LowerOptions;

/* Builds the module in `ctx`. Never fails on a checked Program. */
/* Replaces the per-compilation suffix of kernel struct names (Program.
 * core_suffix) in emitted output by a canonical one of the same length. */
void lower_core_canonical(char *out, size_t len, const char *suffix);

LLVMModuleRef lower_program(Arena *a, Diags *d, Program *p, LLVMContextRef ctx,
			    LLVMTargetMachineRef tm, const LowerOptions *opts);

#endif
