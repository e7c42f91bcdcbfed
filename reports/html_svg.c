// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The charts of the HTML report, drawn as inline SVG. Colours come from the
 * page's stylesheet through classes, so dark mode and print restyle them.
 * The tree and the timeline come in a wide and a narrow drawing: the page
 * shows one of them by width, so text stays legible on a phone instead of
 * shrinking with the chart.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "html.h"
#include "text.h"

void html_svg_defs(FILE *f)
{
	fputs("<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\" "
	      "focusable=\"false\"><defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" "
	      "width=\"7\" height=\"7\" patternTransform=\"rotate(45)\">"
	      "<rect class=\"hatch-line\" width=\"3.5\" height=\"7\"/></pattern></defs></svg>\n",
	      f);
}

static void svg_rect(FILE *f, const char *cls, double x, double y, double w, double h)
{
	fprintf(f, "<rect class=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/>",
		cls, x, y, w, h);
}

static void svg_line(FILE *f, const char *cls, double x1, double y1, double x2, double y2)
{
	fprintf(f, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", cls,
		x1, y1, x2, y2);
}

/* ---- the decision tree ---- */

enum tree_node {
	NODE_ROOT,
	NODE_IO,
	NODE_ASYNC,
	NODE_THREADS,
	NODE_PROCS,
	NR_TREE_NODES,
};

struct tree_box {
	int x, y, w, h;
};

struct tree_layout {
	const char *cls;
	bool narrow;
	int width, height;
	struct tree_box box[NR_TREE_NODES];
};

static const struct tree_layout tree_wide = {
	.cls = "wide",
	.width = 680,
	.height = 318,
	.box = {
		[NODE_ROOT] = { 190, 8, 300, 70 },
		[NODE_IO] = { 30, 134, 300, 92 },
		[NODE_PROCS] = { 450, 134, 200, 70 },
		[NODE_ASYNC] = { 10, 262, 165, 50 },
		[NODE_THREADS] = { 190, 262, 165, 50 },
	},
};

static const struct tree_layout tree_narrow = {
	.cls = "narrow",
	.narrow = true,
	.width = 380,
	.height = 318,
	.box = {
		[NODE_ROOT] = { 60, 6, 260, 64 },
		[NODE_IO] = { 2, 122, 240, 86 },
		[NODE_PROCS] = { 250, 122, 128, 64 },
		[NODE_ASYNC] = { 2, 262, 114, 48 },
		[NODE_THREADS] = { 124, 262, 118, 48 },
	},
};

struct tree_text {
	const char *title;
	const char *narrow_title; /* when the title is too long for a phone */
	char line[2][96];
	int nr_lines;
	const char *model; /* for leaves */
};

struct tree_edge {
	enum tree_node from, to;
	const char *label;
};

enum tree_edge_id {
	EDGE_IO_BOUND,
	EDGE_CPU_BOUND,
	EDGE_SLOW_OR_MANY,
	EDGE_NEITHER,
	NR_TREE_EDGES,
};

static const struct tree_edge tree_edges[NR_TREE_EDGES] = {
	[EDGE_IO_BOUND] = { NODE_ROOT, NODE_IO, "yes" },
	[EDGE_CPU_BOUND] = { NODE_ROOT, NODE_PROCS, "no" },
	[EDGE_SLOW_OR_MANY] = { NODE_IO, NODE_ASYNC, "yes" },
	[EDGE_NEITHER] = { NODE_IO, NODE_THREADS, "no" },
};

static void tree_node_write(FILE *f, const struct tree_box *b, const struct tree_text *t,
			    bool taken, bool leaf, bool narrow)
{
	int cx = b->x + b->w / 2;
	int y = b->y + (leaf ? 21 : narrow ? 22 : 24);

	fprintf(f, "<g class=\"node%s%s\"", leaf ? " leaf" : "", taken ? " taken" : "");
	if (t->model)
		fprintf(f, " data-model=\"%s\"", t->model);
	fprintf(f, "><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"8\"/>", b->x, b->y,
		b->w, b->h);
	fprintf(f, "<text class=\"t-title\" x=\"%d\" y=\"%d\">", cx, y);
	text_html_escape(f, narrow && t->narrow_title ? t->narrow_title : t->title);
	fputs("</text>", f);
	for (int i = 0; i < t->nr_lines; i++) {
		y += narrow ? 20 : 22;
		fprintf(f, "<text class=\"t-line\" x=\"%d\" y=\"%d\">", cx, y);
		text_html_escape(f, t->line[i]);
		fputs("</text>", f);
	}
	fputs("</g>", f);
}

static void tree_draw(FILE *f, const struct tree_layout *l, const struct tree_text *text,
		      const bool *node_taken, const bool *edge_taken)
{
	fprintf(f,
		"<svg class=\"tree %s\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"decision tree\" preserveAspectRatio=\"xMidYMin meet\">",
		l->cls, l->width, l->height);
	for (int i = 0; i < NR_TREE_EDGES; i++) {
		const struct tree_edge *e = &tree_edges[i];
		const struct tree_box *a = &l->box[e->from], *b = &l->box[e->to];
		int x1 = a->x + a->w / 2, y1 = a->y + a->h;
		int x2 = b->x + b->w / 2, y2 = b->y;
		int my = (y1 + y2) / 2;

		fprintf(f,
			"<g class=\"edge%s\"><path d=\"M%d %d C%d %d %d %d %d %d\"/>"
			"<text x=\"%d\" y=\"%d\">%s</text></g>",
			edge_taken[i] ? " taken" : "", x1, y1, x1, my, x2, my, x2, y2,
			(x1 + x2) / 2 + (x2 < x1 ? -10 : 10), my - 2, e->label);
	}
	for (int n = 0; n < NR_TREE_NODES; n++)
		tree_node_write(f, &l->box[n], &text[n], node_taken[n], n >= NODE_ASYNC, l->narrow);
	fputs("</svg>", f);
}

/* "≥" or "<": how a driver compares with its threshold. */
static const char *cmp_sign(bool at_least)
{
	return at_least ? "\u2265" : "<";
}

/* The drivers against their thresholds, as the tree's nodes say them. */
static void tree_lines(const struct json_object *doc, struct tree_text *text)
{
	const size_t len = sizeof(text[0].line[0]);
	double io = doc_double(doc, "verdict.drivers.io_fraction");
	double io_min = doc_double(doc, "thresholds.io_bound_min");
	double many = doc_double(doc, "thresholds.many_conns");
	__u64 p50 = doc_u64(doc, "verdict.drivers.wait_p50_ns");
	__u64 peak = doc_u64(doc, "verdict.drivers.peak_open");
	char a[FMT_LEN], b[FMT_LEN], pct[FMT_LEN];
	double slow_ns = html_slow_wait_ns(doc);

	if (isfinite(io))
		snprintf(pct, sizeof(pct), "%.1f%%", io * 100);
	else
		snprintf(pct, sizeof(pct), "?");
	if (isfinite(io_min))
		snprintf(text[NODE_ROOT].line[0], len, "io_fraction %s %s %.0f%%", pct,
			 cmp_sign(io >= io_min), io_min * 100);
	else
		snprintf(text[NODE_ROOT].line[0], len, "io_fraction %s", pct);
	snprintf(text[NODE_IO].line[0], len, "wait_p50 %s %s %s", fmt_ns(a, sizeof(a), p50),
		 cmp_sign(p50 >= slow_ns), fmt_ns(b, sizeof(b), slow_ns));
	if (!doc_bool(doc, "connections.tcp_counted") && !doc_bool(doc, "connections.unix_counted"))
		snprintf(text[NODE_IO].line[1], len, "peak open not counted");
	else if (isfinite(many))
		snprintf(text[NODE_IO].line[1], len, "peak open %llu %s %.0f",
			 (unsigned long long)peak, cmp_sign((double)peak >= many), many);
	else
		snprintf(text[NODE_IO].line[1], len, "peak open %llu", (unsigned long long)peak);
	snprintf(text[NODE_ASYNC].line[0], len, "event loop");
	snprintf(text[NODE_THREADS].line[0], len, "thread pool");
	snprintf(text[NODE_PROCS].line[0], len, "CPU-bound:");
	snprintf(text[NODE_PROCS].line[1], len, "process pool");
}

void html_svg_tree(FILE *f, const struct json_object *doc)
{
	const char *model = html_model(doc);
	struct tree_text text[NR_TREE_NODES] = {
		[NODE_ROOT] = { .title = "I/O-bound?", .nr_lines = 1 },
		[NODE_IO] = { .title = "Slow waits or many connections?",
			      .narrow_title = "Slow waits or many conns?", .nr_lines = 2 },
		[NODE_ASYNC] = { .title = "async", .nr_lines = 1, .model = "async" },
		[NODE_THREADS] = { .title = "multithreading", .nr_lines = 1,
				   .model = "multithreading" },
		[NODE_PROCS] = { .title = "multiprocessing", .nr_lines = 2,
				 .model = "multiprocessing" },
	};
	bool node_taken[NR_TREE_NODES] = { false };
	bool edge_taken[NR_TREE_EDGES] = { false };

	tree_lines(doc, text);
	/* the verdict says which leaf was reached; the path to it is fixed */
	if (!strcmp(model, "async")) {
		node_taken[NODE_IO] = node_taken[NODE_ASYNC] = true;
		edge_taken[EDGE_IO_BOUND] = edge_taken[EDGE_SLOW_OR_MANY] = true;
	} else if (!strcmp(model, "multithreading")) {
		node_taken[NODE_IO] = node_taken[NODE_THREADS] = true;
		edge_taken[EDGE_IO_BOUND] = edge_taken[EDGE_NEITHER] = true;
	} else if (!strcmp(model, "multiprocessing")) {
		node_taken[NODE_PROCS] = true;
		edge_taken[EDGE_CPU_BOUND] = true;
	}
	node_taken[NODE_ROOT] = strcmp(model, "inconclusive") != 0;

	fprintf(f, "<div class=\"tree-wrap %s\">",
		node_taken[NODE_ROOT] ? "decided" : "undecided");
	tree_draw(f, &tree_wide, text, node_taken, edge_taken);
	tree_draw(f, &tree_narrow, text, node_taken, edge_taken);
	fputs("</div>\n", f);
}

/* ---- bars ---- */

void html_svg_state_bar(FILE *f, const struct html_segment *seg, size_t nr)
{
	const double width = 1000;
	__u64 sum = 0;
	double x = 0;
	char buf[FMT_LEN];

	for (size_t i = 0; i < nr; i++)
		sum += seg[i].ns;
	fprintf(f, "<svg class=\"statebar\" viewBox=\"0 0 %.0f 40\" preserveAspectRatio=\"none\" "
		   "role=\"img\" aria-label=\"time by state\">",
		width);
	if (!sum) {
		fputs("<rect class=\"empty\" width=\"1000\" height=\"40\"/></svg>\n", f);
		return;
	}
	for (size_t i = 0; i < nr; i++) {
		double w = width * (double)seg[i].ns / (double)sum;

		if (seg[i].ns == 0)
			continue;
		fprintf(f, "<g><title>%s%s: %s, %.1f%%</title>", seg[i].label,
			seg[i].internal ? " (internal)" : "",
			fmt_ns(buf, sizeof(buf), seg[i].ns), 100.0 * seg[i].ns / sum);
		svg_rect(f, seg[i].cls, x, 0, w, 40);
		if (seg[i].internal)
			svg_rect(f, "hatch", x, 0, w, 40);
		fputs("</g>", f);
		x += w;
	}
	fputs("</svg>\n", f);
}

void html_svg_mini_bar(FILE *f, __u64 cpu, __u64 runq, __u64 io, __u64 other, __u64 max_ns)
{
	const __u64 v[4] = { cpu, runq, io, other };
	static const char *const cls[4] = { "s-cpu", "s-runq", "s-io", "s-other" };
	double x = 0;

	fputs("<svg class=\"minibar\" viewBox=\"0 0 120 12\" preserveAspectRatio=\"none\" "
	      "aria-hidden=\"true\">",
	      f);
	for (int i = 0; i < 4 && max_ns; i++) {
		double w = 120.0 * (double)v[i] / (double)max_ns;

		if (w < 0.05)
			continue;
		svg_rect(f, cls[i], x, 0, w, 12);
		x += w;
	}
	fputs("</svg>", f);
}

/* ---- the timeline ---- */

/* A round step (1, 2 or 5 times a power of ten) giving about n ticks up to max. */
static double nice_step(double max, int n)
{
	double raw = max / n, p = pow(10, floor(log10(raw))), m = raw / p;

	if (m <= 1)
		return p;
	if (m <= 2)
		return 2 * p;
	if (m <= 5)
		return 5 * p;
	return 10 * p;
}

#define TL_MAX_COLUMNS 240

/* What the timeline's drawing needs of the document besides the columns. */
struct tl_run {
	size_t nr_buckets;
	__u64 bucket_ns;
	int cpus; /* online; 0 when not known */
};

/* x of the left edge of column i; the last column may hold fewer buckets */
static double tl_x(const struct tl_run *p, size_t i, size_t per, double left, double pw)
{
	size_t b = i * per < p->nr_buckets ? i * per : p->nr_buckets;

	return left + pw * b / p->nr_buckets;
}

/* Height of the first n states of a column stacked up. */
static double stack_sum(const double *col, int n)
{
	double sum = 0;

	for (int k = 0; k < n; k++)
		sum += col[k];
	return sum;
}

static void timeline_draw(FILE *f, const struct tl_run *p, const double (*y)[4], size_t nr,
			  size_t per, int width, const char *cls)
{
	static const char *const state_cls[4] = { "s-cpu", "s-runq", "s-io", "s-other" };
	const int height = 250, left = 44, right = 12, top = 14, bottom = 30;
	const double pw = width - left - right, ph = height - top - bottom;
	double ymax = 0, step, total_s, xstep;

	for (size_t i = 0; i < nr; i++)
		ymax = fmax(ymax, stack_sum(y[i], 4));
	/* show the CPU count when it is near the data; far above, it flattens it */
	if (p->cpus > 0 && p->cpus <= ymax * 1.5 && p->cpus > ymax)
		ymax = p->cpus;
	if (ymax <= 0)
		ymax = 1;
	step = nice_step(ymax, 4);
	ymax = ceil(ymax / step - 1e-9) * step;

	fprintf(f,
		"<svg class=\"timeline %s\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"threads in each state over time\">",
		cls, width, height);
	/* horizontal grid and y labels: threads */
	for (int i = 0; i * step <= ymax + step / 2; i++) {
		double t = i * step, yy = top + ph - ph * t / ymax;

		svg_line(f, "grid", left, yy, left + pw, yy);
		fprintf(f, "<text class=\"ytick\" x=\"%d\" y=\"%.1f\">%g</text>", left - 6, yy + 4,
			t);
	}
	/* one stacked step area per state, bottom up: along its top, back along its bottom */
	for (int s = 0; s < 4; s++) {
		fprintf(f, "<path class=\"%s\" d=\"", state_cls[s]);
		for (size_t i = 0; i < nr; i++) {
			double yy = top + ph - ph * stack_sum(y[i], s + 1) / ymax;

			fprintf(f, "%s%.1f %.1fL%.1f %.1f", i ? "L" : "M",
				tl_x(p, i, per, left, pw), yy, tl_x(p, i + 1, per, left, pw), yy);
		}
		for (size_t i = nr; i-- > 0;) {
			double yy = top + ph - ph * stack_sum(y[i], s) / ymax;

			fprintf(f, "L%.1f %.1fL%.1f %.1f", tl_x(p, i + 1, per, left, pw), yy,
				tl_x(p, i, per, left, pw), yy);
		}
		fputs("Z\"/>", f);
	}
	if (p->cpus > 0 && p->cpus <= ymax) {
		double yy = top + ph - ph * p->cpus / ymax;

		svg_line(f, "cpus", left, yy, left + pw, yy);
		fprintf(f, "<text class=\"cpus-label\" x=\"%.1f\" y=\"%.1f\">%d CPUs</text>",
			left + pw - 4, yy - 5, p->cpus);
	}
	/* x axis: time since the start */
	total_s = (double)p->bucket_ns * p->nr_buckets / 1e9;
	xstep = nice_step(total_s, width > 500 ? 8 : 4);
	svg_line(f, "axis", left, top + ph, left + pw, top + ph);
	for (int i = 0; i * xstep <= total_s * (1 + 1e-9); i++) {
		double t = i * xstep, xx = left + pw * t / total_s;

		svg_line(f, "axis", xx, top + ph, xx, top + ph + 4);
		/* the last label would run off the right edge: end it at its tick */
		fprintf(f, "<text class=\"xtick\" x=\"%.1f\" y=\"%.1f\"%s>", xx, top + ph + 18,
			xx > left + pw - 24 ? " text-anchor=\"end\"" : "");
		if (t < xstep / 2)
			fputs("0", f);
		else if (total_s >= 1)
			fprintf(f, "%g s", round(t * 1e3) / 1e3);
		else if (total_s >= 1e-3)
			fprintf(f, "%g ms", round(t * 1e6) / 1e3);
		else
			fprintf(f, "%g \u00b5s", round(t * 1e9) / 1e3);
		fputs("</text>", f);
	}
	fputs("</svg>", f);
}

int html_svg_timeline(FILE *f, const struct json_object *doc)
{
	const struct json_object *buckets = doc_get(doc, "timeline.buckets");
	long long cpus = doc_int(doc, "host.cpus", 0);
	struct tl_run run = {
		.nr_buckets = doc_len(buckets, ""),
		.bucket_ns = doc_u64(doc, "timeline.bucket_ns"),
		.cpus = cpus > 0 && cpus <= INT_MAX ? (int)cpus : 0,
	};
	const struct tl_run *p = &run;
	size_t per, nr;
	double(*y)[4];

	if (!p->nr_buckets || !p->bucket_ns)
		return 0;
	/* a long run is merged into at most TL_MAX_COLUMNS columns: the page stays small */
	per = (p->nr_buckets + TL_MAX_COLUMNS - 1) / TL_MAX_COLUMNS;
	nr = (p->nr_buckets + per - 1) / per;
	y = calloc(nr, sizeof(*y));
	if (!y)
		return -ENOMEM;
	for (size_t i = 0; i < p->nr_buckets; i++) {
		const struct json_object *b = doc_at(buckets, "", i);
		double d = (double)p->bucket_ns * per;

		y[i / per][0] += doc_u64(b, "cpu_ns") / d;
		y[i / per][1] += doc_u64(b, "runq_ns") / d;
		y[i / per][2] += doc_u64(b, "io_ns") / d;
		y[i / per][3] += doc_u64(b, "other_ns") / d;
	}
	/* the last column may hold fewer buckets: average over those it has */
	if (p->nr_buckets % per) {
		double scale = (double)per / (p->nr_buckets % per);

		for (int s = 0; s < 4; s++)
			y[nr - 1][s] *= scale;
	}
	fputs("<div class=\"tl-wrap\">", f);
	timeline_draw(f, p, (const double(*)[4])y, nr, per, 900, "wide");
	timeline_draw(f, p, (const double(*)[4])y, nr, per, 420, "narrow");
	fputs("</div>\n", f);
	free(y);
	return 0;
}

/* ---- histograms ---- */

void html_svg_hist(FILE *f, const __u64 *slots, unsigned int lo, unsigned int hi)
{
	unsigned int n = hi >= lo ? hi - lo + 1 : 1;
	double bw = 120.0 / n;
	__u64 max = 0;
	char a[FMT_LEN], b[FMT_LEN];

	for (unsigned int k = lo; k <= hi && k < MAX_SLOTS; k++)
		if (slots[k] > max)
			max = slots[k];
	fputs("<svg class=\"hist\" viewBox=\"0 0 120 24\" preserveAspectRatio=\"none\" "
	      "role=\"img\" aria-label=\"wait length histogram\">"
	      "<line class=\"base\" x1=\"0\" x2=\"120\" y1=\"23.5\" y2=\"23.5\"/>",
	      f);
	for (unsigned int k = lo; k <= hi && k < MAX_SLOTS && max; k++) {
		double h;

		if (!slots[k])
			continue;
		/* linear, but a single wait must still show */
		h = 1.5 + 21.5 * (double)slots[k] / (double)max;
		fprintf(f,
			"<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\">"
			"<title>%s\u2013%s: %llu</title></rect>",
			(k - lo) * bw + 0.3, 23 - h, bw > 1.2 ? bw - 0.6 : bw, h,
			fmt_ns_coarse(a, sizeof(a), 1ULL << k),
			fmt_ns_coarse(b, sizeof(b), 2ULL << k),
			(unsigned long long)slots[k]);
	}
	fputs("</svg>", f);
}
