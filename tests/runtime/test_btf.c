/*
 * test_btf.c - libpybpf's BTF and globals API: type descriptions (JSON),
 * formatted values, the map key/value/event type ids, globals before and
 * after load, and the event record types the pybpf compiler records.
 *
 * The expectations are written from the C declarations in bpf/rt_btf.h and
 * from the Python sources below, not produced by the code under test. The
 * tests that load into the kernel need root and are skipped (with a "SKIP:"
 * line) otherwise.
 */
#include "bpf/rt_btf.h"
#include "pybpf/compile.h"
#include "rt_test.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

static struct pybpf_object *open_btf_obj(void)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .object_name = "rt_btf");
	return pybpf_object__open_file(rt_obj_path("rt_btf"), &opts);
}

static char *describe(const struct btf *btf, __u32 id)
{
	static char buf[4096];
	int n = pybpf_btf__describe(btf, id, buf, sizeof(buf));
	return n >= 0 && (size_t)n < sizeof(buf) ? buf : NULL;
}

#define UINT_JSON                                                                           \
	"{\"kind\":\"int\",\"name\":\"unsigned int\",\"size\":4,\"signed\":false,\"bool\":" \
	"false,\"char\":false}"
#define INT_JSON \
	"{\"kind\":\"int\",\"name\":\"int\",\"size\":4,\"signed\":true,\"bool\":false,\"char\":false}"

static void test_describe(void)
{
	struct pybpf_object *obj = open_btf_obj();
	const struct btf *btf;
	struct pybpf_map *map;
	char small[8];
	char *s;

	REQUIRE(obj);
	btf = pybpf_object__btf(obj);
	REQUIRE(btf);
	map = pybpf_object__find_map_by_name(obj, "values");
	REQUIRE(map);
	REQUIRE(pybpf_map__btf_key_type_id(map) > 0);
	REQUIRE(pybpf_map__btf_value_type_id(map) > 0);
	CHECK(pybpf_map__btf_event_type_id(map) == 0); /* not a ring buffer */

	s = describe(btf, pybpf_map__btf_key_type_id(map)); /* rt_u32: a typedef */
	REQUIRE(s);
	CHECK(strcmp(s, UINT_JSON) == 0);

	s = describe(btf, pybpf_map__btf_value_type_id(map));
	REQUIRE(s);
	const char *want =
		"{\"kind\":\"struct\",\"name\":\"rt_value\",\"size\":48,\"members\":["
		"{\"name\":\"count\",\"offset\":0,\"bitfield\":0,\"type\":" UINT_JSON "},"
		"{\"name\":\"delta\",\"offset\":4,\"bitfield\":0,\"type\":{\"kind\":\"int\",\"name\":"
		"\"signed char\",\"size\":1,\"signed\":true,\"bool\":false,\"char\":false}},"
		"{\"name\":\"seen\",\"offset\":5,\"bitfield\":0,\"type\":{\"kind\":\"int\",\"name\":"
		"\"_Bool\",\"size\":1,\"signed\":false,\"bool\":true,\"char\":false}},"
		"{\"name\":\"color\",\"offset\":8,\"bitfield\":0,\"type\":{\"kind\":\"enum\",\"name\":"
		"\"rt_color\",\"size\":4,\"signed\":false,\"values\":{\"RT_RED\":0,\"RT_GREEN\":1,"
		"\"RT_BLUE\":7}}},"
		"{\"name\":\"name\",\"offset\":12,\"bitfield\":0,\"type\":{\"kind\":\"array\",\"size\":8,"
		"\"len\":8,\"elem\":{\"kind\":\"int\",\"name\":\"char\",\"size\":1,\"signed\":true,"
		"\"bool\":false,\"char\":true}}},"
		"{\"name\":\"bytes\",\"offset\":20,\"bitfield\":0,\"type\":{\"kind\":\"array\",\"size\":"
		"3,\"len\":3,\"elem\":{\"kind\":\"int\",\"name\":\"unsigned char\",\"size\":1,"
		"\"signed\":false,\"bool\":false,\"char\":false}}},"
		"{\"name\":\"flags\",\"offset\":24,\"bitfield\":0,\"type\":{\"kind\":\"struct\",\"name\":"
		"\"rt_flags\",\"size\":4,\"members\":["
		"{\"name\":\"low\",\"offset\":0,\"bitfield\":3,\"bit_offset\":0,\"type\":" UINT_JSON
		"},"
		"{\"name\":\"mid\",\"offset\":0,\"bitfield\":5,\"bit_offset\":3,\"type\":" INT_JSON
		"},"
		"{\"name\":\"high\",\"offset\":1,\"bitfield\":24,\"bit_offset\":8,\"type\":" UINT_JSON
		"}]}},"
		"{\"name\":\"num\",\"offset\":28,\"bitfield\":0,\"type\":{\"kind\":\"union\",\"name\":"
		"\"rt_num\",\"size\":4,\"members\":["
		"{\"name\":\"u\",\"offset\":0,\"bitfield\":0,\"type\":" UINT_JSON "},"
		"{\"name\":\"i\",\"offset\":0,\"bitfield\":0,\"type\":" INT_JSON "}]}},"
		"{\"name\":\"big\",\"offset\":32,\"bitfield\":0,\"type\":{\"kind\":\"int\",\"name\":"
		"\"long long\",\"size\":8,\"signed\":true,\"bool\":false,\"char\":false}},"
		"{\"name\":\"ptr\",\"offset\":40,\"bitfield\":0,\"type\":{\"kind\":\"ptr\",\"size\":8}}"
		"]}";
	if (!CHECK(strcmp(s, want) == 0))
		printf("  got:  %s\n  want: %s\n", s, want);

	/* void, and snprintf-like truncation */
	s = describe(btf, 0);
	CHECK(s && strcmp(s, "{\"kind\":\"void\",\"size\":0}") == 0);
	int n = pybpf_btf__describe(btf, pybpf_map__btf_key_type_id(map), small, sizeof(small));
	CHECK(n == (int)strlen(UINT_JSON));
	CHECK(strcmp(small, "{\"kind\"") == 0);
	CHECK(pybpf_btf__describe(btf, pybpf_map__btf_key_type_id(map), NULL, 0) == n);

	/* errors */
	CHECK(pybpf_btf__describe(btf, 100000, small, sizeof(small)) == -EINVAL && errno == EINVAL);
	CHECK(pybpf_btf__describe(NULL, 1, small, sizeof(small)) == -EINVAL);
	CHECK(pybpf_object__btf(NULL) == NULL && errno == EINVAL);
	CHECK(pybpf_map__btf_key_type_id(NULL) == 0 && pybpf_map__btf_event_type_id(NULL) == 0);
out:
	pybpf_object__close(obj);
}

static void test_format(void)
{
	struct pybpf_object *obj = open_btf_obj();
	struct rt_value v = {
		.count = 7,
		.delta = -2,
		.seen = 1,
		.color = RT_BLUE,
		.name = "bash",
		.bytes = {1, 2, 255},
		.flags = {.low = 5, .mid = -3, .high = 123456},
		.num = {.i = -1},
		.big = -5,
		.ptr = (void *)0x1234,
	};
	char buf[512], small[10];
	const struct btf *btf;
	__u32 id;

	REQUIRE(obj);
	btf = pybpf_object__btf(obj);
	REQUIRE(btf);
	id = pybpf_map__btf_value_type_id(pybpf_object__find_map_by_name(obj, "values"));
	REQUIRE(id > 0);
	int n = pybpf_btf__format(btf, id, &v, sizeof(v), buf, sizeof(buf));
	const char *want = "{count: 7, delta: -2, seen: true, color: RT_BLUE, name: \"bash\", "
			   "bytes: [1, 2, 255], flags: {low: 5, mid: -3, high: 123456}, "
			   "num: {u: 4294967295, i: -1}, big: -5, ptr: 0x1234}";
	if (!CHECK(n == (int)strlen(want) && strcmp(buf, want) == 0))
		printf("  got:  %s\n  want: %s\n", buf, want);

	/* text with quotes and escapes; an enum value without a name; a full
	 * char array without NUL */
	memcpy((char *)v.name, "a\"b\n\x01zzz", 8);
	v.color = (enum rt_color)5;
	v.seen = 0;
	pybpf_btf__format(btf, id, &v, sizeof(v), buf, sizeof(buf));
	CHECK(strstr(buf, "seen: false, color: 5, name: \"a\\\"b\\n\\x01zzz\", ") != NULL);

	/* truncation: the length of the whole text, what fits, NUL-terminated */
	int full = pybpf_btf__format(btf, id, &v, sizeof(v), NULL, 0);
	CHECK(full == (int)strlen(buf));
	CHECK(pybpf_btf__format(btf, id, &v, sizeof(v), small, sizeof(small)) == full);
	CHECK(strlen(small) == sizeof(small) - 1 && strncmp(small, buf, sizeof(small) - 1) == 0);

	/* too few bytes for the type */
	CHECK(pybpf_btf__format(btf, id, &v, sizeof(v) - 1, buf, sizeof(buf)) == -EINVAL);
	CHECK(pybpf_btf__format(btf, 0, &v, sizeof(v), buf, sizeof(buf)) == -EINVAL);
out:
	pybpf_object__close(obj);
}

typedef struct Expected {
	const char *name, *section;
	size_t size;
	unsigned long long value;
} Expected;

/* The globals of rt_btf.bpf.c, in BTF order (.bss, .data, .data.extra,
 * .data.st, .rodata), with their initial values. */
static const Expected expected_globals[] = {
	{"in", ".bss", 8, 0},
	{"out", ".bss", 8, 0},
	{"runs", ".data", 8, 100},
	{"hidden_static", ".data", 4, 5},
	{"extra", ".data.extra", 4, 42},
	{"only_static", ".data.st", 4, 9},
	{"factor", ".rodata", 4, 3},
};

static unsigned long long read_u(const struct pybpf_global *g)
{
	unsigned long long v = 0;
	if (pybpf_global__read(g, &v, pybpf_global__size(g)) != 0)
		return ~0ULL;
	return v;
}

static int write_u(struct pybpf_global *g, unsigned long long v)
{
	return pybpf_global__write(g, &v, pybpf_global__size(g));
}

static void test_globals_before_load(void)
{
	struct pybpf_object *obj = open_btf_obj();
	struct pybpf_global *g;
	size_t i = 0;

	REQUIRE(obj);
	pybpf_object__for_each_global(g, obj)
	{
		REQUIRE(i < sizeof(expected_globals) / sizeof(*expected_globals));
		const Expected *e = &expected_globals[i++];
		CHECK(strcmp(pybpf_global__name(g), e->name) == 0);
		CHECK(strcmp(pybpf_global__section(g), e->section) == 0);
		CHECK(pybpf_global__size(g) == e->size);
		if (!CHECK(read_u(g) == e->value))
			printf("  %s = %llu\n", e->name, read_u(g));
	}
	CHECK(i == sizeof(expected_globals) / sizeof(*expected_globals));

	g = pybpf_object__find_global(obj, "factor");
	REQUIRE(g);
	/* const volatile rt_u32: the type beneath the qualifiers and typedef */
	CHECK(strcmp(describe(pybpf_object__btf(obj), pybpf_global__btf_type_id(g)), UINT_JSON) ==
	      0);
	CHECK(write_u(g, 5) == 0 && read_u(g) == 5);
	/* the same handle again */
	CHECK(pybpf_object__find_global(obj, "factor") == g);

	unsigned long long big = 0;
	CHECK(pybpf_global__read(g, &big, 8) == -EINVAL && errno == EINVAL);
	CHECK(pybpf_global__write(g, &big, 2) == -EINVAL);
	CHECK(strstr(rt_messages, "global 'factor': 2 bytes given, the variable has 4") != NULL);
	CHECK(pybpf_global__write(NULL, &big, 4) == -EINVAL);
	CHECK(strstr(rt_messages, "global: NULL argument") != NULL);
	CHECK(pybpf_object__find_global(obj, "nope") == NULL && errno == ENOENT);
	CHECK(pybpf_object__find_global(obj, "LICENSE") == NULL); /* not a data section */
	CHECK(pybpf_object__find_global(NULL, "factor") == NULL && errno == EINVAL);
out:
	pybpf_object__close(obj);
}

/* Runs the XDP program once on a small packet. */
static int run_once(struct pybpf_object *obj)
{
	unsigned char pkt[64] = {0};
	LIBPYBPF_OPTS(pybpf_test_run_opts, ro, .data_in = pkt, .data_size_in = sizeof(pkt));
	int err = pybpf_program__test_run(pybpf_object__find_program_by_name(obj, "rt_btf_prog"),
					  &ro);
	return err ? err : (int)ro.retval;
}

static void test_globals_after_load(void)
{
	struct pybpf_object *obj = open_btf_obj();
	struct pybpf_global *factor, *in, *out, *runs, *extra, *only_static;

	REQUIRE(obj);
	factor = pybpf_object__find_global(obj, "factor");
	in = pybpf_object__find_global(obj, "in");
	out = pybpf_object__find_global(obj, "out");
	runs = pybpf_object__find_global(obj, "runs");
	extra = pybpf_object__find_global(obj, "extra");
	only_static = pybpf_object__find_global(obj, "only_static");
	REQUIRE(factor && in && out && runs && extra && only_static);
	REQUIRE(write_u(factor, 5) == 0 && write_u(in, 7) == 0 && write_u(extra, 1000) == 0);
	REQUIRE(write_u(only_static, 20) == 0);
	REQUIRE(pybpf_object__load(obj) == 0);
	/* .data.st is reached through the map fd, the others through mmap */
	CHECK(!(bpf_map__map_flags(
			pybpf_map__bpf_map(pybpf_object__find_map_by_name(obj, ".data.st"))) &
		BPF_F_MMAPABLE));
	CHECK(bpf_map__map_flags(pybpf_map__bpf_map(pybpf_object__find_map_by_name(obj, ".data"))) &
	      BPF_F_MMAPABLE);
	/* the handles stay valid across load */
	CHECK(pybpf_object__find_global(obj, "factor") == factor);
	REQUIRE(run_once(obj) == XDP_PASS);
	CHECK(read_u(out) == 35);
	CHECK(read_u(runs) == 101);
	CHECK(read_u(extra) == 1001);
	CHECK(read_u(only_static) == 22);
	CHECK(write_u(only_static, 100) == 0);
	/* live writes reach the program */
	CHECK(write_u(in, 10) == 0);
	CHECK(write_u(runs, 0) == 0);
	REQUIRE(run_once(obj) == XDP_PASS);
	CHECK(read_u(out) == 50);
	CHECK(read_u(runs) == 1);
	CHECK(read_u(only_static) == 102);
	/* .rodata is frozen */
	CHECK(write_u(factor, 9) == -EPERM && errno == EPERM);
	CHECK(strstr(rt_messages, "global 'factor': .rodata is read-only once loaded") != NULL);
	CHECK(read_u(factor) == 5);

	/* reading globals keeps nothing alive: the maps go with the object */
	struct pybpf_map_info info = {.sz = sizeof(info)};
	REQUIRE(pybpf_map__info(pybpf_object__find_map_by_name(obj, ".data"), &info) == 0);
	pybpf_object__close(obj);
	obj = NULL;
	int fd = -1;
	for (int i = 0; i < 100; i++) { /* the kernel frees maps in deferred work */
		fd = bpf_map_get_fd_by_id(info.id);
		if (fd < 0)
			break;
		close(fd);
		usleep(20000);
	}
	CHECK(fd < 0 && errno == ENOENT);
out:
	pybpf_object__close(obj);
}

static struct pybpf_object *compile_and_open(const char *src, const char *name);

static const char globals_src[] =
	"from pybpf import bpf, section, bpfglobal\n"
	"from ctypes import c_void_p, c_int32, c_uint64\n"
	"@bpf\n@bpfglobal\ndef counter() -> c_uint64:\n    return c_uint64(7)\n"
	"@bpf\n@section(\"xdp\")\ndef prog(ctx: c_void_p) -> c_int32:\n"
	"    global counter\n    counter += 1\n    return 2\n"
	"@bpf\n@bpfglobal\ndef LICENSE() -> str:\n    return \"GPL\"\n";

/*
 * Objects opened one after another (often at the addresses of the one just
 * closed) each show their own globals and values, before and after load.
 */
static void test_globals_fresh_after_close(void)
{
	struct pybpf_object *obj = NULL;
	bool root = geteuid() == 0;

	for (int i = 0; i < 8; i++) {
		obj = open_btf_obj();
		REQUIRE(obj);
		struct pybpf_global *runs = pybpf_object__find_global(obj, "runs");
		REQUIRE(runs);
		CHECK(read_u(runs) == 100);
		CHECK(write_u(runs, 500 + (unsigned)i) == 0);
		if (root) {
			REQUIRE(pybpf_object__load(obj) == 0);
			CHECK(read_u(runs) == 500 + (unsigned)i);
			REQUIRE(run_once(obj) == XDP_PASS);
			CHECK(read_u(runs) == 501 + (unsigned)i);
		}
		pybpf_object__close(obj);
		obj = NULL;
		if (i < 4)
			continue; /* the same object again, first */

		obj = compile_and_open(globals_src, "globals");
		REQUIRE(obj);
		CHECK(pybpf_object__find_global(obj, "runs") == NULL);
		struct pybpf_global *counter = pybpf_object__find_global(obj, "counter");
		REQUIRE(counter);
		CHECK(strcmp(pybpf_global__section(counter), ".data") == 0);
		CHECK(read_u(counter) == 7);
		if (root) {
			REQUIRE(pybpf_object__load(obj) == 0);
			CHECK(read_u(counter) == 7);
		}
		pybpf_object__close(obj);
		obj = NULL;
	}
out:
	pybpf_object__close(obj);
}

/* ---- event record types from the pybpf compiler ---- */

static const char events_src[] =
	"from pybpf import bpf, map, section, bpfglobal, struct\n"
	"from pybpf.maps import RingBuffer, PerfEventArray, HashMap\n"
	"from ctypes import c_void_p, c_int32, c_uint32, c_uint64\n"
	"\n"
	"@bpf\n@struct\nclass ev:\n    pid: c_uint32\n    comm: str(16)\n    ts: c_uint64\n"
	"\n"
	"@bpf\n@map\ndef ring() -> RingBuffer:\n    return RingBuffer(max_entries=4096)\n"
	"@bpf\n@map\ndef reserved() -> RingBuffer:\n    return RingBuffer(max_entries=4096)\n"
	"@bpf\n@map\ndef mixed() -> RingBuffer:\n    return RingBuffer(max_entries=4096)\n"
	"@bpf\n@map\ndef unused() -> RingBuffer:\n    return RingBuffer(max_entries=4096)\n"
	"@bpf\n@map\ndef perf() -> PerfEventArray:\n"
	"    return PerfEventArray(key_size=c_int32, value_size=c_int32)\n"
	"@bpf\n@map\ndef counts() -> HashMap:\n"
	"    return HashMap(key=c_uint32, value=c_uint64, max_entries=4)\n"
	"\n"
	"@bpf\n@section(\"raw_tp/sys_enter\")\n"
	"def prog(ctx: c_void_p) -> c_int32:\n"
	"    e = ev()\n"
	"    e.pid = 1\n"
	"    ring.output(e)\n"
	"    mixed.output(e)\n"
	"    mixed.output(c_uint64(7))\n"
	"    perf.output(c_uint64(9))\n"
	"    r = reserved.reserve(ev)\n"
	"    if r:\n"
	"        reserved.submit(r)\n"
	"    return 0\n"
	"\n"
	"@bpf\n@bpfglobal\ndef LICENSE() -> str:\n    return \"GPL\"\n";

static struct pybpf_object *compile_and_open(const char *src, const char *name)
{
	struct pybpf_result *res = NULL;
	struct pybpf_object *obj = NULL;
	LIBPYBPF_OPTS(pybpf_compile_opts, co, .filename = "events.py");
	LIBPYBPF_OPTS(pybpf_object_open_opts, oo, .object_name = name);
	size_t n;

	if (pybpf_compile(src, strlen(src), &co, &res) != 0) {
		printf("  compile failed:\n%s", pybpf_result__diags_text(res));
	} else {
		const void *data = pybpf_result__output(res, &n);
		obj = pybpf_object__open_mem(data, n, &oo);
	}
	pybpf_result__free(res);
	return obj;
}

static const char *type_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	return t ? btf__name_by_offset(btf, t->name_off) : "?";
}

static void test_event_types(void)
{
	struct pybpf_object *obj = compile_and_open(events_src, "events");
	const struct btf *btf;
	__u32 id;

	REQUIRE(obj);
	btf = pybpf_object__btf(obj);
	REQUIRE(btf);
	/* libbpf said nothing about the extra variables while opening */
	CHECK(strcmp(pybpf_object__load_log(obj), "") == 0);

	id = pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "ring"));
	REQUIRE(id > 0);
	CHECK(strcmp(type_name(btf, id), "ev") == 0);
	CHECK(strstr(describe(btf, id), "{\"name\":\"comm\",\"offset\":4,\"bitfield\":0,\"type\":"
					"{\"kind\":\"array\",\"size\":16,\"len\":16,") != NULL);
	CHECK(pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "reserved")) == id);
	id = pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "perf"));
	REQUIRE(id > 0);
	CHECK(strcmp(describe(btf, id),
		     "{\"kind\":\"int\",\"name\":\"unsigned long long\","
		     "\"size\":8,\"signed\":false,\"bool\":false,\"char\":false}") == 0);
	/* two record types, none, or not an event map: unknown */
	CHECK(pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "mixed")) == 0);
	CHECK(pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "unused")) == 0);
	CHECK(pybpf_map__btf_event_type_id(pybpf_object__find_map_by_name(obj, "counts")) == 0);
	/* the variables carrying them are not globals */
	CHECK(pybpf_object__next_global(obj, NULL) == NULL);
	CHECK(pybpf_object__find_global(obj, "__pybpf_event_ring") == NULL);

	if (geteuid() == 0) {
		/* the kernel takes the BTF, libbpf still says nothing */
		REQUIRE(pybpf_object__load(obj) == 0);
		CHECK(strcmp(pybpf_object__load_log(obj), "") == 0);
		struct pybpf_map_info info = {.sz = sizeof(info)};
		CHECK(pybpf_map__info(pybpf_object__find_map_by_name(obj, "counts"), &info) == 0 &&
		      info.btf_id > 0);
	}
out:
	pybpf_object__close(obj);
}

int main(void)
{
	pybpf_set_print(rt_print);
	RUN(test_describe);
	RUN(test_format);
	RUN(test_globals_before_load);
	RUN(test_event_types);
	RUN(test_globals_fresh_after_close);
	if (geteuid() != 0)
		printf("SKIP: test_globals_after_load needs root\n");
	else
		RUN(test_globals_after_load);
	return rt_finish();
}
