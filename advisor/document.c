// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The report document built from what was measured and decided: every key
 * of the JSON report is added here, once, in the order it is printed, and
 * described in reports/schema/report-1.json (tests/unit/test_document.c
 * holds the two together).
 *
 * Strings from the target (comm, argv, exe) are bytes, not text: every byte
 * that is not part of a well-formed UTF-8 sequence becomes U+FFFD, so the
 * document is always valid UTF-8. Doubles that are not finite become null,
 * which JSON has no other spelling for.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "../reports/format.h"
#include "../reports/report.h"
#include "../reports/text.h"
#include "document.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

/* "5/5": runs that gave the report's model, of all runs ("1/1" for one run). */
static const char *agreement_of(const struct report *r, char *buf, size_t len)
{
	const struct repeat_summary *s = &r->repeat;
	unsigned int agree = 1, runs = 1;

	if (s->runs) {
		runs = s->runs;
		agree = (unsigned int)r->verdict.model < NR_MODELS ? s->counts[r->verdict.model] : 0;
	}
	snprintf(buf, len, "%u/%u", agree, runs);
	return buf;
}

/* Building the tree: the first failed allocation sticks in w->err. */
struct writer {
	int err;
};

static struct json_object *add(struct writer *w, struct json_object *o, const char *key,
			       struct json_object *v)
{
	if (!o || !v) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	/* every key here is a string literal or a static name, added once */
	if (json_object_object_add_ex(o, key, v,
				      JSON_C_OBJECT_ADD_KEY_IS_NEW | JSON_C_OBJECT_KEY_IS_CONSTANT)) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static void add_null(struct writer *w, struct json_object *o, const char *key)
{
	if (!o || json_object_object_add_ex(o, key, NULL, JSON_C_OBJECT_ADD_KEY_IS_NEW |
							       JSON_C_OBJECT_KEY_IS_CONSTANT))
		w->err = -ENOMEM;
}

static struct json_object *push(struct writer *w, struct json_object *arr, struct json_object *v)
{
	if (!arr || !v || json_object_array_add(arr, v)) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static struct json_object *new_str_n(const char *s, size_t len)
{
	struct json_object *o;
	char *clean = text_utf8_sanitize(s, len);

	if (!clean)
		return NULL;
	o = json_object_new_string(clean);
	free(clean);
	return o;
}

static struct json_object *new_str(const char *s)
{
	return new_str_n(s ? s : "", SIZE_MAX);
}

static void add_str(struct writer *w, struct json_object *o, const char *key, const char *s)
{
	add(w, o, key, new_str(s));
}

/* A string in a fixed array that need not end with a NUL (comm). */
static void add_fixed(struct writer *w, struct json_object *o, const char *key, const char *s,
		      size_t size)
{
	add(w, o, key, new_str_n(s, size));
}

static void add_u64(struct writer *w, struct json_object *o, const char *key, __u64 v)
{
	add(w, o, key, json_object_new_uint64(v));
}

static void add_int(struct writer *w, struct json_object *o, const char *key, long long v)
{
	add(w, o, key, json_object_new_int64(v));
}

static void add_bool(struct writer *w, struct json_object *o, const char *key, bool v)
{
	add(w, o, key, json_object_new_boolean(v));
}

/*
 * The shortest decimal that reads back as the same double, so that 0.1 is
 * written "0.1" and a report read and written again is the same text.
 */
static struct json_object *new_double(double v)
{
	char buf[32];

	if (v == 0)
		v = 0; /* no "-0" */
	return json_object_new_double_s(v, fmt_number(buf, sizeof(buf), v));
}

static void add_double(struct writer *w, struct json_object *o, const char *key, double v)
{
	if (!isfinite(v)) {
		add_null(w, o, key);
		return;
	}
	add(w, o, key, new_double(v));
}

/* A string, or null when it is empty. */
static void add_str_or_null(struct writer *w, struct json_object *o, const char *key,
			    const char *s)
{
	if (s && s[0])
		add_str(w, o, key, s);
	else
		add_null(w, o, key);
}

/* All MAX_SLOTS slots, so that index k is always slot k. */
static void add_hist(struct writer *w, struct json_object *o, const char *key, const __u64 *slots)
{
	struct json_object *arr = add(w, o, key, json_object_new_array_ext(MAX_SLOTS));

	if (!arr)
		return;
	for (int k = 0; k < MAX_SLOTS; k++)
		push(w, arr, json_object_new_uint64(slots[k]));
}

static void add_causes(struct writer *w, struct json_object *o, const char *key, const __u64 *ns)
{
	struct json_object *c = add(w, o, key, json_object_new_object());

	for (int i = 0; i < NR_CAUSES; i++)
		add_u64(w, c, cause_names[i], ns[i]);
}

static void add_wait_hist(struct writer *w, struct json_object *o, const struct wait_hist *h)
{
	add_u64(w, o, "count", h->count);
	add_u64(w, o, "total_ns", h->total_ns);
	add_u64(w, o, "max_ns", h->max_ns);
	add_hist(w, o, "hist_log2_ns", h->slots);
}

static void add_iso8601(struct writer *w, struct json_object *o, const char *key, time_t t)
{
	struct tm tm;
	char buf[64];

	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		strcpy(buf, "1970-01-01T00:00:00Z");
	add_str(w, o, key, buf);
}

static void add_thread(struct writer *w, struct json_object *arr, const struct thread_profile *t)
{
	struct json_object *o = push(w, arr, json_object_new_object());

	add_u64(w, o, "tid", t->tid);
	add_fixed(w, o, "comm", t->comm, sizeof(t->comm));
	add_u64(w, o, "start_ns", t->start_ns);
	add_u64(w, o, "end_ns", t->end_ns);
	add_u64(w, o, "cpu_ns", t->cpu_ns);
	add_u64(w, o, "runq_ns", t->runq_wakeup_ns + t->runq_preempt_ns);
	add_u64(w, o, "runq_wakeup_ns", t->runq_wakeup_ns);
	add_u64(w, o, "runq_preempt_ns", t->runq_preempt_ns);
	add_causes(w, o, "blocked_ns", t->blocked_ns);
	add_causes(w, o, "internal_ns", t->internal_ns);
	add_u64(w, o, "stream_ns", t->stream_ns);
	add_u64(w, o, "open_io_ns", t->open_io_ns);
}

static void add_process(struct writer *w, struct json_object *arr,
			const struct process_profile *p)
{
	struct json_object *o = push(w, arr, json_object_new_object());
	struct json_object *threads;

	add_u64(w, o, "pid", p->pid);
	add_u64(w, o, "ppid", p->ppid);
	add_fixed(w, o, "comm", p->comm, sizeof(p->comm));
	add_str(w, o, "exe", p->exe);
	add_str(w, o, "argv0", p->argv0);
	add_bool(w, o, "exited", p->exited);
	add_int(w, o, "exit_code", p->exit_code);
	add_int(w, o, "signal", p->signal);
	add_u64(w, o, "start_ns", p->start_ns);
	add_u64(w, o, "end_ns", p->end_ns);
	threads = add(w, o, "threads", json_object_new_array_ext(p->nr_threads));
	for (size_t i = 0; i < p->nr_threads; i++)
		add_thread(w, threads, &p->threads[i]);
}

static void add_syscalls(struct writer *w, struct json_object *o, const char *key,
			 const struct syscall_stat *s, size_t n, bool errors)
{
	struct json_object *arr = add(w, o, key, json_object_new_array_ext(n));

	for (size_t i = 0; i < n; i++) {
		struct json_object *e = push(w, arr, json_object_new_object());

		add_fixed(w, e, "name", s[i].name, sizeof(s[i].name));
		add_int(w, e, "nr", s[i].nr);
		add_u64(w, e, "count", s[i].count);
		if (errors)
			add_u64(w, e, "errors", s[i].errors);
		add_u64(w, e, "total_ns", s[i].total_ns);
		add_u64(w, e, "max_ns", s[i].max_ns);
		add_hist(w, e, "hist_log2_ns", s[i].hist);
	}
}

static void add_time(struct writer *w, struct json_object *root, const struct profile *p)
{
	struct json_object *o = add(w, root, "time", json_object_new_object());
	struct profile_totals t;

	profile_totals(p, &t);
	add_u64(w, o, "cpu_ns", t.cpu_ns);
	add_u64(w, o, "runq_ns", t.runq_ns);
	add_u64(w, o, "runq_wakeup_ns", t.runq_wakeup_ns);
	add_u64(w, o, "runq_preempt_ns", t.runq_preempt_ns);
	add_causes(w, o, "blocked_ns", t.blocked_ns);
	add_causes(w, o, "internal_ns", t.internal_ns);
	add_u64(w, o, "pipe_stream_ns", p->pipe_stream_ns);
}

static void add_str_null(struct writer *w, struct json_object *o, const char *key, const char *s)
{
	if (s)
		add_str(w, o, key, s);
	else
		add_null(w, o, key);
}

static void add_frames(struct writer *w, struct json_object *o, const struct stack_entry *e)
{
	struct json_object *arr = add(w, o, "frames", json_object_new_array_ext(e->nr_frames));

	for (size_t k = 0; k < e->nr_frames; k++) {
		const struct stack_frame *f = &e->frames[k];
		struct json_object *fo = push(w, arr, json_object_new_object());

		add_str_null(w, fo, "function", f->function);
		add_str_null(w, fo, "file", f->file);
		if (f->file && f->line)
			add_u64(w, fo, "line", f->line);
		else
			add_null(w, fo, "line");
		add_str_null(w, fo, "module", f->module);
		add_u64(w, fo, "addr", f->addr);
		add_bool(w, fo, "kernel", f->kernel);
	}
}

/*
 * The stacks of the waits per cause and of the time on CPU; null when they
 * were not measured (an empty list is a cause with no stack).
 */
static void add_stacks(struct writer *w, struct json_object *root, const struct stacks *s)
{
	struct json_object *o;

	if (!s->collected) {
		add_null(w, root, "stacks");
		return;
	}
	o = add(w, root, "stacks", json_object_new_object());
	for (int c = 0; c <= NR_CAUSES; c++) {
		const struct stack_list *l = &s->by_cause[c];
		bool cpu = c == STACKS_CPU;
		struct json_object *arr = add(w, o, cpu ? "cpu" : cause_names[c],
					      json_object_new_array_ext(l->nr));

		for (size_t i = 0; i < l->nr; i++) {
			const struct stack_entry *e = &l->entries[i];
			struct json_object *eo = push(w, arr, json_object_new_object());

			add_frames(w, eo, e);
			add_u64(w, eo, cpu ? "cpu_ns" : "wait_ns", e->time_ns);
			add_u64(w, eo, cpu ? "samples" : "count", e->count);
			if (!cpu)
				add_bool(w, eo, "external", e->external);
			add_bool(w, eo, "truncated", e->truncated);
		}
	}
	add_u64(w, o, "complete", s->complete);
	add_u64(w, o, "truncated", s->truncated);
	add_u64(w, o, "unsymbolised", s->unsymbolised);
	add_u64(w, o, "dropped", s->dropped);
}

static void add_profile(struct writer *w, struct json_object *root, const struct profile *p)
{
	struct json_object *o, *arr;

	o = add(w, root, "host", json_object_new_object());
	add_fixed(w, o, "kernel", p->kernel, sizeof(p->kernel));
	add_int(w, o, "cpus", p->cpus);

	arr = add(w, root, "command", json_object_new_array_ext(p->nr_command));
	for (size_t i = 0; i < p->nr_command; i++)
		push(w, arr, new_str(p->command[i]));
	add_bool(w, root, "attached", p->attached);
	add_bool(w, root, "stopped_at_duration", p->stopped_at_duration);

	o = add(w, root, "target", json_object_new_object());
	add_u64(w, o, "pid", p->target_pid);
	add_int(w, o, "exit_code", p->exit_code);
	add_int(w, o, "signal", p->signal);
	add_bool(w, o, "exited", p->target_exited);

	add_u64(w, root, "duration_ns", p->duration_ns);
	add_time(w, root, p);

	arr = add(w, root, "processes", json_object_new_array_ext(p->nr_processes));
	for (size_t i = 0; i < p->nr_processes; i++)
		add_process(w, arr, &p->processes[i]);

	add_syscalls(w, root, "syscall_waits", p->syscall_waits, p->nr_syscall_waits, false);
	/* the key is there only when every syscall was counted (-S) */
	if (p->syscalls_enabled)
		add_syscalls(w, root, "syscalls", p->syscalls, p->nr_syscalls, true);

	o = add(w, root, "waits", json_object_new_object());
	for (int c = 0; c < NR_CAUSES; c++) {
		struct json_object *cw = add(w, o, cause_names[c], json_object_new_object());

		add_wait_hist(w, cw, &p->waits[c].all);
		add_wait_hist(w, add(w, cw, "external", json_object_new_object()),
			      &p->waits[c].ext);
		add_wait_hist(w, add(w, cw, "open", json_object_new_object()), &p->waits[c].open);
	}

	o = add(w, root, "requests", json_object_new_object());
	for (int k = 0; k < NR_REQ_KINDS; k++) {
		static const char *const names[NR_REQ_KINDS] = REQUEST_NAMES_INIT;
		const struct request_stats *rq = &p->requests[k];
		struct json_object *ro = add(w, o, names[k], json_object_new_object());

		add_bool(w, ro, "counted", rq->counted);
		add_u64(w, ro, "issued", rq->issued);
		add_u64(w, ro, "peak_in_flight", rq->peak);
		/* Little's law: the requests' total latency over the run's length */
		add_double(w, ro, "avg_in_flight",
			   p->duration_ns ? (double)rq->latency.total_ns / p->duration_ns : 0);
		add_u64(w, ro, "dropped", rq->dropped);
		add_u64(w, ro, "missed", rq->missed);
		add_wait_hist(w, add(w, ro, "latency", json_object_new_object()), &rq->latency);
	}

	o = add(w, root, "connections", json_object_new_object());
	add_bool(w, o, "tcp_counted", p->conns.tcp_counted);
	add_bool(w, o, "unix_counted", p->conns.unix_counted);
	add_u64(w, o, "accepted", p->conns.accepted);
	add_u64(w, o, "connected", p->conns.connected);
	add_u64(w, o, "peak_open", p->conns.peak_open);
	add_u64(w, o, "closed", p->conns.closed);
	add_u64(w, o, "distinct_peers", p->conns.distinct_peers);
	add_u64(w, o, "unix_connected", p->conns.unix_connected);
	add_u64(w, o, "open_at_start", p->conns.open_at_start);

	o = add(w, root, "timeline", json_object_new_object());
	add_u64(w, o, "bucket_ns", p->bucket_ns);
	arr = add(w, o, "buckets", json_object_new_array_ext(p->nr_buckets));
	for (size_t i = 0; i < p->nr_buckets; i++) {
		const struct timeline_bucket *b = &p->buckets[i];
		struct json_object *e = push(w, arr, json_object_new_object());

		add_u64(w, e, "cpu_ns", b->cpu_ns);
		add_u64(w, e, "runq_ns", b->runq_ns);
		add_u64(w, e, "io_ns", b->io_ns);
		add_u64(w, e, "other_ns", b->other_ns);
	}

	add_stacks(w, root, &p->stacks);
}

static const char *model_name(enum model m)
{
	return (unsigned int)m < NR_MODELS ? model_names[m] : "";
}

static void add_phases(struct writer *w, struct json_object *o, const struct verdict *v)
{
	const struct phases *ph = &v->phases;
	size_t nr = ph->nr > 1 ? ph->nr : 0;
	struct json_object *arr = add(w, o, "phases", json_object_new_array_ext(nr)), *e;

	for (size_t k = 0; k < nr; k++) {
		const struct phase *p = &ph->phase[k];

		e = push(w, arr, json_object_new_object());
		add_str(w, e, "kind", phase_names[p->kind]);
		add_u64(w, e, "start_ns", p->start_ns);
		add_u64(w, e, "end_ns", p->end_ns);
		add_double(w, e, "io_fraction", p->io_fraction);
		add_double(w, e, "cpu_used", p->cpu_used);
		add_double(w, e, "busy_threads", p->busy_threads);
		add_str(w, e, "model", model_name(v->phase_model[k]));
		add_bool(w, e, "judged", k == ph->steady);
	}
	if (!nr) {
		add_null(w, o, "whole_run");
		return;
	}
	e = add(w, o, "whole_run", json_object_new_object());
	add_str(w, e, "model", model_name(v->whole_model));
	add_double(w, e, "io_fraction", v->whole_io_fraction);
}

/* The runtime's pool against its size (advisor/pool.c), or null without one. */
static void add_runtime_pool(struct writer *w, struct json_object *verdict,
			     const struct runtime_pool *rp)
{
	struct json_object *o;

	if ((unsigned int)rp->kind >= NR_POOL_KINDS || rp->kind == POOL_NONE) {
		add_null(w, verdict, "runtime_pool");
		return;
	}
	o = add(w, verdict, "runtime_pool", json_object_new_object());
	add_str(w, o, "runtime", pool_runtimes[rp->kind]);
	add_str(w, o, "pool", pool_names[rp->kind]);
	add_str(w, o, "found_by", (unsigned int)rp->found_by < NR_POOL_FOUND_BY ?
					  pool_found_by_names[rp->found_by] : "");
	add_int(w, o, "size", rp->size);
	add_double(w, o, "busy_avg", rp->busy_avg);
	add_double(w, o, "cpu_share", rp->cpu_share);
	add_bool(w, o, "saturated", rp->saturated);
	add_str(w, o, "knob", pool_knobs[rp->kind]);
	if (rp->knob_value > 0)
		add_int(w, o, "knob_value", rp->knob_value);
	else
		add_null(w, o, "knob_value");
	add_bool(w, o, "raise", rp->raise);
}

/* The call sites behind the drivers (advisor/findings.c), largest first. */
static void add_findings(struct writer *w, struct json_object *o, const struct verdict *v)
{
	size_t nr = v->nr_findings < MAX_FINDINGS ? v->nr_findings : MAX_FINDINGS;
	struct json_object *arr = add(w, o, "findings", json_object_new_array_ext(nr));

	for (size_t i = 0; i < nr; i++) {
		const struct finding *f = &v->findings[i];
		struct json_object *e = push(w, arr, json_object_new_object());
		int c = f->cause;

		add_str(w, e, "driver", (unsigned int)f->kind < NR_FINDING_KINDS ?
						 finding_kind_names[f->kind] : "");
		add_str(w, e, "cause", c == STACKS_CPU ? "cpu" :
				       (unsigned int)c < NR_CAUSES ? cause_names[c] : "");
		add_double(w, e, "share", f->share);
		add_u64(w, e, "time_ns", f->time_ns);
		add_u64(w, e, "count", f->count);
		if (f->leaf[0])
			add_fixed(w, e, "leaf", f->leaf, sizeof(f->leaf));
		else
			add_null(w, e, "leaf");
		if (f->function[0])
			add_fixed(w, e, "function", f->function, sizeof(f->function));
		else
			add_null(w, e, "function");
		if (f->file[0] && f->line) {
			add_fixed(w, e, "file", f->file, sizeof(f->file));
			add_u64(w, e, "line", f->line);
		} else {
			add_null(w, e, "file");
			add_null(w, e, "line");
		}
		if (f->module[0])
			add_fixed(w, e, "module", f->module, sizeof(f->module));
		else
			add_null(w, e, "module");
	}
}

static void add_verdict(struct writer *w, struct json_object *root, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	struct json_object *o = add(w, root, "verdict", json_object_new_object());
	struct json_object *arr, *d;
	size_t nr_path = v->nr_path < MAX_PATH ? v->nr_path : MAX_PATH;
	char agreement[32];

	add_str(w, o, "model", model_name(v->model));
	add_double(w, o, "confidence", v->confidence);
	add_str(w, o, "agreement", agreement_of(r, agreement, sizeof(agreement)));
	add_fixed(w, o, "confidence_basis", v->confidence_basis, sizeof(v->confidence_basis));
	add_fixed(w, o, "current_model", v->current_model, sizeof(v->current_model));
	add_bool(w, o, "already_fits", v->already_fits);
	add_fixed(w, o, "runtime", v->runtime, sizeof(v->runtime));
	if (v->inconclusive_reason[0])
		add_fixed(w, o, "inconclusive_reason", v->inconclusive_reason,
			  sizeof(v->inconclusive_reason));
	else
		add_null(w, o, "inconclusive_reason");

	arr = add(w, o, "path", json_object_new_array_ext(nr_path));
	for (size_t i = 0; i < nr_path; i++) {
		const struct path_node *n = &v->path[i];
		struct json_object *e = push(w, arr, json_object_new_object());

		add_fixed(w, e, "metric", n->metric, sizeof(n->metric));
		add_double(w, e, "value", n->value);
		add_double(w, e, "threshold", n->threshold);
		add_fixed(w, e, "branch", n->branch, sizeof(n->branch));
	}

	add_double(w, o, "speedup_bound", v->speedup_bound);
	add_u64(w, o, "own_wall_ns", v->own_wall_ns);
	add_fixed(w, o, "speedup_basis", v->speedup_basis, sizeof(v->speedup_basis));
	add_fixed(w, o, "advice", v->advice, sizeof(v->advice));
	add_fixed(w, o, "rationale", v->rationale, sizeof(v->rationale));
	add_findings(w, o, v);

	add_phases(w, o, v);

	d = add(w, o, "drivers", json_object_new_object());
	add_double(w, d, "io_fraction", v->io_fraction);
	add_u64(w, d, "wait_p50_ns", v->wait_p50_ns);
	add_u64(w, d, "peak_open", v->peak_open);
	add_double(w, d, "busy_threads", v->busy_threads);
	add_double(w, d, "gil_wait_share", v->gil_wait_share);
	add_runtime_pool(w, o, &v->pool);
}

static void add_thresholds(struct writer *w, struct json_object *root, const struct thresholds *t)
{
	struct json_object *o = add(w, root, "thresholds", json_object_new_object());

	add_double(w, o, "io_bound_min", t->io_bound_min);
	add_double(w, o, "slow_wait_ms", t->slow_wait_ms);
	add_double(w, o, "many_conns", t->many_conns);
	add_double(w, o, "busy_min", t->busy_min);
	add_double(w, o, "min_duration_ms", t->min_duration_ms);
	add_double(w, o, "asleep_min", t->asleep_min);
}

static void add_overhead(struct writer *w, struct json_object *root, const struct overhead *oh)
{
	struct json_object *o = add(w, root, "overhead", json_object_new_object());

	add_fixed(w, o, "mode", oh->mode, sizeof(oh->mode));
	add_u64(w, o, "events", oh->events);
	add_u64(w, o, "dropped", oh->dropped);
	add_u64(w, o, "anomalies", oh->anomalies);
	add_u64(w, o, "recursion_misses", oh->recursion_misses);
}

static const char *model_str(enum model m)
{
	return (unsigned int)m < NR_MODELS ? model_names[m] : "";
}

/* Keys named by the data (metric paths): json-c copies them. */
static struct json_object *add_dyn(struct writer *w, struct json_object *o, const char *key,
				   struct json_object *v)
{
	if (!o || !v || json_object_object_add(o, key, v)) {
		json_object_put(v);
		w->err = -ENOMEM;
		return NULL;
	}
	return v;
}

static void add_repeat(struct writer *w, struct json_object *root, const struct repeat_summary *s)
{
	struct json_object *o, *c, *arr, *m;

	if (!s->runs)
		return;
	o = add(w, root, "repeat", json_object_new_object());
	add_u64(w, o, "runs", s->runs);
	add_u64(w, o, "main_run", s->main_run);
	add_str(w, o, "model", model_str(s->model));
	c = add(w, o, "verdicts", json_object_new_object());
	for (int i = 0; i < NR_MODELS; i++)
		add_u64(w, c, model_names[i], s->counts[i]);
	arr = add(w, o, "per_run", json_object_new_array_ext(s->runs));
	for (unsigned int i = 0; i < s->runs; i++) {
		const struct repeat_run *run = &s->per_run[i];
		struct json_object *e = push(w, arr, json_object_new_object());

		add_str(w, e, "model", model_str(run->model));
		add_double(w, e, "confidence", run->confidence);
		add_bool(w, e, "exited", run->exited);
		add_int(w, e, "exit_code", run->exit_code);
		add_int(w, e, "signal", run->signal);
	}
	m = add(w, o, "metrics", json_object_new_object());
	for (size_t k = 0; k < s->nr_metrics; k++) {
		const struct repeat_metric *rm = &s->metrics[k];
		struct json_object *e = add_dyn(w, m, rm->path, json_object_new_object());
		struct json_object *vals;

		add_double(w, e, "median", rm->median);
		add_double(w, e, "min", rm->min);
		add_double(w, e, "max", rm->max);
		vals = add(w, e, "values", json_object_new_array_ext(s->runs));
		for (unsigned int i = 0; i < s->runs; i++) {
			if (!isfinite(rm->values[i])) {
				if (vals && json_object_array_add(vals, NULL))
					w->err = -ENOMEM;
			} else {
				push(w, vals, new_double(rm->values[i]));
			}
		}
	}
}

static void add_gate_rule(struct writer *w, struct json_object *arr, const struct gate_rule *g)
{
	struct json_object *o = push(w, arr, json_object_new_object());

	add_str(w, o, "kind", (unsigned int)g->kind < NR_GATE_KINDS ? gate_kind_names[g->kind] : "");
	add_str(w, o, "path", g->path);
	add_bool(w, o, "passed", g->passed);
	switch (g->kind) {
	case GATE_EXPECT:
		add_fixed(w, o, "expected", g->want, sizeof(g->want));
		add_fixed(w, o, "measured", g->got, sizeof(g->got));
		add_u64(w, o, "agree", g->agree);
		add_u64(w, o, "runs", g->runs);
		add_double(w, o, "min_agreement", g->min_agreement);
		break;
	case GATE_LIMIT:
		add_double(w, o, "value", g->value);
		add_double(w, o, "min", g->min);
		add_double(w, o, "max", g->max);
		break;
	case GATE_MODEL:
		add_fixed(w, o, "old", g->want, sizeof(g->want));
		add_fixed(w, o, "new", g->got, sizeof(g->got));
		break;
	default:
		add_double(w, o, "old", g->old);
		add_double(w, o, "new", g->value);
		add_double(w, o, "abs", g->abs);
		add_double(w, o, "rel", g->rel);
		add_double(w, o, "allowed", g->allowed);
		add_str(w, o, "worse",
			(unsigned int)g->worse < NR_GATE_WORSE ? gate_worse_names[g->worse] : "");
		break;
	}
	add_fixed(w, o, "message", g->message, sizeof(g->message));
}

static void add_gates(struct writer *w, struct json_object *root, const struct gate_results *gr)
{
	struct json_object *o, *arr;

	if (!gr->evaluated)
		return;
	o = add(w, root, "gates", json_object_new_object());
	add_bool(w, o, "passed", gr->nr_failed == 0);
	add_u64(w, o, "failed", gr->nr_failed);
	add_str_or_null(w, o, "expect", gr->expect);
	add_str_or_null(w, o, "policy", gr->policy);
	add_str_or_null(w, o, "baseline", gr->baseline);
	arr = add(w, o, "rules", json_object_new_array_ext(gr->nr));
	for (size_t i = 0; i < gr->nr; i++)
		add_gate_rule(w, arr, &gr->rules[i]);
}

struct json_object *document_build(const struct report *r)
{
	struct writer w = { 0 };
	struct json_object *root = json_object_new_object();

	add_str(&w, root, "schema", REPORT_SCHEMA);
	add_str(&w, root, "advisor_version", ADVISOR_VERSION);
	add_iso8601(&w, root, "created_at", r->profile.created_at);
	add_profile(&w, root, &r->profile);
	add_verdict(&w, root, r);
	add_thresholds(&w, root, &r->thresholds);
	add_overhead(&w, root, &r->profile.overhead);
	add_repeat(&w, root, &r->repeat);
	add_gates(&w, root, &r->gates);
	if (w.err) {
		json_object_put(root);
		errno = -w.err;
		return NULL;
	}
	return root;
}

int document_set_gates(struct json_object *doc, const struct gate_results *gr)
{
	struct writer w = { 0 };

	json_object_object_del(doc, "gates");
	add_gates(&w, doc, gr);
	return w.err;
}

void report_free(struct report *r)
{
	profile_free(&r->profile);
	repeat_free(&r->repeat);
	gate_results_free(&r->gates);
	memset(r, 0, sizeof(*r));
}
