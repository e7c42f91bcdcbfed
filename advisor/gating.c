// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Gates over report documents: the expectation, the policy's limits and the
 * baseline's model and tolerances, each read through a metric path, so that
 * `advisor run` and `advisor check` on the saved report gate the same
 * numbers; and --repeat's runs folded into one report whose repeated
 * metrics are their medians.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "gating.h"
#include "metric.h"

static int apply_fail(char *err, size_t errlen, const char *name, const char *section,
		      const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s '%s' names nothing in this report: %s", name, section, path,
		 why);
	return -EINVAL;
}

/* The model a document names, or -1. */
static int model_of(const struct json_object *doc, const char *key)
{
	struct json_object *o;

	if (!json_object_object_get_ex(doc, "verdict", &o) || !json_object_object_get_ex(o, key, &o))
		return -1;
	return model_from_name(json_object_get_string(o));
}

/* Runs of --repeat that gave each model (one run: its own model), and the number of runs. */
static unsigned int model_counts(const struct json_object *doc, unsigned int counts[NR_MODELS])
{
	struct json_object *rep, *verdicts, *runs, *c;
	int m = model_of(doc, "model");

	memset(counts, 0, NR_MODELS * sizeof(counts[0]));
	if (json_object_object_get_ex(doc, "repeat", &rep) &&
	    json_object_object_get_ex(rep, "runs", &runs) &&
	    json_object_object_get_ex(rep, "verdicts", &verdicts)) {
		for (int i = 0; i < NR_MODELS; i++)
			if (json_object_object_get_ex(verdicts, model_names[i], &c))
				counts[i] = (unsigned int)json_object_get_int64(c);
		return (unsigned int)json_object_get_int64(runs);
	}
	if (m >= 0)
		counts[m] = 1;
	return 1;
}

int gating_apply(const struct policy *p, const char *expect, const struct json_object *doc,
		 const char *report_name, const struct json_object *baseline,
		 const char *baseline_name, struct gate_results *out, char *err, size_t errlen)
{
	const struct policy_tolerance *tol;
	struct gate_rule g;
	size_t nr_tol;
	char why[256];
	int e = 0;

	memset(out, 0, sizeof(*out));
	out->evaluated = true;
	snprintf(out->expect, sizeof(out->expect), "%s", expect ? expect : "");
	snprintf(out->policy, sizeof(out->policy), "%s", p->file);
	snprintf(out->baseline, sizeof(out->baseline), "%s",
		 baseline && baseline_name ? baseline_name : "");
	if (expect) {
		unsigned int counts[NR_MODELS], runs = model_counts(doc, counts);
		struct json_object *v, *reason = NULL;

		if (json_object_object_get_ex(doc, "verdict", &v))
			json_object_object_get_ex(v, "inconclusive_reason", &reason);
		gate_expect(&g, model_from_name(expect), model_of(doc, "model"),
			    reason ? json_object_get_string(reason) : NULL, counts, runs,
			    p->min_agreement);
		if (gate_results_add(out, &g))
			goto nomem;
	}

	for (size_t i = 0; i < p->nr_limits; i++) {
		const struct policy_limit *l = &p->limits[i];
		double v;

		e = metric_value(doc, l->path, &v, why, sizeof(why));
		if (e < 0) {
			e = apply_fail(err, errlen, report_name, "limits", l->path, why);
			goto out;
		}
		if (e == 1) {
			gate_missing(&g, GATE_LIMIT, l->path, why);
			g.min = l->min;
			g.max = l->max;
		} else
			gate_limit(&g, l->path, v, l->min, l->max);
		e = 0;
		if (gate_results_add(out, &g))
			goto nomem;
	}

	if (!baseline)
		goto out;
	gate_model(&g, model_of(baseline, "model"), model_of(doc, "model"));
	if (gate_results_add(out, &g))
		goto nomem;
	tol = p->has_tolerances ? p->tolerances : policy_default_tolerances;
	nr_tol = p->has_tolerances ? p->nr_tolerances : policy_nr_default_tolerances;
	for (size_t i = 0; i < nr_tol; i++) {
		const struct policy_tolerance *t = &tol[i];
		double old, new;
		int eo, en;

		eo = metric_value(baseline, t->path, &old, why, sizeof(why));
		if (eo < 0) {
			e = apply_fail(err, errlen, baseline_name, "tolerances", t->path, why);
			goto out;
		}
		if (eo == 1) {
			gate_missing(&g, GATE_CHANGE, t->path, "not in the baseline");
		} else {
			en = metric_value(doc, t->path, &new, why, sizeof(why));
			if (en < 0) {
				e = apply_fail(err, errlen, report_name, "tolerances", t->path,
					       why);
				goto out;
			}
			if (en == 1)
				gate_missing(&g, GATE_CHANGE, t->path, why);
			else
				gate_change(&g, t->path, old, new, t->abs, t->rel, t->worse);
		}
		g.worse = t->worse;
		g.abs = t->abs;
		g.rel = t->rel;
		if (gate_results_add(out, &g))
			goto nomem;
	}
	goto out;

nomem:
	snprintf(err, errlen, "out of memory");
	e = -ENOMEM;
out:
	return e;
}

int gating_repeat_fold(const struct policy *policy, struct report *runs, unsigned int n,
		       struct report *out)
{
	struct repeat_summary s;
	char **paths = NULL, why[256];
	size_t np = 0;
	double *values;
	int e;

	e = policy_repeat_paths(policy, &paths, &np);
	if (!e)
		e = repeat_init(&s, n, (const char *const *)paths, np);
	else
		memset(&s, 0, sizeof(s));
	values = calloc(np ? np : 1, sizeof(*values));
	if (e || !values)
		goto nomem;
	for (unsigned int i = 0; i < n; i++) {
		struct json_object *tree = document_build(&runs[i]);
		struct repeat_run run = {
		    .model = runs[i].verdict.model,
		    .confidence = runs[i].verdict.confidence,
		    .exited = runs[i].profile.target_exited,
		    .exit_code = runs[i].profile.exit_code,
		    .signal = runs[i].profile.signal,
		};

		if (!tree)
			goto nomem;
		for (size_t k = 0; k < np; k++)
			if (metric_value(tree, paths[k], &values[k], why, sizeof(why)))
				values[k] = NAN;
		json_object_put(tree);
		repeat_set_run(&s, i, &run, values);
	}
	free(values);
	free(paths);
	repeat_finish(&s);

	*out = runs[s.main_run];
	memset(&runs[s.main_run], 0, sizeof(runs[s.main_run]));
	for (unsigned int i = 0; i < n; i++)
		report_free(&runs[i]);
	out->repeat = s;
	return 0;

nomem:
	free(paths);
	free(values);
	repeat_free(&s);
	for (unsigned int i = 0; i < n; i++)
		report_free(&runs[i]);
	return -ENOMEM;
}
