/*
 * trace.c - the kernel's trace_pipe, and the file systems BPF tools need.
 *
 * bpf_printk() (bpf_trace_printk) writes into the kernel's global trace
 * buffer; reading /sys/kernel/tracing/trace_pipe consumes its lines. The
 * reader keeps the pipe non-blocking and waits with poll(), so a read has a
 * timeout; bytes past the returned line stay buffered for the next call.
 *
 * tracefs is normally at /sys/kernel/tracing; older setups only have it
 * under debugfs at /sys/kernel/debug/tracing. bpffs (/sys/fs/bpf) is where
 * BPF objects get pinned. Both are mounted here when missing (needs root).
 */
#include "internal.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#define TRACEFS_DIR	    "/sys/kernel/tracing"
#define DEBUGFS_DIR	    "/sys/kernel/debug"
#define DEBUGFS_TRACING_DIR "/sys/kernel/debug/tracing"
#define BPFFS_DIR	    "/sys/fs/bpf"

/* Whether the file system mounted at dir has the given magic number. */
static int is_fs(const char *dir, unsigned long magic)
{
	struct statfs st;

	return statfs(dir, &st) == 0 && (unsigned long)st.f_type == magic;
}

/* Mounts a file system of `type` at dir; 0 or -errno. */
static int mount_fs(const char *type, const char *dir)
{
	if (mount(type, dir, type, 0, NULL) == 0) {
		pr_debug("mounted %s at %s", type, dir);
		return 0;
	}
	return -errno;
}

int pybpf_tracing_dir(const char **dir)
{
	int err;

	if (is_fs(TRACEFS_DIR, TRACEFS_MAGIC) || mount_fs("tracefs", TRACEFS_DIR) == 0) {
		*dir = TRACEFS_DIR;
		return 0;
	}
	/* debugfs automounts tracefs at debug/tracing when it is accessed */
	if (!is_fs(DEBUGFS_DIR, DEBUGFS_MAGIC)) {
		err = mount_fs("debugfs", DEBUGFS_DIR);
		if (err) {
			pr_warn("cannot mount tracefs at %s or debugfs at %s: %s", TRACEFS_DIR,
				DEBUGFS_DIR, strerror(-err));
			return err;
		}
	}
	if (access(DEBUGFS_TRACING_DIR "/trace_pipe", F_OK) != 0) {
		err = -errno;
		pr_warn("no trace_pipe in %s: %s", DEBUGFS_TRACING_DIR, strerror(-err));
		return err;
	}
	*dir = DEBUGFS_TRACING_DIR;
	return 0;
}

int pybpf_mount_tracefs(void)
{
	const char *dir;

	return pybpf_err(pybpf_tracing_dir(&dir));
}

int pybpf_mount_bpffs(void)
{
	int err;

	if (is_fs(BPFFS_DIR, BPF_FS_MAGIC))
		return 0;
	err = mount_fs("bpf", BPFFS_DIR);
	if (err)
		pr_warn("cannot mount bpffs at %s: %s", BPFFS_DIR, strerror(-err));
	return pybpf_err(err);
}

/* ---- trace_pipe reader ---- */

struct pybpf_trace_pipe {
	int fd;
	char *buf;
	size_t start; /* pending bytes are buf[start, len) */
	size_t len;
	size_t cap;
};

struct pybpf_trace_pipe *pybpf_trace_pipe__open(void)
{
	struct pybpf_trace_pipe *tp;
	char path[128];
	const char *dir;
	int err;

	err = pybpf_tracing_dir(&dir);
	if (err)
		return pybpf_err_ptr(err);
	snprintf(path, sizeof(path), "%s/trace_pipe", dir);
	tp = calloc(1, sizeof(*tp));
	if (!tp)
		return pybpf_err_ptr(-ENOMEM);
	tp->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tp->fd < 0) {
		err = -errno;
		pr_warn("cannot open %s: %s", path, strerror(-err));
		free(tp);
		return pybpf_err_ptr(err);
	}
	return tp;
}

void pybpf_trace_pipe__close(struct pybpf_trace_pipe *tp)
{
	if (!tp)
		return;
	close(tp->fd);
	free(tp->buf);
	free(tp);
}

int pybpf_trace_pipe__fd(const struct pybpf_trace_pipe *tp)
{
	return tp ? tp->fd : pybpf_err(-EINVAL);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Moves the pending bytes to the front and makes room for at least 512 more. */
static int make_room(struct pybpf_trace_pipe *tp)
{
	size_t cap;
	char *buf;

	if (tp->start > 0) {
		memmove(tp->buf, tp->buf + tp->start, tp->len - tp->start);
		tp->len -= tp->start;
		tp->start = 0;
	}
	if (tp->cap - tp->len >= 512)
		return 0;
	cap = tp->cap ? tp->cap * 2 : 4096;
	buf = realloc(tp->buf, cap);
	if (!buf)
		return -ENOMEM;
	tp->buf = buf;
	tp->cap = cap;
	return 0;
}

int pybpf_trace_pipe__read_line(struct pybpf_trace_pipe *tp, int timeout_ms, const char **line)
{
	long long deadline = now_ms() + timeout_ms;

	if (!tp || !line)
		return pybpf_err(-EINVAL);
	for (;;) {
		char *begin = tp->buf + tp->start;
		char *nl = tp->len > tp->start ? memchr(begin, '\n', tp->len - tp->start) : NULL;
		struct pollfd pfd = {.fd = tp->fd, .events = POLLIN};
		long long wait;
		ssize_t n;
		int err;

		if (nl) {
			*nl = '\0';
			*line = begin;
			tp->start = (size_t)(nl + 1 - tp->buf);
			return (int)(nl - begin);
		}
		err = make_room(tp);
		if (err)
			return pybpf_err(err);
		n = read(tp->fd, tp->buf + tp->len, tp->cap - tp->len);
		if (n > 0) {
			tp->len += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EINTR)
			return pybpf_err(-errno);

		/* nothing to read: wait for more, within the timeout */
		wait = timeout_ms < 0 ? -1 : deadline - now_ms();
		if (timeout_ms >= 0 && wait <= 0)
			return pybpf_err(-ETIMEDOUT);
		if (poll(&pfd, 1, (int)wait) < 0 && errno != EINTR)
			return pybpf_err(-errno);
	}
}
