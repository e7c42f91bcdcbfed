// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A Markdown summary for a CI page (-o summary.md; GitHub's job summary,
 * GitLab's merge request notes): the verdict, its drivers, the gates in a
 * table with pass or fail, and the changes against the baseline.
 *
 * Text from the target or a saved report (comm, argv, messages) is made
 * inert: invalid UTF-8 becomes U+FFFD, every character Markdown or the HTML
 * it may carry gives a meaning to is escaped with a backslash (CommonMark
 * allows that for any ASCII punctuation), line breaks and other controls
 * become spaces so that a value cannot leave its table cell or line, and
 * the bidi controls that can make text read backwards become U+FFFD.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* U+202A..U+202E and U+2066..U+2069, as UTF-8 */
static bool is_bidi_control(const unsigned char *u)
{
	return u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
				(u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9));
}

static void md_put(FILE *f, const char *s, size_t len)
{
	char *clean = report_utf8_sanitize(s ? s : "", len);
	const unsigned char *u = (const unsigned char *)clean;

	if (!clean) {
		fputs(REPLACEMENT, f);
		return;
	}
	for (size_t i = 0; u[i]; i++) {
		unsigned char c = u[i];

		if (c < 0x20 || c == 0x7f) {
			fputc(' ', f);
		} else if (strchr("\\`*_[]<>|#!~&()", c)) {
			fputc('\\', f);
			fputc(c, f);
		} else if (is_bidi_control(u + i)) {
			fputs(REPLACEMENT, f);
			i += 2;
		} else {
			fputc(c, f);
		}
	}
	free(clean);
}

static void md(FILE *f, const char *s)
{
	md_put(f, s, SIZE_MAX);
}

static const char *model_of(enum model m)
{
	return (unsigned int)m < NR_MODELS ? model_names[m] : "?";
}

static void put_header(FILE *f, const struct report *r)
{
	const struct gate_results *gr = &r->gates;

	if (!gr->evaluated)
		fprintf(f, "# advisor: %s\n\n", model_of(r->verdict.model));
	else if (gr->nr_failed)
		fprintf(f, "# advisor: gates FAILED (%zu of %zu)\n\n", gr->nr_failed, gr->nr);
	else
		fprintf(f, "# advisor: gates passed (%zu of %zu)\n\n", gr->nr, gr->nr);
}

static void put_target(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	unsigned int first;

	fputs("**Target:** ", f);
	if (p->attached) {
		fputs("attached to a running process\n", f);
	} else if (p->stopped_at_duration) {
		fputs("stopped at --duration\n", f);
	} else if (report_target_failed(r, &first)) {
		const struct repeat_run *x = r->repeat.runs ? &r->repeat.per_run[first] : NULL;
		int sig = x ? x->signal : p->signal, code = x ? x->exit_code : p->exit_code;

		fputs("**FAILED**: ", f);
		if (x)
			fprintf(f, "run %u of %u: ", first + 1, r->repeat.runs);
		if (sig)
			fprintf(f, "killed by signal %d\n", sig);
		else
			fprintf(f, "exited with status %d\n", code);
	} else if (p->target_exited) {
		fprintf(f, "exited with status %d\n", p->exit_code);
	} else {
		fputs("did not exit\n", f);
	}
}

static void put_verdict(FILE *f, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	const struct profile *p = &r->profile;
	char buf[32];

	fprintf(f, "**Verdict:** %s (confidence %.2f", model_of(v->model), v->confidence);
	if (r->repeat.runs)
		fprintf(f, "; %s runs agree", report_agreement(r, buf, sizeof(buf)));
	fputs(")", f);
	if (v->inconclusive_reason[0]) {
		fputs(", ", f);
		md_put(f, v->inconclusive_reason, sizeof(v->inconclusive_reason));
	}
	fputs("  \n**Command:** ", f);
	for (size_t i = 0; i < p->nr_command; i++) {
		if (i)
			fputc(' ', f);
		md(f, p->command[i]);
	}
	fputs("  \n", f);
	put_target(f, r);
	if (v->current_model[0] || v->runtime[0]) {
		fputs("\n**Now:** ", f);
		md_put(f, v->current_model[0] ? v->current_model : "unknown",
		       sizeof(v->current_model));
		if (v->runtime[0]) {
			fputs(", runtime ", f);
			md_put(f, v->runtime, sizeof(v->runtime));
		}
		fputs(v->already_fits ? " (already fits)\n" : "\n", f);
	}
	if (v->advice[0]) {
		fputs("\n**Advice:** ", f);
		md_put(f, v->advice, sizeof(v->advice));
		fputc('\n', f);
	}
	if (v->rationale[0]) {
		fputs("\n**Why:** ", f);
		md_put(f, v->rationale, sizeof(v->rationale));
		fputc('\n', f);
	}
	fputc('\n', f);
}

/* One driver row; ns: the value is a duration. */
static void driver_row(FILE *f, const struct report *r, const char *name, double value,
		       const char *threshold, bool ns)
{
	const struct repeat_metric *m = repeat_metric_find(&r->repeat, name);
	char a[32], b[32], c[32];

	if (ns)
		fprintf(f, "| %s | %s | %s |", name, report_fmt_ns(a, sizeof(a), value), threshold);
	else
		fprintf(f, "| %s | %s | %s |", name, gate_fmt_short(a, sizeof(a), value),
			threshold);
	if (r->repeat.runs) {
		if (!m)
			fputs(" |", f);
		else if (ns)
			fprintf(f, " %s (%s to %s) |", report_fmt_ns(a, sizeof(a), m->median),
				report_fmt_ns(b, sizeof(b), m->min),
				report_fmt_ns(c, sizeof(c), m->max));
		else
			fprintf(f, " %s (%s to %s) |", gate_fmt_short(a, sizeof(a), m->median),
				gate_fmt_short(b, sizeof(b), m->min),
				gate_fmt_short(c, sizeof(c), m->max));
	}
	fputc('\n', f);
}

static void put_drivers(FILE *f, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	const struct thresholds *t = &r->thresholds;
	struct profile_totals tot;
	char a[64], b[32], c[32], d[32];

	fputs("## Drivers\n\n", f);
	if (r->repeat.runs)
		fprintf(f, "Run %u of %u is shown; the last column is over all %u runs.\n\n",
			r->repeat.main_run + 1, r->repeat.runs, r->repeat.runs);
	fprintf(f, "| driver | value | threshold |%s\n|---|---|---|%s\n",
		r->repeat.runs ? " median (min to max) |" : "", r->repeat.runs ? "---|" : "");
	snprintf(a, sizeof(a), "io\\_bound\\_min %s",
		 gate_fmt_number(b, sizeof(b), t->io_bound_min));
	driver_row(f, r, "io_fraction", v->io_fraction, a, false);
	snprintf(a, sizeof(a), "slow\\_wait\\_ms %s",
		 gate_fmt_number(b, sizeof(b), t->slow_wait_ms));
	driver_row(f, r, "wait_p50_ns", (double)v->wait_p50_ns, a, true);
	snprintf(a, sizeof(a), "many\\_conns %s", gate_fmt_number(b, sizeof(b), t->many_conns));
	driver_row(f, r, "peak_open", (double)v->peak_open, a, false);
	driver_row(f, r, "busy_threads", v->busy_threads, "", false);

	profile_totals(&r->profile, &tot);
	fprintf(f, "\nTime: cpu %s, runq %s, io %s in %s wall.\n\n",
		report_fmt_ns(a, sizeof(a), (double)tot.cpu_ns),
		report_fmt_ns(b, sizeof(b), (double)tot.runq_ns),
		report_fmt_ns(c, sizeof(c), (double)report_io_ns(&tot)),
		report_fmt_ns(d, sizeof(d), (double)r->profile.duration_ns));
}

static void put_rule_row(FILE *f, const struct gate_rule *g)
{
	char buf[GATE_PATH_LEN + 64];

	fprintf(f, "| %s | ", g->passed ? "pass" : "**FAIL**");
	md(f, gate_rule_title(g, buf, sizeof(buf)));
	fputs(" | ", f);
	md(f, gate_rule_measured(g, buf, sizeof(buf)));
	fputs(" | ", f);
	md(f, gate_rule_limit(g, buf, sizeof(buf)));
	fputs(" | ", f);
	md_put(f, g->message, sizeof(g->message));
	fputs(" |\n", f);
}

static void put_gates(FILE *f, const struct report *r)
{
	const struct gate_results *gr = &r->gates;
	size_t changes = 0;

	if (!gr->evaluated)
		return;
	fputs("## Gates\n\n", f);
	if (gr->expect[0] || gr->policy[0] || gr->baseline[0]) {
		bool first = true;

		if (gr->expect[0]) {
			fputs("Expected ", f);
			md_put(f, gr->expect, sizeof(gr->expect));
			first = false;
		}
		if (gr->policy[0]) {
			fputs(first ? "Policy " : "; policy ", f);
			md_put(f, gr->policy, sizeof(gr->policy));
			first = false;
		}
		if (gr->baseline[0]) {
			fputs(first ? "Baseline " : "; baseline ", f);
			md_put(f, gr->baseline, sizeof(gr->baseline));
		}
		fputs(".\n\n", f);
	}
	fputs("| result | rule | measured | limit | message |\n|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < gr->nr; i++) {
		put_rule_row(f, &gr->rules[i]);
		if (gr->rules[i].kind == GATE_MODEL || gr->rules[i].kind == GATE_CHANGE)
			changes++;
	}
	fputc('\n', f);
	if (!changes)
		return;

	fputs("## Changes against the baseline\n\n", f);
	fputs("| metric | old | new | change | allowed | result |\n|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < gr->nr; i++) {
		const struct gate_rule *g = &gr->rules[i];
		char a[32], b[32], d[64];

		if (g->kind == GATE_MODEL) {
			fputs("| model | ", f);
			md_put(f, g->want, sizeof(g->want));
			fputs(" | ", f);
			md_put(f, g->got, sizeof(g->got));
			fprintf(f, " | %s | unchanged | %s |\n",
				strcmp(g->want, g->got) ? "changed" : "none",
				g->passed ? "pass" : "**FAIL**");
			continue;
		}
		if (g->kind != GATE_CHANGE)
			continue;
		fputs("| ", f);
		md_put(f, g->path, sizeof(g->path));
		fprintf(f, " | %s | %s | ", gate_fmt_number(a, sizeof(a), g->old),
			gate_fmt_number(b, sizeof(b), g->value));
		if (isnan(g->old) || isnan(g->value)) {
			fputs("not comparable", f);
		} else if (g->old == g->value) {
			fputs("none", f);
		} else {
			double delta = g->value - g->old;

			gate_fmt_number(d, sizeof(d), delta);
			fprintf(f, "%s%s", delta > 0 ? "+" : "", d);
			if (g->old != 0)
				fprintf(f, ", %+.1f%%", 100 * delta / fabs(g->old));
		}
		fputs(" | ", f);
		md(f, gate_rule_limit(g, d, sizeof(d)));
		fprintf(f, " | %s |\n", g->passed ? "pass" : "**FAIL**");
	}
	fputc('\n', f);
}

int report_markdown_write(FILE *f, const struct report *r)
{
	put_header(f, r);
	put_verdict(f, r);
	put_drivers(f, r);
	put_gates(f, r);
	return ferror(f) ? -EIO : 0;
}
