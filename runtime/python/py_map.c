/*
 * py_map.c - the Map type of the _pybpf extension: element access, batch
 * operations, pinning and info on a map of an object or a pinned map.
 *
 * Keys and values cross as bytes in libpybpf; a codec per side turns Python
 * values into those bytes and back. The Python layer picks the codecs from
 * the map's BTF (pybpf/_btf.py): raw bytes, a little-endian integer, a float,
 * a NUL-terminated string, or a ctypes class (decoded with its
 * from_buffer_copy). Encoding accepts more than the codec's own type: an int
 * for any key up to 8 bytes, any object with the buffer protocol (bytes,
 * ctypes instances) of the right size, and for ctypes codecs a tuple or dict
 * of constructor arguments. Per-CPU maps read and write lists of values, one
 * per possible CPU.
 */
#include "py_internal.h"

#include <errno.h>
#include <stdlib.h>

enum codec_kind {
	CODEC_BYTES,
	CODEC_INT,
	CODEC_FLOAT,
	CODEC_STR,
	CODEC_CTYPE,
};

struct codec {
	enum codec_kind kind;
	bool is_signed;
	PyObject *cls;	  /* CODEC_CTYPE: the ctypes class */
	PyObject *decode; /* CODEC_CTYPE: cls.from_buffer_copy */
};

typedef struct {
	PyObject_HEAD ObjectObject *owner; /* NULL for a pinned map */
	struct pybpf_map *map;		   /* NULL before init / after close */
	size_t key_size, value_size;	   /* one element (one CPU's value) */
	size_t value_buf_size;		   /* lookup/update buffer size */
	size_t stride;			   /* per-CPU: value_size rounded up to 8 */
	int ncpus;			   /* per-CPU: possible CPUs; else 1 */
	bool percpu;
	bool standalone; /* from open_pinned: closed with the Map */
	struct codec key, value;
	unsigned char *kbuf, *kbuf2, *vbuf; /* scratch buffers */
} MapObject;

/* ---- codecs ------------------------------------------------------------ */

/* Little-endian integer of `size` bytes (1..8) from an int. */
static int encode_int(PyObject *o, bool is_signed, void *buf, size_t size, const char *what)
{
	unsigned long long u;
	unsigned char *p = buf;
	int overflow = 0;
	size_t i;

	if (size == 0 || size > 8) {
		PyErr_Format(PyExc_TypeError, "%s: an int cannot fill %zu bytes", what, size);
		return -1;
	}
	if (is_signed || _PyLong_Sign(o) < 0) {
		long long v = PyLong_AsLongLongAndOverflow(o, &overflow);

		if (v == -1 && PyErr_Occurred())
			return -1;
		if (!overflow && size < 8) {
			long long lim = 1LL << (size * 8 - 1);

			if (is_signed ? (v < -lim || v >= lim) : v < 0)
				overflow = 1;
			else if (!is_signed && v >= 2 * lim)
				overflow = 1;
		}
		if (!is_signed && v < 0)
			overflow = 1;
		u = (unsigned long long)v;
	} else {
		u = PyLong_AsUnsignedLongLong(o);
		if (u == (unsigned long long)-1 && PyErr_Occurred()) {
			if (!PyErr_ExceptionMatches(PyExc_OverflowError))
				return -1;
			PyErr_Clear();
			overflow = 1;
		} else if (size < 8 && (u >> (size * 8)) != 0) {
			overflow = 1;
		}
	}
	if (overflow) {
		PyErr_Format(PyExc_OverflowError, "%s: %R does not fit a %s %zu-byte integer", what,
			     o, is_signed ? "signed" : "unsigned", size);
		return -1;
	}
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(u >> (8 * i));
	return 0;
}

static PyObject *decode_int(const unsigned char *p, size_t size, bool is_signed)
{
	unsigned long long u = 0;
	size_t i;

	for (i = 0; i < size; i++)
		u |= (unsigned long long)p[i] << (8 * i);
	if (is_signed) {
		if (size < 8 && (u >> (size * 8 - 1)) & 1)
			u |= ~0ULL << (size * 8);
		return PyLong_FromLongLong((long long)u);
	}
	return PyLong_FromUnsignedLongLong(u);
}

/* Copies a buffer-protocol object: exactly `size` bytes, or fewer (zero
 * padded) when it is not bytes/bytearray (a shorter ctypes object). */
static int encode_buffer(PyObject *o, void *buf, size_t size, const char *what)
{
	Py_buffer view;

	if (PyObject_GetBuffer(o, &view, PyBUF_SIMPLE) < 0) {
		PyErr_Clear();
		PyErr_Format(
			PyExc_TypeError,
			"%s: expected an int, bytes, a ctypes object or a tuple/dict, got %.100s",
			what, Py_TYPE(o)->tp_name);
		return -1;
	}
	if ((size_t)view.len > size ||
	    ((size_t)view.len < size && (PyBytes_Check(o) || PyByteArray_Check(o)))) {
		PyErr_Format(PyExc_ValueError, "%s: %zd bytes given, the map wants %zu", what,
			     view.len, size);
		PyBuffer_Release(&view);
		return -1;
	}
	memcpy(buf, view.buf, (size_t)view.len);
	memset((char *)buf + view.len, 0, size - (size_t)view.len);
	PyBuffer_Release(&view);
	return 0;
}

static int encode(const struct codec *c, PyObject *o, void *buf, size_t size, const char *what)
{
	if (PyLong_Check(o) && !PyBool_Check(o) && c->kind != CODEC_FLOAT)
		return encode_int(o, c->kind == CODEC_INT && c->is_signed, buf, size, what);
	if (PyBool_Check(o))
		return encode_int(o, false, buf, size, what);
	if (c->kind == CODEC_FLOAT && (PyFloat_Check(o) || PyLong_Check(o))) {
		double d = PyFloat_AsDouble(o);

		if (d == -1.0 && PyErr_Occurred())
			return -1;
		if (size == sizeof(float)) {
			float f = (float)d;

			memcpy(buf, &f, sizeof(f));
		} else if (size == sizeof(double)) {
			memcpy(buf, &d, sizeof(d));
		} else {
			PyErr_Format(PyExc_TypeError, "%s: no %zu-byte floats", what, size);
			return -1;
		}
		return 0;
	}
	if (PyUnicode_Check(o)) {
		Py_ssize_t len;
		const char *s = PyUnicode_AsUTF8AndSize(o, &len);

		if (!s)
			return -1;
		if ((size_t)len > size) {
			PyErr_Format(PyExc_ValueError, "%s: %R is longer than %zu bytes", what, o,
				     size);
			return -1;
		}
		memcpy(buf, s, (size_t)len);
		memset((char *)buf + len, 0, size - (size_t)len);
		return 0;
	}
	if (c->kind == CODEC_CTYPE && (PyTuple_Check(o) || PyDict_Check(o))) {
		PyObject *inst;
		int err;

		if (PyTuple_Check(o))
			inst = PyObject_Call(c->cls, o, NULL);
		else {
			PyObject *empty = PyTuple_New(0);

			inst = empty ? PyObject_Call(c->cls, empty, o) : NULL;
			Py_XDECREF(empty);
		}
		if (!inst)
			return -1;
		err = encode_buffer(inst, buf, size, what);
		Py_DECREF(inst);
		return err;
	}
	return encode_buffer(o, buf, size, what);
}

static PyObject *decode(const struct codec *c, const unsigned char *p, size_t size)
{
	PyObject *bytes, *ret;

	switch (c->kind) {
	case CODEC_INT:
		if (size >= 1 && size <= 8)
			return decode_int(p, size, c->is_signed);
		break;
	case CODEC_FLOAT:
		if (size == sizeof(float)) {
			float f;

			memcpy(&f, p, sizeof(f));
			return PyFloat_FromDouble(f);
		}
		if (size == sizeof(double)) {
			double d;

			memcpy(&d, p, sizeof(d));
			return PyFloat_FromDouble(d);
		}
		break;
	case CODEC_STR:
		return PyBytes_FromStringAndSize((const char *)p,
						 (Py_ssize_t)strnlen((const char *)p, size));
	case CODEC_CTYPE:
		bytes = PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)size);
		if (!bytes)
			return NULL;
		ret = PyObject_CallOneArg(c->decode, bytes);
		Py_DECREF(bytes);
		return ret;
	case CODEC_BYTES:
		break;
	}
	return PyBytes_FromStringAndSize((const char *)p, (Py_ssize_t)size);
}

static void codec_clear(struct codec *c)
{
	Py_CLEAR(c->cls);
	Py_CLEAR(c->decode);
	c->kind = CODEC_BYTES;
	c->is_signed = false;
}

/* _set_codec(which, kind, signed=False, cls=None); which: 0 key, 1 value */
static PyObject *map_set_codec(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"which", "kind", "signed", "cls", NULL};
	int which, kind, is_signed = 0;
	PyObject *cls = Py_None, *dec = NULL;
	struct codec *c;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "ii|pO:_set_codec", kwlist, &which, &kind,
					 &is_signed, &cls))
		return NULL;
	if (kind < CODEC_BYTES || kind > CODEC_CTYPE || which < 0 || which > 1) {
		PyErr_SetString(PyExc_ValueError, "bad codec");
		return NULL;
	}
	if (kind == CODEC_CTYPE) {
		dec = PyObject_GetAttrString(cls, "from_buffer_copy");
		if (!dec)
			return NULL;
	}
	c = which ? &self->value : &self->key;
	codec_clear(c);
	c->kind = (enum codec_kind)kind;
	c->is_signed = is_signed;
	if (dec) {
		c->cls = Py_NewRef(cls);
		c->decode = dec;
	}
	Py_RETURN_NONE;
}

/* ---- the map ----------------------------------------------------------- */

struct pybpf_map *pybpf_map_of(PyObject *o)
{
	MapObject *self = (MapObject *)o;

	if (!PyObject_TypeCheck(o, &pybpf_map_type)) {
		PyErr_Format(PyExc_TypeError, "expected a BpfMap, got %.100s", Py_TYPE(o)->tp_name);
		return NULL;
	}
	if (!self->map) {
		pybpf_set_error(EBADF, NULL, "map is closed");
		return NULL;
	}
	if (!self->standalone && (!self->owner || pybpf_check_open(self->owner, "map"))) {
		if (!self->owner)
			pybpf_set_error(EBADF, NULL, "map is closed");
		return NULL;
	}
	return self->map;
}

#define MAP_OR_NULL(self)                                         \
	struct pybpf_map *map = pybpf_map_of((PyObject *)(self)); \
	if (!map)                                                 \
	return NULL

/* Sizes and scratch buffers, once self->map is set. */
static int map_setup(MapObject *self)
{
	self->key_size = pybpf_map__key_size(self->map);
	self->value_size = pybpf_map__value_size(self->map);
	self->percpu = pybpf_map__is_percpu(self->map);
	self->ncpus = 1;
	self->stride = self->value_size;
	if (self->percpu) {
		self->ncpus = pybpf_num_possible_cpus();
		if (self->ncpus < 0) {
			pybpf_set_error(self->ncpus, NULL, "num_possible_cpus failed");
			return -1;
		}
		self->stride = (self->value_size + 7) / 8 * 8;
	}
	self->value_buf_size = self->stride * (size_t)self->ncpus;
	self->kbuf = PyMem_Calloc(1, self->key_size + 8);
	self->kbuf2 = PyMem_Calloc(1, self->key_size + 8);
	self->vbuf = PyMem_Calloc(1, self->value_buf_size + 8);
	if (!self->kbuf || !self->kbuf2 || !self->vbuf) {
		PyErr_NoMemory();
		return -1;
	}
	return 0;
}

static int map_init(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"owner", "name", NULL};
	ObjectObject *owner;
	const char *name;

	if (self->map) {
		PyErr_SetString(PyExc_RuntimeError, "Map is already initialised");
		return -1;
	}
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!s:Map", kwlist, &pybpf_object_type, &owner,
					 &name))
		return -1;
	if (pybpf_check_open(owner, "map"))
		return -1;
	self->map = pybpf_object__find_map_by_name(owner->obj, name);
	if (!self->map) {
		PyErr_Format(PyExc_KeyError, "no map '%s' in object '%s'", name,
			     pybpf_object__name(owner->obj));
		return -1;
	}
	self->owner = (ObjectObject *)Py_NewRef(owner);
	return map_setup(self);
}

/* Map.open_pinned(path): classmethod, a map pinned in a bpffs */
static PyObject *map_open_pinned(PyTypeObject *cls, PyObject *args)
{
	MapObject *self;
	PyObject *path;

	if (!PyArg_ParseTuple(args, "O&:open_pinned", PyUnicode_FSConverter, &path))
		return NULL;
	self = (MapObject *)cls->tp_alloc(cls, 0);
	if (!self) {
		Py_DECREF(path);
		return NULL;
	}
	self->map = pybpf_map__open_pinned(PyBytes_AS_STRING(path));
	if (!self->map) {
		pybpf_set_error(0, NULL, "open pinned map '%s' failed", PyBytes_AS_STRING(path));
		Py_DECREF(path);
		Py_DECREF(self);
		return NULL;
	}
	Py_DECREF(path);
	self->standalone = true;
	if (map_setup(self) < 0) {
		Py_DECREF(self);
		return NULL;
	}
	return (PyObject *)self;
}

static PyObject *map_close(MapObject *self, PyObject *unused)
{
	if (self->standalone && self->map) {
		pybpf_map__close(self->map);
		self->map = NULL;
	}
	Py_RETURN_NONE;
}

static int map_clear_refs(MapObject *self)
{
	Py_CLEAR(self->owner);
	codec_clear(&self->key);
	codec_clear(&self->value);
	return 0;
}

static void map_dealloc(MapObject *self)
{
	PyObject_GC_UnTrack(self);
	if (self->standalone && self->map)
		pybpf_map__close(self->map);
	self->map = NULL;
	map_clear_refs(self);
	PyMem_Free(self->kbuf);
	PyMem_Free(self->kbuf2);
	PyMem_Free(self->vbuf);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static int map_traverse(MapObject *self, visitproc visit, void *arg)
{
	Py_VISIT(self->owner);
	Py_VISIT(self->key.cls);
	Py_VISIT(self->key.decode);
	Py_VISIT(self->value.cls);
	Py_VISIT(self->value.decode);
	return 0;
}

/* Key into buf; None stands for "no key" (queues, stacks: key size 0). */
static int map_encode_key(MapObject *self, PyObject *key, void *buf)
{
	if (key == Py_None && self->key_size == 0)
		return 0;
	return encode(&self->key, key, buf, self->key_size, "key");
}

static const void *key_ptr(MapObject *self, const void *buf)
{
	return self->key_size ? buf : NULL;
}

/* Value (a list/tuple per CPU for per-CPU maps, or one value for all) into vbuf. */
static int map_encode_value(MapObject *self, PyObject *value)
{
	Py_ssize_t n;
	int i;

	if (!self->percpu)
		return encode(&self->value, value, self->vbuf, self->value_size, "value");
	memset(self->vbuf, 0, self->value_buf_size);
	if (!PyList_Check(value) && !PyTuple_Check(value)) {
		for (i = 0; i < self->ncpus; i++)
			if (encode(&self->value, value, self->vbuf + self->stride * (size_t)i,
				   self->value_size, "value") < 0)
				return -1;
		return 0;
	}
	n = PySequence_Fast_GET_SIZE(value);
	if (n != self->ncpus) {
		PyErr_Format(PyExc_ValueError,
			     "per-CPU value: %zd values given, the map wants one per possible "
			     "CPU (%d)",
			     n, self->ncpus);
		return -1;
	}
	for (i = 0; i < self->ncpus; i++)
		if (encode(&self->value, PySequence_Fast_GET_ITEM(value, i),
			   self->vbuf + self->stride * (size_t)i, self->value_size, "value") < 0)
			return -1;
	return 0;
}

static PyObject *map_decode_value(MapObject *self, const unsigned char *buf)
{
	PyObject *list;
	int i;

	if (!self->percpu)
		return decode(&self->value, buf, self->value_size);
	list = PyList_New(self->ncpus);
	if (!list)
		return NULL;
	for (i = 0; i < self->ncpus; i++) {
		PyObject *v =
			decode(&self->value, buf + self->stride * (size_t)i, self->value_size);

		if (!v) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SET_ITEM(list, i, v);
	}
	return list;
}

static PyObject *map_error(struct pybpf_map *map, int err, const char *op)
{
	return pybpf_set_error(err, NULL, "map '%s': %s failed", pybpf_map__name(map), op);
}

/* Looks key up: 1 found (value decoded into *out), 0 missing, -1 error. */
static int map_lookup_into(MapObject *self, struct pybpf_map *map, PyObject *key, __u64 flags,
			   PyObject **out)
{
	int err;

	if (map_encode_key(self, key, self->kbuf) < 0)
		return -1;
	err = pybpf_map__lookup(map, key_ptr(self, self->kbuf), self->key_size, self->vbuf,
				self->value_buf_size, flags);
	if (err == -ENOENT)
		return 0;
	if (err < 0) {
		map_error(map, err, "lookup");
		return -1;
	}
	*out = map_decode_value(self, self->vbuf);
	return *out ? 1 : -1;
}

/* lookup(key, flags=0) -> value or None */
static PyObject *map_lookup(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"key", "flags", NULL};
	unsigned long long flags = 0;
	PyObject *key, *out = NULL;
	int found;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|K:lookup", kwlist, &key, &flags))
		return NULL;
	found = map_lookup_into(self, map, key, flags, &out);
	if (found < 0)
		return NULL;
	return found ? out : Py_NewRef(Py_None);
}

/* get(key, default=None) */
static PyObject *map_get(MapObject *self, PyObject *args)
{
	PyObject *key, *dflt = Py_None, *out = NULL;
	int found;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTuple(args, "O|O:get", &key, &dflt))
		return NULL;
	found = map_lookup_into(self, map, key, 0, &out);
	if (found < 0)
		return NULL;
	return found ? out : Py_NewRef(dflt);
}

static PyObject *map_subscript(MapObject *self, PyObject *key)
{
	PyObject *out = NULL;
	int found;

	MAP_OR_NULL(self);
	found = map_lookup_into(self, map, key, 0, &out);
	if (found < 0)
		return NULL;
	if (!found) {
		PyErr_SetObject(PyExc_KeyError, key);
		return NULL;
	}
	return out;
}

static int map_do_update(MapObject *self, struct pybpf_map *map, PyObject *key, PyObject *value,
			 __u64 flags)
{
	int err;

	if (map_encode_key(self, key, self->kbuf) < 0 || map_encode_value(self, value) < 0)
		return -1;
	err = pybpf_map__update(map, key_ptr(self, self->kbuf), self->key_size, self->vbuf,
				self->value_buf_size, flags);
	if (err < 0) {
		map_error(map, err, "update");
		return -1;
	}
	return 0;
}

/* 1 deleted, 0 missing, -1 error */
static int map_do_delete(MapObject *self, struct pybpf_map *map, PyObject *key)
{
	int err;

	if (map_encode_key(self, key, self->kbuf) < 0)
		return -1;
	err = pybpf_map__delete(map, key_ptr(self, self->kbuf), self->key_size, 0);
	if (err == -ENOENT)
		return 0;
	if (err < 0) {
		map_error(map, err, "delete");
		return -1;
	}
	return 1;
}

static int map_ass_subscript(MapObject *self, PyObject *key, PyObject *value)
{
	struct pybpf_map *map = pybpf_map_of((PyObject *)self);
	int r;

	if (!map)
		return -1;
	if (value)
		return map_do_update(self, map, key, value, BPF_ANY);
	r = map_do_delete(self, map, key);
	if (r == 0)
		PyErr_SetObject(PyExc_KeyError, key);
	return r > 0 ? 0 : -1;
}

/* update(key, value, flags=BPF_ANY) */
static PyObject *map_update(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"key", "value", "flags", NULL};
	unsigned long long flags = BPF_ANY;
	PyObject *key, *value;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|K:update", kwlist, &key, &value, &flags))
		return NULL;
	if (map_do_update(self, map, key, value, flags) < 0)
		return NULL;
	Py_RETURN_NONE;
}

/* delete(key) -> bool (False when missing) */
static PyObject *map_delete(MapObject *self, PyObject *key)
{
	int r;

	MAP_OR_NULL(self);
	r = map_do_delete(self, map, key);
	return r < 0 ? NULL : PyBool_FromLong(r);
}

static int map_contains(MapObject *self, PyObject *key)
{
	struct pybpf_map *map = pybpf_map_of((PyObject *)self);
	PyObject *out = NULL;
	int found;

	if (!map)
		return -1;
	found = map_lookup_into(self, map, key, 0, &out);
	Py_XDECREF(out);
	return found;
}

/*
 * Walks the keys with get_next_key into a list: what 0 keys, 1 values,
 * 2 (key, value) items. Keys deleted between next_key and lookup are
 * skipped. A snapshot, so deleting while iterating is safe.
 */
static PyObject *map_walk(MapObject *self, struct pybpf_map *map, int what)
{
	PyObject *list = PyList_New(0);
	unsigned char *cur = self->kbuf, *next = self->kbuf2, *tmp;
	bool first = true;
	int err;

	if (!list)
		return NULL;
	if (self->key_size == 0)
		return list;
	for (;;) {
		PyObject *k = NULL, *v = NULL, *item;

		err = pybpf_map__get_next_key(map, first ? NULL : cur, next, self->key_size);
		if (err == -ENOENT)
			break;
		if (err < 0) {
			map_error(map, err, "get_next_key");
			goto fail;
		}
		first = false;
		tmp = cur;
		cur = next;
		next = tmp;
		if (what != 1) {
			k = decode(&self->key, cur, self->key_size);
			if (!k)
				goto fail;
		}
		if (what != 0) {
			err = pybpf_map__lookup(map, cur, self->key_size, self->vbuf,
						self->value_buf_size, 0);
			if (err == -ENOENT) {
				Py_XDECREF(k);
				continue;
			}
			if (err < 0) {
				Py_XDECREF(k);
				map_error(map, err, "lookup");
				goto fail;
			}
			v = map_decode_value(self, self->vbuf);
			if (!v) {
				Py_XDECREF(k);
				goto fail;
			}
		}
		if (what == 2) {
			item = PyTuple_Pack(2, k, v);
			Py_DECREF(k);
			Py_DECREF(v);
		} else {
			item = what ? v : k;
		}
		if (!item || PyList_Append(list, item) < 0) {
			Py_XDECREF(item);
			goto fail;
		}
		Py_DECREF(item);
	}
	return list;
fail:
	Py_DECREF(list);
	return NULL;
}

static PyObject *batch_walk(MapObject *self, struct pybpf_map *map, int what, unsigned int batch,
			    bool *unsupported);

/* The whole map as a list (what: as for map_walk): in batches of 1024
 * elements per system call where the kernel can, else key by key. */
static PyObject *map_snapshot(MapObject *self, struct pybpf_map *map, int what)
{
	bool unsupported = false;
	PyObject *list = self->key_size ? batch_walk(self, map, what, 1024, &unsupported) : NULL;

	if (list || (self->key_size && !unsupported))
		return list;
	return map_walk(self, map, what);
}

static PyObject *map_keys(MapObject *self, PyObject *unused)
{
	MAP_OR_NULL(self);
	return map_snapshot(self, map, 0);
}

static PyObject *map_values(MapObject *self, PyObject *unused)
{
	MAP_OR_NULL(self);
	return map_snapshot(self, map, 1);
}

static PyObject *map_items(MapObject *self, PyObject *unused)
{
	MAP_OR_NULL(self);
	return map_snapshot(self, map, 2);
}

static PyObject *map_iter(MapObject *self)
{
	PyObject *keys, *it;

	MAP_OR_NULL(self);
	keys = map_snapshot(self, map, 0);
	if (!keys)
		return NULL;
	it = PyObject_GetIter(keys);
	Py_DECREF(keys);
	return it;
}

static Py_ssize_t map_length(MapObject *self)
{
	struct pybpf_map *map = pybpf_map_of((PyObject *)self);
	PyObject *keys;
	Py_ssize_t n;

	if (!map)
		return -1;
	keys = map_snapshot(self, map, 0);
	if (!keys)
		return -1;
	n = PyList_GET_SIZE(keys);
	Py_DECREF(keys);
	return n;
}

/* pop(key=None[, default]): lookup and delete (queues/stacks: key None) */
static PyObject *map_pop(MapObject *self, PyObject *args)
{
	PyObject *key = Py_None, *dflt = NULL;
	int err;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTuple(args, "|OO:pop", &key, &dflt))
		return NULL;
	if (map_encode_key(self, key, self->kbuf) < 0)
		return NULL;
	err = pybpf_map__lookup_and_delete(map, key_ptr(self, self->kbuf), self->key_size,
					   self->vbuf, self->value_buf_size, 0);
	if (err == -ENOENT) {
		if (dflt)
			return Py_NewRef(dflt);
		PyErr_SetObject(PyExc_KeyError, key);
		return NULL;
	}
	if (err < 0)
		return map_error(map, err, "lookup_and_delete");
	return map_decode_value(self, self->vbuf);
}

/* push(value, flags=0): queues and stacks */
static PyObject *map_push(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"value", "flags", NULL};
	unsigned long long flags = 0;
	PyObject *value;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|K:push", kwlist, &value, &flags))
		return NULL;
	if (map_do_update(self, map, Py_None, value, flags) < 0)
		return NULL;
	Py_RETURN_NONE;
}

/* clear() -> number of elements deleted (array maps: zeroed) */
static PyObject *map_clear(MapObject *self, PyObject *unused)
{
	int n;

	MAP_OR_NULL(self);
	n = pybpf_map__clear(map);
	if (n < 0)
		return map_error(map, n, "clear");
	return PyLong_FromLong(n);
}

/* ---- batch operations --------------------------------------------------- */

/* One batch result as a list item: what 0 key, 1 value, 2 (key, value). */
static PyObject *batch_item(MapObject *self, const unsigned char *key, const unsigned char *value,
			    int what)
{
	PyObject *k = NULL, *v = NULL, *item;

	if (what != 1 && !(k = decode(&self->key, key, self->key_size)))
		return NULL;
	if (what != 0 && !(v = map_decode_value(self, value))) {
		Py_XDECREF(k);
		return NULL;
	}
	if (what != 2)
		return what ? v : k;
	item = PyTuple_Pack(2, k, v);
	Py_DECREF(k);
	Py_DECREF(v);
	return item;
}

/*
 * Reads the whole map with BPF_MAP_LOOKUP_BATCH, `batch` elements per system
 * call, into a list (what: as for map_walk). When the kernel has no batch
 * operation for this map type, returns NULL with *unsupported set and no
 * Python error, so the caller can walk the keys instead.
 */
static PyObject *batch_walk(MapObject *self, struct pybpf_map *map, int what, unsigned int batch,
			    bool *unsupported)
{
	size_t pos_size = self->key_size < 8 ? 8 : self->key_size;
	unsigned char *keys = PyMem_Malloc(self->key_size * batch + 1);
	unsigned char *values = PyMem_Malloc(self->value_buf_size * batch + 1);
	unsigned char *in = PyMem_Calloc(1, pos_size), *out = PyMem_Calloc(1, pos_size);
	PyObject *list = PyList_New(0);
	bool first = true;

	*unsupported = false;
	if (!keys || !values || !in || !out || !list) {
		if (list)
			PyErr_NoMemory();
		goto fail;
	}
	for (;;) {
		__u32 count = batch, i;
		int err = pybpf_map__lookup_batch(map, first ? NULL : in, out, keys, values, &count,
						  0);
		unsigned char *tmp;

		if (first && (err == -EINVAL || err == -EOPNOTSUPP || err == -524 /* ENOTSUPP */)) {
			*unsupported = true;
			goto fail;
		}
		if (err < 0 && err != -ENOENT) {
			map_error(map, err, "lookup_batch");
			goto fail;
		}
		for (i = 0; i < count; i++) {
			PyObject *item = batch_item(self, keys + self->key_size * i,
						    values + self->value_buf_size * i, what);

			if (!item || PyList_Append(list, item) < 0) {
				Py_XDECREF(item);
				goto fail;
			}
			Py_DECREF(item);
		}
		if (err == -ENOENT)
			break;
		first = false;
		tmp = in;
		in = out;
		out = tmp;
	}
	PyMem_Free(keys);
	PyMem_Free(values);
	PyMem_Free(in);
	PyMem_Free(out);
	return list;
fail:
	Py_XDECREF(list);
	PyMem_Free(keys);
	PyMem_Free(values);
	PyMem_Free(in);
	PyMem_Free(out);
	return NULL;
}

/* lookup_batch(batch_size=256) -> [(key, value)], the whole map */
static PyObject *map_lookup_batch(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"batch_size", NULL};
	unsigned int batch = 256;
	bool unsupported;
	PyObject *list;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTupleAndKeywords(args, kw, "|I:lookup_batch", kwlist, &batch))
		return NULL;
	list = batch_walk(self, map, 2, batch ? batch : 1, &unsupported);
	if (!list && unsupported)
		return map_error(map, -EOPNOTSUPP, "lookup_batch");
	return list;
}

/* Encodes a sequence of keys (and values) into arrays. */
static int encode_many(MapObject *self, PyObject *seq, bool values, unsigned char **out,
		       Py_ssize_t *n)
{
	size_t elem = values ? self->value_buf_size : self->key_size;
	Py_ssize_t i;

	*n = PySequence_Fast_GET_SIZE(seq);
	*out = PyMem_Calloc((size_t)*n + 1, elem);
	if (!*out) {
		PyErr_NoMemory();
		return -1;
	}
	for (i = 0; i < *n; i++) {
		PyObject *o = PySequence_Fast_GET_ITEM(seq, i);

		if (values) {
			if (map_encode_value(self, o) < 0)
				return -1;
			memcpy(*out + elem * (size_t)i, self->vbuf, elem);
		} else if (encode(&self->key, o, *out + elem * (size_t)i, elem, "key") < 0) {
			return -1;
		}
	}
	return 0;
}

/* update_batch(keys, values, flags=BPF_ANY) -> count */
static PyObject *map_update_batch(MapObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"keys", "values", "flags", NULL};
	PyObject *keys_o, *values_o, *kseq = NULL, *vseq = NULL, *ret = NULL;
	unsigned char *keys = NULL, *values = NULL;
	unsigned long long flags = BPF_ANY;
	Py_ssize_t nk, nv;
	__u32 count;
	int err;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|K:update_batch", kwlist, &keys_o, &values_o,
					 &flags))
		return NULL;
	kseq = PySequence_Fast(keys_o, "keys must be a sequence");
	vseq = kseq ? PySequence_Fast(values_o, "values must be a sequence") : NULL;
	if (!vseq || encode_many(self, kseq, false, &keys, &nk) < 0 ||
	    encode_many(self, vseq, true, &values, &nv) < 0)
		goto out;
	if (nk != nv) {
		PyErr_Format(PyExc_ValueError, "update_batch: %zd keys but %zd values", nk, nv);
		goto out;
	}
	count = (__u32)nk;
	err = nk ? pybpf_map__update_batch(map, keys, values, &count, flags) : 0;
	if (err < 0) {
		map_error(map, err, "update_batch");
		goto out;
	}
	ret = PyLong_FromUnsignedLong(count);
out:
	Py_XDECREF(kseq);
	Py_XDECREF(vseq);
	PyMem_Free(keys);
	PyMem_Free(values);
	return ret;
}

/* delete_batch(keys) -> count */
static PyObject *map_delete_batch(MapObject *self, PyObject *keys_o)
{
	PyObject *kseq, *ret = NULL;
	unsigned char *keys = NULL;
	Py_ssize_t nk;
	__u32 count;
	int err;

	MAP_OR_NULL(self);
	kseq = PySequence_Fast(keys_o, "keys must be a sequence");
	if (!kseq || encode_many(self, kseq, false, &keys, &nk) < 0)
		goto out;
	count = (__u32)nk;
	err = nk ? pybpf_map__delete_batch(map, keys, &count) : 0;
	if (err < 0) {
		map_error(map, err, "delete_batch");
		goto out;
	}
	ret = PyLong_FromUnsignedLong(count);
out:
	Py_XDECREF(kseq);
	PyMem_Free(keys);
	return ret;
}

/* ---- pinning, info, properties ------------------------------------------ */

static PyObject *map_pin(MapObject *self, PyObject *args)
{
	PyObject *path;
	int err;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTuple(args, "O&:pin", PyUnicode_FSConverter, &path))
		return NULL;
	err = pybpf_map__pin(map, PyBytes_AS_STRING(path));
	if (err < 0)
		pybpf_set_error(err, NULL, "map '%s': pin '%s' failed", pybpf_map__name(map),
				PyBytes_AS_STRING(path));
	Py_DECREF(path);
	if (err < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *map_unpin(MapObject *self, PyObject *args)
{
	PyObject *path = NULL;
	int err;

	MAP_OR_NULL(self);
	if (!PyArg_ParseTuple(args, "|O&:unpin", PyUnicode_FSConverter, &path))
		return NULL;
	err = pybpf_map__unpin(map, path ? PyBytes_AS_STRING(path) : NULL);
	if (err < 0)
		pybpf_set_error(err, NULL, "map '%s': unpin failed", pybpf_map__name(map));
	Py_XDECREF(path);
	if (err < 0)
		return NULL;
	Py_RETURN_NONE;
}

static PyObject *map_info(MapObject *self, PyObject *unused)
{
	struct pybpf_map_info info = {.sz = sizeof(info)};
	int err;

	MAP_OR_NULL(self);
	err = pybpf_map__info(map, &info);
	if (err < 0)
		return map_error(map, err, "info");
	return Py_BuildValue("{sIsIsssIsIsIsIsIsIsI}", "id", info.id, "type", info.type, "name",
			     info.name, "key_size", info.key_size, "value_size", info.value_size,
			     "max_entries", info.max_entries, "map_flags", info.map_flags, "btf_id",
			     info.btf_id, "btf_key_type_id", info.btf_key_type_id,
			     "btf_value_type_id", info.btf_value_type_id);
}

static PyObject *map_get_name(MapObject *self, void *closure)
{
	MAP_OR_NULL(self);
	return PyUnicode_FromString(pybpf_map__name(map));
}

/* closure selects the field: 0 type, 1 key_size, 2 value_size, 3
 * max_entries, 4 fd, 5 ncpus */
static PyObject *map_get_num(MapObject *self, void *closure)
{
	MAP_OR_NULL(self);
	switch ((intptr_t)closure) {
	case 0:
		return PyLong_FromLong(pybpf_map__type(map));
	case 1:
		return PyLong_FromSize_t(self->key_size);
	case 2:
		return PyLong_FromSize_t(self->value_size);
	case 3:
		return PyLong_FromUnsignedLong(pybpf_map__max_entries(map));
	case 4:
		return PyLong_FromLong(pybpf_map__fd(map));
	case 6:
		return PyLong_FromUnsignedLong(pybpf_map__btf_key_type_id(map));
	case 7:
		return PyLong_FromUnsignedLong(pybpf_map__btf_value_type_id(map));
	case 8:
		return PyLong_FromUnsignedLong(pybpf_map__btf_event_type_id(map));
	default:
		return PyLong_FromLong(self->ncpus);
	}
}

static int map_set_max_entries(MapObject *self, PyObject *value, void *closure)
{
	struct pybpf_map *map = pybpf_map_of((PyObject *)self);
	unsigned long n;
	int err;

	if (!map)
		return -1;
	if (!value) {
		PyErr_SetString(PyExc_AttributeError, "cannot delete max_entries");
		return -1;
	}
	n = PyLong_AsUnsignedLong(value);
	if (n == (unsigned long)-1 && PyErr_Occurred())
		return -1;
	if (n > UINT32_MAX) {
		PyErr_SetString(PyExc_OverflowError, "max_entries does not fit 32 bits");
		return -1;
	}
	err = pybpf_map__set_max_entries(map, (__u32)n);
	if (err < 0) {
		map_error(map, err, "set max_entries");
		return -1;
	}
	return 0;
}

static PyObject *map_get_percpu(MapObject *self, void *closure)
{
	return PyBool_FromLong(self->percpu);
}

static PyObject *map_get_standalone(MapObject *self, void *closure)
{
	return PyBool_FromLong(self->standalone);
}

static PyObject *map_get_owner(MapObject *self, void *closure)
{
	return Py_NewRef(self->owner ? (PyObject *)self->owner : Py_None);
}

static PyObject *map_enter(PyObject *self, PyObject *unused)
{
	return Py_NewRef(self);
}

static PyObject *map_exit(MapObject *self, PyObject *args)
{
	return map_close(self, NULL);
}

static PyMethodDef map_methods[] = {
	{"lookup", (PyCFunction)(void (*)(void))map_lookup, METH_VARARGS | METH_KEYWORDS,
	 "lookup(key, flags=0) -> value or None"},
	{"get", (PyCFunction)map_get, METH_VARARGS, "get(key, default=None)"},
	{"update", (PyCFunction)(void (*)(void))map_update, METH_VARARGS | METH_KEYWORDS,
	 "update(key, value, flags=BPF_ANY)"},
	{"delete", (PyCFunction)map_delete, METH_O, "delete(key) -> bool (False when missing)"},
	{"keys", (PyCFunction)map_keys, METH_NOARGS, "list of the keys (a snapshot)"},
	{"values", (PyCFunction)map_values, METH_NOARGS, "list of the values (a snapshot)"},
	{"items", (PyCFunction)map_items, METH_NOARGS, "list of (key, value) (a snapshot)"},
	{"pop", (PyCFunction)map_pop, METH_VARARGS,
	 "pop(key=None[, default]): lookup and delete; queues and stacks take no key"},
	{"push", (PyCFunction)(void (*)(void))map_push, METH_VARARGS | METH_KEYWORDS,
	 "push(value, flags=0): onto a queue or stack"},
	{"clear", (PyCFunction)map_clear, METH_NOARGS,
	 "deletes every element (array maps: zeroes); returns how many"},
	{"lookup_batch", (PyCFunction)(void (*)(void))map_lookup_batch,
	 METH_VARARGS | METH_KEYWORDS, "lookup_batch(batch_size=256) -> [(key, value)]"},
	{"update_batch", (PyCFunction)(void (*)(void))map_update_batch,
	 METH_VARARGS | METH_KEYWORDS, "update_batch(keys, values, flags=BPF_ANY) -> count"},
	{"delete_batch", (PyCFunction)map_delete_batch, METH_O, "delete_batch(keys) -> count"},
	{"pin", (PyCFunction)map_pin, METH_VARARGS, "pin(path): pins the map in a bpffs"},
	{"unpin", (PyCFunction)map_unpin, METH_VARARGS, "unpin(path=None): removes the pin"},
	{"_info", (PyCFunction)map_info, METH_NOARGS, "kernel info as a dict"},
	{"_set_codec", (PyCFunction)(void (*)(void))map_set_codec, METH_VARARGS | METH_KEYWORDS,
	 "_set_codec(which, kind, signed=False, cls=None)"},
	{"open_pinned", (PyCFunction)map_open_pinned, METH_VARARGS | METH_CLASS,
	 "open_pinned(path): a map pinned in a bpffs"},
	{"close", (PyCFunction)map_close, METH_NOARGS, "closes a pinned map (no-op otherwise)"},
	{"__enter__", (PyCFunction)map_enter, METH_NOARGS, NULL},
	{"__exit__", (PyCFunction)map_exit, METH_VARARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef map_getset[] = {
	{"name", (getter)map_get_name, NULL, "map name", NULL},
	{"_type", (getter)map_get_num, NULL, "enum bpf_map_type value", (void *)0},
	{"key_size", (getter)map_get_num, NULL, "key size in bytes", (void *)1},
	{"value_size", (getter)map_get_num, NULL, "value size in bytes (one CPU's)", (void *)2},
	{"max_entries", (getter)map_get_num, (setter)map_set_max_entries,
	 "maximum number of elements (settable before load)", (void *)3},
	{"fd", (getter)map_get_num, NULL, "map fd (negative before load)", (void *)4},
	{"ncpus", (getter)map_get_num, NULL, "values per key: possible CPUs for per-CPU maps",
	 (void *)5},
	{"btf_key_type_id", (getter)map_get_num, NULL, "BTF type of the key (0: none)", (void *)6},
	{"btf_value_type_id", (getter)map_get_num, NULL, "BTF type of the value (0: none)",
	 (void *)7},
	{"btf_event_type_id", (getter)map_get_num, NULL,
	 "BTF type of ring/perf buffer records (0: unknown)", (void *)8},
	{"is_percpu", (getter)map_get_percpu, NULL, "one value per CPU", NULL},
	{"is_standalone", (getter)map_get_standalone, NULL, "opened from a pin", NULL},
	{"_owner", (getter)map_get_owner, NULL, "the Object, or None", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

static PyMappingMethods map_as_mapping = {
	.mp_length = (lenfunc)map_length,
	.mp_subscript = (binaryfunc)map_subscript,
	.mp_ass_subscript = (objobjargproc)map_ass_subscript,
};

static PySequenceMethods map_as_sequence = {
	.sq_contains = (objobjproc)map_contains,
};

PyTypeObject pybpf_map_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.Map",
	.tp_basicsize = sizeof(MapObject),
	.tp_dealloc = (destructor)map_dealloc,
	.tp_traverse = (traverseproc)map_traverse,
	.tp_clear = (inquiry)map_clear_refs,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "Map(owner, name): a map of an object, dict-like.",
	.tp_as_mapping = &map_as_mapping,
	.tp_as_sequence = &map_as_sequence,
	.tp_iter = (getiterfunc)map_iter,
	.tp_methods = map_methods,
	.tp_getset = map_getset,
	.tp_init = (initproc)map_init,
	.tp_new = PyType_GenericNew,
};
