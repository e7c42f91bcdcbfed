/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The decision: a pure function from a measured profile and thresholds to a
 * verdict. No I/O, no clock, no globals. README.md ("The decision") gives the
 * tree; the rules in full are at the top of drivers.c (how each driver is
 * measured) and decide.c (how they are judged).
 */
#ifndef ADVISOR_DECIDE_H
#define ADVISOR_DECIDE_H

#include <stdbool.h>

#include "../probes/profile.h"
#include "findings.h"
#include "phases.h"
#include "pool.h"
#include "thresholds.h"

enum model {
	MODEL_INCONCLUSIVE,
	MODEL_ASYNC,
	MODEL_MULTITHREADING,
	MODEL_MULTIPROCESSING,
	NR_MODELS,
};

/* One test of the decision: value against threshold, and the branch taken. */
struct path_node {
	char metric[32];
	double value; /* NaN when it was not measured (branch "not-counted") */
	double threshold;
	char branch[32];
};

#define MAX_PATH 4

struct verdict {
	enum model model;
	double confidence; /* 0..1 */
	char confidence_basis[256];

	/* the drivers */
	double io_fraction;
	__u64 wait_p50_ns;
	__u64 peak_open; /* 0 when not counted: see the path's peak_open_connections */
	double busy_threads; /* average threads on CPU or in I/O at once */
	/*
	 * CPython: the busy threads' share of time waiting to take the GIL
	 * (their futex waits); NAN for other runtimes
	 */
	double gil_wait_share;
	/* Node.js's libuv pool or Go's GOMAXPROCS against its size (pool.c) */
	struct runtime_pool pool;

	char current_model[32]; /* single-threaded, multithreaded, multiprocess, event-loop */
	bool already_fits;
	char runtime[32];
	char inconclusive_reason[32]; /* asleep, children, locks, too-short, idle; "" */

	size_t nr_path;
	struct path_node path[MAX_PATH];

	/*
	 * The run's phases (phases.c) and each one's model on its own drivers;
	 * with more than one, the verdict judges the steady phase, and
	 * whole_model and whole_io_fraction are the run's as a whole
	 */
	struct phases phases;
	enum model phase_model[MAX_PHASES];
	enum model whole_model;
	double whole_io_fraction;

	double speedup_bound;
	__u64 own_wall_ns; /* the wall the bound divides: without waits for CPUs others held */
	char speedup_basis[384];
	char advice[256]; /* one line: what to do, "from X to Y" */
	char rationale[1024];

	/* the call sites behind the drivers (findings.c), largest first */
	size_t nr_findings;
	struct finding findings[MAX_FINDINGS];
};

extern const char *const model_names[NR_MODELS];

/* MODEL_* for a name, or -1. */
int model_from_name(const char *name);

/*
 * Fills v from p; returns 0. The rules, and how confidence and the speedup
 * bound are computed, are described at the top of decide.c; the drivers at
 * the top of drivers.c.
 */
int decide_model(const struct profile *p, const struct thresholds *t, struct verdict *v);

#endif /* ADVISOR_DECIDE_H */
