/*
 * buffer.c - consumers for the two ways a BPF program streams records to
 * userspace: ring buffers (BPF_MAP_TYPE_RINGBUF, one buffer shared by all
 * CPUs, records in order) and perf buffers (BPF_MAP_TYPE_PERF_EVENT_ARRAY,
 * one buffer per CPU).
 *
 * Both wrap libbpf's managers (ring_buffer, perf_buffer), which mmap the
 * buffers and wait on them with epoll. What this file adds: the map is
 * checked (loaded, right type) with a message that names it, and the
 * parameters are checked before libbpf sees them.
 */
#include "internal.h"

#include <bpf/libbpf.h>
#include <stdlib.h>
#include <string.h>

struct pybpf_ring_buffer {
	struct ring_buffer *rb;
};

struct pybpf_perf_buffer {
	struct perf_buffer *pb;
};

/* The fd of a created map of the wanted type, or -EINVAL with a message. */
static int map_fd_of_type(const struct pybpf_map *map, enum bpf_map_type type, const char *what)
{
	const char *name, *type_name;
	int fd;

	if (!map)
		return -EINVAL;
	name = pybpf_map__name(map);
	if (pybpf_map__type(map) != type) {
		type_name = libbpf_bpf_map_type_str(pybpf_map__type(map));
		pr_warn("map '%s': is not a %s (its type is %s)", name, what,
			type_name ? type_name : "unknown");
		return -EINVAL;
	}
	fd = map->map ? bpf_map__fd(map->map) : map->fd;
	if (fd < 0) {
		pr_warn("map '%s': not created yet (load the object first)", name);
		return -EINVAL;
	}
	return fd;
}

/* ---- ring buffer ---- */

struct pybpf_ring_buffer *pybpf_ring_buffer__new(const struct pybpf_map *map,
						 pybpf_ring_buffer_sample_fn sample_cb, void *ctx,
						 const struct pybpf_ring_buffer_opts *opts)
{
	struct pybpf_ring_buffer *rb;
	int fd, err;

	if (!sample_cb || !OPTS_VALID(opts, pybpf_ring_buffer_opts))
		return pybpf_err_ptr(-EINVAL);
	fd = map_fd_of_type(map, BPF_MAP_TYPE_RINGBUF, "ring buffer");
	if (fd < 0)
		return pybpf_err_ptr(fd);
	rb = calloc(1, sizeof(*rb));
	if (!rb)
		return pybpf_err_ptr(-ENOMEM);
	rb->rb = ring_buffer__new(fd, sample_cb, ctx, NULL);
	if (!rb->rb) {
		err = -errno;
		pr_warn("map '%s': cannot set up the ring buffer: %s", pybpf_map_name(map),
			strerror(-err));
		free(rb);
		return pybpf_err_ptr(err);
	}
	return rb;
}

int pybpf_ring_buffer__add(struct pybpf_ring_buffer *rb, const struct pybpf_map *map,
			   pybpf_ring_buffer_sample_fn sample_cb, void *ctx)
{
	int fd, err;

	if (!rb || !sample_cb)
		return pybpf_err(-EINVAL);
	fd = map_fd_of_type(map, BPF_MAP_TYPE_RINGBUF, "ring buffer");
	if (fd < 0)
		return pybpf_err(fd);
	err = ring_buffer__add(rb->rb, fd, sample_cb, ctx);
	if (err) {
		pr_warn("map '%s': cannot add the ring buffer: %s", pybpf_map_name(map),
			strerror(-err));
		return pybpf_err(err);
	}
	return 0;
}

int pybpf_ring_buffer__poll(struct pybpf_ring_buffer *rb, int timeout_ms)
{
	if (!rb)
		return pybpf_err(-EINVAL);
	return pybpf_err(ring_buffer__poll(rb->rb, timeout_ms));
}

int pybpf_ring_buffer__consume(struct pybpf_ring_buffer *rb)
{
	if (!rb)
		return pybpf_err(-EINVAL);
	return pybpf_err(ring_buffer__consume(rb->rb));
}

int pybpf_ring_buffer__epoll_fd(const struct pybpf_ring_buffer *rb)
{
	if (!rb)
		return pybpf_err(-EINVAL);
	return ring_buffer__epoll_fd(rb->rb);
}

void pybpf_ring_buffer__free(struct pybpf_ring_buffer *rb)
{
	if (!rb)
		return;
	ring_buffer__free(rb->rb);
	free(rb);
}

/* ---- perf buffer ---- */

struct pybpf_perf_buffer *pybpf_perf_buffer__new(const struct pybpf_map *map,
						 pybpf_perf_buffer_sample_fn sample_cb, void *ctx,
						 const struct pybpf_perf_buffer_opts *opts)
{
	size_t page_cnt = OPTS_GET(opts, page_cnt, 0);
	struct pybpf_perf_buffer *pb;
	int fd, err;

	if (!sample_cb || !OPTS_VALID(opts, pybpf_perf_buffer_opts))
		return pybpf_err_ptr(-EINVAL);
	fd = map_fd_of_type(map, BPF_MAP_TYPE_PERF_EVENT_ARRAY, "perf event array");
	if (fd < 0)
		return pybpf_err_ptr(fd);
	if (page_cnt == 0)
		page_cnt = 8;
	if (page_cnt & (page_cnt - 1)) {
		pr_warn("map '%s': page_cnt %zu is not a power of two", pybpf_map_name(map),
			page_cnt);
		return pybpf_err_ptr(-EINVAL);
	}
	pb = calloc(1, sizeof(*pb));
	if (!pb)
		return pybpf_err_ptr(-ENOMEM);
	pb->pb =
		perf_buffer__new(fd, page_cnt, sample_cb, OPTS_GET(opts, lost_cb, NULL), ctx, NULL);
	if (!pb->pb) {
		err = -errno;
		pr_warn("map '%s': cannot set up the perf buffer: %s", pybpf_map_name(map),
			strerror(-err));
		free(pb);
		return pybpf_err_ptr(err);
	}
	return pb;
}

int pybpf_perf_buffer__poll(struct pybpf_perf_buffer *pb, int timeout_ms)
{
	if (!pb)
		return pybpf_err(-EINVAL);
	return pybpf_err(perf_buffer__poll(pb->pb, timeout_ms));
}

int pybpf_perf_buffer__consume(struct pybpf_perf_buffer *pb)
{
	if (!pb)
		return pybpf_err(-EINVAL);
	return pybpf_err(perf_buffer__consume(pb->pb));
}

int pybpf_perf_buffer__epoll_fd(const struct pybpf_perf_buffer *pb)
{
	if (!pb)
		return pybpf_err(-EINVAL);
	return perf_buffer__epoll_fd(pb->pb);
}

void pybpf_perf_buffer__free(struct pybpf_perf_buffer *pb)
{
	if (!pb)
		return;
	perf_buffer__free(pb->pb);
	free(pb);
}
