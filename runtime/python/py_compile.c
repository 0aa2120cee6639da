/*
 * py_compile.c - compiler bindings of the _pybpf extension (compile source
 * to object bytes). Filled by the compile bindings; empty for now.
 */
#include "py_internal.h"

PyMethodDef pybpf_compile_methods[] = {
	{NULL, NULL, 0, NULL},
};
