/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Helpers shared by the probe families (probes/util.c). */
#ifndef ADVISOR_PROBES_UTIL_H
#define ADVISOR_PROBES_UTIL_H

#include <stddef.h>
#include <sys/types.h>
#include <linux/types.h>

/*
 * Reads every entry of a per-CPU array in one batch: values gets
 * max_entries * ncpus values of value_size (8-byte aligned) each.
 */
int probe_percpu_array_read(int fd, __u32 max_entries, size_t value_size, int ncpus,
			    void *values);

/* The kernel's own counters of a thread: what /proc/PID/task/TID/schedstat shows. */
int probe_read_schedstat(pid_t pid, pid_t tid, __u64 *exec, __u64 *delay);

/* Adds histogram h into into. */
struct wait_hist;
void probe_hist_merge(struct wait_hist *into, const struct wait_hist *h);

/* Recursion misses of a loaded program: events the kernel skipped. */
__u64 probe_prog_misses(int prog_fd);

#endif /* ADVISOR_PROBES_UTIL_H */
