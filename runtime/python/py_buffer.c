/*
 * py_buffer.c - the RingBuffer, PerfBuffer and TracePipe types of the
 * _pybpf extension.
 *
 * poll() releases the GIL while it waits; the record callbacks (called by
 * libbpf from inside the poll, on the polling thread) take it back, decode
 * the record (bytes, or `decode(bytes)` when a decoder was given) and call
 * the Python callback. An exception in a callback stops the poll (ring
 * buffer) or skips the remaining records' callbacks (perf buffer) and is
 * raised from poll()/consume().
 */
#include "py_internal.h"

#include <errno.h>

/* What a record callback needs: given to libbpf as the ctx. */
struct cb_ctx {
	PyObject *owner;    /* RingBufferObject or PerfBufferObject (borrowed) */
	PyObject *callback; /* callback(data) / sample(cpu, data) */
	PyObject *lost;	    /* perf: lost(cpu, count) or NULL */
	PyObject *decode;   /* decode(bytes) or NULL */
	PyObject *map;	    /* keeps the map (and its object) alive */
};

/* State shared by both buffer types: the saved exception and counters. */
struct poll_state {
	PyObject *exc_type, *exc_value, *exc_tb;
	long count; /* records handed to callbacks in this poll */
	bool stop;  /* a callback returned a negative number */
	bool busy;  /* a poll is running (another thread may not start one) */
};

static void state_save_exception(struct poll_state *st)
{
	if (!st->exc_type)
		PyErr_Fetch(&st->exc_type, &st->exc_value, &st->exc_tb);
	else
		PyErr_Clear();
}

/* After a poll: raise the saved exception (returns -1), else 0. */
static int state_finish(struct poll_state *st)
{
	st->busy = false;
	if (!st->exc_type)
		return 0;
	PyErr_Restore(st->exc_type, st->exc_value, st->exc_tb);
	st->exc_type = st->exc_value = st->exc_tb = NULL;
	return -1;
}

static int state_start(struct poll_state *st)
{
	if (st->busy) {
		PyErr_SetString(PyExc_RuntimeError, "another thread is polling this buffer");
		return -1;
	}
	st->busy = true;
	st->count = 0;
	st->stop = false;
	return 0;
}

static void state_clear(struct poll_state *st)
{
	Py_CLEAR(st->exc_type);
	Py_CLEAR(st->exc_value);
	Py_CLEAR(st->exc_tb);
}

/* The record as bytes, then through the decoder. New reference or NULL. */
static PyObject *make_record(struct cb_ctx *c, const void *data, size_t size)
{
	PyObject *bytes = PyBytes_FromStringAndSize(data, (Py_ssize_t)size), *ret;

	if (!bytes || !c->decode)
		return bytes;
	ret = PyObject_CallOneArg(c->decode, bytes);
	Py_DECREF(bytes);
	return ret;
}

static void ctx_free(struct cb_ctx *c)
{
	if (!c)
		return;
	Py_XDECREF(c->callback);
	Py_XDECREF(c->lost);
	Py_XDECREF(c->decode);
	Py_XDECREF(c->map);
	PyMem_Free(c);
}

static struct cb_ctx *ctx_new(PyObject *owner, PyObject *map, PyObject *callback, PyObject *lost,
			      PyObject *decode)
{
	struct cb_ctx *c = PyMem_Calloc(1, sizeof(*c));

	if (!c) {
		PyErr_NoMemory();
		return NULL;
	}
	c->owner = owner;
	c->map = Py_NewRef(map);
	c->callback = Py_NewRef(callback);
	c->lost = lost == Py_None ? NULL : Py_XNewRef(lost);
	c->decode = decode == Py_None ? NULL : Py_XNewRef(decode);
	return c;
}

/* ---- ring buffers ------------------------------------------------------ */

typedef struct {
	PyObject_HEAD struct pybpf_ring_buffer *rb;
	struct cb_ctx **ctxs;
	Py_ssize_t nctx;
	struct poll_state st;
} RingBufferObject;

static int ring_sample(void *ctx, void *data, size_t size)
{
	struct cb_ctx *c = ctx;
	RingBufferObject *self = (RingBufferObject *)c->owner;
	PyGILState_STATE gil = PyGILState_Ensure();
	PyObject *rec, *r = NULL;
	int ret = 0;

	if (self->st.exc_type || self->st.stop) {
		ret = -1;
		goto out;
	}
	rec = make_record(c, data, size);
	if (rec) {
		r = PyObject_CallOneArg(c->callback, rec);
		Py_DECREF(rec);
	}
	if (!r) {
		state_save_exception(&self->st);
		ret = -1;
		goto out;
	}
	self->st.count++;
	if (PyLong_Check(r)) {
		long v = PyLong_AsLong(r);

		if (v == -1 && PyErr_Occurred())
			PyErr_Clear();
		if (v < 0) {
			self->st.stop = true;
			ret = -1;
		}
	}
	Py_DECREF(r);
out:
	PyGILState_Release(gil);
	return ret;
}

/* add(map, callback, decode=None) */
static PyObject *ring_add(RingBufferObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"map", "callback", "decode", NULL};
	PyObject *map_o, *callback, *decode = Py_None;
	struct pybpf_map *map;
	struct cb_ctx *c, **ctxs;
	int err;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|O:add", kwlist, &map_o, &callback, &decode))
		return NULL;
	if (!PyCallable_Check(callback)) {
		PyErr_SetString(PyExc_TypeError, "callback must be callable");
		return NULL;
	}
	map = pybpf_map_of(map_o);
	if (!map)
		return NULL;
	if (self->st.busy) {
		PyErr_SetString(PyExc_RuntimeError, "cannot add a map while polling");
		return NULL;
	}
	c = ctx_new((PyObject *)self, map_o, callback, NULL, decode);
	if (!c)
		return NULL;
	ctxs = PyMem_Realloc(self->ctxs, sizeof(*ctxs) * (size_t)(self->nctx + 1));
	if (!ctxs) {
		ctx_free(c);
		return PyErr_NoMemory();
	}
	self->ctxs = ctxs;
	if (!self->rb) {
		self->rb = pybpf_ring_buffer__new(map, ring_sample, c, NULL);
		err = self->rb ? 0 : -errno;
	} else {
		err = pybpf_ring_buffer__add(self->rb, map, ring_sample, c);
	}
	if (err < 0) {
		ctx_free(c);
		return pybpf_set_error(err, NULL, "ring buffer: add map '%s' failed",
				       pybpf_map__name(map));
	}
	self->ctxs[self->nctx++] = c;
	Py_RETURN_NONE;
}

static int ring_check(RingBufferObject *self)
{
	if (self->rb)
		return 0;
	PyErr_SetString(PyExc_RuntimeError, "the ring buffer has no map (add one first)");
	return -1;
}

/* The end of poll/consume: the count, or the exception. */
static PyObject *ring_result(RingBufferObject *self, int n)
{
	if (state_finish(&self->st) < 0)
		return NULL;
	if (n < 0 && !self->st.stop) {
		if (n == -EINTR) {
			if (PyErr_CheckSignals() < 0)
				return NULL;
		} else {
			return pybpf_set_error(n, NULL, "ring buffer poll failed");
		}
	}
	return PyLong_FromLong(self->st.count);
}

/* poll(timeout_ms=-1) -> records handled */
static PyObject *ring_poll(RingBufferObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"timeout_ms", NULL};
	int timeout = -1, n;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|i:poll", kwlist, &timeout))
		return NULL;
	if (ring_check(self) < 0 || state_start(&self->st) < 0)
		return NULL;
	Py_BEGIN_ALLOW_THREADS;
	n = pybpf_ring_buffer__poll(self->rb, timeout);
	Py_END_ALLOW_THREADS;
	return ring_result(self, n);
}

static PyObject *ring_consume(RingBufferObject *self, PyObject *unused)
{
	int n;

	if (ring_check(self) < 0 || state_start(&self->st) < 0)
		return NULL;
	n = pybpf_ring_buffer__consume(self->rb);
	return ring_result(self, n);
}

static PyObject *ring_get_epoll_fd(RingBufferObject *self, void *closure)
{
	if (ring_check(self) < 0)
		return NULL;
	return PyLong_FromLong(pybpf_ring_buffer__epoll_fd(self->rb));
}

static void ring_free_all(RingBufferObject *self)
{
	Py_ssize_t i;

	pybpf_ring_buffer__free(self->rb);
	self->rb = NULL;
	for (i = 0; i < self->nctx; i++)
		ctx_free(self->ctxs[i]);
	PyMem_Free(self->ctxs);
	self->ctxs = NULL;
	self->nctx = 0;
	state_clear(&self->st);
}

static PyObject *ring_close(RingBufferObject *self, PyObject *unused)
{
	if (self->st.busy) {
		PyErr_SetString(PyExc_RuntimeError, "cannot close while polling");
		return NULL;
	}
	ring_free_all(self);
	Py_RETURN_NONE;
}

static int ring_traverse(RingBufferObject *self, visitproc visit, void *arg)
{
	Py_ssize_t i;

	for (i = 0; i < self->nctx; i++) {
		Py_VISIT(self->ctxs[i]->callback);
		Py_VISIT(self->ctxs[i]->decode);
		Py_VISIT(self->ctxs[i]->map);
	}
	return 0;
}

static int ring_clear(RingBufferObject *self)
{
	ring_free_all(self);
	return 0;
}

static void ring_dealloc(RingBufferObject *self)
{
	PyObject_GC_UnTrack(self);
	ring_free_all(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef ring_methods[] = {
	{"add", (PyCFunction)(void (*)(void))ring_add, METH_VARARGS | METH_KEYWORDS,
	 "add(map, callback, decode=None): consume another ring buffer map"},
	{"poll", (PyCFunction)(void (*)(void))ring_poll, METH_VARARGS | METH_KEYWORDS,
	 "poll(timeout_ms=-1) -> records handled"},
	{"consume", (PyCFunction)ring_consume, METH_NOARGS,
	 "handles the available records without waiting; returns how many"},
	{"close", (PyCFunction)ring_close, METH_NOARGS, "frees the consumer"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef ring_getset[] = {
	{"epoll_fd", (getter)ring_get_epoll_fd, NULL, "readable when records are available", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject pybpf_ring_buffer_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.RingBuffer",
	.tp_basicsize = sizeof(RingBufferObject),
	.tp_dealloc = (destructor)ring_dealloc,
	.tp_traverse = (traverseproc)ring_traverse,
	.tp_clear = (inquiry)ring_clear,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "RingBuffer(): a consumer of one or more ring buffer maps (see add).",
	.tp_methods = ring_methods,
	.tp_getset = ring_getset,
	.tp_new = PyType_GenericNew,
};

/* ---- perf buffers ------------------------------------------------------ */

typedef struct {
	PyObject_HEAD struct pybpf_perf_buffer *pb;
	struct cb_ctx *ctx;
	struct poll_state st;
	unsigned long long lost_total; /* lost records reported so far */
} PerfBufferObject;

static void perf_sample(void *ctx, int cpu, void *data, __u32 size)
{
	struct cb_ctx *c = ctx;
	PerfBufferObject *self = (PerfBufferObject *)c->owner;
	PyGILState_STATE gil = PyGILState_Ensure();
	PyObject *rec, *r = NULL;

	if (self->st.exc_type)
		goto out;
	rec = make_record(c, data, size);
	if (rec) {
		r = PyObject_CallFunction(c->callback, "iN", cpu, rec);
	}
	if (!r)
		state_save_exception(&self->st);
	else
		self->st.count++;
	Py_XDECREF(r);
out:
	PyGILState_Release(gil);
}

static void perf_lost(void *ctx, int cpu, __u64 cnt)
{
	struct cb_ctx *c = ctx;
	PerfBufferObject *self = (PerfBufferObject *)c->owner;
	PyGILState_STATE gil = PyGILState_Ensure();
	PyObject *r;

	self->lost_total += cnt;
	if (c->lost && !self->st.exc_type) {
		r = PyObject_CallFunction(c->lost, "iK", cpu, (unsigned long long)cnt);
		if (!r)
			state_save_exception(&self->st);
		Py_XDECREF(r);
	}
	PyGILState_Release(gil);
}

/* PerfBuffer(map, callback, lost_callback=None, page_cnt=8, decode=None) */
static int perf_init(PerfBufferObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"map", "callback", "lost_callback", "page_cnt", "decode", NULL};
	PyObject *map_o, *callback, *lost = Py_None, *decode = Py_None;
	Py_ssize_t page_cnt = 8;
	struct pybpf_map *map;

	if (self->pb) {
		PyErr_SetString(PyExc_RuntimeError, "PerfBuffer is already initialised");
		return -1;
	}
	if (!PyArg_ParseTupleAndKeywords(args, kw, "OO|OnO:PerfBuffer", kwlist, &map_o, &callback,
					 &lost, &page_cnt, &decode))
		return -1;
	if (!PyCallable_Check(callback) || (lost != Py_None && !PyCallable_Check(lost))) {
		PyErr_SetString(PyExc_TypeError, "callbacks must be callable");
		return -1;
	}
	if (page_cnt <= 0) {
		PyErr_SetString(PyExc_ValueError, "page_cnt must be positive");
		return -1;
	}
	map = pybpf_map_of(map_o);
	if (!map)
		return -1;
	self->ctx = ctx_new((PyObject *)self, map_o, callback, lost, decode);
	if (!self->ctx)
		return -1;
	LIBPYBPF_OPTS(pybpf_perf_buffer_opts, opts, .page_cnt = (size_t)page_cnt,
		      .lost_cb = perf_lost);
	self->pb = pybpf_perf_buffer__new(map, perf_sample, self->ctx, &opts);
	if (!self->pb) {
		pybpf_set_error(0, NULL, "perf buffer on map '%s' failed", pybpf_map__name(map));
		ctx_free(self->ctx);
		self->ctx = NULL;
		return -1;
	}
	return 0;
}

static int perf_check(PerfBufferObject *self)
{
	if (self->pb)
		return 0;
	pybpf_set_error(EBADF, NULL, "perf buffer is closed");
	return -1;
}

static PyObject *perf_result(PerfBufferObject *self, int n)
{
	if (state_finish(&self->st) < 0)
		return NULL;
	if (n < 0) {
		if (n == -EINTR) {
			if (PyErr_CheckSignals() < 0)
				return NULL;
		} else {
			return pybpf_set_error(n, NULL, "perf buffer poll failed");
		}
	}
	return PyLong_FromLong(self->st.count);
}

/* poll(timeout_ms=-1) -> samples handled */
static PyObject *perf_poll(PerfBufferObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"timeout_ms", NULL};
	int timeout = -1, n;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|i:poll", kwlist, &timeout))
		return NULL;
	if (perf_check(self) < 0 || state_start(&self->st) < 0)
		return NULL;
	Py_BEGIN_ALLOW_THREADS;
	n = pybpf_perf_buffer__poll(self->pb, timeout);
	Py_END_ALLOW_THREADS;
	return perf_result(self, n);
}

static PyObject *perf_consume(PerfBufferObject *self, PyObject *unused)
{
	int n;

	if (perf_check(self) < 0 || state_start(&self->st) < 0)
		return NULL;
	n = pybpf_perf_buffer__consume(self->pb);
	return perf_result(self, n);
}

static void perf_free_all(PerfBufferObject *self)
{
	pybpf_perf_buffer__free(self->pb);
	self->pb = NULL;
	ctx_free(self->ctx);
	self->ctx = NULL;
	state_clear(&self->st);
}

static PyObject *perf_close(PerfBufferObject *self, PyObject *unused)
{
	if (self->st.busy) {
		PyErr_SetString(PyExc_RuntimeError, "cannot close while polling");
		return NULL;
	}
	perf_free_all(self);
	Py_RETURN_NONE;
}

static PyObject *perf_get_epoll_fd(PerfBufferObject *self, void *closure)
{
	if (perf_check(self) < 0)
		return NULL;
	return PyLong_FromLong(pybpf_perf_buffer__epoll_fd(self->pb));
}

static PyObject *perf_get_lost(PerfBufferObject *self, void *closure)
{
	return PyLong_FromUnsignedLongLong(self->lost_total);
}

static int perf_traverse(PerfBufferObject *self, visitproc visit, void *arg)
{
	if (self->ctx) {
		Py_VISIT(self->ctx->callback);
		Py_VISIT(self->ctx->lost);
		Py_VISIT(self->ctx->decode);
		Py_VISIT(self->ctx->map);
	}
	return 0;
}

static int perf_clear(PerfBufferObject *self)
{
	perf_free_all(self);
	return 0;
}

static void perf_dealloc(PerfBufferObject *self)
{
	PyObject_GC_UnTrack(self);
	perf_free_all(self);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef perf_methods[] = {
	{"poll", (PyCFunction)(void (*)(void))perf_poll, METH_VARARGS | METH_KEYWORDS,
	 "poll(timeout_ms=-1) -> samples handled"},
	{"consume", (PyCFunction)perf_consume, METH_NOARGS,
	 "handles the available samples without waiting; returns how many"},
	{"close", (PyCFunction)perf_close, METH_NOARGS, "frees the consumer"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef perf_getset[] = {
	{"epoll_fd", (getter)perf_get_epoll_fd, NULL, "readable when samples are available", NULL},
	{"lost", (getter)perf_get_lost, NULL, "samples lost so far (as reported)", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject pybpf_perf_buffer_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.PerfBuffer",
	.tp_basicsize = sizeof(PerfBufferObject),
	.tp_dealloc = (destructor)perf_dealloc,
	.tp_traverse = (traverseproc)perf_traverse,
	.tp_clear = (inquiry)perf_clear,
	.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.tp_doc = "PerfBuffer(map, callback, lost_callback=None, page_cnt=8, decode=None)",
	.tp_methods = perf_methods,
	.tp_getset = perf_getset,
	.tp_init = (initproc)perf_init,
	.tp_new = PyType_GenericNew,
};

/* ---- trace_pipe -------------------------------------------------------- */

typedef struct {
	PyObject_HEAD struct pybpf_trace_pipe *tp;
} TracePipeObject;

static int trace_init(TracePipeObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {NULL};

	if (!PyArg_ParseTupleAndKeywords(args, kw, ":TracePipe", kwlist))
		return -1;
	if (self->tp)
		return 0;
	self->tp = pybpf_trace_pipe__open();
	if (!self->tp) {
		pybpf_set_error(0, NULL, "open trace_pipe failed");
		return -1;
	}
	return 0;
}

/* read_line(timeout_ms=-1) -> str, or None on timeout */
static PyObject *trace_read_line(TracePipeObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = {"timeout_ms", NULL};
	const char *line = NULL;
	int timeout = -1, n;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "|i:read_line", kwlist, &timeout))
		return NULL;
	if (!self->tp)
		return pybpf_set_error(EBADF, NULL, "trace_pipe is closed");
	for (;;) {
		Py_BEGIN_ALLOW_THREADS;
		n = pybpf_trace_pipe__read_line(self->tp, timeout, &line);
		Py_END_ALLOW_THREADS;
		if (n != -EINTR)
			break;
		if (PyErr_CheckSignals() < 0)
			return NULL;
	}
	if (n == -ETIMEDOUT)
		Py_RETURN_NONE;
	if (n < 0)
		return pybpf_set_error(n, NULL, "read trace_pipe failed");
	return PyUnicode_DecodeUTF8(line, n, "replace");
}

static PyObject *trace_close(TracePipeObject *self, PyObject *unused)
{
	pybpf_trace_pipe__close(self->tp);
	self->tp = NULL;
	Py_RETURN_NONE;
}

static PyObject *trace_get_fd(TracePipeObject *self, void *closure)
{
	return PyLong_FromLong(self->tp ? pybpf_trace_pipe__fd(self->tp) : -1);
}

static void trace_dealloc(TracePipeObject *self)
{
	pybpf_trace_pipe__close(self->tp);
	Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef trace_methods[] = {
	{"read_line", (PyCFunction)(void (*)(void))trace_read_line, METH_VARARGS | METH_KEYWORDS,
	 "read_line(timeout_ms=-1) -> str, or None on timeout"},
	{"close", (PyCFunction)trace_close, METH_NOARGS, "closes trace_pipe"},
	{NULL, NULL, 0, NULL},
};

static PyGetSetDef trace_getset[] = {
	{"fd", (getter)trace_get_fd, NULL, "trace_pipe fd", NULL},
	{NULL, NULL, NULL, NULL, NULL},
};

PyTypeObject pybpf_trace_pipe_type = {
	PyVarObject_HEAD_INIT(NULL, 0).tp_name = "pybpf._pybpf.TracePipe",
	.tp_basicsize = sizeof(TracePipeObject),
	.tp_dealloc = (destructor)trace_dealloc,
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_doc = "TracePipe(): the kernel's trace_pipe, line by line.",
	.tp_methods = trace_methods,
	.tp_getset = trace_getset,
	.tp_init = (initproc)trace_init,
	.tp_new = PyType_GenericNew,
};
