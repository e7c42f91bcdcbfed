/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The verdict's prose: advice, rationale, confidence and speedup bases,
 * written from what the rules decided (struct judgement) and the drivers.
 * Internal to the decision: callers use decide.h.
 */
#ifndef ADVISOR_RATIONALE_H
#define ADVISOR_RATIONALE_H

#include <stdbool.h>

#include "decide.h"
#include "drivers.h"

/* Which rule settled the verdict, in the order decide.c tries them. */
enum judged_by {
	JUDGED_TOO_SHORT, /* the run lasted less than min_duration_ms */
	JUDGED_IDLE, /* no thread was busy, or idle_share >= asleep_min */
	JUDGED_OPEN, /* most I/O wait was in waits still open at the end: idle */
	JUDGED_LITTLE_WORK, /* the whole tree did too little cpu + io */
	JUDGED_LOCKS, /* lock-bound */
	JUDGED_TREE, /* a model, from the tree */
};

/* What an idle tree waited on most (see decide.c). */
enum idle_kind {
	IDLE_ASLEEP,
	IDLE_CHILDREN,
	IDLE_LOCKS,
	IDLE_OTHER, /* other waits and waits the tree ended itself */
	IDLE_NO_WAIT, /* no wait recorded */
	IDLE_TOO_SHORT, /* no wait, and too little work to judge */
	NR_IDLE_KINDS,
};

/* What the rules found, beyond the verdict's own fields. */
struct judgement {
	enum judged_by by;
	enum idle_kind idle; /* JUDGED_IDLE */
	double idle_wait_share; /* JUDGED_IDLE: that wait's share of all waits */

	/* JUDGED_TREE: the tests on the path; many is false when not counted */
	bool io_bound, slow, many;

	/* the confidence's factors, each in (0, 1] */
	double f_io; /* io_fraction's distance from io_bound_min */
	double f_sub; /* the I/O drivers' (wait_p50, peak open) */
	double f_run; /* run length */
	double f_lock; /* lock_share, 1 for CPython */
	double drop; /* dropped events, for every verdict */
	__u64 dropped, events_seen; /* events_seen counts the dropped ones */

	/* the critical path (decide.c): its longest part, which one, and wall / it */
	double path_ns, path_bound;
	double own_wall; /* the wall without the waits for CPUs other programs held */
	enum path_limit {
		LIMIT_CPU, /* the busy CPU time over the CPUs online */
		LIMIT_SERIAL, /* the CPU time one interpreter runs serially */
		LIMIT_WAIT, /* the longest single external I/O wait */
		LIMIT_STREAM, /* the longest chain of reads of one pipe */
	} limit;
};

/*
 * Writes v's advice, rationale, speedup_basis and confidence_basis, from v's
 * model, path and other numbers, which the rules have set.
 */
void rationale_write(const struct tree *tr, const struct thresholds *t, const struct judgement *j,
		     struct verdict *v);

#endif /* ADVISOR_RATIONALE_H */
