/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The gate policy (reports/schema/policy-1.json): limits on numbers of the
 * report and tolerances for the comparison with a baseline, each addressed by
 * a metric path; and the evaluation of every gate asked for over a report.
 *
 * A metric path names one number of the JSON report: keys joined by dots,
 * an array element by index ("verdict.path[0].value") or by the first element
 * whose key has a value ("syscall_waits[name=fsync].max_ns",
 * "processes[comm=nginx].threads[0].cpu_ns"). The drivers have short names:
 * io_fraction, wait_p50_ns, peak_open and busy_threads stand for
 * verdict.drivers.<name>. A path is checked against the report's layout when
 * the policy is read: one that can name nothing in any report is an error.
 * In a given report, an element that is not there makes the rule fail, except
 * in the syscall tables (syscall_waits, syscalls), where a syscall that is
 * not listed was never waited in or called: its numbers are 0.
 *
 * With --repeat, a repeated metric (see policy_repeat_paths()) is read as its
 * median over the runs; any other path reads the report's main run.
 */
#ifndef ADVISOR_POLICY_H
#define ADVISOR_POLICY_H

#include <stdbool.h>
#include <stddef.h>

#include "../reports/report.h"
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

/*
 * Checks that path can name a number in a report; 0, or -EINVAL with the
 * reason in why.
 */
int policy_path_check(const char *path, char *why, size_t len);

/* The path as repeat metrics are keyed: a driver's short name, else as written. */
const char *policy_path_canonical(const char *path, char *buf, size_t len);

/* A path of the policy that reads the -S syscall table, or NULL. */
const char *policy_needs_syscalls(const struct policy *p);

/*
 * The metrics --repeat keeps per run: the drivers, verdict.confidence,
 * duration_ns, time.cpu_ns, time.runq_ns and time.blocked_ns.<cause>, then
 * every path of the policy; canonical, each once. *paths is an array of
 * pointers into one allocation: caller frees it with free().
 */
int policy_repeat_paths(const struct policy *p, char ***paths, size_t *n);

/*
 * Folds n runs (n > 1) of the same command into out: its body is the main
 * run's (see repeat_finish()), its repeat summary holds every run's figures
 * for policy_repeat_paths() and their medians. Every run is freed or moved
 * into out, also on failure. Returns 0 or -ENOMEM.
 */
int policy_repeat_fold(const struct policy *p, struct report *runs, unsigned int n,
		       struct report *out);

/*
 * The value of path in r, whose JSON tree is tree (report_json_tree()):
 * 0 with *out (NAN for null); 1 when an array element the path names is not
 * there (why says which); -EINVAL when the path names nothing in r (why).
 */
int policy_value(const struct report *r, struct json_object *tree, const char *path, double *out,
		 char *why, size_t len);

/*
 * Evaluates the gates over r into out (free with gate_results_free()): the
 * expectation (expect, or NULL), the policy's limits, and with a baseline the
 * model and the policy's tolerances (or the default ones). report_name and
 * baseline_name name the files in messages. Returns 0, or -EINVAL with one
 * line in err when a path names nothing in one of them, -ENOMEM.
 */
int policy_apply(const struct policy *p, const char *expect, const struct report *r,
		 const char *report_name, const struct report *baseline, const char *baseline_name,
		 struct gate_results *out, char *err, size_t errlen);

#endif /* ADVISOR_POLICY_H */
