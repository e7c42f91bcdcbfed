/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * --repeat N: what N runs of the same command gave. Per run, its verdict and
 * how the target ended, and the value of each repeated metric (a path into
 * the report, as policy.c reads them); over the runs, each metric's median,
 * min and max, how many runs gave each model, the majority model, and which
 * run's profile stands for them all in the report. Pure: no I/O.
 */
#ifndef ADVISOR_REPEAT_H
#define ADVISOR_REPEAT_H

#include <stdbool.h>
#include <stddef.h>

#include "decide.h"
#include "gate.h"

#define REPEAT_MAX_RUNS 1000

struct repeat_run {
	enum model model;
	double confidence;
	bool exited;
	int exit_code; /* -1 when killed by a signal or still running */
	int signal;
};

struct repeat_metric {
	char path[GATE_PATH_LEN]; /* canonical: see policy_path_canonical() */
	double *values;		  /* owned; one per run, NAN when that run did not have it */
	double median, min, max;  /* over the runs that had it; NAN when none did */
};

struct repeat_summary {
	unsigned int runs;		/* 0: the report is of a single run */
	unsigned int main_run;		/* 0-based: the run whose profile is the report's body */
	enum model model;		/* the majority model */
	unsigned int counts[NR_MODELS]; /* runs that gave each model */
	struct repeat_run *per_run;	/* owned, runs of them */
	size_t nr_metrics;
	struct repeat_metric *metrics; /* owned */
};

/*
 * Makes room for runs runs of the metrics named by paths; 0 or -ENOMEM.
 * Free with repeat_free().
 */
int repeat_init(struct repeat_summary *s, unsigned int runs, const char *const *paths,
		size_t nr_paths);

/* Stores run i: its verdict and end, and values[k] for metrics[k]. */
void repeat_set_run(struct repeat_summary *s, unsigned int i, const struct repeat_run *run,
		    const double *values);

/*
 * Computes the medians, min and max, the counts, the majority model and the
 * main run:
 * - the majority model is the one most runs gave; on a tie, the one whose
 *   runs have the higher median confidence, then the first in enum order;
 * - the main run is, among the runs that gave the majority model, the one
 *   whose io_fraction is closest to the median io_fraction of all runs (the
 *   earliest on a tie; the first such run when io_fraction is not repeated).
 */
void repeat_finish(struct repeat_summary *s);

/* The median of the numbers in v that are not NAN (mean of the middle two for an even count); NAN
 * when none. */
double repeat_median(const double *v, size_t n);

/* The metric of this canonical path, or NULL. */
const struct repeat_metric *repeat_metric_find(const struct repeat_summary *s, const char *path);

void repeat_free(struct repeat_summary *s);

#endif /* ADVISOR_REPEAT_H */
