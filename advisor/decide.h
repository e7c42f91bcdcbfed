/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The decision (SPEC section 4): a pure function from a measured profile and
 * thresholds to a verdict. No I/O, no clock, no globals.
 */
#ifndef ADVISOR_DECIDE_H
#define ADVISOR_DECIDE_H

#include <stdbool.h>

#include "profile.h"

enum model {
	MODEL_INCONCLUSIVE,
	MODEL_ASYNC,
	MODEL_MULTITHREADING,
	MODEL_MULTIPROCESSING,
	NR_MODELS,
};

struct thresholds {
	double io_bound_min; /* io_fraction at or above: I/O-bound (0.5) */
	double slow_wait_ms; /* wait_p50 at or above: I/O very slow (1 ms) */
	double many_conns; /* peak open connections at or above: many (64) */
	double busy_min; /* share of wall a thread must be busy to count (0.01) */
	double min_duration_ms; /* shorter runs are too short to judge (20 ms) */
	double asleep_min; /* sleep share of wall-time at or above: asleep (0.9) */
};

#define NR_THRESHOLDS 6

struct threshold_def {
	const char *name;
	const char *help;
	size_t offset; /* of the double in struct thresholds */
	double default_value;
	double max_value; /* 1 for shares; larger values are refused */
};

extern const struct threshold_def threshold_defs[NR_THRESHOLDS];

void thresholds_default(struct thresholds *t);

/*
 * Parses "NAME=VALUE" into t; -EINVAL on an unknown name or a bad value
 * (empty, not a plain decimal number, negative, above the name's max_value).
 */
int thresholds_set(struct thresholds *t, const char *assignment);

struct path_node {
	char metric[32];
	double value;
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
	__u64 peak_open;
	double busy_threads; /* average threads on CPU or in I/O at once */

	char current_model[32]; /* single-threaded, multithreaded, multiprocess, event-loop */
	bool already_fits;
	char runtime[32];
	char inconclusive_reason[32]; /* asleep, children, locks, too-short, idle; "" */

	size_t nr_path;
	struct path_node path[MAX_PATH];

	double speedup_bound;
	char speedup_basis[256];
	char advice[256]; /* one line: what to do, "from X to Y" */
	char rationale[1024];
};

extern const char *const model_names[NR_MODELS];

/* MODEL_* for a name, or -1. */
int model_from_name(const char *name);

/*
 * Fills v from p; returns 0. The rules, and how confidence and the speedup
 * bound are computed, are described at the top of decide.c.
 */
int decide_model(const struct profile *p, const struct thresholds *t, struct verdict *v);

#endif /* ADVISOR_DECIDE_H */
