/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The numbers the decision compares its drivers with, their defaults and
 * their parsing from --threshold NAME=VALUE. README.md ("The decision")
 * lists them for users.
 */
#ifndef ADVISOR_THRESHOLDS_H
#define ADVISOR_THRESHOLDS_H

#include <stddef.h>

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

/* One entry per field of struct thresholds, in its order; --help lists them. */
extern const struct threshold_def threshold_defs[NR_THRESHOLDS];

/* Sets every threshold of t to its default_value. */
void thresholds_default(struct thresholds *t);

/*
 * Parses "NAME=VALUE" into t; -EINVAL on an unknown name or a bad value
 * (empty, not a plain decimal number, negative, above the name's max_value),
 * leaving t as it was.
 */
int thresholds_set(struct thresholds *t, const char *assignment);

#endif /* ADVISOR_THRESHOLDS_H */
