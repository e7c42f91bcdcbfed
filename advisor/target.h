/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The profiled command: forked, held until every probe is attached and it
 * is marked as the tree's root, then released to exec as the invoking user.
 */
#ifndef ADVISOR_TARGET_H
#define ADVISOR_TARGET_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct target {
	pid_t pid;
	int hold_fd; /* write end: one byte releases the child */
	int err_fd; /* read end: errno of a failed exec, EOF on success */
	/* -o -: the report owns stdout, so the target writes there to stderr */
	bool stdout_to_stderr;
};

/*
 * Checks that argv0 names an executable file, searching PATH as execvp()
 * does. Returns 0, -ENOENT (not found), -EACCES or -EISDIR (not executable).
 */
int target_resolve(const char *argv0, char *path, size_t len);

/* Forks the held child; it restores child_mask before exec. */
int target_spawn(struct target *t, char *const argv[], const sigset_t *child_mask);

/* Lets the child exec; returns 0 or the -errno of a failed exec. */
int target_release(struct target *t);

/* Kills and reaps a child that was never released. */
void target_abort(struct target *t);

#endif /* ADVISOR_TARGET_H */
