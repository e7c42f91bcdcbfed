// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The findings: which code the verdict's drivers come from. The stacks the
 * verdict's time was measured at are taken by their location (the first
 * frame in the program's own code: the innermost one with a file and line
 * from the debug info outside the system's libraries or one a JIT compiled,
 * else the innermost one with a file and line), and the innermost named
 * frame (the call that waited, or ran); kernel frames (--kernel-stacks) are
 * neither. Stacks with the same location and call are one call site; the
 * largest sites are the findings,
 * each with its share of its cause's time of that kind in the stacks (the
 * stacks' own total, so shares add up to at most 1 even when some stacks
 * were dropped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"
#include "findings.h"

const char *const finding_kind_names[NR_FINDING_KINDS] = {
	[FINDING_IO] = "io",	   [FINDING_CPU] = "cpu",     [FINDING_LOCK] = "lock",
	[FINDING_SLEEP] = "sleep", [FINDING_CHILD] = "child",
};

struct site {
	int cause;
	const char *leaf; /* may be NULL */
	const struct stack_frame *loc; /* NULL for a stack without frames */
	__u64 time_ns, count;
	__u64 loc_ns; /* of time_ns, the time at loc's own line */
};

static int str_cmp(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/*
 * Orders sites by their location, line included (by_line) or not where the
 * location is the leaf itself: time spent in a function (on CPU, at many of
 * its lines) is one site, where a call from it (a wait) is one per line.
 */
static int site_cmp(const struct site *a, const struct site *b, bool by_line)
{
	static const struct stack_frame none;
	const struct stack_frame *fa = a->loc ? a->loc : &none, *fb = b->loc ? b->loc : &none;
	int d;

	if (a->cause != b->cause)
		return a->cause < b->cause ? -1 : 1;
	if ((d = str_cmp(a->leaf, b->leaf)) || (d = str_cmp(fa->function, fb->function)) ||
	    (d = str_cmp(fa->file, fb->file)))
		return d;
	/* here a and b have one leaf and one function: both the leaf, or neither */
	if (fa->line != fb->line && (by_line || str_cmp(a->leaf, fa->function)))
		return fa->line < fb->line ? -1 : 1;
	return str_cmp(fa->module, fb->module);
}

/* Orders sites by what makes them one place in the code: one line. */
static int site_line_cmp(const void *pa, const void *pb)
{
	return site_cmp(pa, pb, true);
}

/* Orders sites by what makes them one call site. */
static int site_key_cmp(const void *pa, const void *pb)
{
	return site_cmp(pa, pb, false);
}

/*
 * Merges the sites that cmp finds equal (sorted by it first): times and
 * counts add up, and the location is the line with the most time. Returns
 * how many are left.
 */
static size_t sites_merge(struct site *sites, size_t n, int (*cmp)(const void *, const void *))
{
	size_t m = 0;

	if (n > 1)
		qsort(sites, n, sizeof(*sites), cmp);
	for (size_t i = 0; i < n; i++) {
		struct site *into = m ? &sites[m - 1] : NULL;

		if (!into || cmp(into, &sites[i])) {
			sites[m++] = sites[i];
			continue;
		}
		into->time_ns += sites[i].time_ns;
		into->count += sites[i].count;
		if (sites[i].loc_ns > into->loc_ns) {
			into->loc = sites[i].loc;
			into->loc_ns = sites[i].loc_ns;
		}
	}
	return m;
}

/* Largest first; equal times in key order, so the result never depends on qsort. */
static int site_time_cmp(const void *pa, const void *pb)
{
	const struct site *a = pa, *b = pb;

	if (a->time_ns != b->time_ns)
		return a->time_ns > b->time_ns ? -1 : 1;
	return site_key_cmp(pa, pb);
}

/*
 * Whether f is in a library of the system's (Debian's /lib and /usr/lib):
 * with its -dbg package (libc6-dbg) it has files and lines too, and its
 * read.c:26 is not where the program waited.
 */
static bool is_system_library(const struct stack_frame *f)
{
	return f->module && (!strncmp(f->module, "/lib/", 5) || !strncmp(f->module, "/lib64/", 7) ||
			     !strncmp(f->module, "/usr/lib/", 9) ||
			     !strncmp(f->module, "/usr/lib64/", 11));
}

/*
 * Whether f's source is the system's though its code is in the program:
 * Go's standard library compiled into the binary (/usr/lib/go-1.19/src),
 * an inline function of a system header (/usr/include).
 */
static bool is_system_source(const struct stack_frame *f)
{
	return f->file && (!strncmp(f->file, "/usr/lib/", 9) || !strncmp(f->file, "/usr/include/", 13) ||
			   !strncmp(f->file, "/usr/share/", 11));
}

/*
 * Whether f is code a JIT compiler wrote, named from the runtime's perf map
 * (probes/perfmap.h): the program's own code (a JavaScript or Python
 * function), though it has no file and line of debug info.
 */
static bool is_jit(const struct stack_frame *f)
{
	size_t n = f->module ? strlen(f->module) : 0;

	return f->function && n > 14 && !strncmp(f->module, "/tmp/perf-", 10) &&
	       !strcmp(f->module + n - 4, ".map");
}

static void site_of(const struct stack_entry *e, int cause, struct site *s)
{
	const struct stack_frame *named = NULL, *lib = NULL, *inner = NULL;

	memset(s, 0, sizeof(*s));
	s->cause = cause;
	s->time_ns = e->time_ns;
	s->count = e->count;
	for (size_t k = 0; k < e->nr_frames; k++) {
		const struct stack_frame *f = &e->frames[k];

		/* the kernel's frames (--kernel-stacks) are how it waited, not where the code did */
		if (f->kernel)
			continue;
		if (!inner)
			inner = f;
		if (!named && f->function && f->function[0])
			named = f;
		if (!s->loc && is_jit(f))
			s->loc = f;
		if (s->loc || !f->file || !f->file[0] || !f->line)
			continue;
		if (!is_system_library(f) && !is_system_source(f))
			s->loc = f;
		else if (!lib)
			lib = f;
	}
	s->leaf = named ? named->function : NULL;
	/*
	 * no frame of the program's own with a line: when the innermost frame
	 * has no name but a module (liblzma without symbols) the time is there,
	 * not in the libc frame that started its thread further out; one with
	 * neither (an address in no mapping) says nothing
	 */
	if (!s->loc && inner && !(inner->function && inner->function[0]) && inner->module &&
	    inner->module[0]) {
		s->loc = inner;
		s->leaf = NULL;
	}
	if (!s->loc)
		s->loc = lib;
	if (!s->loc)
		s->loc = named ? named : inner;
}

static bool says_where(const struct site *s)
{
	return (s->leaf && s->leaf[0]) ||
	       (s->loc && ((s->loc->function && s->loc->function[0]) ||
			   (s->loc->module && s->loc->module[0]) || (s->loc->file && s->loc->file[0])));
}

/* Which causes' stacks, and of those which, explain v's verdict. */
static bool kind_of(const struct verdict *v, enum finding_kind *kind)
{
	switch (v->model) {
	case MODEL_ASYNC:
	case MODEL_MULTITHREADING:
		*kind = FINDING_IO;
		return true;
	case MODEL_MULTIPROCESSING:
		*kind = FINDING_CPU;
		return true;
	default:
		break;
	}
	if (!strcmp(v->inconclusive_reason, "locks"))
		*kind = FINDING_LOCK;
	else if (!strcmp(v->inconclusive_reason, "asleep"))
		*kind = FINDING_SLEEP;
	else if (!strcmp(v->inconclusive_reason, "children"))
		*kind = FINDING_CHILD;
	else
		return false;
	return true;
}

static bool counts(enum finding_kind kind, int cause, const struct stack_entry *e)
{
	switch (kind) {
	case FINDING_IO:
		return CAUSE_IS_IO(cause) && e->external;
	case FINDING_CPU:
		return cause == STACKS_CPU;
	case FINDING_LOCK:
		return cause == CAUSE_LOCK;
	case FINDING_SLEEP:
		return cause == CAUSE_SLEEP;
	case FINDING_CHILD:
		return cause == CAUSE_CHILD;
	default:
		return false;
	}
}

static void copy(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

void findings_compute(const struct profile *p, struct verdict *v)
{
	const struct stacks *st = &p->stacks;
	__u64 total[NR_CAUSES + 1] = { 0 };
	enum finding_kind kind;
	struct site *sites;
	size_t n = 0, m = 0;

	v->nr_findings = 0;
	if (!st->collected || !kind_of(v, &kind))
		return;
	for (int c = 0; c <= NR_CAUSES; c++)
		for (size_t i = 0; i < st->by_cause[c].nr; i++)
			n += counts(kind, c, &st->by_cause[c].entries[i]);
	if (!n)
		return;
	sites = calloc(n, sizeof(*sites));
	if (!sites)
		return; /* no findings: the verdict stands without them */
	n = 0;
	for (int c = 0; c <= NR_CAUSES; c++) {
		for (size_t i = 0; i < st->by_cause[c].nr; i++) {
			const struct stack_entry *e = &st->by_cause[c].entries[i];

			if (!counts(kind, c, e))
				continue;
			site_of(e, c, &sites[n++]);
			total[c] += e->time_ns;
		}
	}

	/*
	 * one call site for the stacks that reach the same location with the
	 * same call: first each line's time, then the lines of a function that
	 * is the leaf itself together, at its line with the most time
	 */
	m = sites_merge(sites, n, site_line_cmp);
	for (size_t i = 0; i < m; i++)
		sites[i].loc_ns = sites[i].time_ns;
	m = sites_merge(sites, m, site_key_cmp);
	if (m > 1)
		qsort(sites, m, sizeof(*sites), site_time_cmp);

	for (size_t i = 0; i < m && v->nr_findings < MAX_FINDINGS; i++) {
		const struct site *s = &sites[i];
		struct finding *f;

		if (!s->time_ns)
			break;
		/* addresses in no mapping, no name: it says nothing (its time stays in the shares) */
		if (!says_where(s))
			continue;
		f = &v->findings[v->nr_findings++];
		memset(f, 0, sizeof(*f));
		f->kind = kind;
		f->cause = s->cause;
		f->share = total[s->cause] ? (double)s->time_ns / total[s->cause] : 0;
		f->time_ns = s->time_ns;
		f->count = s->count;
		copy(f->leaf, sizeof(f->leaf), s->leaf);
		if (s->loc) {
			copy(f->function, sizeof(f->function), s->loc->function);
			copy(f->module, sizeof(f->module), s->loc->module);
			if (s->loc->file && s->loc->file[0] && s->loc->line) {
				copy(f->file, sizeof(f->file), s->loc->file);
				f->line = s->loc->line;
			}
		}
	}
	free(sites);
}
