// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Metric paths: a name for one number of the report document, as the
 * policy's limits and tolerances and --repeat's metrics use them.
 *
 * Paths are checked against the layout of the document as it is built: a
 * template report with one element in every array is built into a document,
 * and the path is walked over it, any index standing for element 0 and a
 * selector needing only its key. The layout therefore cannot drift from the
 * document's, and a typo in a policy is an error when it is read, before
 * anything runs, never a rule that silently compares nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "document.h"
#include "metric.h"

#define MAX_SEGS 16
#define SEG_KEY_LEN 64

static const char *const driver_names[] = {"io_fraction", "wait_p50_ns", "peak_open",
					   "busy_threads"};
#define NR_DRIVERS (sizeof(driver_names) / sizeof(driver_names[0]))
#define DRIVERS_PREFIX "verdict.drivers."

/* Paths */

enum seg_kind {
	SEG_KEY,    /* .name */
	SEG_INDEX,  /* [3] */
	SEG_SELECT, /* [name=fsync] */
};

struct seg {
	enum seg_kind kind;
	char key[SEG_KEY_LEN]; /* SEG_KEY: the key; SEG_SELECT: the element's key */
	size_t index;
	char value[GATE_PATH_LEN]; /* SEG_SELECT */
};

static bool is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t key_len(const char *s)
{
	size_t n = 0;

	while (is_key_char(s[n]))
		n++;
	return n;
}

static int path_parse(const char *path, struct seg *segs, size_t *nr, char *why, size_t len)
{
	const char *s = path;
	size_t n = 0;

	*nr = 0;
	if (strlen(path) >= GATE_PATH_LEN) {
		snprintf(why, len, "a path is at most %d bytes", GATE_PATH_LEN - 1);
		return -EINVAL;
	}
	while (*s) {
		struct seg *g;
		size_t k;

		if (n == MAX_SEGS) {
			snprintf(why, len, "more than %d parts", MAX_SEGS);
			return -EINVAL;
		}
		g = &segs[n];
		memset(g, 0, sizeof(*g));
		if (n && *s == '.')
			s++;
		else if (n && *s != '[')
			goto bad;
		if (!n || s[-1] == '.') {
			k = key_len(s);
			if (!k || k >= SEG_KEY_LEN)
				goto bad;
			g->kind = SEG_KEY;
			memcpy(g->key, s, k);
			s += k;
			n++;
			continue;
		}
		/* '[' */
		s++;
		k = strspn(s, "0123456789");
		if (k && s[k] == ']') {
			g->kind = SEG_INDEX;
			g->index = strtoul(s, NULL, 10);
			s += k + 1;
			n++;
			continue;
		}
		k = key_len(s);
		if (!k || k >= SEG_KEY_LEN || s[k] != '=')
			goto bad;
		g->kind = SEG_SELECT;
		memcpy(g->key, s, k);
		s += k + 1;
		k = strcspn(s, "]");
		if (!k || !s[k])
			goto bad;
		memcpy(g->value, s, k);
		s += k + 1;
		n++;
	}
	if (!n)
		goto bad;
	*nr = n;
	return 0;
bad:
	snprintf(why, len, "bad path at '%.40s': want key.key, key[N] or key[key=value]", s);
	return -EINVAL;
}

static const char *expand(const char *path, char *buf, size_t len)
{
	for (size_t i = 0; i < NR_DRIVERS; i++)
		if (!strcmp(path, driver_names[i])) {
			snprintf(buf, len, DRIVERS_PREFIX "%s", path);
			return buf;
		}
	return path;
}

const char *metric_path_canonical(const char *path, char *buf, size_t len)
{
	size_t n = strlen(DRIVERS_PREFIX);

	if (!strncmp(path, DRIVERS_PREFIX, n))
		for (size_t i = 0; i < NR_DRIVERS; i++)
			if (!strcmp(path + n, driver_names[i]))
				return driver_names[i];
	snprintf(buf, len, "%s", path);
	return buf;
}

static const char *json_kind(struct json_object *o)
{
	switch (json_object_get_type(o)) {
	case json_type_null:
		return "null";
	case json_type_boolean:
		return "true or false";
	case json_type_string:
		return "a string";
	case json_type_object:
		return "an object";
	case json_type_array:
		return "an array";
	default:
		return "a number";
	}
}

/* Whether element e of an array has k = v. */
static bool element_matches(struct json_object *e, const char *k, const char *v)
{
	struct json_object *x;
	char *end;

	if (!json_object_is_type(e, json_type_object) || !json_object_object_get_ex(e, k, &x) || !x)
		return false;
	if (json_object_is_type(x, json_type_string))
		return !strcmp(json_object_get_string(x), v);
	if (json_object_is_type(x, json_type_int)) {
		long long want = strtoll(v, &end, 10);

		return !*end && json_object_get_int64(x) == want;
	}
	if (json_object_is_type(x, json_type_double)) {
		double want = strtod(v, &end);

		return !*end && json_object_get_double(x) == want;
	}
	return false;
}

/*
 * Walks path over tree: 0 with *out, 1 when an element is not there, -EINVAL
 * when the path names nothing. template: any index is element 0, and a
 * selector needs only its key in element 0.
 */
static int resolve(const struct json_object *tree, const char *path, bool template, double *out,
		   char *why, size_t len)
{
	struct seg segs[MAX_SEGS];
	char where[GATE_PATH_LEN + 16] = "", buf[GATE_PATH_LEN + 32];
	struct json_object *cur = (struct json_object *)tree;
	size_t nr, wlen = 0;

	if (path_parse(expand(path, buf, sizeof(buf)), segs, &nr, why, len))
		return -EINVAL;
	for (size_t i = 0; i < nr; i++) {
		const struct seg *g = &segs[i];
		struct json_object *next = NULL;
		size_t n;

		if (g->kind == SEG_KEY) {
			if (!json_object_is_type(cur, json_type_object)) {
				snprintf(why, len, "'%s' is %s, not an object", where,
					 json_kind(cur));
				return -EINVAL;
			}
			if (!json_object_object_get_ex(cur, g->key, &next)) {
				if (i)
					snprintf(why, len, "no key '%s' in '%s'", g->key, where);
				else if (template)
					snprintf(why, len, "a report has no key '%s'", g->key);
				else
					snprintf(why, len, "it has no key '%s'%s", g->key,
						 !strcmp(g->key, "syscalls") ? " (made without -S)"
									     : "");
				return -EINVAL;
			}
			wlen += snprintf(where + wlen, sizeof(where) - wlen, "%s%s", i ? "." : "",
					 g->key);
		} else {
			if (!json_object_is_type(cur, json_type_array)) {
				snprintf(why, len, "'%s' is %s, not an array", where,
					 json_kind(cur));
				return -EINVAL;
			}
			n = json_object_array_length(cur);
			if (template) {
				next = n ? json_object_array_get_idx(cur, 0) : NULL;
				if (g->kind == SEG_SELECT &&
				    (!json_object_is_type(next, json_type_object) ||
				     !json_object_object_get_ex(next, g->key, NULL))) {
					snprintf(why, len, "the elements of '%s' have no key '%s'",
						 where, g->key);
					return -EINVAL;
				}
			} else if (g->kind == SEG_INDEX) {
				next =
				    g->index < n ? json_object_array_get_idx(cur, g->index) : NULL;
				if (!next)
					snprintf(why, len, "'%s' has no element [%zu]", where,
						 g->index);
			} else {
				for (size_t k = 0; k < n && !next; k++)
					if (element_matches(json_object_array_get_idx(cur, k),
							    g->key, g->value))
						next = json_object_array_get_idx(cur, k);
				if (!next)
					snprintf(why, len, "no element of '%s' has %s=%s", where,
						 g->key, g->value);
			}
			if (!next && !template) {
				/* a syscall that is not listed was never waited in or called */
				if (i == 1 && (!strcmp(segs[0].key, "syscall_waits") ||
					       !strcmp(segs[0].key, "syscalls"))) {
					*out = 0;
					return 0;
				}
				return 1;
			}
			if (g->kind == SEG_INDEX)
				wlen +=
				    snprintf(where + wlen, sizeof(where) - wlen, "[%zu]", g->index);
			else
				wlen += snprintf(where + wlen, sizeof(where) - wlen, "[%s=%s]",
						 g->key, g->value);
		}
		if (wlen >= sizeof(where))
			wlen = sizeof(where) - 1;
		cur = next;
	}
	if (!cur) {
		*out = NAN;
		return 0;
	}
	if (json_object_is_type(cur, json_type_int) || json_object_is_type(cur, json_type_double)) {
		*out = json_object_get_double(cur);
		return 0;
	}
	if (json_object_is_type(cur, json_type_array))
		snprintf(why, len, "'%s' is an array: add [N] or [key=value]", where);
	else if (json_object_is_type(cur, json_type_object))
		snprintf(why, len, "'%s' is an object: add .key", where);
	else
		snprintf(why, len, "'%s' is %s, not a number", where, json_kind(cur));
	return -EINVAL;
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A report with one of everything, finite numbers and non-empty strings. */
static int template_report(struct report *r)
{
	struct profile *p = &r->profile;
	struct verdict *v = &r->verdict;

	memset(r, 0, sizeof(*r));
	thresholds_default(&r->thresholds);
	p->command = calloc(2, sizeof(*p->command));
	p->processes = calloc(1, sizeof(*p->processes));
	p->syscall_waits = calloc(1, sizeof(*p->syscall_waits));
	p->syscalls = calloc(1, sizeof(*p->syscalls));
	p->buckets = calloc(1, sizeof(*p->buckets));
	if (!p->command || !p->processes || !p->syscall_waits || !p->syscalls || !p->buckets)
		goto nomem;
	p->command[0] = xstrdup("x");
	p->nr_command = 1;
	p->nr_processes = 1;
	p->processes[0].exe = xstrdup("x");
	p->processes[0].argv0 = xstrdup("x");
	p->processes[0].threads = calloc(1, sizeof(*p->processes[0].threads));
	if (!p->command[0] || !p->processes[0].exe || !p->processes[0].argv0 ||
	    !p->processes[0].threads)
		goto nomem;
	p->processes[0].nr_threads = 1;
	snprintf(p->syscall_waits[0].name, sizeof(p->syscall_waits[0].name), "x");
	snprintf(p->syscalls[0].name, sizeof(p->syscalls[0].name), "x");
	p->nr_syscall_waits = 1;
	p->nr_syscalls = 1;
	p->syscalls_enabled = true;
	p->nr_buckets = 1;
	v->nr_path = MAX_PATH;
	snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "x");
	return 0;
nomem:
	report_free(r);
	return -ENOMEM;
}

int metric_path_check(const char *path, char *why, size_t len)
{
	struct json_object *tree;
	struct report r;
	double v;
	int e;

	if (template_report(&r)) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	tree = document_build(&r);
	report_free(&r);
	if (!tree) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	e = resolve(tree, path, true, &v, why, len);
	json_object_put(tree);
	return e < 0 ? e : 0;
}

int metric_value(const struct json_object *doc, const char *path, double *out, char *why,
		 size_t len)
{
	struct json_object *metrics, *m, *median;
	char buf[GATE_PATH_LEN];

	/* with --repeat, a repeated metric reads as its median over the runs */
	if (json_object_object_get_ex(doc, "repeat", &metrics) &&
	    json_object_object_get_ex(metrics, "metrics", &metrics) &&
	    json_object_object_get_ex(metrics, metric_path_canonical(path, buf, sizeof(buf)), &m) &&
	    json_object_object_get_ex(m, "median", &median)) {
		*out = median && (json_object_is_type(median, json_type_double) ||
				  json_object_is_type(median, json_type_int)) ?
			       json_object_get_double(median) :
			       NAN;
		return 0;
	}
	return resolve(doc, path, false, out, why, len);
}

