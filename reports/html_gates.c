// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gates and --repeat parts of the HTML report (issue 9): a headline
 * (passed, or FAILED with how many), a table of every rule, the changes
 * against the baseline, and how the repeated runs agreed, with each metric's
 * median and range. Shown only when a gate ran or the command was repeated.
 *
 * Paths, file names and messages can come from a policy or a saved report:
 * everything that is not a number formatted here goes through text_html_escape().
 */
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "gate_text.h"
#include "html.h"
#include "report.h"
#include "text.h"

/* Rows of the per-run table; the JSON report has them all. */
#define RUN_ROWS 50

#define DASH "\u2013"

static bool has(const struct json_object *doc, const char *key)
{
	return json_object_is_type(doc_get(doc, key), json_type_object);
}

bool html_has_gates(const struct json_object *doc)
{
	return has(doc, "gates") || has(doc, "repeat");
}

/* A model of the document, safe unescaped: one of the four, else "unknown". */
static const char *model_text(const char *m)
{
	for (size_t i = 0; i < DOC_NR_MODELS; i++)
		if (!strcmp(m, doc_model_names[i]))
			return doc_model_names[i];
	return "unknown";
}

/*
 * A metric path that holds nanoseconds: a key of it, not a selector's value
 * in brackets, ends in "_ns" ("duration_ns", "time.blocked_ns.net",
 * "syscalls[name=read].max_ns").
 */
static bool is_ns_path(const char *path)
{
	int depth = 0;

	for (const char *c = path; *c; c++) {
		if (*c == '[')
			depth++;
		else if (*c == ']' && depth)
			depth--;
		else if (!depth && !strncmp(c, "_ns", 3) &&
			 (c[3] == '\0' || c[3] == '.' || c[3] == '['))
			return true;
	}
	return false;
}

/*
 * A value for people: a duration for an _ns path (in whole nanoseconds, as
 * the report counts them), else a short number; "–" when not one.
 */
static const char *fmt_value(char *buf, size_t len, const char *path, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, DASH);
	else if (is_ns_path(path) && v >= 0 && v < 9e18)
		fmt_ns(buf, len, (double)llround(v));
	else
		fmt_short(buf, len, v);
	return buf;
}

/* A change for people: "+1.25 ms", "−0.1"; without a sign when 0. */
static const char *fmt_change(char *buf, size_t len, const char *path, double d)
{
	char a[FMT_LEN];

	fmt_value(a, sizeof(a), path, fabs(d));
	snprintf(buf, len, "%s%s", d > 0 ? "+" : d < 0 ? "\u2212" : "", a);
	return buf;
}

static void put_result(FILE *f, bool passed)
{
	fprintf(f, "<td data-v=\"%d\"><span class=\"res %s\">%s</span></td>", passed ? 1 : 0,
		passed ? "pass" : "fail", passed ? "\u2713 pass" : "\u2717 FAIL");
}

/* A cell with a value; its exact number in the tooltip. */
static void td_value(FILE *f, const char *path, double v)
{
	char a[FMT_LEN], b[FMT_LEN];

	if (!isfinite(v)) {
		fputs("<td class=\"num dim\" title=\"not a number\">" DASH "</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" title=\"%s\">%s</td>", fmt_number(b, sizeof(b), v),
		fmt_value(a, sizeof(a), path, v));
}

/* For a metric in nanoseconds, what was measured, or the limit, as durations. */
static void put_limit_durations(FILE *f, const struct json_object *rule, bool bounds)
{
	enum gate_text_kind kind = gate_text_kind(rule);
	const char *path = doc_str(rule, "path");
	char a[FMT_LEN], b[FMT_LEN];
	double old, value, min, max;

	if (kind == GATE_TEXT_CHANGE && !bounds && is_ns_path(path)) {
		old = doc_double(rule, "old");
		value = doc_double(rule, "new");
		if (isfinite(old) && isfinite(value)) {
			fprintf(f, "<span class=\"sub\">%s \u2192 %s</span>",
				fmt_value(a, sizeof(a), path, old),
				fmt_value(b, sizeof(b), path, value));
			return;
		}
	}
	if (kind != GATE_TEXT_LIMIT || !is_ns_path(path))
		return;
	if (!bounds) {
		value = doc_double(rule, "value");
		if (isfinite(value))
			fprintf(f, "<span class=\"sub\">%s</span>",
				fmt_value(a, sizeof(a), path, value));
		return;
	}
	min = doc_double(rule, "min");
	max = doc_double(rule, "max");
	if (isfinite(min) && isfinite(max))
		fprintf(f, "<span class=\"sub\">%s to %s</span>",
			fmt_value(a, sizeof(a), path, min), fmt_value(b, sizeof(b), path, max));
	else if (isfinite(min))
		fprintf(f, "<span class=\"sub\">at least %s</span>",
			fmt_value(a, sizeof(a), path, min));
	else if (isfinite(max))
		fprintf(f, "<span class=\"sub\">at most %s</span>",
			fmt_value(a, sizeof(a), path, max));
}

/* A metric path, with a line break allowed after each dot and before each bracket. */
static void put_path(FILE *f, const char *path)
{
	size_t n = strlen(path);

	while (n) {
		size_t k = strcspn(path, ".[");

		if (k > n)
			k = n;
		if (path[k] == '.' && k < n)
			k++;
		text_html_escape_n(f, path, k);
		path += k;
		n -= k;
		if (n)
			fputs("<wbr>", f);
		if (n && *path == '[') {
			size_t b = strcspn(path, "]");

			b = b < n ? b + 1 : n;
			text_html_escape_n(f, path, b);
			path += b;
			n -= b;
		}
	}
}

/* "limit time.cpu_ns" as the kind over the metric, so a long path keeps its own line. */
static void put_rule_title(FILE *f, const struct json_object *rule)
{
	char buf[GATE_TEXT_LEN];
	const char *title = gate_text_title(rule, buf, sizeof(buf));
	size_t kind = strcspn(title, " ");

	fputs("<td class=\"rule\"><span class=\"sub\">", f);
	text_html_escape_n(f, title, kind);
	fputs("</span><code>", f);
	put_path(f, title[kind] ? title + kind + 1 : "");
	fputs("</code></td>", f);
}

static void put_rules(FILE *f, const struct json_object *gates)
{
	size_t n = doc_len(gates, "rules");
	char buf[GATE_TEXT_LEN];

	fputs("<div class=\"tw\"><table class=\"sortable gate-rules\" id=\"gate-rules\"><thead><tr>"
	      "<th>Result</th><th>Rule</th><th>Measured</th><th>Limit</th><th>Message</th>"
	      "</tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *rule = doc_at(gates, "rules", i);
		bool passed = doc_bool(rule, "passed");

		fputs(passed ? "<tr>" : "<tr class=\"failed\">", f);
		put_result(f, passed);
		put_rule_title(f, rule);
		fputs("<td class=\"val\">", f);
		text_html_escape(f, gate_text_measured(rule, buf, sizeof(buf)));
		put_limit_durations(f, rule, false);
		fputs("</td><td class=\"val\">", f);
		text_html_escape(f, gate_text_limit(rule, buf, sizeof(buf)));
		put_limit_durations(f, rule, true);
		fputs("</td><td class=\"msg\">", f);
		text_html_escape(f, doc_str(rule, "message"));
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
}

static void put_model_row(FILE *f, const struct json_object *rule)
{
	const char *old = doc_str(rule, "old"), *new = doc_str(rule, "new");
	bool same = !strcmp(old, new);

	fputs("<td class=\"rule\"><code>verdict.model</code></td><td class=\"num\"><b>", f);
	text_html_escape(f, old);
	fputs("</b></td><td class=\"num\"><b>", f);
	text_html_escape(f, new);
	fprintf(f, "</b></td><td class=\"num%s\">%s</td><td class=\"num\">unchanged</td>",
		same ? " dim" : "", same ? "none" : "changed");
}

static void put_change_row(FILE *f, const struct json_object *rule)
{
	static const char *const signs[] = {
	    [GATE_TEXT_HIGHER] = "+", [GATE_TEXT_LOWER] = "\u2212", [GATE_TEXT_EITHER] = "\u00b1"};
	static const char *const ways[] = {[GATE_TEXT_HIGHER] = "higher is worse",
					   [GATE_TEXT_LOWER] = "lower is worse",
					   [GATE_TEXT_EITHER] = "either way"};
	const char *path = doc_str(rule, "path");
	double old = doc_double(rule, "old"), value = doc_double(rule, "new");
	double allowed = doc_double(rule, "allowed");
	bool passed = doc_bool(rule, "passed");
	char a[FMT_LEN + 8], b[FMT_LEN + 8];

	fputs(passed ? "<tr>" : "<tr class=\"failed\">", f);
	if (gate_text_kind(rule) == GATE_TEXT_MODEL) {
		put_model_row(f, rule);
		put_result(f, passed);
		fputs("</tr>", f);
		return;
	}
	fputs("<td class=\"rule\"><code>", f);
	put_path(f, path);
	fputs("</code></td>", f);
	td_value(f, path, old);
	td_value(f, path, value);
	if (!isfinite(old) || !isfinite(value)) {
		fputs("<td class=\"num dim\">not comparable</td>", f);
	} else if (old == value) {
		fputs("<td class=\"num dim\">none</td>", f);
	} else {
		double d = value - old;

		fprintf(f, "<td class=\"num\">%s", fmt_change(a, sizeof(a), path, d));
		if (old != 0)
			fprintf(f, "<span class=\"sub\">%s%.1f%%</span>", d > 0 ? "+" : "\u2212",
				100 * fabs(d) / fabs(old));
		fputs("</td>", f);
	}
	if (!isfinite(allowed)) {
		fputs("<td class=\"num dim\">" DASH "</td>", f);
	} else {
		enum gate_text_worse worse = gate_text_worse(rule);

		fprintf(f, "<td class=\"num\">%s%s<span class=\"sub\">%s</span></td>", signs[worse],
			fmt_value(b, sizeof(b), path, allowed), ways[worse]);
	}
	put_result(f, passed);
	fputs("</tr>", f);
}

static bool is_change(const struct json_object *rule)
{
	enum gate_text_kind kind = gate_text_kind(rule);

	return kind == GATE_TEXT_MODEL || kind == GATE_TEXT_CHANGE;
}

static void put_changes(FILE *f, const struct json_object *gates)
{
	size_t n = doc_len(gates, "rules"), changes = 0;

	for (size_t i = 0; i < n; i++)
		changes += is_change(doc_at(gates, "rules", i));
	if (!changes)
		return;
	fputs("<h3 id=\"baseline-changes\">Changes against the baseline</h3>"
	      "<p class=\"lede\">Each metric of this run against the saved report; a move past "
	      "the allowed change in the bad direction fails.</p>"
	      "<div class=\"tw\"><table class=\"baseline\" id=\"baseline\"><thead><tr>"
	      "<th>Metric</th><th class=\"num\">Old</th><th class=\"num\">New</th>"
	      "<th class=\"num\">Change</th><th class=\"num\">Allowed</th><th>Result</th>"
	      "</tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++)
		if (is_change(doc_at(gates, "rules", i)))
			put_change_row(f, doc_at(gates, "rules", i));
	fputs("</tbody></table></div>", f);
}

/* "Expected multiprocessing; policy FILE; baseline FILE." */
static void put_asked(FILE *f, const struct json_object *gates)
{
	const char *expect = doc_str(gates, "expect"), *policy = doc_str(gates, "policy");
	const char *baseline = doc_str(gates, "baseline");
	const char *sep = "";

	if (!expect[0] && !policy[0] && !baseline[0])
		return;
	fputs("<p class=\"lede\" id=\"gates-asked\">", f);
	if (expect[0]) {
		fputs("Expected <b>", f);
		text_html_escape(f, expect);
		fputs("</b>", f);
		sep = "; ";
	}
	if (policy[0]) {
		fprintf(f, "%s%s <code>", sep, *sep ? "policy" : "Policy");
		text_html_escape(f, policy);
		fputs("</code>", f);
		sep = "; ";
	}
	if (baseline[0]) {
		fprintf(f, "%s%s <code>", sep, *sep ? "baseline" : "Baseline");
		text_html_escape(f, baseline);
		fputs("</code>", f);
	}
	fputs(".</p>", f);
}

static void put_exit(FILE *f, const struct json_object *run)
{
	int sig = doc_int(run, "signal", 0), code = doc_int(run, "exit_code", 0);

	if (sig)
		fprintf(f, "<td class=\"bad-text\" data-v=\"%d\">killed by signal %d</td>",
			128 + sig, sig);
	else if (!doc_bool(run, "exited"))
		fputs("<td class=\"dim\" data-v=\"-1\">did not exit</td>", f);
	else if (code)
		fprintf(f, "<td class=\"bad-text\" data-v=\"%d\">exit %d</td>", code, code);
	else
		fputs("<td class=\"dim\" data-v=\"0\">exit 0</td>", f);
}

/* The drivers, then whatever else was repeated, in the order the summary has them. */
static const char *const driver_paths[] = {"io_fraction", "wait_p50_ns", "peak_open",
					   "busy_threads"};
#define NR_DRIVER_PATHS (sizeof(driver_paths) / sizeof(driver_paths[0]))

static void put_runs(FILE *f, const struct json_object *doc)
{
	struct json_object *repeat = doc_get(doc, "repeat"), *m[NR_DRIVER_PATHS];
	size_t runs = doc_len(repeat, "per_run"), n = runs < RUN_ROWS ? runs : RUN_ROWS;
	__u64 main_run = doc_u64(repeat, "main_run");

	fputs("<div class=\"tw\"><table class=\"sortable\" id=\"repeat-runs\"><thead><tr>"
	      "<th class=\"num\">Run</th><th>Verdict</th><th class=\"num\">Confidence</th>"
	      "<th>Target</th>",
	      f);
	for (size_t k = 0; k < NR_DRIVER_PATHS; k++) {
		m[k] = doc_repeated(doc, driver_paths[k]);
		if (m[k])
			fprintf(f, "<th class=\"num\"><code>%s</code></th>", driver_paths[k]);
	}
	fputs("</tr></thead><tbody>", f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *run = doc_at(repeat, "per_run", i);
		double confidence = doc_double(run, "confidence");

		fprintf(f, "<tr%s><td class=\"num\" data-v=\"%zu\">%zu%s</td><td>%s</td>",
			i == main_run ? " class=\"shown\"" : "", i + 1, i + 1,
			i == main_run ? "<span class=\"tag\">shown</span>" : "",
			model_text(doc_str(run, "model")));
		if (confidence == confidence)
			fprintf(f, "<td class=\"num\" data-v=\"%.4f\">%.0f%%</td>", confidence,
				confidence * 100);
		else
			fputs("<td class=\"num dim\" data-v=\"0\">?</td>", f);
		put_exit(f, run);
		for (size_t k = 0; k < NR_DRIVER_PATHS; k++)
			if (m[k])
				td_value(f, driver_paths[k],
					 doc_double(doc_at(m[k], "values", i), ""));
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
	if (runs > n)
		fprintf(f, "<p class=\"lede\">%zu more runs are in the JSON report.</p>", runs - n);
}

static void put_metrics(FILE *f, const struct json_object *doc)
{
	struct json_object *metrics = doc_get(doc, "repeat.metrics");

	if (!json_object_is_type(metrics, json_type_object) || !json_object_object_length(metrics))
		return;
	fputs("<div class=\"tw\"><table class=\"fit\" "
	      "id=\"repeat-metrics\"><thead><tr><th>Metric</th>"
	      "<th class=\"num\">Median</th><th class=\"num\">Min</th><th class=\"num\">Max</th>"
	      "</tr></thead><tbody>",
	      f);
	json_object_object_foreach(metrics, path, m)
	{
		fputs("<tr><td class=\"rule\"><code>", f);
		put_path(f, path);
		fputs("</code></td>", f);
		td_value(f, path, doc_double(m, "median"));
		td_value(f, path, doc_double(m, "min"));
		td_value(f, path, doc_double(m, "max"));
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
}

static void put_repeat(FILE *f, const struct json_object *doc, bool own_heading)
{
	struct json_object *verdicts = doc_get(doc, "repeat.verdicts");
	char agree[FMT_LEN];
	const char *sep = "";

	fprintf(f, "<%s id=\"repeat\">Repeated runs</%s>", own_heading ? "h2" : "h3",
		own_heading ? "h2" : "h3");
	fprintf(f, "<p class=\"lede\" id=\"repeat-agreement\"><b>%s runs agree</b> on %s (",
		report_agreement(doc, agree, sizeof(agree)), html_model(doc));
	for (size_t i = 0; i < DOC_NR_MODELS; i++) {
		__u64 count = doc_u64(verdicts, doc_model_names[i]);

		if (!count)
			continue;
		fprintf(f, "%s%llu %s", sep, (unsigned long long)count, doc_model_names[i]);
		sep = ", ";
	}
	fprintf(f,
		"). Run %llu of %llu is the one this report shows: each driver above gives "
		"that run's value, then the median (min" DASH "max) over all runs%s.</p>",
		(unsigned long long)doc_u64(doc, "repeat.main_run") + 1,
		(unsigned long long)doc_u64(doc, "repeat.runs"),
		has(doc, "gates") ? "; the gates held the medians" : "");
	put_runs(f, doc);
	put_metrics(f, doc);
}

void html_write_gates(FILE *f, const struct json_object *doc)
{
	struct json_object *gates = doc_get(doc, "gates");

	if (!html_has_gates(doc))
		return;
	fputs("<section id=\"gates\" class=\"gates\">", f);
	if (has(doc, "gates")) {
		size_t n = doc_len(gates, "rules");
		size_t failed = gate_text_failed(gates);

		fprintf(f, "<h2 class=\"g-head %s\" id=\"gates-head\">", failed ? "fail" : "pass");
		if (!failed)
			fprintf(f,
				"<span class=\"res pass\">\u2713</span>Gates passed "
				"<span class=\"dim\">(%zu of %zu)</span>",
				n, n);
		else
			fprintf(f,
				"<span class=\"res fail\">\u2717</span>Gates FAILED "
				"(%zu of %zu)",
				failed, n);
		fputs("</h2>", f);
		put_asked(f, gates);
		if (n)
			put_rules(f, gates);
		put_changes(f, gates);
	}
	if (has(doc, "repeat"))
		put_repeat(f, doc, !has(doc, "gates"));
	fputs("</section>\n", f);
}

const char *html_fmt_repeated(char *buf, size_t len, const struct json_object *doc,
			      const char *path, enum html_unit unit)
{
	struct json_object *m = doc_repeated(doc, path);
	double v[3];
	char b[3][FMT_LEN];

	if (!has(doc, "repeat") || !m)
		return NULL;
	v[0] = doc_double(m, "median");
	v[1] = doc_double(m, "min");
	v[2] = doc_double(m, "max");
	for (int i = 0; i < 3; i++) {
		if (!isfinite(v[i]))
			snprintf(b[i], sizeof(b[i]), "?");
		else if (unit == HTML_UNIT_PERCENT)
			snprintf(b[i], sizeof(b[i]), "%.1f%%", v[i] * 100);
		else if (unit == HTML_UNIT_NS)
			fmt_value(b[i], sizeof(b[i]), "_ns", v[i]);
		else if (unit == HTML_UNIT_COUNT && v[i] >= 0 && v[i] < 9e18)
			fmt_count(b[i], sizeof(b[i]), (__u64)llround(v[i]));
		else
			snprintf(b[i], sizeof(b[i]), "%.1f", v[i]);
	}
	snprintf(buf, len, "median %s (%s" DASH "%s)", b[0], b[1], b[2]);
	return buf;
}
