// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The HTML report's flame graphs: one inline SVG per cause with stacks and
 * one for the time on CPU, drawn from the document's stacks section. Stacks
 * merge from their outermost frame, so a box is a function in one calling
 * context, as wide as its share of the graph's time, its callers below it.
 * Every box has a <title> (the tooltip: name and time), so the graphs read
 * without JavaScript; with it, the page's one script highlights the boxes
 * whose function matches the search field. Boxes narrower than half a pixel
 * are left out; the graph says how deep it goes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "html.h"
#include "text.h"

#define FLAME_W 1000.0
#define FLAME_ROW 17
#define FLAME_MAX_DEPTH 64

struct fnode {
	const char *name; /* borrowed from the document, or a static "[unknown]" */
	char *own; /* "[module]" names made here */
	__u64 value;
	size_t child, sibling; /* 0: none (node 0 is the root) */
};

struct flame {
	struct fnode *n;
	size_t nr, cap;
	unsigned int depth;
};

static size_t node_new(struct flame *fl, const char *name, char *own)
{
	if (fl->nr == fl->cap) {
		size_t cap = fl->cap ? fl->cap * 2 : 64;
		struct fnode *n = realloc(fl->n, cap * sizeof(*n));

		if (!n)
			return 0;
		fl->n = n;
		fl->cap = cap;
	}
	fl->n[fl->nr] = (struct fnode){ .name = name, .own = own };
	return fl->nr++;
}

/* Adds an entry's time along its frames, outermost first; -ENOMEM. */
static int flame_add(struct flame *fl, const struct json_object *e)
{
	size_t n = doc_len(e, "frames"), at = 0;
	__u64 t = doc_stack_time(e);
	unsigned int depth = 0;

	fl->n[0].value += t;
	for (size_t k = n; k-- > 0 && depth < FLAME_MAX_DEPTH;) {
		char buf[300];
		const char *name = doc_frame_name(doc_at(e, "frames", k), buf, sizeof(buf));
		size_t c;

		for (c = fl->n[at].child; c; c = fl->n[c].sibling)
			if (!strcmp(fl->n[c].name, name))
				break;
		if (!c) {
			char *own = name == buf ? strdup(buf) : NULL;

			if (name == buf && !own)
				return -ENOMEM;
			c = node_new(fl, own ? own : name, own);
			if (!c) {
				free(own);
				return -ENOMEM;
			}
			fl->n[c].sibling = fl->n[at].child;
			fl->n[at].child = c;
		}
		fl->n[c].value += t;
		at = c;
		depth++;
	}
	if (depth > fl->depth)
		fl->depth = depth;
	return 0;
}

static void flame_free(struct flame *fl)
{
	for (size_t i = 0; i < fl->nr; i++)
		free(fl->n[i].own);
	free(fl->n);
}

static const char *const palette[] = { "#e69f00", "#f0b84d", "#d98c1f", "#f3c77a" };

static void draw(FILE *f, const struct flame *fl, size_t at, double x, unsigned int depth,
		 __u64 total)
{
	for (size_t c = fl->n[at].child; c; c = fl->n[c].sibling) {
		const struct fnode *nd = &fl->n[c];
		double w = FLAME_W * (double)nd->value / (double)total;
		double y = (double)(fl->depth - depth - 1) * FLAME_ROW;
		size_t chars = w > 20 ? (size_t)((w - 6) / 7) : 0;

		if (w < 0.5)
			continue;
		fputs("<g class=\"fl\" data-fn=\"", f);
		text_html_escape(f, nd->name);
		fputs("\"><title>", f);
		text_html_escape(f, nd->name);
		fputs(": ", f);
		html_put_ns(f, (double)nd->value);
		fprintf(f, " (%.1f%%)</title><rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" "
			   "fill=\"%s\" rx=\"2\"/>",
			100.0 * (double)nd->value / (double)total, x, y, w, FLAME_ROW - 1,
			palette[(strlen(nd->name) + depth) % 4]);
		if (chars) {
			fprintf(f, "<text x=\"%.1f\" y=\"%.0f\">", x + 3, y + FLAME_ROW - 5);
			text_html_escape_n(f, nd->name, chars < strlen(nd->name) ? chars : SIZE_MAX);
			fputs("</text>", f);
		}
		fputs("</g>", f);
		draw(f, fl, c, x, depth + 1, total);
		x += w;
	}
}

/* One graph of the list stacks.<kind>; nothing when it has no time. */
static int write_graph(FILE *f, const struct json_object *stacks, int kind)
{
	const char *name = doc_stack_kinds[kind];
	struct flame fl = { 0 };
	int err = 0;

	if (!node_new(&fl, "", NULL) && !fl.nr)
		return -ENOMEM;
	for (size_t i = 0; i < doc_len(stacks, name) && !err; i++)
		err = flame_add(&fl, doc_at(stacks, name, i));
	if (!err && fl.n[0].value && fl.depth) {
		fputs("<figure class=\"flame\"><figcaption>", f);
		if (kind == DOC_STACK_CPU)
			fputs("On CPU", f);
		else
			fprintf(f, "Waits: %s", name);
		fputs(", ", f);
		html_put_ns(f, (double)fl.n[0].value);
		fprintf(f, "</figcaption><svg class=\"flame\" role=\"img\" viewBox=\"0 0 %.0f %u\" "
			   "width=\"100%%\" font-size=\"11\">",
			FLAME_W, fl.depth * FLAME_ROW);
		draw(f, &fl, 0, 0, 0, fl.n[0].value);
		fputs("</svg></figure>\n", f);
	}
	flame_free(&fl);
	return err;
}

int html_write_flames(FILE *f, const struct json_object *doc)
{
	const struct json_object *stacks = doc_get(doc, "stacks");
	int err = 0;

	if (!stacks)
		return 0;
	fputs("<section id=\"flames\"><h2>Where in the code</h2>"
	      "<style>svg.flame text{pointer-events:none;fill:#111}"
	      "g.fl.hit rect{stroke:#0072b2;stroke-width:2;fill:#56b4e9}"
	      "#flame-q{margin:.5em 0}</style>"
	      "<p class=\"lede\">Stacks merged from their outermost frame: a box is a function, as "
	      "wide as its share of the time, its callers below it. Hover a box for its time.</p>"
	      "<input id=\"flame-q\" type=\"search\" placeholder=\"highlight functions\" "
	      "aria-label=\"highlight functions\" hidden>\n",
	      f);
	for (int k = 0; k < DOC_NR_STACK_KINDS && !err; k++)
		err = write_graph(f, stacks, k);
	fputs("</section>\n", f);
	return err;
}
