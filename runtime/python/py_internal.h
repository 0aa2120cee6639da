/*
 * py_internal.h - what the parts of the _pybpf extension share.
 *
 * The extension only marshals Python values to libpybpf calls and back:
 *   _pybpf.c      module, errors, objects, programs, links
 *   py_map.c      maps and the key/value codecs
 *   py_buffer.c   ring buffers, perf buffers, the trace_pipe reader
 *   py_compile.c  compiler bindings (module functions in
 *                 pybpf_compile_methods)
 *   py_btf.c      kernel BTF for the vmlinux module (pybpf_btf_methods)
 * The pure-Python package (pybpf/_loader.py) builds the user-facing API on
 * these types; BpfProgram and BpfMap subclass Program and Map.
 */
#ifndef PYBPF_PY_INTERNAL_H
#define PYBPF_PY_INTERNAL_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pybpf/libpybpf.h>
#include <stdbool.h>

/* Module functions of the compiler bindings (py_compile.c); ends with a
 * {NULL} sentinel. */
extern PyMethodDef pybpf_compile_methods[];
/* Module functions of the kernel BTF bindings (py_btf.c). */
extern PyMethodDef pybpf_btf_methods[];

/* pybpf.BpfError: an OSError subclass (errno, strerror) with a `log`
 * attribute (the libbpf messages and verifier log, or None). */
extern PyObject *pybpf_error_type;

/*
 * Sets BpfError for a failed call: err is an errno (either sign; 0 means
 * "read errno"), the message is "<what>: <strerror>". log may be NULL.
 * Returns NULL so callers can `return pybpf_set_error(...)`.
 */
PyObject *pybpf_set_error(int err, const char *log, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An opened (maybe loaded, maybe closed) object. */
typedef struct {
	PyObject_HEAD struct pybpf_object *obj; /* NULL once closed */
	bool loaded;
} ObjectObject;

extern PyTypeObject pybpf_object_type;
extern PyTypeObject pybpf_map_type;
extern PyTypeObject pybpf_ring_buffer_type;
extern PyTypeObject pybpf_perf_buffer_type;
extern PyTypeObject pybpf_trace_pipe_type;

/* 0 when owner is an open object; else sets BpfError and returns -1. */
int pybpf_check_open(ObjectObject *owner, const char *what);

/* The libpybpf map of a Map instance (NULL with an exception set when the
 * object it belongs to is closed). */
struct pybpf_map *pybpf_map_of(PyObject *map);

#endif
