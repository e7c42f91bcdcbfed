// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A Markdown summary for a CI page (-o summary.md; GitHub's job summary,
 * GitLab's merge request notes): the verdict, its drivers, the gates in a
 * table with pass or fail, and the changes against the baseline.
 *
 * Text from the target or a saved report (comm, argv, messages) goes through
 * text_md_escape(), which makes it inert and keeps it in its table cell or
 * line.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "gate_text.h"
#include "report.h"
#include "text.h"

static void md(FILE *f, const char *s)
{
	text_md_escape(f, s);
}

/* The verdict's model, safe as it is: "?" unless it is one of the models. */
static const char *model_of(const struct json_object *doc)
{
	const char *m = doc_model(doc, "verdict.model");

	return m ? m : "?";
}

static bool has(const struct json_object *doc, const char *key)
{
	return json_object_is_type(doc_get(doc, key), json_type_object);
}

/* Whether a rule compares with the baseline: a row of the changes table. */
static bool is_change(const struct json_object *rule)
{
	enum gate_text_kind kind = gate_text_kind(rule);

	return kind == GATE_TEXT_MODEL || kind == GATE_TEXT_CHANGE;
}

static void put_header(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "gates.rules");
	size_t failed = gate_text_failed(doc_get(doc, "gates"));

	if (!has(doc, "gates"))
		fprintf(f, "# advisor: %s\n\n", model_of(doc));
	else if (failed)
		fprintf(f, "# advisor: gates FAILED (%zu of %zu)\n\n", failed, n);
	else
		fprintf(f, "# advisor: gates passed (%zu of %zu)\n\n", n, n);
}

static void put_target(FILE *f, const struct json_object *doc)
{
	unsigned int first;
	int code, sig;

	fputs("**Target:** ", f);
	if (doc_bool(doc, "attached")) {
		fputs("attached to a running process\n", f);
	} else if (doc_bool(doc, "stopped_at_duration")) {
		fputs("stopped at --duration\n", f);
	} else if (report_target_failed(doc, &first, &code, &sig)) {
		fputs("**FAILED**: ", f);
		if (has(doc, "repeat"))
			fprintf(f, "run %u of %llu: ", first + 1,
				(unsigned long long)doc_u64(doc, "repeat.runs"));
		if (sig)
			fprintf(f, "killed by signal %d\n", sig);
		else
			fprintf(f, "exited with status %d\n", code);
	} else if (doc_bool(doc, "target.exited")) {
		fprintf(f, "exited with status %d\n", (int)doc_int(doc, "target.exit_code", 0));
	} else {
		fputs("did not exit\n", f);
	}
}

static void put_verdict(FILE *f, const struct json_object *doc)
{
	const char *reason = doc_str(doc, "verdict.inconclusive_reason");
	const char *now = doc_str(doc, "verdict.current_model");
	const char *runtime = doc_str(doc, "verdict.runtime");
	const char *advice = doc_str(doc, "verdict.advice");
	const char *why = doc_str(doc, "verdict.rationale");
	size_t nr_command = doc_len(doc, "command");
	char buf[FMT_LEN];

	fprintf(f, "**Verdict:** %s (confidence %.2f", model_of(doc),
		doc_double(doc, "verdict.confidence"));
	if (has(doc, "repeat"))
		fprintf(f, "; %s runs agree", report_agreement(doc, buf, sizeof(buf)));
	fputs(")", f);
	if (reason[0]) {
		fputs(", ", f);
		md(f, reason);
	}
	fputs("  \n**Command:** ", f);
	for (size_t i = 0; i < nr_command; i++) {
		if (i)
			fputc(' ', f);
		md(f, doc_str(doc_at(doc, "command", i), ""));
	}
	fputs("  \n", f);
	put_target(f, doc);
	if (now[0] || runtime[0]) {
		fputs("\n**Now:** ", f);
		md(f, now[0] ? now : "unknown");
		if (runtime[0]) {
			fputs(", runtime ", f);
			md(f, runtime);
		}
		fputs(doc_bool(doc, "verdict.already_fits") ? " (already fits)\n" : "\n", f);
	}
	if (advice[0]) {
		fputs("\n**Advice:** ", f);
		md(f, advice);
		fputc('\n', f);
	}
	if (why[0]) {
		fputs("\n**Why:** ", f);
		md(f, why);
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* A number for the drivers table: a duration, or a short number. */
static const char *fmt_driver(char *buf, size_t len, double v, bool ns)
{
	return ns ? fmt_ns(buf, len, v) : fmt_short(buf, len, v);
}

/*
 * One driver row; ns: the value is a duration. The repeated metric is a key
 * of its own in repeat.metrics, looked up whole.
 */
static void driver_row(FILE *f, const struct json_object *doc, const char *name,
		       const char *threshold, bool ns)
{
	struct json_object *metrics = doc_get(doc, "repeat.metrics"), *m = NULL;
	char key[64], a[FMT_LEN], b[FMT_LEN], c[FMT_LEN];

	snprintf(key, sizeof(key), "verdict.drivers.%s", name);
	fprintf(f, "| %s | %s | %s |", name, fmt_driver(a, sizeof(a), doc_double(doc, key), ns),
		threshold);
	if (has(doc, "repeat")) {
		if (!json_object_is_type(metrics, json_type_object) ||
		    !json_object_object_get_ex(metrics, name, &m))
			fputs(" |", f);
		else
			fprintf(f, " %s (%s to %s) |",
				fmt_driver(a, sizeof(a), doc_double(m, "median"), ns),
				fmt_driver(b, sizeof(b), doc_double(m, "min"), ns),
				fmt_driver(c, sizeof(c), doc_double(m, "max"), ns));
	}
	fputc('\n', f);
}

static void put_drivers(FILE *f, const struct json_object *doc)
{
	bool repeat = has(doc, "repeat");
	unsigned long long runs = doc_u64(doc, "repeat.runs");
	char a[64], b[FMT_LEN], c[FMT_LEN], d[FMT_LEN];

	fputs("## Drivers\n\n", f);
	if (repeat)
		fprintf(f, "Run %llu of %llu is shown; the last column is over all %llu runs.\n\n",
			(unsigned long long)doc_u64(doc, "repeat.main_run") + 1, runs, runs);
	fprintf(f, "| driver | value | threshold |%s\n|---|---|---|%s\n",
		repeat ? " median (min to max) |" : "", repeat ? "---|" : "");
	snprintf(a, sizeof(a), "io\\_bound\\_min %s",
		 fmt_number(b, sizeof(b), doc_double(doc, "thresholds.io_bound_min")));
	driver_row(f, doc, "io_fraction", a, false);
	snprintf(a, sizeof(a), "slow\\_wait\\_ms %s",
		 fmt_number(b, sizeof(b), doc_double(doc, "thresholds.slow_wait_ms")));
	driver_row(f, doc, "wait_p50_ns", a, true);
	snprintf(a, sizeof(a), "many\\_conns %s",
		 fmt_number(b, sizeof(b), doc_double(doc, "thresholds.many_conns")));
	driver_row(f, doc, "peak_open", a, false);
	driver_row(f, doc, "busy_threads", "", false);

	fprintf(f, "\nTime: cpu %s, runq %s, io %s in %s wall.\n\n",
		fmt_ns(a, sizeof(a), (double)doc_u64(doc, "time.cpu_ns")),
		fmt_ns(b, sizeof(b), (double)doc_u64(doc, "time.runq_ns")),
		fmt_ns(c, sizeof(c), (double)doc_io_ns(doc_get(doc, "time"))),
		fmt_ns(d, sizeof(d), (double)doc_u64(doc, "duration_ns")));
}

/* The phases, when the verdict judged the steady one. */
static void put_phases(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "verdict.phases");
	char a[FMT_LEN], b[FMT_LEN];

	if (!n)
		return;
	fputs("## Phases\n\nThe verdict judges the steady phase; the run as a whole reads as ", f);
	md(f, doc_model_or_unknown(doc, "verdict.whole_run.model"));
	fprintf(f, " (io\\_fraction %.2f).\n\n", doc_double(doc, "verdict.whole_run.io_fraction"));
	fputs("| phase | from | to | io\\_fraction | cpus used | busy threads | model |\n"
	      "|---|---|---|---|---|---|---|\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *ph = doc_at(doc, "verdict.phases", i);

		fputs("| ", f);
		md(f, doc_str(ph, "kind"));
		fprintf(f, "%s | %s | %s | %.2f | %.2f | %.2f | ", doc_bool(ph, "judged") ? " (judged)" : "",
			fmt_ns(a, sizeof(a), (double)doc_u64(ph, "start_ns")),
			fmt_ns(b, sizeof(b), (double)doc_u64(ph, "end_ns")),
			doc_double(ph, "io_fraction"), doc_double(ph, "cpu_used"),
			doc_double(ph, "busy_threads"));
		md(f, doc_model_or_unknown(ph, "model"));
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

/* The findings: where the drivers' time is in the code, as a short table. */
static void put_findings(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "verdict.findings");
	char a[FMT_LEN], b[FMT_LEN];

	if (!n)
		return;
	fputs("## Findings\n\n| share | time | of | call | in | at |\n|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		struct json_object *fd = doc_at(doc, "verdict.findings", i);
		const char *file = doc_str(fd, "file"), *slash = strrchr(file, '/');

		fprintf(f, "| %s | %s | ", fmt_pct(a, sizeof(a), doc_double(fd, "share")),
			fmt_ns(b, sizeof(b), (double)doc_u64(fd, "time_ns")));
		md(f, doc_str(fd, "driver"));
		if (strcmp(doc_str(fd, "driver"), doc_str(fd, "cause"))) {
			fputc(' ', f);
			md(f, doc_str(fd, "cause"));
		}
		fputs(" | ", f);
		md(f, doc_str(fd, "leaf")[0] ? doc_str(fd, "leaf") : "?");
		fputs(" | ", f);
		md(f, doc_str(fd, "function")[0] ? doc_str(fd, "function") : "?");
		fputs(" | ", f);
		if (file[0]) {
			md(f, slash ? slash + 1 : file);
			fprintf(f, ":%lld", doc_int(fd, "line", 0));
		} else {
			const char *mod = doc_str(fd, "module"), *ms = strrchr(mod, '/');

			md(f, ms ? ms + 1 : mod);
		}
		fputs(" |\n", f);
	}
	fputc('\n', f);
}

static const char *result_of(const struct json_object *rule)
{
	return doc_bool(rule, "passed") ? "pass" : "**FAIL**";
}

static void put_rule_row(FILE *f, const struct json_object *rule)
{
	char buf[GATE_TEXT_LEN];

	fprintf(f, "| %s | ", result_of(rule));
	md(f, gate_text_title(rule, buf, sizeof(buf)));
	fputs(" | ", f);
	md(f, gate_text_measured(rule, buf, sizeof(buf)));
	fputs(" | ", f);
	md(f, gate_text_limit(rule, buf, sizeof(buf)));
	fputs(" | ", f);
	md(f, doc_str(rule, "message"));
	fputs(" |\n", f);
}

/* "Expected multiprocessing; policy FILE; baseline FILE." */
static void put_asked(FILE *f, const struct json_object *gates)
{
	const char *expect = doc_str(gates, "expect"), *policy = doc_str(gates, "policy");
	const char *baseline = doc_str(gates, "baseline");
	bool first = true;

	if (!expect[0] && !policy[0] && !baseline[0])
		return;
	if (expect[0]) {
		fputs("Expected ", f);
		md(f, expect);
		first = false;
	}
	if (policy[0]) {
		fputs(first ? "Policy " : "; policy ", f);
		md(f, policy);
		first = false;
	}
	if (baseline[0]) {
		fputs(first ? "Baseline " : "; baseline ", f);
		md(f, baseline);
	}
	fputs(".\n\n", f);
}

static void put_change_row(FILE *f, const struct json_object *rule)
{
	char a[FMT_LEN], b[FMT_LEN], d[GATE_TEXT_LEN];
	double old, new;

	if (gate_text_kind(rule) == GATE_TEXT_MODEL) {
		fputs("| model | ", f);
		md(f, doc_str(rule, "old"));
		fputs(" | ", f);
		md(f, doc_str(rule, "new"));
		fprintf(f, " | %s | unchanged | %s |\n",
			strcmp(doc_str(rule, "old"), doc_str(rule, "new")) ? "changed" : "none",
			result_of(rule));
		return;
	}
	old = doc_double(rule, "old");
	new = doc_double(rule, "new");
	fputs("| ", f);
	md(f, doc_str(rule, "path"));
	fprintf(f, " | %s | %s | ", fmt_number(a, sizeof(a), old), fmt_number(b, sizeof(b), new));
	if (isnan(old) || isnan(new)) {
		fputs("not comparable", f);
	} else if (old == new) {
		fputs("none", f);
	} else {
		double delta = new - old;

		fmt_number(d, sizeof(d), delta);
		fprintf(f, "%s%s", delta > 0 ? "+" : "", d);
		if (old != 0)
			fprintf(f, ", %+.1f%%", 100 * delta / fabs(old));
	}
	fputs(" | ", f);
	md(f, gate_text_limit(rule, d, sizeof(d)));
	fprintf(f, " | %s |\n", result_of(rule));
}

static void put_gates(FILE *f, const struct json_object *doc)
{
	struct json_object *gates = doc_get(doc, "gates");
	size_t n = doc_len(gates, "rules"), changes = 0;

	if (!has(doc, "gates"))
		return;
	fputs("## Gates\n\n", f);
	put_asked(f, gates);
	fputs("| result | rule | measured | limit | message |\n|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		put_rule_row(f, doc_at(gates, "rules", i));
		changes += is_change(doc_at(gates, "rules", i));
	}
	fputc('\n', f);
	if (!changes)
		return;

	fputs("## Changes against the baseline\n\n", f);
	fputs("| metric | old | new | change | allowed | result |\n|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++)
		if (is_change(doc_at(gates, "rules", i)))
			put_change_row(f, doc_at(gates, "rules", i));
	fputc('\n', f);
}

int report_markdown_write(FILE *f, const struct json_object *doc)
{
	put_header(f, doc);
	put_verdict(f, doc);
	put_drivers(f, doc);
	put_phases(f, doc);
	put_findings(f, doc);
	put_gates(f, doc);
	return ferror(f) ? -EIO : 0;
}
