// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gate policy file (reports/schema/policy-1.json): its limits and
 * tolerances, each on a metric path checked when the file is read, and the
 * metrics --repeat keeps per run.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../reports/format.h"
#include "document.h"
#include "metric.h"
#include "policy.h"

const struct policy_tolerance policy_default_tolerances[] = {
    {"duration_ns", NAN, 0.25, GATE_WORSE_HIGHER},
    {"time.cpu_ns", NAN, 0.25, GATE_WORSE_HIGHER},
};
const size_t policy_nr_default_tolerances =
    sizeof(policy_default_tolerances) / sizeof(policy_default_tolerances[0]);

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
		src = metric_path_canonical(src, buf, sizeof(buf));
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

	if (metric_path_check(path, why, sizeof(why)))
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
	root = document_parse_file(file, err, errlen);
	if (!root)
		return errno ? -errno : -EINVAL;
	e = load_tree(&ld, root, p);
	json_object_put(root);
	return e;
}

