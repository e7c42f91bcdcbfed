/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The cgroup v2 directory made for one run: it scopes the connection
 * counter to the tree and tells when the whole tree has exited.
 */
#ifndef ADVISOR_CGROUP_H
#define ADVISOR_CGROUP_H

#include <stdbool.h>
#include <sys/types.h>

struct run_cgroup {
	char path[512];
	int fd; /* the directory, for BPF attach; -1 when none */
};

/* Makes <cgroup2 mount>/advisor.<pid>; -errno with a reason in err. */
int cgroup_create(struct run_cgroup *cg, char *err, size_t errlen);

/*
 * The cgroup v2 directory pid lives in (its "0::" line of /proc/PID/cgroup
 * under the mount): -ENOENT with a reason in err when it is in none.
 */
int cgroup_of_pid(pid_t pid, char *path, size_t len, char *err, size_t errlen);

/* Moves pid into the cgroup. */
int cgroup_enter(const struct run_cgroup *cg, pid_t pid);

/* Calls fn for every process now in the cgroup. */
int cgroup_for_each_pid(const struct run_cgroup *cg, void (*fn)(pid_t pid, void *ctx), void *ctx);

/* Sends sig to every process left in the cgroup; returns how many. */
int cgroup_signal(const struct run_cgroup *cg, int sig);

/* Moves what is left to the parent cgroup and removes the directory. */
void cgroup_remove(struct run_cgroup *cg);

#endif /* ADVISOR_CGROUP_H */
