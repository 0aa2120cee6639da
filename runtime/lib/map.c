/*
 * map.c - BPF maps: accessors and element access on raw bytes.
 *
 * Element access goes through libbpf's size-checked bpf_map__*_elem
 * functions: a key or value buffer of the wrong size is refused with -EINVAL
 * (and a message naming the map) before any system call, and a map that is
 * not created yet gives -ENOENT. Turning bytes into Python values is the
 * extension's job; here everything is bytes.
 */
#include "internal.h"

#include <bpf/libbpf.h>

const char *pybpf_map__name(const struct pybpf_map *map)
{
	return map ? bpf_map__name(map->map) : NULL;
}

enum bpf_map_type pybpf_map__type(const struct pybpf_map *map)
{
	return map ? bpf_map__type(map->map) : BPF_MAP_TYPE_UNSPEC;
}

__u32 pybpf_map__key_size(const struct pybpf_map *map)
{
	return map ? bpf_map__key_size(map->map) : 0;
}

__u32 pybpf_map__value_size(const struct pybpf_map *map)
{
	return map ? bpf_map__value_size(map->map) : 0;
}

__u32 pybpf_map__max_entries(const struct pybpf_map *map)
{
	return map ? bpf_map__max_entries(map->map) : 0;
}

int pybpf_map__fd(const struct pybpf_map *map)
{
	int fd;

	if (!map)
		return pybpf_err(-EINVAL);
	fd = bpf_map__fd(map->map);
	return fd >= 0 ? fd : pybpf_err(-EBADF);
}

struct pybpf_object *pybpf_map__object(const struct pybpf_map *map)
{
	return map ? map->obj : NULL;
}

struct bpf_map *pybpf_map__bpf_map(const struct pybpf_map *map)
{
	return map ? map->map : NULL;
}

/* libbpf returns -errno (1.0 semantics); make sure errno matches it. */
static int result(int ret)
{
	return pybpf_err(ret);
}

int pybpf_map__lookup(const struct pybpf_map *map, const void *key, size_t key_sz, void *value,
		      size_t value_sz, __u64 flags)
{
	if (!map || !key || !value)
		return pybpf_err(-EINVAL);
	return result(bpf_map__lookup_elem(map->map, key, key_sz, value, value_sz, flags));
}

int pybpf_map__update(const struct pybpf_map *map, const void *key, size_t key_sz,
		      const void *value, size_t value_sz, __u64 flags)
{
	if (!map || !key || !value)
		return pybpf_err(-EINVAL);
	return result(bpf_map__update_elem(map->map, key, key_sz, value, value_sz, flags));
}

int pybpf_map__delete(const struct pybpf_map *map, const void *key, size_t key_sz, __u64 flags)
{
	if (!map || !key)
		return pybpf_err(-EINVAL);
	return result(bpf_map__delete_elem(map->map, key, key_sz, flags));
}

int pybpf_map__get_next_key(const struct pybpf_map *map, const void *cur_key, void *next_key,
			    size_t key_sz)
{
	if (!map || !next_key)
		return pybpf_err(-EINVAL);
	return result(bpf_map__get_next_key(map->map, cur_key, next_key, key_sz));
}
