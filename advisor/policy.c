// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gate policy: reading it, metric paths, and applying every gate.
 *
 * Paths are checked against the layout of the report as the writer makes it:
 * a template report with one element in every array is written to a json-c
 * tree, and the path is walked over it, any index standing for element 0 and
 * a selector needing only its key. The layout therefore cannot drift from the
 * writer's, and a typo in a policy is an error when it is read, before
 * anything runs, never a rule that silently compares nothing.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "policy.h"

#define MAX_SEGS 16
#define SEG_KEY_LEN 64

const struct policy_tolerance policy_default_tolerances[] = {
    {"duration_ns", NAN, 0.25, GATE_WORSE_HIGHER},
    {"time.cpu_ns", NAN, 0.25, GATE_WORSE_HIGHER},
};
const size_t policy_nr_default_tolerances =
    sizeof(policy_default_tolerances) / sizeof(policy_default_tolerances[0]);

static const char *const driver_names[] = {"io_fraction", "wait_p50_ns", "peak_open",
					   "busy_threads"};
#define NR_DRIVERS (sizeof(driver_names) / sizeof(driver_names[0]))
#define DRIVERS_PREFIX "verdict.drivers."

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof(*p));
	p->min_agreement = 1;
}

void policy_free(struct policy *p)
{
	free(p->limits);
	free(p->tolerances);
	policy_init(p);
}

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

const char *policy_path_canonical(const char *path, char *buf, size_t len)
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
static int resolve(struct json_object *tree, const char *path, bool template, double *out,
		   char *why, size_t len)
{
	struct seg segs[MAX_SEGS];
	char where[GATE_PATH_LEN + 16] = "", buf[GATE_PATH_LEN + 32];
	struct json_object *cur = tree;
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

int policy_path_check(const char *path, char *why, size_t len)
{
	struct json_object *tree;
	struct report r;
	double v;
	int e;

	if (template_report(&r)) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	tree = report_json_tree(&r);
	report_free(&r);
	if (!tree) {
		snprintf(why, len, "out of memory");
		return -ENOMEM;
	}
	e = resolve(tree, path, true, &v, why, len);
	json_object_put(tree);
	return e < 0 ? e : 0;
}

const char *policy_needs_syscalls(const struct policy *p)
{
	for (size_t i = 0; i < p->nr_limits; i++)
		if (!strncmp(p->limits[i].path, "syscalls", 8) &&
		    (p->limits[i].path[8] == '[' || p->limits[i].path[8] == '.' ||
		     !p->limits[i].path[8]))
			return p->limits[i].path;
	for (size_t i = 0; i < p->nr_tolerances; i++)
		if (!strncmp(p->tolerances[i].path, "syscalls", 8) &&
		    (p->tolerances[i].path[8] == '[' || p->tolerances[i].path[8] == '.' ||
		     !p->tolerances[i].path[8]))
			return p->tolerances[i].path;
	return NULL;
}

static const char *const repeat_default_paths[] = {
    "io_fraction",	     "wait_p50_ns",	      "peak_open",
    "busy_threads",	     "verdict.confidence",    "duration_ns",
    "time.cpu_ns",	     "time.runq_ns",	      "time.blocked_ns.net",
    "time.blocked_ns.disk",  "time.blocked_ns.poll",  "time.blocked_ns.lock",
    "time.blocked_ns.sleep", "time.blocked_ns.child", "time.blocked_ns.ipc",
    "time.blocked_ns.other",
};

int policy_repeat_paths(const struct policy *p, char ***paths, size_t *n)
{
	size_t nd = sizeof(repeat_default_paths) / sizeof(repeat_default_paths[0]);
	size_t cap = nd + p->nr_limits + p->nr_tolerances + policy_nr_default_tolerances, k = 0;
	char **out = calloc(1, cap * (sizeof(char *) + GATE_PATH_LEN));
	char *text = (char *)(out + cap), buf[GATE_PATH_LEN];

	if (!out)
		return -ENOMEM;
	for (size_t i = 0; i < cap; i++) {
		const char *src;
		bool dup = false;

		if (i < nd)
			src = repeat_default_paths[i];
		else if (i < nd + p->nr_limits)
			src = p->limits[i - nd].path;
		else if (i < nd + p->nr_limits + p->nr_tolerances)
			src = p->tolerances[i - nd - p->nr_limits].path;
		else
			src = policy_default_tolerances[i - nd - p->nr_limits - p->nr_tolerances]
				  .path;
		src = policy_path_canonical(src, buf, sizeof(buf));
		for (size_t j = 0; j < k && !dup; j++)
			dup = !strcmp(out[j], src);
		if (dup)
			continue;
		out[k] = text + k * GATE_PATH_LEN;
		snprintf(out[k], GATE_PATH_LEN, "%s", src);
		k++;
	}
	*paths = out;
	*n = k;
	return 0;
}

int policy_value(const struct report *r, struct json_object *tree, const char *path, double *out,
		 char *why, size_t len)
{
	char buf[GATE_PATH_LEN];
	const struct repeat_metric *m;

	if (r->repeat.runs) {
		m = repeat_metric_find(&r->repeat, policy_path_canonical(path, buf, sizeof(buf)));
		if (m) {
			*out = m->median;
			return 0;
		}
	}
	return resolve(tree, path, false, out, why, len);
}

int policy_repeat_fold(const struct policy *policy, struct report *runs, unsigned int n,
		       struct report *out)
{
	struct repeat_summary s;
	char **paths = NULL, why[256];
	size_t np = 0;
	double *values;
	int e;

	e = policy_repeat_paths(policy, &paths, &np);
	if (!e)
		e = repeat_init(&s, n, (const char *const *)paths, np);
	else
		memset(&s, 0, sizeof(s));
	values = calloc(np ? np : 1, sizeof(*values));
	if (e || !values) {
		free(paths);
		free(values);
		repeat_free(&s);
		for (unsigned int i = 0; i < n; i++)
			report_free(&runs[i]);
		return -ENOMEM;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct json_object *tree = report_json_tree(&runs[i]);
		struct repeat_run run = {
		    .model = runs[i].verdict.model,
		    .confidence = runs[i].verdict.confidence,
		    .exited = runs[i].profile.target_exited,
		    .exit_code = runs[i].profile.exit_code,
		    .signal = runs[i].profile.signal,
		};

		for (size_t k = 0; k < np; k++)
			if (!tree ||
			    policy_value(&runs[i], tree, paths[k], &values[k], why, sizeof(why)))
				values[k] = NAN;
		json_object_put(tree);
		repeat_set_run(&s, i, &run, values);
	}
	free(values);
	free(paths);
	repeat_finish(&s);

	*out = runs[s.main_run];
	memset(&runs[s.main_run], 0, sizeof(runs[s.main_run]));
	for (unsigned int i = 0; i < n; i++)
		report_free(&runs[i]);
	out->repeat = s;
	return 0;
}

/* Reading the file */

struct loader {
	const char *file;
	char *err;
	size_t errlen;
};

static int load_fail(struct loader *ld, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int load_fail(struct loader *ld, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ld->err, ld->errlen, "%s: ", ld->file);

	if (n >= 0 && (size_t)n < ld->errlen) {
		va_start(ap, fmt);
		vsnprintf(ld->err + n, ld->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

static bool is_number(struct json_object *v)
{
	return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
}

/* The rule's path, checked; its body must be an object. */
static int load_rule_head(struct loader *ld, const char *section, const char *path,
			  struct json_object *body)
{
	char why[256];

	if (policy_path_check(path, why, sizeof(why)))
		return load_fail(ld, "%s '%s' names nothing in a report: %s", section, path, why);
	if (!json_object_is_type(body, json_type_object))
		return load_fail(ld, "%s '%s' must be an object like %s", section, path,
				 !strcmp(section, "limits") ? "{\"max\": 100}" : "{\"rel\": 0.1}");
	return 0;
}

static int load_limits(struct loader *ld, struct json_object *o, struct policy *p)
{
	size_t n = json_object_object_length(o);

	p->limits = calloc(n ? n : 1, sizeof(*p->limits));
	if (!p->limits)
		return load_fail(ld, "out of memory");
	json_object_object_foreach(o, path, body)
	{
		struct policy_limit *l = &p->limits[p->nr_limits];

		if (load_rule_head(ld, "limits", path, body))
			return -EINVAL;
		snprintf(l->path, sizeof(l->path), "%s", path);
		l->min = l->max = NAN;
		json_object_object_foreach(body, key, v)
		{
			double *dst;

			if (!strcmp(key, "min"))
				dst = &l->min;
			else if (!strcmp(key, "max"))
				dst = &l->max;
			else
				return load_fail(ld,
						 "limits '%s': unknown key '%s' (want min or max)",
						 path, key);
			if (!is_number(v))
				return load_fail(ld, "limits '%s': key '%s' must be a number", path,
						 key);
			*dst = json_object_get_double(v);
		}
		if (isnan(l->min) && isnan(l->max))
			return load_fail(ld, "limits '%s': wants min, max or both", path);
		if (!isnan(l->min) && !isnan(l->max) && l->min > l->max)
			return load_fail(ld, "limits '%s': min is above max", path);
		p->nr_limits++;
	}
	return 0;
}

static int load_tolerances(struct loader *ld, struct json_object *o, struct policy *p)
{
	size_t n = json_object_object_length(o);

	p->has_tolerances = true;
	p->tolerances = calloc(n ? n : 1, sizeof(*p->tolerances));
	if (!p->tolerances)
		return load_fail(ld, "out of memory");
	json_object_object_foreach(o, path, body)
	{
		struct policy_tolerance *t = &p->tolerances[p->nr_tolerances];

		if (load_rule_head(ld, "tolerances", path, body))
			return -EINVAL;
		snprintf(t->path, sizeof(t->path), "%s", path);
		t->abs = t->rel = NAN;
		t->worse = GATE_WORSE_HIGHER;
		json_object_object_foreach(body, key, v)
		{
			int w;

			if (!strcmp(key, "abs") || !strcmp(key, "rel")) {
				if (!is_number(v) || json_object_get_double(v) < 0)
					return load_fail(
					    ld, "tolerances '%s': key '%s' must be a number >= 0",
					    path, key);
				*(key[0] == 'a' ? &t->abs : &t->rel) = json_object_get_double(v);
			} else if (!strcmp(key, "worse")) {
				w = json_object_is_type(v, json_type_string)
					? gate_name_index(gate_worse_names, NR_GATE_WORSE,
							  json_object_get_string(v))
					: -1;
				if (w < 0)
					return load_fail(ld,
							 "tolerances '%s': key 'worse' must be "
							 "\"higher\", \"lower\" or \"either\"",
							 path);
				t->worse = w;
			} else {
				return load_fail(
				    ld,
				    "tolerances '%s': unknown key '%s' (want abs, rel or worse)",
				    path, key);
			}
		}
		if (isnan(t->abs) && isnan(t->rel))
			return load_fail(ld, "tolerances '%s': wants abs, rel or both", path);
		p->nr_tolerances++;
	}
	return 0;
}

static int load_tree(struct loader *ld, struct json_object *root, struct policy *p)
{
	struct json_object *v;

	if (!json_object_is_type(root, json_type_object))
		return load_fail(ld, "not an advisor policy (not a JSON object)");
	if (!json_object_object_get_ex(root, "schema", &v))
		return load_fail(ld, "not an advisor policy (key 'schema' is missing)");
	if (!json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), POLICY_SCHEMA))
		return load_fail(ld, "not an advisor policy (key 'schema' is not \"%s\")",
				 POLICY_SCHEMA);
	json_object_object_foreach(root, key, val)
	{
		if (!strcmp(key, "schema")) {
			continue;
		} else if (!strcmp(key, "description")) {
			if (!json_object_is_type(val, json_type_string))
				return load_fail(ld, "key 'description' must be a string");
		} else if (!strcmp(key, "min_agreement")) {
			double a = json_object_get_double(val);

			if (!is_number(val) || !(a > 0.5 && a <= 1))
				return load_fail(
				    ld,
				    "key 'min_agreement' must be a number above 0.5 and at most 1");
			p->min_agreement = a;
		} else if (!strcmp(key, "limits") || !strcmp(key, "tolerances")) {
			int e;

			if (!json_object_is_type(val, json_type_object))
				return load_fail(ld, "key '%s' must be an object of metric paths",
						 key);
			e = key[0] == 'l' ? load_limits(ld, val, p) : load_tolerances(ld, val, p);
			if (e)
				return e;
		} else {
			return load_fail(ld,
					 "unknown key '%s' (want schema, description, "
					 "min_agreement, limits or tolerances)",
					 key);
		}
	}
	return 0;
}

int policy_load(const char *file, struct policy *p, char *err, size_t errlen)
{
	struct loader ld = {.file = file, .err = err, .errlen = errlen};
	struct json_object *root;
	int e;

	policy_init(p);
	snprintf(p->file, sizeof(p->file), "%s", file);
	root = report_json_parse_file(file, err, errlen);
	if (!root)
		return errno ? -errno : -EINVAL;
	e = load_tree(&ld, root, p);
	json_object_put(root);
	return e;
}

/* Applying the gates */

static int apply_fail(char *err, size_t errlen, const char *name, const char *section,
		      const char *path, const char *why)
{
	snprintf(err, errlen, "%s: %s '%s' names nothing in this report: %s", name, section, path,
		 why);
	return -EINVAL;
}

int policy_apply(const struct policy *p, const char *expect, const struct report *r,
		 const char *report_name, const struct report *baseline, const char *baseline_name,
		 struct gate_results *out, char *err, size_t errlen)
{
	struct json_object *tree = NULL, *btree = NULL;
	const struct policy_tolerance *tol;
	struct gate_rule g;
	size_t nr_tol;
	char why[256];
	int e = 0;

	memset(out, 0, sizeof(*out));
	out->evaluated = true;
	snprintf(out->expect, sizeof(out->expect), "%s", expect ? expect : "");
	snprintf(out->policy, sizeof(out->policy), "%s", p->file);
	snprintf(out->baseline, sizeof(out->baseline), "%s",
		 baseline && baseline_name ? baseline_name : "");
	tree = report_json_tree(r);
	if (!tree)
		goto nomem;

	if (expect) {
		unsigned int one[NR_MODELS] = {0};
		const unsigned int *counts = r->repeat.runs ? r->repeat.counts : one;

		if ((unsigned int)r->verdict.model < NR_MODELS)
			one[r->verdict.model] = 1;
		gate_expect(&g, model_from_name(expect), r->verdict.model,
			    r->verdict.inconclusive_reason, counts,
			    r->repeat.runs ? r->repeat.runs : 1, p->min_agreement);
		if (gate_results_add(out, &g))
			goto nomem;
	}

	for (size_t i = 0; i < p->nr_limits; i++) {
		const struct policy_limit *l = &p->limits[i];
		double v;

		e = policy_value(r, tree, l->path, &v, why, sizeof(why));
		if (e < 0) {
			e = apply_fail(err, errlen, report_name, "limits", l->path, why);
			goto out;
		}
		if (e == 1) {
			gate_missing(&g, GATE_LIMIT, l->path, why);
			g.min = l->min;
			g.max = l->max;
		} else
			gate_limit(&g, l->path, v, l->min, l->max);
		e = 0;
		if (gate_results_add(out, &g))
			goto nomem;
	}

	if (!baseline)
		goto out;
	gate_model(&g, baseline->verdict.model, r->verdict.model);
	if (gate_results_add(out, &g))
		goto nomem;
	btree = report_json_tree(baseline);
	if (!btree)
		goto nomem;
	tol = p->has_tolerances ? p->tolerances : policy_default_tolerances;
	nr_tol = p->has_tolerances ? p->nr_tolerances : policy_nr_default_tolerances;
	for (size_t i = 0; i < nr_tol; i++) {
		const struct policy_tolerance *t = &tol[i];
		double old, new;
		int eo, en;

		eo = policy_value(baseline, btree, t->path, &old, why, sizeof(why));
		if (eo < 0) {
			e = apply_fail(err, errlen, baseline_name, "tolerances", t->path, why);
			goto out;
		}
		if (eo == 1) {
			gate_missing(&g, GATE_CHANGE, t->path, "not in the baseline");
		} else {
			en = policy_value(r, tree, t->path, &new, why, sizeof(why));
			if (en < 0) {
				e = apply_fail(err, errlen, report_name, "tolerances", t->path,
					       why);
				goto out;
			}
			if (en == 1)
				gate_missing(&g, GATE_CHANGE, t->path, why);
			else
				gate_change(&g, t->path, old, new, t->abs, t->rel, t->worse);
		}
		g.worse = t->worse;
		g.abs = t->abs;
		g.rel = t->rel;
		if (gate_results_add(out, &g))
			goto nomem;
	}
	goto out;

nomem:
	snprintf(err, errlen, "out of memory");
	e = -ENOMEM;
out:
	json_object_put(tree);
	json_object_put(btree);
	return e;
}
