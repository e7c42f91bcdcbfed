// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The document builder and the report's schema held together, both ways:
 * a report with every optional part (-S, --repeat, a gate of each kind)
 * passes advisor's own check, every key the builder writes is described in
 * reports/schema/report-1.json, every key the schema requires is written,
 * and every key the schema describes is one the builder writes. So a key
 * added on one side and not the other fails here, naming the key.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "reports/report.h"
#include "gates_fixture.h"
#include "stacks_fixture.h"

#define PYTHON "/usr/bin/python3"
#define MAX_FORMS 16 /* schemas that apply to one value at once */

static void add_rule(struct gate_results *gr, const struct gate_rule *g)
{
	cr_assert_eq(gate_results_add(gr, g), 0);
}

/* A report with every part the schema describes, optional ones included. */
static void full_report(struct report *r)
{
	static const char *const paths[] = { "verdict.drivers.io_fraction", "duration_ns" };
	const unsigned int counts[NR_MODELS] = { [MODEL_INCONCLUSIVE] = 2, [MODEL_ASYNC] = 1 };
	struct profile *p = &r->profile;
	struct verdict *v = &r->verdict;
	struct process_profile *proc;
	struct gate_rule g;

	memset(r, 0, sizeof(*r));
	p->nr_command = 2;
	p->command = calloc(p->nr_command + 1, sizeof(*p->command));
	cr_assert_not_null(p->command);
	p->command[0] = fx_strdup("./srv");
	p->command[1] = fx_strdup("--port=8080");
	snprintf(p->kernel, sizeof(p->kernel), "6.1.0");
	p->cpus = 4;
	p->created_at = 1700000000;
	p->attached = true;
	p->stopped_at_duration = true;
	p->target_pid = 100;
	p->exit_code = -1;
	p->duration_ns = 3000000000ULL;

	p->nr_processes = 1;
	p->processes = calloc(1, sizeof(*p->processes));
	cr_assert_not_null(p->processes);
	proc = &p->processes[0];
	proc->pid = 100;
	proc->ppid = 1;
	snprintf(proc->comm, sizeof(proc->comm), "srv");
	proc->exe = fx_strdup("/usr/bin/srv");
	proc->argv0 = fx_strdup("./srv");
	proc->exit_code = -1;
	proc->nr_threads = 1;
	proc->threads = calloc(1, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	proc->threads[0].tid = 100;
	snprintf(proc->threads[0].comm, sizeof(proc->threads[0].comm), "srv");
	proc->threads[0].cpu_ns = 1000;
	proc->threads[0].blocked_ns[CAUSE_SLEEP] = 2900000000ULL;

	p->nr_syscall_waits = 1;
	p->syscall_waits = calloc(1, sizeof(*p->syscall_waits));
	cr_assert_not_null(p->syscall_waits);
	snprintf(p->syscall_waits[0].name, sizeof(p->syscall_waits[0].name), "nanosleep");
	p->syscall_waits[0].nr = 35;
	p->syscall_waits[0].count = 3;
	p->syscall_waits[0].total_ns = 2900000000ULL;
	p->syscall_waits[0].max_ns = 1000000000ULL;
	p->syscall_waits[0].hist[29] = 3;
	p->syscalls_enabled = true;
	p->nr_syscalls = 1;
	p->syscalls = calloc(1, sizeof(*p->syscalls));
	cr_assert_not_null(p->syscalls);
	snprintf(p->syscalls[0].name, sizeof(p->syscalls[0].name), "read");
	p->syscalls[0].nr = 0;
	p->syscalls[0].count = 10;
	p->syscalls[0].errors = 1;
	p->syscalls[0].total_ns = 5000;
	p->syscalls[0].max_ns = 900;
	p->syscalls[0].hist[9] = 10;
	p->waits[CAUSE_SLEEP].all = (struct wait_hist){ .count = 3, .total_ns = 2900000000ULL,
						       .max_ns = 1000000000ULL };
	p->waits[CAUSE_SLEEP].all.slots[29] = 3;
	p->waits[CAUSE_SLEEP].ext = p->waits[CAUSE_SLEEP].all;
	p->conns = (struct connections){ .tcp_counted = true, .unix_counted = true, .accepted = 1,
					 .connected = 2, .peak_open = 3, .closed = 1,
					 .distinct_peers = 2, .unix_connected = 1 };
	p->bucket_ns = 1000000000ULL;
	p->nr_buckets = 1;
	p->buckets = calloc(1, sizeof(*p->buckets));
	cr_assert_not_null(p->buckets);
	p->buckets[0] = (struct timeline_bucket){ 1000, 0, 0, 999999000 };
	/* a stack for every cause, on CPU too, one of them hostile */
	fx_client_stacks(&p->stacks);
	for (int c = 0; c < NR_CAUSES; c++)
		if (!p->stacks.by_cause[c].nr)
			fx_stack_add(&p->stacks, c, fx_hostile, FX_NR(fx_hostile), 1000 + c, 1,
				     c != CAUSE_LOCK);
	snprintf(p->runtime, sizeof(p->runtime), "native");
	snprintf(p->overhead.mode, sizeof(p->overhead.mode), "sched+sockops+syscalls");
	p->overhead.events = 100;

	v->model = MODEL_INCONCLUSIVE;
	v->confidence = 0.9;
	snprintf(v->confidence_basis, sizeof(v->confidence_basis), "asleep 97%% of the run");
	v->io_fraction = 0;
	v->wait_p50_ns = 1000000000ULL;
	v->peak_open = 3;
	v->busy_threads = 0.01;
	snprintf(v->current_model, sizeof(v->current_model), "single-threaded");
	snprintf(v->runtime, sizeof(v->runtime), "native");
	snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "asleep");
	v->nr_path = 1;
	v->path[0] = (struct path_node){ "asleep", 0.97, 0.9, "asleep" };
	v->speedup_bound = 1;
	snprintf(v->speedup_basis, sizeof(v->speedup_basis), "nothing to overlap");
	snprintf(v->advice, sizeof(v->advice), "none: the program sleeps");
	snprintf(v->rationale, sizeof(v->rationale), "It slept 97%% of the run.");
	/* a finding in the program's code, and one with nothing known but its time */
	v->nr_findings = 2;
	v->findings[0] = (struct finding){ .kind = FINDING_SLEEP, .cause = CAUSE_SLEEP,
					   .share = 0.72, .time_ns = 2088000000ULL, .count = 2,
					   .leaf = "nanosleep", .function = "wait_\"<tick>;\n\xff",
					   .file = "/src/tick.c", .line = 88, .module = "/usr/bin/srv" };
	v->findings[1] = (struct finding){ .kind = FINDING_CPU, .cause = STACKS_CPU,
					   .share = 0.28, .time_ns = 812000000ULL, .count = 81 };
	/* a start-up and the steady phase it judged */
	v->phases.nr = 2;
	v->phases.steady = 1;
	v->phases.phase[0] = (struct phase){ PHASE_STARTUP, 0, 400000000, 0.02, 1.0, 1.0 };
	v->phases.phase[1] = (struct phase){ PHASE_STEADY, 400000000, 3000000000ULL, 0.9, 0.1, 1 };
	v->phase_model[0] = MODEL_MULTIPROCESSING;
	v->phase_model[1] = MODEL_ASYNC;
	v->whole_model = MODEL_MULTIPROCESSING;
	v->whole_io_fraction = 0.45;
	v->pool = (struct runtime_pool){ .kind = POOL_LIBUV, .found_by = POOL_BY_NAME, .size = 2,
					 .knob_value = 2, .cpus = 4, .busy_avg = 1.9,
					 .cpu_share = 0.95, .saturated = true, .raise = true };
	thresholds_default(&r->thresholds);

	/* --repeat 3: one metric missing from a run, written as null */
	cr_assert_eq(repeat_init(&r->repeat, 3, paths, 2), 0);
	for (unsigned int i = 0; i < 3; i++) {
		struct repeat_run run = { .model = i == 1 ? MODEL_ASYNC : MODEL_INCONCLUSIVE,
					  .confidence = 0.5 + i * 0.1, .exited = i != 2,
					  .exit_code = i == 2 ? -1 : 0, .signal = i == 2 ? 9 : 0 };
		double values[2] = { i * 0.25, i == 2 ? NAN : 3e9 + i };

		repeat_set_run(&r->repeat, i, &run, values);
	}
	repeat_finish(&r->repeat);

	/* a rule of each kind */
	r->gates.evaluated = true;
	snprintf(r->gates.expect, sizeof(r->gates.expect), "async");
	snprintf(r->gates.policy, sizeof(r->gates.policy), "policy.json");
	snprintf(r->gates.baseline, sizeof(r->gates.baseline), "baseline.json");
	gate_expect(&g, MODEL_ASYNC, MODEL_INCONCLUSIVE, "asleep", counts, 3, 0.6);
	add_rule(&r->gates, &g);
	gate_limit(&g, "verdict.drivers.io_fraction", 0.25, NAN, 0.5);
	add_rule(&r->gates, &g);
	gate_model(&g, MODEL_ASYNC, MODEL_INCONCLUSIVE);
	add_rule(&r->gates, &g);
	gate_change(&g, "duration_ns", 2e9, 3e9, NAN, 0.1, GATE_WORSE_HIGHER);
	add_rule(&r->gates, &g);
}

static struct json_object *build(const struct report *r)
{
	struct json_object *doc = document_build(r);

	cr_assert_not_null(doc, "document_build: %s", strerror(errno));
	return doc;
}

static struct json_object *load_schema(void)
{
	struct json_object *schema;
	char *path;

	cr_assert(asprintf(&path, "%sreports/schema/report-1.json", fx_src_root()) > 0);
	schema = json_object_from_file(path);
	cr_assert_not_null(schema, "%s: %s", path, json_util_get_last_err());
	free(path);
	return schema;
}

/* ---- the walk: the document and the schema side by side ---- */

struct walk {
	struct json_object *schema; /* the root, for $ref */
	char path[512]; /* where we are, as document_check names it: "a.b[2].c" */
	size_t len;
	size_t keys; /* keys looked at, to see that the walk went everywhere */
	size_t nr_bad;
	char bad[4096]; /* one line per problem */
};

static void bad(struct walk *w, const char *fmt, ...)
{
	size_t used = strlen(w->bad);
	va_list ap;

	w->nr_bad++;
	va_start(ap, fmt);
	vsnprintf(w->bad + used, sizeof(w->bad) - used, fmt, ap);
	va_end(ap);
	used = strlen(w->bad);
	snprintf(w->bad + used, sizeof(w->bad) - used, "\n");
}

static struct json_object *kw(const struct json_object *s, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(s, key, &v) ? v : NULL;
}

/* The schema "#/$defs/NAME" names; there must be one. */
static struct json_object *ref_target(struct walk *w, const struct json_object *ref)
{
	const char *name = json_object_get_string((struct json_object *)ref);
	struct json_object *to;

	cr_assert(!strncmp(name, "#/$defs/", 8), "%s: $ref %s is not into $defs", w->path, name);
	cr_assert(json_object_object_get_ex(kw(w->schema, "$defs"), name + 8, &to),
		  "%s: $ref %s names nothing", w->path, name);
	return to;
}

/* Whether every "const" of the form's properties is what v holds (a gate rule's kind). */
static bool form_selected(const struct json_object *v, const struct json_object *form)
{
	struct json_object *props = kw(form, "properties");
	bool any = false;

	if (!props)
		return false;
	json_object_object_foreach(props, key, sub)
	{
		struct json_object *c = kw(sub, "const"), *have;

		if (!c)
			continue;
		if (!json_object_object_get_ex(v, key, &have) || !json_object_equal(have, c))
			return false;
		any = true;
	}
	return any;
}

/*
 * Adds s to set[] with every schema that applies along with it: what its
 * "$ref" names (whose keywords apply beside s's own, as in JSON Schema
 * 2020-12), and for "oneOf" the form v names by a const property, or every
 * form when v names none.
 */
static void expand(struct walk *w, const struct json_object *v, struct json_object *s,
		   struct json_object **set, size_t *n)
{
	struct json_object *ref, *forms;
	size_t nforms, picked = 0;

	for (size_t i = 0; i < *n; i++)
		if (set[i] == s)
			return;
	cr_assert_lt(*n, MAX_FORMS, "%s: too many schemas at once", w->path);
	set[(*n)++] = s;
	ref = kw(s, "$ref");
	if (ref)
		expand(w, v, ref_target(w, ref), set, n);
	forms = kw(s, "oneOf");
	if (!forms)
		return;
	nforms = json_object_array_length(forms);
	for (size_t i = 0; i < nforms; i++) {
		struct json_object *form = json_object_array_get_idx(forms, i);

		if (json_object_is_type(v, json_type_object) && form_selected(v, form)) {
			expand(w, v, form, set, n);
			picked++;
		}
	}
	cr_assert_leq(picked, 1, "%s: names %zu forms of its oneOf", w->path, picked);
	if (picked)
		return;
	for (size_t i = 0; i < nforms; i++)
		expand(w, v, json_object_array_get_idx(forms, i), set, n);
}

static size_t enter_key(struct walk *w, const char *key)
{
	size_t mark = w->len;

	snprintf(w->path + w->len, sizeof(w->path) - w->len, "%s%s", w->len ? "." : "", key);
	w->len = strlen(w->path);
	return mark;
}

static size_t enter_index(struct walk *w, size_t i)
{
	size_t mark = w->len;

	snprintf(w->path + w->len, sizeof(w->path) - w->len, "[%zu]", i);
	w->len = strlen(w->path);
	return mark;
}

static void leave(struct walk *w, size_t mark)
{
	w->len = mark;
	w->path[mark] = '\0';
}

static void walk(struct walk *w, struct json_object *v, struct json_object **schemas, size_t nr);

/* Whether a schema of set[] requires key (a missing key is named once). */
static bool is_required(struct json_object **set, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++) {
		struct json_object *req = kw(set[i], "required");

		for (size_t k = 0; req && k < json_object_array_length(req); k++)
			if (!strcmp(json_object_get_string(json_object_array_get_idx(req, k)), key))
				return true;
	}
	return false;
}

static void walk_object(struct walk *w, struct json_object *v, struct json_object **set, size_t n)
{
	/* every key written is described, by a property or by additionalProperties */
	json_object_object_foreach(v, key, val)
	{
		struct json_object *sub[MAX_FORMS], *s;
		size_t nsub = 0, mark = enter_key(w, key);

		w->keys++;
		for (size_t i = 0; i < n; i++)
			if (json_object_object_get_ex(kw(set[i], "properties"), key, &s))
				sub[nsub++] = s;
		for (size_t i = 0; !nsub && i < n; i++) {
			s = kw(set[i], "additionalProperties");
			if (json_object_is_type(s, json_type_object))
				sub[nsub++] = s;
		}
		if (nsub)
			walk(w, val, sub, nsub);
		else
			bad(w, "key '%s' is written but not described in the schema", w->path);
		leave(w, mark);
	}

	/* every key required is written, and every key described: the report is full */
	for (size_t i = 0; i < n; i++) {
		struct json_object *req = kw(set[i], "required");

		for (size_t k = 0; req && k < json_object_array_length(req); k++) {
			const char *key = json_object_get_string(json_object_array_get_idx(req, k));
			size_t mark = enter_key(w, key);

			if (!json_object_object_get_ex(v, key, NULL))
				bad(w, "key '%s' is required by the schema but not written",
				    w->path);
			leave(w, mark);
		}
		struct json_object *props = kw(set[i], "properties");

		if (!props)
			continue;
		json_object_object_foreach(props, key, sub)
		{
			size_t mark = enter_key(w, key);

			(void)sub;
			if (!json_object_object_get_ex(v, key, NULL) && !is_required(set, n, key))
				bad(w, "key '%s' is in the schema but the full report has none",
				    w->path);
			leave(w, mark);
		}
	}
}

static void walk_array(struct walk *w, struct json_object *v, struct json_object **set, size_t n)
{
	size_t len = json_object_array_length(v);
	struct json_object *items[MAX_FORMS];
	size_t nitems = 0;

	for (size_t i = 0; i < n; i++)
		if (kw(set[i], "items"))
			items[nitems++] = kw(set[i], "items");
	if (!len)
		bad(w, "array '%s' is empty: the full report should fill it", w->path);
	else if (!nitems)
		bad(w, "array '%s' has elements the schema does not describe", w->path);
	for (size_t i = 0; nitems && i < len; i++) {
		size_t mark = enter_index(w, i);

		walk(w, json_object_array_get_idx(v, i), items, nitems);
		leave(w, mark);
	}
}

static void walk(struct walk *w, struct json_object *v, struct json_object **schemas, size_t nr)
{
	struct json_object *set[MAX_FORMS];
	size_t n = 0;

	for (size_t i = 0; i < nr; i++)
		expand(w, v, schemas[i], set, &n);
	if (json_object_is_type(v, json_type_object))
		walk_object(w, v, set, n);
	else if (json_object_is_type(v, json_type_array))
		walk_array(w, v, set, n);
}

/* Walks doc against the schema from its root into w. */
static void walk_document(struct walk *w, struct json_object *doc, struct json_object *schema)
{
	memset(w, 0, sizeof(*w));
	w->schema = schema;
	walk(w, doc, &schema, 1);
}

static struct json_object *rule_of(struct json_object *doc, size_t i, const char *kind)
{
	struct json_object *gates, *rules, *rule;

	cr_assert(json_object_object_get_ex(doc, "gates", &gates));
	cr_assert(json_object_object_get_ex(gates, "rules", &rules));
	rule = json_object_array_get_idx(rules, i);
	cr_assert_not_null(rule);
	cr_assert_str_eq(json_object_get_string(kw(rule, "kind")), kind);
	return rule;
}

/* ---- the tests ---- */

Test(document, full_report_passes_its_own_check)
{
	struct json_object *doc;
	struct report r;
	char err[512] = "";
	int rc;

	full_report(&r);
	doc = build(&r);
	rc = document_check(doc, "full", err, sizeof(err));
	cr_assert_eq(rc, 0, "document_check: %d %s", rc, err);
	json_object_put(doc);
	report_free(&r);
}

Test(document, every_key_written_is_in_the_schema_and_back)
{
	struct json_object *doc, *schema = load_schema();
	struct report r;
	struct walk w;

	full_report(&r);
	doc = build(&r);
	cr_assert_not_null(rule_of(doc, 3, "change"));
	walk_document(&w, doc, schema);
	cr_assert_eq(w.nr_bad, 0, "the builder and the schema disagree:\n%s", w.bad);
	/* every top-level key, every cause, 40 slots a histogram, ... */
	cr_assert_gt(w.keys, 200, "the walk looked at only %zu keys", w.keys);
	json_object_put(doc);
	json_object_put(schema);
	report_free(&r);
}

/* The walk can fail: each way the two can disagree is named with its key. */
Test(document, the_walk_names_each_disagreement)
{
	static const char *const want[] = {
		"key 'bogus' is written but not described in the schema",
		"key 'verdict.drivers.bogus' is written but not described in the schema",
		"key 'gates.rules[1].agree' is written but not described in the schema",
		"key 'duration_ns' is required by the schema but not written",
		"key 'stopped_at_duration' is in the schema but the full report has none",
		"key 'waits.net.external' is required by the schema but not written",
		"array 'verdict.path' is empty: the full report should fill it",
	};
	struct json_object *doc, *schema = load_schema(), *o;
	struct report r;
	struct walk w;

	full_report(&r);
	doc = build(&r);
	json_object_object_add(doc, "bogus", json_object_new_int(1));
	cr_assert(json_object_object_get_ex(kw(doc, "verdict"), "drivers", &o));
	json_object_object_add(o, "bogus", json_object_new_int(1));
	/* max is a limit's, agree an expect rule's: not a limit's */
	json_object_object_add(rule_of(doc, 1, "limit"), "agree", json_object_new_int(1));
	json_object_object_del(doc, "duration_ns");
	json_object_object_del(doc, "stopped_at_duration");
	json_object_object_del(kw(kw(doc, "waits"), "net"), "external");
	json_object_object_add(kw(doc, "verdict"), "path", json_object_new_array());
	walk_document(&w, doc, schema);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		cr_expect_not_null(strstr(w.bad, want[i]), "want '%s' in:\n%s", want[i], w.bad);
	cr_assert_eq(w.nr_bad, sizeof(want) / sizeof(want[0]), "%s", w.bad);
	json_object_put(doc);
	json_object_put(schema);
	report_free(&r);
}

/* python3-jsonschema, the reference, takes it too: gates and --repeat included. */
Test(document, full_report_passes_the_reference_validator)
{
	char tmpl[] = "/tmp/advisor-test-document-XXXXXX";
	struct json_object *doc;
	struct report r;
	char *cmd;
	FILE *f;
	int fd, st;

	full_report(&r);
	doc = build(&r);
	fd = mkstemp(tmpl);
	cr_assert_geq(fd, 0, "mkstemp: %s", strerror(errno));
	f = fdopen(fd, "w");
	cr_assert_not_null(f);
	cr_assert_eq(report_json_write(f, doc), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert(asprintf(&cmd, "%s %stests/unit/validate_schema.py %s%s '%s'", PYTHON, fx_src_root(),
			   fx_src_root(), "reports/schema/report-1.json", tmpl) > 0);
	st = system(cmd);
	free(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s does not validate (status %d)", tmpl,
		  st);
	unlink(tmpl);
	json_object_put(doc);
	report_free(&r);
}

/* advisor check: the gates replaced in a document, or taken out, and it still checks. */
Test(document, set_gates)
{
	struct gate_results none = { 0 };
	struct json_object *doc;
	struct report r;
	char err[512] = "";

	full_report(&r);
	doc = build(&r);
	cr_assert_eq(document_set_gates(doc, &none), 0);
	cr_assert_not(json_object_object_get_ex(doc, "gates", NULL));
	cr_assert_eq(document_check(doc, "no gates", err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(document_set_gates(doc, &r.gates), 0);
	cr_assert_not_null(rule_of(doc, 3, "change"));
	cr_assert_eq(document_check(doc, "gates", err, sizeof(err)), 0, "%s", err);
	json_object_put(doc);
	report_free(&r);
}
