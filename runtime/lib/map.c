/*
 * map.c - BPF maps: accessors, element and batch access on raw bytes, info,
 * pins, and maps opened from a pin without an object.
 *
 * Element access on an object's maps goes through libbpf's size-checked
 * bpf_map__*_elem functions: a key or value buffer of the wrong size is
 * refused with -EINVAL (and a message naming the map) before any system
 * call, and a map that is not created yet gives -ENOENT. Maps opened from a
 * pin have no libbpf bpf_map: the same checks are made here, from what the
 * kernel says about the map. Turning bytes into Python values is the
 * extension's job; here everything is bytes.
 */
#include "internal.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A map opened from a pin (no object, no libbpf map). */
static bool standalone(const struct pybpf_map *map)
{
	return !map->map;
}

const char *pybpf_map_name(const struct pybpf_map *map)
{
	return standalone(map) ? map->name : bpf_map__name(map->map);
}

const char *pybpf_map__name(const struct pybpf_map *map)
{
	return map ? pybpf_map_name(map) : NULL;
}

enum bpf_map_type pybpf_map__type(const struct pybpf_map *map)
{
	if (!map)
		return BPF_MAP_TYPE_UNSPEC;
	return standalone(map) ? (enum bpf_map_type)map->type : bpf_map__type(map->map);
}

__u32 pybpf_map__key_size(const struct pybpf_map *map)
{
	if (!map)
		return 0;
	return standalone(map) ? map->key_size : bpf_map__key_size(map->map);
}

__u32 pybpf_map__value_size(const struct pybpf_map *map)
{
	if (!map)
		return 0;
	return standalone(map) ? map->value_size : bpf_map__value_size(map->map);
}

__u32 pybpf_map__max_entries(const struct pybpf_map *map)
{
	if (!map)
		return 0;
	return standalone(map) ? map->max_entries : bpf_map__max_entries(map->map);
}

int pybpf_map__fd(const struct pybpf_map *map)
{
	int fd;

	if (!map)
		return pybpf_err(-EINVAL);
	fd = standalone(map) ? map->fd : bpf_map__fd(map->map);
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

/* A raw bpf_map_* call's result (-1 and errno) as -errno. */
static int sys_result(int ret)
{
	return pybpf_err(ret < 0 ? -errno : ret);
}

/* For maps opened from a pin: libbpf's size checks, and the fd. */
static int check_sizes(const struct pybpf_map *map, size_t key_sz, size_t value_sz,
		       bool check_value)
{
	size_t want = pybpf_map__value_buffer_size(map);

	if (key_sz != map->key_size) {
		pr_warn("map '%s': unexpected key size %zu provided, expected %u", map->name,
			key_sz, map->key_size);
		return -EINVAL;
	}
	if (check_value && value_sz != want) {
		pr_warn("map '%s': unexpected value size %zu provided, expected %zu", map->name,
			value_sz, want);
		return -EINVAL;
	}
	return 0;
}

int pybpf_map__lookup(const struct pybpf_map *map, const void *key, size_t key_sz, void *value,
		      size_t value_sz, __u64 flags)
{
	int err;

	if (!map || !value || (!key && key_sz))
		return pybpf_err(-EINVAL);
	if (!standalone(map))
		return result(bpf_map__lookup_elem(map->map, key, key_sz, value, value_sz, flags));
	err = check_sizes(map, key_sz, value_sz, true);
	if (err)
		return pybpf_err(err);
	return sys_result(bpf_map_lookup_elem_flags(map->fd, key, value, flags));
}

int pybpf_map__update(const struct pybpf_map *map, const void *key, size_t key_sz,
		      const void *value, size_t value_sz, __u64 flags)
{
	int err;

	if (!map || !value || (!key && key_sz))
		return pybpf_err(-EINVAL);
	if (!standalone(map))
		return result(bpf_map__update_elem(map->map, key, key_sz, value, value_sz, flags));
	err = check_sizes(map, key_sz, value_sz, true);
	if (err)
		return pybpf_err(err);
	return sys_result(bpf_map_update_elem(map->fd, key, value, flags));
}

int pybpf_map__delete(const struct pybpf_map *map, const void *key, size_t key_sz, __u64 flags)
{
	int err;

	if (!map || !key)
		return pybpf_err(-EINVAL);
	if (!standalone(map))
		return result(bpf_map__delete_elem(map->map, key, key_sz, flags));
	err = check_sizes(map, key_sz, 0, false);
	if (err)
		return pybpf_err(err);
	return sys_result(bpf_map_delete_elem_flags(map->fd, key, flags));
}

int pybpf_map__get_next_key(const struct pybpf_map *map, const void *cur_key, void *next_key,
			    size_t key_sz)
{
	int err;

	if (!map || !next_key)
		return pybpf_err(-EINVAL);
	if (!standalone(map))
		return result(bpf_map__get_next_key(map->map, cur_key, next_key, key_sz));
	err = check_sizes(map, key_sz, 0, false);
	if (err)
		return pybpf_err(err);
	return sys_result(bpf_map_get_next_key(map->fd, cur_key, next_key));
}

int pybpf_map__lookup_and_delete(const struct pybpf_map *map, const void *key, size_t key_sz,
				 void *value, size_t value_sz, __u64 flags)
{
	int err;

	if (!map || !value || (!key && key_sz))
		return pybpf_err(-EINVAL);
	if (!standalone(map))
		return result(bpf_map__lookup_and_delete_elem(map->map, key, key_sz, value,
							      value_sz, flags));
	err = check_sizes(map, key_sz, value_sz, true);
	if (err)
		return pybpf_err(err);
	return sys_result(bpf_map_lookup_and_delete_elem_flags(map->fd, key, value, flags));
}

/* The created map's fd, or -EBADF with a message. */
static int created_fd(const struct pybpf_map *map)
{
	int fd = standalone(map) ? map->fd : bpf_map__fd(map->map);

	if (fd < 0) {
		pr_warn("map '%s': not created yet (load the object first)", pybpf_map_name(map));
		return -EBADF;
	}
	return fd;
}

/* Arrays: every value zeroed. */
static int zero_array(const struct pybpf_map *map, int fd)
{
	size_t size = pybpf_map__value_buffer_size(map);
	__u32 i, n = pybpf_map__max_entries(map);
	void *zero = calloc(1, size ? size : 1);
	int err = 0;

	if (!zero)
		return -ENOMEM;
	for (i = 0; i < n && !err; i++)
		err = bpf_map_update_elem(fd, &i, zero, BPF_ANY) ? -errno : 0;
	free(zero);
	return err ? err : (int)n;
}

/* Queues and stacks: popped until empty. */
static int pop_all(const struct pybpf_map *map, int fd)
{
	void *value = malloc(pybpf_map__value_size(map) ? pybpf_map__value_size(map) : 1);
	int n = 0, err;

	if (!value)
		return -ENOMEM;
	while ((err = bpf_map_lookup_and_delete_elem(fd, NULL, value) ? -errno : 0) == 0)
		n++;
	free(value);
	return err == -ENOENT ? n : err;
}

/* Other maps: walk the keys, deleting each after finding the next. Slots
 * that are already empty (fd arrays) do not count. */
static int delete_all(const struct pybpf_map *map, int fd)
{
	size_t ksz = pybpf_map__key_size(map);
	char *keys = malloc(2 * (ksz ? ksz : 1));
	char *key, *next;
	int n = 0, err = 0, more;

	if (!keys)
		return -ENOMEM;
	key = keys;
	next = keys + ksz;
	more = bpf_map_get_next_key(fd, NULL, key) ? -errno : 0;
	while (more == 0) {
		char *t;

		more = bpf_map_get_next_key(fd, key, next) ? -errno : 0;
		err = bpf_map_delete_elem(fd, key) ? -errno : 0;
		if (err == 0)
			n++;
		else if (err != -ENOENT)
			break;
		t = key;
		key = next;
		next = t;
		err = 0;
	}
	free(keys);
	if (err)
		return err;
	return more == -ENOENT ? n : more;
}

int pybpf_map__clear(const struct pybpf_map *map)
{
	int fd, ret;

	if (!map)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	switch (pybpf_map__type(map)) {
	case BPF_MAP_TYPE_ARRAY:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
		ret = zero_array(map, fd);
		break;
	case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK:
		ret = pop_all(map, fd);
		break;
	default:
		ret = delete_all(map, fd);
		break;
	}
	if (ret < 0)
		pr_warn("map '%s': clear failed: %s", pybpf_map_name(map), strerror(-ret));
	return pybpf_err(ret);
}

/* ---- batches ---- */

int pybpf_map__lookup_batch(const struct pybpf_map *map, void *in_batch, void *out_batch,
			    void *keys, void *values, __u32 *count, __u64 elem_flags)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = elem_flags);
	int fd;

	if (!map || !out_batch || !keys || !values || !count)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	return sys_result(
		bpf_map_lookup_batch(fd, in_batch, out_batch, keys, values, count, &opts));
}

int pybpf_map__lookup_and_delete_batch(const struct pybpf_map *map, void *in_batch, void *out_batch,
				       void *keys, void *values, __u32 *count, __u64 elem_flags)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = elem_flags);
	int fd;

	if (!map || !out_batch || !keys || !values || !count)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	return sys_result(bpf_map_lookup_and_delete_batch(fd, in_batch, out_batch, keys, values,
							  count, &opts));
}

int pybpf_map__update_batch(const struct pybpf_map *map, const void *keys, const void *values,
			    __u32 *count, __u64 elem_flags)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts, .elem_flags = elem_flags);
	int fd;

	if (!map || !keys || !values || !count)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	return sys_result(bpf_map_update_batch(fd, keys, values, count, &opts));
}

int pybpf_map__delete_batch(const struct pybpf_map *map, const void *keys, __u32 *count)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	int fd;

	if (!map || !keys || !count)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	return sys_result(bpf_map_delete_batch(fd, keys, count, &opts));
}

/* ---- per-CPU values ---- */

int pybpf_num_possible_cpus(void)
{
	return pybpf_err(libbpf_num_possible_cpus());
}

bool pybpf_map__is_percpu(const struct pybpf_map *map)
{
	switch (pybpf_map__type(map)) {
	case BPF_MAP_TYPE_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_ARRAY:
	case BPF_MAP_TYPE_LRU_PERCPU_HASH:
	case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

size_t pybpf_map__value_buffer_size(const struct pybpf_map *map)
{
	size_t size = pybpf_map__value_size(map);
	int ncpus;

	if (!pybpf_map__is_percpu(map))
		return size;
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 0)
		return 0;
	return ((size + 7) & ~(size_t)7) * (size_t)ncpus;
}

/* ---- info and pins ---- */

int pybpf_map__info(const struct pybpf_map *map, struct pybpf_map_info *info)
{
	struct bpf_map_info kinfo;
	struct pybpf_map_info out;
	__u32 len = sizeof(kinfo);
	size_t sz;
	int fd, err;

	if (!map || !info || info->sz < sizeof(info->sz))
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	memset(&kinfo, 0, sizeof(kinfo));
	if (bpf_obj_get_info_by_fd(fd, &kinfo, &len)) {
		err = -errno;
		pr_warn("map '%s': cannot get info: %s", pybpf_map_name(map), strerror(-err));
		return pybpf_err(err);
	}
	memset(&out, 0, sizeof(out));
	out.id = kinfo.id;
	out.type = kinfo.type;
	out.key_size = kinfo.key_size;
	out.value_size = kinfo.value_size;
	out.max_entries = kinfo.max_entries;
	out.map_flags = kinfo.map_flags;
	out.btf_id = kinfo.btf_id;
	out.btf_key_type_id = kinfo.btf_key_type_id;
	out.btf_value_type_id = kinfo.btf_value_type_id;
	memcpy(out.name, kinfo.name, sizeof(out.name));

	sz = info->sz < sizeof(out) ? info->sz : sizeof(out);
	out.sz = info->sz;
	memcpy(info, &out, sz);
	return 0;
}

int pybpf_map__pin(const struct pybpf_map *map, const char *path)
{
	int fd, err;

	if (!map || !path)
		return pybpf_err(-EINVAL);
	fd = created_fd(map);
	if (fd < 0)
		return pybpf_err(fd);
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	if (err)
		pr_warn("map '%s': cannot pin at '%s': %s", pybpf_map_name(map), path,
			strerror(-err));
	return pybpf_err(err);
}

int pybpf_map__unpin(const struct pybpf_map *map, const char *path)
{
	if (!map)
		return pybpf_err(-EINVAL);
	if (!path && !standalone(map))
		path = bpf_map__pin_path(map->map);
	if (!path)
		return pybpf_err(-EINVAL);
	if (unlink(path) < 0)
		return pybpf_err(-errno);
	return 0;
}

/* 0 when fd is a BPF map (its /proc fdinfo has a map_type line), -EINVAL
 * when it is another BPF object, else -errno. */
static int is_map_fd(int fd)
{
	char path[64], line[256];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (!found && fgets(line, sizeof(line), f))
		found = strncmp(line, "map_type:", 9) == 0;
	fclose(f);
	return found ? 0 : -EINVAL;
}

struct pybpf_map *pybpf_map__open_pinned(const char *path)
{
	struct bpf_map_info info;
	__u32 len = sizeof(info);
	struct pybpf_map *map;
	int fd, err;

	if (!path)
		return pybpf_err_ptr(-EINVAL);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err = -errno;
		pr_warn("cannot open pinned map '%s': %s", path, strerror(-err));
		return pybpf_err_ptr(err);
	}
	memset(&info, 0, sizeof(info));
	/* a pinned program or link opens too: only a map's fdinfo has map_type */
	err = is_map_fd(fd);
	if (err == 0 && bpf_obj_get_info_by_fd(fd, &info, &len))
		err = -errno;
	if (err) {
		pr_warn("'%s' is not a pinned map: %s", path, strerror(-err));
		close(fd);
		return pybpf_err_ptr(err);
	}
	map = calloc(1, sizeof(*map));
	if (!map) {
		close(fd);
		return pybpf_err_ptr(-ENOMEM);
	}
	map->fd = fd;
	map->type = info.type;
	map->key_size = info.key_size;
	map->value_size = info.value_size;
	map->max_entries = info.max_entries;
	memcpy(map->name, info.name, sizeof(map->name));
	map->name[sizeof(map->name) - 1] = '\0';
	return map;
}

void pybpf_map__close(struct pybpf_map *map)
{
	int saved = errno;

	if (!map || !standalone(map))
		return;
	close(map->fd);
	free(map);
	errno = saved;
}

int pybpf_map__set_max_entries(struct pybpf_map *map, __u32 max_entries)
{
	int err;

	if (!map || standalone(map))
		return pybpf_err(-EINVAL);
	if (map->obj->load_tried) {
		pr_warn("map '%s': cannot set max_entries after load", pybpf_map_name(map));
		return pybpf_err(-EBUSY);
	}
	err = bpf_map__set_max_entries(map->map, max_entries);
	return pybpf_err(err);
}
