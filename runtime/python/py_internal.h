/*
 * py_internal.h - what the parts of the _pybpf extension share.
 *
 * _pybpf.c holds the loader bindings (objects, programs, maps, links,
 * buffers); py_compile.c the compiler bindings. Each part contributes module
 * functions through a PyMethodDef table that the module init adds.
 */
#ifndef PYBPF_PY_INTERNAL_H
#define PYBPF_PY_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* Module functions of the compiler bindings (py_compile.c); ends with a
 * {NULL} sentinel. */
extern PyMethodDef pybpf_compile_methods[];

#endif
