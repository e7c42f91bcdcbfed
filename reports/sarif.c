// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The findings as SARIF 2.1.0 (-o x.sarif), the format static analysers
 * give code scanning (GitHub's among them): one run of the tool "advisor",
 * a rule per kind of finding (io-wait, cpu-time, lock-wait, sleep,
 * child-wait: the driver it explains), and a result per finding of
 * verdict.findings whose message quotes its share and time, located at its
 * file and line, with the function as a logical location. The verdict, its
 * advice and rationale go in the run's property bag.
 *
 * A file from the debug info is a path on the machine that built the
 * program: an absolute one becomes a file:// URI (code scanning maps those
 * below the checkout), a relative one stays relative; both are
 * percent-encoded. A finding without a file is located at its module, the
 * binary, without a region.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

struct rule {
	const char *driver; /* verdict.findings[].driver */
	const char *id;
	const char *name;
	const char *short_text;
	const char *full_text;
};

static const struct rule rules[] = {
	{ "io", "io-wait", "ExternalIoWait", "Call site of the external I/O wait behind an I/O-bound verdict",
	  "The program waited here on the network, a disk, an event loop or a pipe from outside its "
	  "process tree: this share of that wait is what makes it I/O-bound. Overlapping these "
	  "waits (async I/O, or threads) is what the verdict advises." },
	{ "cpu", "cpu-time", "OnCpuTime", "Call site of the CPU time behind a CPU-bound verdict",
	  "The program ran on a CPU here: this share of its CPU time is what makes it CPU-bound. "
	  "Spreading this work over processes or threads is what the verdict advises." },
	{ "lock", "lock-wait", "LockWait", "Call site of the lock waits behind an inconclusive verdict",
	  "The program's threads waited for each other here (futexes, file locks): contention that "
	  "no concurrency model removes." },
	{ "sleep", "sleep", "Sleep", "Call site of the sleeps behind an inconclusive verdict",
	  "The program slept here: it is limited by its own sleeps, which no concurrency model "
	  "changes." },
	{ "child", "child-wait", "ChildWait", "Call site of the waits for children behind an inconclusive verdict",
	  "The program waited for its child processes here: the time is spent in the children." },
};

#define NR_RULES (sizeof(rules) / sizeof(rules[0]))

/* Building the tree: the first failed allocation sticks. */
struct sw {
	int err;
};

static struct json_object *put(struct sw *w, struct json_object *o, const char *key,
			       struct json_object *v)
{
	if (!o || !v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static struct json_object *append(struct sw *w, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static void put_str(struct sw *w, struct json_object *o, const char *key, const char *s)
{
	put(w, o, key, json_object_new_string(s));
}

static void put_text(struct sw *w, struct json_object *o, const char *key, const char *text)
{
	put_str(w, put(w, o, key, json_object_new_object()), "text", text);
}

/* A path as a URI reference: file:// when absolute, every byte but [A-Za-z0-9/._~-] %XX. */
static char *path_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(path);
	char *uri = malloc(len * 3 + sizeof("file://")), *o = uri;

	if (!uri)
		return NULL;
	if (path[0] == '/')
		o = stpcpy(o, "file://");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("/._~-", *s)) {
			*o++ = (char)*s;
		} else {
			*o++ = '%';
			*o++ = hex[*s >> 4];
			*o++ = hex[*s & 15];
		}
	}
	*o = '\0';
	return uri;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int rule_index(const char *driver)
{
	for (size_t i = 0; i < NR_RULES; i++)
		if (!strcmp(driver, rules[i].driver))
			return (int)i;
	return -1;
}

/* "72% of the external net wait (720 ms, 90 waits) is in recv called from fetch_page (client.c:88)." */
static void message_of(const struct json_object *fd, char *buf, size_t len)
{
	const char *driver = doc_str(fd, "driver"), *cause = doc_str(fd, "cause");
	const char *leaf = doc_str(fd, "leaf"), *fn = doc_str(fd, "function");
	const char *file = doc_str(fd, "file"), *mod = doc_str(fd, "module");
	char what[64], where[600], t[FMT_LEN], pct[FMT_LEN];
	bool cpu = !strcmp(driver, "cpu");
	unsigned long long count = doc_u64(fd, "count");

	if (cpu)
		snprintf(what, sizeof(what), "the time on CPU");
	else
		snprintf(what, sizeof(what), "the %s%s wait", !strcmp(driver, "io") ? "external " : "",
			 cause);
	if (!fn[0])
		snprintf(where, sizeof(where), "code without symbols%s%s", mod[0] ? " in " : "",
			 base_name(mod));
	else if (leaf[0] && strcmp(leaf, fn))
		snprintf(where, sizeof(where), "%s called from %s", leaf, fn);
	else
		snprintf(where, sizeof(where), "%s", fn);
	snprintf(buf, len, "%s of %s (%s, %llu %s) is in %s", fmt_pct(pct, sizeof(pct), doc_double(fd, "share")),
		 what, fmt_ns(t, sizeof(t), (double)doc_u64(fd, "time_ns")), count,
		 cpu ? (count == 1 ? "sample" : "samples") : (count == 1 ? "wait" : "waits"), where);
	if (file[0])
		snprintf(buf + strlen(buf), len - strlen(buf), " (%s:%lld)", base_name(file),
			 doc_int(fd, "line", 0));
	snprintf(buf + strlen(buf), len - strlen(buf), ".");
}

static void add_location(struct sw *w, struct json_object *result, const struct json_object *fd,
			 const struct json_object *doc)
{
	const char *file = doc_str(fd, "file"), *fn = doc_str(fd, "function");
	const char *where = file[0] ? file : doc_str(fd, "module");
	struct json_object *locs, *loc, *phys, *logical;
	char *uri;

	if (!where[0] && json_object_is_type(doc_at(doc, "command", 0), json_type_string))
		where = json_object_get_string(doc_at(doc, "command", 0));
	locs = put(w, result, "locations", json_object_new_array());
	loc = append(w, locs, json_object_new_object());
	if (where[0]) {
		phys = put(w, loc, "physicalLocation", json_object_new_object());
		uri = path_uri(where);
		if (!uri) {
			w->err = -ENOMEM;
			return;
		}
		put_str(w, put(w, phys, "artifactLocation", json_object_new_object()), "uri", uri);
		free(uri);
		if (file[0] && doc_int(fd, "line", 0) > 0)
			put(w, put(w, phys, "region", json_object_new_object()), "startLine",
			    json_object_new_int64(doc_int(fd, "line", 0)));
	}
	if (fn[0]) {
		logical = append(w, put(w, loc, "logicalLocations", json_object_new_array()),
				 json_object_new_object());
		put_str(w, logical, "name", fn);
		put_str(w, logical, "kind", "function");
	}
}

static void add_result(struct sw *w, struct json_object *results, const struct json_object *fd,
		       const struct json_object *doc)
{
	int ri = rule_index(doc_str(fd, "driver"));
	struct json_object *r, *props;
	char msg[1024];

	if (ri < 0)
		return; /* a driver this version does not know */
	r = append(w, results, json_object_new_object());
	put_str(w, r, "ruleId", rules[ri].id);
	put(w, r, "ruleIndex", json_object_new_int(ri));
	put_str(w, r, "level", "note");
	message_of(fd, msg, sizeof(msg));
	put_text(w, r, "message", msg);
	add_location(w, r, fd, doc);
	props = put(w, r, "properties", json_object_new_object());
	put_str(w, props, "cause", doc_str(fd, "cause"));
	put(w, props, "share", json_object_new_double(isfinite(doc_double(fd, "share")) ?
							      doc_double(fd, "share") : 0));
	put(w, props, "time_ns", json_object_new_uint64(doc_u64(fd, "time_ns")));
	put(w, props, "count", json_object_new_uint64(doc_u64(fd, "count")));
	if (doc_str(fd, "leaf")[0])
		put_str(w, props, "leaf", doc_str(fd, "leaf"));
}

static void add_rules(struct sw *w, struct json_object *driver)
{
	struct json_object *arr = put(w, driver, "rules", json_object_new_array());

	for (size_t i = 0; i < NR_RULES; i++) {
		struct json_object *r = append(w, arr, json_object_new_object());

		put_str(w, r, "id", rules[i].id);
		put_str(w, r, "name", rules[i].name);
		put_text(w, r, "shortDescription", rules[i].short_text);
		put_text(w, r, "fullDescription", rules[i].full_text);
		put_text(w, r, "help", rules[i].full_text);
		put_str(w, put(w, r, "defaultConfiguration", json_object_new_object()), "level",
			"note");
	}
}

static struct json_object *sarif_build(const struct json_object *doc, int *err)
{
	struct sw w = { 0 };
	struct json_object *root = json_object_new_object(), *run, *driver, *results, *props;
	const char *version = doc_str(doc, "advisor_version");
	size_t n = doc_len(doc, "verdict.findings");

	put_str(&w, root, "$schema", SARIF_SCHEMA);
	put_str(&w, root, "version", "2.1.0");
	run = append(&w, put(&w, root, "runs", json_object_new_array()), json_object_new_object());
	driver = put(&w, put(&w, run, "tool", json_object_new_object()), "driver",
		     json_object_new_object());
	put_str(&w, driver, "name", "advisor");
	put_str(&w, driver, "version", version[0] ? version : "unknown");
	add_rules(&w, driver);
	results = put(&w, run, "results", json_object_new_array());
	for (size_t i = 0; i < n; i++)
		add_result(&w, results, doc_at(doc, "verdict.findings", i), doc);
	props = put(&w, run, "properties", json_object_new_object());
	put_str(&w, props, "model", doc_str(doc, "verdict.model"));
	put_str(&w, props, "advice", doc_str(doc, "verdict.advice"));
	put_str(&w, props, "rationale", doc_str(doc, "verdict.rationale"));
	*err = w.err;
	if (w.err) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

int report_sarif_write(FILE *f, const struct json_object *doc)
{
	struct json_object *sarif;
	int err;

	sarif = sarif_build(doc, &err);
	if (!sarif)
		return err;
	err = report_json_write(f, sarif);
	json_object_put(sarif);
	return err;
}
