/*
 * fuzz_frontend.c - libFuzzer harness over the front end: tokenizer, parser
 * and semantic analysis (no LLVM).
 *
 * Each input is one source file. It is parsed with parse_file(); when that
 * succeeds without errors, sema_check() runs on the module, as in
 * pybpf_compile(). Every diagnostic is then sorted and rendered (source line,
 * caret, notes), so column and UTF-8 handling in diag.c is exercised too.
 * The arena is freed after each input: LeakSanitizer reports anything the
 * front end allocates outside it. Built with clang-19 and
 * -fsanitize=fuzzer,address,undefined (tests/fuzz/CMakeLists.txt); every
 * crash it finds becomes a file in tests/fuzz/regressions/.
 */
#include "arena.h"
#include "diag.h"
#include "parse.h"
#include "sema.h"

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touches every byte of a rendered diagnostic so ASan checks the string. */
static size_t consume(const char *s)
{
	return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *src = (const char *)data;
	Arena *a = arena_new();
	if (!a)
		return 0;
	/* Out of memory in the arena jumps back here, as in pybpf_compile(). */
	jmp_buf oom;
	arena_set_oom_jmp(a, &oom);
	if (setjmp(oom) == 0) {
		Diags d;
		diag_init(&d, a, "fuzz.py", src, size);
		AstNode *mod = parse_file(a, &d, src, size);
		if (mod && d.errors == 0) {
			SemaOptions so = {.mcpu = 3};
			sema_check(a, &d, mod, &so);
		}
		diag_sort(&d);
		size_t total = 0;
		for (int i = 0; i < d.items.n; i++)
			total += consume(diag_render(&d, d.items.items[i]));
		(void)total;
	}
	arena_free(a);
	return 0;
}
