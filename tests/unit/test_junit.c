// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The CI outputs of the gates, each written from the report document alone:
 * JUnit XML that validates against the JUnit XSD (tests/unit/junit.xsd, with
 * xmllint) whatever the target's strings hold, a Markdown summary in which
 * those strings are inert, the terminal summary, and a JSON report with its
 * repeat and gates keys that reads back to the same text, matches the
 * report's schema, and renders in every format as the fresh document did.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "advisor/gating.h"
#include "advisor/repeat.h"
#include "gates_fixture.h"
#include "reports/doc.h"
#include "reports/report.h"

#define PYTHON "/usr/bin/python3"

static int summary_write(FILE *f, const struct json_object *doc)
{
	report_summary_write(f, doc);
	report_gates_write(f, doc, false);
	return ferror(f) ? -EIO : 0;
}

static int failed_gates_write(FILE *f, const struct json_object *doc)
{
	report_gates_write(f, doc, true);
	return ferror(f) ? -EIO : 0;
}

/* Sets key of the object at parent ("" for doc itself) to v, which it takes. */
static void set_key(struct json_object *doc, const char *parent, const char *key,
		    struct json_object *v)
{
	struct json_object *o = parent[0] ? doc_get(doc, parent) : doc;

	cr_assert(json_object_is_type(o, json_type_object), "no object %s", parent);
	cr_assert_eq(json_object_object_add(o, key, v), 0);
}

/* The document of a report from fx_report(); caller frees with json_object_put(). */
static struct json_object *plain_doc(enum model model, double io_fraction, __u64 cpu_ns)
{
	struct report r;
	struct json_object *doc;

	fx_report(&r, model, io_fraction, cpu_ns);
	doc = document_build(&r);
	cr_assert_not_null(doc);
	report_free(&r);
	return doc;
}

/*
 * A report gated by expect, two limits and a baseline, as its document; with
 * repeat, of three runs of which the third exited 3.
 */
static struct json_object *gated_doc(bool repeat)
{
	struct report r;
	struct gate_results gr = {0};
	struct json_object *doc, *base;
	struct policy p;
	char err[512] = "";

	fx_report(&r, MODEL_INCONCLUSIVE, 0.1, 250000000);
	base = plain_doc(MODEL_MULTIPROCESSING, 0.0, 200000000);
	policy_init(&p);
	p.limits = calloc(2, sizeof(*p.limits));
	cr_assert_not_null(p.limits);
	p.nr_limits = 2;
	snprintf(p.limits[0].path, sizeof(p.limits[0].path), "verdict.confidence");
	p.limits[0].min = 0.6;
	p.limits[0].max = NAN;
	snprintf(p.limits[1].path, sizeof(p.limits[1].path), "syscall_waits[name=read].max_ns");
	p.limits[1].min = NAN;
	p.limits[1].max = 1000;
	snprintf(p.file, sizeof(p.file), "ci/<policy>.json");
	if (repeat) {
		const char *paths[] = {"io_fraction", "time.cpu_ns"};
		double v[3][2] = {{0.1, 250001000}, {NAN, 240000000}, {0.3, 260000000}};

		cr_assert_eq(repeat_init(&r.repeat, 3, paths, 2), 0);
		for (unsigned int i = 0; i < 3; i++) {
			struct repeat_run run = {.model = i == 1 ? MODEL_ASYNC : MODEL_INCONCLUSIVE,
						 .confidence = 0.5,
						 .exited = true,
						 .exit_code = i == 2 ? 3 : 0};

			repeat_set_run(&r.repeat, i, &run, v[i]);
		}
		repeat_finish(&r.repeat);
	}
	doc = document_build(&r);
	cr_assert_not_null(doc);
	cr_assert_eq(gating_apply(&p, "multiprocessing", doc, "r.json", base, "base\n<b>.json", &gr,
				  err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(document_set_gates(doc, &gr), 0);
	gate_results_free(&gr);
	policy_free(&p);
	report_free(&r);
	json_object_put(base);
	return doc;
}

static int xmllint_q(const char *dir, const char *xml, bool quiet)
{
	char *path = fx_put_file(dir, "gate.xml", xml), *cmd;
	int st;

	/* quiet when it validates, the reasons on stderr when not */
	cr_assert(asprintf(&cmd,
			   "out=$(xmllint --noout --schema %stests/unit/junit.xsd '%s' 2>&1) "
			   "|| { %s echo \"$out\" >&2; exit 1; }",
			   fx_src_root(), path, quiet ? "exit 1;" : "") > 0);
	st = fx_system(cmd);
	free(cmd);
	free(path);
	return st;
}

static int xmllint(const char *dir, const char *xml)
{
	return xmllint_q(dir, xml, false);
}

static size_t count(const char *s, const char *what)
{
	size_t n = 0;

	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

Test(junit, validates_against_the_junit_xsd)
{
	struct json_object *doc = gated_doc(false);
	char *dir = fx_tmp_dir(), *xml;

	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	/* the target, expect, 2 limits, the model, 2 default tolerances */
	cr_assert_eq(count(xml, "<testcase "), 7, "%s", xml);
	cr_assert_eq(count(xml, "<failure "), (size_t)doc_u64(doc, "gates.failed"));
	cr_assert_not_null(strstr(xml, "tests=\"7\" failures=\"3\" errors=\"0\""), "%s", xml);
	cr_assert_not_null(strstr(xml, "<testcase name=\"expect multiprocessing\" "
				       "classname=\"advisor.expect\" time=\"0\">\n"
				       "      <failure message=\"verdict is inconclusive (asleep), "
				       "expected multiprocessing\" type=\"expect\">measured: "
				       "inconclusive\nlimit: multiprocessing\n"
				       "verdict is inconclusive (asleep), expected multiprocessing"
				       "</failure>"),
			   "%s", xml);
	cr_assert_not_null(strstr(xml, "name=\"limit syscall_waits[name=read].max_ns\" "
				       "classname=\"advisor.policy\""));
	cr_assert_not_null(strstr(xml, "name=\"baseline model\" classname=\"advisor.baseline\""));
	/* the report's created_at, without its zone, as JUnit has it */
	cr_assert_not_null(strstr(xml, "timestamp=\"2023-11-14T22:13:20\""), "%s", xml);
	/* hostile strings: escaped, and no byte XML cannot carry */
	cr_assert_null(strstr(xml, "<script"));
	cr_assert_not_null(strstr(xml, "&lt;script&gt;"));
	cr_assert_not_null(strstr(xml, "ci/&lt;policy&gt;.json"));
	cr_assert_not_null(strstr(xml, "base&#10;&lt;b&gt;.json"), "newline in an attribute");
	for (const unsigned char *p = (const unsigned char *)xml; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t', "control byte %#x", *p);
	free(xml);

	/* a failed target is an <error>, still valid */
	set_key(doc, "target", "exit_code", json_object_new_int(3));
	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_not_null(strstr(xml, "<error message=\"target exited with status 3\" "
				       "type=\"target\">"));
	cr_assert_not_null(strstr(xml, "errors=\"1\""));
	free(xml);

	/* killed: the signal's name too */
	set_key(doc, "target", "signal", json_object_new_int(9));
	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_not_null(strstr(xml, "<error message=\"target killed by signal 9 (Killed)\""),
			   "%s", xml);
	free(xml);
	json_object_put(doc);

	/* no gate at all: only the target */
	doc = plain_doc(MODEL_ASYNC, 0.9, 1);
	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_eq(count(xml, "<testcase "), 1);
	free(xml);

	/* attached: no target either; an empty suite is still valid */
	set_key(doc, "", "attached", json_object_new_boolean(true));
	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_eq(count(xml, "<testcase "), 0);
	free(xml);

	/* a created_at that is not a UTC time: the epoch, still valid */
	set_key(doc, "", "created_at", json_object_new_string("yesterday"));
	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_not_null(strstr(xml, "timestamp=\"1970-01-01T00:00:00\""), "%s", xml);
	free(xml);
	json_object_put(doc);
	fx_rm_tree(dir);
	free(dir);
}

Test(junit, the_xsd_refuses_what_consumers_refuse)
{
	static const char *const bad[] = {
	    /* no testsuite */
	    "<?xml version=\"1.0\"?><testsuites/>",
	    /* a testcase without classname */
	    "<?xml version=\"1.0\"?><testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" "
	    "errors=\"0\"><testcase name=\"x\"/></testsuite></testsuites>",
	    /* a count that is not a number */
	    "<?xml version=\"1.0\"?><testsuites><testsuite name=\"a\" tests=\"one\" failures=\"0\" "
	    "errors=\"0\"/></testsuites>",
	    /* an element no consumer knows */
	    "<?xml version=\"1.0\"?><testsuites><testsuite name=\"a\" tests=\"1\" failures=\"0\" "
	    "errors=\"0\"><testcase name=\"x\" classname=\"y\"><broken/></testcase></testsuite>"
	    "</testsuites>",
	};
	char *dir = fx_tmp_dir();

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_neq(xmllint_q(dir, bad[i], true), 0, "case %zu accepted", i);
	fx_rm_tree(dir);
	free(dir);
}

Test(junit, repeated_runs)
{
	struct json_object *doc = gated_doc(true);
	char *dir = fx_tmp_dir(), *xml;

	xml = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	/* run 3 exited 3 */
	cr_assert_not_null(strstr(xml, "run 3 of 3: target exited with status 3"), "%s", xml);
	cr_assert_not_null(strstr(xml, "<property name=\"agreement\" value=\"2/3\"/>"), "%s", xml);
	free(xml);
	json_object_put(doc);
	fx_rm_tree(dir);
	free(dir);
}

Test(markdown, summary_with_gates_and_inert_strings)
{
	struct json_object *doc = gated_doc(false);
	char *md, *line, *end;

	md = fx_render(report_markdown_write, doc);
	cr_assert_not_null(strstr(md, "# advisor: gates FAILED (3 of 6)\n"), "%s", md);
	cr_assert_not_null(strstr(md, "**Verdict:** inconclusive (confidence 0.75), asleep"));
	cr_assert_not_null(strstr(md, "| result | rule | measured | limit | message |\n"));
	cr_assert_not_null(strstr(md, "| **FAIL** | expect multiprocessing | inconclusive | "
				      "multiprocessing | verdict is inconclusive \\(asleep\\), "
				      "expected multiprocessing |\n"),
			   "%s", md);
	cr_assert_not_null(strstr(md, "| pass | limit verdict.confidence | 0.75 | \\>= 0.6 |"));
	cr_assert_not_null(strstr(md, "## Changes against the baseline\n"));
	cr_assert_not_null(strstr(md, "| model | multiprocessing | inconclusive | changed | "
				      "unchanged | **FAIL** |\n"),
			   "%s", md);
	cr_assert_not_null(strstr(md, "| time.cpu\\_ns | 200001000 | 250001000 | "
				      "+50000000, +25.0% |"),
			   "%s", md);
	/* durations as everywhere else */
	cr_assert_not_null(strstr(md, "| wait_p50_ns | 2.00 ms | slow\\_wait\\_ms 1 |\n"), "%s",
			   md);
	/* the verdict's own sentences, from the document */
	cr_assert_not_null(strstr(md, "**Why:** Rationale with \\<html\\> and \\| pipes\n"), "%s",
			   md);

	/* the command: every active character escaped, on one line, no bidi override */
	line = strstr(md, "**Command:** ");
	cr_assert_not_null(line);
	end = strchr(line, '\n');
	cr_assert_not_null(end);
	*end = '\0';
	cr_assert_not_null(strstr(line, "\\<script\\>alert\\(1\\)\\</script\\>\\|\\`rm\\`\\*\\_"
					"\\[a\\]\\(b\\)\\#\\!\\~\\&"),
			   "%s", line);
	cr_assert_not_null(strstr(line, "line break  \\[31m"), "%s", line);
	cr_assert_null(strstr(line, "\xe2\x80\xae"));
	cr_assert_not_null(strstr(line, "\xef\xbf\xbd"
					"evil"));
	*end = '\n';
	/* the baseline's name, with its newline, stays on its line */
	cr_assert_not_null(strstr(md, "baseline base \\<b\\>.json."), "%s", md);
	for (const unsigned char *p = (const unsigned char *)md; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "control byte %#x", *p);
	free(md);
	json_object_put(doc);

	/* no gates: the verdict as the title, no gate table */
	doc = plain_doc(MODEL_ASYNC, 0.9, 1);
	md = fx_render(report_markdown_write, doc);
	cr_assert_eq(strncmp(md, "# advisor: async\n", 17), 0, "%s", md);
	cr_assert_null(strstr(md, "## Gates"));
	free(md);
	json_object_put(doc);
}

Test(markdown, repeated_runs_show_medians)
{
	struct json_object *doc = gated_doc(true);
	char *md;

	md = fx_render(report_markdown_write, doc);
	cr_assert_not_null(strstr(md, "2/3 runs agree"), "%s", md);
	cr_assert_not_null(
	    strstr(md, "| io_fraction | 0.1 | io\\_bound\\_min 0.5 | 0.2 (0.1 to 0.3) |"), "%s",
	    md);
	cr_assert_not_null(strstr(md, "**FAILED**: run 3 of 3: exited with status 3"), "%s", md);
	free(md);
	json_object_put(doc);
}

Test(summary, verdict_drivers_and_gates_on_the_terminal)
{
	struct json_object *doc = gated_doc(false);
	char *out;

	out = fx_render(summary_write, doc);
	cr_assert_not_null(strstr(out, "advisor: verdict: inconclusive (confidence 0.75), "
				       "asleep\n"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "  drivers:   io_fraction 0.10, wait_p50 2.00 ms, "
				       "peak_open 3, busy_threads 1.5\n"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "  path:      io_fraction 0.1 (threshold 0.5) -> io_bound\n"
				       "             wait_p50_ms 2.00 ms (threshold 1.00 ms) -> "
				       "async\n"),
			   "%s", out);
	cr_assert_not_null(strstr(out, "  why:       Rationale with <html> and | pipes\n"), "%s",
			   out);
	cr_assert_not_null(strstr(out, "in 1.00 s wall; target exited with status 0\n"), "%s", out);
	cr_assert_not_null(strstr(out, "advisor: gates: 3 of 6 failed\n"
				       "  FAIL  expect multiprocessing: verdict is inconclusive "
				       "(asleep), expected multiprocessing\n"),
			   "%s", out);
	cr_assert_eq(count(out, "\n  pass  "), 3, "%s", out);
	/* what a report read from a file says reaches no terminal as a control */
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n', "control byte %#x", *p);
	free(out);

	out = fx_render(failed_gates_write, doc);
	cr_assert_eq(count(out, "\n  FAIL  "), 3, "%s", out);
	cr_assert_null(strstr(out, "  pass  "), "%s", out);
	free(out);
	json_object_put(doc);

	/* nothing gated, nothing passed: not a line */
	doc = plain_doc(MODEL_ASYNC, 0.9, 1);
	out = fx_render(failed_gates_write, doc);
	cr_assert_str_empty(out);
	free(out);
	set_key(doc, "overhead", "dropped", json_object_new_int(12));
	out = fx_render(summary_write, doc);
	cr_assert_not_null(strstr(out, "  warning:   12 events were dropped"), "%s", out);
	free(out);
	json_object_put(doc);
}

Test(summary, how_the_target_ended)
{
	struct json_object *doc = plain_doc(MODEL_ASYNC, 0.9, 1);
	unsigned int first = 7;
	int code = 7, sig = 7;
	char buf[32];

	cr_assert_not(report_target_failed(doc, &first, &code, &sig));
	cr_assert_eq(first, 0);
	cr_assert_eq(code, 0);
	cr_assert_eq(sig, 0);
	cr_assert_str_eq(report_agreement(doc, buf, sizeof(buf)), "1/1");

	set_key(doc, "target", "exit_code", json_object_new_int(2));
	cr_assert(report_target_failed(doc, &first, &code, NULL));
	cr_assert_eq(code, 2);
	set_key(doc, "target", "signal", json_object_new_int(9));
	cr_assert(report_target_failed(doc, &first, NULL, &sig));
	cr_assert_eq(sig, 9);
	/* advisor ended it, or it is still running: not the target's failure */
	set_key(doc, "", "stopped_at_duration", json_object_new_boolean(true));
	cr_assert_not(report_target_failed(doc, &first, &code, &sig));
	set_key(doc, "", "stopped_at_duration", json_object_new_boolean(false));
	set_key(doc, "", "attached", json_object_new_boolean(true));
	cr_assert_not(report_target_failed(doc, &first, &code, &sig));
	json_object_put(doc);

	/* repeated: the first run that failed, not the main run */
	doc = gated_doc(true);
	cr_assert(report_target_failed(doc, &first, &code, &sig));
	cr_assert_eq(first, 2);
	cr_assert_eq(code, 3);
	cr_assert_eq(sig, 0);
	cr_assert_str_eq(report_agreement(doc, buf, sizeof(buf)), "2/3");
	json_object_put(doc);
}

/*
 * Written, read and written again: the same text, valid against the report's
 * schema; and every format renders the saved report as it rendered the fresh one.
 */
Test(report_gates, json_round_trip_and_schema)
{
	static int (*const writers[])(FILE *, const struct json_object *) = {
	    report_junit_write,
	    report_markdown_write,
	    summary_write,
	};

	for (int repeat = 0; repeat < 2; repeat++) {
		struct json_object *x = gated_doc(repeat), *y, *v;
		char *dir = fx_tmp_dir(), *a, *b, *path, *cmd, err[512] = "";

		a = fx_render(report_json_write, x);
		path = fx_put_file(dir, "r.json", a);
		y = document_read(path, err, sizeof(err));
		cr_assert_not_null(y, "%s", err);
		b = fx_render(report_json_write, y);
		cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);
		free(b);
		for (size_t i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
			char *fresh = fx_render(writers[i], x), *saved = fx_render(writers[i], y);

			cr_assert_str_eq(saved, fresh, "writer %zu", i);
			free(fresh);
			free(saved);
		}
		cr_assert_eq(doc_len(y, "gates.rules"), doc_len(x, "gates.rules"));
		cr_assert_eq(doc_u64(y, "gates.failed"), doc_u64(x, "gates.failed"));
		cr_assert_str_eq(doc_str(y, "gates.baseline"), "base\n<b>.json");
		cr_assert_eq(doc_u64(y, "repeat.runs"), repeat ? 3 : 0);
		if (repeat) {
			/* metric paths are keys of their own */
			v = doc_get(y, "repeat.metrics");
			cr_assert(json_object_object_get_ex(v, "io_fraction", &v));
			cr_assert(isnan(doc_double(doc_at(v, "values", 1), "")));
			v = doc_get(y, "repeat.metrics");
			cr_assert(json_object_object_get_ex(v, "time.cpu_ns", &v));
			cr_assert_eq(doc_double(v, "median"), 250001000);
			cr_assert_not_null(strstr(a, "\"agreement\": \"2/3\""));
			cr_assert_not_null(strstr(a, "\"values\": [0.1, null, 0.3]"), "%s", a);
		} else {
			cr_assert_not_null(strstr(a, "\"agreement\": \"1/1\""));
			cr_assert_null(strstr(a, "\"repeat\""));
		}
		cr_assert(asprintf(&cmd,
				   "%s %stests/unit/validate_schema.py "
				   "%sreports/schema/report-1.json '%s'",
				   PYTHON, fx_src_root(), fx_src_root(), path) > 0);
		cr_assert_eq(fx_system(cmd), 0, "%s", a);
		free(cmd);
		json_object_put(x);
		json_object_put(y);
		free(a);
		free(path);
		fx_rm_tree(dir);
		free(dir);
	}
}

/* A saved report whose gates or repeat are broken is refused, naming the key. */
Test(report_gates, broken_gates_and_repeat_are_refused)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
	    {"\"kind\": \"expect\"", "\"kind\": \"guess\"", "gates.rules[0]"},
	    {"\"runs\": 3,", "\"runs\": 1,", "repeat.runs"},
	    {"\"worse\": \"higher\"", "\"worse\": \"up\"", "gates.rules["},
	};
	struct json_object *x = gated_doc(true), *y;
	char *a, *dir = fx_tmp_dir();

	a = fx_render(report_json_write, x);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *at = strstr(a, cases[i].from), *text, *path, err[512] = "";

		cr_assert_not_null(at, "case %zu: '%s' not in the report", i, cases[i].from);
		cr_assert(asprintf(&text, "%.*s%s%s", (int)(at - a), a, cases[i].to,
				   at + strlen(cases[i].from)) > 0);
		path = fx_put_file(dir, "r.json", text);
		y = document_read(path, err, sizeof(err));
		cr_assert_null(y, "case %zu accepted", i);
		cr_assert_not_null(strstr(err, cases[i].want), "case %zu: %s", i, err);
		free(text);
		free(path);
	}
	free(a);
	json_object_put(x);
	fx_rm_tree(dir);
	free(dir);
}

/*
 * What the schema cannot say (a main run past the runs, fewer values than
 * runs, a rule of a kind this build does not know) still renders, as valid
 * JUnit, without reading past an array.
 */
Test(report_gates, writers_take_inconsistent_documents)
{
	struct json_object *doc = gated_doc(true), *m, *rule;
	char *dir = fx_tmp_dir(), *out;

	set_key(doc, "repeat", "main_run", json_object_new_int(5));
	set_key(doc, "repeat", "runs", json_object_new_int(7));
	m = doc_get(doc, "repeat.metrics");
	cr_assert(json_object_object_get_ex(m, "io_fraction", &m));
	cr_assert_eq(json_object_array_del_idx(doc_get(m, "values"), 1, 2), 0);
	rule = doc_at(doc, "gates.rules", 0);
	set_key(rule, "", "kind", json_object_new_string("quorum"));
	set_key(rule, "", "passed", json_object_new_string("yes"));
	/* the count follows from the rules, whatever the report claims */
	set_key(doc, "gates", "failed", json_object_new_int(0));

	out = fx_render(report_junit_write, doc);
	cr_assert_eq(xmllint(dir, out), 0, "%s", out);
	cr_assert_null(strstr(out, "failures=\"0\""), "%s", out);
	cr_assert_not_null(strstr(out, "name=\"baseline verdict.model\""), "%s", out);
	free(out);
	out = fx_render(report_markdown_write, doc);
	cr_assert_not_null(strstr(out, "Run 6 of 7 is shown"), "%s", out);
	cr_assert_null(strstr(out, "gates passed"), "%s", out);
	free(out);
	out = fx_render(summary_write, doc);
	cr_assert_not_null(strstr(out, "2/7 runs agree"), "%s", out);
	free(out);
	json_object_put(doc);
	fx_rm_tree(dir);
	free(dir);
}

Test(report_gates, formats_of_ci_outputs)
{
	cr_assert_eq(report_format_of("gate.xml"), REPORT_JUNIT);
	cr_assert_eq(report_format_of("GATE.XML"), REPORT_JUNIT);
	cr_assert_eq(report_format_of("summary.md"), REPORT_MARKDOWN);
	cr_assert_eq(report_format_of("dir.md/x"), REPORT_UNKNOWN);
}
