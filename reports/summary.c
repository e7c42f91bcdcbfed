// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The few lines `advisor run` leaves on stderr when no report was asked for:
 * the verdict, what drove it, and where the time went.
 */
#include <string.h>

#include "report.h"

const char *report_fmt_ns(char *buf, size_t len, double ns)
{
	if (ns != ns)
		snprintf(buf, len, "?");
	else if (ns < 1e3)
		snprintf(buf, len, "%.0f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.3g us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, len, "%.3g ms", ns / 1e6);
	else
		snprintf(buf, len, "%.3g s", ns / 1e9);
	return buf;
}

#define fmt_ns report_fmt_ns

/* A metric's value in its unit, judged from the name the decision gave it. */
static const char *fmt_metric(char *buf, size_t len, const char *metric, double v)
{
	size_t n = strlen(metric);

	if (n > 3 && !strcmp(metric + n - 3, "_ns"))
		return fmt_ns(buf, len, v);
	if (n > 3 && !strcmp(metric + n - 3, "_ms"))
		return fmt_ns(buf, len, v * 1e6);
	snprintf(buf, len, "%.3g", v);
	return buf;
}

/*
 * Text from the verdict, which a report read back from a file can fill with
 * anything: no control character reaches the terminal.
 */
static void put_text(FILE *f, const char *s, size_t size)
{
	for (size_t i = 0; i < size && s[i]; i++) {
		unsigned char c = s[i];

		fputc(c < 0x20 || c == 0x7f ? '?' : c, f);
	}
}

__u64 report_io_ns(const struct profile_totals *t)
{
	static const int io_causes[] = { CAUSE_NET, CAUSE_DISK, CAUSE_POLL, CAUSE_IPC };
	__u64 sum = 0;

	for (size_t i = 0; i < sizeof(io_causes) / sizeof(io_causes[0]); i++) {
		int c = io_causes[i];

		if (t->blocked_ns[c] > t->internal_ns[c])
			sum += t->blocked_ns[c] - t->internal_ns[c];
	}
	return sum;
}

static void put_exit(FILE *f, const struct profile *p)
{
	if (!p->target_exited)
		fprintf(f, "target %s", p->attached ? "still running" : "did not exit");
	else if (p->signal)
		fprintf(f, "target killed by signal %d (%s)", p->signal, strsignal(p->signal));
	else
		fprintf(f, "target exited with status %d", p->exit_code);
}

const char *report_agreement(const struct report *r, char *buf, size_t len)
{
	const struct repeat_summary *s = &r->repeat;
	unsigned int agree = 1, runs = 1;

	if (s->runs) {
		runs = s->runs;
		agree = (unsigned int)r->verdict.model < NR_MODELS ? s->counts[r->verdict.model] : 0;
	}
	snprintf(buf, len, "%u/%u", agree, runs);
	return buf;
}

static bool run_failed(bool exited, int exit_code, int signal)
{
	return signal || (exited && exit_code > 0);
}

bool report_target_failed(const struct report *r, unsigned int *first)
{
	const struct profile *p = &r->profile;

	*first = 0;
	if (p->attached || p->stopped_at_duration)
		return false;
	if (!r->repeat.runs)
		return run_failed(p->target_exited, p->exit_code, p->signal);
	for (unsigned int i = 0; i < r->repeat.runs; i++) {
		const struct repeat_run *run = &r->repeat.per_run[i];

		if (run_failed(run->exited, run->exit_code, run->signal)) {
			*first = i;
			return true;
		}
	}
	return false;
}

/* The metric's median and range over the runs, when it was repeated. */
/* The metric's median and range over the runs; digits: decimals, -1 for a duration. */
static void put_repeated(FILE *f, const struct report *r, const char *path, int digits)
{
	const struct repeat_metric *m = repeat_metric_find(&r->repeat, path);
	char a[32], b[32], c[32];

	if (!m)
		return;
	if (digits < 0)
		fprintf(f, "%s %s (%s..%s)", path, fmt_ns(a, sizeof(a), m->median),
			fmt_ns(b, sizeof(b), m->min), fmt_ns(c, sizeof(c), m->max));
	else
		fprintf(f, "%s %.*f (%.*f..%.*f)", path, digits, m->median, digits, m->min, digits,
			m->max);
}

static void put_repeat(FILE *f, const struct report *r)
{
	const struct repeat_summary *s = &r->repeat;
	bool first = true;

	fprintf(f, "  runs:      %u;", s->runs);
	for (int m = 0; m < NR_MODELS; m++) {
		if (!s->counts[m])
			continue;
		fprintf(f, "%s %s %u", first ? "" : ",", model_names[m], s->counts[m]);
		first = false;
	}
	fprintf(f, "; below, run %u (nearest the median io_fraction)\n", s->main_run + 1);
	fputs("  medians:   ", f);
	put_repeated(f, r, "io_fraction", 2);
	fputs(", ", f);
	put_repeated(f, r, "wait_p50_ns", -1);
	fputs(",\n             ", f);
	put_repeated(f, r, "peak_open", 0);
	fputs(", ", f);
	put_repeated(f, r, "busy_threads", 1);
	fputc('\n', f);
}

void report_summary_write(FILE *f, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	const struct profile *p = &r->profile;
	struct profile_totals t;
	char a[32], b[32], c[32], d[32];
	const char *model = (unsigned int)v->model < NR_MODELS ? model_names[v->model] : "?";

	fprintf(f, "advisor: verdict: %s (confidence %.2f)", model, v->confidence);
	if (v->inconclusive_reason[0]) {
		fputs(", ", f);
		put_text(f, v->inconclusive_reason, sizeof(v->inconclusive_reason));
	}
	if (r->repeat.runs)
		fprintf(f, ", %s runs agree", report_agreement(r, a, sizeof(a)));
	fputc('\n', f);
	if (r->repeat.runs)
		put_repeat(f, r);

	fputs("  model:     ", f);
	put_text(f, v->current_model[0] ? v->current_model : "unknown", sizeof(v->current_model));
	fprintf(f, " -> %s%s", model, v->already_fits ? " (already fits)" : "");
	if (v->runtime[0]) {
		fputs(", runtime ", f);
		put_text(f, v->runtime, sizeof(v->runtime));
	}
	fputc('\n', f);
	if (v->advice[0]) {
		fputs("  advice:    ", f);
		put_text(f, v->advice, sizeof(v->advice));
		fputc('\n', f);
	}

	fprintf(f, "  drivers:   io_fraction %.2f, wait_p50 %s, peak_open %llu, busy_threads %.1f\n",
		v->io_fraction, fmt_ns(a, sizeof(a), (double)v->wait_p50_ns),
		(unsigned long long)v->peak_open, v->busy_threads);

	for (size_t i = 0; i < v->nr_path && i < MAX_PATH; i++) {
		const struct path_node *n = &v->path[i];

		fputs(i ? "             " : "  path:      ", f);
		put_text(f, n->metric, sizeof(n->metric));
		fprintf(f, " %s (threshold %s) -> ",
			fmt_metric(a, sizeof(a), n->metric, n->value),
			fmt_metric(b, sizeof(b), n->metric, n->threshold));
		put_text(f, n->branch, sizeof(n->branch));
		fputc('\n', f);
	}

	if (v->rationale[0]) {
		fputs("  why:       ", f);
		put_text(f, v->rationale, sizeof(v->rationale));
		fputc('\n', f);
	}

	profile_totals(p, &t);
	fprintf(f, "  time:      cpu %s, runq %s, io %s in %s wall; ",
		fmt_ns(a, sizeof(a), (double)t.cpu_ns), fmt_ns(b, sizeof(b), (double)t.runq_ns),
		fmt_ns(c, sizeof(c), (double)report_io_ns(&t)), fmt_ns(d, sizeof(d), (double)p->duration_ns));
	put_exit(f, p);
	fputc('\n', f);
	if (p->overhead.dropped)
		fprintf(f, "  warning:   %llu events were dropped; the numbers are low\n",
			(unsigned long long)p->overhead.dropped);
}

void report_gates_write(FILE *f, const struct report *r, bool failed_only)
{
	const struct gate_results *gr = &r->gates;
	char title[GATE_PATH_LEN + 32];

	if (!gr->evaluated)
		return;
	if (gr->nr_failed)
		fprintf(f, "advisor: gates: %zu of %zu failed\n", gr->nr_failed, gr->nr);
	else if (failed_only)
		return;
	else
		fprintf(f, "advisor: gates: all %zu passed\n", gr->nr);
	for (size_t i = 0; i < gr->nr; i++) {
		const struct gate_rule *g = &gr->rules[i];

		if (failed_only && g->passed)
			continue;
		fprintf(f, "  %s  ", g->passed ? "pass" : "FAIL");
		gate_rule_title(g, title, sizeof(title));
		put_text(f, title, sizeof(title));
		fputs(": ", f);
		put_text(f, g->message, sizeof(g->message));
		fputc('\n', f);
	}
}
