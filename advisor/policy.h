/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gate policy (reports/schema/policy-1.json): limits on numbers of the
 * report and tolerances for the comparison with a baseline, each addressed by
 * a metric path (advisor/metric.h). A path is checked against the report's
 * layout when the policy is read: one that can name nothing in any report is
 * an error. With --repeat, a repeated metric (see policy_repeat_paths()) is
 * read as its median over the runs; any other path reads the report's main
 * run.
 */
#ifndef ADVISOR_POLICY_H
#define ADVISOR_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "gate.h"

#define POLICY_SCHEMA "advisor-policy/1"

struct policy_limit {
	char path[GATE_PATH_LEN];
	double min, max; /* NAN when not given */
};

struct policy_tolerance {
	char path[GATE_PATH_LEN];
	double abs, rel; /* NAN when not given */
	enum gate_worse worse;
};

struct policy {
	char file[256];	      /* "" for the built-in defaults */
	double min_agreement; /* share of runs --expect wants: (0.5, 1], 1 by default */
	size_t nr_limits;
	struct policy_limit *limits; /* owned */
	bool has_tolerances;	     /* false: --baseline compares the default metrics */
	size_t nr_tolerances;
	struct policy_tolerance *tolerances; /* owned */
};

/* The built-in policy: no limits, min_agreement 1, default tolerances. */
void policy_init(struct policy *p);

/*
 * Reads a policy file into p (free with policy_free(), also on failure).
 * Returns 0, or -EINVAL (or -errno when it cannot be read) with one line in
 * err naming the file and the key or path.
 */
int policy_load(const char *file, struct policy *p, char *err, size_t errlen);

void policy_free(struct policy *p);

/* The tolerances --baseline uses without a policy's "tolerances". */
extern const struct policy_tolerance policy_default_tolerances[];
extern const size_t policy_nr_default_tolerances;

/* A path of the policy that reads the -S syscall table, or NULL. */
const char *policy_needs_syscalls(const struct policy *p);

/*
 * The metrics --repeat keeps per run: the drivers, verdict.confidence,
 * duration_ns, time.cpu_ns, time.runq_ns and time.blocked_ns.<cause>, then
 * every path of the policy; canonical, each once. *paths is an array of
 * pointers into one allocation: caller frees it with free().
 */
int policy_repeat_paths(const struct policy *p, char ***paths, size_t *n);

#endif /* ADVISOR_POLICY_H */
