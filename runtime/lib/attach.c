/*
 * attach.c - attaching programs explicitly (tracepoints, probes, USDT, XDP,
 * tc, sockets, cgroups, perf events), the settings that must come before
 * load (autoload, autoattach), BPF_PROG_TEST_RUN and program pins.
 *
 * Every attach checks that the program is loaded, then either asks libbpf
 * for a bpf_link or, for XDP with flags, tc and sockets, does the attach
 * itself and records in the link how to undo it (link.c). A failure sends
 * one message naming the program and what it was attached to.
 */
#include "internal.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- before load ---- */

/* -EBUSY with a message once the object is loaded (or failed to). */
static int before_load(const struct pybpf_program *prog, const char *what)
{
	if (!prog->obj->load_tried)
		return 0;
	pr_warn("prog '%s': cannot set %s after load", bpf_program__name(prog->prog), what);
	return -EBUSY;
}

int pybpf_program__set_autoload(struct pybpf_program *prog, bool autoload)
{
	int err;

	if (!prog)
		return pybpf_err(-EINVAL);
	err = before_load(prog, "autoload");
	if (!err)
		err = bpf_program__set_autoload(prog->prog, autoload);
	return pybpf_err(err);
}

bool pybpf_program__autoload(const struct pybpf_program *prog)
{
	return prog ? bpf_program__autoload(prog->prog) : false;
}

int pybpf_program__set_autoattach(struct pybpf_program *prog, bool autoattach)
{
	if (!prog)
		return pybpf_err(-EINVAL);
	bpf_program__set_autoattach(prog->prog, autoattach);
	return 0;
}

bool pybpf_program__autoattach(const struct pybpf_program *prog)
{
	return prog ? bpf_program__autoattach(prog->prog) : false;
}

/* ---- attach ---- */

/* The common tail: a libbpf link, or the error with a message. */
static struct pybpf_link *wrap(const struct pybpf_program *prog, struct bpf_link *bl,
			       const char *what, const char *target)
{
	struct pybpf_link *link;
	int err;

	if (!bl) {
		err = -errno;
		pr_warn("prog '%s': %s attach to '%s' failed: %s", bpf_program__name(prog->prog),
			what, target, strerror(-err));
		return pybpf_err_ptr(err);
	}
	link = pybpf_link_new(PYBPF_LINK_BPF, bl);
	return link ? link : pybpf_err_ptr(-ENOMEM);
}

/* 0 when prog is loaded and the strings are given, else -errno. */
static int attach_check(const struct pybpf_program *prog, const void *a, const void *b)
{
	int fd;

	if (!prog || !a || !b)
		return -EINVAL;
	fd = pybpf_prog_loaded_fd(prog);
	return fd < 0 ? fd : 0;
}

struct pybpf_link *pybpf_program__attach_tracepoint(const struct pybpf_program *prog,
						    const char *category, const char *name)
{
	const char *dir;
	char target[256];
	int err = attach_check(prog, category, name);

	if (err)
		return pybpf_err_ptr(err);
	pybpf_tracing_dir(&dir); /* libbpf finds tracepoint ids in tracefs */
	snprintf(target, sizeof(target), "%s/%s", category, name);
	return wrap(prog, bpf_program__attach_tracepoint(prog->prog, category, name), "tracepoint",
		    target);
}

struct pybpf_link *pybpf_program__attach_raw_tracepoint(const struct pybpf_program *prog,
							const char *name)
{
	int err = attach_check(prog, name, name);

	if (err)
		return pybpf_err_ptr(err);
	return wrap(prog, bpf_program__attach_raw_tracepoint(prog->prog, name), "raw tracepoint",
		    name);
}

struct pybpf_link *pybpf_program__attach_kprobe(const struct pybpf_program *prog, bool retprobe,
						const char *func, __u64 offset)
{
	LIBBPF_OPTS(bpf_kprobe_opts, opts, .retprobe = retprobe, .offset = (size_t)offset);
	const char *dir;
	int err = attach_check(prog, func, func);

	if (err)
		return pybpf_err_ptr(err);
	pybpf_tracing_dir(&dir); /* the legacy kprobe interface lives in tracefs */
	return wrap(prog, bpf_program__attach_kprobe_opts(prog->prog, func, &opts),
		    retprobe ? "kretprobe" : "kprobe", func);
}

struct pybpf_link *pybpf_program__attach_uprobe(const struct pybpf_program *prog, bool retprobe,
						pid_t pid, const char *binary,
						const char *func_name, size_t offset)
{
	LIBBPF_OPTS(bpf_uprobe_opts, opts, .retprobe = retprobe, .func_name = func_name);
	char target[4096];
	int err = attach_check(prog, binary, binary);

	if (err)
		return pybpf_err_ptr(err);
	if (func_name)
		snprintf(target, sizeof(target), "%s:%s+%zu", binary, func_name, offset);
	else
		snprintf(target, sizeof(target), "%s:0x%zx", binary, offset);
	return wrap(prog, bpf_program__attach_uprobe_opts(prog->prog, pid, binary, offset, &opts),
		    retprobe ? "uretprobe" : "uprobe", target);
}

struct pybpf_link *pybpf_program__attach_usdt(const struct pybpf_program *prog, pid_t pid,
					      const char *binary, const char *provider,
					      const char *name, __u64 cookie)
{
	LIBBPF_OPTS(bpf_usdt_opts, opts, .usdt_cookie = cookie);
	char target[4096];
	int err = name ? attach_check(prog, binary, provider) : -EINVAL;

	if (err)
		return pybpf_err_ptr(err);
	snprintf(target, sizeof(target), "%s:%s:%s", binary, provider, name);
	return wrap(prog, bpf_program__attach_usdt(prog->prog, pid, binary, provider, name, &opts),
		    "usdt", target);
}

/* A copy of the program fd for links that detach by fd. */
static int dup_fd(int fd)
{
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);

	return copy < 0 ? -errno : copy;
}

/* A link of one of the kinds link.c detaches, owning fd. */
static struct pybpf_link *own_link(enum pybpf_link_kind kind, int fd, int ifindex)
{
	struct pybpf_link *link = pybpf_link_new(kind, NULL);

	if (!link)
		return NULL;
	link->fd = fd;
	link->ifindex = ifindex;
	return link;
}

struct pybpf_link *pybpf_program__attach_xdp(const struct pybpf_program *prog, int ifindex,
					     __u32 xdp_flags)
{
	struct pybpf_link *link;
	char target[32];
	int fd, err;

	if (!prog || ifindex <= 0)
		return pybpf_err_ptr(-EINVAL);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err_ptr(fd);
	snprintf(target, sizeof(target), "ifindex %d", ifindex);
	if (xdp_flags == 0)
		return wrap(prog, bpf_program__attach_xdp(prog->prog, ifindex), "xdp", target);

	fd = dup_fd(fd);
	if (fd < 0)
		return pybpf_err_ptr(fd);
	err = bpf_xdp_attach(ifindex, fd, xdp_flags, NULL);
	if (err) {
		pr_warn("prog '%s': xdp attach (flags 0x%x) to '%s' failed: %s",
			bpf_program__name(prog->prog), xdp_flags, target, strerror(-err));
		close(fd);
		return pybpf_err_ptr(err);
	}
	link = own_link(PYBPF_LINK_XDP, fd, ifindex);
	if (!link) {
		bpf_xdp_detach(ifindex, xdp_flags, NULL);
		close(fd);
		return pybpf_err_ptr(-ENOMEM);
	}
	link->xdp_flags = xdp_flags;
	return link;
}

struct pybpf_link *pybpf_program__attach_tc(const struct pybpf_program *prog, int ifindex,
					    enum pybpf_tc_direction direction, __u32 priority,
					    __u32 handle)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = handle, .priority = priority);
	const char *name, *dir = direction == PYBPF_TC_EGRESS ? "egress" : "ingress";
	struct pybpf_link *link;
	int fd, err, created;

	if (!prog || ifindex <= 0 ||
	    (direction != PYBPF_TC_INGRESS && direction != PYBPF_TC_EGRESS) || priority > 0xffff)
		return pybpf_err_ptr(-EINVAL);
	name = bpf_program__name(prog->prog);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err_ptr(fd);
	hook.attach_point = direction == PYBPF_TC_EGRESS ? BPF_TC_EGRESS : BPF_TC_INGRESS;

	err = bpf_tc_hook_create(&hook);
	created = err == 0;
	if (err && err != -EEXIST) {
		pr_warn("prog '%s': cannot create the clsact qdisc on ifindex %d: %s", name,
			ifindex, strerror(-err));
		return pybpf_err_ptr(err);
	}
	pybpf_tc_qdisc_get(ifindex, created);
	link = own_link(PYBPF_LINK_TC, -1, ifindex);
	if (!link) {
		err = -ENOMEM;
		goto fail;
	}
	link->tc_attach_point = hook.attach_point;
	fd = dup_fd(fd);
	if (fd < 0) {
		err = fd;
		goto fail;
	}
	link->fd = fd;
	opts.prog_fd = fd;
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		pr_warn("prog '%s': tc %s attach to ifindex %d failed: %s", name, dir, ifindex,
			strerror(-err));
		goto fail;
	}
	link->tc_handle = opts.handle;
	link->tc_priority = opts.priority;
	return link;
fail:
	if (link)
		close(link->fd);
	free(link);
	if (pybpf_tc_qdisc_put(ifindex)) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
	return pybpf_err_ptr(err);
}

struct pybpf_link *pybpf_program__attach_socket(const struct pybpf_program *prog, int sock_fd)
{
	struct pybpf_link *link;
	int fd, sock, err;

	if (!prog || sock_fd < 0)
		return pybpf_err_ptr(-EINVAL);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err_ptr(fd);
	if (setsockopt(sock_fd, SOL_SOCKET, SO_ATTACH_BPF, &fd, sizeof(fd)) < 0) {
		err = -errno;
		pr_warn("prog '%s': socket attach to fd %d failed: %s",
			bpf_program__name(prog->prog), sock_fd, strerror(-err));
		return pybpf_err_ptr(err);
	}
	sock = dup_fd(sock_fd);
	if (sock < 0)
		err = sock;
	else if (!(link = own_link(PYBPF_LINK_SOCKET, sock, 0)))
		err = -ENOMEM;
	else
		return link;
	setsockopt(sock_fd, SOL_SOCKET, SO_DETACH_BPF, &fd, sizeof(fd));
	if (sock >= 0)
		close(sock);
	return pybpf_err_ptr(err);
}

struct pybpf_link *pybpf_program__attach_cgroup(const struct pybpf_program *prog, int cgroup_fd)
{
	char target[32];
	int err = attach_check(prog, prog, prog);

	if (!err && cgroup_fd < 0)
		err = -EINVAL;
	if (err)
		return pybpf_err_ptr(err);
	snprintf(target, sizeof(target), "cgroup fd %d", cgroup_fd);
	return wrap(prog, bpf_program__attach_cgroup(prog->prog, cgroup_fd), "cgroup", target);
}

struct pybpf_link *pybpf_program__attach_perf_event(const struct pybpf_program *prog, int perf_fd)
{
	struct bpf_link *bl;
	char target[32];
	int fd, err = attach_check(prog, prog, prog);

	if (!err && perf_fd < 0)
		err = -EINVAL;
	if (err)
		return pybpf_err_ptr(err);
	fd = dup_fd(perf_fd); /* the link closes its copy */
	if (fd < 0)
		return pybpf_err_ptr(fd);
	bl = bpf_program__attach_perf_event(prog->prog, fd);
	if (!bl) {
		err = -errno;
		close(fd);
		errno = -err;
	}
	snprintf(target, sizeof(target), "perf event fd %d", perf_fd);
	return wrap(prog, bl, "perf event", target);
}

int pybpf_perf_event__open(__u32 type, __u64 config, __u64 sample_period, int cpu, pid_t pid)
{
	struct perf_event_attr attr;
	long fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = config;
	attr.sample_period = sample_period;
	fd = syscall(SYS_perf_event_open, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		int err = -errno;

		pr_warn("perf_event_open(type %u, config %llu, cpu %d, pid %d) failed: %s", type,
			(unsigned long long)config, cpu, (int)pid, strerror(-err));
		return pybpf_err(err);
	}
	return (int)fd;
}

/* ---- test run and pins ---- */

int pybpf_program__test_run(const struct pybpf_program *prog, struct pybpf_test_run_opts *opts)
{
	LIBBPF_OPTS(bpf_test_run_opts, t);
	int fd, err;

	if (!prog || !opts || !OPTS_VALID(opts, pybpf_test_run_opts))
		return pybpf_err(-EINVAL);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err(fd);
	t.data_in = OPTS_GET(opts, data_in, NULL);
	t.data_size_in = OPTS_GET(opts, data_size_in, 0);
	t.data_out = OPTS_GET(opts, data_out, NULL);
	t.data_size_out = OPTS_GET(opts, data_size_out, 0);
	t.ctx_in = OPTS_GET(opts, ctx_in, NULL);
	t.ctx_size_in = OPTS_GET(opts, ctx_size_in, 0);
	t.ctx_out = OPTS_GET(opts, ctx_out, NULL);
	t.ctx_size_out = OPTS_GET(opts, ctx_size_out, 0);
	t.repeat = (int)OPTS_GET(opts, repeat, 0);
	t.flags = OPTS_GET(opts, flags, 0);
	t.cpu = OPTS_GET(opts, cpu, 0);
	err = bpf_prog_test_run_opts(fd, &t);
	if (err) {
		err = -errno;
		pr_warn("prog '%s': test run failed: %s", bpf_program__name(prog->prog),
			strerror(-err));
		return pybpf_err(err);
	}
	if (OPTS_HAS(opts, data_size_out))
		opts->data_size_out = t.data_size_out;
	if (OPTS_HAS(opts, ctx_size_out))
		opts->ctx_size_out = t.ctx_size_out;
	if (OPTS_HAS(opts, retval))
		opts->retval = t.retval;
	if (OPTS_HAS(opts, duration))
		opts->duration = t.duration;
	return 0;
}

int pybpf_program__pin(const struct pybpf_program *prog, const char *path)
{
	int fd, err;

	if (!prog || !path)
		return pybpf_err(-EINVAL);
	fd = pybpf_prog_loaded_fd(prog);
	if (fd < 0)
		return pybpf_err(fd);
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	if (err)
		pr_warn("prog '%s': cannot pin at '%s': %s", bpf_program__name(prog->prog), path,
			strerror(-err));
	return pybpf_err(err);
}

int pybpf_program__unpin(const struct pybpf_program *prog, const char *path)
{
	if (!prog || !path)
		return pybpf_err(-EINVAL);
	if (unlink(path) < 0)
		return pybpf_err(-errno);
	return 0;
}
