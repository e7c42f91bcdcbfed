// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The thresholds as a table, so that defaults, --threshold parsing, --help and
 * the report's "thresholds" object cannot drift apart.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "thresholds.h"

const struct threshold_def threshold_defs[NR_THRESHOLDS] = {
	{
		.name = "io_bound_min",
		.help = "io_fraction at or above which the program is I/O-bound (0.5)",
		.offset = offsetof(struct thresholds, io_bound_min),
		.default_value = 0.5,
		.max_value = 1,
	},
	{
		.name = "slow_wait_ms",
		.help = "median I/O wait at or above which I/O is very slow (1 ms)",
		.offset = offsetof(struct thresholds, slow_wait_ms),
		.default_value = 1,
		.max_value = DBL_MAX,
	},
	{
		.name = "many_conns",
		.help = "peak open connections at or above which they are many (64)",
		.offset = offsetof(struct thresholds, many_conns),
		.default_value = 64,
		.max_value = DBL_MAX,
	},
	{
		.name = "busy_min",
		.help = "share of its life a thread must be on CPU or in I/O to count (0.01)",
		.offset = offsetof(struct thresholds, busy_min),
		.default_value = 0.01,
		.max_value = 1,
	},
	{
		.name = "min_duration_ms",
		.help = "shorter runs are too short to judge (20 ms)",
		.offset = offsetof(struct thresholds, min_duration_ms),
		.default_value = 20,
		.max_value = DBL_MAX,
	},
	{
		.name = "asleep_min",
		.help = "idle share of the wall time at or above which the tree is asleep (0.9)",
		.offset = offsetof(struct thresholds, asleep_min),
		.default_value = 0.9,
		.max_value = 1,
	},
};

static double *threshold_field(struct thresholds *t, const struct threshold_def *def)
{
	return (double *)((char *)t + def->offset);
}

void thresholds_default(struct thresholds *t)
{
	for (int i = 0; i < NR_THRESHOLDS; i++)
		*threshold_field(t, &threshold_defs[i]) = threshold_defs[i].default_value;
}

int thresholds_set(struct thresholds *t, const char *assignment)
{
	const struct threshold_def *def = NULL;
	const char *eq = strchr(assignment, '='), *val;
	size_t name_len;
	char *end;
	double x;

	if (!eq || eq == assignment)
		return -EINVAL;
	name_len = eq - assignment;
	for (int i = 0; i < NR_THRESHOLDS; i++) {
		if (strlen(threshold_defs[i].name) == name_len &&
		    !strncmp(threshold_defs[i].name, assignment, name_len)) {
			def = &threshold_defs[i];
			break;
		}
	}
	if (!def)
		return -EINVAL;

	/*
	 * strtod alone would take leading blanks, signs, hex, "inf" and "nan":
	 * only a plain decimal number is a threshold.
	 */
	val = eq + 1;
	if (!(*val >= '0' && *val <= '9') && *val != '.')
		return -EINVAL;
	if (val[strspn(val, "0123456789.eE+-")])
		return -EINVAL;
	errno = 0;
	x = strtod(val, &end);
	if (errno || end == val || *end || !isfinite(x) || x < 0 || x > def->max_value)
		return -EINVAL;
	*threshold_field(t, def) = x;
	return 0;
}
