/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The phases of a run, found on its timeline: start-up, steady state and
 * tear-down, where the tree's I/O share changes. Pure: the decision judges
 * the steady phase with them (decide.c). How they are found is described at
 * the top of phases.c.
 */
#ifndef ADVISOR_PHASES_H
#define ADVISOR_PHASES_H

#include <stddef.h>

#include "../probes/profile.h"

#define MAX_PHASES 3

enum phase_kind {
	PHASE_STARTUP,
	PHASE_STEADY,
	PHASE_TEARDOWN,
	NR_PHASE_KINDS,
};

extern const char *const phase_names[NR_PHASE_KINDS]; /* "start-up", "steady", "tear-down" */

struct phase {
	enum phase_kind kind;
	__u64 start_ns, end_ns; /* from the start of the run */
	double io_fraction; /* io / (cpu + own runq + io) over its buckets */
	double cpu_used; /* cpu / its length: CPUs in use on average */
	double busy_threads; /* (cpu + io) / its length */
};

struct phases {
	size_t nr; /* 1: the run is one phase, nothing to split */
	size_t steady; /* index of the steady phase (see phases.c) */
	struct phase phase[MAX_PHASES];
};

/* Length of p's timeline bucket i: bucket_ns, the last one up to the end. */
double timeline_bucket_len(const struct profile *p, size_t i);

/*
 * The run queue time of bucket b (length len) that the tree's own demand
 * for cpus CPUs explains: its threads can have queued behind each other for
 * at most cpu + runq - cpus x len; the rest was other programs' load.
 */
double timeline_runq_own(const struct timeline_bucket *b, double len, int cpus);

/* Of p's run queue time, the share its own demand explains (1 without any). */
double timeline_runq_own_share(const struct profile *p);

/* Splits p's timeline into phases (see phases.c); returns ph->nr. */
size_t phases_find(const struct profile *p, struct phases *ph);

#endif /* ADVISOR_PHASES_H */
