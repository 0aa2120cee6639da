/*
 * py_compile.c - compiler bindings of the _pybpf extension.
 *
 * compile(source, filename=None, opt=2, mcpu=None, emit="obj", btf=None)
 *	-> (output, warnings): one call of pybpf_compile() (compile.h) with
 *	the GIL released; source is str or bytes, output is bytes (an object)
 *	or str (emit="llvm"/"asm"), warnings the rendered warnings ("" if none);
 *	btf is the kernel BTF file for `from vmlinux import` (None: the running
 *	kernel's).
 *	A source with errors raises CompileError, whose str() is the compiler's
 *	rendered diagnostics (file:line:col: error: ..., source line, caret).
 * compile_error_type() -> the CompileError class.
 * compiler_tables() -> dict: the names the compiler gives meaning to, from
 *	the compiler's own tables (builtins.def, maps.def, helpers.def), so the
 *	pure-Python stubs (pybpf.maps, pybpf.helper) cannot drift from them.
 * compiler_version() -> (pybpf version, LLVM version).
 *
 * Marshalling only: the logic is in the compiler library.
 */
#include "py_internal.h"

#include <errno.h>
#include <pybpf/compile.h>

/* ---- CompileError ------------------------------------------------------ */

static PyObject *compile_error_type;

static PyObject *get_compile_error_type(void)
{
	if (!compile_error_type)
		compile_error_type = PyErr_NewExceptionWithDoc(
			"pybpf.CompileError",
			"The compiler rejected the source. str() is the rendered diagnostics; "
			"diagnostics is a list of (level, file, line, col, end_line, end_col, "
			"message) tuples; filename, lineno and offset locate the first error.",
			PyExc_Exception, NULL);
	return compile_error_type;
}

static PyObject *mod_compile_error_type(PyObject *mod, PyObject *unused)
{
	PyObject *type = get_compile_error_type();

	Py_XINCREF(type);
	return type;
}

static const char *const level_names[] = {
	[PYBPF_DIAG_ERROR] = "error",
	[PYBPF_DIAG_WARNING] = "warning",
	[PYBPF_DIAG_NOTE] = "note",
};

static PyObject *diag_tuple(const struct pybpf_diag *d)
{
	const char *level = (unsigned)d->level < 3 ? level_names[d->level] : "error";

	return Py_BuildValue("(sziiiis)", level, d->file, d->line, d->col, d->end_line, d->end_col,
			     d->message ? d->message : "");
}

/* The diagnostics of res as a list of tuples (NULL with an exception set). */
static PyObject *diag_list(const struct pybpf_result *res)
{
	size_t n = pybpf_result__diag_cnt(res);
	PyObject *list = PyList_New((Py_ssize_t)n);

	for (size_t i = 0; list && i < n; i++) {
		PyObject *t = diag_tuple(pybpf_result__diag(res, i));

		if (!t) {
			Py_CLEAR(list);
			break;
		}
		PyList_SET_ITEM(list, (Py_ssize_t)i, t);
	}
	return list;
}

/* Raises CompileError for a failed compilation; returns NULL. */
static PyObject *raise_compile_error(const struct pybpf_result *res)
{
	PyObject *type = get_compile_error_type(), *exc = NULL, *list = NULL;
	const struct pybpf_diag *first = NULL;
	const char *text = pybpf_result__diags_text(res);

	if (!type)
		return NULL;
	for (size_t i = 0; i < pybpf_result__diag_cnt(res) && !first; i++)
		if (pybpf_result__diag(res, i)->level == PYBPF_DIAG_ERROR)
			first = pybpf_result__diag(res, i);
	if (!text || !*text)
		text = "compilation failed (no diagnostics)";
	size_t len = strlen(text);

	while (len && text[len - 1] == '\n')
		len--;
	exc = PyObject_CallFunction(type, "s#", text, (Py_ssize_t)len);
	list = diag_list(res);
	if (!exc || !list)
		goto out;
	if (PyObject_SetAttrString(exc, "diagnostics", list) < 0)
		goto out;
	if (first) {
		PyObject *fn = Py_BuildValue("z", first->file);
		PyObject *line = PyLong_FromLong(first->line);
		PyObject *col = PyLong_FromLong(first->col);
		int bad = !fn || !line || !col || PyObject_SetAttrString(exc, "filename", fn) < 0 ||
			  PyObject_SetAttrString(exc, "lineno", line) < 0 ||
			  PyObject_SetAttrString(exc, "offset", col) < 0;

		Py_XDECREF(fn);
		Py_XDECREF(line);
		Py_XDECREF(col);
		if (bad)
			goto out;
	}
	PyErr_SetObject(type, exc);
out:
	Py_XDECREF(exc);
	Py_XDECREF(list);
	return NULL;
}

/* ---- compile() --------------------------------------------------------- */

static int parse_emit(const char *emit, enum pybpf_emit *out)
{
	static const struct {
		const char *name;
		enum pybpf_emit emit;
	} emits[] = {
		{"obj", PYBPF_EMIT_OBJ},
		{"llvm", PYBPF_EMIT_LLVM},
		{"asm", PYBPF_EMIT_ASM},
	};

	for (size_t i = 0; i < sizeof(emits) / sizeof(emits[0]); i++) {
		if (strcmp(emit, emits[i].name) == 0) {
			*out = emits[i].emit;
			return 0;
		}
	}
	PyErr_Format(PyExc_ValueError, "emit must be 'obj', 'llvm' or 'asm', not '%s'", emit);
	return -1;
}

/* A sequence of str as a C array (borrowed from *seq, which the caller
 * releases, as *v with PyMem_Free); -1 with an exception set. */
static int str_sequence(PyObject *obj, const char *msg, PyObject **seq, const char ***v,
			size_t *cnt)
{
	*seq = PySequence_Fast(obj, msg);
	if (!*seq)
		return -1;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(*seq);
	*v = PyMem_Calloc((size_t)n + 1, sizeof **v);
	if (!*v) {
		PyErr_NoMemory();
		return -1;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *item = PySequence_Fast_GET_ITEM(*seq, i);
		(*v)[i] = PyUnicode_Check(item) ? PyUnicode_AsUTF8(item) : NULL;
		if (!(*v)[i]) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, msg);
			return -1;
		}
	}
	*cnt = (size_t)n;
	return 0;
}

static PyObject *mod_compile(PyObject *mod, PyObject *args, PyObject *kw)
{
	static const char *const kwlist[] = {
		"source",	"filename", "opt",     "mcpu",
		"emit",		"btf",	    "defines", "debug_compilation_dir",
		"include_dirs", NULL};
	static const enum pybpf_opt opts_by_level[] = {PYBPF_OPT_O0, PYBPF_OPT_O1, PYBPF_OPT_O2,
						       PYBPF_OPT_O3};
	LIBPYBPF_OPTS(pybpf_compile_opts, opts, .filename = "<input>");
	const char *filename = NULL, *mcpu = NULL, *emit = "obj", *btf = NULL, *cdir = NULL;
	struct pybpf_result *res = NULL;
	PyObject *source, *bytes = NULL, *ret = NULL, *defs = NULL, *defs_seq = NULL;
	PyObject *incs = NULL, *incs_seq = NULL;
	const char **defv = NULL, **incv = NULL;
	const void *out;
	Py_buffer buf;
	int opt = 2, err;
	size_t size;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|z$izszOzO:compile", (char **)kwlist, &source,
					 &filename, &opt, &mcpu, &emit, &btf, &defs, &cdir, &incs))
		return NULL;
	if (opt < 0 || opt > 3) {
		PyErr_Format(PyExc_ValueError, "opt must be 0, 1, 2 or 3, not %d", opt);
		return NULL;
	}
	if (mcpu && !pybpf_mcpu_valid(mcpu)) {
		PyErr_Format(PyExc_ValueError, "unknown mcpu '%s' (expected v1, v2, v3 or v4)",
			     mcpu);
		return NULL;
	}
	if (parse_emit(emit, &opts.emit) < 0)
		return NULL;
	if (filename)
		opts.filename = filename;
	opts.opt = opts_by_level[opt];
	opts.mcpu = mcpu;
	opts.btf_path = btf;
	opts.debug_compilation_dir = cdir;
	/* defines: a sequence of "NAME=VALUE" strings (the library checks them) */
	if (defs && defs != Py_None) {
		if (str_sequence(defs, "defines must be a sequence of 'NAME=VALUE' strings",
				 &defs_seq, &defv, &opts.define_cnt) < 0)
			goto out;
		opts.defines = defv;
	}
	/* include_dirs: the -I directories searched for local modules */
	if (incs && incs != Py_None) {
		if (str_sequence(incs, "include_dirs must be a sequence of directory names",
				 &incs_seq, &incv, &opts.include_dir_cnt) < 0)
			goto out;
		opts.include_dirs = incv;
	}

	if (PyUnicode_Check(source)) {
		bytes = PyUnicode_AsUTF8String(source);
		if (!bytes)
			goto out;
		source = bytes;
	}
	if (PyObject_GetBuffer(source, &buf, PyBUF_SIMPLE) < 0) {
		Py_XDECREF(bytes);
		goto out;
	}
	Py_BEGIN_ALLOW_THREADS err = pybpf_compile(buf.buf, (size_t)buf.len, &opts, &res);
	Py_END_ALLOW_THREADS PyBuffer_Release(&buf);
	Py_XDECREF(bytes);

	if (err == -EINVAL || !res) {
		PyErr_SetString(PyExc_ValueError, "invalid compile options");
		goto out;
	}
	if (err == -ENOMEM) {
		PyErr_NoMemory();
		goto out;
	}
	out = pybpf_result__output(res, &size);
	if (err || !out) {
		raise_compile_error(res);
		goto out;
	}
	if (opts.emit == PYBPF_EMIT_OBJ)
		ret = Py_BuildValue("(y#s)", (const char *)out, (Py_ssize_t)size,
				    pybpf_result__diags_text(res));
	else
		ret = Py_BuildValue("(s#s)", (const char *)out, (Py_ssize_t)size,
				    pybpf_result__diags_text(res));
out:
	pybpf_result__free(res);
	PyMem_Free(defv);
	Py_XDECREF(defs_seq);
	PyMem_Free(incv);
	Py_XDECREF(incs_seq);
	return ret;
}

/* ---- the compiler's name tables ---------------------------------------- */

/* Each table entry as strings: the tables' ids are the compiler's enums,
 * which the Python side needs only as names. */
static const char *const module_table[][2] = {
#define MODULE(id, name) {#id, name},
#define NAME(mod, name, kind, detail)
#include "builtins.def"
#undef MODULE
#undef NAME
};

static const char *const name_table[][4] = {
#define MODULE(id, name)
#define NAME(mod, name, kind, detail) {#mod, name, #kind, #detail},
#include "builtins.def"
#undef MODULE
#undef NAME
};

static const struct {
	const char *id, *name;
	long type_id;
	const char *family;
} map_table[] = {
#define MAPCLASS(id, name, type_id, family) {#id, name, type_id, #family},
#include "maps.def"
#undef MAPCLASS
};

static const struct {
	const char *name;
	long id;
	const char *signature;
} helper_table[] = {
#define HELPER(name, id, ret, sig, nargs, ...) {#name, id, sig},
#include "helpers.def"
#undef HELPER
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static PyObject *mod_compiler_tables(PyObject *mod, PyObject *unused)
{
	PyObject *d = PyDict_New(), *l;

	if (!d)
		return NULL;
	l = PyList_New(COUNT(module_table));
	for (size_t i = 0; l && i < COUNT(module_table); i++)
		PyList_SET_ITEM(l, i,
				Py_BuildValue("(ss)", module_table[i][0], module_table[i][1]));
	if (!l || PyDict_SetItemString(d, "modules", l) < 0)
		goto fail;
	Py_DECREF(l);
	l = PyList_New(COUNT(name_table));
	for (size_t i = 0; l && i < COUNT(name_table); i++)
		PyList_SET_ITEM(l, i,
				Py_BuildValue("(ssss)", name_table[i][0], name_table[i][1],
					      name_table[i][2], name_table[i][3]));
	if (!l || PyDict_SetItemString(d, "names", l) < 0)
		goto fail;
	Py_DECREF(l);
	l = PyList_New(COUNT(map_table));
	for (size_t i = 0; l && i < COUNT(map_table); i++)
		PyList_SET_ITEM(l, i,
				Py_BuildValue("(ssls)", map_table[i].id, map_table[i].name,
					      map_table[i].type_id, map_table[i].family));
	if (!l || PyDict_SetItemString(d, "maps", l) < 0)
		goto fail;
	Py_DECREF(l);
	l = PyList_New(COUNT(helper_table));
	for (size_t i = 0; l && i < COUNT(helper_table); i++)
		PyList_SET_ITEM(l, i,
				Py_BuildValue("(sls)", helper_table[i].name, helper_table[i].id,
					      helper_table[i].signature));
	if (!l || PyDict_SetItemString(d, "helpers", l) < 0)
		goto fail;
	Py_DECREF(l);
	return d;
fail:
	/* A NULL item (failed Py_BuildValue) is fine for the list's dealloc. */
	Py_XDECREF(l);
	Py_DECREF(d);
	if (!PyErr_Occurred())
		PyErr_NoMemory();
	return NULL;
}

static PyObject *mod_compiler_version(PyObject *mod, PyObject *unused)
{
	return Py_BuildValue("(ss)", PYBPF_VERSION, pybpf_llvm_version());
}

PyMethodDef pybpf_compile_methods[] = {
	{"compile", (PyCFunction)(void (*)(void))mod_compile, METH_VARARGS | METH_KEYWORDS,
	 "compile(source, filename=None, *, opt=2, mcpu=None, emit='obj', btf=None) -> "
	 "(output, warnings)\n\nCompiles Python source (str or bytes) in memory; btf names "
	 "the kernel BTF file for `from vmlinux import` (None: the running kernel's). Raises "
	 "CompileError with the compiler's diagnostics when the source has errors."},
	{"compile_error_type", mod_compile_error_type, METH_NOARGS,
	 "The CompileError exception class."},
	{"compiler_tables", mod_compiler_tables, METH_NOARGS,
	 "The compiler's name tables: modules, names, maps, helpers."},
	{"compiler_version", mod_compiler_version, METH_NOARGS,
	 "(pybpf compiler version, LLVM version)"},
	{NULL, NULL, 0, NULL},
};
