// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The few lines `advisor run` leaves on stderr when no report was asked for:
 * the verdict, what drove it, and where the time went. Every string of the
 * document goes through text_terminal_put(): a report read back from a file
 * can hold anything, and no control character may reach the terminal.
 */
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "gate_text.h"
#include "report.h"
#include "text.h"

static void put_text(FILE *f, const char *s)
{
	text_terminal_put(f, s, strlen(s));
}

/* The verdict's model, safe as it is: "?" unless it is one of the models. */
static const char *model_of(const struct json_object *doc)
{
	const char *m = doc_model(doc, "verdict.model");

	return m ? m : "?";
}

/* A metric's value in its unit, judged from the name the decision gave it. */
static const char *fmt_metric(char *buf, size_t len, const char *metric, double v)
{
	size_t n = strlen(metric);

	/* a driver that was not measured (connections not counted) is null */
	if (v != v) {
		snprintf(buf, len, "not counted");
		return buf;
	}
	if (n > 3 && !strcmp(metric + n - 3, "_ns"))
		return fmt_ns(buf, len, v);
	if (n > 3 && !strcmp(metric + n - 3, "_ms"))
		return fmt_ns(buf, len, v * 1e6);
	snprintf(buf, len, "%.3g", v);
	return buf;
}

static void put_exit(FILE *f, const struct json_object *doc)
{
	int sig = doc_int(doc, "target.signal", 0);

	if (!doc_bool(doc, "target.exited"))
		fprintf(f, "target %s",
			doc_bool(doc, "attached") ? "still running" : "did not exit");
	else if (sig)
		fprintf(f, "target killed by signal %d (%s)", sig, strsignal(sig));
	else
		fprintf(f, "target exited with status %d",
			(int)doc_int(doc, "target.exit_code", 0));
}

const char *report_agreement(const struct json_object *doc, char *buf, size_t len)
{
	unsigned long long agree = 1, runs = 1;
	struct json_object *repeat = doc_get(doc, "repeat");

	if (json_object_is_type(repeat, json_type_object)) {
		struct json_object *counts = doc_get(repeat, "verdicts"), *n;

		runs = doc_u64(repeat, "runs");
		agree = 0;
		/* the model is a key of its own: doc_get() would split a dotted one */
		if (json_object_is_type(counts, json_type_object) &&
		    json_object_object_get_ex(counts, doc_str(doc, "verdict.model"), &n))
			agree = doc_u64(n, "");
	}
	snprintf(buf, len, "%llu/%llu", agree, runs);
	return buf;
}

/*
 * One run ended badly: killed, or exited non-zero (its exit code is -1 while
 * it runs, which is no failure). Its code and signal into *code and *sig.
 */
static bool run_failed(const struct json_object *run, int *code, int *sig)
{
	*code = doc_int(run, "exit_code", 0);
	*sig = doc_int(run, "signal", 0);
	return *sig || (doc_bool(run, "exited") && *code > 0);
}

bool report_target_failed(const struct json_object *doc, unsigned int *first, int *code, int *sig)
{
	struct json_object *repeat = doc_get(doc, "repeat");
	int c = 0, s = 0;
	bool failed = false;

	*first = 0;
	if (doc_bool(doc, "attached") || doc_bool(doc, "stopped_at_duration"))
		goto out;
	if (!json_object_is_type(repeat, json_type_object)) {
		failed = run_failed(doc_get(doc, "target"), &c, &s);
		goto out;
	}
	for (size_t i = 0; i < doc_len(repeat, "per_run") && !failed; i++) {
		failed = run_failed(doc_at(repeat, "per_run", i), &c, &s);
		if (failed)
			*first = i;
	}
out:
	if (code)
		*code = failed ? c : 0;
	if (sig)
		*sig = failed ? s : 0;
	return failed;
}

/* The metric's median and range over the runs; digits: decimals, -1 for a duration. */
static void put_repeated(FILE *f, const struct json_object *doc, const char *path, int digits)
{
	struct json_object *m = doc_repeated(doc, path);
	double median = doc_double(m, "median"), min = doc_double(m, "min");
	double max = doc_double(m, "max");
	char a[FMT_LEN], b[FMT_LEN], c[FMT_LEN];

	if (!m)
		return;
	if (digits < 0)
		fprintf(f, "%s %s (%s..%s)", path, fmt_ns(a, sizeof(a), median),
			fmt_ns(b, sizeof(b), min), fmt_ns(c, sizeof(c), max));
	else
		fprintf(f, "%s %.*f (%.*f..%.*f)", path, digits, median, digits, min, digits, max);
}

static void put_repeat(FILE *f, const struct json_object *doc)
{
	struct json_object *counts = doc_get(doc, "repeat.verdicts");
	bool first = true;

	fprintf(f, "  runs:      %llu;", (unsigned long long)doc_u64(doc, "repeat.runs"));
	for (size_t i = 0; i < DOC_NR_MODELS; i++) {
		__u64 count = doc_u64(counts, doc_model_names[i]);

		if (!count)
			continue;
		fprintf(f, "%s %s %llu", first ? "" : ",", doc_model_names[i], (unsigned long long)count);
		first = false;
	}
	fprintf(f, "; below, run %llu (nearest the median io_fraction)\n",
		(unsigned long long)doc_u64(doc, "repeat.main_run") + 1);
	fputs("  medians:   ", f);
	put_repeated(f, doc, "io_fraction", 2);
	fputs(", ", f);
	put_repeated(f, doc, "wait_p50_ns", -1);
	fputs(",\n             ", f);
	put_repeated(f, doc, "peak_open", 0);
	fputs(", ", f);
	put_repeated(f, doc, "busy_threads", 1);
	fputc('\n', f);
}

static void put_path(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "verdict.path");
	char a[FMT_LEN], b[FMT_LEN];

	for (size_t i = 0; i < n; i++) {
		struct json_object *node = doc_at(doc, "verdict.path", i);
		const char *metric = doc_str(node, "metric");

		fputs(i ? "             " : "  path:      ", f);
		put_text(f, metric);
		fprintf(f, " %s (threshold %s) -> ",
			fmt_metric(a, sizeof(a), metric, doc_double(node, "value")),
			fmt_metric(b, sizeof(b), metric, doc_double(node, "threshold")));
		put_text(f, doc_str(node, "branch"));
		fputc('\n', f);
	}
}

/* The phases, when the verdict judged the steady one: each with its model. */
static void put_phases(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "verdict.phases");
	char a[FMT_LEN], b[FMT_LEN];

	for (size_t i = 0; i < n; i++) {
		struct json_object *ph = doc_at(doc, "verdict.phases", i);

		fputs(i ? "             " : "  phases:    ", f);
		put_text(f, doc_str(ph, "kind"));
		fprintf(f, " %s to %s: ", fmt_ns(a, sizeof(a), (double)doc_u64(ph, "start_ns")),
			fmt_ns(b, sizeof(b), (double)doc_u64(ph, "end_ns")));
		put_text(f, doc_model_or_unknown(ph, "model"));
		fprintf(f, " (io_fraction %.2f)%s\n", doc_double(ph, "io_fraction"),
			doc_bool(ph, "judged") ? ", judged" : "");
	}
	if (n) {
		fputs("             whole run: ", f);
		put_text(f, doc_model_or_unknown(doc, "verdict.whole_run.model"));
		fprintf(f, " (io_fraction %.2f)\n", doc_double(doc, "verdict.whole_run.io_fraction"));
	}
}

void report_summary_write(FILE *f, const struct json_object *doc)
{
	const char *reason = doc_str(doc, "verdict.inconclusive_reason");
	const char *now = doc_str(doc, "verdict.current_model");
	const char *runtime = doc_str(doc, "verdict.runtime");
	const char *advice = doc_str(doc, "verdict.advice");
	const char *why = doc_str(doc, "verdict.rationale");
	bool repeat = json_object_is_type(doc_get(doc, "repeat"), json_type_object);
	__u64 dropped = doc_u64(doc, "overhead.dropped");
	char a[FMT_LEN], b[FMT_LEN], c[FMT_LEN], d[FMT_LEN];

	fprintf(f, "advisor: verdict: %s (confidence %.2f)", model_of(doc),
		doc_double(doc, "verdict.confidence"));
	if (reason[0]) {
		fputs(", ", f);
		put_text(f, reason);
	}
	if (repeat)
		fprintf(f, ", %s runs agree", report_agreement(doc, a, sizeof(a)));
	fputc('\n', f);
	if (repeat)
		put_repeat(f, doc);

	fputs("  model:     ", f);
	put_text(f, now[0] ? now : "unknown");
	fprintf(f, " -> %s%s", model_of(doc),
		doc_bool(doc, "verdict.already_fits") ? " (already fits)" : "");
	if (runtime[0]) {
		fputs(", runtime ", f);
		put_text(f, runtime);
	}
	fputc('\n', f);
	if (advice[0]) {
		fputs("  advice:    ", f);
		put_text(f, advice);
		fputc('\n', f);
	}

	fprintf(f,
		"  drivers:   io_fraction %.2f, wait_p50 %s, peak_open %llu, busy_threads %.1f\n",
		doc_double(doc, "verdict.drivers.io_fraction"),
		fmt_ns(a, sizeof(a), (double)doc_u64(doc, "verdict.drivers.wait_p50_ns")),
		(unsigned long long)doc_u64(doc, "verdict.drivers.peak_open"),
		doc_double(doc, "verdict.drivers.busy_threads"));
	put_phases(f, doc);
	put_path(f, doc);
	if (why[0]) {
		fputs("  why:       ", f);
		put_text(f, why);
		fputc('\n', f);
	}

	fprintf(f, "  time:      cpu %s, runq %s, io %s in %s wall; ",
		fmt_ns(a, sizeof(a), (double)doc_u64(doc, "time.cpu_ns")),
		fmt_ns(b, sizeof(b), (double)doc_u64(doc, "time.runq_ns")),
		fmt_ns(c, sizeof(c), (double)doc_io_ns(doc_get(doc, "time"))),
		fmt_ns(d, sizeof(d), (double)doc_u64(doc, "duration_ns")));
	put_exit(f, doc);
	fputc('\n', f);
	if (dropped)
		fprintf(f, "  warning:   %llu events were dropped; the numbers are low\n",
			(unsigned long long)dropped);
}

void report_gates_write(FILE *f, const struct json_object *doc, bool failed_only)
{
	struct json_object *gates = doc_get(doc, "gates");
	size_t n = doc_len(gates, "rules");
	size_t failed = gate_text_failed(gates);
	char title[GATE_TEXT_LEN];

	if (!json_object_is_type(gates, json_type_object))
		return;
	if (failed)
		fprintf(f, "advisor: gates: %zu of %zu failed\n", failed, n);
	else if (failed_only)
		return;
	else
		fprintf(f, "advisor: gates: all %zu passed\n", n);
	for (size_t i = 0; i < n; i++) {
		struct json_object *rule = doc_at(gates, "rules", i);
		bool passed = doc_bool(rule, "passed");

		if (failed_only && passed)
			continue;
		fprintf(f, "  %s  ", passed ? "pass" : "FAIL");
		put_text(f, gate_text_title(rule, title, sizeof(title)));
		fputs(": ", f);
		put_text(f, doc_str(rule, "message"));
		fputc('\n', f);
	}
}
