// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gate rules, each passing and failing at and around its limit, from
 * tables: limits are inclusive, a move of exactly the tolerance passes, a
 * number that is not there never passes, inconclusive never passes an
 * expectation.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>

#include "advisor/gate.h"

struct limit_case {
	double value, min, max;
	bool passed;
	const char *message;
};

Test(gate, limits_at_and_around_the_bounds)
{
	static const struct limit_case cases[] = {
	    {0.5, 0.5, NAN, true, "m 0.5 is within min 0.5"},
	    {0.49999, 0.5, NAN, false, "m 0.49999 is below min 0.5"},
	    {0.50001, 0.5, NAN, true, "m 0.50001 is within min 0.5"},
	    {100, NAN, 100, true, "m 100 is within max 100"},
	    {100.0001, NAN, 100, false, "m 100.0001 is above max 100"},
	    {99.9999, NAN, 100, true, NULL},
	    {5, 1, 10, true, "m 5 is within min 1 and max 10"},
	    {1, 1, 10, true, NULL},
	    {10, 1, 10, true, NULL},
	    {0.999, 1, 10, false, "m 0.999 is below min 1"},
	    {10.001, 1, 10, false, "m 10.001 is above max 10"},
	    {0, 0, 0, true, NULL},
	    {1, 0, 0, false, NULL},
	    {-1, NAN, 0, true, NULL},
	    {NAN, 0, 1, false, "m is not a number (null)"},
	    {NAN, NAN, 1, false, NULL},
	    /* one part in 1e9 below the bound must still show as below it */
	    {0.4999999999, 0.5, NAN, false, "m 0.4999999999 is below min 0.5"},
	    {1000000001, NAN, 1000000000, false, "m 1000000001 is above max 1000000000"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct limit_case *c = &cases[i];
		struct gate_rule g;

		gate_limit(&g, "m", c->value, c->min, c->max);
		cr_assert_eq(g.kind, GATE_LIMIT);
		cr_assert_eq(g.passed, c->passed, "case %zu: %g in [%g, %g]: %s", i, c->value,
			     c->min, c->max, g.message);
		if (c->message)
			cr_assert_str_eq(g.message, c->message, "case %zu", i);
		cr_assert_str_eq(g.path, "m");
	}
}

struct expect_case {
	enum model want, got;
	unsigned int counts[NR_MODELS];
	unsigned int runs;
	double min_agreement;
	bool passed;
};

Test(gate, expect_single_and_repeated_runs)
{
	static const struct expect_case cases[] = {
	    /* one run: the model, or not */
	    {MODEL_ASYNC, MODEL_ASYNC, {[MODEL_ASYNC] = 1}, 1, 1, true},
	    {MODEL_ASYNC, MODEL_MULTITHREADING, {[MODEL_MULTITHREADING] = 1}, 1, 1, false},
	    {MODEL_MULTIPROCESSING, MODEL_INCONCLUSIVE, {[MODEL_INCONCLUSIVE] = 1}, 1, 1, false},
	    /* inconclusive is never what a gate wants */
	    {MODEL_INCONCLUSIVE, MODEL_INCONCLUSIVE, {[MODEL_INCONCLUSIVE] = 1}, 1, 1, false},
	    {MODEL_INCONCLUSIVE, MODEL_INCONCLUSIVE, {[MODEL_INCONCLUSIVE] = 5}, 5, 0.6, false},
	    /* repeated: all runs by default */
	    {MODEL_ASYNC, MODEL_ASYNC, {[MODEL_ASYNC] = 5}, 5, 1, true},
	    {MODEL_ASYNC, MODEL_ASYNC, {[MODEL_ASYNC] = 4, [MODEL_INCONCLUSIVE] = 1}, 5, 1, false},
	    /* 0.8 * 5 is 4.000000000000001 in binary: 4 runs are enough */
	    {MODEL_ASYNC, MODEL_ASYNC, {[MODEL_ASYNC] = 4, [MODEL_INCONCLUSIVE] = 1}, 5, 0.8, true},
	    {MODEL_ASYNC,
	     MODEL_ASYNC,
	     {[MODEL_ASYNC] = 3, [MODEL_INCONCLUSIVE] = 2},
	     5,
	     0.8,
	     false},
	    {MODEL_ASYNC, MODEL_ASYNC, {[MODEL_ASYNC] = 3, [MODEL_INCONCLUSIVE] = 2}, 5, 0.6, true},
	    {MODEL_ASYNC,
	     MODEL_ASYNC,
	     {[MODEL_ASYNC] = 2, [MODEL_INCONCLUSIVE] = 1},
	     3,
	     0.66,
	     true},
	    {MODEL_ASYNC,
	     MODEL_ASYNC,
	     {[MODEL_ASYNC] = 2, [MODEL_INCONCLUSIVE] = 1},
	     3,
	     0.67,
	     false},
	    {MODEL_ASYNC,
	     MODEL_MULTITHREADING,
	     {[MODEL_ASYNC] = 2, [MODEL_MULTITHREADING] = 3},
	     5,
	     0.51,
	     false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct expect_case *c = &cases[i];
		struct gate_rule g;

		gate_expect(&g, c->want, c->got, c->got == MODEL_INCONCLUSIVE ? "asleep" : "",
			    c->counts, c->runs, c->min_agreement);
		cr_assert_eq(g.kind, GATE_EXPECT);
		cr_assert_eq(g.passed, c->passed, "case %zu: %s", i, g.message);
		cr_assert_str_eq(g.want, model_names[c->want]);
		cr_assert_str_eq(g.got, model_names[c->got]);
		cr_assert_eq(g.agree, c->counts[c->want]);
		cr_assert_eq(g.runs, c->runs);
	}
}

Test(gate, expect_messages)
{
	unsigned int one[NR_MODELS] = {[MODEL_INCONCLUSIVE] = 1};
	unsigned int five[NR_MODELS] = {[MODEL_ASYNC] = 4, [MODEL_MULTITHREADING] = 1};
	struct gate_rule g;

	gate_expect(&g, MODEL_MULTIPROCESSING, MODEL_INCONCLUSIVE, "asleep", one, 1, 1);
	cr_assert_str_eq(g.message, "verdict is inconclusive (asleep), expected multiprocessing");

	gate_expect(&g, MODEL_ASYNC, MODEL_ASYNC, "", five, 5, 1);
	cr_assert_not(g.passed);
	cr_assert_str_eq(g.message, "verdict async in 4/5 runs, 5 needed (min_agreement 1); "
				    "the runs' verdict is async");
}

Test(gate, baseline_model)
{
	struct gate_rule g;

	gate_model(&g, MODEL_ASYNC, MODEL_ASYNC);
	cr_assert(g.passed);
	cr_assert_str_eq(g.message, "model unchanged: async");
	gate_model(&g, MODEL_ASYNC, MODEL_MULTITHREADING);
	cr_assert_not(g.passed);
	cr_assert_str_eq(g.message, "model changed: async \u2192 multithreading");
}

struct change_case {
	double old, new, abs, rel;
	enum gate_worse worse;
	bool passed;
	double allowed;
};

Test(gate, baseline_changes_at_and_around_the_tolerance)
{
	static const struct change_case cases[] = {
	    /* rel: exactly the tolerance passes, a hair more fails */
	    {100, 110, NAN, 0.1, GATE_WORSE_HIGHER, true, 10},
	    {100, 110.0001, NAN, 0.1, GATE_WORSE_HIGHER, false, 10},
	    {100, 109.9999, NAN, 0.1, GATE_WORSE_HIGHER, true, 10},
	    /* 0.29 * 100 is 28.999999999999996 in binary: 29 is still at the tolerance */
	    {100, 129, NAN, 0.29, GATE_WORSE_HIGHER, true, 29},
	    /* the good direction never fails */
	    {100, 10, NAN, 0.1, GATE_WORSE_HIGHER, true, 10},
	    {100, 1000, NAN, 0.1, GATE_WORSE_LOWER, true, 10},
	    {100, 90, NAN, 0.1, GATE_WORSE_LOWER, true, 10},
	    {100, 89.9, NAN, 0.1, GATE_WORSE_LOWER, false, 10},
	    {100, 111, NAN, 0.1, GATE_WORSE_EITHER, false, 10},
	    {100, 89, NAN, 0.1, GATE_WORSE_EITHER, false, 10},
	    {100, 91, NAN, 0.1, GATE_WORSE_EITHER, true, 10},
	    /* abs, and the larger of the two */
	    {0, 5, 5, NAN, GATE_WORSE_HIGHER, true, 5},
	    {0, 5.1, 5, NAN, GATE_WORSE_HIGHER, false, 5},
	    {1000, 1100, 10, 0.1, GATE_WORSE_HIGHER, true, 100},
	    {1000, 1101, 10, 0.1, GATE_WORSE_HIGHER, false, 100},
	    {10, 25, 15, 0.1, GATE_WORSE_HIGHER, true, 15},
	    /* rel of a zero baseline allows nothing */
	    {0, 1, NAN, 0.5, GATE_WORSE_HIGHER, false, 0},
	    {0, 0, NAN, 0.5, GATE_WORSE_HIGHER, true, 0},
	    /* no number on either side never passes */
	    {NAN, 1, 1, 1, GATE_WORSE_EITHER, false, NAN},
	    {1, NAN, 1, 1, GATE_WORSE_EITHER, false, NAN},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct change_case *c = &cases[i];
		struct gate_rule g;

		gate_change(&g, "m", c->old, c->new, c->abs, c->rel, c->worse);
		cr_assert_eq(g.kind, GATE_CHANGE);
		cr_assert_eq(g.passed, c->passed, "case %zu: %g -> %g: %s", i, c->old, c->new,
			     g.message);
		if (isnan(c->allowed))
			cr_assert(isnan(g.allowed), "case %zu", i);
		else
			cr_assert_float_eq(g.allowed, c->allowed, 1e-9, "case %zu: %g", i,
					   g.allowed);
		cr_assert_eq(g.worse, c->worse);
	}
}

Test(gate, baseline_change_messages)
{
	struct gate_rule g;

	gate_change(&g, "duration_ns", 500000000, 1000000000, NAN, 0.25, GATE_WORSE_HIGHER);
	cr_assert_not(g.passed);
	cr_assert_str_eq(g.message, "changed: duration_ns 500000000 \u2192 1000000000 "
				    "(+500000000, +100.0%), past +125000000 allowed");

	gate_change(&g, "verdict.confidence", 0.9, 0.85, 0.1, NAN, GATE_WORSE_LOWER);
	cr_assert(g.passed);
	cr_assert_str_eq(g.message, "changed: verdict.confidence 0.9 \u2192 0.85 (-0.05, -5.6%), "
				    "within -0.1 allowed");

	gate_change(&g, "io_fraction", 0.2, 0.2, 0.1, NAN, GATE_WORSE_EITHER);
	cr_assert(g.passed);
	cr_assert_str_eq(g.message, "unchanged: io_fraction 0.2");

	gate_missing(&g, GATE_CHANGE, "processes[comm=x].pid", "not in the baseline");
	cr_assert_not(g.passed);
	cr_assert_str_eq(g.message, "processes[comm=x].pid: not in the baseline");
}

Test(gate, results_count_failures)
{
	struct gate_results gr = {0};
	struct gate_rule g;

	gate_limit(&g, "a", 1, 0, 2);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	gate_limit(&g, "b", 3, 0, 2);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	cr_assert_eq(gr.nr, 2);
	cr_assert_eq(gr.nr_failed, 1);
	cr_assert_str_eq(gr.rules[1].path, "b");
	gate_results_free(&gr);
	cr_assert_eq(gr.nr, 0);
	cr_assert_null(gr.rules);
}
