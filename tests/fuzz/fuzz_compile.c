/*
 * fuzz_compile.c - libFuzzer harness over the whole compiler: pybpf_compile()
 * from source bytes to a BPF object (front end, sema, lowering to LLVM IR,
 * BTF, LLVM's BPF back end).
 *
 * Each input is compiled once with the default options. The outcome must be
 * what compile.h promises: 0 with an object, or 1 with at least one error and
 * no object; never an internal compiler error. Anything else aborts, so
 * libFuzzer saves the input. LLVM makes each run slow (milliseconds), so this
 * harness is built but not run by ctest; run it by hand (tests/fuzz/README.md).
 * Our sources are instrumented (ASan, UBSan, coverage); the static LLVM
 * libraries are not.
 */
#include "pybpf/compile.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = "fuzz.py");
	struct pybpf_result *res = NULL;
	int rc = pybpf_compile((const char *)data, size, &opts, &res);
	size_t out_len;
	const void *out = pybpf_result__output(res, &out_len);
	int bad = 0;
	if (rc != 0 && rc != 1)
		bad = 1;
	if (rc == 1 && (pybpf_result__error_cnt(res) == 0 || out))
		bad = 1;
	if (rc == 0 && (!out || out_len == 0))
		bad = 1;
	for (size_t i = 0; i < pybpf_result__diag_cnt(res); i++)
		if (strncmp(pybpf_result__diag(res, i)->message, "internal compiler", 17) == 0)
			bad = 1;
	if (bad) {
		fprintf(stderr, "fuzz_compile: bad outcome rc=%d\n%s", rc,
			pybpf_result__diags_text(res));
		abort();
	}
	pybpf_result__free(res);
	return 0;
}
