// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The CI outputs of the gates: JUnit XML that validates against the JUnit
 * XSD (tests/unit/junit.xsd, with xmllint) whatever the target's strings
 * hold, a Markdown summary in which those strings are inert, and a JSON
 * report with its repeat and gates keys that reads back to the same text and
 * matches the report's schema.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "gates_fixture.h"

#define PYTHON "/usr/bin/python3"

/* A report gated by expect, two limits and a baseline, one run failed. */
static void gated_report(struct report *r, bool repeat)
{
	struct report base;
	struct policy p;
	char err[512] = "";

	fx_report(r, MODEL_INCONCLUSIVE, 0.1, 250000000);
	fx_report(&base, MODEL_MULTIPROCESSING, 0.0, 200000000);
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

		cr_assert_eq(repeat_init(&r->repeat, 3, paths, 2), 0);
		for (unsigned int i = 0; i < 3; i++) {
			struct repeat_run run = {.model = i == 1 ? MODEL_ASYNC : MODEL_INCONCLUSIVE,
						 .confidence = 0.5,
						 .exited = true,
						 .exit_code = i == 2 ? 3 : 0};

			repeat_set_run(&r->repeat, i, &run, v[i]);
		}
		repeat_finish(&r->repeat);
	}
	cr_assert_eq(policy_apply(&p, "multiprocessing", r, "r.json", &base, "base\n<b>.json",
				  &r->gates, err, sizeof(err)),
		     0, "%s", err);
	policy_free(&p);
	report_free(&base);
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
	struct report r;
	char *dir = fx_tmp_dir(), *xml;

	gated_report(&r, false);
	xml = fx_render(report_junit_write, &r);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	/* the target, expect, 2 limits, the model, 2 default tolerances */
	cr_assert_eq(count(xml, "<testcase "), 7, "%s", xml);
	cr_assert_eq(count(xml, "<failure "), (size_t)r.gates.nr_failed);
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
	/* hostile strings: escaped, and no byte XML cannot carry */
	cr_assert_null(strstr(xml, "<script"));
	cr_assert_not_null(strstr(xml, "&lt;script&gt;"));
	cr_assert_not_null(strstr(xml, "ci/&lt;policy&gt;.json"));
	cr_assert_not_null(strstr(xml, "base&#10;&lt;b&gt;.json"), "newline in an attribute");
	for (const unsigned char *p = (const unsigned char *)xml; *p; p++)
		cr_assert(*p >= 0x20 || *p == '\n' || *p == '\t', "control byte %#x", *p);
	free(xml);

	/* a failed target is an <error>, still valid */
	r.profile.exit_code = 3;
	xml = fx_render(report_junit_write, &r);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_not_null(strstr(xml, "<error message=\"target exited with status 3\" "
				       "type=\"target\">"));
	cr_assert_not_null(strstr(xml, "errors=\"1\""));
	free(xml);
	report_free(&r);

	/* no gate at all: only the target */
	fx_report(&r, MODEL_ASYNC, 0.9, 1);
	xml = fx_render(report_junit_write, &r);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_eq(count(xml, "<testcase "), 1);
	free(xml);

	/* attached: no target either; an empty suite is still valid */
	r.profile.attached = true;
	xml = fx_render(report_junit_write, &r);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	cr_assert_eq(count(xml, "<testcase "), 0);
	free(xml);
	report_free(&r);
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
	struct report r;
	char *dir = fx_tmp_dir(), *xml;

	gated_report(&r, true);
	xml = fx_render(report_junit_write, &r);
	cr_assert_eq(xmllint(dir, xml), 0, "%s", xml);
	/* run 3 exited 3 */
	cr_assert_not_null(strstr(xml, "run 3 of 3: target exited with status 3"), "%s", xml);
	cr_assert_not_null(strstr(xml, "<property name=\"agreement\" value=\"2/3\"/>"), "%s", xml);
	free(xml);
	report_free(&r);
	fx_rm_tree(dir);
	free(dir);
}

Test(markdown, summary_with_gates_and_inert_strings)
{
	struct report r;
	char *md, *line, *end;

	gated_report(&r, false);
	md = fx_render(report_markdown_write, &r);
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
	report_free(&r);

	/* no gates: the verdict as the title, no gate table */
	fx_report(&r, MODEL_ASYNC, 0.9, 1);
	md = fx_render(report_markdown_write, &r);
	cr_assert_eq(strncmp(md, "# advisor: async\n", 17), 0, "%s", md);
	cr_assert_null(strstr(md, "## Gates"));
	free(md);
	report_free(&r);
}

Test(markdown, repeated_runs_show_medians)
{
	struct report r;
	char *md;

	gated_report(&r, true);
	md = fx_render(report_markdown_write, &r);
	cr_assert_not_null(strstr(md, "2/3 runs agree"), "%s", md);
	cr_assert_not_null(
	    strstr(md, "| io_fraction | 0.1 | io\\_bound\\_min 0.5 | 0.2 (0.1 to 0.3) |"), "%s",
	    md);
	cr_assert_not_null(strstr(md, "**FAILED**: run 3 of 3: exited with status 3"), "%s", md);
	free(md);
	report_free(&r);
}

/* Written, read and written again: the same text, valid against the report's schema. */
Test(report_gates, json_round_trip_and_schema)
{
	for (int repeat = 0; repeat < 2; repeat++) {
		struct report x, y;
		char *dir = fx_tmp_dir(), *a, *b, *path, *cmd, err[512] = "";

		gated_report(&x, repeat);
		a = fx_render(report_json_write, &x);
		path = fx_put_file(dir, "r.json", a);
		cr_assert_eq(report_json_read(path, &y, err, sizeof(err)), 0, "%s", err);
		b = fx_render(report_json_write, &y);
		cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);
		cr_assert_eq(y.gates.nr, x.gates.nr);
		cr_assert_eq(y.gates.nr_failed, x.gates.nr_failed);
		cr_assert_str_eq(y.gates.baseline, "base\n<b>.json");
		cr_assert_eq(y.repeat.runs, repeat ? 3 : 0);
		if (repeat) {
			cr_assert(isnan(y.repeat.metrics[0].values[1]));
			cr_assert_eq(y.repeat.metrics[1].median, 250001000);
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
		report_free(&x);
		report_free(&y);
		free(a);
		free(b);
		free(path);
		fx_rm_tree(dir);
		free(dir);
	}
}

Test(report_gates, broken_gates_and_repeat_are_refused)
{
	static const struct {
		const char *from, *to, *want;
	} cases[] = {
	    {"\"kind\": \"expect\"", "\"kind\": \"guess\"", "key 'gates.rules[0].kind' must be"},
	    {"\"runs\": 3,", "\"runs\": 1,", "key 'repeat.runs' must be at least 2"},
	    {"\"values\": [0.1, null, 0.3]", "\"values\": [0.1, null]",
	     "key 'repeat.metrics.io_fraction.values' must have one value per run"},
	    {"\"main_run\": 2", "\"main_run\": 5", "key 'repeat.main_run' must be at most 2"},
	    {"\"worse\": \"higher\"", "\"worse\": \"up\"", "must be higher, lower or either"},
	};
	struct report x, y;
	char *a, *dir = fx_tmp_dir();

	gated_report(&x, true);
	a = fx_render(report_json_write, &x);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *at = strstr(a, cases[i].from), *text, *path, err[512] = "";

		cr_assert_not_null(at, "case %zu: '%s' not in the report", i, cases[i].from);
		cr_assert(asprintf(&text, "%.*s%s%s", (int)(at - a), a, cases[i].to,
				   at + strlen(cases[i].from)) > 0);
		path = fx_put_file(dir, "r.json", text);
		cr_assert_eq(report_json_read(path, &y, err, sizeof(err)), -EINVAL, "case %zu", i);
		cr_assert_not_null(strstr(err, cases[i].want), "case %zu: %s", i, err);
		free(text);
		free(path);
	}
	free(a);
	report_free(&x);
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
