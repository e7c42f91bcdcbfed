// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --repeat: the medians, min and max equal those of the per-run figures; the
 * majority model and the main run are chosen as documented; folding real
 * per-run reports keeps each run's figures, and gates over the document (a
 * fresh one or one read back from its file) read the medians.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/metric.h"

#include "gates_fixture.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median the slow way, to hold repeat_median() to. */
static double ref_median(const double *v, size_t n)
{
	double s[64];
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[k++] = v[i];
	if (!k)
		return NAN;
	qsort(s, k, sizeof(*s), cmp);
	return k % 2 ? s[k / 2] : (s[k / 2 - 1] + s[k / 2]) / 2;
}

Test(repeat, median)
{
	double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, holes[] = {NAN, 7, NAN, 1, 4};
	double none[] = {NAN, NAN}, one[] = {42};

	cr_assert_eq(repeat_median(odd, 3), 3);
	cr_assert_eq(repeat_median(even, 4), 2.5);
	cr_assert_eq(repeat_median(holes, 5), 4);
	cr_assert(isnan(repeat_median(none, 2)));
	cr_assert(isnan(repeat_median(NULL, 0)));
	cr_assert_eq(repeat_median(one, 1), 42);
}

Test(repeat, figures_are_the_medians_of_the_runs)
{
	const char *paths[] = {"io_fraction", "duration_ns", "x"};
	double runs[7][3] = {
	    {0.61, 9e8, 1}, {0.55, 1.1e9, NAN}, {0.70, 1e9, 3},	   {0.58, 1.3e9, 4},
	    {0.90, 8e8, 5}, {0.20, 1.2e9, NAN}, {0.62, 1.05e9, 7},
	};
	enum model models[7] = {MODEL_ASYNC, MODEL_ASYNC,	 MODEL_MULTITHREADING, MODEL_ASYNC,
				MODEL_ASYNC, MODEL_INCONCLUSIVE, MODEL_MULTITHREADING};
	struct repeat_summary s;

	cr_assert_eq(repeat_init(&s, 7, paths, 3), 0);
	for (unsigned int i = 0; i < 7; i++) {
		struct repeat_run run = {
		    .model = models[i], .confidence = 0.5 + i / 100.0, .exited = true};

		repeat_set_run(&s, i, &run, runs[i]);
	}
	repeat_finish(&s);
	for (size_t k = 0; k < 3; k++) {
		double col[7], lo = INFINITY, hi = -INFINITY;

		for (int i = 0; i < 7; i++) {
			col[i] = runs[i][k];
			if (!isnan(col[i])) {
				lo = fmin(lo, col[i]);
				hi = fmax(hi, col[i]);
			}
			cr_assert(s.metrics[k].values[i] == col[i] ||
				  (isnan(col[i]) && isnan(s.metrics[k].values[i])));
		}
		cr_assert_eq(s.metrics[k].median, ref_median(col, 7), "%s", paths[k]);
		cr_assert_eq(s.metrics[k].min, lo);
		cr_assert_eq(s.metrics[k].max, hi);
	}
	cr_assert_eq(s.metrics[0].median, 0.61);
	cr_assert_eq(s.metrics[2].median, 4);
	cr_assert_eq(s.counts[MODEL_ASYNC], 4);
	cr_assert_eq(s.counts[MODEL_MULTITHREADING], 2);
	cr_assert_eq(s.counts[MODEL_INCONCLUSIVE], 1);
	cr_assert_eq(s.model, MODEL_ASYNC);
	/* async runs 0, 1, 3, 4: run 0's io_fraction is the median itself */
	cr_assert_eq(s.main_run, 0);
	cr_assert_eq(repeat_metric_find(&s, "duration_ns"), &s.metrics[1]);
	cr_assert_null(repeat_metric_find(&s, "nope"));
	repeat_free(&s);
}

Test(repeat, ties_and_the_main_run)
{
	const char *paths[] = {"io_fraction"};
	struct repeat_summary s;
	/* two async at low confidence, two multithreading at high: a tie */
	struct repeat_run r[4] = {
	    {.model = MODEL_ASYNC, .confidence = 0.5},
	    {.model = MODEL_MULTITHREADING, .confidence = 0.9},
	    {.model = MODEL_ASYNC, .confidence = 0.55},
	    {.model = MODEL_MULTITHREADING, .confidence = 0.8},
	};
	double io[4] = {0.5, 0.9, 0.52, 0.6};

	cr_assert_eq(repeat_init(&s, 4, paths, 1), 0);
	for (unsigned int i = 0; i < 4; i++)
		repeat_set_run(&s, i, &r[i], &io[i]);
	repeat_finish(&s);
	cr_assert_eq(s.model, MODEL_MULTITHREADING);
	/* median io_fraction 0.56: run 3 (0.6) is nearer than run 1 (0.9) */
	cr_assert_eq(s.main_run, 3);
	repeat_free(&s);

	/* without io_fraction, the first run of the majority */
	cr_assert_eq(repeat_init(&s, 4, NULL, 0), 0);
	for (unsigned int i = 0; i < 4; i++)
		repeat_set_run(&s, i, &r[i], NULL);
	repeat_finish(&s);
	cr_assert_eq(s.main_run, 1);
	repeat_free(&s);
}

/* Five real per-run reports folded: the figures are the runs' figures' medians. */
Test(repeat, fold_keeps_every_run_and_gates_read_the_medians)
{
	__u64 cpu[5] = {500, 900, 700, 100, 800};
	double io[5] = {0.70, 0.65, 0.10, 0.66, 0.90};
	enum model models[5] = {MODEL_ASYNC, MODEL_ASYNC, MODEL_MULTIPROCESSING, MODEL_ASYNC,
				MODEL_ASYNC};
	struct report runs[5], r;
	struct policy p;
	struct json_object *doc, *docs[2];
	const struct repeat_metric *m;
	double v, cpu_d[5];
	char why[256], *dir = fx_tmp_dir();

	policy_init(&p);
	p.limits = calloc(1, sizeof(*p.limits));
	cr_assert_not_null(p.limits);
	p.nr_limits = 1;
	snprintf(p.limits[0].path, sizeof(p.limits[0].path), "syscall_waits[name=read].count");
	p.limits[0].min = p.limits[0].max = NAN;
	for (int i = 0; i < 5; i++) {
		fx_report(&runs[i], models[i], io[i], cpu[i] * 1000000);
		runs[i].profile.syscall_waits[0].count = 10 + i;
		runs[i].profile.exit_code = i == 3 ? 7 : 0;
		cpu_d[i] = cpu[i] * 1000000 + 1000; /* the second thread's 1000 ns */
	}
	cr_assert_eq(gating_repeat_fold(&p, runs, 5, &r), 0);
	for (int i = 0; i < 5; i++)
		cr_assert_null(runs[i].profile.processes, "run %d moved or freed", i);

	cr_assert_eq(r.repeat.runs, 5);
	cr_assert_eq(r.repeat.counts[MODEL_ASYNC], 4);
	cr_assert_eq(r.repeat.model, MODEL_ASYNC);
	/* median io_fraction 0.66: run 3 */
	cr_assert_eq(r.repeat.main_run, 3);
	cr_assert_eq(r.verdict.io_fraction, 0.66);
	cr_assert_eq(r.repeat.per_run[3].exit_code, 7);
	cr_assert_eq(r.repeat.per_run[2].model, MODEL_MULTIPROCESSING);

	m = repeat_metric_find(&r.repeat, "time.cpu_ns");
	cr_assert_not_null(m);
	for (int i = 0; i < 5; i++)
		cr_assert_eq(m->values[i], cpu_d[i]);
	cr_assert_eq(m->median, ref_median(cpu_d, 5));
	cr_assert_eq(m->min, cpu_d[3]);
	cr_assert_eq(m->max, cpu_d[1]);
	m = repeat_metric_find(&r.repeat, "io_fraction");
	cr_assert_not_null(m);
	cr_assert_eq(m->median, ref_median(io, 5));
	cr_assert_null(repeat_metric_find(&r.repeat, "verdict.drivers.io_fraction"),
		       "keyed by the canonical name");
	m = repeat_metric_find(&r.repeat, "syscall_waits[name=read].count");
	cr_assert_not_null(m, "the policy's paths are repeated too");
	cr_assert_eq(m->median, 12);

	/*
	 * gates read the median, not the main run's own figure, in the fresh
	 * document and in the one `advisor check` reads back from the file
	 */
	docs[0] = fx_doc(&r);
	docs[1] = fx_doc_reread(docs[0], dir, "r.json");
	for (int k = 0; k < 2; k++) {
		doc = docs[k];
		cr_assert_eq(metric_value(doc, "time.cpu_ns", &v, why, sizeof(why)), 0, "%s", why);
		cr_assert_eq(v, 700001000);
		cr_assert_eq(metric_value(doc, "verdict.drivers.io_fraction", &v, why, sizeof(why)),
			     0);
		cr_assert_eq(v, 0.66);
		cr_assert_eq(metric_value(doc, "io_fraction", &v, why, sizeof(why)), 0);
		cr_assert_eq(v, 0.66);
		cr_assert_eq(
		    metric_value(doc, "syscall_waits[name=read].count", &v, why, sizeof(why)), 0);
		cr_assert_eq(v, 12);
		/* not repeated: the main run's */
		cr_assert_eq(
		    metric_value(doc, "processes[0].threads[0].cpu_ns", &v, why, sizeof(why)), 0);
		cr_assert_eq(v, 100000000);
		cr_assert_eq(
		    metric_value(doc, "syscall_waits[name=fsync].count", &v, why, sizeof(why)), 0);
		cr_assert_eq(v, 2);
	}
	json_object_put(docs[1]);
	json_object_put(docs[0]);

	report_free(&r);
	policy_free(&p);
	fx_rm_tree(dir);
	free(dir);
}

/* --expect over a folded report: the majority model, held to min_agreement; a limit on a median. */
Test(repeat, gates_over_the_runs)
{
	double io[5] = {0.70, 0.65, 0.10, 0.66, 0.90};
	enum model models[5] = {MODEL_ASYNC, MODEL_ASYNC, MODEL_MULTIPROCESSING, MODEL_ASYNC,
				MODEL_ASYNC};
	struct report runs[5], r;
	struct json_object *doc;
	struct gate_results gr;
	struct policy p;
	char err[512] = "";

	policy_init(&p);
	p.limits = calloc(1, sizeof(*p.limits));
	cr_assert_not_null(p.limits);
	p.nr_limits = 1;
	snprintf(p.limits[0].path, sizeof(p.limits[0].path), "verdict.drivers.io_fraction");
	p.limits[0].min = 0.66;
	p.limits[0].max = NAN;
	for (int i = 0; i < 5; i++)
		fx_report(&runs[i], models[i], io[i], 250000000);
	cr_assert_eq(gating_repeat_fold(&p, runs, 5, &r), 0);
	doc = fx_doc(&r);

	/* 4 of 5 runs: not all of them */
	cr_assert_eq(gating_apply(&p, "async", doc, "r.json", NULL, NULL, &gr, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(gr.nr, 2);
	cr_assert_eq(gr.rules[0].agree, 4);
	cr_assert_eq(gr.rules[0].runs, 5);
	cr_assert_not(gr.rules[0].passed, "%s", gr.rules[0].message);
	/* the median 0.66, exactly at min, passes */
	cr_assert(gr.rules[1].passed, "%s", gr.rules[1].message);
	cr_assert_eq(gr.rules[1].value, 0.66);
	gate_results_free(&gr);

	/* 0.8 of 5 runs is 4 */
	p.min_agreement = 0.8;
	cr_assert_eq(gating_apply(&p, "async", doc, "r.json", NULL, NULL, &gr, err, sizeof(err)),
		     0);
	cr_assert(gr.rules[0].passed, "%s", gr.rules[0].message);
	cr_assert_str_eq(gr.rules[0].message, "verdict async in 4/5 runs, as expected (4 needed)");
	gate_results_free(&gr);

	/* the minority model has 1 of 5 */
	cr_assert_eq(
	    gating_apply(&p, "multiprocessing", doc, "r.json", NULL, NULL, &gr, err, sizeof(err)),
	    0);
	cr_assert_not(gr.rules[0].passed);
	cr_assert_eq(gr.rules[0].agree, 1);
	gate_results_free(&gr);

	json_object_put(doc);
	report_free(&r);
	policy_free(&p);
}
