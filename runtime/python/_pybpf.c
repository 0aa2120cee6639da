/*
 * _pybpf.c - the loader bindings of the pybpf CPython extension.
 *
 * Marshalling only: every operation is one libpybpf call; the pure-Python
 * package (pybpf/_loader.py) builds the user-facing API on top.
 */
#include "py_internal.h"

#include <pybpf/libpybpf.h>

static PyMethodDef module_methods[] = {
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef pybpf_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "pybpf._pybpf",
	.m_doc = "pybpf loader and compiler bindings (C extension).",
	.m_size = -1,
	.m_methods = module_methods,
};

PyMODINIT_FUNC PyInit__pybpf(void);

PyMODINIT_FUNC PyInit__pybpf(void)
{
	PyObject *m = PyModule_Create(&pybpf_module);

	if (!m)
		return NULL;
	if (PyModule_AddFunctions(m, pybpf_compile_methods) < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
