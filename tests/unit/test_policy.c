// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The policy file and metric paths: a good policy reads as written and
 * validates against reports/schema/policy-1.json; every malformed one (bad
 * JSON, unknown keys, wrong types, a path that names nothing) is refused with
 * one line naming the file and the key; paths read the right numbers of a
 * report document; and the gates over a document and a baseline (read back
 * from its file) catch a changed model and a moved metric.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/metric.h"
#include "reports/text.h"

#include "gates_fixture.h"

#define PYTHON "/usr/bin/python3"

static const char good_policy[] =
    "{\n"
    "  \"schema\": \"advisor-policy/1\",\n"
    "  \"description\": \"a server\",\n"
    "  \"min_agreement\": 0.8,\n"
    "  \"limits\": {\n"
    "    \"time.blocked_ns.net\": { \"max\": 400000000 },\n"
    "    \"verdict.confidence\": { \"min\": 0.6 },\n"
    "    \"connections.peak_open\": { \"max\": 100 },\n"
    "    \"syscall_waits[name=fsync].max_ns\": { \"max\": 1000 },\n"
    "    \"io_fraction\": { \"min\": 0.5, \"max\": 1 },\n"
    "    \"wait_p50_ns\": { \"min\": 1000000 }\n"
    "  },\n"
    "  \"tolerances\": {\n"
    "    \"time.cpu_ns\": { \"rel\": 0.1 },\n"
    "    \"verdict.confidence\": { \"abs\": 0.1, \"worse\": \"lower\" },\n"
    "    \"io_fraction\": { \"abs\": 0.05, \"rel\": 0.1, \"worse\": \"either\" }\n"
    "  }\n"
    "}\n";

Test(policy, reads_a_good_policy)
{
	char *dir = fx_tmp_dir(), *path = fx_put_file(dir, "p.json", good_policy), *cmd;
	struct policy p;
	char err[512] = "";

	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(p.file, path);
	cr_assert_eq(p.min_agreement, 0.8);
	cr_assert_eq(p.nr_limits, 6);
	cr_assert_str_eq(p.limits[0].path, "time.blocked_ns.net");
	cr_assert(isnan(p.limits[0].min));
	cr_assert_eq(p.limits[0].max, 400000000);
	cr_assert_str_eq(p.limits[3].path, "syscall_waits[name=fsync].max_ns");
	cr_assert_eq(p.limits[4].min, 0.5);
	cr_assert_eq(p.limits[4].max, 1);
	cr_assert(p.has_tolerances);
	cr_assert_eq(p.nr_tolerances, 3);
	cr_assert_eq(p.tolerances[0].worse, GATE_WORSE_HIGHER, "higher by default");
	cr_assert(isnan(p.tolerances[0].abs));
	cr_assert_eq(p.tolerances[1].worse, GATE_WORSE_LOWER);
	cr_assert_eq(p.tolerances[2].abs, 0.05);
	cr_assert_eq(p.tolerances[2].rel, 0.1);
	cr_assert_null(policy_needs_syscalls(&p));
	policy_free(&p);

	/* the same file validates against the shipped schema, and so do tests/ci's */
	cr_assert(asprintf(&cmd,
			   "%s %stests/unit/validate_schema.py %sreports/schema/policy-1.json '%s'",
			   PYTHON, fx_src_root(), fx_src_root(), path) > 0);
	cr_assert_eq(fx_system(cmd), 0);
	free(cmd);
	cr_assert(asprintf(&cmd,
			   "%s %stests/unit/validate_schema.py %sreports/schema/policy-1.json "
			   "%stests/ci/spin-policy.json",
			   PYTHON, fx_src_root(), fx_src_root(), fx_src_root()) > 0);
	cr_assert_eq(fx_system(cmd), 0);
	free(cmd);
	free(path);
	fx_rm_tree(dir);
	free(dir);
}

struct bad_policy {
	const char *text;
	const char *want[3]; /* what the one line must say, besides the file */
	bool schema_rejects; /* the JSON Schema refuses it too */
};

#define SCHEMA_HEAD "{\"schema\": \"advisor-policy/1\", "

Test(policy, malformed_policies_are_refused_in_one_line)
{
	static const struct bad_policy cases[] = {
	    /* bad JSON */
	    {"{", {"malformed JSON"}, false},
	    {"{\"schema\": \"advisor-policy/1\",}", {"malformed JSON"}, false},
	    {"", {"malformed JSON"}, false},
	    {"[]", {"not an advisor policy"}, true},
	    {"{}", {"key 'schema' is missing"}, true},
	    {"{\"schema\": \"advisor-policy/2\"}", {"advisor-policy/1"}, true},
	    /* unknown keys */
	    {SCHEMA_HEAD "\"limitz\": {}}", {"unknown key 'limitz'"}, true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {\"maxx\": 1}}}",
	     {"limits 'io_fraction'", "unknown key 'maxx'"},
	     true},
	    {SCHEMA_HEAD "\"tolerances\": {\"io_fraction\": {\"abs\": 1, \"relative\": 1}}}",
	     {"tolerances 'io_fraction'", "unknown key 'relative'"},
	     true},
	    /* wrong types */
	    {SCHEMA_HEAD "\"limits\": []}", {"key 'limits' must be an object"}, true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": 0.5}}",
	     {"limits 'io_fraction' must be an object"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {\"max\": \"1\"}}}",
	     {"limits 'io_fraction'", "key 'max' must be a number"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {\"min\": true}}}",
	     {"limits 'io_fraction'", "key 'min' must be a number"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {\"min\": null}}}",
	     {"key 'min' must be a number"},
	     true},
	    {SCHEMA_HEAD "\"tolerances\": {\"io_fraction\": {\"rel\": -0.1}}}",
	     {"tolerances 'io_fraction'", "key 'rel' must be a number >= 0"},
	     true},
	    {SCHEMA_HEAD "\"tolerances\": {\"io_fraction\": {\"abs\": 1, \"worse\": \"up\"}}}",
	     {"key 'worse' must be"},
	     true},
	    {SCHEMA_HEAD "\"min_agreement\": \"1\"}", {"key 'min_agreement'"}, true},
	    {SCHEMA_HEAD "\"min_agreement\": 0.5}", {"key 'min_agreement'"}, true},
	    {SCHEMA_HEAD "\"min_agreement\": 1.5}", {"key 'min_agreement'"}, true},
	    {SCHEMA_HEAD "\"description\": 7}", {"key 'description' must be a string"}, true},
	    /* rules that say nothing */
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {}}}", {"wants min, max or both"}, true},
	    {SCHEMA_HEAD "\"tolerances\": {\"io_fraction\": {\"worse\": \"lower\"}}}",
	     {"wants abs, rel or both"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"io_fraction\": {\"min\": 2, \"max\": 1}}}",
	     {"min is above max"},
	     false},
	    /* paths that name nothing */
	    {SCHEMA_HEAD "\"limits\": {\"time.blocked_ns.nett\": {\"max\": 1}}}",
	     {"limits 'time.blocked_ns.nett' names nothing", "no key 'nett' in 'time.blocked_ns'"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"latency\": {\"max\": 1}}}",
	     {"limits 'latency' names nothing", "a report has no key 'latency'"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"verdict.model\": {\"max\": 1}}}",
	     {"'verdict.model' is a string, not a number"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"time.blocked_ns\": {\"max\": 1}}}",
	     {"'time.blocked_ns' is an object"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"processes\": {\"max\": 1}}}",
	     {"'processes' is an array"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"attached\": {\"max\": 1}}}",
	     {"'attached' is true or false"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"syscall_waits[nam=read].count\": {\"max\": 1}}}",
	     {"the elements of 'syscall_waits' have no key 'nam'"},
	     false},
	    {SCHEMA_HEAD "\"limits\": {\"time.cpu_ns[0]\": {\"max\": 1}}}",
	     {"'time.cpu_ns' is a number, not an array"},
	     false},
	    {SCHEMA_HEAD "\"tolerances\": {\"repeat.runs\": {\"abs\": 1}}}",
	     {"tolerances 'repeat.runs' names nothing"},
	     false},
	    /* path syntax */
	    {SCHEMA_HEAD "\"limits\": {\"time..cpu_ns\": {\"max\": 1}}}", {"bad path"}, true},
	    {SCHEMA_HEAD "\"limits\": {\"syscall_waits[name=].count\": {\"max\": 1}}}",
	     {"bad path"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"verdict.path[x].value\": {\"max\": 1}}}",
	     {"bad path"},
	     true},
	    {SCHEMA_HEAD "\"limits\": {\"Time.cpu_ns\": {\"max\": 1}}}", {"bad path"}, true},
	    {SCHEMA_HEAD "\"limits\": {\"\": {\"max\": 1}}}", {"bad path"}, true},
	};
	char *dir = fx_tmp_dir();

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct bad_policy *c = &cases[i];
		char name[32], err[512] = "", *path, *cmd;
		struct policy p;

		snprintf(name, sizeof(name), "bad%zu.json", i);
		path = fx_put_file(dir, name, c->text);
		cr_assert_neq(policy_load(path, &p, err, sizeof(err)), 0, "case %zu: %s accepted",
			      i, c->text);
		cr_assert_eq(strncmp(err, path, strlen(path)), 0, "case %zu: the file first: %s", i,
			     err);
		cr_assert_null(strchr(err, '\n'), "case %zu: one line: %s", i, err);
		for (int k = 0; k < 3 && c->want[k]; k++)
			cr_assert_not_null(strstr(err, c->want[k]), "case %zu: want '%s' in: %s", i,
					   c->want[k], err);
		policy_free(&p);

		/* the schema says the same, where a JSON Schema can */
		if (c->schema_rejects) {
			cr_assert(asprintf(&cmd,
					   "%s %stests/unit/validate_schema.py "
					   "%sreports/schema/policy-1.json '%s' 2>/dev/null",
					   PYTHON, fx_src_root(), fx_src_root(), path) > 0);
			cr_assert_neq(fx_system(cmd), 0, "case %zu: the schema accepts %s", i,
				      c->text);
			free(cmd);
		}
		free(path);
	}
	fx_rm_tree(dir);
	free(dir);
}

Test(policy, missing_file)
{
	struct policy p;
	char err[256];

	cr_assert_eq(policy_load("/nonexistent/p.json", &p, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "/nonexistent/p.json: cannot open"), "%s", err);
	policy_free(&p);
}

struct path_case {
	const char *path;
	int rc;
	double value;
};

Test(policy, paths_read_the_report)
{
	static const struct path_case cases[] = {
	    {"time.cpu_ns", 0, 250001000},
	    {"time.blocked_ns.net", 0, 300000000},
	    {"time.blocked_ns.disk", 0, 2000},
	    {"duration_ns", 0, 1e9},
	    {"io_fraction", 0, 0.6},
	    {"verdict.drivers.io_fraction", 0, 0.6},
	    {"wait_p50_ns", 0, 2000000},
	    {"peak_open", 0, 3},
	    {"busy_threads", 0, 1.5},
	    {"connections.peak_open", 0, 3},
	    {"verdict.confidence", 0, 0.75},
	    {"verdict.path[1].value", 0, 2},
	    {"verdict.path[metric=wait_p50_ms].threshold", 0, 1},
	    {"syscall_waits[name=fsync].max_ns", 0, 1500},
	    {"syscall_waits[1].count", 0, 2},
	    {"syscall_waits[name=read].hist_log2_ns[3]", 0, 0},
	    /* a syscall that was never waited in */
	    {"syscall_waits[name=epoll_wait].total_ns", 0, 0},
	    {"syscall_waits[7].count", 0, 0},
	    {"processes[pid=4242].threads[tid=4243].cpu_ns", 0, 1000},
	    {"processes[comm=srv].threads[0].blocked_ns.net", 0, 300000000},
	    {"waits.net.external.count", 0, 0},
	    {"thresholds.io_bound_min", 0, 0.5},
	    /* elements that are not there: the rule fails */
	    {"processes[comm=nginx].pid", 1, 0},
	    {"processes[3].pid", 1, 0},
	    {"verdict.path[2].value", 1, 0},
	    /* nothing: no -S table in this report, or not a number */
	    {"syscalls[name=read].count", -EINVAL, 0},
	    {"verdict.runtime", -EINVAL, 0},
	    {"nope", -EINVAL, 0},
	};
	struct report r;
	struct json_object *doc;

	fx_report(&r, MODEL_ASYNC, 0.6, 250000000);
	doc = fx_doc(&r);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct path_case *c = &cases[i];
		char why[256] = "";
		double v = -1;
		int rc = metric_value(doc, c->path, &v, why, sizeof(why));

		cr_assert_eq(rc, c->rc, "%s: %d (%s)", c->path, rc, why);
		if (!rc)
			cr_assert_eq(v, c->value, "%s: %.17g", c->path, v);
		else
			cr_assert_neq(why[0], '\0', "%s: no reason", c->path);
	}
	json_object_put(doc);
	report_free(&r);
}

Test(policy, syscall_paths_need_the_syscall_table)
{
	struct policy p;
	char *dir = fx_tmp_dir(), err[256];
	char *path =
	    fx_put_file(dir, "p.json",
			SCHEMA_HEAD "\"limits\": {\"syscalls[name=read].errors\": {\"max\": 0}}}");

	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(policy_needs_syscalls(&p), "syscalls[name=read].errors");
	policy_free(&p);
	free(path);

	/* the table itself names no number */
	path = fx_put_file(dir, "t.json",
			   SCHEMA_HEAD "\"tolerances\": {\"syscalls\": {\"rel\": 0.1}}}");
	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(strstr(err, "'syscalls' is an array"), "%s", err);
	policy_free(&p);
	free(path);

	/* a tolerance on it counts too; the table of waits is always there */
	path = fx_put_file(dir, "t.json",
			   SCHEMA_HEAD
			   "\"limits\": {\"syscall_waits[name=read].count\": {\"max\": 9}}, "
			   "\"tolerances\": {\"syscalls[0].count\": {\"rel\": 0.1}}}");
	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_str_eq(policy_needs_syscalls(&p), "syscalls[0].count");
	policy_free(&p);
	free(path);
	fx_rm_tree(dir);
	free(dir);
}

/* The gates over a report's document: a passing and a failing limit. */
Test(policy, apply_limits_and_expect)
{
	char *dir = fx_tmp_dir(), *path = fx_put_file(dir, "p.json", good_policy);
	struct json_object *doc;
	struct gate_results gr;
	struct policy p;
	struct report r;
	char err[512] = "";

	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	fx_report(&r, MODEL_ASYNC, 0.6, 250000000);
	doc = fx_doc(&r);
	cr_assert_eq(gating_apply(&p, "async", doc, "r.json", NULL, NULL, &gr, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert(gr.evaluated);
	cr_assert_str_eq(gr.expect, "async");
	cr_assert_str_eq(gr.policy, path);
	cr_assert_str_eq(gr.baseline, "");
	cr_assert_eq(gr.nr, 7);
	cr_assert_eq(gr.rules[0].kind, GATE_EXPECT);
	cr_assert(gr.rules[0].passed);
	cr_assert_eq(gr.rules[0].runs, 1);
	/* net 300 ms <= 400 ms; confidence 0.75 >= 0.6; 3 <= 100; fsync 1500 > 1000 */
	cr_assert(gr.rules[1].passed, "%s", gr.rules[1].message);
	cr_assert(gr.rules[2].passed);
	cr_assert(gr.rules[3].passed);
	cr_assert_not(gr.rules[4].passed);
	cr_assert_str_eq(gr.rules[4].message,
			 "syscall_waits[name=fsync].max_ns 1500 is above max 1000");
	cr_assert(gr.rules[5].passed);
	cr_assert(gr.rules[6].passed);
	cr_assert_eq(gr.nr_failed, 1);
	gate_results_free(&gr);

	/* expect another model: one more failure */
	cr_assert_eq(
	    gating_apply(&p, "multiprocessing", doc, "r.json", NULL, NULL, &gr, err, sizeof(err)),
	    0);
	cr_assert_not(gr.rules[0].passed);
	cr_assert_eq(gr.nr_failed, 2);
	gate_results_free(&gr);

	/* no expectation, no policy: evaluated, nothing to fail */
	policy_free(&p);
	policy_init(&p);
	cr_assert_eq(gating_apply(&p, NULL, doc, "r.json", NULL, NULL, &gr, err, sizeof(err)), 0);
	cr_assert(gr.evaluated);
	cr_assert_eq(gr.nr, 0);
	cr_assert_str_eq(gr.policy, "");
	gate_results_free(&gr);

	json_object_put(doc);
	report_free(&r);
	policy_free(&p);
	free(path);
	fx_rm_tree(dir);
	free(dir);
}

/* A metric the report has as null, and an element it does not have: their rules fail. */
Test(policy, null_and_missing_metrics_fail_their_rules)
{
	struct json_object *doc;
	struct gate_results gr;
	struct policy p;
	struct report r;
	char err[512] = "", why[256] = "";
	double v = 0;

	fx_report(&r, MODEL_ASYNC, NAN, 250000000);
	doc = fx_doc(&r);
	cr_assert_eq(metric_value(doc, "io_fraction", &v, why, sizeof(why)), 0, "%s", why);
	cr_assert(isnan(v), "null reads as NAN: %g", v);

	policy_init(&p);
	p.limits = calloc(2, sizeof(*p.limits));
	cr_assert_not_null(p.limits);
	p.nr_limits = 2;
	snprintf(p.limits[0].path, sizeof(p.limits[0].path), "io_fraction");
	p.limits[0].min = NAN;
	p.limits[0].max = 1;
	snprintf(p.limits[1].path, sizeof(p.limits[1].path), "processes[comm=nginx].pid");
	p.limits[1].min = 1;
	p.limits[1].max = NAN;
	cr_assert_eq(gating_apply(&p, NULL, doc, "r.json", NULL, NULL, &gr, err, sizeof(err)), 0,
		     "%s", err);
	cr_assert_eq(gr.nr, 2);
	cr_assert_not(gr.rules[0].passed);
	cr_assert_str_eq(gr.rules[0].message, "io_fraction is not a number (null)");
	cr_assert_not(gr.rules[1].passed);
	cr_assert_eq(gr.rules[1].kind, GATE_LIMIT);
	cr_assert_eq(gr.rules[1].min, 1);
	cr_assert(isnan(gr.rules[1].max));
	cr_assert_str_eq(gr.rules[1].message,
			 "processes[comm=nginx].pid: no element of 'processes' has comm=nginx");
	cr_assert_eq(gr.nr_failed, 2);
	gate_results_free(&gr);

	policy_free(&p);
	json_object_put(doc);
	report_free(&r);
}

/*
 * A baseline, as `advisor check` reads it from a saved report: a changed
 * model and a moved metric fail; a metric within its tolerance passes.
 */
Test(policy, baseline_changed_model_and_moved_metric)
{
	char *dir = fx_tmp_dir(), *path = fx_put_file(dir, "p.json", good_policy);
	struct json_object *base_doc, *now_doc, *doc;
	struct report base, now;
	struct gate_results gr;
	struct policy p;
	char err[512] = "";

	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	fx_report(&base, MODEL_ASYNC, 0.60, 250000000);
	/* cpu +20% (tolerance 10%), io_fraction 0.60 -> 0.55 (within 0.06) */
	fx_report(&now, MODEL_MULTITHREADING, 0.55, 300000000);
	now.verdict.confidence = 0.7; /* -0.05: within abs 0.1 */
	doc = fx_doc(&base);
	base_doc = fx_doc_reread(doc, dir, "base.json");
	json_object_put(doc);
	now_doc = fx_doc(&now);
	cr_assert_eq(gating_apply(&p, NULL, now_doc, "now.json", base_doc, "base.json", &gr, err,
				  sizeof(err)),
		     0, "%s", err);
	cr_assert_str_eq(gr.baseline, "base.json");
	/* 6 limits, the model, 3 tolerances */
	cr_assert_eq(gr.nr, 10);
	cr_assert_eq(gr.rules[6].kind, GATE_MODEL);
	cr_assert_not(gr.rules[6].passed);
	cr_assert_str_eq(gr.rules[6].message, "model changed: async \u2192 multithreading");
	cr_assert_eq(gr.rules[7].kind, GATE_CHANGE);
	cr_assert_str_eq(gr.rules[7].path, "time.cpu_ns");
	cr_assert_not(gr.rules[7].passed);
	cr_assert_str_eq(gr.rules[7].message,
			 "changed: time.cpu_ns 250001000 \u2192 300001000 (+50000000, +20.0%), "
			 "past +25000100 allowed");
	cr_assert_eq(gr.rules[7].old, 250001000);
	cr_assert_eq(gr.rules[7].value, 300001000);
	cr_assert_eq(gr.rules[7].worse, GATE_WORSE_HIGHER);
	cr_assert_eq(gr.rules[7].rel, 0.1);
	cr_assert(gr.rules[8].passed, "%s", gr.rules[8].message);
	cr_assert_eq(gr.rules[8].worse, GATE_WORSE_LOWER);
	cr_assert(gr.rules[9].passed, "%s", gr.rules[9].message);
	cr_assert_float_eq(gr.rules[9].allowed, 0.06, 1e-12);
	/* fsync limit, model, cpu */
	cr_assert_eq(gr.nr_failed, 3);
	gate_results_free(&gr);

	/* the same model and no move: all pass (but the fsync limit) */
	cr_assert_eq(gating_apply(&p, NULL, base_doc, "now.json", base_doc, "base.json", &gr, err,
				  sizeof(err)),
		     0);
	cr_assert_eq(gr.nr, 10);
	cr_assert_eq(gr.nr_failed, 1);
	gate_results_free(&gr);
	policy_free(&p);

	/* no policy: the default tolerances, duration_ns and time.cpu_ns at rel 0.25 */
	policy_init(&p);
	cr_assert_eq(gating_apply(&p, NULL, now_doc, "now.json", base_doc, "base.json", &gr, err,
				  sizeof(err)),
		     0);
	cr_assert_eq(gr.nr, 1 + policy_nr_default_tolerances);
	cr_assert_str_eq(gr.rules[1].path, "duration_ns");
	cr_assert_str_eq(gr.rules[2].path, "time.cpu_ns");
	cr_assert(gr.rules[2].passed, "+20%% is within 25%%: %s", gr.rules[2].message);
	cr_assert_eq(gr.rules[2].rel, 0.25);
	cr_assert_eq(gr.nr_failed, 1);
	gate_results_free(&gr);

	/* a baseline without the -S table, asked about it: a usage error naming it */
	p.has_tolerances = true;
	p.tolerances = calloc(1, sizeof(*p.tolerances));
	cr_assert_not_null(p.tolerances);
	p.nr_tolerances = 1;
	snprintf(p.tolerances[0].path, sizeof(p.tolerances[0].path), "syscalls[name=read].count");
	p.tolerances[0].rel = 0.1;
	p.tolerances[0].abs = NAN;
	cr_assert_eq(gating_apply(&p, NULL, now_doc, "now.json", base_doc, "base.json", &gr, err,
				  sizeof(err)),
		     -EINVAL);
	cr_assert_not_null(strstr(err, "base.json: tolerances 'syscalls[name=read].count' names "
				       "nothing in this report"),
			   "%s", err);
	cr_assert_null(strchr(err, '\n'), "one line: %s", err);
	gate_results_free(&gr);

	/* with it in the baseline only, the report is named */
	base.profile.syscalls_enabled = true;
	json_object_put(base_doc);
	base_doc = fx_doc(&base);
	cr_assert_eq(gating_apply(&p, NULL, now_doc, "now.json", base_doc, "base.json", &gr, err,
				  sizeof(err)),
		     -EINVAL);
	cr_assert_not_null(strstr(err, "now.json: tolerances 'syscalls[name=read].count' names "
				       "nothing in this report"),
			   "%s", err);
	gate_results_free(&gr);

	policy_free(&p);
	json_object_put(base_doc);
	json_object_put(now_doc);
	report_free(&base);
	report_free(&now);
	free(path);
	fx_rm_tree(dir);
	free(dir);
}

/*
 * Names from the target and from the command line are data: a selector
 * reads a thread by its hostile comm, and gates naming a hostile file go
 * into the document, through the JSON writer and back, intact and valid.
 */
Test(policy, hostile_strings_stay_data)
{
	static const char base_name[] = "base\n<b>.json \xe2\x80\xae\x01";
	struct json_object *doc, *back;
	struct gate_results gr;
	struct policy p;
	struct report r;
	char *dir = fx_tmp_dir(), err[512] = "", why[256] = "";
	const char *cmd;
	double v = 0;

	fx_report(&r, MODEL_ASYNC, 0.6, 250000000);
	doc = fx_doc(&r);
	cr_assert_eq(
	    metric_value(doc, "processes[0].threads[comm=<b>|w`].cpu_ns", &v, why, sizeof(why)), 0,
	    "%s", why);
	cr_assert_eq(v, 1000);
	cr_assert_eq(
	    metric_path_check("processes[0].threads[comm=<b>|w`].cpu_ns", why, sizeof(why)), 0,
	    "%s", why);
	/* invalid bytes became U+FFFD; the valid (if hidden) U+202E is kept as data */
	cmd = json_object_get_string(
	    json_object_array_get_idx(json_object_object_get(doc, "command"), 2));
	cr_assert_str_eq(cmd, "line\nbreak\x01\x1b[31m " TEXT_REPLACEMENT TEXT_REPLACEMENT
			      " \xe2\x80\xae"
			      "evil");

	policy_init(&p);
	p.limits = calloc(1, sizeof(*p.limits));
	cr_assert_not_null(p.limits);
	p.nr_limits = 1;
	snprintf(p.limits[0].path, sizeof(p.limits[0].path),
		 "processes[0].threads[comm=<b>|w`].cpu_ns");
	p.limits[0].min = NAN;
	p.limits[0].max = 999;
	cr_assert_eq(
	    gating_apply(&p, "async", doc, "r.json", doc, base_name, &gr, err, sizeof(err)), 0,
	    "%s", err);
	cr_assert_str_eq(gr.baseline, base_name);
	cr_assert_str_eq(gr.rules[1].message,
			 "processes[0].threads[comm=<b>|w`].cpu_ns 1000 is above max 999");
	cr_assert_eq(document_set_gates(doc, &gr), 0);
	cr_assert_eq(document_check(doc, "r.json", err, sizeof(err)), 0, "%s", err);
	back = fx_doc_reread(doc, dir, "r.json");
	cr_assert_str_eq(json_object_get_string(json_object_object_get(
			     json_object_object_get(back, "gates"), "baseline")),
			 "base\n<b>.json \xe2\x80\xae\x01");
	cr_assert_eq(json_object_get_boolean(
			 json_object_object_get(json_object_object_get(back, "gates"), "passed")),
		     false);
	gate_results_free(&gr);

	json_object_put(back);
	json_object_put(doc);
	policy_free(&p);
	report_free(&r);
	fx_rm_tree(dir);
	free(dir);
}

/* Path checks without a policy file, and the names repeat metrics are keyed by. */
Test(policy, metric_path_check_and_canonical)
{
	static const char *const good[] = {
	    "io_fraction",
	    "verdict.drivers.busy_threads",
	    "syscalls[name=read].errors",
	    "syscall_waits[nr=0].hist_log2_ns[31]",
	    "processes[comm=a.b].threads[tid=1].internal_ns.ipc",
	    "timeline.buckets[0].io_ns",
	    "overhead.dropped",
	    "thresholds.asleep_min",
	};
	static const char *const bad[] = {
	    "verdict.drivers",
	    "verdict.drivers.nope",
	    "repeat.runs",
	    "gates.failed",
	    "command[0]",
	    "time.cpu_ns.",
	    "syscall_waits[name=read",
	    "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q",
	};
	char why[256], buf[GATE_PATH_LEN];

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_assert_eq(metric_path_check(good[i], why, sizeof(why)), 0, "%s: %s", good[i],
			     why);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		cr_assert_eq(metric_path_check(bad[i], why, sizeof(why)), -EINVAL, "%s accepted",
			     bad[i]);
		cr_assert_neq(why[0], '\0', "%s: no reason", bad[i]);
	}

	cr_assert_str_eq(metric_path_canonical("verdict.drivers.io_fraction", buf, sizeof(buf)),
			 "io_fraction");
	cr_assert_str_eq(metric_path_canonical("verdict.drivers.peak_open", buf, sizeof(buf)),
			 "peak_open");
	cr_assert_str_eq(metric_path_canonical("io_fraction", buf, sizeof(buf)), "io_fraction");
	cr_assert_str_eq(metric_path_canonical("connections.peak_open", buf, sizeof(buf)),
			 "connections.peak_open");
	cr_assert_str_eq(metric_path_canonical("verdict.drivers.nope", buf, sizeof(buf)),
			 "verdict.drivers.nope");
	cr_assert_str_eq(metric_path_canonical("time.cpu_ns", buf, sizeof(buf)), "time.cpu_ns");
}

Test(policy, repeat_paths)
{
	char *dir = fx_tmp_dir(), *path = fx_put_file(dir, "p.json", good_policy);
	struct policy p;
	char err[512], **paths;
	size_t n, seen = 0;

	cr_assert_eq(policy_load(path, &p, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(policy_repeat_paths(&p, &paths, &n), 0);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < i; j++)
			cr_assert_str_neq(paths[i], paths[j], "%s twice", paths[i]);
		if (!strcmp(paths[i], "syscall_waits[name=fsync].max_ns"))
			seen++;
		cr_assert_str_neq(paths[i], "verdict.drivers.io_fraction", "canonical names");
	}
	cr_assert_eq(seen, 1);
	cr_assert_str_eq(paths[0], "io_fraction");
	free(paths);
	policy_free(&p);
	free(path);
	fx_rm_tree(dir);
	free(dir);
}
