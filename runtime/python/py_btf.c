/*
 * py_btf.c - kernel BTF bindings of the _pybpf extension (module functions
 * in pybpf_btf_methods): open the kernel's BTF, find names, describe types,
 * list enum constants, suggest names. Marshalling only (libpybpf's
 * kbtf.c does the work); pybpf/_vmlinux.py builds the ctypes classes.
 *
 * A BTF is handed to Python as a capsule that frees it when collected.
 */
#include "py_internal.h"

#include <errno.h>
#include <stdlib.h>

#define CAPSULE_NAME "pybpf.btf"

static void capsule_free(PyObject *cap)
{
	pybpf_btf__free(PyCapsule_GetPointer(cap, CAPSULE_NAME));
}

static const struct btf *btf_of(PyObject *cap)
{
	return PyCapsule_GetPointer(cap, CAPSULE_NAME);
}

static PyObject *mod_btf_open(PyObject *mod, PyObject *args)
{
	const char *path = NULL;
	struct btf *btf;

	if (!PyArg_ParseTuple(args, "|z:btf_open", &path))
		return NULL;
	if (!path)
		path = pybpf_btf__vmlinux_path();
	Py_BEGIN_ALLOW_THREADS btf = pybpf_btf__open(path);
	Py_END_ALLOW_THREADS if (!btf) return pybpf_set_error(errno, NULL, "reading BTF from %s",
							      path);
	return PyCapsule_New(btf, CAPSULE_NAME, capsule_free);
}

static PyObject *mod_btf_vmlinux_path(PyObject *mod, PyObject *unused)
{
	return PyUnicode_FromString(pybpf_btf__vmlinux_path());
}

static PyObject *mod_btf_find(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	const char *name;
	PyObject *cap;
	int id;

	if (!PyArg_ParseTuple(args, "Os:btf_find", &cap, &name) || !(btf = btf_of(cap)))
		return NULL;
	id = pybpf_btf__find_name(btf, name);
	return PyLong_FromLong(id > 0 ? id : 0);
}

static PyObject *mod_btf_find_kfunc(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	const char *name;
	PyObject *cap;
	int id;

	if (!PyArg_ParseTuple(args, "Os:btf_find_kfunc", &cap, &name) || !(btf = btf_of(cap)))
		return NULL;
	id = pybpf_btf__find_kfunc(btf, name);
	return PyLong_FromLong(id > 0 ? id : id == -EPERM ? -1 : 0);
}

static PyObject *mod_btf_enum_value(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	const char *name;
	long long value;
	PyObject *cap;

	if (!PyArg_ParseTuple(args, "Os:btf_enum_value", &cap, &name) || !(btf = btf_of(cap)))
		return NULL;
	if (pybpf_btf__find_enum_value(btf, name, &value) < 0)
		Py_RETURN_NONE;
	return PyLong_FromLongLong(value);
}

/* Calls an snprintf-like writer twice: for the length, then for the text.
 * Returns None when it fails with ENOENT. */
typedef int (*writer_fn)(const struct btf *btf, const void *arg, char *buf, size_t size);

static PyObject *call_writer(const struct btf *btf, writer_fn fn, const void *arg, const char *what)
{
	char small[512], *buf = small;
	PyObject *res;
	int n = fn(btf, arg, small, sizeof(small));

	if (n < 0) {
		if (n == -ENOENT)
			Py_RETURN_NONE;
		return pybpf_set_error(n, NULL, "%s", what);
	}
	if ((size_t)n >= sizeof(small)) {
		buf = malloc((size_t)n + 1);
		if (!buf)
			return PyErr_NoMemory();
		n = fn(btf, arg, buf, (size_t)n + 1);
		if (n < 0) {
			free(buf);
			return pybpf_set_error(n, NULL, "%s", what);
		}
	}
	res = PyUnicode_DecodeUTF8(buf, n, "replace");
	if (buf != small)
		free(buf);
	return res;
}

static int write_describe(const struct btf *btf, const void *arg, char *buf, size_t size)
{
	return pybpf_btf__describe_shallow(btf, *(const __u32 *)arg, buf, size);
}

static int write_enums(const struct btf *btf, const void *arg, char *buf, size_t size)
{
	return pybpf_btf__enum_constants(btf, buf, size);
}

static int write_suggest(const struct btf *btf, const void *arg, char *buf, size_t size)
{
	return pybpf_btf__suggest(btf, arg, buf, size);
}

static PyObject *mod_btf_describe(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	unsigned int id;
	PyObject *cap;
	__u32 id32;

	if (!PyArg_ParseTuple(args, "OI:btf_describe", &cap, &id) || !(btf = btf_of(cap)))
		return NULL;
	id32 = id;
	return call_writer(btf, write_describe, &id32, "describing a BTF type");
}

static PyObject *mod_btf_enum_constants(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	PyObject *cap;

	if (!PyArg_ParseTuple(args, "O:btf_enum_constants", &cap) || !(btf = btf_of(cap)))
		return NULL;
	return call_writer(btf, write_enums, NULL, "listing enum constants");
}

static PyObject *mod_btf_suggest(PyObject *mod, PyObject *args)
{
	const struct btf *btf;
	const char *name;
	PyObject *cap;

	if (!PyArg_ParseTuple(args, "Os:btf_suggest", &cap, &name) || !(btf = btf_of(cap)))
		return NULL;
	return call_writer(btf, write_suggest, name, "suggesting a name");
}

PyMethodDef pybpf_btf_methods[] = {
	{"btf_open", mod_btf_open, METH_VARARGS,
	 "btf_open(path=None) -> capsule\n\nReads a BTF file (None: the kernel's, "
	 "$PYBPF_VMLINUX_BTF or /sys/kernel/btf/vmlinux). Raises BpfError."},
	{"btf_vmlinux_path", mod_btf_vmlinux_path, METH_NOARGS,
	 "The file btf_open() reads by default."},
	{"btf_find", mod_btf_find, METH_VARARGS,
	 "btf_find(btf, name) -> type id, 0 when unknown (struct_X, union_X, enum_X or plain)."},
	{"btf_find_kfunc", mod_btf_find_kfunc, METH_VARARGS,
	 "btf_find_kfunc(btf, name) -> FUNC id of a kfunc, 0 when no function has the name, "
	 "-1 when the function is not a kfunc."},
	{"btf_enum_value", mod_btf_enum_value, METH_VARARGS,
	 "btf_enum_value(btf, name) -> int, or None when no enum has that constant."},
	{"btf_describe", mod_btf_describe, METH_VARARGS,
	 "btf_describe(btf, type_id) -> JSON text (pybpf_btf__describe_shallow)."},
	{"btf_enum_constants", mod_btf_enum_constants, METH_VARARGS,
	 "btf_enum_constants(btf) -> JSON object of every enum constant."},
	{"btf_suggest", mod_btf_suggest, METH_VARARGS,
	 "btf_suggest(btf, name) -> the closest known name, or None."},
	{NULL, NULL, 0, NULL},
};
