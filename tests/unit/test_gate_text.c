// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * How a gate rule of the report document reads (reports/gate_text.c): the
 * title, what was measured and the limit of each kind of rule, from rules
 * written as a saved report has them, with null where a number was not
 * finite; and the same text for a rule that advisor evaluated and put into a
 * document, so that the two cannot drift apart.
 */
#include <math.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "advisor/gate.h"
#include "reports/gate_text.h"

/* A rule from its JSON text; caller frees with json_object_put(). */
static struct json_object *rule_of(const char *json)
{
	struct json_object *rule = json_tokener_parse(json);

	cr_assert(json_object_is_type(rule, json_type_object), "not a rule: %s", json);
	return rule;
}

struct text_case {
	const char *rule;
	const char *title, *measured, *limit;
};

static void check_cases(const struct text_case *cases, size_t n)
{
	char buf[GATE_TEXT_LEN];

	for (size_t i = 0; i < n; i++) {
		struct json_object *rule = rule_of(cases[i].rule);

		if (cases[i].title)
			cr_assert_str_eq(gate_text_title(rule, buf, sizeof(buf)), cases[i].title,
					 "case %zu", i);
		if (cases[i].measured)
			cr_assert_str_eq(gate_text_measured(rule, buf, sizeof(buf)),
					 cases[i].measured, "case %zu", i);
		if (cases[i].limit)
			cr_assert_str_eq(gate_text_limit(rule, buf, sizeof(buf)), cases[i].limit,
					 "case %zu", i);
		json_object_put(rule);
	}
}

#define NR(a) (sizeof(a) / sizeof((a)[0]))

Test(gate_text, expect)
{
	static const struct text_case cases[] = {
	    {"{\"kind\": \"expect\", \"path\": \"verdict.model\", \"passed\": false, "
	     "\"expected\": \"multiprocessing\", \"measured\": \"inconclusive\", \"agree\": 0, "
	     "\"runs\": 1, \"min_agreement\": 1, \"message\": \"m\"}",
	     "expect multiprocessing", "inconclusive", "multiprocessing"},
	    {"{\"kind\": \"expect\", \"expected\": \"async\", \"measured\": \"async\", "
	     "\"agree\": 4, \"runs\": 5, \"min_agreement\": 1}",
	     "expect async", "async; async in 4/5 runs", "async in at least 5/5 runs"},
	    /* 0.8 * 5 is 4.000000000000001 in binary: 4 runs, not 5 */
	    {"{\"kind\": \"expect\", \"expected\": \"async\", \"measured\": \"async\", "
	     "\"agree\": 4, \"runs\": 5, \"min_agreement\": 0.8}",
	     NULL, NULL, "async in at least 4/5 runs"},
	    {"{\"kind\": \"expect\", \"expected\": \"async\", \"measured\": \"multithreading\", "
	     "\"agree\": 2, \"runs\": 5, \"min_agreement\": 0.51}",
	     NULL, "multithreading; async in 2/5 runs", "async in at least 3/5 runs"},
	    /* an agreement nobody can miss still needs one run */
	    {"{\"kind\": \"expect\", \"expected\": \"async\", \"measured\": \"async\", "
	     "\"agree\": 3, \"runs\": 3, \"min_agreement\": 0}",
	     NULL, NULL, "async in at least 1/3 runs"},
	};

	check_cases(cases, NR(cases));
}

Test(gate_text, limit)
{
	static const struct text_case cases[] = {
	    {"{\"kind\": \"limit\", \"path\": \"time.cpu_ns\", \"value\": 1798986, "
	     "\"min\": 450000000, \"max\": 650000000}",
	     "limit time.cpu_ns", "1798986", ">= 450000000 and <= 650000000"},
	    {"{\"kind\": \"limit\", \"path\": \"verdict.confidence\", "
	     "\"value\": 0.7894191726925055, \"min\": 0.5, \"max\": null}",
	     "limit verdict.confidence", "0.789419", ">= 0.5"},
	    {"{\"kind\": \"limit\", \"path\": \"io_fraction\", \"value\": 0, \"min\": null, "
	     "\"max\": 0.1}",
	     "limit io_fraction", "0", "<= 0.1"},
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 3, \"min\": null, \"max\": null}",
	     NULL, "3", "none"},
	    /* a number the report did not have */
	    {"{\"kind\": \"limit\", \"path\": \"processes[comm=spin].exit_code\", "
	     "\"value\": null, \"min\": 0, \"max\": 0}",
	     "limit processes[comm=spin].exit_code", "null", ">= 0 and <= 0"},
	    /* short would show it equal to its bound: exact digits */
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 0.49999999, \"min\": 0.5, "
	     "\"max\": null}",
	     NULL, "0.49999999", ">= 0.5"},
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 99.99999999, \"min\": null, "
	     "\"max\": 100}",
	     NULL, "99.99999999", "<= 100"},
	    /* the nearer bound decides: far from 0.5, a hair below 100 */
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 99.99999999, \"min\": 0.5, "
	     "\"max\": 100}",
	     NULL, "99.99999999", ">= 0.5 and <= 100"},
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 0.50000001, \"min\": 0.5, "
	     "\"max\": 100}",
	     NULL, "0.50000001", NULL},
	    /* two numbers that read differently stay short */
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 0.8487117695064482, "
	     "\"min\": 0.9, \"max\": null}",
	     NULL, "0.848712", NULL},
	    {"{\"kind\": \"limit\", \"path\": \"m\", \"value\": 75460237.75, \"min\": null, "
	     "\"max\": 1e9}",
	     NULL, "75460238", "<= 1000000000"},
	};

	check_cases(cases, NR(cases));
}

Test(gate_text, baseline_model)
{
	static const struct text_case cases[] = {
	    {"{\"kind\": \"model\", \"path\": \"verdict.model\", \"passed\": false, "
	     "\"old\": \"async\", \"new\": \"multithreading\"}",
	     "baseline model", "async \u2192 multithreading", "unchanged"},
	};

	check_cases(cases, NR(cases));
}

Test(gate_text, baseline_change)
{
	static const struct text_case cases[] = {
	    {"{\"kind\": \"change\", \"path\": \"duration_ns\", \"old\": 500000000, "
	     "\"new\": 1000000000, \"abs\": null, \"rel\": 0.25, \"allowed\": 125000000, "
	     "\"worse\": \"higher\"}",
	     "baseline duration_ns", "500000000 \u2192 1000000000 (+500000000, +100.0%)",
	     "+125000000 (higher is worse)"},
	    {"{\"kind\": \"change\", \"path\": \"verdict.confidence\", \"old\": 0.9, "
	     "\"new\": 0.85, \"abs\": 0.1, \"rel\": null, \"allowed\": 0.1, \"worse\": \"lower\"}",
	     NULL, "0.9 \u2192 0.85 (-0.05, -5.6%)", "-0.1 (lower is worse)"},
	    {"{\"kind\": \"change\", \"path\": \"io_fraction\", \"old\": 0.2, \"new\": 0.2, "
	     "\"abs\": 0.1, \"rel\": null, \"allowed\": 0.1, \"worse\": \"either\"}",
	     NULL, "0.2 \u2192 0.2 (0, +0.0%)", "\u00b10.1 (either way)"},
	    {"{\"kind\": \"change\", \"path\": \"time.cpu_ns\", \"old\": 501509147, "
	     "\"new\": 1798986, \"abs\": null, \"rel\": 0.2, \"allowed\": 100301829.4, "
	     "\"worse\": \"either\"}",
	     NULL, "501509147 \u2192 1798986 (-499710161, -99.6%)", "\u00b1100301829 (either way)"},
	    /* from 0: no relative change */
	    {"{\"kind\": \"change\", \"path\": \"m\", \"old\": 0, \"new\": 5, \"abs\": 5, "
	     "\"rel\": null, \"allowed\": 5, \"worse\": \"higher\"}",
	     NULL, "0 \u2192 5 (+5)", "+5 (higher is worse)"},
	    /* short would show both the same: exact digits, and the delta */
	    {"{\"kind\": \"change\", \"path\": \"m\", \"old\": 0.5, \"new\": 0.49999999, "
	     "\"abs\": 0.1, \"rel\": null, \"allowed\": 0.1, \"worse\": \"lower\"}",
	     NULL, "0.5 \u2192 0.49999999 (-1e-08, -0.0%)", NULL},
	    /* no number on one side: nothing to compare, nothing allowed */
	    {"{\"kind\": \"change\", \"path\": \"processes[comm=x].pid\", \"old\": null, "
	     "\"new\": 5, \"abs\": 1, \"rel\": 1, \"allowed\": null, \"worse\": \"either\"}",
	     "baseline processes[comm=x].pid", "null \u2192 5", "a number"},
	};

	check_cases(cases, NR(cases));
}

Test(gate_text, kinds_and_directions_the_document_does_not_name)
{
	static const struct text_case cases[] = {
	    /* a kind of a newer report reads as a baseline comparison */
	    {"{\"kind\": \"quorum\", \"path\": \"m\", \"old\": 1, \"new\": 2, \"allowed\": 1}",
	     "baseline m", "1 \u2192 2 (+1, +100.0%)", "+1 (higher is worse)"},
	    {"{\"path\": \"m\"}", "baseline m", "null \u2192 null", "a number"},
	    {"{\"kind\": \"limit\"}", "limit ", "null", "none"},
	    {"{\"kind\": \"expect\"}", "expect ", "", ""},
	};
	struct json_object *rule = rule_of("{\"kind\": \"change\", \"worse\": \"sideways\"}");

	check_cases(cases, NR(cases));
	cr_assert_eq(gate_text_kind(rule), GATE_TEXT_CHANGE);
	cr_assert_eq(gate_text_worse(rule), GATE_TEXT_HIGHER);
	json_object_put(rule);
}

Test(gate_text, truncates_to_the_buffer)
{
	struct json_object *rule =
	    rule_of("{\"kind\": \"limit\", \"path\": \"verdict.confidence\", \"value\": 1}");
	char buf[8];

	cr_assert_str_eq(gate_text_title(rule, buf, sizeof(buf)), "limit v");
	json_object_put(rule);
}

/* The rules advisor evaluates, put into a document, read as above. */
Test(gate_text, rules_advisor_evaluated)
{
	static const struct {
		const char *title, *measured, *limit;
	} want[] = {
	    {"expect async", "async; async in 4/5 runs", "async in at least 5/5 runs"},
	    {"limit m", "0.49999999", ">= 0.5"},
	    {"baseline model", "async \u2192 multithreading", "unchanged"},
	    {"baseline duration_ns", "500000000 \u2192 1000000000 (+500000000, +100.0%)",
	     "+125000000 (higher is worse)"},
	};
	static const unsigned int counts[NR_MODELS] = {
	    [MODEL_ASYNC] = 4, [MODEL_MULTITHREADING] = 1};
	struct gate_results gr = {.evaluated = true};
	struct json_object *doc = json_object_new_object();
	struct gate_rule g;
	char buf[GATE_TEXT_LEN];
	struct json_object *gates, *rules;

	cr_assert_not_null(doc);
	gate_expect(&g, MODEL_ASYNC, MODEL_ASYNC, "", counts, 5, 1);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	gate_limit(&g, "m", 0.49999999, 0.5, NAN);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	gate_model(&g, MODEL_ASYNC, MODEL_MULTITHREADING);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	gate_change(&g, "duration_ns", 500000000, 1000000000, NAN, 0.25, GATE_WORSE_HIGHER);
	cr_assert_eq(gate_results_add(&gr, &g), 0);
	cr_assert_eq(document_set_gates(doc, &gr), 0);
	gate_results_free(&gr);

	cr_assert(json_object_object_get_ex(doc, "gates", &gates));
	cr_assert(json_object_object_get_ex(gates, "rules", &rules));
	cr_assert_eq(json_object_array_length(rules), NR(want));
	/* every one of them failed, as the headlines count */
	cr_assert_eq(gate_text_failed(gates), NR(want));
	for (size_t i = 0; i < NR(want); i++) {
		struct json_object *rule = json_object_array_get_idx(rules, i);

		cr_assert_str_eq(gate_text_title(rule, buf, sizeof(buf)), want[i].title);
		cr_assert_str_eq(gate_text_measured(rule, buf, sizeof(buf)), want[i].measured);
		cr_assert_str_eq(gate_text_limit(rule, buf, sizeof(buf)), want[i].limit);
	}
	json_object_put(doc);
}
