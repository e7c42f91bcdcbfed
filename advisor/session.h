/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * One measuring session, shared by `run` and `attach`: the probes are
 * attached and the tree seeded; the session samples the timeline every
 * bucket, drains exited threads from the kernel's maps, reads the runtime
 * of live processes, and ends when the tree is gone, at --duration, or (for
 * attach) on Ctrl-C.
 */
#ifndef ADVISOR_SESSION_H
#define ADVISOR_SESSION_H

#include <signal.h>
#include <stdbool.h>

#include "../probes/probes.h"
#include "cgroup.h"
#include "cli.h"
#include "profile.h"

#define BUCKET_NS 100000000ULL
#define MAX_BUCKETS 3000
#define MAX_INSPECTED 1024

struct runtime_seen {
	pid_t pid;
	char exe[256]; /* a pid that execs again (a shell-script shim) is read again */
	char runtime[32];
};

struct session {
	const struct options *o;
	struct probes *probes;
	struct run_cgroup cg;
	struct profile *prof;
	pid_t root;
	/* run: advisor is the tree's parent and subreaper; attach: it is not */
	bool is_parent;
	struct tree_totals last;
	size_t cap_buckets;
	struct runtime_seen seen[MAX_INSPECTED];
	size_t nr_seen;
};

enum session_end {
	SESSION_TREE_EXITED,
	SESSION_DURATION,
	SESSION_INTERRUPTED, /* attach only: Ctrl-C or SIGTERM to advisor */
};

__u64 session_now_ns(void);

/* Fills the host facts and a copy of the command. */
void session_fill_host(struct profile *p, char *const argv[], int argc);

/* Samples until the session ends; mask holds the signals blocked for it. */
enum session_end session_loop(struct session *s, const sigset_t *mask);

/* The last sample and everything measured, read into s->prof. */
int session_collect(struct session *s);

/* run: reaps the tree's processes; true once none is left. */
bool session_reap(struct session *s);

/* --duration ran out: end what is left of the tree, as timeout(1) does. */
void session_stop_tree(struct session *s);

#endif /* ADVISOR_SESSION_H */
