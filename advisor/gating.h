/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Applying every gate asked for to a report document, and folding --repeat's
 * runs into one report. Gates read the document only, so `advisor run` and
 * `advisor check` on the saved report gate the same numbers.
 */
#ifndef ADVISOR_GATING_H
#define ADVISOR_GATING_H

#include <stddef.h>

#include "document.h"
#include "gate.h"
#include "policy.h"

/*
 * Evaluates the gates over doc into out (free with gate_results_free()): the
 * expectation (expect, or NULL), the policy's limits, and with a baseline
 * document the model and the policy's tolerances (or the default ones).
 * report_name and baseline_name name the files in messages. Returns 0, or
 * -EINVAL with one line in err when a path names nothing in one of them,
 * -ENOMEM.
 */
int gating_apply(const struct policy *p, const char *expect, const struct json_object *doc,
		 const char *report_name, const struct json_object *baseline,
		 const char *baseline_name, struct gate_results *out, char *err, size_t errlen);

/*
 * Folds n runs (n > 1) of the same command into out: its body is the main
 * run's (see repeat_finish()), its repeat summary holds every run's figures
 * for policy_repeat_paths() and their medians. Every run is freed or moved
 * into out, also on failure. Returns 0 or -ENOMEM.
 */
int gating_repeat_fold(const struct policy *p, struct report *runs, unsigned int n,
		       struct report *out);

#endif /* ADVISOR_GATING_H */
