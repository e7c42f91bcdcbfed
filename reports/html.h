/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Pieces of the HTML report shared by its files: the page and the run's
 * facts (html.c), the verdict and the decision (html_verdict.c), the
 * evidence (html_evidence.c), the gates and repeated runs (html_gates.c),
 * the charts (html_svg.c), the stylesheet and script (html_style.c) and the
 * small text pieces (html_text.c). Each reads the report document
 * (reports/doc.h) and nothing else. Nothing here is used outside
 * reports/html*.c and their tests.
 */
#ifndef ADVISOR_REPORTS_HTML_H
#define ADVISOR_REPORTS_HTML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/types.h>

#include "../bpf/abi.h"
#include "format.h"

struct json_object;

/* ---- the page's fixed text (html_style.c) ---- */

/* The stylesheet: light, dark and print; colours of states and causes. */
extern const char html_css[];

/* The one script: sorts a table by a click on its header. */
extern const char html_sort_js[];

/* The Content-Security-Policy: loads nothing, runs only html_sort_js (by its hash). */
extern const char html_csp[];

/* ---- the sections (html_verdict.c, html_evidence.c) ---- */

/* (1) The verdict: model, confidence, the move, advice, and the drivers. */
void html_write_verdict(FILE *f, const struct json_object *doc);

/* (2) The decision tree and the path the decision took. */
void html_write_decision(FILE *f, const struct json_object *doc);

/* (3) Where the time went: the state bar and the table of states and causes. */
void html_write_time(FILE *f, const struct json_object *doc);

/* (4) The timeline. 0 or -ENOMEM. */
int html_write_timeline(FILE *f, const struct json_object *doc);

/* (5) The busiest processes and threads. 0 or -ENOMEM. */
int html_write_busiest(FILE *f, const struct json_object *doc);

/* (6) The syscalls threads waited in, and with -S every syscall. */
void html_write_syscalls(FILE *f, const struct json_object *doc);

/* (7) The connections. */
void html_write_connections(FILE *f, const struct json_object *doc);
/* The flame graphs of the stacks section (html_flame.c); nothing without stacks; -ENOMEM. */
int html_write_flames(FILE *f, const struct json_object *doc);

/* ---- text pieces (html_text.c) ---- */

/*
 * The verdict's model ("async", ...): one of the four models, else
 * "unknown", so that it is safe in a class name unescaped.
 */
const char *html_model(const struct json_object *doc);

/*
 * thresholds.slow_wait_ms in whole nanoseconds, as the decision compares the
 * median wait with it; NAN when it is not a duration.
 */
double html_slow_wait_ns(const struct json_object *doc);

/* A duration (fmt_ns) or a count with thousands separators (fmt_count). */
void html_put_ns(FILE *f, double ns);
void html_put_count(FILE *f, __u64 n);

/* A table cell holding a duration or a count, sortable by its raw value; "–" for 0. */
void html_td_ns(FILE *f, __u64 ns);
void html_td_count(FILE *f, __u64 n);

/*
 * How a process or run ended, from its "exited", "exit_code" and "signal"
 * (a process, the target, a repeated run): "exited with status 0",
 * "killed by SIGKILL (9)", "still running".
 */
void html_put_exit(FILE *f, const struct json_object *o);

/* A runtime by its name in the report ("cpython" is "CPython"); "unknown" when empty. */
void html_put_runtime(FILE *f, const char *rt);

/* ---- charts (html_svg.c) ---- */

/*
 * A segment of the "where the time went" bar: its CSS class (s-cpu, s-net,
 * ...), a label, its time, and whether it is the internal part of a wait.
 */
struct html_segment {
	const char *cls;
	const char *label;
	__u64 ns;
	bool internal;
};

#define HTML_MAX_SEGMENTS (3 + 2 * NR_CAUSES)

/* Shared <defs> (the hatch of internal waits), written once per page. */
void html_svg_defs(FILE *f);

/*
 * The decision tree with the path to the verdict's model highlighted, each
 * node with the driver measured against its threshold.
 */
void html_svg_tree(FILE *f, const struct json_object *doc);

/* One stacked horizontal bar of the segments, scaled to their sum. */
void html_svg_state_bar(FILE *f, const struct html_segment *seg, size_t nr);

/* A small stacked bar of one thread or process, scaled to max_ns. */
void html_svg_mini_bar(FILE *f, __u64 cpu, __u64 runq, __u64 io, __u64 other, __u64 max_ns);

/* The document's timeline as a stacked step chart; nothing when empty. 0 or -ENOMEM. */
int html_svg_timeline(FILE *f, const struct json_object *doc);

/* A log2 histogram (MAX_SLOTS slots) drawn over slots [lo, hi], so rows of a table line up. */
void html_svg_hist(FILE *f, const __u64 *slots, unsigned int lo, unsigned int hi);

/* ---- gates and repeated runs (html_gates.c) ---- */

/* Whether the page has a gates section: a gate ran or the command was repeated. */
bool html_has_gates(const struct json_object *doc);

/*
 * The gates section (id="gates"): the headline, the rules, the changes
 * against the baseline and the repeated runs; nothing unless
 * html_has_gates().
 */
void html_write_gates(FILE *f, const struct json_object *doc);

enum html_unit {
	HTML_UNIT_PERCENT, /* a fraction, shown as 78.0% */
	HTML_UNIT_NS,
	HTML_UNIT_COUNT,
	HTML_UNIT_DECIMAL, /* one decimal */
};

/*
 * "median 78.0% (70.1%–80.2%)" of a repeated metric (a canonical path, e.g.
 * "io_fraction"); NULL when the command was not repeated or the metric was not.
 */
const char *html_fmt_repeated(char *buf, size_t len, const struct json_object *doc,
			      const char *path, enum html_unit unit);
#define HTML_REPEATED_LEN (3 * FMT_LEN + 32)

#endif /* ADVISOR_REPORTS_HTML_H */
