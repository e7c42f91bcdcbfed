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
#include "../probes/profile.h"
#include "cgroup.h"
#include "cli.h"
#include "timeline.h"

#define MAX_INSPECTED 1024

struct runtime_seen {
	pid_t pid;
	char exe[256]; /* a pid that execs again (a shell-script shim) is read again */
	char runtime[32];
	struct runtime_knobs knobs; /* its environment's, read with the runtime */
	bool knobs_read; /* false: read them again at the next tick */
};

/* Why a command measured nothing: main.c maps each to its exit status. */
enum failure {
	FAILURE_NONE,
	FAILURE_USAGE, /* a bad argument found late: no such pid, an unknown -o format */
	FAILURE_OUTPUT, /* an -o path cannot be written */
	FAILURE_ENV, /* no BPF rights, no BTF, a probe would not load */
	FAILURE_NOEXEC, /* the command is not executable */
	FAILURE_NOTFOUND, /* the command was not found */
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
	struct timeline timeline;
	struct timeline_bucket open_last; /* the open episodes' tally at the last tick */
	struct runtime_seen seen[MAX_INSPECTED];
	size_t nr_seen;
	sigset_t mask; /* the signals the session waits for */
	sigset_t old_mask; /* what was blocked before session_open() */
};

enum session_end {
	SESSION_TREE_EXITED,
	SESSION_DURATION,
	SESSION_INTERRUPTED, /* attach only: Ctrl-C or SIGTERM to advisor */
};

__u64 session_now_ns(void);

/*
 * Checks every -o before anything runs: a known format, no file named
 * twice. 0, or -EINVAL after one line on stderr with *fail.
 */
int session_check_outputs(const struct options *o, enum failure *fail);

/*
 * Checks that every -o can be written, before the target runs, rather than
 * losing a measured run later. 0, or -errno after one line with *fail.
 */
int session_check_writable(const struct options *o, enum failure *fail);

/*
 * The prologue of run and attach: s->o, s->prof, s->root (attach) and
 * s->is_parent are set. Empties the profile, checks the outputs' formats and
 * the kernel, makes the run's cgroup (run), loads the probes and blocks the
 * session's signals. The checks go in the order of the exit statuses'
 * precedence (README): usage, environment; the caller then checks its
 * command and session_check_writable(). 0, or -errno after one line on stderr with *fail;
 * session_close() undoes what was done either way.
 */
int session_open(struct session *s, enum failure *fail);

/* Measures until the tree is gone, --duration or Ctrl-C, and reads it all into s->prof. */
enum session_end session_measure(struct session *s);

/* The epilogue: unblocks the signals, detaches the probes, removes the cgroup. */
void session_close(struct session *s);

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
