/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gate rules (README, "Use in CI"): an expected model, a limit on a measured
 * number, and a comparison with a baseline report. Each rule is a pure
 * function of numbers already read from a report (policy.c does the reading)
 * and fills one struct gate_rule: passed or not, what was measured, the limit,
 * and a one-line message. No I/O, no globals, so tests drive it from tables.
 */
#ifndef ADVISOR_GATE_H
#define ADVISOR_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include "decide.h"

enum gate_kind {
	GATE_EXPECT, /* --expect MODEL */
	GATE_LIMIT,  /* a policy limit: min and/or max */
	GATE_MODEL,  /* --baseline: the model did not change */
	GATE_CHANGE, /* --baseline: a metric did not move past its tolerance */
	NR_GATE_KINDS,
};

/* "expect", "limit", "model", "change" as in the JSON report */
extern const char *const gate_kind_names[NR_GATE_KINDS];

/* The direction in which a metric's change is a regression. */
enum gate_worse {
	GATE_WORSE_HIGHER,
	GATE_WORSE_LOWER,
	GATE_WORSE_EITHER,
	NR_GATE_WORSE,
};

/* "higher", "lower", "either" */
extern const char *const gate_worse_names[NR_GATE_WORSE];

/* enum value of a name in names[0..n), or -1 */
int gate_name_index(const char *const *names, int n, const char *name);

#define GATE_PATH_LEN 128
#define GATE_MODEL_LEN 32
#define GATE_MESSAGE_LEN 320

/*
 * One evaluated rule. Which fields mean something depends on kind; numbers
 * that do not apply are NAN.
 */
struct gate_rule {
	enum gate_kind kind;
	bool passed;
	char path[GATE_PATH_LEN]; /* the metric as the policy wrote it; "verdict.model" */

	/* GATE_EXPECT: want is the expected model, got the measured one;
	 * GATE_MODEL: want is the baseline's model, got the measured one */
	char want[GATE_MODEL_LEN];
	char got[GATE_MODEL_LEN];
	unsigned int agree; /* GATE_EXPECT: runs whose verdict was want */
	unsigned int runs;
	double min_agreement;

	double value;	 /* GATE_LIMIT: measured; GATE_CHANGE: the new value */
	double min, max; /* GATE_LIMIT */
	double old;	 /* GATE_CHANGE: the baseline's value */
	double abs, rel; /* GATE_CHANGE: tolerances as given (NAN: not given) */
	double allowed;	 /* GATE_CHANGE: the move allowed in the bad direction */
	enum gate_worse worse;

	char message[GATE_MESSAGE_LEN];
};

/*
 * --expect: passes when counts[want] of runs is at least min_agreement
 * (0.5 < min_agreement <= 1), so a single run must give want.
 * MODEL_INCONCLUSIVE never passes. got is the report's model and reason its
 * inconclusive reason ("" or NULL when none), for the message.
 */
void gate_expect(struct gate_rule *g, enum model want, enum model got, const char *reason,
		 const unsigned int counts[NR_MODELS], unsigned int runs, double min_agreement);

/*
 * A limit: passes when min <= value <= max; NAN for a bound that was not
 * given. A value that is not a number (null in the report) fails.
 */
void gate_limit(struct gate_rule *g, const char *path, double value, double min, double max);

/* --baseline: passes when the model is the same. */
void gate_model(struct gate_rule *g, enum model old, enum model new);

/*
 * --baseline, one metric: the move in the bad direction (worse) may be up to
 * max(abs, rel * |old|), NAN tolerances counting as 0; a move past that
 * fails. A value that is not a number on either side fails.
 */
void gate_change(struct gate_rule *g, const char *path, double old, double new, double abs,
		 double rel, enum gate_worse worse);

/*
 * A rule whose metric the report does not have (an array element that is
 * not there): it fails, with why in the message.
 */
void gate_missing(struct gate_rule *g, enum gate_kind kind, const char *path, const char *why);

/* Every rule asked for, in order, and what it gave. */
struct gate_results {
	bool evaluated;		     /* a gate was asked for */
	char expect[GATE_MODEL_LEN]; /* "" when not asked */
	char policy[256];	     /* file names as given; "" when none */
	char baseline[256];
	size_t nr;
	size_t nr_failed;
	struct gate_rule *rules; /* owned; free with gate_results_free() */
};

/* Appends a copy of g; 0 or -ENOMEM. */
int gate_results_add(struct gate_results *gr, const struct gate_rule *g);

void gate_results_free(struct gate_results *gr);

#endif /* ADVISOR_GATE_H */
