/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Pieces of the HTML report shared by the page (html.c), its charts
 * (html_svg.c) and its text helpers (html_text.c). Nothing here is used
 * outside reports/html*.c and their tests.
 */
#ifndef ADVISOR_REPORTS_HTML_H
#define ADVISOR_REPORTS_HTML_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

/*
 * Writes s (at most len bytes, stopping at a NUL) as HTML text that is also
 * safe inside a quoted attribute: & < > " ' become entities, bytes that are
 * not valid UTF-8 become U+FFFD, C0 controls other than tab and newline
 * become their visible Control Pictures (U+2400..), C1 controls and the bidi
 * overrides that can make a name read backwards become U+FFFD.
 */
void html_escape_n(FILE *f, const char *s, size_t len);
void html_escape(FILE *f, const char *s);

/* Formats a duration as "812 ns", "1.25 µs", "37.1 ms", "2.40 s", "3 min 05 s"; returns buf. */
const char *html_fmt_ns(char *buf, size_t len, __u64 ns);
#define HTML_NS_LEN 32

/* The same to about one significant digit ("4 µs", "537 ms"), for axis labels. */
const char *html_fmt_ns_coarse(char *buf, size_t len, __u64 ns);

/* Formats a count with thousands separators ("1,234,567"); returns buf. */
const char *html_fmt_count(char *buf, size_t len, __u64 n);

/* I/O time of a thread: external net, disk, poll and ipc waits (SPEC section 3). */
__u64 html_thread_io_ns(const struct thread_profile *t);

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

/* Splits the tree's totals into the bar's segments, in drawing order. */
size_t html_segments(const struct profile_totals *t, struct html_segment *seg);

/* Shared <defs> (the hatch of internal waits), written once per page. */
void html_svg_defs(FILE *f);

/* The decision tree with the path taken highlighted; id="decision-tree". */
void html_svg_tree(FILE *f, const struct report *r);

/* One stacked horizontal bar of the segments, scaled to their sum. */
void html_svg_state_bar(FILE *f, const struct html_segment *seg, size_t nr);

/* A small stacked bar of one thread or process, scaled to max_ns. */
void html_svg_mini_bar(FILE *f, __u64 cpu, __u64 runq, __u64 io, __u64 other, __u64 max_ns);

/* The per-bucket state totals as a stacked step chart; nothing when empty. 0 or -ENOMEM. */
int html_svg_timeline(FILE *f, const struct profile *p);

/* A log2 histogram drawn over slots [lo, hi], so rows of a table line up. */
void html_svg_hist(FILE *f, const __u64 *slots, unsigned int lo, unsigned int hi);

/* Whether the page has a gates section: a gate ran or the command was repeated. */
bool html_has_gates(const struct report *r);

/*
 * The gates section (id="gates"): the headline, the rules, the changes
 * against the baseline and the repeated runs; nothing unless
 * html_has_gates().
 */
void html_write_gates(FILE *f, const struct report *r);

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
const char *html_fmt_repeated(char *buf, size_t len, const struct report *r, const char *path,
			      enum html_unit unit);
#define HTML_REPEATED_LEN (3 * HTML_NS_LEN + 32)

#endif /* ADVISOR_REPORTS_HTML_H */
