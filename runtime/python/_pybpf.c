/*
 * _pybpf.c - the loader bindings of the pybpf CPython extension: the module,
 * BpfError, and the Object, Program and Link types.
 *
 * Marshalling only: every method converts its arguments, makes one libpybpf
 * call (with the GIL released where the call may take a while: loading runs
 * the verifier) and converts the result or raises BpfError. The pure-Python
 * package (pybpf/_loader.py) builds the user-facing API on top.
 */
#include "py_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef PYBPF_VERSION_STRING
#define PYBPF_VERSION_STRING "0.0.0"
#endif

/* ---- errors ------------------------------------------------------------ */

PyObject *pybpf_error_type;

PyObject *pybpf_set_error(int err, const char *log, const char *fmt, ...)
{
	char what[512], reason[256], msg[800];
	PyObject *exc;
	va_list ap;

	if (err == 0)
		err = errno ? errno : EINVAL;
	if (err < 0)
		err = -err;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	pybpf_strerror(err, reason, sizeof(reason));
	snprintf(msg, sizeof(msg), "%s: %s", what, reason);
	exc = PyObject_CallFunction(pybpf_error_type, "is", err, msg);
	if (!exc)
		return NULL;
	if (log && *log) {
		PyObject *text = PyUnicode_DecodeUTF8(log, (Py_ssize_t)strlen(log), "replace");

		if (!text || PyObject_SetAttrString(exc, "log", text) < 0) {
			Py_XDECREF(text);
			Py_DECREF(exc);
			return NULL;
		}
		Py_DECREF(text);
	}
	PyErr_SetObject(pybpf_error_type, exc);
	Py_DECREF(exc);
	return NULL;
}

/* Messages of libpybpf and libbpf: silent unless PYBPF_DEBUG is set (what
 * matters of them comes back in BpfError.log). Never touches Python, so it
 * may run with the GIL released. */
static bool print_verbose;

static int print_fn(enum pybpf_print_level level, const char *format, va_list args)
{
	if (!print_verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

/* ---- objects ----------------------------------------------------------- */

int pybpf_check_open(ObjectObject *owner, const char *what)
{
	if (owner->obj)
		return 0;
	pybpf_set_error(EBADF, NULL, "%s: the object is closed", what);
	return -1;
}

static ObjectObject *object_new(struct pybpf_object *obj)
{
	ObjectObject *self = PyObject_New(ObjectObject, &pybpf_object_type);

	if (!self) {
		pybpf_object__close(obj);
		return NULL;
	}
	self->obj = obj;
	self->loaded = false;
	return self;
}

static void object_dealloc(ObjectObject *self)
{
	pybpf_object__close(self->obj);
	PyObject_Free(self);
}

/* The options shared by open_file and open_mem. */
struct open_args {
	const char *name, *pin_root_path, *btf_custom_path;
	unsigned int kernel_log_level;
};

static PyObject *open_common(const char *path, Py_buffer *data, const struct open_args *a)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .object_name = a->name,
		      .kernel_log_level = a->kernel_log_level, .pin_root_path = a->pin_root_path,
		      .btf_custom_path = a->btf_custom_path);
	struct pybpf_object *obj;
	int err;

	Py_BEGIN_ALLOW_THREADS;
	if (path)
		obj = pybpf_object__open_file(path, &opts);
	else
		obj = pybpf_object__open_mem(data->buf, (size_t)data->len, &opts);
	err = errno;
	Py_END_ALLOW_THREADS;
	if (!obj) {
		if (path)
			return pybpf_set_error(err, NULL, "open '%s' failed", path);
		return pybpf_set_error(err, NULL, "open failed");
	}
	return (PyObject *)object_new(obj);
}

static char *open_kwlist[] = {"source",		 "name", "kernel_log_level", "pin_root_path",
			      "btf_custom_path", NULL};

/* open_file(path, *, name=None, kernel_log_level=0, pin_root_path=None,
 *           btf_custom_path=None) -> Object (not loaded) */
static PyObject *mod_open_file(PyObject *mod, PyObject *args, PyObject *kw)
{
	struct open_args a = {0};
	PyObject *path_obj = NULL, *ret;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|$zIzz:open_file", open_kwlist,
					 PyUnicode_FSConverter, &path_obj, &a.name,
					 &a.kernel_log_level, &a.pin_root_path, &a.btf_custom_path))
		return NULL;
	ret = open_common(PyBytes_AS_STRING(path_obj), NULL, &a);
	Py_DECREF(path_obj);
	return ret;
}

/* open_mem(data, *, name=None, ...) -> Object (not loaded) */
static PyObject *mod_open_mem(PyObject *mod, PyObject *args, PyObject *kw)
{
	struct open_args a = {0};
	Py_buffer data;
	PyObject *ret;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "y*|$zIzz:open_mem", open_kwlist, &data, &a.name,
					 &a.kernel_log_level, &a.pin_root_path, &a.btf_custom_path))
		return NULL;
	ret = open_common(NULL, &data, &a);
	PyBuffer_Release(&data);
	return ret;
}

/* Sets attribute name of exc to a str (NULL: None) or an int (text NULL,
 * num >= 0; 0 means None); 0 or -1. */
static int set_attr(PyObject *exc, const char *name, const char *text, long num)
{
	PyObject *v;
	int r;

	if (text)
		v = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), "replace");
	else if (num > 0)
		v = PyLong_FromLong(num);
	else
		v = Py_NewRef(Py_None);
	if (!v)
		return -1;
	r = PyObject_SetAttrString(exc, name, v);
	Py_DECREF(v);
	return r;
}

/*
 * The BpfError of a failed load is set: when the verifier rejected a
 * program, adds where (pybpf_object__load_error()): program, message,
 * filename, lineno, col (None when unknown). Returns NULL.
 */
static PyObject *add_rejection(const struct pybpf_object *obj)
{
	LIBPYBPF_OPTS(pybpf_load_error, le);
	PyObject *exc;

	if (pybpf_object__load_error(obj, &le) < 0)
		return NULL;
#if PY_VERSION_HEX >= 0x030C0000
	exc = PyErr_GetRaisedException();
#else
	PyObject *type, *tb;
	PyErr_Fetch(&type, &exc, &tb);
	PyErr_NormalizeException(&type, &exc, &tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
#endif
	if (!exc)
		return NULL;
	if (set_attr(exc, "program", le.prog_name, 0) < 0 ||
	    set_attr(exc, "message", le.message, 0) < 0 ||
	    set_attr(exc, "filename", le.line > 0 ? le.file : NULL, 0) < 0 ||
	    set_attr(exc, "lineno", NULL, le.line) < 0 ||
	    set_attr(exc, "col", NULL, le.line > 0 ? le.col : 0) < 0) {
		Py_DECREF(exc);
		return NULL;
	}
	PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
	Py_DECREF(exc);
	return NULL;
}

static PyObject *object_load(ObjectObject *self, PyObject *unused)
{
	int err;

	if (pybpf_check_open(self, "load"))
		return NULL;
	if (self->loaded)
		return pybpf_set_error(EALREADY, NULL, "object '%s': load",
				       pybpf_object__name(self->obj));
	Py_BEGIN_ALLOW_THREADS;
	err = pybpf_object__load(self->obj);
	Py_END_ALLOW_THREADS;
	if (err < 0) {
		pybpf_set_error(err, pybpf_object__load_log(self->obj), "object '%s': load failed",
				pybpf_object__name(self->obj));
		return add_rejection(self->obj);
	}
	self->loaded = true;
	Py_RETURN_NONE;
}

static PyObject *object_close(ObjectObject *self, PyObject *unused)
{
	struct pybpf_object *obj = self->obj;

	self->obj = NULL;
	pybpf_object__close(obj);
	Py_RETURN_NONE;
}

static PyObject *object_attach_all(ObjectObject *self, PyObject *unused)
{
	int n;

	if (pybpf_check_open(self, "attach_all"))
		return NULL;
	n = pybpf_object__attach_all(self->obj);
	if (n < 0)
		return pybpf_set_error(n, NULL, "object '%s': attach_all failed",
				       pybpf_object__name(self->obj));
	return PyLong_FromLong(n);
}

static PyObject *object_detach_all(ObjectObject *self, PyObject *unused)
{
	if (self->obj)
		pybpf_object__detach_all(self->obj);
	Py_RETURN_NONE;
}

/* program_names() -> [str], in ELF order */
static PyObject *object_program_names(ObjectObject *self, PyObject *unused)
{
	struct pybpf_program *prog;
	PyObject *list;

	if (pybpf_check_open(self, "programs"))
		return NULL;
	list = PyList_New(0);
	if (!list)
		return NULL;
	pybpf_object__for_each_program (prog, self->obj) {
		PyObject *name = PyUnicode_FromString(pybpf_program__name(prog));

		if (!name || PyList_Append(list, name) < 0) {
			Py_XDECREF(name);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(name);
	}
	return list;
}

/* map_names() -> [str], in ELF order (internal maps included) */
static PyObject *object_map_names(ObjectObject *self, PyObject *unused)
{
	struct pybpf_map *map;
	PyObject *list;

	if (pybpf_check_open(self, "maps"))
		return NULL;
	list = PyList_New(0);
	if (!list)
		return NULL;
	pybpf_object__for_each_map (map, self->obj) {
		PyObject *name = PyUnicode_FromString(pybpf_map__name(map));

		if (!name || PyList_Append(list, name) < 0) {
			Py_XDECREF(name);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(name);
	}
	return list;
}

static PyObject *object_get_name(ObjectObject *self, void *closure)
{
	if (pybpf_check_open(self, "name"))
		return NULL;
	return PyUnicode_FromString(pybpf_object__name(self->obj));
}

static PyObject *object_get_load_log(ObjectObject *self, void *closure)
{
	if (pybpf_check_open(self, "load_log"))
		return NULL;
	return PyUnicode_DecodeUTF8(pybpf_object__load_log(self->obj),
				    (Py_ssize_t)strlen(pybpf_object__load_log(self->obj)),
				    "replace");
}

static PyObject *object_get_loaded(ObjectObject *self, void *closure)
{
	return PyBool_FromLong(self->loaded);
}

static PyObject *object_get_closed(ObjectObject *self, void *closure)
{
	return PyBool_FromLong(self->obj == NULL);
}

/* _btf_describe(type_id) -> JSON text, or None without BTF */
static PyObject *object_btf_describe(ObjectObject *self, PyObject *arg)
{
	const struct btf *btf;
	unsigned long id;
	char small[512], *buf = small;
	int n;
	PyObject *ret;

	if (pybpf_check_open(self, "btf"))
		return NULL;
	id = PyLong_AsUnsignedLong(arg);
	if (id == (unsigned long)-1 && PyErr_Occurred())
		return NULL;
	btf = pybpf_object__btf(self->obj);
	if (!btf)
		Py_RETURN_NONE;
	n = pybpf_btf__describe(btf, (__u32)id, small, sizeof(small));
	if (n >= (int)sizeof(small)) {
		buf = PyMem_Malloc((size_t)n + 1);
		if (!buf)
			return PyErr_NoMemory();
		n = pybpf_btf__describe(btf, (__u32)id, buf, (size_t)n + 1);
	}
	if (n < 0)
		ret = pybpf_set_error(n, NULL, "BTF type %lu: describe failed", id);
	else
		ret = PyUnicode_FromStringAndSize(buf, n);
	if (buf != small)
		PyMem_Free(buf);
	return ret;
}

/* _btf_format(type_id, data) -> text (pybpf_btf__format) */
static PyObject *object_btf_format(ObjectObject *self, PyObject *args)
{
	const struct btf *btf;
	unsigned int id;
	Py_buffer data;
	char small[1024], *buf = small;
	int n;
	PyObject *ret;

	if (!PyArg_ParseTuple(args, "Iy*:_btf_format", &id, &data))
		return NULL;
	if (pybpf_check_open(self, "btf")) {
		PyBuffer_Release(&data);
		return NULL;
	}
	btf = pybpf_object__btf(self->obj);
	if (!btf) {
		PyBuffer_Release(&data);
		return pybpf_set_error(ENOENT, NULL, "object has no BTF");
	}
	n = pybpf_btf__format(btf, id, data.buf, (size_t)data.len, small, sizeof(small));
	if (n >= (int)sizeof(small)) {
		buf = PyMem_Malloc((size_t)n + 1);
		if (!buf) {
			PyBuffer_Release(&data);
			return PyErr_NoMemory();
		}
		n = pybpf_btf__format(btf, id, data.buf, (size_t)data.len, buf, (size_t)n + 1);
	}
	PyBuffer_Release(&data);
	if (n < 0)
		ret = pybpf_set_error(n, NULL, "BTF type %u: format failed", id);
	else
		ret = PyUnicode_DecodeUTF8(buf, n, "replace");
	if (buf != small)
		PyMem_Free(buf);
	return ret;
}

/* _globals() -> [(name, size, btf_type_id, section)] */
static PyObject *object_globals(ObjectObject *self, PyObject *unused)
{
	struct pybpf_global *g;
	PyObject *list;

	if (pybpf_check_open(self, "globals"))
		return NULL;
	list = PyList_New(0);
	if (!list)
		return NULL;
	pybpf_object__for_each_global(g, self->obj)
	{
		PyObject *item = Py_BuildValue(
			"(snIs)", pybpf_global__name(g), (Py_ssize_t)pybpf_global__size(g),
			pybpf_global__btf_type_id(g), pybpf_global__section(g));

		if (!item || PyList_Append(list, item) < 0) {
			Py_XDECREF(item);
			Py_DECREF(list);
			return NULL;
		}
		Py_DECREF(item);
	}
	return list;
}

static struct pybpf_global *find_global(ObjectObject *self, const char *name)
{
	struct pybpf_global *g;

	if (pybpf_check_open(self, "global"))
		return NULL;
	g = pybpf_object__find_global(self->obj, name);
	if (!g)
		PyErr_Format(PyExc_AttributeError, "no global '%s' in object '%s'", name,
			     pybpf_object__name(self->obj));
	return g;
}

/* _global_read(name) -> bytes */
static PyObject *object_global_read(ObjectObject *self, PyObject *args)
{
	struct pybpf_global *g;
	const char *name;
	PyObject *bytes;
	int err;

	if (!PyArg_ParseTuple(args, "s:_global_read", &name) || !(g = find_global(self, name)))
		return NULL;
	bytes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)pybpf_global__size(g));
	if (!bytes)
		return NULL;
	err = pybpf_global__read(g, PyBytes_AS_STRING(bytes), pybpf_global__size(g));
	if (err < 0) {
		Py_DECREF(bytes);
		return pybpf_set_error(err, NULL, "global '%s': read failed", name);
	}
	return bytes;
}

/* _global_write(name, data) */
static PyObject *object_global_write(ObjectObject *self, PyObject *args)
{
	struct pybpf_global *g;
	const char *name;
	Py_buffer data;
	int err;

	if (!PyArg_ParseTuple(args, "sy*:_global_write", &name, &data))
		return NULL;
	g = find_global(self, name);
	if (!g) {
		PyBuffer_Release(&data);
		return NULL;
	}
	err = pybpf_global__write(g, data.buf, (size_t)data.len);
	PyBuffer_Release(&data);
	if (err < 0)
		return pybpf_set_error(err, NULL, "global '%s': write failed", name);
	Py_RETURN_NONE;
}

static PyMethodDef object_methods[] = {
	{"load", (PyCFunction)object_load, METH_NOARGS,
	 "Creates the maps and loads the programs (the verifier runs here)."},
	{"close", (PyCFunction)object_close, METH_NOARGS,
	 "Detaches, unloads and frees; idempotent."},
	{"attach_all", (PyCFunction)object_attach_all, METH_NOARGS,
	 "Attaches every program its section tells how to; returns how many."},
	{"detach_all", (PyCFunction)object_detach_all, METH_NOARGS,
	 "Destroys the links made by attach_all()."},
	{"program_names", (PyCFunction)object_program_names, METH_NOARGS,
	 "Names of the programs, in ELF order."},
	{"map_names", (PyCFunction)object_map_names, METH_NOARGS,
	 "Names of the maps, in ELF order."},
	{"_btf_describe", (PyCFunction)object_btf_describe, METH_O,
	 "_btf_describe(type_id) -> JSON text, or None without BTF"},
	{"_btf_format", (PyCFunction)object_btf_format, METH_VARARGS,
	 "_btf_format(type_id, data) -> text"},
	{"_globals", (PyCFunction)object_globals, METH_NOARGS,
	 "_globals() -> [(name, size, btf_type_id, section)]"},
	{"_global_read", (PyCFunction)object_global_read, METH_VARARGS,
	 "_global_read(name) -> bytes"},
	{"_global_write", (PyCFunction)object_global_write, METH_VARARGS,
	 "_global_write(name, data)"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef object_getset[] = {
	{"name", (getter)object_get_name, NULL, "object name", NULL},
	{"load_log", (getter)object_get_load_log, NULL, "libbpf messages and verifier log", NULL},
	{"loaded", (getter)object_get_loaded, NULL, "whether load() succeeded", NULL},
	{"closed", (getter)object_get_closed, NULL, "whether close() was called", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject pybpf_object_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.Object",
	.tp_basicsize = sizeof(ObjectObject),
	.tp_dealloc = (destructor)object_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "An opened BPF object (from open_file or open_mem).",
	.tp_methods = object_methods,
	.tp_getset = object_getset,
};

/* ---- links ------------------------------------------------------------- */

typedef struct {
	PyObject_HEAD struct pybpf_link *link; /* NULL once destroyed */
} LinkObject;

static PyTypeObject link_type;

static PyObject *link_wrap(struct pybpf_link *link)
{
	LinkObject *self = PyObject_New(LinkObject, &link_type);

	if (!self) {
		pybpf_link__destroy(link);
		return NULL;
	}
	self->link = link;
	return (PyObject *)self;
}

static void link_dealloc(LinkObject *self)
{
	pybpf_link__destroy(self->link);
	PyObject_Free(self);
}

static PyObject *link_destroy(LinkObject *self, PyObject *unused)
{
	struct pybpf_link *link = self->link;
	int err;

	self->link = NULL;
	err = pybpf_link__destroy(link);
	if (err < 0)
		return pybpf_set_error(err, NULL, "link destroy failed");
	Py_RETURN_NONE;
}

static int link_check(LinkObject *self, const char *what)
{
	if (self->link)
		return 0;
	pybpf_set_error(EBADF, NULL, "link %s: the link is destroyed", what);
	return -1;
}

static PyObject *link_pin(LinkObject *self, PyObject *args)
{
	PyObject *path;
	int err;

	if (!PyArg_ParseTuple(args, "O&:pin", PyUnicode_FSConverter, &path))
		return NULL;
	if (link_check(self, "pin")) {
		Py_DECREF(path);
		return NULL;
	}
	err = pybpf_link__pin(self->link, PyBytes_AS_STRING(path));
	if (err < 0)
		pybpf_set_error(err, NULL, "link pin '%s' failed", PyBytes_AS_STRING(path));
	Py_DECREF(path);
	if (err < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *link_unpin(LinkObject *self, PyObject *unused)
{
	int err;

	if (link_check(self, "unpin"))
		return NULL;
	err = pybpf_link__unpin(self->link);
	if (err < 0)
		return pybpf_set_error(err, NULL, "link unpin failed");
	Py_RETURN_NONE;
}

static PyObject *link_enter(PyObject *self, PyObject *unused)
{
	return Py_NewRef(self);
}

static PyObject *link_exit(LinkObject *self, PyObject *args)
{
	return link_destroy(self, NULL);
}

static PyObject *link_get_fd(LinkObject *self, void *closure)
{
	return PyLong_FromLong(self->link ? pybpf_link__fd(self->link) : -1);
}

static PyObject *link_get_destroyed(LinkObject *self, void *closure)
{
	return PyBool_FromLong(self->link == NULL);
}

/* open_pinned_link(path) -> Link */
static PyObject *mod_open_pinned_link(PyObject *mod, PyObject *args)
{
	struct pybpf_link *link;
	PyObject *path;

	if (!PyArg_ParseTuple(args, "O&:open_pinned_link", PyUnicode_FSConverter, &path))
		return NULL;
	link = pybpf_link__open_pinned(PyBytes_AS_STRING(path));
	if (!link)
		pybpf_set_error(0, NULL, "open pinned link '%s' failed", PyBytes_AS_STRING(path));
	Py_DECREF(path);
	return link ? link_wrap(link) : NULL;
}

static PyMethodDef link_methods[] = {
	{"destroy", (PyCFunction)link_destroy, METH_NOARGS,
	 "Detaches the program (unless the link is pinned); idempotent."},
	{"pin", (PyCFunction)link_pin, METH_VARARGS, "pin(path): pins the link in a bpffs."},
	{"unpin", (PyCFunction)link_unpin, METH_NOARGS, "Removes the link's pin."},
	{"__enter__", (PyCFunction)link_enter, METH_NOARGS, NULL},
	{"__exit__", (PyCFunction)link_exit, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef link_getset[] = {
	{"fd", (getter)link_get_fd, NULL, "the link's fd (-1 after destroy, <0 without one)", NULL},
	{"destroyed", (getter)link_get_destroyed, NULL, "whether destroy() was called", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject link_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf.BpfLink",
	.tp_basicsize = sizeof(LinkObject),
	.tp_dealloc = (destructor)link_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "An attached program; destroy() (or garbage collection) detaches it.",
	.tp_methods = link_methods,
	.tp_getset = link_getset,
};

/* ---- programs ---------------------------------------------------------- */

typedef struct {
	PyObject_HEAD ObjectObject *owner;
	struct pybpf_program *prog;
} ProgramObject;

static int program_init(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"owner", "name", NULL};
	ObjectObject *owner;
	const char *name;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!s:Program", kwlist, &pybpf_object_type,
					 &owner, &name))
		return -1;
	if (pybpf_check_open(owner, "program"))
		return -1;
	self->prog = pybpf_object__find_program_by_name(owner->obj, name);
	if (!self->prog) {
		PyErr_Format(PyExc_KeyError, "no program '%s' in object '%s'", name,
			     pybpf_object__name(owner->obj));
		return -1;
	}
	Py_INCREF(owner);
	Py_XSETREF(self->owner, owner);
	return 0;
}

static void program_dealloc(ProgramObject *self)
{
	PyObject_GC_UnTrack(self);
	Py_CLEAR(self->owner);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int program_traverse(ProgramObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->owner);
	return 0;
}

static int program_clear(ProgramObject *self)
{
	Py_CLEAR(self->owner);
	return 0;
}

/* The program, or NULL with BpfError when its object is closed. */
static struct pybpf_program *prog_of(ProgramObject *self, const char *what)
{
	if (!self->owner || !self->prog) {
		PyErr_SetString(PyExc_RuntimeError, "Program is not initialised");
		return NULL;
	}
	if (pybpf_check_open(self->owner, what))
		return NULL;
	return self->prog;
}

/* The result of an attach: a Link, or BpfError naming the program. */
static PyObject *attach_result(struct pybpf_program *prog, struct pybpf_link *link, int err,
			       const char *kind)
{
	if (!link)
		return pybpf_set_error(err, NULL, "program '%s': attach %s failed",
				       pybpf_program__name(prog), kind);
	return link_wrap(link);
}

static PyObject *program_attach(ProgramObject *self, PyObject *unused)
{
	struct pybpf_program *prog = prog_of(self, "attach");
	struct pybpf_link *link;

	if (!prog)
		return NULL;
	link = pybpf_program__attach(prog);
	return attach_result(prog, link, errno, "");
}

static PyObject *program_attach_tracepoint(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"category", "name", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_tracepoint");
	const char *category, *name;
	struct pybpf_link *link;

	if (!prog || !PyArg_ParseTupleAndKeywords(args, kw, "ss:attach_tracepoint", kwlist,
						  &category, &name))
		return NULL;
	link = pybpf_program__attach_tracepoint(prog, category, name);
	return attach_result(prog, link, errno, "tracepoint");
}

static PyObject *program_attach_raw_tracepoint(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"name", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_raw_tracepoint");
	struct pybpf_link *link;
	const char *name;

	if (!prog ||
	    !PyArg_ParseTupleAndKeywords(args, kw, "s:attach_raw_tracepoint", kwlist, &name))
		return NULL;
	link = pybpf_program__attach_raw_tracepoint(prog, name);
	return attach_result(prog, link, errno, "raw tracepoint");
}

static PyObject *program_attach_kprobe(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"func", "retprobe", "offset", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_kprobe");
	unsigned long long offset = 0;
	struct pybpf_link *link;
	const char *func;
	int retprobe = 0;

	if (!prog || !PyArg_ParseTupleAndKeywords(args, kw, "s|pK:attach_kprobe", kwlist, &func,
						  &retprobe, &offset))
		return NULL;
	link = pybpf_program__attach_kprobe(prog, retprobe, func, offset);
	return attach_result(prog, link, errno, retprobe ? "kretprobe" : "kprobe");
}

static PyObject *program_attach_uprobe(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"binary", "func", "offset", "pid", "retprobe", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_uprobe");
	const char *func = NULL;
	Py_ssize_t offset = 0;
	struct pybpf_link *link;
	PyObject *binary;
	int pid = -1, retprobe = 0, err;

	if (!prog || !PyArg_ParseTupleAndKeywords(args, kw, "O&|znip:attach_uprobe", kwlist,
						  PyUnicode_FSConverter, &binary, &func, &offset,
						  &pid, &retprobe))
		return NULL;
	if (offset < 0) {
		Py_DECREF(binary);
		PyErr_SetString(PyExc_ValueError, "offset must not be negative");
		return NULL;
	}
	link = pybpf_program__attach_uprobe(prog, retprobe, pid, PyBytes_AS_STRING(binary), func,
					    (size_t)offset);
	err = errno;
	Py_DECREF(binary);
	return attach_result(prog, link, err, retprobe ? "uretprobe" : "uprobe");
}

static PyObject *program_attach_usdt(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"binary", "provider", "name", "pid", "cookie", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_usdt");
	const char *provider, *name;
	unsigned long long cookie = 0;
	struct pybpf_link *link;
	PyObject *binary;
	int pid = -1, err;

	if (!prog || !PyArg_ParseTupleAndKeywords(args, kw, "O&ss|iK:attach_usdt", kwlist,
						  PyUnicode_FSConverter, &binary, &provider, &name,
						  &pid, &cookie))
		return NULL;
	link = pybpf_program__attach_usdt(prog, pid, PyBytes_AS_STRING(binary), provider, name,
					  cookie);
	err = errno;
	Py_DECREF(binary);
	return attach_result(prog, link, err, "usdt");
}

static PyObject *program_attach_xdp(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"ifindex", "flags", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_xdp");
	unsigned int flags = 0;
	struct pybpf_link *link;
	int ifindex;

	if (!prog ||
	    !PyArg_ParseTupleAndKeywords(args, kw, "i|I:attach_xdp", kwlist, &ifindex, &flags))
		return NULL;
	link = pybpf_program__attach_xdp(prog, ifindex, flags);
	return attach_result(prog, link, errno, "xdp");
}

static PyObject *program_attach_tc(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"ifindex", "egress", "priority", "handle", NULL};
	struct pybpf_program *prog = prog_of(self, "attach_tc");
	unsigned int priority = 0, handle = 0;
	struct pybpf_link *link;
	int ifindex, egress = 0;

	if (!prog || !PyArg_ParseTupleAndKeywords(args, kw, "i|pII:attach_tc", kwlist, &ifindex,
						  &egress, &priority, &handle))
		return NULL;
	link = pybpf_program__attach_tc(prog, ifindex, egress ? PYBPF_TC_EGRESS : PYBPF_TC_INGRESS,
					priority, handle);
	return attach_result(prog, link, errno, "tc");
}

/* attach_socket(fd), attach_cgroup(fd), attach_perf_event(fd) */
static PyObject *program_attach_fd(ProgramObject *self, PyObject *args, int kind)
{
	static const char *names[] = {"socket", "cgroup", "perf_event"};
	struct pybpf_program *prog = prog_of(self, "attach");
	struct pybpf_link *link;
	int fd;

	if (!prog || !PyArg_ParseTuple(args, "i", &fd))
		return NULL;
	if (kind == 0)
		link = pybpf_program__attach_socket(prog, fd);
	else if (kind == 1)
		link = pybpf_program__attach_cgroup(prog, fd);
	else
		link = pybpf_program__attach_perf_event(prog, fd);
	return attach_result(prog, link, errno, names[kind]);
}

static PyObject *program_attach_socket(ProgramObject *self, PyObject *args)
{
	return program_attach_fd(self, args, 0);
}

static PyObject *program_attach_cgroup(ProgramObject *self, PyObject *args)
{
	return program_attach_fd(self, args, 1);
}

static PyObject *program_attach_perf_event(ProgramObject *self, PyObject *args)
{
	return program_attach_fd(self, args, 2);
}

/* test_run(data=b"", ctx=None, repeat=1, data_out_size=None, ctx_out_size=0,
 *          flags=0, cpu=0) -> (retval, data_out, ctx_out, duration_ns) */
static PyObject *program_test_run(ProgramObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"data",	 "ctx",	  "repeat", "data_out_size",
				 "ctx_out_size", "flags", "cpu",    NULL};
	struct pybpf_program *prog = prog_of(self, "test_run");
	Py_buffer data = {0}, ctx = {0};
	Py_ssize_t data_out_size = -1, ctx_out_size = 0;
	unsigned int repeat = 1, flags = 0, cpu = 0;
	PyObject *data_out = NULL, *ctx_out = NULL, *ret = NULL;
	int err;

	if (!prog ||
	    !PyArg_ParseTupleAndKeywords(args, kw, "|y*y*InnII:test_run", kwlist, &data, &ctx,
					 &repeat, &data_out_size, &ctx_out_size, &flags, &cpu))
		return NULL;
	if (data_out_size < 0)
		data_out_size = data.buf ? data.len + 256 : 0;
	data_out = PyBytes_FromStringAndSize(NULL, data_out_size);
	ctx_out = PyBytes_FromStringAndSize(NULL, ctx_out_size);
	if (!data_out || !ctx_out)
		goto out;
	LIBPYBPF_OPTS(
		pybpf_test_run_opts, opts, .data_in = data.buf, .data_size_in = (__u32)data.len,
		.data_out = data_out_size ? PyBytes_AS_STRING(data_out) : NULL,
		.data_size_out = (__u32)data_out_size, .ctx_in = ctx.buf,
		.ctx_size_in = (__u32)ctx.len,
		.ctx_out = ctx_out_size ? PyBytes_AS_STRING(ctx_out) : NULL,
		.ctx_size_out = (__u32)ctx_out_size, .repeat = repeat, .flags = flags, .cpu = cpu);
	Py_BEGIN_ALLOW_THREADS;
	err = pybpf_program__test_run(prog, &opts);
	Py_END_ALLOW_THREADS;
	if (err < 0) {
		pybpf_set_error(err, NULL, "program '%s': test_run failed",
				pybpf_program__name(prog));
		goto out;
	}
	if (_PyBytes_Resize(&data_out, data_out_size ? opts.data_size_out : 0) < 0 ||
	    _PyBytes_Resize(&ctx_out, ctx_out_size ? opts.ctx_size_out : 0) < 0)
		goto out;
	ret = Py_BuildValue("(IOOI)", opts.retval, data_out, ctx_out, opts.duration);
out:
	Py_XDECREF(data_out);
	Py_XDECREF(ctx_out);
	if (data.buf)
		PyBuffer_Release(&data);
	if (ctx.buf)
		PyBuffer_Release(&ctx);
	return ret;
}

static PyObject *program_pin_common(ProgramObject *self, PyObject *args, bool pin)
{
	struct pybpf_program *prog = prog_of(self, pin ? "pin" : "unpin");
	PyObject *path;
	int err;

	if (!prog || !PyArg_ParseTuple(args, "O&", PyUnicode_FSConverter, &path))
		return NULL;
	err = pin ? pybpf_program__pin(prog, PyBytes_AS_STRING(path))
		  : pybpf_program__unpin(prog, PyBytes_AS_STRING(path));
	if (err < 0)
		pybpf_set_error(err, NULL, "program '%s': %s '%s' failed",
				pybpf_program__name(prog), pin ? "pin" : "unpin",
				PyBytes_AS_STRING(path));
	Py_DECREF(path);
	if (err < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *program_pin(ProgramObject *self, PyObject *args)
{
	return program_pin_common(self, args, true);
}

static PyObject *program_unpin(ProgramObject *self, PyObject *args)
{
	return program_pin_common(self, args, false);
}

/* _info() -> dict of what the kernel reports */
static PyObject *program_info(ProgramObject *self, PyObject *unused)
{
	struct pybpf_program *prog = prog_of(self, "info");
	struct pybpf_prog_info info = {.sz = sizeof(info)};
	int err;

	if (!prog)
		return NULL;
	err = pybpf_program__info(prog, &info);
	if (err < 0)
		return pybpf_set_error(err, NULL, "program '%s': info failed",
				       pybpf_program__name(prog));
	return Py_BuildValue("{sIsIsssIsIsIsIsIsIsIsKsK}", "id", info.id, "type", info.type, "name",
			     info.name, "btf_id", info.btf_id, "nr_func_info", info.nr_func_info,
			     "nr_line_info", info.nr_line_info, "xlated_insn_cnt",
			     info.xlated_insn_cnt, "jited_len", info.jited_len, "nr_jited_funcs",
			     info.nr_jited_funcs, "verified_insns", info.verified_insns, "run_cnt",
			     (unsigned long long)info.run_cnt, "run_time_ns",
			     (unsigned long long)info.run_time_ns);
}

static PyObject *program_get_name(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "name");

	return prog ? PyUnicode_FromString(pybpf_program__name(prog)) : NULL;
}

static PyObject *program_get_section(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "section");

	return prog ? PyUnicode_FromString(pybpf_program__section_name(prog)) : NULL;
}

static PyObject *program_get_type(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "type");

	return prog ? PyLong_FromLong(pybpf_program__type(prog)) : NULL;
}

static PyObject *program_get_fd(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "fd");

	return prog ? PyLong_FromLong(pybpf_program__fd(prog)) : NULL;
}

/* autoload / autoattach: a bool property each, settable before load */
static PyObject *program_get_auto(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "autoload");

	if (!prog)
		return NULL;
	return PyBool_FromLong(closure ? pybpf_program__autoattach(prog)
				       : pybpf_program__autoload(prog));
}

static int program_set_auto(ProgramObject *self, PyObject *value, void *closure)
{
	struct pybpf_program *prog = prog_of(self, closure ? "autoattach" : "autoload");
	int on, err;

	if (!prog)
		return -1;
	if (!value) {
		PyErr_SetString(PyExc_AttributeError, "cannot delete this attribute");
		return -1;
	}
	on = PyObject_IsTrue(value);
	if (on < 0)
		return -1;
	err = closure ? pybpf_program__set_autoattach(prog, on)
		      : pybpf_program__set_autoload(prog, on);
	if (err < 0) {
		pybpf_set_error(err, NULL, "program '%s': set %s failed", pybpf_program__name(prog),
				closure ? "autoattach" : "autoload");
		return -1;
	}
	return 0;
}

static PyObject *program_get_link(ProgramObject *self, void *closure)
{
	struct pybpf_program *prog = prog_of(self, "attached");

	return prog ? PyBool_FromLong(pybpf_program__link(prog) != NULL) : NULL;
}

static PyMethodDef program_methods[] = {
	{"attach", (PyCFunction)program_attach, METH_NOARGS,
	 "Attaches the way the section name says; returns a BpfLink."},
	{"attach_tracepoint", (PyCFunction)(void (*)(void))program_attach_tracepoint,
	 METH_VARARGS | METH_KEYWORDS, "attach_tracepoint(category, name) -> BpfLink"},
	{"attach_raw_tracepoint", (PyCFunction)(void (*)(void))program_attach_raw_tracepoint,
	 METH_VARARGS | METH_KEYWORDS, "attach_raw_tracepoint(name) -> BpfLink"},
	{"_attach_kprobe", (PyCFunction)(void (*)(void))program_attach_kprobe,
	 METH_VARARGS | METH_KEYWORDS, "_attach_kprobe(func, retprobe=False, offset=0)"},
	{"_attach_uprobe", (PyCFunction)(void (*)(void))program_attach_uprobe,
	 METH_VARARGS | METH_KEYWORDS,
	 "_attach_uprobe(binary, func=None, offset=0, pid=-1, retprobe=False)"},
	{"_attach_usdt", (PyCFunction)(void (*)(void))program_attach_usdt,
	 METH_VARARGS | METH_KEYWORDS, "_attach_usdt(binary, provider, name, pid=-1, cookie=0)"},
	{"_attach_xdp", (PyCFunction)(void (*)(void))program_attach_xdp,
	 METH_VARARGS | METH_KEYWORDS, "_attach_xdp(ifindex, flags=0)"},
	{"_attach_tc", (PyCFunction)(void (*)(void))program_attach_tc, METH_VARARGS | METH_KEYWORDS,
	 "_attach_tc(ifindex, egress=False, priority=0, handle=0)"},
	{"_attach_socket", (PyCFunction)program_attach_socket, METH_VARARGS, "_attach_socket(fd)"},
	{"_attach_cgroup", (PyCFunction)program_attach_cgroup, METH_VARARGS, "_attach_cgroup(fd)"},
	{"_attach_perf_event", (PyCFunction)program_attach_perf_event, METH_VARARGS,
	 "_attach_perf_event(fd)"},
	{"test_run", (PyCFunction)(void (*)(void))program_test_run, METH_VARARGS | METH_KEYWORDS,
	 "test_run(data=b'', ctx=None, repeat=1, data_out_size=None, ctx_out_size=0, flags=0, "
	 "cpu=0) -> (retval, data_out, ctx_out, duration_ns)"},
	{"pin", (PyCFunction)program_pin, METH_VARARGS, "pin(path): pins the program."},
	{"unpin", (PyCFunction)program_unpin, METH_VARARGS, "unpin(path): removes the pin."},
	{"_info", (PyCFunction)program_info, METH_NOARGS, "kernel info as a dict"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef program_getset[] = {
	{"name", (getter)program_get_name, NULL, "function name", NULL},
	{"section", (getter)program_get_section, NULL, "ELF section name", NULL},
	{"_type", (getter)program_get_type, NULL, "enum bpf_prog_type value", NULL},
	{"fd", (getter)program_get_fd, NULL, "program fd (negative before load)", NULL},
	{"autoload", (getter)program_get_auto, (setter)program_set_auto,
	 "whether load() loads it (settable before load)", NULL},
	{"autoattach", (getter)program_get_auto, (setter)program_set_auto,
	 "whether attach_all() attaches it (settable before load)", (void *)1},
	{"attached", (getter)program_get_link, NULL, "whether attach_all() attached it", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyTypeObject program_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.Program",
	.tp_basicsize = sizeof(ProgramObject),
	.tp_dealloc = (destructor)program_dealloc,
	.tp_traverse = (traverseproc)program_traverse,
	.tp_clear = (inquiry)program_clear,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Program(owner, name): a program of an object.",
	.tp_methods = program_methods,
	.tp_getset = program_getset,
	.tp_init = (initproc)program_init,
	.tp_new = PyType_GenericNew,
};

/* ---- module ------------------------------------------------------------ */

static PyObject *mod_version(PyObject *mod, PyObject *unused)
{
	return PyUnicode_FromString(pybpf_version());
}

static PyObject *mod_libbpf_version(PyObject *mod, PyObject *unused)
{
	return PyUnicode_FromString(pybpf_libbpf_version());
}

static PyObject *mod_num_possible_cpus(PyObject *mod, PyObject *unused)
{
	int n = pybpf_num_possible_cpus();

	if (n < 0)
		return pybpf_set_error(n, NULL, "num_possible_cpus failed");
	return PyLong_FromLong(n);
}

/* perf_event_open(type, config, sample_period, cpu=-1, pid=-1) -> fd */
static PyObject *mod_perf_event_open(PyObject *mod, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"type", "config", "sample_period", "cpu", "pid", NULL};
	unsigned long long config, period;
	unsigned int type;
	int cpu = -1, pid = -1, fd;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "IKK|ii:perf_event_open", kwlist, &type, &config,
					 &period, &cpu, &pid))
		return NULL;
	fd = pybpf_perf_event__open(type, config, period, cpu, pid);
	if (fd < 0)
		return pybpf_set_error(fd, NULL, "perf_event_open failed");
	return PyLong_FromLong(fd);
}

static PyObject *mod_mount_bpffs(PyObject *mod, PyObject *unused)
{
	int err = pybpf_mount_bpffs();

	if (err < 0)
		return pybpf_set_error(err, NULL, "mount bpffs failed");
	Py_RETURN_NONE;
}

static PyObject *mod_set_verbose(PyObject *mod, PyObject *arg)
{
	int on = PyObject_IsTrue(arg);

	if (on < 0)
		return NULL;
	print_verbose = on;
	Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
	{"open_file", (PyCFunction)(void (*)(void))mod_open_file, METH_VARARGS | METH_KEYWORDS,
	 "open_file(path, *, name=None, kernel_log_level=0, pin_root_path=None, "
	 "btf_custom_path=None) -> Object"},
	{"open_mem", (PyCFunction)(void (*)(void))mod_open_mem, METH_VARARGS | METH_KEYWORDS,
	 "open_mem(data, *, name=None, ...) -> Object"},
	{"open_pinned_link", (PyCFunction)mod_open_pinned_link, METH_VARARGS,
	 "open_pinned_link(path) -> BpfLink"},
	{"version", (PyCFunction)mod_version, METH_NOARGS, "libpybpf version"},
	{"libbpf_version", (PyCFunction)mod_libbpf_version, METH_NOARGS, "libbpf version"},
	{"num_possible_cpus", (PyCFunction)mod_num_possible_cpus, METH_NOARGS,
	 "number of possible CPUs (the length of per-CPU values)"},
	{"perf_event_open", (PyCFunction)(void (*)(void))mod_perf_event_open,
	 METH_VARARGS | METH_KEYWORDS,
	 "perf_event_open(type, config, sample_period, cpu=-1, pid=-1) -> fd"},
	{"mount_bpffs", (PyCFunction)mod_mount_bpffs, METH_NOARGS,
	 "mounts bpffs at /sys/fs/bpf unless there is one"},
	{"set_verbose", (PyCFunction)mod_set_verbose, METH_O,
	 "set_verbose(bool): print libbpf's messages to stderr"},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef pybpf_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "pybpf._pybpf",
	.m_doc = "pybpf loader and compiler bindings (C extension).",
	.m_size = -1,
	.m_methods = module_methods,
};

static int add_type(PyObject *m, PyTypeObject *type, const char *name)
{
	if (PyType_Ready(type) < 0)
		return -1;
	return PyModule_AddObjectRef(m, name, (PyObject *)type);
}

PyMODINIT_FUNC PyInit__pybpf(void);

PyMODINIT_FUNC PyInit__pybpf(void)
{
	PyObject *m, *dict;

	print_verbose = getenv("PYBPF_DEBUG") && *getenv("PYBPF_DEBUG");
	pybpf_set_print(print_fn);
	m = PyModule_Create(&pybpf_module);
	if (!m)
		return NULL;
	dict = Py_BuildValue("{sO}", "log", Py_None);
	if (!dict)
		goto fail;
	pybpf_error_type = PyErr_NewExceptionWithDoc(
		"pybpf.BpfError",
		"A libpybpf/libbpf call failed: errno, strerror, and log (the libbpf\n"
		"messages and verifier log of a failed load, else None).",
		PyExc_OSError, dict);
	Py_DECREF(dict);
	if (!pybpf_error_type || PyModule_AddObjectRef(m, "BpfError", pybpf_error_type) < 0)
		goto fail;
	if (add_type(m, &pybpf_object_type, "Object") < 0 ||
	    add_type(m, &program_type, "Program") < 0 || add_type(m, &link_type, "Link") < 0 ||
	    add_type(m, &pybpf_map_type, "Map") < 0 ||
	    add_type(m, &pybpf_ring_buffer_type, "RingBuffer") < 0 ||
	    add_type(m, &pybpf_perf_buffer_type, "PerfBuffer") < 0 ||
	    add_type(m, &pybpf_trace_pipe_type, "TracePipe") < 0)
		goto fail;
	if (PyModule_AddFunctions(m, pybpf_compile_methods) < 0)
		goto fail;
	if (PyModule_AddFunctions(m, pybpf_btf_methods) < 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
