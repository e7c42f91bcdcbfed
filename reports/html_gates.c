// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gates and --repeat parts of the HTML report (issue 9): a headline
 * (passed, or FAILED with how many), a table of every rule, the changes
 * against the baseline, and how the repeated runs agreed, with each metric's
 * median and range. Shown only when a gate ran or the command was repeated.
 *
 * Paths, file names and messages can come from a policy or a saved report:
 * everything that is not a number formatted here goes through html_escape().
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "html.h"

/* Rows of the per-run table; the JSON report has them all. */
#define RUN_ROWS 50

#define DASH "\u2013"

bool html_has_gates(const struct report *r)
{
	return r->gates.evaluated || r->repeat.runs > 0;
}

static const char *model_text(enum model m)
{
	return (unsigned int)m < NR_MODELS && model_names[m] ? model_names[m] : "unknown";
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

/* A value for people: a duration for an _ns path, else a short number; "–" when not one. */
static const char *fmt_value(char *buf, size_t len, const char *path, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, DASH);
	else if (is_ns_path(path) && v >= 0 && v < 9e18)
		html_fmt_ns(buf, len, (__u64)llround(v));
	else
		gate_fmt_short(buf, len, v);
	return buf;
}

/* A change for people: "+1.25 ms", "−0.1"; without a sign when 0. */
static const char *fmt_delta(char *buf, size_t len, const char *path, double d)
{
	char a[HTML_NS_LEN];

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
	char a[HTML_NS_LEN], b[32];

	if (!isfinite(v)) {
		fputs("<td class=\"num dim\" title=\"not a number\">" DASH "</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" title=\"%s\">%s</td>", gate_fmt_number(b, sizeof(b), v),
		fmt_value(a, sizeof(a), path, v));
}

/* For a metric in nanoseconds, what was measured, or the limit, as durations. */
static void put_limit_durations(FILE *f, const struct gate_rule *g, bool bounds)
{
	char a[HTML_NS_LEN], b[HTML_NS_LEN];

	if (g->kind == GATE_CHANGE && !bounds && is_ns_path(g->path) && isfinite(g->old) &&
	    isfinite(g->value)) {
		fprintf(f, "<span class=\"sub\">%s \u2192 %s</span>",
			fmt_value(a, sizeof(a), g->path, g->old),
			fmt_value(b, sizeof(b), g->path, g->value));
		return;
	}
	if (g->kind != GATE_LIMIT || !is_ns_path(g->path))
		return;
	if (!bounds) {
		if (isfinite(g->value))
			fprintf(f, "<span class=\"sub\">%s</span>",
				fmt_value(a, sizeof(a), g->path, g->value));
		return;
	}
	if (isfinite(g->min) && isfinite(g->max))
		fprintf(f, "<span class=\"sub\">%s to %s</span>",
			fmt_value(a, sizeof(a), g->path, g->min),
			fmt_value(b, sizeof(b), g->path, g->max));
	else if (isfinite(g->min))
		fprintf(f, "<span class=\"sub\">at least %s</span>",
			fmt_value(a, sizeof(a), g->path, g->min));
	else if (isfinite(g->max))
		fprintf(f, "<span class=\"sub\">at most %s</span>",
			fmt_value(a, sizeof(a), g->path, g->max));
}

/* A metric path, with a line break allowed after each dot and before each bracket. */
static void put_path(FILE *f, const char *path, size_t len)
{
	size_t n = strnlen(path, len);

	while (n) {
		size_t k = strcspn(path, ".[");

		if (k > n)
			k = n;
		if (path[k] == '.' && k < n)
			k++;
		html_escape_n(f, path, k);
		path += k;
		n -= k;
		if (n)
			fputs("<wbr>", f);
		if (n && *path == '[') {
			size_t b = strcspn(path, "]");

			b = b < n ? b + 1 : n;
			html_escape_n(f, path, b);
			path += b;
			n -= b;
		}
	}
}

/* "limit time.cpu_ns" as the kind over the metric, so a long path keeps its own line. */
static void put_rule_title(FILE *f, const struct gate_rule *g)
{
	char buf[GATE_PATH_LEN + 96];
	const char *title = gate_rule_title(g, buf, sizeof(buf));
	size_t kind = strcspn(title, " ");

	fputs("<td class=\"rule\"><span class=\"sub\">", f);
	html_escape_n(f, title, kind);
	fputs("</span><code>", f);
	put_path(f, title[kind] ? title + kind + 1 : "", SIZE_MAX);
	fputs("</code></td>", f);
}

static void put_rules(FILE *f, const struct gate_results *gr)
{
	char buf[GATE_PATH_LEN + 96];

	fputs("<div class=\"tw\"><table class=\"sortable gate-rules\" id=\"gate-rules\"><thead><tr>"
	      "<th>Result</th><th>Rule</th><th>Measured</th><th>Limit</th><th>Message</th>"
	      "</tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < gr->nr; i++) {
		const struct gate_rule *g = &gr->rules[i];

		fputs(g->passed ? "<tr>" : "<tr class=\"failed\">", f);
		put_result(f, g->passed);
		put_rule_title(f, g);
		fputs("<td class=\"val\">", f);
		html_escape(f, gate_rule_measured(g, buf, sizeof(buf)));
		put_limit_durations(f, g, false);
		fputs("</td><td class=\"val\">", f);
		html_escape(f, gate_rule_limit(g, buf, sizeof(buf)));
		put_limit_durations(f, g, true);
		fputs("</td><td class=\"msg\">", f);
		html_escape_n(f, g->message, sizeof(g->message));
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
}

static void put_change_row(FILE *f, const struct gate_rule *g)
{
	char a[HTML_NS_LEN + 8], b[HTML_NS_LEN + 8];

	fputs(g->passed ? "<tr>" : "<tr class=\"failed\">", f);
	if (g->kind == GATE_MODEL) {
		bool same = !strcmp(g->want, g->got);

		fputs("<td class=\"rule\"><code>verdict.model</code></td><td class=\"num\"><b>", f);
		html_escape_n(f, g->want, sizeof(g->want));
		fputs("</b></td><td class=\"num\"><b>", f);
		html_escape_n(f, g->got, sizeof(g->got));
		fprintf(f, "</b></td><td class=\"num%s\">%s</td><td class=\"num\">unchanged</td>",
			same ? " dim" : "", same ? "none" : "changed");
		put_result(f, g->passed);
		fputs("</tr>", f);
		return;
	}
	fputs("<td class=\"rule\"><code>", f);
	put_path(f, g->path, sizeof(g->path));
	fputs("</code></td>", f);
	td_value(f, g->path, g->old);
	td_value(f, g->path, g->value);
	if (!isfinite(g->old) || !isfinite(g->value)) {
		fputs("<td class=\"num dim\">not comparable</td>", f);
	} else if (g->old == g->value) {
		fputs("<td class=\"num dim\">none</td>", f);
	} else {
		double d = g->value - g->old;

		fprintf(f, "<td class=\"num\">%s", fmt_delta(a, sizeof(a), g->path, d));
		if (g->old != 0)
			fprintf(f, "<span class=\"sub\">%s%.1f%%</span>",
				d > 0 ? "+" : "\u2212", 100 * fabs(d) / fabs(g->old));
		fputs("</td>", f);
	}
	if (!isfinite(g->allowed)) {
		fputs("<td class=\"num dim\">" DASH "</td>", f);
	} else {
		const char *sign = g->worse == GATE_WORSE_HIGHER  ? "+" :
				   g->worse == GATE_WORSE_LOWER ? "\u2212" :
								  "\u00b1";

		fprintf(f, "<td class=\"num\">%s%s<span class=\"sub\">%s</span></td>", sign,
			fmt_value(b, sizeof(b), g->path, g->allowed),
			g->worse == GATE_WORSE_HIGHER  ? "higher is worse" :
			g->worse == GATE_WORSE_LOWER ? "lower is worse" :
							 "either way");
	}
	put_result(f, g->passed);
	fputs("</tr>", f);
}

static void put_changes(FILE *f, const struct gate_results *gr)
{
	size_t n = 0;

	for (size_t i = 0; i < gr->nr; i++)
		if (gr->rules[i].kind == GATE_MODEL || gr->rules[i].kind == GATE_CHANGE)
			n++;
	if (!n)
		return;
	fputs("<h3 id=\"baseline-changes\">Changes against the baseline</h3>"
	      "<p class=\"lede\">Each metric of this run against the saved report; a move past "
	      "the allowed change in the bad direction fails.</p>"
	      "<div class=\"tw\"><table class=\"baseline\" id=\"baseline\"><thead><tr>"
	      "<th>Metric</th><th class=\"num\">Old</th><th class=\"num\">New</th>"
	      "<th class=\"num\">Change</th><th class=\"num\">Allowed</th><th>Result</th>"
	      "</tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < gr->nr; i++)
		if (gr->rules[i].kind == GATE_MODEL || gr->rules[i].kind == GATE_CHANGE)
			put_change_row(f, &gr->rules[i]);
	fputs("</tbody></table></div>", f);
}

/* "Expected multiprocessing; policy FILE; baseline FILE." */
static void put_asked(FILE *f, const struct gate_results *gr)
{
	const char *sep = "";

	if (!gr->expect[0] && !gr->policy[0] && !gr->baseline[0])
		return;
	fputs("<p class=\"lede\" id=\"gates-asked\">", f);
	if (gr->expect[0]) {
		fputs("Expected <b>", f);
		html_escape_n(f, gr->expect, sizeof(gr->expect));
		fputs("</b>", f);
		sep = "; ";
	}
	if (gr->policy[0]) {
		fprintf(f, "%s%s <code>", sep, *sep ? "policy" : "Policy");
		html_escape_n(f, gr->policy, sizeof(gr->policy));
		fputs("</code>", f);
		sep = "; ";
	}
	if (gr->baseline[0]) {
		fprintf(f, "%s%s <code>", sep, *sep ? "baseline" : "Baseline");
		html_escape_n(f, gr->baseline, sizeof(gr->baseline));
		fputs("</code>", f);
	}
	fputs(".</p>", f);
}

static void put_exit(FILE *f, const struct repeat_run *run)
{
	if (run->signal)
		fprintf(f, "<td class=\"bad-text\" data-v=\"%d\">killed by signal %d</td>",
			128 + run->signal, run->signal);
	else if (!run->exited)
		fputs("<td class=\"dim\" data-v=\"-1\">did not exit</td>", f);
	else if (run->exit_code)
		fprintf(f, "<td class=\"bad-text\" data-v=\"%d\">exit %d</td>", run->exit_code,
			run->exit_code);
	else
		fputs("<td class=\"dim\" data-v=\"0\">exit 0</td>", f);
}

/* The drivers, then whatever else was repeated, in the order the summary has them. */
static const char *const driver_paths[] = { "io_fraction", "wait_p50_ns", "peak_open",
					    "busy_threads" };
#define NR_DRIVER_PATHS (sizeof(driver_paths) / sizeof(driver_paths[0]))

static void put_runs(FILE *f, const struct repeat_summary *s)
{
	const struct repeat_metric *m[NR_DRIVER_PATHS];
	unsigned int n = s->runs < RUN_ROWS ? s->runs : RUN_ROWS;

	fputs("<div class=\"tw\"><table class=\"sortable\" id=\"repeat-runs\"><thead><tr>"
	      "<th class=\"num\">Run</th><th>Verdict</th><th class=\"num\">Confidence</th>"
	      "<th>Target</th>",
	      f);
	for (size_t k = 0; k < NR_DRIVER_PATHS; k++) {
		m[k] = repeat_metric_find(s, driver_paths[k]);
		if (m[k])
			fprintf(f, "<th class=\"num\"><code>%s</code></th>", driver_paths[k]);
	}
	fputs("</tr></thead><tbody>", f);
	for (unsigned int i = 0; i < n; i++) {
		const struct repeat_run *run = &s->per_run[i];

		fprintf(f, "<tr%s><td class=\"num\" data-v=\"%u\">%u%s</td><td>%s</td>",
			i == s->main_run ? " class=\"shown\"" : "", i + 1, i + 1,
			i == s->main_run ? "<span class=\"tag\">shown</span>" : "",
			model_text(run->model));
		fprintf(f, "<td class=\"num\" data-v=\"%.4f\">%.0f%%</td>", run->confidence,
			run->confidence * 100);
		put_exit(f, run);
		for (size_t k = 0; k < NR_DRIVER_PATHS; k++)
			if (m[k])
				td_value(f, m[k]->path, m[k]->values ? m[k]->values[i] : NAN);
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
	if (s->runs > n)
		fprintf(f, "<p class=\"lede\">%u more runs are in the JSON report.</p>", s->runs - n);
}

static void put_metrics(FILE *f, const struct repeat_summary *s)
{
	if (!s->nr_metrics)
		return;
	fputs("<div class=\"tw\"><table class=\"fit\" id=\"repeat-metrics\"><thead><tr><th>Metric</th>"
	      "<th class=\"num\">Median</th><th class=\"num\">Min</th><th class=\"num\">Max</th>"
	      "</tr></thead><tbody>",
	      f);
	for (size_t k = 0; k < s->nr_metrics; k++) {
		const struct repeat_metric *m = &s->metrics[k];

		fputs("<tr><td class=\"rule\"><code>", f);
		put_path(f, m->path, sizeof(m->path));
		fputs("</code></td>", f);
		td_value(f, m->path, m->median);
		td_value(f, m->path, m->min);
		td_value(f, m->path, m->max);
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
}

static void put_repeat(FILE *f, const struct report *r, bool own_heading)
{
	const struct repeat_summary *s = &r->repeat;
	char agree[32];
	const char *sep = "";

	fprintf(f, "<%s id=\"repeat\">Repeated runs</%s>", own_heading ? "h2" : "h3",
		own_heading ? "h2" : "h3");
	fprintf(f, "<p class=\"lede\" id=\"repeat-agreement\"><b>%s runs agree</b> on %s (",
		report_agreement(r, agree, sizeof(agree)), model_text(r->verdict.model));
	for (int m = 0; m < NR_MODELS; m++) {
		if (!s->counts[m])
			continue;
		fprintf(f, "%s%u %s", sep, s->counts[m], model_text(m));
		sep = ", ";
	}
	fprintf(f, "). Run %u of %u is the one this report shows: each driver above gives "
		   "that run's value, then the median (min" DASH "max) over all runs%s.</p>",
		s->main_run + 1, s->runs,
		r->gates.evaluated ? "; the gates held the medians" : "");
	put_runs(f, s);
	put_metrics(f, s);
}

void html_write_gates(FILE *f, const struct report *r)
{
	const struct gate_results *gr = &r->gates;

	if (!html_has_gates(r))
		return;
	fputs("<section id=\"gates\" class=\"gates\">", f);
	if (gr->evaluated) {
		bool ok = !gr->nr_failed;

		fprintf(f, "<h2 class=\"g-head %s\" id=\"gates-head\">", ok ? "pass" : "fail");
		if (ok)
			fprintf(f, "<span class=\"res pass\">\u2713</span>Gates passed "
				   "<span class=\"dim\">(%zu of %zu)</span>",
				gr->nr, gr->nr);
		else
			fprintf(f, "<span class=\"res fail\">\u2717</span>Gates FAILED "
				   "(%zu of %zu)",
				gr->nr_failed, gr->nr);
		fputs("</h2>", f);
		put_asked(f, gr);
		if (gr->nr)
			put_rules(f, gr);
		put_changes(f, gr);
	}
	if (r->repeat.runs)
		put_repeat(f, r, !gr->evaluated);
	fputs("</section>\n", f);
}

const char *html_fmt_repeated(char *buf, size_t len, const struct report *r, const char *path,
			      enum html_unit unit)
{
	const struct repeat_metric *m = repeat_metric_find(&r->repeat, path);
	double v[3];
	char b[3][HTML_NS_LEN];

	if (!r->repeat.runs || !m)
		return NULL;
	v[0] = m->median;
	v[1] = m->min;
	v[2] = m->max;
	for (int i = 0; i < 3; i++) {
		if (!isfinite(v[i]))
			snprintf(b[i], sizeof(b[i]), "?");
		else if (unit == HTML_UNIT_PERCENT)
			snprintf(b[i], sizeof(b[i]), "%.1f%%", v[i] * 100);
		else if (unit == HTML_UNIT_NS)
			fmt_value(b[i], sizeof(b[i]), "_ns", v[i]);
		else if (unit == HTML_UNIT_COUNT && v[i] >= 0 && v[i] < 9e18)
			html_fmt_count(b[i], sizeof(b[i]), (__u64)llround(v[i]));
		else
			snprintf(b[i], sizeof(b[i]), "%.1f", v[i]);
	}
	snprintf(buf, len, "median %s (%s" DASH "%s)", b[0], b[1], b[2]);
	return buf;
}
