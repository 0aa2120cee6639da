/*
 * test_attach.c - libpybpf's explicit attach, links, test runs, pins, map
 * batches and per-CPU values, and open/before-load options against the
 * running kernel (needs root; prints SKIP otherwise).
 *
 * Every attach is proven by its effect, counted by the BPF program in a map:
 * tracepoints by this process's getppid() calls, uprobes and USDT by running
 * rt_target (built with the tests), XDP and tc by UDP packets sent through a
 * veth pair into a network namespace the test creates, socket filters by
 * packets a UDP socket receives or does not, cgroup programs by a child in a
 * temporary cgroup v2 creating sockets, perf events by CPU clock samples.
 * Detaching is proven the same way: the count stops. Whatever a test
 * creates (netns, veth, cgroup, bpffs pins) it removes, also when a check
 * fails (REQUIRE jumps to its cleanup).
 */
#define _GNU_SOURCE
#include "rt_test.h"

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <gelf.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pybpf/libpybpf.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static __u32 my_pid;
static char pin_dir[64]; /* /sys/fs/bpf/pbt5h1_<pid>, made in main */
static const __u16 port = 42424;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void call_getppid(int times)
{
	while (times-- > 0)
		syscall(SYS_getppid);
}

/* Runs a shell command quietly; its exit status (-1 if it did not run). */
__attribute__((format(printf, 1, 2))) static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	strncat(cmd, " >/dev/null 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	st = system(cmd);
	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

/* Waits for a child; its exit status, or -1. */
static int wait_child(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Runs rt_target with argument n; its exit status. */
static int run_target(int n)
{
	char arg[16];
	pid_t pid;

	snprintf(arg, sizeof(arg), "%d", n);
	pid = fork();
	if (pid == 0) {
		execl(RT_TARGET, RT_TARGET, arg, (char *)NULL);
		_exit(127);
	}
	return wait_child(pid);
}

static __u64 slot(const struct pybpf_map *map, __u32 key)
{
	__u64 v = ~0ULL;

	if (pybpf_map__lookup(map, &key, sizeof(key), &v, sizeof(v), 0) < 0)
		return ~0ULL;
	return v;
}

static int set_u32(const struct pybpf_map *map, __u32 key, __u32 value)
{
	return pybpf_map__update(map, &key, sizeof(key), &value, sizeof(value), BPF_ANY);
}

static int set_u64(const struct pybpf_map *map, __u32 key, __u64 value)
{
	return pybpf_map__update(map, &key, sizeof(key), &value, sizeof(value), BPF_ANY);
}

/* Waits up to a second for slot `key` of map to reach want; its value. */
static __u64 slot_settle(const struct pybpf_map *map, __u32 key, __u64 want)
{
	long long deadline = now_ms() + 1000;
	__u64 v;

	while ((v = slot(map, key)) != want && now_ms() < deadline)
		usleep(5 * 1000);
	return v;
}

static __u32 prog_id(const struct pybpf_program *prog)
{
	LIBPYBPF_OPTS(pybpf_prog_info, info);

	return pybpf_program__info(prog, &info) == 0 ? info.id : 0;
}

static struct pybpf_program *find_prog(const struct pybpf_object *obj, const char *name)
{
	return pybpf_object__find_program_by_name(obj, name);
}

static struct pybpf_map *find_map(const struct pybpf_object *obj, const char *name)
{
	return pybpf_object__find_map_by_name(obj, name);
}

/* Opens and loads tests/runtime/bpf/NAME.bpf.c's object. */
static struct pybpf_object *load(const char *name)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path(name), NULL);

	if (obj && pybpf_object__load(obj) < 0) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* rt_probes with target[0] = this process. */
static struct pybpf_object *load_probes(void)
{
	struct pybpf_object *obj = load("rt_probes");

	if (obj && set_u32(find_map(obj, "target"), 0, my_pid) < 0) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* rt_net with cfg[0] = the test port. */
static struct pybpf_object *load_net(void)
{
	struct pybpf_object *obj = load("rt_net");

	if (obj && set_u32(find_map(obj, "cfg"), 0, port) < 0) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

/* ---- tracepoints, kprobes, uprobes, USDT, perf events ---- */

static void test_tracepoints(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *tp = NULL, *raw = NULL, *bad = NULL;
	const struct pybpf_map *hits;

	REQUIRE(obj);
	hits = find_map(obj, "hits");
	tp = pybpf_program__attach_tracepoint(find_prog(obj, "tp_any"), "syscalls",
					      "sys_enter_getppid");
	REQUIRE(tp);
	raw = pybpf_program__attach_raw_tracepoint(find_prog(obj, "raw_any"), "sys_enter");
	REQUIRE(raw);
	CHECK(pybpf_link__fd(tp) >= 0 && pybpf_link__fd(raw) >= 0);
	call_getppid(3);
	CHECK(slot(hits, 0) == 3);
	CHECK(slot(hits, 1) == 3);

	CHECK(pybpf_link__destroy(tp) == 0);
	tp = NULL;
	call_getppid(2);
	CHECK(slot(hits, 0) == 3);
	CHECK(slot(hits, 1) == 5);
	CHECK(pybpf_link__destroy(raw) == 0);
	raw = NULL;
	call_getppid(2);
	CHECK(slot(hits, 1) == 5);

	errno = 0;
	bad = pybpf_program__attach_tracepoint(find_prog(obj, "tp_any"), "syscalls",
					       "sys_enter_pybpf_nope");
	CHECK(!bad && errno == ENOENT);
	CHECK(strstr(rt_messages, "prog 'tp_any': tracepoint attach to "
				  "'syscalls/sys_enter_pybpf_nope' failed") != NULL);
	errno = 0;
	bad = pybpf_program__attach_raw_tracepoint(find_prog(obj, "raw_any"), "pybpf_nope");
	CHECK(!bad && errno == ENOENT);
	errno = 0;
	CHECK(!pybpf_program__attach_tracepoint(find_prog(obj, "tp_any"), NULL, "x") &&
	      errno == EINVAL);
out:
	pybpf_link__destroy(bad);
	pybpf_link__destroy(tp);
	pybpf_link__destroy(raw);
	pybpf_object__close(obj);
}

/* This kernel has no kprobes (CONFIG_KPROBES off): the attach must fail
 * with an errno and a message, nothing else. Where kprobes exist, the probe
 * must fire. */
static void test_kprobe(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *link = NULL;
	int has_kprobes = access("/sys/bus/event_source/devices/kprobe", F_OK) == 0 ||
			  access("/sys/kernel/tracing/kprobe_events", F_OK) == 0;
	int retprobe;

	REQUIRE(obj);
	for (retprobe = 0; retprobe <= 1; retprobe++) {
		rt_messages_len = 0;
		rt_messages[0] = '\0';
		errno = 0;
		link = pybpf_program__attach_kprobe(find_prog(obj, "kp_any"), retprobe,
						    "__x64_sys_getppid", 0);
		if (has_kprobes) {
			CHECK(link);
			call_getppid(2);
			CHECK(slot(find_map(obj, "hits"), 2) >= 2);
		} else {
			CHECK(!link && errno > 0);
			CHECK(strstr(rt_messages, retprobe ? "prog 'kp_any': kretprobe attach to "
							     "'__x64_sys_getppid' failed"
							   : "prog 'kp_any': kprobe attach to "
							     "'__x64_sys_getppid' failed") != NULL);
		}
		pybpf_link__destroy(link);
		link = NULL;
	}
out:
	pybpf_object__close(obj);
}

/* The file offset of a function symbol, read from the ELF file with libelf
 * (independently of libbpf): its address minus its section's address plus
 * the section's file offset. 0 when not found. */
static size_t elf_func_offset(const char *path, const char *func)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	size_t off = 0;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf && !off && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		n = sh.sh_entsize ? sh.sh_size / sh.sh_entsize : 0;
		for (i = 0; data && i < n && !off; i++) {
			GElf_Sym sym;
			GElf_Shdr tsh;
			const char *name;

			if (!gelf_getsym(data, (int)i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || strcmp(name, func) != 0)
				continue;
			if (gelf_getshdr(elf_getscn(elf, sym.st_shndx), &tsh))
				off = sym.st_value - tsh.sh_addr + tsh.sh_offset;
		}
	}
	elf_end(elf);
	close(fd);
	return off;
}

static void test_uprobe_by_symbol(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *entry = NULL, *ret = NULL, *bad = NULL;
	const struct pybpf_map *hits, *sums;

	REQUIRE(obj);
	hits = find_map(obj, "hits");
	sums = find_map(obj, "sums");
	entry = pybpf_program__attach_uprobe(find_prog(obj, "up_entry"), false, -1, RT_TARGET,
					     "rt_target_func", 0);
	REQUIRE(entry);
	ret = pybpf_program__attach_uprobe(find_prog(obj, "up_return"), true, -1, RT_TARGET,
					   "rt_target_func", 0);
	REQUIRE(ret);
	REQUIRE(run_target(5) == 0);
	CHECK(slot(hits, 3) == 5);
	CHECK(slot(hits, 4) == 5);
	CHECK(slot(sums, 0) == 1 + 2 + 3 + 4 + 5);  /* the arguments */
	CHECK(slot(sums, 1) == 3 + 5 + 7 + 9 + 11); /* the return values, 2 * x + 1 */

	CHECK(pybpf_link__destroy(entry) == 0 && pybpf_link__destroy(ret) == 0);
	entry = ret = NULL;
	REQUIRE(run_target(2) == 0);
	CHECK(slot(hits, 3) == 5 && slot(hits, 4) == 5);

	errno = 0;
	bad = pybpf_program__attach_uprobe(find_prog(obj, "up_entry"), false, -1, RT_TARGET,
					   "pybpf_no_such_func", 0);
	CHECK(!bad && errno == ENOENT);
	CHECK(strstr(rt_messages, "prog 'up_entry': uprobe attach to") != NULL);
	errno = 0;
	bad = pybpf_program__attach_uprobe(find_prog(obj, "up_entry"), false, -1,
					   "/nonexistent/pybpf-bin", "main", 0);
	CHECK(!bad && errno == ENOENT);
out:
	pybpf_link__destroy(bad);
	pybpf_link__destroy(entry);
	pybpf_link__destroy(ret);
	pybpf_object__close(obj);
}

static void test_uprobe_by_offset(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *link = NULL;
	const struct pybpf_map *hits, *sums;
	size_t off = elf_func_offset(RT_TARGET, "rt_target_func");

	REQUIRE(obj);
	REQUIRE(off > 0);
	hits = find_map(obj, "hits");
	sums = find_map(obj, "sums");
	link = pybpf_program__attach_uprobe(find_prog(obj, "up_entry"), false, -1, RT_TARGET, NULL,
					    off);
	REQUIRE(link);
	REQUIRE(run_target(4) == 0);
	CHECK(slot(hits, 3) == 4);
	CHECK(slot(sums, 0) == 1 + 2 + 3 + 4);
	pybpf_link__destroy(link);

	/* only for one process: this one, which never runs rt_target_func */
	link = pybpf_program__attach_uprobe(find_prog(obj, "up_entry"), false, (pid_t)my_pid,
					    RT_TARGET, NULL, off);
	REQUIRE(link);
	REQUIRE(run_target(3) == 0);
	CHECK(slot(hits, 3) == 4);
out:
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

static void test_usdt(void)
{
#ifdef RT_NO_SDT
	printf("  note: built without sys/sdt.h, rt_target has no USDT probe: not tested\n");
#else
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *link = NULL, *bad = NULL;
	const struct pybpf_map *hits, *sums;

	REQUIRE(obj);
	hits = find_map(obj, "hits");
	sums = find_map(obj, "sums");
	link = pybpf_program__attach_usdt(find_prog(obj, "usdt_tick"), -1, RT_TARGET, "pybpf_rt",
					  "tick", 0x1234);
	REQUIRE(link);
	REQUIRE(run_target(3) == 0);
	CHECK(slot(hits, 5) == 3);
	CHECK(slot(sums, 2) == 1 + 2 + 3);  /* the probe's argument */
	CHECK(slot(sums, 3) == 3 * 0x1234); /* the cookie */
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	REQUIRE(run_target(2) == 0);
	CHECK(slot(hits, 5) == 3);

	errno = 0;
	bad = pybpf_program__attach_usdt(find_prog(obj, "usdt_tick"), -1, RT_TARGET, "pybpf_rt",
					 "no_such_probe", 0);
	CHECK(!bad && errno == ENOENT);
	CHECK(strstr(rt_messages, "prog 'usdt_tick': usdt attach to") != NULL);
out:
	pybpf_link__destroy(bad);
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
#endif
}

/* Burns ms milliseconds of this thread's CPU time (the cpu-clock event
 * counts CPU time, not wall time); gives up after 5 s of wall time. */
static long long cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void spin_ms(int ms)
{
	long long deadline = now_ms() + 5000, end = cpu_ms() + ms;
	volatile unsigned long x = 0;
	int i;

	while (cpu_ms() < end && now_ms() < deadline)
		for (i = 0; i < 10000; i++)
			x++;
}

static void test_perf_event(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *link = NULL;
	const struct pybpf_map *hits;
	int fd = -1;

	REQUIRE(obj);
	hits = find_map(obj, "hits");
	/* this process, any CPU, a sample every millisecond of CPU time */
	fd = pybpf_perf_event__open(PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK, 1000000, -1, 0);
	REQUIRE(fd >= 0);
	link = pybpf_program__attach_perf_event(find_prog(obj, "on_sample"), fd);
	REQUIRE(link);
	close(fd); /* the link has its own copy */
	fd = -1;
	CHECK(pybpf_link__fd(link) >= 0);
	spin_ms(100);
	CHECK(slot(hits, 6) >= 10);
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	REQUIRE(set_u64(hits, 6, 0) == 0);
	spin_ms(30);
	CHECK(slot(hits, 6) == 0);

	errno = 0;
	CHECK(pybpf_perf_event__open(0x7fff, 0, 1, -1, 0) < 0 && errno != 0);
	errno = 0;
	CHECK(!pybpf_program__attach_perf_event(find_prog(obj, "on_sample"), -1) &&
	      errno == EINVAL);
out:
	if (fd >= 0)
		close(fd);
	pybpf_link__destroy(link);
	pybpf_object__close(obj);
}

/* ---- a veth pair: pbt5h1a<pid> here, pbt5h1b<pid> in netns pbt5h1n<pid> ---- */

struct net {
	char ns[32], a[IFNAMSIZ], b[IFNAMSIZ];
	int ifindex; /* of a */
};

static void net_down(struct net *n)
{
	if (n->ns[0])
		sh("ip netns del %s", n->ns);
	if (n->a[0])
		sh("ip link del %s", n->a);
}

/* 10.251.91.1/24 on a, 10.251.91.2/24 on b; 0 or -1. */
static int net_up(struct net *n)
{
	unsigned id = my_pid % 100000;

	snprintf(n->ns, sizeof(n->ns), "pbt5h1n%u", id);
	snprintf(n->a, sizeof(n->a), "pbt5h1a%u", id);
	snprintf(n->b, sizeof(n->b), "pbt5h1b%u", id);
	net_down(n); /* leftovers of an earlier run with the same pid */
	if (sh("ip netns add %s", n->ns) ||
	    sh("ip link add %s type veth peer name %s", n->a, n->b) ||
	    sh("ip link set %s netns %s", n->b, n->ns) ||
	    sh("ip addr add 10.251.91.1/24 dev %s", n->a) || sh("ip link set %s up", n->a) ||
	    sh("ip -n %s addr add 10.251.91.2/24 dev %s", n->ns, n->b) ||
	    sh("ip -n %s link set %s up", n->ns, n->b) || sh("ip -n %s link set lo up", n->ns))
		return -1;
	n->ifindex = (int)if_nametoindex(n->a);
	return n->ifindex > 0 ? 0 : -1;
}

/* From inside the netns, sends cnt UDP packets to 10.251.91.1:port (through
 * b to a). 0 when all were sent. */
static int net_send(const struct net *n, int cnt)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(port)};
		char path[64];
		int nsfd, s, i;

		snprintf(path, sizeof(path), "/var/run/netns/%s", n->ns);
		nsfd = open(path, O_RDONLY | O_CLOEXEC);
		if (nsfd < 0 || setns(nsfd, CLONE_NEWNET) < 0)
			_exit(2);
		inet_pton(AF_INET, "10.251.91.1", &to.sin_addr);
		s = socket(AF_INET, SOCK_DGRAM, 0);
		for (i = 0; i < cnt; i++) {
			if (sendto(s, "pybpf", 5, 0, (struct sockaddr *)&to, sizeof(to)) != 5)
				_exit(3);
			usleep(2000);
		}
		_exit(0);
	}
	return wait_child(pid);
}

static __u32 xdp_prog_on(int ifindex, int skb_mode)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query(ifindex, 0, &q) < 0)
		return ~0U;
	return skb_mode ? q.skb_prog_id : q.prog_id;
}

static void test_xdp_link(void)
{
	struct pybpf_object *obj = load_net();
	struct pybpf_link *link = NULL;
	const struct pybpf_map *pkts;
	struct net n = {0};
	__u32 id;

	REQUIRE(obj);
	pkts = find_map(obj, "pkts");
	id = prog_id(find_prog(obj, "xdp_count"));
	REQUIRE(net_up(&n) == 0);
	link = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), n.ifindex, 0);
	REQUIRE(link);
	CHECK(pybpf_link__fd(link) >= 0); /* a BPF link */
	CHECK(xdp_prog_on(n.ifindex, 0) == id);
	REQUIRE(net_send(&n, 5) == 0);
	CHECK(slot_settle(pkts, 0, 5) == 5);
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(xdp_prog_on(n.ifindex, 0) == 0);
	REQUIRE(net_send(&n, 2) == 0);
	usleep(50 * 1000);
	CHECK(slot(pkts, 0) == 5);

	errno = 0;
	CHECK(!pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), 0, 0) && errno == EINVAL);
	errno = 0;
	link = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), 0x7ffffff0, 0);
	CHECK(!link && errno != 0);
	CHECK(strstr(rt_messages, "prog 'xdp_count': xdp attach to 'ifindex 2147483632' "
				  "failed") != NULL);
out:
	pybpf_link__destroy(link);
	net_down(&n);
	pybpf_object__close(obj);
}

static void test_xdp_flags(void)
{
	struct pybpf_object *obj = load_net();
	struct pybpf_link *link = NULL, *again = NULL;
	const struct pybpf_program *other;
	const struct pybpf_map *pkts;
	struct net n = {0};
	__u32 id;

	REQUIRE(obj);
	pkts = find_map(obj, "pkts");
	id = prog_id(find_prog(obj, "xdp_count"));
	REQUIRE(net_up(&n) == 0);
	link = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), n.ifindex,
					 XDP_FLAGS_SKB_MODE);
	REQUIRE(link);
	CHECK(xdp_prog_on(n.ifindex, 1) == id); /* in generic (skb) mode */
	errno = 0;
	CHECK(pybpf_link__fd(link) == -EOPNOTSUPP && errno == EOPNOTSUPP);
	CHECK(pybpf_link__bpf_link(link) == NULL);
	errno = 0;
	CHECK(pybpf_link__pin(link, "/sys/fs/bpf/pybpf-never") == -EOPNOTSUPP);
	CHECK(strstr(rt_messages, "link: a xdp (netlink) link cannot be pinned") != NULL);
	REQUIRE(net_send(&n, 4) == 0);
	CHECK(slot_settle(pkts, 0, 4) == 4);

	/* the interface is taken: UPDATE_IF_NOEXIST refuses */
	errno = 0;
	again = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), n.ifindex,
					  XDP_FLAGS_SKB_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST);
	CHECK(!again && errno == EBUSY);

	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(xdp_prog_on(n.ifindex, 1) == 0);
	REQUIRE(net_send(&n, 2) == 0);
	usleep(50 * 1000);
	CHECK(slot(pkts, 0) == 4);

	/* a program that replaced ours is left alone by our destroy */
	link = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), n.ifindex,
					 XDP_FLAGS_SKB_MODE);
	REQUIRE(link);
	other = find_prog(obj, "xdp_other");
	REQUIRE(bpf_xdp_attach(n.ifindex, pybpf_program__fd(other), XDP_FLAGS_SKB_MODE, NULL) == 0);
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(xdp_prog_on(n.ifindex, 1) == prog_id(other));
	CHECK(strstr(rt_messages, "runs another program now; left alone") != NULL);
	CHECK(bpf_xdp_detach(n.ifindex, XDP_FLAGS_SKB_MODE, NULL) == 0);

	/* the interface goes before the link: destroy still succeeds */
	link = pybpf_program__attach_xdp(find_prog(obj, "xdp_count"), n.ifindex,
					 XDP_FLAGS_SKB_MODE);
	REQUIRE(link);
	net_down(&n);
	memset(&n, 0, sizeof(n));
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
out:
	pybpf_link__destroy(again);
	pybpf_link__destroy(link);
	net_down(&n);
	pybpf_object__close(obj);
}

/* Does ifindex have a clsact qdisc? Asks by trying to create one (and
 * removes it again if that worked). */
static int has_clsact(int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = BPF_TC_INGRESS);
	int err = bpf_tc_hook_create(&hook);

	if (err == 0) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
		return 0;
	}
	return err == -EEXIST ? 1 : -1;
}

/* The id of the program of the tc filter (handle, priority) on ifindex. */
static __u32 tc_prog_on(int ifindex, enum bpf_tc_attach_point point, __u32 handle, __u32 prio)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex, .attach_point = point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = handle, .priority = prio);

	return bpf_tc_query(&hook, &opts) == 0 ? opts.prog_id : 0;
}

static void test_tc(void)
{
	struct pybpf_object *obj = load_net();
	struct pybpf_link *in = NULL, *eg = NULL;
	const struct pybpf_program *prog;
	const struct pybpf_map *pkts;
	struct net n = {0};
	__u32 id;

	REQUIRE(obj);
	pkts = find_map(obj, "pkts");
	prog = find_prog(obj, "tc_count");
	id = prog_id(prog);
	REQUIRE(net_up(&n) == 0);
	CHECK(has_clsact(n.ifindex) == 0);

	/* ingress creates the qdisc, egress shares it */
	in = pybpf_program__attach_tc(prog, n.ifindex, PYBPF_TC_INGRESS, 1, 1);
	REQUIRE(in);
	eg = pybpf_program__attach_tc(prog, n.ifindex, PYBPF_TC_EGRESS, 0, 0);
	REQUIRE(eg);
	CHECK(tc_prog_on(n.ifindex, BPF_TC_INGRESS, 1, 1) == id);
	errno = 0;
	CHECK(pybpf_link__fd(in) == -EOPNOTSUPP && errno == EOPNOTSUPP);
	REQUIRE(net_send(&n, 3) == 0);
	CHECK(slot_settle(pkts, 1, 3) == 3); /* the packets in; none go out to that port */

	CHECK(pybpf_link__destroy(in) == 0);
	in = NULL;
	CHECK(tc_prog_on(n.ifindex, BPF_TC_INGRESS, 1, 1) == 0);
	CHECK(has_clsact(n.ifindex) == 1); /* the egress link still uses it */
	REQUIRE(net_send(&n, 2) == 0);
	usleep(50 * 1000);
	CHECK(slot(pkts, 1) == 3);
	CHECK(pybpf_link__destroy(eg) == 0);
	eg = NULL;
	CHECK(has_clsact(n.ifindex) == 0); /* made by the library: removed with the last link */

	/* a qdisc that was there before stays */
	REQUIRE(sh("tc qdisc add dev %s clsact", n.a) == 0);
	in = pybpf_program__attach_tc(prog, n.ifindex, PYBPF_TC_INGRESS, 0, 0);
	REQUIRE(in);
	REQUIRE(net_send(&n, 1) == 0);
	CHECK(slot_settle(pkts, 1, 4) == 4);
	CHECK(pybpf_link__destroy(in) == 0);
	in = NULL;
	CHECK(has_clsact(n.ifindex) == 1);

	errno = 0;
	CHECK(!pybpf_program__attach_tc(prog, n.ifindex, (enum pybpf_tc_direction)7, 0, 0) &&
	      errno == EINVAL);
	errno = 0;
	CHECK(!pybpf_program__attach_tc(prog, 0x7ffffff0, PYBPF_TC_INGRESS, 0, 0) &&
	      errno == ENODEV);
	CHECK(strstr(rt_messages, "prog 'tc_count': cannot create the clsact qdisc on ifindex "
				  "2147483632") != NULL);

	/* the interface goes before the link: destroy still succeeds */
	REQUIRE(sh("tc qdisc del dev %s clsact", n.a) == 0);
	in = pybpf_program__attach_tc(prog, n.ifindex, PYBPF_TC_INGRESS, 0, 0);
	REQUIRE(in);
	net_down(&n);
	memset(&n, 0, sizeof(n));
	CHECK(pybpf_link__destroy(in) == 0);
	in = NULL;
out:
	pybpf_link__destroy(in);
	pybpf_link__destroy(eg);
	net_down(&n);
	pybpf_object__close(obj);
}

/* ---- sockets and cgroups ---- */

/* A UDP socket on 127.0.0.1 (any port), with a 100 ms receive timeout. */
static int udp_socket(struct sockaddr_in *addr)
{
	struct timeval tv = {.tv_usec = 100 * 1000};
	socklen_t len = sizeof(*addr);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)addr, sizeof(*addr)) < 0 ||
	    getsockname(s, (struct sockaddr *)addr, &len) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	return s;
}

/* Sends cnt datagrams from tx to rx's address; how many rx receives. */
static int udp_exchange(int tx, int rx, const struct sockaddr_in *to, int cnt)
{
	char buf[16];
	int i, got = 0;

	for (i = 0; i < cnt; i++)
		sendto(tx, "pybpf", 5, 0, (const struct sockaddr *)to, sizeof(*to));
	while (recv(rx, buf, sizeof(buf), 0) == 5)
		got++;
	return got;
}

static void test_socket_filter(void)
{
	struct pybpf_object *obj = load_net();
	struct pybpf_link *link = NULL;
	const struct pybpf_map *pkts, *cfg;
	struct sockaddr_in rx_addr, tx_addr;
	int rx = udp_socket(&rx_addr), tx = udp_socket(&tx_addr), fd = -1;

	REQUIRE(obj && rx >= 0 && tx >= 0);
	pkts = find_map(obj, "pkts");
	cfg = find_map(obj, "cfg");
	link = pybpf_program__attach_socket(find_prog(obj, "sock_count"), rx);
	REQUIRE(link);
	CHECK(udp_exchange(tx, rx, &rx_addr, 3) == 3);
	CHECK(slot(pkts, 2) == 3);
	/* the filter decides: now it drops */
	REQUIRE(set_u32(cfg, 1, 1) == 0);
	CHECK(udp_exchange(tx, rx, &rx_addr, 2) == 0);
	CHECK(slot(pkts, 2) == 5);
	/* detached: everything arrives, nothing is counted */
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(udp_exchange(tx, rx, &rx_addr, 2) == 2);
	CHECK(slot(pkts, 2) == 5);

	/* the link keeps the socket: closing the caller's fd first is fine */
	link = pybpf_program__attach_socket(find_prog(obj, "sock_count"), tx);
	REQUIRE(link);
	close(tx);
	tx = -1;
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = 0;
	link = pybpf_program__attach_socket(find_prog(obj, "sock_count"), fd);
	CHECK(!link && errno == ENOTSOCK);
	CHECK(strstr(rt_messages, "prog 'sock_count': socket attach to fd") != NULL);
out:
	pybpf_link__destroy(link);
	if (fd >= 0)
		close(fd);
	if (rx >= 0)
		close(rx);
	if (tx >= 0)
		close(tx);
	pybpf_object__close(obj);
}

/* Where cgroup v2 is mounted ("" if nowhere). */
static const char *cgroup2_root(void)
{
	static char dir[256];
	char line[512], dev[64], mnt[256], type[64];
	FILE *f = fopen("/proc/mounts", "re");

	dir[0] = '\0';
	while (f && !dir[0] && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %255s %63s", dev, mnt, type) == 3 &&
		    strcmp(type, "cgroup2") == 0)
			snprintf(dir, sizeof(dir), "%s", mnt);
	}
	if (f)
		fclose(f);
	return dir;
}

/* In a child that moves itself into cgroup dir, creates 3 sockets. Exit
 * status: 0 all created, 1 all refused with EPERM, 2 mixed, 3+ setup error. */
static int sockets_in_cgroup(const char *dir)
{
	pid_t pid = fork();

	if (pid == 0) {
		char path[512];
		int i, ok = 0, eperm = 0, fd;

		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			_exit(3);
		close(fd);
		for (i = 0; i < 3; i++) {
			int s = socket(AF_INET, SOCK_DGRAM, 0);

			if (s >= 0) {
				ok++;
				close(s);
			} else if (errno == EPERM) {
				eperm++;
			}
		}
		_exit(ok == 3 ? 0 : eperm == 3 ? 1 : 2);
	}
	return wait_child(pid);
}

static void test_cgroup(void)
{
	struct pybpf_object *obj = load_net();
	struct pybpf_link *link = NULL;
	const struct pybpf_map *pkts, *cfg;
	char dir[512];
	int cg = -1, made = 0;

	REQUIRE(obj);
	pkts = find_map(obj, "pkts");
	cfg = find_map(obj, "cfg");
	REQUIRE(cgroup2_root()[0]);
	snprintf(dir, sizeof(dir), "%s/pbt5h1_%u", cgroup2_root(), my_pid);
	REQUIRE(mkdir(dir, 0755) == 0);
	made = 1;
	cg = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	REQUIRE(cg >= 0);
	link = pybpf_program__attach_cgroup(find_prog(obj, "sock_create"), cg);
	REQUIRE(link);
	CHECK(pybpf_link__fd(link) >= 0);
	CHECK(sockets_in_cgroup(dir) == 0);
	CHECK(slot(pkts, 3) == 3);
	/* the program decides: now it refuses */
	REQUIRE(set_u32(cfg, 2, 1) == 0);
	CHECK(sockets_in_cgroup(dir) == 1);
	CHECK(slot(pkts, 3) == 6);
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	CHECK(sockets_in_cgroup(dir) == 0);
	CHECK(slot(pkts, 3) == 6);

	errno = 0;
	CHECK(!pybpf_program__attach_cgroup(find_prog(obj, "sock_create"), -1) && errno == EINVAL);
out:
	pybpf_link__destroy(link);
	if (cg >= 0)
		close(cg);
	if (made)
		CHECK(rmdir(dir) == 0);
	pybpf_object__close(obj);
}

/* ---- test_run and per-CPU maps ---- */

/* An Ethernet + IPv4 + UDP packet to dport (checksums left zero). */
static size_t make_udp_packet(unsigned char *p, __u16 dport)
{
	memset(p, 0, 64);
	p[12] = 0x08;	    /* ETH_P_IP */
	p[14] = 0x45;	    /* IPv4, ihl 5 */
	p[17] = 20 + 8 + 4; /* total length */
	p[22] = 64;	    /* ttl */
	p[23] = 17;	    /* UDP */
	p[26] = 127, p[29] = 1;
	p[30] = 127, p[33] = 1;
	p[34] = 0x30, p[35] = 0x39; /* source port 12345 */
	p[36] = (unsigned char)(dport >> 8), p[37] = (unsigned char)dport;
	p[39] = 8 + 4;
	memcpy(p + 42, "pybp", 4);
	return 46;
}

static void test_test_run(void)
{
	struct pybpf_object *obj = load_net(), *probes = load_probes();
	unsigned char pkt[64], out_buf[128];
	LIBPYBPF_OPTS(pybpf_test_run_opts, opts);
	const struct pybpf_program *xdp;
	const struct pybpf_map *pkts;
	size_t len = make_udp_packet(pkt, port);

	REQUIRE(obj && probes);
	xdp = find_prog(obj, "xdp_count");
	pkts = find_map(obj, "pkts");
	opts.data_in = pkt;
	opts.data_size_in = (__u32)len;
	opts.data_out = out_buf;
	opts.data_size_out = sizeof(out_buf);
	opts.repeat = 10;
	REQUIRE(pybpf_program__test_run(xdp, &opts) == 0);
	CHECK(opts.retval == XDP_PASS);
	CHECK(slot(pkts, 0) == 10);
	CHECK(opts.data_size_out == len && memcmp(out_buf, pkt, len) == 0);

	/* another port: passes, not counted */
	make_udp_packet(pkt, (__u16)(port + 1));
	opts.repeat = 0;
	opts.data_size_out = sizeof(out_buf);
	REQUIRE(pybpf_program__test_run(xdp, &opts) == 0);
	CHECK(opts.retval == XDP_PASS && slot(pkts, 0) == 10);

	/* errors: a packet shorter than an Ethernet header; a program type
	 * without test runs; bad opts */
	opts.data_size_in = 4;
	errno = 0;
	CHECK(pybpf_program__test_run(xdp, &opts) == -EINVAL && errno == EINVAL);
	CHECK(strstr(rt_messages, "prog 'xdp_count': test run failed") != NULL);
	errno = 0;
	CHECK(pybpf_program__test_run(find_prog(probes, "tp_any"), &opts) < 0 && errno != 0);
	errno = 0;
	CHECK(pybpf_program__test_run(xdp, NULL) == -EINVAL);
out:
	pybpf_object__close(probes);
	pybpf_object__close(obj);
}

/* Per-CPU values written by the program on chosen CPUs (test_run with
 * BPF_F_TEST_RUN_ON_CPU), read and written by the test. */
static void test_percpu(void)
{
	struct pybpf_object *obj = load_net();
	const struct pybpf_map *arr, *hash, *pkts;
	int ncpus = pybpf_num_possible_cpus(), online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	__u64 *vals = NULL, args[2], *keys_vals = NULL;
	__u32 zero = 0, one = 1, seven = 7, keys[4], count, out_batch = 0, i;
	size_t size;
	int cpu, err;

	REQUIRE(obj && ncpus > 0);
	arr = find_map(obj, "pcpu_array");
	hash = find_map(obj, "pcpu_hash");
	pkts = find_map(obj, "pkts");
	CHECK(pybpf_map__is_percpu(arr) && pybpf_map__is_percpu(hash));
	CHECK(!pybpf_map__is_percpu(pkts));
	size = pybpf_map__value_buffer_size(arr);
	CHECK(size == 8 * (size_t)ncpus);
	CHECK(pybpf_map__value_buffer_size(pkts) == 8);
	vals = calloc((size_t)ncpus, 8);
	keys_vals = calloc(4 * (size_t)ncpus, 8);
	REQUIRE(vals && keys_vals);

	/* the program adds args[0] on the CPU it runs on, returns args[1] */
	for (cpu = 0; cpu < online && cpu < ncpus; cpu++) {
		LIBPYBPF_OPTS(pybpf_test_run_opts, opts, .ctx_in = args,
			      .ctx_size_in = sizeof(args), .flags = BPF_F_TEST_RUN_ON_CPU,
			      .cpu = (__u32)cpu);

		args[0] = 100 + (__u64)cpu;
		args[1] = 77 + (__u64)cpu;
		CHECK(pybpf_program__test_run(find_prog(obj, "percpu_bump"), &opts) == 0);
		CHECK(opts.retval == 77 + (__u32)cpu);
	}
	REQUIRE(pybpf_map__lookup(arr, &zero, 4, vals, size, 0) == 0);
	for (cpu = 0; cpu < ncpus; cpu++)
		CHECK(vals[cpu] == (cpu < online ? 100 + (__u64)cpu : 0));
	REQUIRE(pybpf_map__lookup(hash, &seven, 4, vals, size, 0) == 0);
	for (cpu = 0; cpu < ncpus; cpu++)
		CHECK(vals[cpu] == (cpu < online ? 100 + (__u64)cpu : 0));

	/* write one value per CPU, read them back */
	for (cpu = 0; cpu < ncpus; cpu++)
		vals[cpu] = 1000 * ((__u64)cpu + 1);
	CHECK(pybpf_map__update(arr, &one, 4, vals, size, BPF_ANY) == 0);
	memset(vals, 0, size);
	CHECK(pybpf_map__lookup(arr, &one, 4, vals, size, 0) == 0);
	for (cpu = 0; cpu < ncpus; cpu++)
		CHECK(vals[cpu] == 1000 * ((__u64)cpu + 1));
	errno = 0;
	CHECK(pybpf_map__lookup(arr, &one, 4, vals, 8 * (size_t)ncpus + 8, 0) == -EINVAL);
	if (ncpus > 1)
		CHECK(pybpf_map__lookup(arr, &one, 4, vals, 8, 0) == -EINVAL);

	/* batch lookup of a per-CPU hash: a value buffer per key */
	for (i = 1; i <= 2; i++) {
		for (cpu = 0; cpu < ncpus; cpu++)
			vals[cpu] = i * 10 + (__u64)cpu;
		CHECK(pybpf_map__update(hash, &i, 4, vals, size, BPF_NOEXIST) == 0);
	}
	count = 4;
	err = pybpf_map__lookup_batch(hash, NULL, &out_batch, keys, keys_vals, &count, 0);
	CHECK(err == -ENOENT || err == 0);
	CHECK(count == 3);
	for (i = 0; i < count && i < 4; i++) {
		__u64 *v = keys_vals + (size_t)i * (size_t)ncpus;

		if (keys[i] == 7)
			CHECK(v[0] == 100);
		else
			CHECK((keys[i] == 1 || keys[i] == 2) &&
			      v[ncpus - 1] == keys[i] * 10 + (__u64)ncpus - 1);
	}
out:
	free(vals);
	free(keys_vals);
	pybpf_object__close(obj);
}

/* ---- maps: batches, clear, lookup_and_delete; before-load options ---- */

/* rt_maps with the verifier-rejected program left out. */
static struct pybpf_object *load_maps(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_maps"), NULL);

	if (obj && (pybpf_program__set_autoload(find_prog(obj, "bad"), false) < 0 ||
		    pybpf_object__load(obj) < 0)) {
		pybpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static void test_batch_and_clear(void)
{
	struct pybpf_object *obj = load_maps();
	const struct pybpf_map *kv, *arr, *pq;
	__u32 keys[16], got_keys[16], count, in_batch = 0, out_batch = 0, i, k;
	__u64 vals[16], got_vals[16], v, seen = 0;
	int err, total = 0, rounds = 0;
	void *in = NULL;

	REQUIRE(obj);
	kv = find_map(obj, "kv");
	arr = find_map(obj, "arr");
	pq = find_map(obj, "pq");
	for (i = 0; i < 10; i++) {
		keys[i] = i;
		vals[i] = 10 * (__u64)i;
	}
	count = 10;
	CHECK(pybpf_map__update_batch(kv, keys, vals, &count, BPF_ANY) == 0 && count == 10);

	/* in batches of at most 4, until -ENOENT */
	do {
		count = 4;
		err = pybpf_map__lookup_batch(kv, in, &out_batch, got_keys, got_vals, &count, 0);
		CHECK(err == 0 || err == -ENOENT);
		CHECK(count <= 4);
		for (i = 0; i < count && i < 4; i++) {
			CHECK(got_keys[i] < 10 && got_vals[i] == 10 * (__u64)got_keys[i]);
			seen |= 1ULL << (got_keys[i] & 63);
		}
		total += (int)count;
		in_batch = out_batch;
		in = &in_batch;
	} while (err == 0 && ++rounds < 10);
	CHECK(err == -ENOENT && errno == ENOENT);
	CHECK(total == 10 && seen == 0x3ff);

	count = 5; /* keys 0..4 */
	CHECK(pybpf_map__delete_batch(kv, keys, &count) == 0 && count == 5);
	count = 1;
	errno = 0;
	CHECK(pybpf_map__delete_batch(kv, keys, &count) == -ENOENT && count == 0);

	k = 7;
	CHECK(pybpf_map__lookup_and_delete(kv, &k, 4, &v, 8, 0) == 0 && v == 70);
	CHECK(pybpf_map__lookup(kv, &k, 4, &v, 8, 0) == -ENOENT);
	CHECK(pybpf_map__lookup_and_delete(kv, &k, 4, &v, 8, 0) == -ENOENT);
	CHECK(pybpf_map__lookup_and_delete(kv, &k, 4, &v, 4, 0) == -EINVAL);

	CHECK(pybpf_map__clear(kv) == 4); /* 5, 6, 8, 9 */
	CHECK(pybpf_map__get_next_key(kv, NULL, &k, 4) == -ENOENT);
	CHECK(pybpf_map__clear(kv) == 0);

	/* arrays cannot delete: clear zeroes every value */
	for (i = 0; i < 8; i++)
		CHECK(set_u64(arr, i, 5 + i) == 0);
	CHECK(pybpf_map__clear(arr) == 8);
	for (i = 0; i < 8; i++)
		CHECK(slot(arr, i) == 0);

	/* queues: lookup_and_delete pops (no key); clear empties */
	for (v = 1; v <= 3; v++)
		CHECK(pybpf_map__update(pq, NULL, 0, &v, 8, BPF_ANY) == 0);
	CHECK(pybpf_map__lookup_and_delete(pq, NULL, 0, &v, 8, 0) == 0 && v == 1);
	CHECK(pybpf_map__clear(pq) == 2);
	CHECK(pybpf_map__lookup_and_delete(pq, NULL, 0, &v, 8, 0) == -ENOENT);

	/* lookup_and_delete_batch empties what it returns */
	count = 3;
	CHECK(pybpf_map__update_batch(kv, keys, vals, &count, 0) == 0 && count == 3);
	count = 8;
	err = pybpf_map__lookup_and_delete_batch(kv, NULL, &out_batch, got_keys, got_vals, &count,
						 0);
	CHECK((err == 0 || err == -ENOENT) && count == 3);
	for (i = 0; i < count && i < 8; i++)
		CHECK(got_keys[i] < 3 && got_vals[i] == 10 * (__u64)got_keys[i]);
	CHECK(pybpf_map__get_next_key(kv, NULL, &k, 4) == -ENOENT);

	errno = 0;
	CHECK(pybpf_map__lookup_batch(kv, NULL, NULL, keys, vals, &count, 0) == -EINVAL);
out:
	pybpf_object__close(obj);
}

static void test_before_load(void)
{
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_maps"), NULL);
	struct pybpf_program *bad, *good;
	struct pybpf_map *kv;
	LIBPYBPF_OPTS(pybpf_map_info, info);
	int err;

	/* as it is, the verifier rejects `bad`: EACCES, with its log */
	REQUIRE(obj);
	err = pybpf_object__load(obj);
	CHECK(err == -EACCES && errno == EACCES);
	CHECK(strstr(pybpf_object__load_log(obj), "prog 'bad'") != NULL);
	pybpf_object__close(obj);

	obj = pybpf_object__open_file(rt_obj_path("rt_maps"), NULL);
	REQUIRE(obj);
	bad = find_prog(obj, "bad");
	good = find_prog(obj, "good");
	kv = find_map(obj, "kv");
	REQUIRE(bad && good && kv);
	CHECK(pybpf_program__autoload(bad));
	CHECK(pybpf_program__set_autoload(bad, false) == 0);
	CHECK(!pybpf_program__autoload(bad));
	CHECK(pybpf_program__autoattach(good));
	CHECK(pybpf_program__set_autoattach(good, false) == 0);
	CHECK(!pybpf_program__autoattach(good));
	CHECK(pybpf_map__set_max_entries(kv, 128) == 0);
	CHECK(pybpf_map__max_entries(kv) == 128);
	REQUIRE(pybpf_object__load(obj) == 0);
	CHECK(pybpf_program__fd(bad) < 0 && pybpf_program__fd(good) >= 0);
	REQUIRE(pybpf_map__info(kv, &info) == 0);
	CHECK(info.max_entries == 128);		   /* what the kernel made */
	CHECK(pybpf_object__attach_all(obj) == 0); /* good: autoattach off; bad: not loaded */

	errno = 0;
	CHECK(pybpf_map__set_max_entries(kv, 256) == -EBUSY && errno == EBUSY);
	CHECK(strstr(rt_messages, "map 'kv': cannot set max_entries after load") != NULL);
	errno = 0;
	CHECK(pybpf_program__set_autoload(bad, true) == -EBUSY && errno == EBUSY);
	errno = 0;
	CHECK(!pybpf_program__attach_raw_tracepoint(bad, "sys_enter") && errno == EBADF);
out:
	pybpf_object__close(obj);
}

/* ---- map info, pins, pinned maps and links ---- */

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void test_map_info_and_pins(void)
{
	struct pybpf_object *obj = load_maps();
	struct pybpf_map *pinned = NULL, *kv;
	const struct pybpf_program *good;
	LIBPYBPF_OPTS(pybpf_map_info, info);
	LIBPYBPF_OPTS(pybpf_map_info, pinfo);
	char map_path[128], prog_path[128];
	__u32 k = 1;
	__u64 v;

	snprintf(map_path, sizeof(map_path), "%s/kv", pin_dir);
	snprintf(prog_path, sizeof(prog_path), "%s/good", pin_dir);
	REQUIRE(obj);
	kv = find_map(obj, "kv");
	good = find_prog(obj, "good");
	REQUIRE(pybpf_map__info(kv, &info) == 0);
	CHECK(info.sz == sizeof(info) && info.id != 0);
	CHECK(info.type == BPF_MAP_TYPE_HASH && info.key_size == 4 && info.value_size == 8);
	CHECK(info.max_entries == 64 && strcmp(info.name, "kv") == 0);
	CHECK(info.btf_id != 0 && info.btf_key_type_id != 0 && info.btf_value_type_id != 0);

	REQUIRE(pybpf_map__pin(kv, map_path) == 0);
	CHECK(exists(map_path));
	errno = 0;
	CHECK(pybpf_map__pin(kv, map_path) == -EEXIST && errno == EEXIST);
	CHECK(set_u64(kv, 1, 11) == 0);

	pinned = pybpf_map__open_pinned(map_path);
	REQUIRE(pinned);
	CHECK(strcmp(pybpf_map__name(pinned), "kv") == 0);
	CHECK(pybpf_map__type(pinned) == BPF_MAP_TYPE_HASH);
	CHECK(pybpf_map__key_size(pinned) == 4 && pybpf_map__value_size(pinned) == 8);
	CHECK(pybpf_map__max_entries(pinned) == 64);
	CHECK(pybpf_map__object(pinned) == NULL && pybpf_map__bpf_map(pinned) == NULL);
	CHECK(pybpf_map__fd(pinned) >= 0);
	REQUIRE(pybpf_map__info(pinned, &pinfo) == 0);
	CHECK(pinfo.id == info.id); /* the same kernel map */
	CHECK(slot(pinned, 1) == 11);
	CHECK(set_u64(pinned, 2, 22) == 0);
	CHECK(slot(kv, 2) == 22);
	CHECK(pybpf_map__get_next_key(pinned, NULL, &k, 4) == 0 && (k == 1 || k == 2));
	errno = 0;
	CHECK(pybpf_map__lookup(pinned, &k, 8, &v, 8, 0) == -EINVAL && errno == EINVAL);
	CHECK(strstr(rt_messages, "map 'kv': unexpected key size 8 provided, expected 4") != NULL);
	CHECK(pybpf_map__lookup(pinned, &k, 4, &v, 4, 0) == -EINVAL);
	errno = 0;
	CHECK(!pybpf_ring_buffer__new(pinned, NULL, NULL, NULL) && errno == EINVAL);
	{
		__u32 keys[4], out_batch = 0, count = 4;
		__u64 vals[4];
		int err = pybpf_map__lookup_batch(pinned, NULL, &out_batch, keys, vals, &count, 0);

		CHECK((err == 0 || err == -ENOENT) && count == 2);
		CHECK(count == 2 && vals[0] + vals[1] == 33);
	}

	/* the object goes; the pinned map stays */
	pybpf_object__close(obj);
	obj = NULL;
	CHECK(slot(pinned, 2) == 22);
	CHECK(pybpf_map__clear(pinned) == 2);
	CHECK(pybpf_map__unpin(pinned, map_path) == 0);
	CHECK(!exists(map_path));
	pybpf_map__close(pinned);
	pinned = NULL;
	errno = 0;
	CHECK(!pybpf_map__open_pinned(map_path) && errno == ENOENT);

	/* programs: pin, a pin that is not a map, unpin */
	obj = load_maps();
	REQUIRE(obj);
	good = find_prog(obj, "good");
	REQUIRE(pybpf_program__pin(good, prog_path) == 0);
	CHECK(exists(prog_path));
	errno = 0;
	CHECK(!pybpf_map__open_pinned(prog_path) && errno == EINVAL);
	CHECK(strstr(rt_messages, "is not a pinned map") != NULL);
	CHECK(pybpf_program__unpin(good, prog_path) == 0);
	CHECK(!exists(prog_path));
	errno = 0;
	CHECK(pybpf_program__unpin(good, prog_path) == -ENOENT && errno == ENOENT);
	errno = 0;
	CHECK(pybpf_program__pin(good, "/tmp/not-a-bpffs-pin") < 0 && errno != 0);
	pybpf_map__close(find_map(obj, "kv")); /* an object's map: left alone */
	CHECK(pybpf_map__fd(find_map(obj, "kv")) >= 0);
out:
	pybpf_map__close(pinned);
	unlink(map_path);
	unlink(prog_path);
	pybpf_object__close(obj);
}

static void test_link_pin(void)
{
	struct pybpf_object *obj = load_probes();
	struct pybpf_link *link = NULL, *opened = NULL;
	const struct pybpf_map *hits;
	char path[128];

	snprintf(path, sizeof(path), "%s/link", pin_dir);
	REQUIRE(obj);
	hits = find_map(obj, "hits");
	link = pybpf_program__attach_tracepoint(find_prog(obj, "tp_any"), "syscalls",
						"sys_enter_getppid");
	REQUIRE(link);
	REQUIRE(pybpf_link__pin(link, path) == 0);
	CHECK(exists(path));
	/* destroying a pinned link keeps the attachment */
	CHECK(pybpf_link__destroy(link) == 0);
	link = NULL;
	call_getppid(2);
	CHECK(slot(hits, 0) == 2);

	opened = pybpf_link__open_pinned(path);
	REQUIRE(opened);
	CHECK(pybpf_link__fd(opened) >= 0);
	CHECK(pybpf_link__unpin(opened) == 0);
	CHECK(!exists(path));
	CHECK(pybpf_link__destroy(opened) == 0);
	opened = NULL;
	usleep(20 * 1000);
	call_getppid(2);
	CHECK(slot(hits, 0) == 2);

	errno = 0;
	CHECK(!pybpf_link__open_pinned(path) && errno == ENOENT);
	CHECK(strstr(rt_messages, "link: cannot open pinned link") != NULL);
out:
	pybpf_link__destroy(link);
	pybpf_link__destroy(opened);
	unlink(path);
	pybpf_object__close(obj);
}

/* ---- open options ---- */

static int saw_load_log;

__attribute__((format(printf, 2, 0))) static int log_print(enum pybpf_print_level level,
							   const char *fmt, va_list args)
{
	char msg[4096];

	vsnprintf(msg, sizeof(msg), fmt, args);
	if (strstr(msg, "BEGIN PROG LOAD LOG") && strstr(msg, "processed "))
		saw_load_log = 1;
	(void)level;
	return 0;
}

static int load_with_log_level(__u32 level)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, opts, .kernel_log_level = level);
	struct pybpf_object *obj = pybpf_object__open_file(rt_obj_path("rt_events"), &opts);
	pybpf_print_fn_t old = pybpf_set_print(log_print);
	int err = obj ? pybpf_object__load(obj) : -1;

	pybpf_set_print(old);
	pybpf_object__close(obj);
	return err;
}

static void test_open_options(void)
{
	LIBPYBPF_OPTS(pybpf_object_open_opts, pin_opts, .pin_root_path = pin_dir);
	LIBPYBPF_OPTS(pybpf_object_open_opts, btf_bad, .pin_root_path = pin_dir,
		      .btf_custom_path = "/nonexistent/vmlinux");
	LIBPYBPF_OPTS(pybpf_object_open_opts, btf_good, .pin_root_path = pin_dir,
		      .btf_custom_path = "/sys/kernel/btf/vmlinux");
	struct pybpf_object *a = NULL, *b = NULL;
	LIBPYBPF_OPTS(pybpf_map_info, ia);
	LIBPYBPF_OPTS(pybpf_map_info, ib);
	LIBPYBPF_OPTS(pybpf_test_run_opts, run);
	char path[128];
	__u64 ctx[1] = {0};

	snprintf(path, sizeof(path), "%s/shared", pin_dir);
	/* kernel_log_level: the log of a successful load comes out */
	saw_load_log = 0;
	CHECK(load_with_log_level(0) == 0 && !saw_load_log);
	CHECK(load_with_log_level(4) == 0 && saw_load_log);

	/* pin_root_path: the second object re-uses the first one's map */
	a = pybpf_object__open_file(rt_obj_path("rt_core"), &pin_opts);
	REQUIRE(a && pybpf_object__load(a) == 0);
	CHECK(exists(path));
	CHECK(set_u64(find_map(a, "shared"), 0, 42) == 0);
	b = pybpf_object__open_file(rt_obj_path("rt_core"), &pin_opts);
	REQUIRE(b && pybpf_object__load(b) == 0);
	CHECK(slot(find_map(b, "shared"), 0) == 42);
	CHECK(pybpf_map__info(find_map(a, "shared"), &ia) == 0 &&
	      pybpf_map__info(find_map(b, "shared"), &ib) == 0 && ia.id == ib.id);
	pybpf_object__close(b);

	/* btf_custom_path: the CO-RE read needs it */
	b = pybpf_object__open_file(rt_obj_path("rt_core"), &btf_bad);
	REQUIRE(b);
	errno = 0;
	CHECK(pybpf_object__load(b) == -ENOENT && errno == ENOENT);
	pybpf_object__close(b);
	b = pybpf_object__open_file(rt_obj_path("rt_core"), &btf_good);
	REQUIRE(b && pybpf_object__load(b) == 0);
	run.ctx_in = ctx;
	run.ctx_size_in = sizeof(ctx);
	CHECK(pybpf_program__test_run(find_prog(b, "core_tgid"), &run) == 0);
	CHECK(slot(find_map(a, "shared"), 0) == my_pid); /* task->tgid, relocated */
	/* unpin without a path: where libbpf pinned it */
	CHECK(pybpf_map__unpin(find_map(a, "shared"), NULL) == 0);
	CHECK(!exists(path));
out:
	pybpf_object__close(a);
	pybpf_object__close(b);
	unlink(path);
}

int main(void)
{
	if (geteuid() != 0) {
		printf("SKIP: the runtime attach tests need root\n");
		return 0;
	}
	my_pid = (__u32)getpid();
	pybpf_set_print(rt_print);
	signal(SIGPIPE, SIG_IGN);
	if (pybpf_mount_bpffs() < 0) {
		printf("FAIL: no bpffs\n");
		return 1;
	}
	snprintf(pin_dir, sizeof(pin_dir), "/sys/fs/bpf/pbt5h1_%u", my_pid);
	if (mkdir(pin_dir, 0700) < 0 && errno != EEXIST) {
		printf("FAIL: cannot make %s: %s\n", pin_dir, strerror(errno));
		return 1;
	}
	RUN(test_tracepoints);
	RUN(test_kprobe);
	RUN(test_uprobe_by_symbol);
	RUN(test_uprobe_by_offset);
	RUN(test_usdt);
	RUN(test_perf_event);
	RUN(test_xdp_link);
	RUN(test_xdp_flags);
	RUN(test_tc);
	RUN(test_socket_filter);
	RUN(test_cgroup);
	RUN(test_test_run);
	RUN(test_percpu);
	RUN(test_batch_and_clear);
	RUN(test_before_load);
	RUN(test_map_info_and_pins);
	RUN(test_link_pin);
	RUN(test_open_options);
	if (rmdir(pin_dir) < 0) {
		printf("FAIL: %s not empty or not removable: %s\n", pin_dir, strerror(errno));
		rt_failed++;
	}
	return rt_finish();
}
