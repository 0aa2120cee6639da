/*
 * link.c - links: what keeps an attached program attached, and how each
 * kind detaches.
 *
 * Most attachments are libbpf bpf_links (BPF links, perf events, ...), which
 * libbpf detaches itself. Three are not, and this file detaches them: XDP
 * attached through netlink with flags, tc filters on a clsact qdisc, and
 * socket filters. One table entry per kind says how.
 *
 * tc: a clsact qdisc this process created is removed when the last tc link
 * of this process on that interface goes; a qdisc that was already there is
 * left alone. The count is process-wide, under a mutex.
 */
#include "internal.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SO_DETACH_BPF
#define SO_DETACH_BPF SO_DETACH_FILTER
#endif

struct pybpf_link *pybpf_link_new(enum pybpf_link_kind kind, struct bpf_link *bl)
{
	struct pybpf_link *link;

	if (kind == PYBPF_LINK_BPF && !bl)
		return NULL; /* errno from libbpf */
	link = calloc(1, sizeof(*link));
	if (!link) {
		bpf_link__destroy(bl);
		return pybpf_err_ptr(-ENOMEM);
	}
	link->kind = kind;
	link->link = bl;
	link->fd = -1;
	return link;
}

/* ---- tc qdisc users ---- */

struct qdisc_use {
	int ifindex, users;
};

static pthread_mutex_t qdisc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct qdisc_use *qdiscs;
static size_t qdisc_cnt, qdisc_cap;

void pybpf_tc_qdisc_get(int ifindex, int created)
{
	size_t i;

	pthread_mutex_lock(&qdisc_lock);
	for (i = 0; i < qdisc_cnt && qdiscs[i].ifindex != ifindex; i++)
		;
	if (i < qdisc_cnt) {
		qdiscs[i].users++;
	} else if (created) {
		if (qdisc_cnt == qdisc_cap) {
			size_t cap = qdisc_cap ? qdisc_cap * 2 : 4;
			struct qdisc_use *q = realloc(qdiscs, cap * sizeof(*q));

			if (!q) { /* then the qdisc stays after the last link */
				pthread_mutex_unlock(&qdisc_lock);
				return;
			}
			qdiscs = q;
			qdisc_cap = cap;
		}
		qdiscs[qdisc_cnt].ifindex = ifindex;
		qdiscs[qdisc_cnt].users = 1;
		qdisc_cnt++;
	}
	pthread_mutex_unlock(&qdisc_lock);
}

int pybpf_tc_qdisc_put(int ifindex)
{
	int last = 0;
	size_t i;

	pthread_mutex_lock(&qdisc_lock);
	for (i = 0; i < qdisc_cnt && qdiscs[i].ifindex != ifindex; i++)
		;
	if (i < qdisc_cnt && --qdiscs[i].users == 0) {
		qdiscs[i] = qdiscs[--qdisc_cnt];
		last = 1;
	}
	pthread_mutex_unlock(&qdisc_lock);
	return last;
}

/* ---- detaching, by kind ---- */

static int detach_bpf(struct pybpf_link *link)
{
	return bpf_link__destroy(link->link);
}

/* Removes the program only if it is still ours (REPLACE with old_prog_fd):
 * a program that replaced it meanwhile stays, and so does nothing when the
 * interface is gone. */
static int detach_xdp(struct pybpf_link *link)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = link->fd);
	int err;

	err = bpf_xdp_detach(link->ifindex, link->xdp_flags & XDP_FLAGS_MODES, &opts);
	if (err == -EEXIST) {
		pr_info("xdp: ifindex %d runs another program now; left alone", link->ifindex);
		err = 0;
	} else if (err == -ENODEV) {
		err = 0; /* the interface went, and its program with it */
	} else if (err) {
		pr_warn("xdp: detach from ifindex %d failed: %s", link->ifindex, strerror(-err));
	}
	close(link->fd);
	return err;
}

static int detach_tc(struct pybpf_link *link)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = link->ifindex,
		    .attach_point = (enum bpf_tc_attach_point)link->tc_attach_point);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = link->tc_handle, .priority = link->tc_priority);
	int err, err2;

	err = bpf_tc_detach(&hook, &opts);
	if (err && err != -ENOENT && err != -ENODEV)
		pr_warn("tc: detach from ifindex %d failed: %s", link->ifindex, strerror(-err));
	if (err == -ENOENT || err == -ENODEV)
		err = 0; /* already gone (with the qdisc or the interface) */
	if (pybpf_tc_qdisc_put(link->ifindex)) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		err2 = bpf_tc_hook_destroy(&hook);
		if (err2 && err2 != -ENOENT && err2 != -ENODEV && err2 != -EINVAL) {
			pr_warn("tc: removing the clsact qdisc of ifindex %d failed: %s",
				link->ifindex, strerror(-err2));
			err = err ? err : err2;
		}
	}
	close(link->fd);
	return err;
}

static int detach_socket(struct pybpf_link *link)
{
	int zero = 0, err = 0;

	if (setsockopt(link->fd, SOL_SOCKET, SO_DETACH_BPF, &zero, sizeof(zero)) < 0) {
		err = -errno;
		pr_warn("socket: detach failed: %s", strerror(-err));
	}
	close(link->fd);
	return err;
}

static const struct {
	const char *name;
	int (*detach)(struct pybpf_link *link);
	int has_bpf_link;
} kinds[PYBPF_LINK_KIND_CNT] = {
	[PYBPF_LINK_BPF] = {"bpf", detach_bpf, 1},
	[PYBPF_LINK_XDP] = {"xdp (netlink)", detach_xdp, 0},
	[PYBPF_LINK_TC] = {"tc", detach_tc, 0},
	[PYBPF_LINK_SOCKET] = {"socket filter", detach_socket, 0},
};

/* -EOPNOTSUPP with a message for links that are not libbpf links. */
static int need_bpf_link(const struct pybpf_link *link, const char *what)
{
	if (kinds[link->kind].has_bpf_link)
		return 0;
	pr_warn("link: a %s link cannot %s", kinds[link->kind].name, what);
	return -EOPNOTSUPP;
}

int pybpf_link__fd(const struct pybpf_link *link)
{
	if (!link)
		return pybpf_err(-EINVAL);
	if (!kinds[link->kind].has_bpf_link)
		return pybpf_err(-EOPNOTSUPP);
	return pybpf_err(bpf_link__fd(link->link));
}

struct bpf_link *pybpf_link__bpf_link(const struct pybpf_link *link)
{
	return link ? link->link : NULL;
}

int pybpf_link__pin(struct pybpf_link *link, const char *path)
{
	int err;

	if (!link || !path)
		return pybpf_err(-EINVAL);
	err = need_bpf_link(link, "be pinned");
	if (err)
		return pybpf_err(err);
	err = bpf_link__pin(link->link, path);
	if (err)
		pr_warn("link: cannot pin at '%s': %s", path, strerror(-err));
	return pybpf_err(err);
}

int pybpf_link__unpin(struct pybpf_link *link)
{
	int err;

	if (!link)
		return pybpf_err(-EINVAL);
	err = need_bpf_link(link, "be unpinned");
	if (err)
		return pybpf_err(err);
	return pybpf_err(bpf_link__unpin(link->link));
}

struct pybpf_link *pybpf_link__open_pinned(const char *path)
{
	struct bpf_link *bl;
	int err;

	if (!path)
		return pybpf_err_ptr(-EINVAL);
	bl = bpf_link__open(path);
	if (!bl) {
		err = -errno;
		pr_warn("link: cannot open pinned link '%s': %s", path, strerror(-err));
		return pybpf_err_ptr(err);
	}
	return pybpf_link_new(PYBPF_LINK_BPF, bl);
}

int pybpf_link__destroy(struct pybpf_link *link)
{
	int err;

	if (!link)
		return 0;
	err = kinds[link->kind].detach(link);
	free(link);
	return pybpf_err(err < 0 ? err : 0);
}
