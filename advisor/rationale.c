// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The verdict in words. The rules (decide.c) have chosen the model, the path
 * and the numbers; this file only says them, so a change of wording never
 * changes a verdict.
 *
 * The rationale is two or three plain sentences: what the program is bound
 * by, with the numbers and thresholds behind it; what that means; and what
 * changes it. The advice is one line: "already fits: ..." or "from <current>
 * to <model>: <how>", the how worded for the runtime: processes and the GIL
 * for CPython, workers beside the loop for Node.js or any CPU-bound event
 * loop, goroutines for Go, thread pools for the JVM. Durations read as
 * everywhere else in advisor (reports/format.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rationale.h"
#include "../reports/format.h"

#define NS_PER_MS 1e6
#define LOCK_NOTE_MIN 0.2 /* lock_share worth a sentence in the rationale */
#define SPEEDUP_NONE 1.05 /* a bound below this is no gain: "none" */
#define GIL_NOTE_MIN 0.1 /* gil_wait_share worth a sentence */

/*
 * Why an idle tree waited. The reason's share of the waits goes between why
 * and why_after; without why_after no share is quoted.
 */
struct idle_prose {
	const char *why;
	const char *why_after;
	const char *advice;
};

static const struct idle_prose idle_prose[NR_IDLE_KINDS] = {
	[IDLE_ASLEEP] = {
		"Sleep calls took ",
		" of its waits, so it is limited by its own sleeps, and no concurrency "
		"model changes that.",
		"nothing to parallelise: the program mostly sleeps; shorten or overlap the "
		"sleeps first",
	},
	[IDLE_CHILDREN] = {
		"Waiting for child processes took ",
		" of its waits, more than the traced children account for.",
		"profile the children it waits for: the time is spent there",
	},
	[IDLE_LOCKS] = {
		"Lock waits took ",
		" of its waits: its threads mostly waited for each other.",
		"reduce lock contention first: the threads wait for each other",
	},
	[IDLE_OTHER] = {
		"Waits on its own processes or on other events took ",
		" of its waits, which no concurrency model speeds up.",
		"nothing to parallelise: no thread of the tree was busy",
	},
	[IDLE_NO_WAIT] = {
		"Its threads recorded no waits either: most of the run was not seen.",
		NULL,
		"nothing to parallelise: no thread of the tree was busy",
	},
	[IDLE_TOO_SHORT] = {
		"It did too little work to judge.",
		NULL,
		"give it more work (a longer run) to get a verdict",
	},
};

static void appendf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void appendf(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strnlen(buf, size);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

static const char *fmt_conns(char *buf, size_t size, __u64 peak)
{
	if (!peak)
		snprintf(buf, size, "no connection was");
	else if (peak == 1)
		snprintf(buf, size, "at most 1 connection was");
	else
		snprintf(buf, size, "at most %llu connections were", (unsigned long long)peak);
	return buf;
}

static double pct(double share)
{
	return 100 * share;
}

static const char *mechanism(enum model m, const struct tree *tr, const char *runtime)
{
	bool go = !strcmp(runtime, "go"), jvm = !strcmp(runtime, "jvm");

	switch (m) {
	case MODEL_MULTIPROCESSING:
		if (tr->cpython)
			return "use processes (multiprocessing, ProcessPoolExecutor): threads "
			       "cannot help CPU-bound Python code because of the GIL";
		if (tr->nodejs)
			return "run more workers beside the event loop (worker_threads, or "
			       "cluster for more processes)";
		if (tr->event_loop)
			return "run more processes beside the event loop, one loop per CPU "
			       "(e.g. with SO_REUSEPORT)";
		if (go)
			return "split the work over goroutines: Go runs them on every CPU "
			       "(check GOMAXPROCS)";
		if (jvm)
			return "split the work over a thread pool: JVM threads run in parallel";
		return "split the work over processes (or threads: native threads run in "
		       "parallel)";
	case MODEL_MULTITHREADING:
		if (tr->cpython)
			return "overlap the waits with a thread pool (ThreadPoolExecutor): the "
			       "GIL is released while a thread waits";
		if (tr->nodejs)
			return "start the operations together (Promise.all) so the loop "
			       "overlaps their waits";
		if (go)
			return "overlap the waits with goroutines";
		if (jvm)
			return "overlap the waits with a thread pool (ExecutorService)";
		return "overlap the waits with a small pool of threads";
	case MODEL_ASYNC:
		if (tr->cpython)
			return "keep many waits in flight in one thread with asyncio";
		if (tr->nodejs)
			return "keep many requests in flight on the event loop, with no "
			       "blocking calls";
		if (go)
			return "use goroutines: the Go runtime multiplexes their waits on "
			       "its netpoller";
		if (jvm)
			return "use non-blocking I/O (NIO, virtual threads or an async "
			       "framework)";
		return "keep many waits in flight with an event loop (epoll, io_uring, libuv)";
	default:
		return "";
	}
}

static void write_too_short(const struct tree *tr, const struct thresholds *t, struct verdict *v)
{
	char a[FMT_LEN], b[FMT_LEN];

	snprintf(v->rationale, sizeof(v->rationale),
		 "The run lasted %s, less than the %s needed to judge it "
		 "(min_duration_ms %g). A run this short says more about start-up "
		 "than about the program.",
		 fmt_ns(a, sizeof(a), tr->wall),
		 fmt_ns(b, sizeof(b), t->min_duration_ms * NS_PER_MS), t->min_duration_ms);
	snprintf(v->advice, sizeof(v->advice),
		 "run it longer (at least %g ms, ideally over a second) to get a verdict",
		 t->min_duration_ms);
}

static void write_idle(const struct tree *tr, const struct thresholds *t, const struct judgement *j,
		       struct verdict *v)
{
	const struct idle_prose *r = &idle_prose[j->idle];
	char a[FMT_LEN], b[FMT_LEN];

	snprintf(v->rationale, sizeof(v->rationale),
		 "%s: its threads were on CPU, runnable or in I/O for %s in %s of wall "
		 "time (idle_share %.2f %s %.2f). ",
		 tr->nr_busy ? "The tree was mostly idle" : "No thread was busy",
		 fmt_ns(a, sizeof(a), tr->work), fmt_ns(b, sizeof(b), tr->wall), tr->idle_share,
		 tr->idle_share >= t->asleep_min ? ">=" : "<", t->asleep_min);
	if (r->why_after)
		appendf(v->rationale, sizeof(v->rationale), "%s%.0f%%%s", r->why,
			pct(j->idle_wait_share), r->why_after);
	else
		appendf(v->rationale, sizeof(v->rationale), "%s", r->why);
	snprintf(v->advice, sizeof(v->advice), "%s", r->advice);
}

/* The rationale, advice and bases of an inconclusive verdict; path[0] is its test. */
static void write_inconclusive(const struct tree *tr, const struct thresholds *t,
			       const struct judgement *j, struct verdict *v)
{
	const struct path_node *n = &v->path[0];
	char a[FMT_LEN];

	switch (j->by) {
	case JUDGED_TOO_SHORT:
		write_too_short(tr, t, v);
		break;
	case JUDGED_IDLE:
		write_idle(tr, t, j, v);
		break;
	case JUDGED_OPEN:
		if (!tr->nr_busy)
			snprintf(v->rationale, sizeof(v->rationale),
				 "Its threads were parked: each spent its time in one I/O wait "
				 "still open when the run ended (%s in all): it was waiting for work "
				 "that had not come (a server with no client, input not yet given, a "
				 "reply still due), not doing I/O. Profile it while it has work.",
				 fmt_ns(a, sizeof(a), tr->io_parked));
		else
			snprintf(v->rationale, sizeof(v->rationale),
				 "%.0f%% of its busy threads' time (%s) was in I/O waits still open "
				 "when the run ended (open_share %.2f >= %.2f): it was waiting for "
				 "work that had not come (a server with no client, input not yet "
				 "given, a reply still due), not doing I/O. Profile it while it has "
				 "work.",
				 pct(tr->open_share), fmt_ns(a, sizeof(a), tr->io_open),
				 tr->open_share, n->threshold);
		snprintf(v->advice, sizeof(v->advice),
			 "profile it under load: it was idle, waiting for work");
		break;
	case JUDGED_LITTLE_WORK:
		snprintf(v->rationale, sizeof(v->rationale),
			 "The whole tree was on CPU or in I/O for only %s, under the %g ms "
			 "needed to judge it. Give it more work.",
			 fmt_ns(a, sizeof(a), tr->cpu_io), n->threshold);
		snprintf(v->advice, sizeof(v->advice),
			 "give it more work (a longer run) to get a verdict");
		break;
	default: /* JUDGED_LOCKS */
		snprintf(v->rationale, sizeof(v->rationale),
			 "Its busy threads spent %.0f%% of their time waiting on locks "
			 "(lock_share %.2f >= %.2f): they mostly wait for each other. "
			 "No concurrency model helps until that contention is reduced "
			 "(io_fraction was %.2f).",
			 pct(tr->lock_share), tr->lock_share, n->threshold, tr->io_fraction);
		snprintf(v->advice, sizeof(v->advice),
			 "reduce lock contention first (smaller critical sections, per-thread "
			 "data, fewer shared locks), then profile again");
		break;
	}
	snprintf(v->speedup_basis, sizeof(v->speedup_basis),
		 "none: an inconclusive run gives no bound");
	snprintf(v->confidence_basis, sizeof(v->confidence_basis),
		 "how sure the %s reason is: distance of %s %.3g from %.3g: %.2f; "
		 "dropped events: %.2f",
		 v->inconclusive_reason, n->metric, n->value, n->threshold,
		 j->drop ? v->confidence / j->drop : 0, j->drop);
}

/* What the critical path's longest part is, in words, with its length. */
static void path_words(const struct tree *tr, const struct judgement *j, char *buf, size_t len)
{
	char a[FMT_LEN], b[FMT_LEN];

	fmt_ns(a, sizeof(a), j->path_ns);
	switch (j->limit) {
	case LIMIT_CPU:
		snprintf(buf, len, "the busy CPU time %s over %d CPUs: %s",
			 fmt_ns(b, sizeof(b), tr->b_cpu), tr->cpus, a);
		break;
	case LIMIT_SERIAL:
		snprintf(buf, len, "the CPU time %s keeps serial (%s): %s",
			 tr->cpython ? "CPython's GIL" : "the event loop's thread",
			 tr->cpython ? "one process's threads take turns" : "its busiest thread", a);
		break;
	case LIMIT_WAIT:
		snprintf(buf, len, "the longest single I/O wait: %s", a);
		break;
	default:
		snprintf(buf, len, "reads of one pipe its producer feeds at its own pace: %s", a);
	}
}

/* "up to 7.3x faster (the critical path: ...)", or no faster. */
static const char *gain_words(const struct tree *tr, const struct judgement *j,
			      const struct verdict *v, char *buf, size_t len)
{
	char a[FMT_LEN];

	if (v->speedup_bound < SPEEDUP_NONE) {
		snprintf(buf, len, "no faster: it is at its limit");
		return buf;
	}
	snprintf(buf, len, "up to %.1fx faster", v->speedup_bound);
	if (j->limit == LIMIT_SERIAL)
		appendf(buf, len, " (%s keeps %s of CPU serial)",
			tr->cpython ? "the GIL" : "the event loop", fmt_ns(a, sizeof(a), j->path_ns));
	else if (j->limit == LIMIT_WAIT)
		appendf(buf, len, " (its longest single wait is %s)", fmt_ns(a, sizeof(a), j->path_ns));
	else if (j->limit == LIMIT_STREAM)
		appendf(buf, len, " (it reads %s from one pipe at its producer's pace)",
			fmt_ns(a, sizeof(a), j->path_ns));
	return buf;
}

static void write_speedup_basis(const struct tree *tr, const struct judgement *j, struct verdict *v)
{
	char part[160], a[FMT_LEN];

	path_words(tr, j, part, sizeof(part));
	if (v->speedup_bound < SPEEDUP_NONE) {
		snprintf(v->speedup_basis, sizeof(v->speedup_basis),
			 "none: already at the limit; the critical path's longest part is %s, "
			 "of %s wall",
			 part, fmt_ns(a, sizeof(a), tr->wall));
		return;
	}
	snprintf(v->speedup_basis, sizeof(v->speedup_basis),
		 "critical path: no rewrite finishes sooner than %s; %s wall", part,
		 fmt_ns(a, sizeof(a), j->own_wall));
	if (j->own_wall < tr->wall - 0.005 * tr->wall)
		appendf(v->speedup_basis, sizeof(v->speedup_basis),
			" (of %s: the rest waited for CPUs other programs held)",
			fmt_ns(a, sizeof(a), tr->wall));
	appendf(v->speedup_basis, sizeof(v->speedup_basis), " / that = %.1f", j->path_bound);
}

static void write_confidence_basis(const struct tree *tr, const struct thresholds *t,
				   const struct judgement *j, struct verdict *v)
{
	char a[FMT_LEN];

	snprintf(v->confidence_basis, sizeof(v->confidence_basis),
		 "product of io_fraction %.2f vs %.2f: %.2f", tr->io_fraction, t->io_bound_min,
		 j->f_io);
	if (j->io_bound && tr->conns_counted)
		appendf(v->confidence_basis, sizeof(v->confidence_basis),
			"; %s (wait_p50 %s vs %g ms, peak %llu vs %g): %.2f",
			v->model == MODEL_ASYNC ? "surer async driver" : "closer I/O driver",
			fmt_ns(a, sizeof(a), (double)tr->wait_p50_ns), t->slow_wait_ms,
			(unsigned long long)tr->peak_open, t->many_conns, j->f_sub);
	else if (j->io_bound)
		appendf(v->confidence_basis, sizeof(v->confidence_basis),
			"; wait_p50 alone, connections not counted (%s vs %g ms): %.2f",
			fmt_ns(a, sizeof(a), (double)tr->wait_p50_ns), t->slow_wait_ms, j->f_sub);
	appendf(v->confidence_basis, sizeof(v->confidence_basis),
		"; run %s: %.2f; dropped %llu of %llu events: %.2f", fmt_ns(a, sizeof(a), tr->wall),
		j->f_run, (unsigned long long)j->dropped, (unsigned long long)j->events_seen,
		j->drop);
	if (tr->cpython)
		appendf(v->confidence_basis, sizeof(v->confidence_basis),
			"; lock waits are the GIL: not counted");
	else
		appendf(v->confidence_basis, sizeof(v->confidence_basis), "; lock_share %.2f: %.2f",
			tr->lock_share, j->f_lock);
}

/* Go with GOMAXPROCS at or above the CPUs: goroutines already run on every CPU. */
static bool go_spreads(const struct runtime_pool *rp)
{
	return rp->kind == POOL_GOMAXPROCS && rp->size >= rp->cpus;
}

/* "2" or "unset, so 4": the knob's value as the runtime took it. */
static const char *knob_words(const struct runtime_pool *rp, char *buf, size_t len)
{
	if (rp->knob_value > 0)
		snprintf(buf, len, "%d", rp->knob_value);
	else if (rp->kind == POOL_LIBUV)
		snprintf(buf, len, "unset, so %d", rp->size);
	else
		snprintf(buf, len, "unset, so the %d CPUs", rp->size);
	return buf;
}

/*
 * A saturated pool names its knob, first: raising it is one environment
 * variable, cheaper than any rewrite. A libuv pool on CPU work that already
 * has a thread per CPU is said to be saturated, but not worth raising.
 */
static void write_pool_advice(struct verdict *v)
{
	const struct runtime_pool *rp = &v->pool;
	char now[48], knob[192];
	int to;

	if (!rp->saturated)
		return;
	knob_words(rp, now, sizeof(now));
	if (rp->kind == POOL_GOMAXPROCS && rp->raise) {
		snprintf(v->advice, sizeof(v->advice),
			 "raise GOMAXPROCS (now %s) to %d, the CPUs online: its goroutines kept "
			 "%.1f threads busy at once, all that GOMAXPROCS allows",
			 now, rp->cpus, rp->busy_avg);
		return;
	}
	if (rp->kind != POOL_LIBUV)
		return;
	if (!rp->raise) {
		appendf(v->advice, sizeof(v->advice),
			"; its libuv pool is saturated, but its work is CPU and raising "
			"UV_THREADPOOL_SIZE (now %s) past the %d CPUs would not speed it up",
			now, rp->cpus);
		return;
	}
	/* CPU work fills the CPUs; I/O work overlaps more waits with more threads */
	to = rp->cpu_share >= 0.5 ? rp->cpus : 2 * rp->size;
	snprintf(knob, sizeof(knob),
		 "raise UV_THREADPOOL_SIZE (now %s, e.g. to %d): its libuv pool had %.1f of "
		 "%d threads busy at once, so calls queued for a thread",
		 now, to, rp->busy_avg, rp->size);
	if (strlen(knob) + strlen("; then ") + strlen(v->advice) < sizeof(v->advice))
		appendf(knob, sizeof(knob), "; then %s", v->advice);
	snprintf(v->advice, sizeof(v->advice), "%s", knob);
}

/* One sentence on the runtime's pool against its size, when there is one. */
static void write_pool_rationale(struct verdict *v)
{
	const struct runtime_pool *rp = &v->pool;
	char now[48];

	knob_words(rp, now, sizeof(now));
	if (rp->kind == POOL_LIBUV && rp->saturated)
		appendf(v->rationale, sizeof(v->rationale),
			" Its libuv thread pool was saturated: %.1f of its %d threads were busy "
			"at once on average (>= %.1f x %d), so its fs, dns and crypto calls "
			"queued for a thread (UV_THREADPOOL_SIZE %s)%s",
			rp->busy_avg, rp->size, POOL_SATURATED_MIN, rp->size, now,
			rp->raise ? "." : "; that work was on CPU, with a thread per CPU already.");
	else if (rp->kind == POOL_LIBUV)
		appendf(v->rationale, sizeof(v->rationale),
			" Its libuv thread pool had %.1f of its %d threads busy at once on average "
			"(< %.1f x %d): not the limit.",
			rp->busy_avg, rp->size, POOL_SATURATED_MIN, rp->size);
	else if (rp->kind == POOL_GOMAXPROCS && rp->raise)
		appendf(v->rationale, sizeof(v->rationale),
			" Go ran its goroutines on %.1f threads at once on average, all that "
			"GOMAXPROCS %d allows (>= %.1f x %d), with %d CPUs online.",
			rp->busy_avg, rp->size, GOMAXPROCS_SATURATED_MIN, rp->size, rp->cpus);
	else if (go_spreads(rp))
		appendf(v->rationale, sizeof(v->rationale),
			" Go ran its goroutines on %.1f threads at once on average: GOMAXPROCS "
			"(%s) already lets them spread over every CPU, so processes would add "
			"nothing that more goroutines do not.",
			rp->busy_avg, now);
	else if (rp->kind == POOL_GOMAXPROCS)
		appendf(v->rationale, sizeof(v->rationale),
			" Go ran its goroutines on %.1f of the %d threads GOMAXPROCS allows at "
			"once on average (< %.1f x %d): not the limit.",
			rp->busy_avg, rp->size, GOMAXPROCS_SATURATED_MIN, rp->size);
}

static void write_advice(const struct tree *tr, const struct judgement *j, struct verdict *v)
{
	char part[160];

	if (!v->already_fits && v->speedup_bound < SPEEDUP_NONE) {
		/* the model fits its kind of work, but no rewrite would gain */
		path_words(tr, j, part, sizeof(part));
		snprintf(v->advice, sizeof(v->advice),
			 "nothing to gain from a rewrite now: %s is most of the run; %s fits "
			 "this kind of work if it grows",
			 part, model_names[v->model]);
	} else if (!v->already_fits && v->model == MODEL_MULTIPROCESSING && tr->multiprocess)
		/* the right model, not yet enough of it (make -j2 with a serial link) */
		snprintf(v->advice, sizeof(v->advice),
			 "already multiprocess: keep more processes busy at once (%.1f of %d CPUs "
			 "in use on average)",
			 tr->cpu_used, tr->cpus);
	else if (!v->already_fits && v->model == MODEL_MULTIPROCESSING && go_spreads(&v->pool) &&
		 v->pool.saturated)
		/* its Ps were all held: the CPUs went to other programs */
		snprintf(v->advice, sizeof(v->advice),
			 "nothing to rewrite: its goroutines kept all %d threads GOMAXPROCS "
			 "allows busy (%.1f at once), one per CPU; Go already spreads them over "
			 "every CPU, so processes would add none",
			 v->pool.size, v->pool.busy_avg);
	else if (!v->already_fits && v->model == MODEL_MULTIPROCESSING && go_spreads(&v->pool))
		snprintf(v->advice, sizeof(v->advice),
			 "from %s to more goroutines: GOMAXPROCS %d already runs them on every "
			 "CPU, so split the work over goroutines, not processes",
			 v->current_model, v->pool.size);
	else if (!v->already_fits)
		snprintf(v->advice, sizeof(v->advice), "from %s to %s: %s", v->current_model,
			 model_names[v->model], mechanism(v->model, tr, v->runtime));
	else if (v->model == MODEL_MULTIPROCESSING && go_spreads(&v->pool))
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: it keeps %.1f of %d CPUs busy, and Go already spreads its "
			 "goroutines over every CPU (GOMAXPROCS %d)",
			 tr->cpu_used, tr->cpus, v->pool.size);
	else if (v->model == MODEL_MULTIPROCESSING)
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: it keeps %.1f of %d CPUs busy", tr->cpu_used, tr->cpus);
	else if (tr->event_loop)
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: its event loop already overlaps the waits");
	else if (tr->async_io)
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: it keeps %.1f I/O requests in flight on average",
			 tr->req_in_flight);
	else
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: its %s already overlap the waits",
			 tr->multiprocess ? "processes" : "threads");
}

/* The I/O-bound rationale's first two sentences: the share, then the wait and connections. */
static void write_io_bound(const struct tree *tr, const struct thresholds *t,
			   const struct judgement *j, struct verdict *v)
{
	char a[FMT_LEN], b[48];

	snprintf(v->rationale, sizeof(v->rationale),
		 "The busy threads spent %.0f%% of their time waiting on I/O "
		 "(io_fraction %.2f >= %.2f), so the program is I/O-bound. ",
		 pct(tr->io_fraction), tr->io_fraction, t->io_bound_min);
	if (tr->async_io)
		appendf(v->rationale, sizeof(v->rationale),
			"It kept %.1f I/O requests in flight on average, and half of their time "
			"was in requests of %s or longer (%s: %s %g ms) ",
			tr->req_in_flight, fmt_ns(a, sizeof(a), (double)tr->wait_p50_ns),
			j->slow ? "slow" : "fast", j->slow ? ">=" : "<", t->slow_wait_ms);
	else
		appendf(v->rationale, sizeof(v->rationale),
			"Half of that wait time was in waits of %s or longer (%s: %s %g ms) ",
			fmt_ns(a, sizeof(a), (double)tr->wait_p50_ns), j->slow ? "slow" : "fast",
			j->slow ? ">=" : "<", t->slow_wait_ms);
	if (tr->conns_counted)
		appendf(v->rationale, sizeof(v->rationale),
			"and %s open at once (%s: %s %g), so %s fits. ",
			fmt_conns(b, sizeof(b), tr->peak_open), j->many ? "many" : "few",
			j->many ? ">=" : "<", t->many_conns, model_names[v->model]);
	else
		appendf(v->rationale, sizeof(v->rationale),
			"and the open connections were not counted, so on the wait alone %s "
			"fits. ",
			model_names[v->model]);
}

/* The phases: which one was judged, and the others' models where they differ. */
static void write_phases(const struct tree *tr, struct verdict *v)
{
	const struct phases *ph = &v->phases;
	const struct phase *st = &ph->phase[ph->steady];
	char a[FMT_LEN], b[FMT_LEN];
	bool differ = v->whole_model != v->model;

	appendf(v->rationale, sizeof(v->rationale),
		"Its timeline has %zu phases: this judges the steady one, %s to %s (%.0f%% of "
		"the run). ",
		ph->nr, fmt_ns(a, sizeof(a), (double)st->start_ns),
		fmt_ns(b, sizeof(b), (double)st->end_ns),
		pct(tr->wall > 0 ? (st->end_ns - st->start_ns) / tr->wall : 1));
	for (size_t k = 0; k < ph->nr; k++)
		if (k != ph->steady && v->phase_model[k] != v->model) {
			appendf(v->rationale, sizeof(v->rationale),
				"The %s phase reads as %s (io_fraction %.2f). ",
				phase_names[ph->phase[k].kind], model_names[v->phase_model[k]],
				ph->phase[k].io_fraction);
			differ = true;
		}
	if (v->whole_model != v->model)
		appendf(v->rationale, sizeof(v->rationale),
			"Taken as a whole the run reads as %s (io_fraction %.2f). ",
			model_names[v->whole_model], v->whole_io_fraction);
	else if (!differ)
		appendf(v->rationale, sizeof(v->rationale), "Every phase reads as %s. ",
			model_names[v->model]);
}

static void write_tree(const struct tree *tr, const struct thresholds *t, const struct judgement *j,
		       struct verdict *v)
{
	char gain[160];

	write_speedup_basis(tr, j, v);
	write_confidence_basis(tr, t, j, v);
	write_advice(tr, j, v);
	write_pool_advice(v);

	/* rationale: what it is bound by, what that means, what changes it */
	if (j->io_bound)
		write_io_bound(tr, t, j, v);
	else
		snprintf(
			v->rationale, sizeof(v->rationale),
			"The busy threads spent %.0f%% of their time on CPU or runnable and %.0f%% "
			"waiting on I/O (io_fraction %.2f < %.2f), so the program is CPU-bound. "
			"It used %.1f of %d CPUs on average: spreading the work could make it "
			"%s. ",
			pct(1 - tr->io_fraction), pct(tr->io_fraction), tr->io_fraction,
			t->io_bound_min, tr->cpu_used, tr->cpus, gain_words(tr, j, v, gain, sizeof(gain)));

	if (v->phases.nr > 1)
		write_phases(tr, v);
	/* said when it moved io_fraction by more than 0.01 */
	if (tr->runq_external > 0.01 * (tr->b_cpu + tr->b_runq + tr->b_io) && tr->runq_all > 0) {
		char rq[FMT_LEN];

		appendf(v->rationale, sizeof(v->rationale),
			"It waited %s for CPUs that other programs held, which is left out. ",
			fmt_ns(rq, sizeof(rq), tr->runq_external));
	}
	if (tr->cpython && v->model != MODEL_MULTIPROCESSING && tr->multithreaded &&
	    tr->gil_wait_share >= GIL_NOTE_MIN)
		appendf(v->rationale, sizeof(v->rationale),
			"Its threads spent %.0f%% of their time waiting to take CPython's GIL "
			"(gil_wait_share %.2f): an event loop in one thread has no such hand-offs. ",
			pct(tr->gil_wait_share), tr->gil_wait_share);
	if (tr->cpython && v->model == MODEL_MULTIPROCESSING && !v->already_fits && tr->multithreaded)
		appendf(v->rationale, sizeof(v->rationale),
			"It runs on CPython, whose GIL lets one thread run Python code at a "
			"time: its busy threads spent %.0f%% of their time waiting to take it "
			"(gil_wait_share %.2f), so threads cannot help: processes can.",
			pct(tr->gil_wait_share), tr->gil_wait_share);
	else if (tr->cpython && v->model == MODEL_MULTIPROCESSING && !v->already_fits)
		appendf(v->rationale, sizeof(v->rationale),
			"It runs on CPython, whose GIL lets one thread run Python code at a "
			"time, so threads cannot help: processes can.");

	else if (!tr->cpython && tr->lock_share >= LOCK_NOTE_MIN)
		appendf(v->rationale, sizeof(v->rationale),
			"Note that the busy threads also spent %.0f%% of their time waiting on "
			"locks: reduce that contention too.",
			pct(tr->lock_share));
	else if (v->already_fits)
		appendf(v->rationale, sizeof(v->rationale), "As a%s %s program it already fits.",
			strchr("aeiou", v->current_model[0]) ? "n" : "", v->current_model);
	else if (v->model == MODEL_MULTIPROCESSING && tr->event_loop)
		appendf(v->rationale, sizeof(v->rationale),
			"Its event loop keeps one CPU busy: more processes or workers beside the "
			"loop can use the others.");
	else if (v->model != MODEL_MULTIPROCESSING)
		appendf(v->rationale, sizeof(v->rationale), "Overlapping those waits could make it %s.",
			gain_words(tr, j, v, gain, sizeof(gain)));
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * The first finding in a sentence: "72% of the external net wait is in recv
 * called from fetch_page (client.c:88)."
 */
static void write_finding(struct verdict *v)
{
	const struct finding *f = &v->findings[0];
	const char *cause = f->cause == STACKS_CPU ? "cpu" : cause_names[f->cause];
	char what[64], where[512];

	if (f->kind == FINDING_CPU)
		snprintf(what, sizeof(what), "the time on CPU");
	else
		snprintf(what, sizeof(what), "the %s%s wait", f->kind == FINDING_IO ? "external " : "",
			 cause);
	if (!f->function[0])
		snprintf(where, sizeof(where), "code without symbols%s%s",
			 f->module[0] ? " in " : "", base_name(f->module));
	else if (f->leaf[0] && strcmp(f->leaf, f->function))
		snprintf(where, sizeof(where), "%s called from %s", f->leaf, f->function);
	else
		snprintf(where, sizeof(where), "%s", f->function);
	if (f->file[0])
		appendf(v->rationale, sizeof(v->rationale), " %.0f%% of %s is in %s (%s:%u).",
			pct(f->share), what, where, base_name(f->file), f->line);
	else
		appendf(v->rationale, sizeof(v->rationale), " %.0f%% of %s is in %s.", pct(f->share),
			what, where);
}

void rationale_write(const struct tree *tr, const struct thresholds *t, const struct judgement *j,
		     struct verdict *v)
{
	size_t len;

	if (j->by == JUDGED_TREE)
		write_tree(tr, t, j, v);
	else
		write_inconclusive(tr, t, j, v);

	/* the rationale's last sentence may end with a blank */
	len = strlen(v->rationale);
	while (len && v->rationale[len - 1] == ' ')
		v->rationale[--len] = '\0';
	if (j->by == JUDGED_TREE)
		write_pool_rationale(v);
	if (v->nr_findings)
		write_finding(v);
}
