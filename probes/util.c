// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Helpers the probe families share: batch reads of per-CPU maps, the
 * kernel's own counters of a thread, and a program's recursion misses.
 * They call nothing in probes/, so the loaders depend on this file and
 * never on each other.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <bpf/bpf.h>

#include "../bpf/abi.h"
#include "util.h"

int probe_percpu_array_read(int fd, __u32 max_entries, size_t value_size, int ncpus,
			    void *values)
{
	size_t stride = ((value_size + 7) & ~(size_t)7) * ncpus;
	__u32 *keys = calloc(max_entries, sizeof(*keys));
	__u32 out = 0, count, done = 0;
	void *in = NULL;
	int e = 0;

	if (!keys)
		return -ENOMEM;
	/* one syscall instead of one per entry: 512 lookups cost ~8 ms at exit */
	while (done < max_entries) {
		count = max_entries - done;
		e = bpf_map_lookup_batch(fd, in, &out, keys + done, (char *)values + done * stride,
					 &count, NULL);
		done += count;
		if (e) {
			e = -errno;
			break;
		}
		in = &out;
	}
	free(keys);
	/* ENOENT marks the end of the map */
	return e == -ENOENT ? 0 : e;
}

int probe_read_schedstat(pid_t pid, pid_t tid, __u64 *exec, __u64 *delay)
{
	char path[64];
	unsigned long long e, d;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/schedstat", (int)pid, (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fscanf(f, "%llu %llu", &e, &d);
	fclose(f);
	if (n != 2)
		return -EINVAL;
	*exec = e;
	*delay = d;
	return 0;
}

__u64 probe_prog_misses(int prog_fd)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return 0;
	return info.recursion_misses;
}

void probe_hist_merge(struct wait_hist *into, const struct wait_hist *h)
{
	into->count += h->count;
	into->total_ns += h->total_ns;
	if (h->max_ns > into->max_ns)
		into->max_ns = h->max_ns;
	for (int k = 0; k < MAX_SLOTS; k++)
		into->slots[k] += h->slots[k];
}
