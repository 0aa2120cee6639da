/*
 * emit.c - the BPF target machine, the optimisation pipeline and emission.
 *
 * The pipeline is always LLVM's `default<On>` run with the target machine:
 * that is what schedules the BPF IR passes (CO-RE, peepholes) that codegen
 * relies on (shared/reference/llvm-bpf-notes.md, section 4). LLVM reports
 * backend errors through the context's diagnostic handler, which turns them
 * into internal compiler errors here; sema is meant to reject every program
 * that could reach them, so any such error is a pybpf bug.
 */
#include "emit.h"

#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/Support.h>
#include <llvm-c/Target.h>
#include <llvm-c/Transforms/PassBuilder.h>
#include <llvm/Config/llvm-config.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_bpf_target(void)
{
	LLVMInitializeBPFTargetInfo();
	LLVMInitializeBPFTarget();
	LLVMInitializeBPFTargetMC();
	LLVMInitializeBPFAsmPrinter();
	LLVMInitializeBPFAsmParser(); /* inline assembly (division, see lower_expr.c) */
	/* Rewriting a loop's exit value as a closed formula (the sum of
	 * 1..n becomes n*(n+1)/2) computes in 128 bits, which the BPF
	 * backend cannot lower ("__multi3 is not supported"); clang has the
	 * same problem. Keep such loops as loops. */
	const char *const argv[] = {"pybpf", "-replexitval=never"};
	LLVMParseCommandLineOptions(2, argv, NULL);
}

const char *emit_llvm_version(void)
{
	return "LLVM " LLVM_VERSION_STRING;
}

static void dispose_tm(void *p)
{
	LLVMDisposeTargetMachine(p);
}

static void dispose_message(void *p)
{
	LLVMDisposeMessage(p);
}

/* -O0 runs no IR optimisation, but code generation still allocates
 * registers properly: at LLVM's "None" level every value is spilled to the
 * stack, and BPF's 512-byte stack runs out on modest functions. */
static const LLVMCodeGenOptLevel codegen_levels[4] = {LLVMCodeGenLevelLess, LLVMCodeGenLevelLess,
						      LLVMCodeGenLevelDefault,
						      LLVMCodeGenLevelAggressive};

LLVMTargetMachineRef emit_target_machine(Arena *a, Diags *d, const char *cpu, int opt_level)
{
	pthread_once(&init_once, init_bpf_target);
	LLVMTargetRef target;
	char *err = NULL;
	if (LLVMGetTargetFromTriple("bpfel", &target, &err)) {
		diag_error(d, srcloc(0, 0, 0, 0), "internal compiler error: no BPF target: %s",
			   err ? err : "?");
		LLVMDisposeMessage(err);
		return NULL;
	}
	LLVMTargetMachineRef tm =
		LLVMCreateTargetMachine(target, "bpfel", cpu, "", codegen_levels[opt_level],
					LLVMRelocDefault, LLVMCodeModelDefault);
	arena_on_free(a, dispose_tm, tm);
	return tm;
}

/* BPF backend errors that are about the user's program, not about pybpf:
 * reported as plain errors (sema is meant to catch them first). */
typedef struct BackendLimit {
	const char *llvm_text;
	const char *message;
} BackendLimit;

static const BackendLimit backend_limits[] = {
	{"BPF stack limit is exceeded",
	 "this program needs more than the 512 bytes of stack BPF allows; move large "
	 "variables into a map"},
	/* copies and clears beyond what BPF code generation unrolls */
	{"built-in function 'memcpy' is not supported",
	 "this copies an object too large for the 512-byte BPF stack; keep large data in a "
	 "map"},
	{"built-in function 'memset' is not supported",
	 "this clears an object too large for the 512-byte BPF stack; keep large data in a "
	 "map"},
};

/* "file:line:col: in function ..." at the start of an LLVM message. */
static SrcLoc llvm_message_loc(const char *msg)
{
	SrcLoc l = {0, 0, 0, 0, 0};
	const char *p = strstr(msg, ": in function");
	if (!p)
		return l;
	/* walk back over ":col" and ":line" */
	const char *q = p, *col = NULL, *line = NULL;
	while (q > msg && q[-1] != ':')
		q--;
	col = q;
	if (q > msg)
		q--;
	while (q > msg && q[-1] != ':')
		q--;
	line = q;
	int ln = atoi(line), cl = atoi(col);
	if (ln > 0) {
		l.line = ln;
		l.col = cl > 0 ? cl - 1 : 0;
	}
	return l;
}

static void on_llvm_diagnostic(LLVMDiagnosticInfoRef di, void *ctx)
{
	Diags *d = ctx;
	LLVMDiagnosticSeverity sev = LLVMGetDiagInfoSeverity(di);
	if (sev != LLVMDSError && sev != LLVMDSWarning)
		return; /* remarks and notes */
	char *msg = LLVMGetDiagInfoDescription(di);
	for (size_t i = 0; i < sizeof backend_limits / sizeof *backend_limits; i++) {
		if (strstr(msg, backend_limits[i].llvm_text)) {
			/* LLVM reports it once per affected instruction: once is enough */
			if (!d->errors)
				diag_error(d, llvm_message_loc(msg), "%s",
					   backend_limits[i].message);
			LLVMDisposeMessage(msg);
			return;
		}
	}
	if (sev == LLVMDSError)
		diag_error(d, srcloc(0, 0, 0, 0), "internal compiler error: LLVM: %s", msg);
	else
		diag_warning(d, srcloc(0, 0, 0, 0), "internal compiler warning: LLVM: %s", msg);
	LLVMDisposeMessage(msg);
}

void emit_watch_context(LLVMContextRef ctx, Diags *d)
{
	LLVMContextSetDiagnosticHandler(ctx, on_llvm_diagnostic, d);
}

static char *copy_out(Arena *a, const char *p, size_t n, size_t *len)
{
	char *out = arena_alloc(a, n + 1);
	memcpy(out, p, n);
	*len = n;
	return out;
}

/* Format strings, string literals, constant keys and read-only globals all
 * go to .rodata. The optimizer marks unaddressed constants unnamed_addr,
 * and the ELF writer then puts strings in a mergeable section of their own,
 * also named .rodata: two sections whose offsets clash in the BTF DATASEC,
 * which the kernel rejects. Plain read-only data keeps them in one. */
static void single_rodata(LLVMModuleRef m)
{
	for (LLVMValueRef g = LLVMGetFirstGlobal(m); g; g = LLVMGetNextGlobal(g)) {
		const char *sec = LLVMGetSection(g);
		if (sec && strcmp(sec, ".rodata") == 0)
			LLVMSetUnnamedAddress(g, LLVMNoUnnamedAddr);
	}
}

int emit_module(Arena *a, Diags *d, LLVMModuleRef m, LLVMTargetMachineRef tm, int opt_level,
		EmitKind kind, char **out, size_t *len)
{
	char *err = NULL;
	if (LLVMVerifyModule(m, LLVMReturnStatusAction, &err)) {
		diag_error(d, srcloc(0, 0, 0, 0),
			   "internal compiler error: invalid LLVM IR generated: %s", err);
		LLVMDisposeMessage(err);
		return -1;
	}
	LLVMDisposeMessage(err);

	static const char *const pipelines[4] = {"default<O0>", "default<O1>", "default<O2>",
						 "default<O3>"};
	LLVMPassBuilderOptionsRef po = LLVMCreatePassBuilderOptions();
	LLVMErrorRef e = LLVMRunPasses(m, pipelines[opt_level], tm, po);
	LLVMDisposePassBuilderOptions(po);
	if (e) {
		char *msg = LLVMGetErrorMessage(e);
		diag_error(d, srcloc(0, 0, 0, 0), "internal compiler error: passes: %s", msg);
		LLVMDisposeErrorMessage(msg);
		return -1;
	}
	if (d->errors)
		return -1;
	single_rodata(m);

	if (kind == EMIT_LLVM) {
		char *text = LLVMPrintModuleToString(m);
		arena_on_free(a, dispose_message, text);
		*out = copy_out(a, text, strlen(text), len);
		return 0;
	}
	LLVMMemoryBufferRef mb = NULL;
	LLVMCodeGenFileType ft = kind == EMIT_ASM ? LLVMAssemblyFile : LLVMObjectFile;
	if (LLVMTargetMachineEmitToMemoryBuffer(tm, m, ft, &err, &mb)) {
		diag_error(d, srcloc(0, 0, 0, 0), "internal compiler error: codegen: %s",
			   err ? err : "?");
		LLVMDisposeMessage(err);
		return -1;
	}
	*out = copy_out(a, LLVMGetBufferStart(mb), LLVMGetBufferSize(mb), len);
	LLVMDisposeMemoryBuffer(mb);
	return d->errors ? -1 : 0;
}
