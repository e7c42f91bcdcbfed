// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The decision of SPEC section 4: a pure function from a profile and
 * thresholds to a verdict.
 *
 * Words used below, per thread:
 *   life   its span in the run (end, or the end of the run, minus start), or
 *          the sum of its states when that is longer;
 *   io     external net + disk + poll + ipc blocked time (SPEC section 3);
 *   work   cpu + runq + io;
 *   busy   cpu + io >= busy_min x min(wall, life): a short-lived thread is
 *          judged on its own life, so the children of `make` count;
 *   worker a busy thread with cpu + io >= 10% of the busiest thread's: it
 *          counts in current_model, so runtime helpers (GC, JIT, timers)
 *          that wake now and then do not make a program "multithreaded",
 *          while 32 threads sharing 2 CPUs all count.
 *
 * The drivers: io_fraction = sum io / sum (cpu + runq + io) over busy
 * threads; wait_p50 = time-weighted median of the external net, disk, poll
 * and ipc wait histograms; peak = peak open connections.
 *
 * Inconclusive, checked in this order before the tree:
 *   too-short  the run lasted less than min_duration_ms.
 *   idle tree  no thread was busy, or idle_share >= asleep_min, where
 *              idle_share = 1 - (sum work of every thread) / wall: the tree
 *              did almost nothing. The reason names what it waited on most,
 *              over every thread: sleep -> "asleep", lock -> "locks",
 *              other and internal waits -> "idle", and "children" only when
 *              the wait for children is longer than all of that together
 *              (a traced child's own life mirrors its parent's wait, so
 *              `sh -c 'sleep 1'` is asleep, not children). With no wait
 *              at all: too-short when the tree did under 1 ms of cpu + io,
 *              else idle. A `make` whose compilers are busy is not idle:
 *              the compilers are threads of the tree.
 *   too-short  the whole tree did less than 1 ms of cpu + io.
 *   locks      lock_share >= 0.5: the work-weighted share of busy threads'
 *              time spent in lock waits, each thread weighing its lock /
 *              (work + lock) by its work. Idle pool threads parked on a
 *              futex do little work, so they barely count; threads
 *              serialised on a mutex each do a fair share and count fully.
 *              Not applied to CPython, where those waits are the GIL: CPU
 *              serialisation, judged CPU-bound and named in the advice.
 *
 * current_model, in this order: "multiprocess" when workers of two or more
 * processes ran at overlapping times (a script running commands one after
 * the other is not); "event-loop" when busy threads that wait mostly in
 * poll-type calls (poll >= half of their blocked time) do at least half of
 * the busy work, and juggle connections (peak open >= 3 or >= 2 accepted,
 * where connections were counted); "multithreaded" when a process has two or more workers;
 * else "single-threaded". busy_threads = (cpu + io of busy threads) / wall.
 *
 * Already fits: async with an event loop; multithreading with anything that
 * already overlaps its waits (threads, processes, an event loop);
 * multiprocessing when the busy threads keep >= 90% of the CPUs online busy.
 * Otherwise the advice reads "from <current> to <model>: <how>", the how
 * worded for the runtime: processes and the GIL for CPython, workers beside
 * the loop for Node.js or any CPU-bound event loop, goroutines for Go.
 *
 * Confidence is a product of factors, each in (0, 1]:
 *   each driver on the path: 1 - 0.5 e^(-3d), with d its distance from the
 *     threshold: for io_fraction the distance over the range on its side
 *     (|v - t| / t below, (v - t) / (1 - t) above), for wait_p50 and peak
 *     |log10(v / t)| (decades), capped at 3. The factor is 0.5 at the
 *     threshold and rises strictly with the distance (0.975 at d = 1).
 *     Of the two I/O drivers, async takes the larger factor of those that
 *     held (either suffices), multithreading the smaller (both must hold);
 *   run length: 1 from 1 s up, 0.5 + 0.25 log10(wall / 10 ms) below, >= 0.5;
 *   dropped events: 1 - dropped / (events + dropped);
 *   locks: 1 - lock_share (outside CPython), so a run near lock-bound is
 *     never a confident model.
 * An inconclusive verdict's confidence says how sure its reason is: the same
 * distance factor of the metric that triggered it (duration, idle_share,
 * the busiest thread's share against busy_min, work, lock_share), times the
 * dropped-events factor.
 *
 * Speedup bound: CPU-bound, Amdahl with the I/O share s = io_fraction as
 * serial and the rest spread from the CPUs used now, max(1, cpu / wall),
 * to every CPU online: 1 / (s + (1 - s) min(1, used / cpus)). I/O-bound,
 * overlapping every wait leaves the CPU share: 1 / (1 - io_fraction),
 * capped by the CPUs (cpus x wall / busy cpu time) and at 1000.
 */
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide.h"

#define NS_PER_MS 1e6
#define NS_PER_S 1e9

#define WORKER_MIN 0.1 /* share of the busiest thread's cpu + io that makes a worker */
#define LOCK_BOUND_MIN 0.5 /* lock_share at or above: lock-bound */
#define LOCK_NOTE_MIN 0.2 /* lock_share worth a sentence in the rationale */
#define LITTLE_WORK_NS 1e6 /* less cpu + io in the whole tree: too-short */
#define RUN_FULL_NS 1e9 /* runs this long get full run-length confidence */
#define RUN_LOW_NS 1e7 /* where the run-length factor bottoms out at 0.5 */
#define FITS_CPU_SHARE 0.9 /* CPU-bound work using this share of CPUs fits */
#define SPEEDUP_MAX 1000.0
#define EVENT_LOOP_MIN_CONNS 3 /* peak open connections that make a poll loop an event loop */
#define DECADES_MAX 3.0

const struct threshold_def threshold_defs[NR_THRESHOLDS] = {
	{
		.name = "io_bound_min",
		.help = "io_fraction at or above which the program is I/O-bound (0.5)",
		.offset = offsetof(struct thresholds, io_bound_min),
		.default_value = 0.5,
		.max_value = 1,
	},
	{
		.name = "slow_wait_ms",
		.help = "median I/O wait at or above which I/O is very slow (1 ms)",
		.offset = offsetof(struct thresholds, slow_wait_ms),
		.default_value = 1,
		.max_value = DBL_MAX,
	},
	{
		.name = "many_conns",
		.help = "peak open connections at or above which they are many (64)",
		.offset = offsetof(struct thresholds, many_conns),
		.default_value = 64,
		.max_value = DBL_MAX,
	},
	{
		.name = "busy_min",
		.help = "share of its life a thread must be on CPU or in I/O to count (0.01)",
		.offset = offsetof(struct thresholds, busy_min),
		.default_value = 0.01,
		.max_value = 1,
	},
	{
		.name = "min_duration_ms",
		.help = "shorter runs are too short to judge (20 ms)",
		.offset = offsetof(struct thresholds, min_duration_ms),
		.default_value = 20,
		.max_value = DBL_MAX,
	},
	{
		.name = "asleep_min",
		.help = "idle share of the wall time at or above which the tree is asleep (0.9)",
		.offset = offsetof(struct thresholds, asleep_min),
		.default_value = 0.9,
		.max_value = 1,
	},
};

const char *const model_names[NR_MODELS] = {
	[MODEL_INCONCLUSIVE] = "inconclusive",
	[MODEL_ASYNC] = "async",
	[MODEL_MULTITHREADING] = "multithreading",
	[MODEL_MULTIPROCESSING] = "multiprocessing",
};

static double *threshold_field(struct thresholds *t, const struct threshold_def *def)
{
	return (double *)((char *)t + def->offset);
}

void thresholds_default(struct thresholds *t)
{
	for (int i = 0; i < NR_THRESHOLDS; i++)
		*threshold_field(t, &threshold_defs[i]) = threshold_defs[i].default_value;
}

int thresholds_set(struct thresholds *t, const char *assignment)
{
	const struct threshold_def *def = NULL;
	const char *eq = strchr(assignment, '='), *val;
	size_t name_len;
	char *end;
	double x;

	if (!eq || eq == assignment)
		return -EINVAL;
	name_len = eq - assignment;
	for (int i = 0; i < NR_THRESHOLDS; i++) {
		if (strlen(threshold_defs[i].name) == name_len &&
		    !strncmp(threshold_defs[i].name, assignment, name_len)) {
			def = &threshold_defs[i];
			break;
		}
	}
	if (!def)
		return -EINVAL;

	/*
	 * strtod alone would take leading blanks, signs, hex, "inf" and "nan":
	 * only a plain decimal number is a threshold.
	 */
	val = eq + 1;
	if (!(*val >= '0' && *val <= '9') && *val != '.')
		return -EINVAL;
	if (val[strspn(val, "0123456789.eE+-")])
		return -EINVAL;
	errno = 0;
	x = strtod(val, &end);
	if (errno || end == val || *end || !isfinite(x) || x < 0 || x > def->max_value)
		return -EINVAL;
	*threshold_field(t, def) = x;
	return 0;
}

int model_from_name(const char *name)
{
	for (int i = 0; i < NR_MODELS; i++)
		if (!strcmp(name, model_names[i]))
			return i;
	return -1;
}

/* What the tree did, summed the ways the rules need it. */
struct tree {
	double wall;
	int cpus;
	bool cpython;
	bool nodejs;

	/* every thread */
	double work; /* cpu + runq + io */
	double cpu_io;
	double sleep, lock, child, rest; /* rest: other and internal waits */
	double busiest; /* largest (cpu + io) / min(wall, life) */

	/* busy threads */
	size_t nr_busy;
	double b_cpu, b_runq, b_io;
	double lock_weighted; /* sum of work x lock / (work + lock) */
	double loop_work; /* work of busy threads waiting mostly in poll */

	/* workers, for current_model */
	size_t nr_worker_procs;
	bool multithreaded;
	bool multiprocess;

	double io_fraction;
	double lock_share;
	double idle_share;
	double cpu_used; /* busy cpu / wall: CPUs in use on average */
	bool event_loop;
};

struct span {
	__u64 start;
	__u64 end;
};

static double thread_io_ns(const struct thread_profile *th)
{
	static const int io_causes[] = { CAUSE_NET, CAUSE_DISK, CAUSE_POLL, CAUSE_IPC };
	double io = 0;

	for (size_t i = 0; i < sizeof(io_causes) / sizeof(io_causes[0]); i++) {
		int c = io_causes[i];

		if (th->blocked_ns[c] > th->internal_ns[c])
			io += th->blocked_ns[c] - th->internal_ns[c];
	}
	return io;
}

static __u64 thread_end_ns(const struct thread_profile *th, __u64 wall)
{
	return th->end_ns ? th->end_ns : wall;
}

static double thread_life_ns(const struct thread_profile *th, __u64 wall)
{
	__u64 end = thread_end_ns(th, wall);
	double span = end > th->start_ns ? (double)(end - th->start_ns) : 0;
	double states = (double)th->cpu_ns + th->runq_wakeup_ns + th->runq_preempt_ns;

	for (int c = 0; c < NR_CAUSES; c++)
		states += th->blocked_ns[c];
	return states > span ? states : span;
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Whether any two of the spans overlap in time; sorts them. */
static bool spans_overlap(struct span *s, size_t n)
{
	__u64 end = 0;

	qsort(s, n, sizeof(*s), span_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i && s[i].start < end)
			return true;
		if (s[i].end > end)
			end = s[i].end;
	}
	return false;
}

/* Whether the thread was busy (see the top); *cpu_io gets its cpu + io. */
static bool thread_busy(const struct thread_profile *th, __u64 wall, double busy_min,
			double *cpu_io)
{
	double life = thread_life_ns(th, wall);
	double base = life < (double)wall ? life : (double)wall;

	*cpu_io = th->cpu_ns + thread_io_ns(th);
	return *cpu_io > 0 && *cpu_io >= busy_min * base;
}

/* cpu + io of the busiest thread, the yardstick of a worker */
static double busiest_cpu_io(const struct profile *p, const struct thresholds *t)
{
	double top = 0, cpu_io;

	for (size_t i = 0; i < p->nr_processes; i++)
		for (size_t j = 0; j < p->processes[i].nr_threads; j++)
			if (thread_busy(&p->processes[i].threads[j], p->duration_ns, t->busy_min,
					&cpu_io) &&
			    cpu_io > top)
				top = cpu_io;
	return top;
}

static void tree_collect(const struct profile *p, const struct thresholds *t, struct tree *tr)
{
	double b_all_work = 0, worker_min = WORKER_MIN * busiest_cpu_io(p, t);
	struct span *spans;
	size_t nr_spans = 0;

	memset(tr, 0, sizeof(*tr));
	tr->wall = (double)p->duration_ns;
	tr->cpus = p->cpus > 0 ? p->cpus : 1;
	tr->cpython = !strcmp(p->runtime, "cpython");
	tr->nodejs = !strcmp(p->runtime, "nodejs");

	/* without memory, any two processes with workers count as concurrent */
	spans = calloc(p->nr_processes ? p->nr_processes : 1, sizeof(*spans));

	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		struct span sp = { .start = ~0ULL, .end = 0 };
		size_t nr_workers = 0;

		for (size_t j = 0; j < proc->nr_threads; j++) {
			const struct thread_profile *th = &proc->threads[j];
			double life = thread_life_ns(th, p->duration_ns);
			double base = life < tr->wall ? life : tr->wall;
			double cpu = th->cpu_ns, cpu_io;
			bool busy = thread_busy(th, p->duration_ns, t->busy_min, &cpu_io);
			double runq = (double)th->runq_wakeup_ns + th->runq_preempt_ns;
			double io = cpu_io - cpu;
			double work = cpu + runq + io;
			double lock = th->blocked_ns[CAUSE_LOCK];
			double poll = th->blocked_ns[CAUSE_POLL], blocked = 0;
			double share = base > 0 ? cpu_io / base : 0;

			for (int c = 0; c < NR_CAUSES; c++)
				blocked += th->blocked_ns[c];
			tr->work += work;
			tr->cpu_io += cpu + io;
			tr->sleep += th->blocked_ns[CAUSE_SLEEP];
			tr->lock += lock;
			tr->child += th->blocked_ns[CAUSE_CHILD];
			tr->rest += th->blocked_ns[CAUSE_OTHER];
			tr->rest += (double)th->internal_ns[CAUSE_NET] +
				    th->internal_ns[CAUSE_DISK] + th->internal_ns[CAUSE_POLL] +
				    th->internal_ns[CAUSE_IPC];
			if (share > tr->busiest)
				tr->busiest = share;

			if (!busy)
				continue;
			tr->nr_busy++;
			tr->b_cpu += cpu;
			tr->b_runq += runq;
			tr->b_io += io;
			if (work + lock > 0)
				tr->lock_weighted += work * lock / (work + lock);
			b_all_work += work;
			if (poll > 0 && poll >= blocked / 2)
				tr->loop_work += work;

			if (cpu_io < worker_min)
				continue;
			nr_workers++;
			if (th->start_ns < sp.start)
				sp.start = th->start_ns;
			if (thread_end_ns(th, p->duration_ns) > sp.end)
				sp.end = thread_end_ns(th, p->duration_ns);
		}
		if (nr_workers > 1)
			tr->multithreaded = true;
		if (nr_workers) {
			tr->nr_worker_procs++;
			if (spans)
				spans[nr_spans++] = sp;
		}
	}
	if (tr->nr_worker_procs > 1)
		tr->multiprocess = spans ? spans_overlap(spans, nr_spans) : true;
	free(spans);

	if (tr->b_cpu + tr->b_runq + tr->b_io > 0)
		tr->io_fraction = tr->b_io / (tr->b_cpu + tr->b_runq + tr->b_io);
	if (b_all_work > 0) {
		tr->lock_share = tr->lock_weighted / b_all_work;
		/*
		 * A loop that waits on one connection at a time (curl fetching
		 * URLs one after the other) overlaps nothing: an I/O-bound
		 * event loop must juggle several, when connections were
		 * counted. A CPU-bound one is a loop whatever it serves.
		 */
		tr->event_loop = tr->loop_work >= b_all_work / 2 &&
				 (!p->conns.tcp_counted || p->conns.peak_open >= EVENT_LOOP_MIN_CONNS ||
				  p->conns.accepted >= 2 || tr->io_fraction < t->io_bound_min);
	}
	if (tr->wall > 0) {
		tr->idle_share = tr->work < tr->wall ? 1 - tr->work / tr->wall : 0;
		tr->cpu_used = tr->b_cpu / tr->wall;
	} else {
		tr->idle_share = 1;
	}
}

static __u64 io_wait_p50(const struct profile *p)
{
	static const int io_causes[] = { CAUSE_NET, CAUSE_DISK, CAUSE_POLL, CAUSE_IPC };
	__u64 slots[MAX_SLOTS] = {};

	for (size_t i = 0; i < sizeof(io_causes) / sizeof(io_causes[0]); i++)
		for (int k = 0; k < MAX_SLOTS; k++)
			slots[k] += p->waits[io_causes[i]].ext.slots[k];
	return hist_weighted_median(slots, MAX_SLOTS);
}

/* 0.5 at the threshold (d = 0), rising strictly towards 1 with the distance. */
static double distance_factor(double d)
{
	if (!(d > 0))
		return 0.5;
	return 1 - 0.5 * exp(-3 * d);
}

/* Distance of a share from its threshold, over the range on its side. */
static double share_distance(double v, double t)
{
	double room = v >= t ? 1 - t : t;

	if (room <= 0)
		return DECADES_MAX;
	return fabs(v - t) / room;
}

/* Distance of an unbounded metric from its threshold, in decades. */
static double decade_distance(double v, double t)
{
	double d;

	if (t <= 0)
		return DECADES_MAX;
	if (v < t * 1e-3)
		v = t * 1e-3;
	d = fabs(log10(v / t));
	return d < DECADES_MAX ? d : DECADES_MAX;
}

static double run_factor(double wall)
{
	double f;

	if (wall >= RUN_FULL_NS)
		return 1;
	if (wall <= RUN_LOW_NS)
		return 0.5;
	f = 0.5 + 0.25 * log10(wall / RUN_LOW_NS);
	return f < 1 ? f : 1;
}

static double drop_factor(const struct overhead *oh)
{
	double seen = (double)oh->events + oh->dropped;

	return seen > 0 ? 1 - oh->dropped / seen : 1;
}

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

static const char *fmt_ns(char *buf, size_t size, double ns)
{
	if (ns >= NS_PER_S)
		snprintf(buf, size, "%.2f s", ns / NS_PER_S);
	else if (ns >= NS_PER_MS)
		snprintf(buf, size, "%.1f ms", ns / NS_PER_MS);
	else if (ns >= 1e3)
		snprintf(buf, size, "%.0f us", ns / 1e3);
	else
		snprintf(buf, size, "%.0f ns", ns);
	return buf;
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

static void path_add(struct verdict *v, const char *metric, double value, double threshold,
		     const char *branch)
{
	struct path_node *n;

	if (v->nr_path >= MAX_PATH)
		return;
	n = &v->path[v->nr_path++];
	snprintf(n->metric, sizeof(n->metric), "%s", metric);
	n->value = value;
	n->threshold = threshold;
	snprintf(n->branch, sizeof(n->branch), "%s", branch);
}

static void set_inconclusive(struct verdict *v, const char *reason, double confidence, double drop)
{
	v->model = MODEL_INCONCLUSIVE;
	snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "%s", reason);
	v->confidence = confidence * drop;
	v->speedup_bound = 1;
	snprintf(v->speedup_basis, sizeof(v->speedup_basis),
		 "none: an inconclusive run gives no bound");
}

/*
 * Why an idle tree waited. The reason's share of the waits goes between why
 * and why_after; without why_after no share is quoted.
 */
struct idle_reason {
	const char *name;
	const char *why;
	const char *why_after;
	const char *advice;
};

enum { IDLE_ASLEEP, IDLE_CHILDREN, IDLE_LOCKS, IDLE_OTHER, IDLE_NO_WAIT, IDLE_TOO_SHORT };

static const struct idle_reason idle_reasons[] = {
	[IDLE_ASLEEP] = {
		"asleep",
		"Sleep calls took ",
		" of its waits, so it is limited by its own sleeps, and no concurrency "
		"model changes that.",
		"nothing to parallelise: the program mostly sleeps; shorten or overlap the "
		"sleeps first",
	},
	[IDLE_CHILDREN] = {
		"children",
		"Waiting for child processes took ",
		" of its waits, more than the traced children account for.",
		"profile the children it waits for: the time is spent there",
	},
	[IDLE_LOCKS] = {
		"locks",
		"Lock waits took ",
		" of its waits: its threads mostly waited for each other.",
		"reduce lock contention first: the threads wait for each other",
	},
	[IDLE_OTHER] = {
		"idle",
		"Waits on its own processes or on other events took ",
		" of its waits, which no concurrency model speeds up.",
		"nothing to parallelise: no thread of the tree was busy",
	},
	[IDLE_NO_WAIT] = {
		"idle",
		"Its threads recorded no waits either: most of the run was not seen.",
		NULL,
		"nothing to parallelise: no thread of the tree was busy",
	},
	[IDLE_TOO_SHORT] = {
		"too-short",
		"It did too little work to judge.",
		NULL,
		"give it more work (a longer run) to get a verdict",
	},
};

/* The reason an idle tree waited: see the rules at the top. */
static const struct idle_reason *idle_reason(const struct tree *tr, double *share)
{
	double others = tr->sleep + tr->lock + tr->rest;
	double all = others + tr->child;

	*share = 0;
	if (all <= 0)
		return &idle_reasons[tr->cpu_io < LITTLE_WORK_NS ? IDLE_TOO_SHORT : IDLE_NO_WAIT];
	if (tr->child > others) {
		*share = tr->child / all;
		return &idle_reasons[IDLE_CHILDREN];
	}
	if (tr->sleep >= tr->lock && tr->sleep >= tr->rest) {
		*share = tr->sleep / all;
		return &idle_reasons[IDLE_ASLEEP];
	}
	if (tr->lock >= tr->rest) {
		*share = tr->lock / all;
		return &idle_reasons[IDLE_LOCKS];
	}
	*share = tr->rest / all;
	return &idle_reasons[IDLE_OTHER];
}

/* Fills v as inconclusive and returns true when the run cannot be judged. */
static bool judge_inconclusive(const struct tree *tr, const struct thresholds *t, double drop,
			       struct verdict *v)
{
	double min_ns = t->min_duration_ms * NS_PER_MS;
	double share;
	char a[32], b[32];

	if (tr->wall < min_ns) {
		path_add(v, "duration_ms", tr->wall / NS_PER_MS, t->min_duration_ms, "too-short");
		set_inconclusive(v, "too-short", distance_factor((min_ns - tr->wall) / min_ns),
				 drop);
		snprintf(v->rationale, sizeof(v->rationale),
			 "The run lasted %s, less than the %s needed to judge it "
			 "(min_duration_ms %g). A run this short says more about start-up "
			 "than about the program.",
			 fmt_ns(a, sizeof(a), tr->wall), fmt_ns(b, sizeof(b), min_ns),
			 t->min_duration_ms);
		snprintf(v->advice, sizeof(v->advice),
			 "run it longer (at least %g ms, ideally over a second) to get a verdict",
			 t->min_duration_ms);
		return true;
	}

	if (!tr->nr_busy || tr->idle_share >= t->asleep_min) {
		const struct idle_reason *r = idle_reason(tr, &share);
		double conf = 0.5;

		if (tr->nr_busy) {
			path_add(v, "idle_share", tr->idle_share, t->asleep_min, r->name);
			conf = distance_factor(share_distance(tr->idle_share, t->asleep_min));
		} else {
			path_add(v, "busiest_thread_share", tr->busiest, t->busy_min, r->name);
			if (t->busy_min > 0)
				conf = distance_factor((t->busy_min - tr->busiest) / t->busy_min);
		}
		set_inconclusive(v, r->name, conf, drop);
		snprintf(v->rationale, sizeof(v->rationale),
			 "%s: its threads were on CPU, runnable or in I/O for %s in %s of wall "
			 "time (idle_share %.2f %s %.2f). ",
			 tr->nr_busy ? "The tree was mostly idle" : "No thread was busy",
			 fmt_ns(a, sizeof(a), tr->work), fmt_ns(b, sizeof(b), tr->wall),
			 tr->idle_share, tr->idle_share >= t->asleep_min ? ">=" : "<",
			 t->asleep_min);
		if (r->why_after)
			appendf(v->rationale, sizeof(v->rationale), "%s%.0f%%%s", r->why,
				pct(share), r->why_after);
		else
			appendf(v->rationale, sizeof(v->rationale), "%s", r->why);
		snprintf(v->advice, sizeof(v->advice), "%s", r->advice);
		return true;
	}

	if (tr->cpu_io < LITTLE_WORK_NS) {
		path_add(v, "work_ms", tr->cpu_io / NS_PER_MS, LITTLE_WORK_NS / NS_PER_MS,
			 "too-short");
		set_inconclusive(v, "too-short",
				 distance_factor((LITTLE_WORK_NS - tr->cpu_io) / LITTLE_WORK_NS),
				 drop);
		snprintf(v->rationale, sizeof(v->rationale),
			 "The whole tree was on CPU or in I/O for only %s, under the 1 ms needed "
			 "to judge it. Give it more work.",
			 fmt_ns(a, sizeof(a), tr->cpu_io));
		snprintf(v->advice, sizeof(v->advice),
			 "give it more work (a longer run) to get a verdict");
		return true;
	}

	if (!tr->cpython && tr->lock_share >= LOCK_BOUND_MIN) {
		path_add(v, "lock_share", tr->lock_share, LOCK_BOUND_MIN, "locks");
		set_inconclusive(v, "locks",
				 distance_factor(share_distance(tr->lock_share, LOCK_BOUND_MIN)),
				 drop);
		snprintf(v->rationale, sizeof(v->rationale),
			 "Its busy threads spent %.0f%% of their time waiting on locks "
			 "(lock_share %.2f >= %.2f): they mostly wait for each other. "
			 "No concurrency model helps until that contention is reduced "
			 "(io_fraction was %.2f).",
			 pct(tr->lock_share), tr->lock_share, LOCK_BOUND_MIN, tr->io_fraction);
		snprintf(v->advice, sizeof(v->advice),
			 "reduce lock contention first (smaller critical sections, per-thread "
			 "data, fewer shared locks), then profile again");
		return true;
	}
	return false;
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

static void current_model(const struct tree *tr, struct verdict *v)
{
	const char *cur;

	if (tr->multiprocess)
		cur = "multiprocess";
	else if (tr->event_loop)
		cur = "event-loop";
	else if (tr->multithreaded)
		cur = "multithreaded";
	else
		cur = "single-threaded";
	snprintf(v->current_model, sizeof(v->current_model), "%s", cur);
	v->busy_threads = tr->wall > 0 ? (tr->b_cpu + tr->b_io) / tr->wall : 0;
}

static bool already_fits(enum model m, const struct tree *tr)
{
	switch (m) {
	case MODEL_ASYNC:
		return tr->event_loop;
	case MODEL_MULTITHREADING:
		/* anything that already overlaps its waits */
		return tr->multiprocess || tr->multithreaded || tr->event_loop;
	case MODEL_MULTIPROCESSING:
		return tr->cpu_used >= FITS_CPU_SHARE * tr->cpus;
	default:
		return false;
	}
}

static void speedup(const struct tree *tr, enum model m, struct verdict *v)
{
	double s = tr->io_fraction, bound;

	if (m == MODEL_MULTIPROCESSING) {
		double used = tr->cpu_used > 1 ? tr->cpu_used : 1;
		double spread = used < tr->cpus ? used / tr->cpus : 1;

		bound = 1 / (s + (1 - s) * spread);
		snprintf(v->speedup_basis, sizeof(v->speedup_basis),
			 "Amdahl: I/O share %.2f stays serial, the rest spreads from %.1f CPUs "
			 "used to %d online: 1 / (%.2f + %.2f x %.2f)",
			 s, used, tr->cpus, s, 1 - s, spread);
	} else {
		double cap = tr->b_cpu > 0 ? tr->cpus * tr->wall / tr->b_cpu : SPEEDUP_MAX;
		double overlap = s < 1 ? 1 / (1 - s) : SPEEDUP_MAX;

		if (cap > SPEEDUP_MAX)
			cap = SPEEDUP_MAX;
		bound = overlap < cap ? overlap : cap;
		snprintf(v->speedup_basis, sizeof(v->speedup_basis),
			 "overlapping every wait leaves the CPU share: 1 / (1 - io_fraction "
			 "%.2f) = %.1f, capped by %d CPUs x wall / cpu time and %g: %.1f",
			 s, overlap, tr->cpus, SPEEDUP_MAX, cap);
	}
	v->speedup_bound = bound > 1 ? bound : 1;
}

static void decide_tree(const struct profile *p, const struct thresholds *t, const struct tree *tr,
			double drop, struct verdict *v)
{
	double wait_ms = (double)v->wait_p50_ns / NS_PER_MS, peak = (double)v->peak_open;
	bool io_bound = tr->io_fraction >= t->io_bound_min;
	double f_io = distance_factor(share_distance(tr->io_fraction, t->io_bound_min));
	double f_run = run_factor(tr->wall);
	double f_lock = tr->cpython ? 1 : 1 - tr->lock_share;
	double f_tree = f_io, f_sub = 1;
	char a[32], b[48];

	path_add(v, "io_fraction", tr->io_fraction, t->io_bound_min,
		 io_bound ? "io_bound" : "cpu_bound");
	if (io_bound) {
		bool slow = wait_ms >= t->slow_wait_ms, many = peak >= t->many_conns;
		double f_slow = distance_factor(decade_distance(wait_ms, t->slow_wait_ms));
		double f_many = distance_factor(decade_distance(peak, t->many_conns));

		path_add(v, "wait_p50_ms", wait_ms, t->slow_wait_ms, slow ? "slow" : "fast");
		path_add(v, "peak_open_connections", peak, t->many_conns, many ? "many" : "few");
		if (slow || many) {
			v->model = MODEL_ASYNC;
			/* either driver alone gives async: the surer one counts */
			f_sub = slow ? f_slow : 0;
			if (many && f_many > f_sub)
				f_sub = f_many;
		} else {
			v->model = MODEL_MULTITHREADING;
			/* both had to stay below: the closer one counts */
			f_sub = f_slow < f_many ? f_slow : f_many;
		}
		f_tree *= f_sub;
	} else {
		v->model = MODEL_MULTIPROCESSING;
	}

	v->confidence = f_tree * f_run * drop * f_lock;
	snprintf(v->confidence_basis, sizeof(v->confidence_basis),
		 "product of io_fraction %.2f vs %.2f: %.2f", tr->io_fraction, t->io_bound_min,
		 f_io);
	if (io_bound)
		appendf(v->confidence_basis, sizeof(v->confidence_basis),
			"; %s (wait_p50 %s vs %g ms, peak %.0f vs %g): %.2f",
			v->model == MODEL_ASYNC ? "surer async driver" : "closer I/O driver",
			fmt_ns(a, sizeof(a), (double)v->wait_p50_ns), t->slow_wait_ms, peak,
			t->many_conns, f_sub);
	appendf(v->confidence_basis, sizeof(v->confidence_basis),
		"; run %s: %.2f; dropped %llu of %llu events: %.2f", fmt_ns(a, sizeof(a), tr->wall),
		f_run, (unsigned long long)p->overhead.dropped,
		(unsigned long long)(p->overhead.events + p->overhead.dropped), drop);
	if (tr->cpython)
		appendf(v->confidence_basis, sizeof(v->confidence_basis),
			"; lock waits are the GIL: not counted");
	else
		appendf(v->confidence_basis, sizeof(v->confidence_basis), "; lock_share %.2f: %.2f",
			tr->lock_share, f_lock);

	speedup(tr, v->model, v);
	v->already_fits = already_fits(v->model, tr);

	if (!v->already_fits && v->model == MODEL_MULTIPROCESSING && tr->multiprocess)
		/* the right model, not yet enough of it (make -j2 with a serial link) */
		snprintf(v->advice, sizeof(v->advice),
			 "already multiprocess: keep more processes busy at once (%.1f of %d CPUs "
			 "in use on average)",
			 tr->cpu_used, tr->cpus);
	else if (!v->already_fits)
		snprintf(v->advice, sizeof(v->advice), "from %s to %s: %s", v->current_model,
			 model_names[v->model], mechanism(v->model, tr, v->runtime));
	else if (v->model == MODEL_MULTIPROCESSING)
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: it keeps %.1f of %d CPUs busy", tr->cpu_used, tr->cpus);
	else if (tr->event_loop)
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: its event loop already overlaps the waits");
	else
		snprintf(v->advice, sizeof(v->advice),
			 "already fits: its %s already overlap the waits",
			 tr->multiprocess ? "processes" : "threads");

	/* rationale: what it is bound by, what that means, what changes it */
	if (io_bound) {
		snprintf(v->rationale, sizeof(v->rationale),
			 "The busy threads spent %.0f%% of their time waiting on I/O "
			 "(io_fraction %.2f >= %.2f), so the program is I/O-bound. "
			 "Half of that wait time was in waits of %s or longer (%s: %s %g ms) "
			 "and %s open at once (%s: %s %g), so %s fits. ",
			 pct(tr->io_fraction), tr->io_fraction, t->io_bound_min,
			 fmt_ns(a, sizeof(a), (double)v->wait_p50_ns),
			 wait_ms >= t->slow_wait_ms ? "slow" : "fast",
			 wait_ms >= t->slow_wait_ms ? ">=" : "<", t->slow_wait_ms,
			 fmt_conns(b, sizeof(b), v->peak_open),
			 peak >= t->many_conns ? "many" : "few", peak >= t->many_conns ? ">=" : "<",
			 t->many_conns, model_names[v->model]);
	} else {
		snprintf(
			v->rationale, sizeof(v->rationale),
			"The busy threads spent %.0f%% of their time on CPU or runnable and %.0f%% "
			"waiting on I/O (io_fraction %.2f < %.2f), so the program is CPU-bound. "
			"It used %.1f of %d CPUs on average: spreading the work could make it "
			"up to %.1fx faster. ",
			pct(1 - tr->io_fraction), pct(tr->io_fraction), tr->io_fraction,
			t->io_bound_min, tr->cpu_used, tr->cpus, v->speedup_bound);
	}

	if (tr->cpython && v->model == MODEL_MULTIPROCESSING && !v->already_fits)
		appendf(v->rationale, sizeof(v->rationale),
			"It runs on CPython, whose GIL lets one thread run Python code at a "
			"time%s, so threads cannot help: processes can.",
			tr->multithreaded ? " (its busy threads took turns)" : "");
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
		appendf(v->rationale, sizeof(v->rationale),
			"Overlapping those waits could make it up to %.1fx faster.",
			v->speedup_bound);
}

int decide_model(const struct profile *p, const struct thresholds *t, struct verdict *v)
{
	struct tree tr;
	double drop = drop_factor(&p->overhead);
	size_t len;

	memset(v, 0, sizeof(*v));
	tree_collect(p, t, &tr);

	v->io_fraction = tr.io_fraction;
	v->wait_p50_ns = io_wait_p50(p);
	v->peak_open = p->conns.peak_open;
	snprintf(v->runtime, sizeof(v->runtime), "%s", p->runtime[0] ? p->runtime : "unknown");
	current_model(&tr, v);

	if (judge_inconclusive(&tr, t, drop, v)) {
		snprintf(v->confidence_basis, sizeof(v->confidence_basis),
			 "how sure the %s reason is: distance of %s %.3g from %.3g: %.2f; "
			 "dropped events: %.2f",
			 v->inconclusive_reason, v->path[0].metric, v->path[0].value,
			 v->path[0].threshold, drop ? v->confidence / drop : 0, drop);
	} else {
		decide_tree(p, t, &tr, drop, v);
	}

	/* the rationale's last sentence may end with a blank */
	len = strlen(v->rationale);
	while (len && v->rationale[len - 1] == ' ')
		v->rationale[--len] = '\0';
	return 0;
}
