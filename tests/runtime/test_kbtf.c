/*
 * test_kbtf.c - libpybpf's kernel BTF API (kbtf.c): opening BTF files,
 * names in pythonbpf's spelling, enum constants, one-level descriptions,
 * "did you mean", kfuncs.
 *
 * The expectations come from libbpf's own BTF accessors (btf__find_by_name_kind,
 * btf_members) and from the kernel's UAPI numbers (XDP_PASS is 2), not from
 * the code under test. Reads /sys/kernel/btf/vmlinux (or $PYBPF_VMLINUX_BTF);
 * prints "SKIP: ..." when the kernel has none.
 */
#include "rt_test.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

static struct btf *vmlinux;

static int struct_id(const char *name)
{
	return btf__find_by_name_kind(vmlinux, name, BTF_KIND_STRUCT);
}

static void test_open(void)
{
	struct btf *btf;

	errno = 0;
	CHECK(pybpf_btf__open("/nonexistent/vmlinux") == NULL);
	CHECK(errno == ENOENT);
	CHECK(pybpf_btf__open(NULL) == NULL && errno == EINVAL);
	pybpf_btf__free(NULL);

	setenv("PYBPF_VMLINUX_BTF", "/nonexistent/btf", 1);
	CHECK(strcmp(pybpf_btf__vmlinux_path(), "/nonexistent/btf") == 0);
	CHECK(pybpf_btf__load_vmlinux() == NULL && errno == ENOENT);
	setenv("PYBPF_VMLINUX_BTF", "", 1);
	CHECK(strcmp(pybpf_btf__vmlinux_path(), "/sys/kernel/btf/vmlinux") == 0);
	unsetenv("PYBPF_VMLINUX_BTF");
	CHECK(strcmp(pybpf_btf__vmlinux_path(), "/sys/kernel/btf/vmlinux") == 0);

	btf = pybpf_btf__load_vmlinux();
	REQUIRE(btf);
	CHECK(btf__type_cnt(btf) == btf__type_cnt(vmlinux));
out:
	pybpf_btf__free(btf);
}

static void test_find_name(void)
{
	int task = struct_id("task_struct");

	REQUIRE(task > 0);
	CHECK(pybpf_btf__find_name(vmlinux, "struct_task_struct") == task);
	CHECK(pybpf_btf__find_name(vmlinux, "task_struct") == task);
	CHECK(pybpf_btf__find_name(vmlinux, "struct_xdp_md") == struct_id("xdp_md"));
	CHECK(pybpf_btf__find_name(vmlinux, "u32") ==
	      btf__find_by_name_kind(vmlinux, "u32", BTF_KIND_TYPEDEF));
	CHECK(pybpf_btf__find_name(vmlinux, "enum_xdp_action") ==
	      btf__find_by_name_kind(vmlinux, "xdp_action", BTF_KIND_ENUM));
	CHECK(pybpf_btf__find_name(vmlinux, "int") ==
	      btf__find_by_name_kind(vmlinux, "int", BTF_KIND_INT));
	/* a struct named with the union prefix is not a union, but the whole
	 * name is tried as a plain name too */
	CHECK(pybpf_btf__find_name(vmlinux, "union_task_struct") == -ENOENT);
	errno = 0;
	CHECK(pybpf_btf__find_name(vmlinux, "struct_no_such_struct_here") == -ENOENT);
	CHECK(errno == ENOENT);
	CHECK(pybpf_btf__find_name(vmlinux, "struct_") == -ENOENT);
	CHECK(pybpf_btf__find_name(vmlinux, "") == -EINVAL);
	CHECK(pybpf_btf__find_name(NULL, "u32") == -EINVAL);
out:;
}

static void test_enum_values(void)
{
	long long v = -1;
	char *buf = NULL;
	int n;

	CHECK(pybpf_btf__find_enum_value(vmlinux, "XDP_PASS", &v) == 0 && v == 2);
	CHECK(pybpf_btf__find_enum_value(vmlinux, "BPF_MAP_TYPE_HASH", &v) == 0 && v == 1);
	CHECK(pybpf_btf__find_enum_value(vmlinux, "BPF_ANY", &v) == 0 && v == 0);
	CHECK(pybpf_btf__find_enum_value(vmlinux, "XDP_NO_SUCH_ACTION", &v) == -ENOENT);
	CHECK(pybpf_btf__find_enum_value(vmlinux, "XDP_PASS", NULL) == -EINVAL);

	n = pybpf_btf__enum_constants(vmlinux, NULL, 0);
	REQUIRE(n > 1000);
	buf = malloc((size_t)n + 1);
	REQUIRE(buf);
	CHECK(pybpf_btf__enum_constants(vmlinux, buf, (size_t)n + 1) == n);
	CHECK(buf[0] == '{' && buf[n - 1] == '}' && buf[n] == 0);
	CHECK(strstr(buf, "\"XDP_PASS\":2,") != NULL);
	CHECK(strstr(buf, "\"XDP_ABORTED\":0,") != NULL);
out:
	free(buf);
}

static void test_describe_shallow(void)
{
	char want[256], big[1 << 16], small[16];
	int task = struct_id("task_struct"), list_head = struct_id("list_head");
	int xdp = struct_id("xdp_md"), n;
	const struct btf_type *t;
	const struct btf_member *m;

	REQUIRE(task > 0 && list_head > 0 && xdp > 0);
	n = pybpf_btf__describe_shallow(vmlinux, (__u32)xdp, big, sizeof(big));
	REQUIRE(n > 0 && (size_t)n < sizeof(big));
	snprintf(want, sizeof(want),
		 "{\"kind\":\"struct\",\"id\":%d,\"name\":\"xdp_md\",\"size\":24,", xdp);
	CHECK(strncmp(big, want, strlen(want)) == 0);
	CHECK(strstr(big, "{\"name\":\"data_end\",\"offset\":4,\"bitfield\":0,\"type\":{\"kind\":"
			  "\"int\",\"name\":\"unsigned int\",\"size\":4,") != NULL);
	/* snprintf-like: a short buffer gets the same length back, truncated text */
	CHECK(pybpf_btf__describe_shallow(vmlinux, (__u32)xdp, small, sizeof(small)) == n);
	CHECK(strlen(small) == sizeof(small) - 1 && strncmp(small, big, sizeof(small) - 1) == 0);

	n = pybpf_btf__describe_shallow(vmlinux, (__u32)task, big, sizeof(big));
	REQUIRE(n > 0 && (size_t)n < sizeof(big));
	/* task_struct's members, with offsets as libbpf reads them */
	t = btf__type_by_id(vmlinux, (__u32)task);
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *name = btf__name_by_offset(vmlinux, m->name_off);
		if (strcmp(name, "tasks") == 0) {
			snprintf(
				want, sizeof(want),
				"{\"name\":\"tasks\",\"offset\":%u,\"bitfield\":0,\"type\":"
				"{\"kind\":\"struct\",\"id\":%d,\"name\":\"list_head\",\"size\":16}}",
				btf_member_bit_offset(t, i) / 8, list_head);
			CHECK(strstr(big, want) != NULL);
		} else if (strcmp(name, "real_parent") == 0) {
			snprintf(want, sizeof(want),
				 "{\"name\":\"real_parent\",\"offset\":%u,\"bitfield\":0,\"type\":"
				 "{\"kind\":\"ptr\",\"size\":8,\"target\":%d}}",
				 btf_member_bit_offset(t, i) / 8, task);
			CHECK(strstr(big, want) != NULL);
		} else if (strcmp(name, "pid") == 0) {
			snprintf(want, sizeof(want), "{\"name\":\"pid\",\"offset\":%u,",
				 btf_member_bit_offset(t, i) / 8);
			CHECK(strstr(big, want) != NULL);
		}
	}
	/* one level: the nested list_head's members are not there */
	CHECK(strstr(big, "\"name\":\"next\"") == NULL);
	/* a typedef is followed */
	n = pybpf_btf__describe_shallow(
		vmlinux, (__u32)btf__find_by_name_kind(vmlinux, "u32", BTF_KIND_TYPEDEF), big,
		sizeof(big));
	CHECK(n > 0 &&
	      strstr(big, "{\"kind\":\"int\",\"name\":\"unsigned int\",\"size\":4,") == big);
	CHECK(pybpf_btf__describe_shallow(vmlinux, 0x7fffffff, big, sizeof(big)) == -EINVAL);
	CHECK(pybpf_btf__describe_shallow(NULL, 1, big, sizeof(big)) == -EINVAL);
out:;
}

static void test_suggest(void)
{
	char buf[256];

	CHECK(pybpf_btf__suggest(vmlinux, "struct_task_strct", buf, sizeof(buf)) ==
	      (int)strlen("struct_task_struct"));
	CHECK(strcmp(buf, "struct_task_struct") == 0);
	CHECK(pybpf_btf__suggest(vmlinux, "XDP_PAS", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "XDP_PASS") == 0);
	CHECK(pybpf_btf__suggest(vmlinux, "task_strucc", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "task_struct") == 0);
	CHECK(pybpf_btf__suggest(vmlinux, "enum_xdp_acton", buf, sizeof(buf)) > 0);
	CHECK(strcmp(buf, "enum_xdp_action") == 0);
	errno = 0;
	CHECK(pybpf_btf__suggest(vmlinux, "qqqq_zzzz_nothing_like_it", buf, sizeof(buf)) ==
	      -ENOENT);
	CHECK(errno == ENOENT);
}

/* Whether some function of the BTF is tagged bpf_kfunc (libbpf's view). */
static bool has_kfunc_tags(void)
{
	for (__u32 i = 1; i < btf__type_cnt(vmlinux); i++) {
		const struct btf_type *t = btf__type_by_id(vmlinux, i);
		if (btf_is_decl_tag(t) &&
		    strcmp(btf__name_by_offset(vmlinux, t->name_off), "bpf_kfunc") == 0)
			return true;
	}
	return false;
}

static void test_find_kfunc(void)
{
	int from_pid = btf__find_by_name_kind(vmlinux, "bpf_task_from_pid", BTF_KIND_FUNC);
	int open = btf__find_by_name_kind(vmlinux, "do_sys_open", BTF_KIND_FUNC);

	REQUIRE(from_pid > 0 && open > 0);
	CHECK(pybpf_btf__find_kfunc(vmlinux, "bpf_task_from_pid") == from_pid);
	/* a function that is not a kfunc, when the BTF says which ones are */
	CHECK(pybpf_btf__find_kfunc(vmlinux, "do_sys_open") == (has_kfunc_tags() ? -EPERM : open));
	CHECK(pybpf_btf__find_kfunc(vmlinux, "bpf_no_such_kfunc_here") == -ENOENT);
	CHECK(pybpf_btf__find_kfunc(vmlinux, "task_struct") == -ENOENT); /* a struct */
	CHECK(pybpf_btf__find_kfunc(vmlinux, "") == -EINVAL);
	CHECK(pybpf_btf__find_kfunc(NULL, "bpf_task_from_pid") == -EINVAL);
out:;
}

int main(void)
{
	const char *path = getenv("PYBPF_VMLINUX_BTF");

	pybpf_set_print(rt_print);
	if (!path || !*path)
		path = "/sys/kernel/btf/vmlinux";
	if (access(path, R_OK) != 0) {
		printf("SKIP: %s is not readable (kernel without BTF)\n", path);
		return 0;
	}
	vmlinux = btf__parse(path, NULL);
	if (!vmlinux) {
		printf("FAIL: libbpf cannot read %s\n", path);
		return 1;
	}
	RUN(test_open);
	RUN(test_find_name);
	RUN(test_enum_values);
	RUN(test_describe_shallow);
	RUN(test_suggest);
	RUN(test_find_kfunc);
	btf__free(vmlinux);
	return rt_finish();
}
