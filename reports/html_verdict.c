// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verdict and how it was reached, the first two sections of the HTML
 * report: the model and its confidence, the move from the program's current
 * model, the advice, the drivers against their thresholds, then the
 * decision tree and the path the decision took. All of it from the
 * document's "verdict" and "thresholds".
 */
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "html.h"
#include "report.h"
#include "text.h"

static const char *inconclusive_text(const char *reason)
{
	static const char *const texts[][2] = {
		{ "asleep", "the program was mostly asleep" },
		{ "children", "the program mostly waited for its child processes" },
		{ "locks", "the program mostly waited on locks" },
		{ "too-short", "the run was too short to judge" },
		{ "idle", "the program did almost nothing" },
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!strcmp(reason, texts[i][0]))
			return texts[i][1];
	return NULL;
}

/* A fraction as a percentage to one decimal ("78.0%"); "?" when it is not a number. */
static void put_pct1(FILE *f, double share)
{
	if (isfinite(share))
		fprintf(f, "%.1f%%", share * 100);
	else
		fputs("?", f);
}

/* A threshold to whole units ("64", or "50%" with pct); "?" when it is not a number. */
static void put_whole(FILE *f, double v, bool pct)
{
	if (isfinite(v))
		fprintf(f, pct ? "%.0f%%" : "%.0f", pct ? v * 100 : v);
	else
		fputs("?", f);
}

/* A driver's median and range over the repeated runs, under its value. */
static void put_repeated_dd(FILE *f, const struct json_object *doc, const char *path,
			    enum html_unit unit)
{
	char buf[HTML_REPEATED_LEN];

	if (html_fmt_repeated(buf, sizeof(buf), doc, path, unit))
		fprintf(f, "<dd class=\"sub rep\">%s</dd>", buf);
}

/* A target that failed is said first: the profile and the gates are of a failed run. */
static void put_target_failed(FILE *f, const struct json_object *doc)
{
	unsigned int first;
	__u64 runs = doc_u64(doc, "repeat.runs");

	if (!report_target_failed(doc, &first, NULL, NULL))
		return;
	fputs("<p class=\"note\" id=\"target-failed\"><b>The target failed:</b> ", f);
	if (runs) {
		fprintf(f, "run %u of %llu ", first + 1, (unsigned long long)runs);
		html_put_exit(f, doc_at(doc, "repeat.per_run", first));
	} else {
		fputs("it ", f);
		html_put_exit(f, doc_get(doc, "target"));
	}
	fputs(". What follows is what advisor measured of that run.</p>", f);
}

static bool conns_counted(const struct json_object *doc)
{
	return doc_bool(doc, "connections.tcp_counted") ||
	       doc_bool(doc, "connections.unix_counted");
}

/* The head of the verdict: the model, the confidence and how repeated runs agreed. */
static void put_verdict_top(FILE *f, const struct json_object *doc, const char *model)
{
	double conf = doc_double(doc, "verdict.confidence");
	char rep[HTML_REPEATED_LEN];

	/* a confidence that is not a number is none */
	conf = !(conf > 0) ? 0 : conf > 1 ? 1 : conf;
	fputs("<div class=\"v-top\"><div><span class=\"v-label\">Verdict</span>", f);
	fprintf(f, "<h1 class=\"v-model\" id=\"verdict-model\">%s</h1></div>", model);
	fprintf(f, "<div class=\"conf\"><span class=\"v-label\">Confidence %.0f%%</span>"
		   "<span class=\"meter\" role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"100\" "
		   "aria-valuenow=\"%.0f\"><span style=\"width:%.1f%%\"></span></span>",
		conf * 100, conf * 100, conf * 100);
	if (html_fmt_repeated(rep, sizeof(rep), doc, "verdict.confidence", HTML_UNIT_PERCENT))
		fprintf(f, "<span class=\"sub\">%s</span>", rep);
	fputs("</div>", f);
	if (doc_u64(doc, "repeat.runs")) {
		char agree[32];

		fprintf(f, "<div class=\"v-runs\" id=\"agreement\"><span class=\"v-label\">"
			   "Repeated runs</span><span class=\"v-agree\">%s runs agree</span>"
			   "<span class=\"sub\">run %llu shown</span></div>",
			report_agreement(doc, agree, sizeof(agree)),
			(unsigned long long)doc_u64(doc, "repeat.main_run") + 1);
	}
	fputs("</div>", f);
}

/* What the verdict says: why no model fits, the move, the advice, the rationale. */
static void put_verdict_text(FILE *f, const struct json_object *doc, const char *model)
{
	bool inconclusive = !strcmp(model, "inconclusive");
	bool fits = doc_bool(doc, "verdict.already_fits");
	const char *reason = doc_str(doc, "verdict.inconclusive_reason");
	const char *current = doc_str(doc, "verdict.current_model");
	const char *advice = doc_str(doc, "verdict.advice");
	const char *rationale = doc_str(doc, "verdict.rationale");

	if (inconclusive) {
		const char *why = inconclusive_text(reason);

		fputs("<p class=\"note\" id=\"inconclusive\"><b>No model fits this run:</b> ", f);
		if (why)
			fputs(why, f);
		else if (*reason)
			text_html_escape(f, reason);
		else
			fputs("the measured profile does not say", f);
		fputs(".</p>", f);
	}
	if (*current && !inconclusive) {
		fputs("<p class=\"v-move\"><b>", f);
		text_html_escape(f, current);
		if (fits)
			fprintf(f, "</b> already fits <b>%s</b>"
				   "<span class=\"pill\">no change</span>",
				model);
		else
			fprintf(f, "</b><span class=\"arrow\" aria-label=\"to\">\u2192</span>"
				   "<b>%s</b>",
				model);
		fputs("</p>", f);
	}
	if (*advice) {
		char move[128];
		int n;

		/* the line above already says "X → Y": keep only what to do */
		n = snprintf(move, sizeof(move), "from %.32s to %s: ", current, model);
		if (!fits && n > 0 && (size_t)n < sizeof(move) && !strncmp(advice, move, n) &&
		    advice[n])
			advice += n;
		fputs("<p class=\"v-advice\">", f);
		text_html_escape(f, advice);
		fputs("</p>", f);
	}
	if (*rationale) {
		fputs("<p class=\"v-rationale\">", f);
		text_html_escape(f, rationale);
		fputs("</p>", f);
	}
	if (doc_u64(doc, "overhead.dropped"))
		fprintf(f,
			"<p class=\"note\"><b>%llu events were dropped.</b> The times below are "
			"lower bounds and the verdict is less certain.</p>",
			(unsigned long long)doc_u64(doc, "overhead.dropped"));
}

/* The drivers of the decision, each against its threshold. */
static void put_kpis(FILE *f, const struct json_object *doc)
{
	double gain = doc_double(doc, "verdict.speedup_bound");
	double busy = doc_double(doc, "verdict.drivers.busy_threads");

	fputs("<dl class=\"kpis\">", f);
	fputs("<div><dt>I/O share of busy time</dt><dd>", f);
	put_pct1(f, doc_double(doc, "verdict.drivers.io_fraction"));
	fputs("</dd><dd class=\"sub\">I/O-bound from ", f);
	put_whole(f, doc_double(doc, "thresholds.io_bound_min"), true);
	fputs("</dd>", f);
	put_repeated_dd(f, doc, "io_fraction", HTML_UNIT_PERCENT);
	fputs("</div><div><dt>Median I/O wait</dt><dd>", f);
	html_put_ns(f, doc_u64(doc, "verdict.drivers.wait_p50_ns"));
	fputs("</dd><dd class=\"sub\">slow from ", f);
	html_put_ns(f, html_slow_wait_ns(doc));
	fputs("</dd>", f);
	put_repeated_dd(f, doc, "wait_p50_ns", HTML_UNIT_NS);
	fputs("</div>", f);
	fputs("<div><dt>Peak open connections</dt><dd>", f);
	if (conns_counted(doc))
		html_put_count(f, doc_u64(doc, "verdict.drivers.peak_open"));
	else
		fputs("not counted", f);
	fputs("</dd><dd class=\"sub\">many from ", f);
	put_whole(f, doc_double(doc, "thresholds.many_conns"), false);
	fputs("</dd>", f);
	put_repeated_dd(f, doc, "peak_open", HTML_UNIT_COUNT);
	fputs("</div><div><dt>Gain bound</dt><dd>", f);
	if (gain > 0)
		fprintf(f, "<small>up to</small> %.1f\u00d7", gain);
	else
		fputs("\u2014", f);
	fputs("</dd><dd class=\"sub\">faster, at most</dd></div>", f);
	fputs("<div><dt>Threads busy at once</dt><dd>", f);
	if (isfinite(busy))
		fprintf(f, "%.1f", busy);
	else
		fputs("?", f);
	fprintf(f, "</dd><dd class=\"sub\">on average, of %lld CPUs</dd>",
		doc_int(doc, "host.cpus", 0));
	put_repeated_dd(f, doc, "busy_threads", HTML_UNIT_DECIMAL);
	fputs("</div>", f);
	fputs("<div><dt>Runtime</dt><dd>", f);
	html_put_runtime(f, doc_str(doc, "verdict.runtime"));
	fputs("</dd></div></dl>", f);
}

void html_write_verdict(FILE *f, const struct json_object *doc)
{
	const char *model = html_model(doc);
	const char *gain_basis = doc_str(doc, "verdict.speedup_basis");
	const char *conf_basis = doc_str(doc, "verdict.confidence_basis");

	fprintf(f, "<section id=\"verdict\" class=\"verdict m-%s\" "
		   "aria-labelledby=\"verdict-model\">",
		model);
	put_verdict_top(f, doc, model);
	put_target_failed(f, doc);
	put_verdict_text(f, doc, model);
	put_kpis(f, doc);
	if (*gain_basis) {
		fputs("<p class=\"basis\" id=\"gain-basis\"><b>Gain bound:</b> ", f);
		text_html_escape(f, gain_basis);
		fputs("</p>", f);
	}
	if (*conf_basis) {
		fputs("<p class=\"basis\"><b>Confidence:</b> ", f);
		text_html_escape(f, conf_basis);
		fputs("</p>", f);
	}
	fputs("</section>\n", f);
}

/* A number of the decision's path to three significant digits; "?" when it is not one. */
static void put_g3(FILE *f, double v)
{
	if (isfinite(v))
		fprintf(f, "%.3g", v);
	else
		fputs("?", f);
}

/* The phases, when the verdict judged the steady one: each with its own drivers. */
static void put_phases(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "verdict.phases");
	char a[FMT_LEN], b[FMT_LEN];

	if (!n)
		return;
	fputs("<h3>Phases</h3><p>The verdict judges the steady phase; the run as a whole reads "
	      "as <b>",
	      f);
	text_html_escape(f, doc_model_or_unknown(doc, "verdict.whole_run.model"));
	fprintf(f, "</b> (io_fraction %.2f).</p>", doc_double(doc, "verdict.whole_run.io_fraction"));
	fputs("<div class=\"tw\"><table id=\"phases\"><thead><tr><th>Phase</th><th>From</th>"
	      "<th>To</th><th>io_fraction</th><th>CPUs used</th><th>Busy threads</th>"
	      "<th>Model</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *ph = doc_at(doc, "verdict.phases", i);

		fputs(doc_bool(ph, "judged") ? "<tr class=\"judged\"><td>" : "<tr><td>", f);
		text_html_escape(f, doc_str(ph, "kind"));
		fprintf(f, "%s</td><td>%s</td><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f</td><td>",
			doc_bool(ph, "judged") ? " (judged)" : "",
			fmt_ns(a, sizeof(a), (double)doc_u64(ph, "start_ns")),
			fmt_ns(b, sizeof(b), (double)doc_u64(ph, "end_ns")),
			doc_double(ph, "io_fraction"), doc_double(ph, "cpu_used"),
			doc_double(ph, "busy_threads"));
		text_html_escape(f, doc_model_or_unknown(ph, "model"));
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
}

void html_write_decision(FILE *f, const struct json_object *doc)
{
	size_t nr_path = doc_len(doc, "verdict.path");

	fputs("<section id=\"decision\"><h2>How the verdict was reached</h2>"
	      "<p class=\"lede\">The decision tree with each node's measured value against its "
	      "threshold",
	      f);
	if (!strcmp(html_model(doc), "inconclusive"))
		fputs("; no path is highlighted because the run was inconclusive.</p>", f);
	else
		fputs("; the path taken is highlighted.</p>", f);
	fputs("<figure id=\"decision-tree\">", f);
	html_svg_tree(f, doc);
	fputs("</figure>", f);
	if (nr_path) {
		fputs("<ol class=\"path\" id=\"decision-path\">", f);
		for (size_t i = 0; i < nr_path; i++) {
			struct json_object *n = doc_at(doc, "verdict.path", i);

			fputs("<li><code>", f);
			text_html_escape(f, doc_str(n, "metric"));
			fputs("</code> = ", f);
			put_g3(f, doc_double(n, "value"));
			fputs(" against ", f);
			put_g3(f, doc_double(n, "threshold"));
			fputs(" \u2192 <b>", f);
			text_html_escape(f, doc_str(n, "branch"));
			fputs("</b></li>", f);
		}
		fputs("</ol>", f);
	}
	put_phases(f, doc);
	fputs("</section>\n", f);
}
