// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The decision: a pure function from a profile and thresholds to a verdict.
 * The drivers it judges (io_fraction, wait_p50, peak_open, the busy threads,
 * current_model) are measured in drivers.c, whose top defines the words used
 * here; the sentences are written in rationale.c.
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
 *              at all: too-short when the tree did under 10 ms of cpu + io,
 *              else idle. A `make` whose compilers are busy is not idle:
 *              the compilers are threads of the tree.
 *   too-short  the whole tree did less than 10 ms of cpu + io.
 *   locks      lock_share >= 0.5: the work-weighted share of busy threads'
 *              time spent in lock waits, each thread weighing its lock /
 *              (work + lock) by its work. Idle pool threads parked on a
 *              futex do little work, so they barely count; threads
 *              serialised on a mutex each do a fair share and count fully.
 *              Not applied to CPython, where those waits are the GIL: CPU
 *              serialisation, judged CPU-bound and named in the advice.
 *
 * The tree: I/O-bound when io_fraction >= io_bound_min; then async when
 * wait_p50 >= slow_wait_ms or peak_open >= many_conns, else multithreading;
 * CPU-bound: multiprocessing.
 *
 * Connections not counted (connections.tcp_counted false, when no cgroup
 * could be made for the run): peak_open is a count that was never taken, so
 * the many-connections test is skipped rather than passed on a 0. Its path
 * node keeps its place with the value NaN (null in the report) and the branch
 * "not-counted", wait_p50 alone chooses between async and multithreading,
 * and the rationale and the confidence basis say so. The confidence then
 * has the wait's factor alone: an unknown count neither adds to nor takes
 * from it.
 *
 * Already fits: async with an event loop; multithreading with anything that
 * already overlaps its waits (threads, processes, an event loop);
 * multiprocessing when the busy threads keep >= 90% of the CPUs online busy.
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
 * Phases: when the timeline has phases (start-up, steady, tear-down:
 * phases.c), each phase is judged on its own io_fraction, CPUs used and busy
 * threads, from the timeline, and the verdict is the steady phase's (the
 * middle of three, the second of two unless it is a short tear-down), with
 * the current model of the threads that lived through it or spent at least
 * half their life in it. The drivers only the whole run measures (wait_p50, peak
 * open, locks, the critical path) are the run's in every phase, and the
 * inconclusive reasons are judged on the whole run first: an idle run is
 * idle in every phase. The bound is the whole program's.
 *
 * Speedup bound: the critical path. No rewrite finishes sooner than the
 * longest of the busy CPU time over the CPUs online, the CPU time the
 * runtime keeps serial under the advised model (CPython's GIL per process,
 * Node.js's loop thread; gone with multiprocessing), the longest single
 * external I/O wait, and the longest chain of reads of one pipe fed from
 * outside (its producer's pace). bound = own wall / that, at most 1000, where
 * the own wall leaves out the time the tree waited for CPUs other programs
 * held (over the threads busy at once). What the rewrite overlaps is not
 * assumed: the work that cannot overlap bounds it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "drivers.h"
#include "rationale.h"

#define NS_PER_MS 1e6

#define LOCK_BOUND_MIN 0.5 /* lock_share at or above: lock-bound */
/*
 * open_share (open external I/O wait over the busy threads' work) at or
 * above: idle. The waits still open at the end never
 * ended in I/O: a server with no client, a reader of input that never came.
 */
#define IDLE_OPEN_MIN 0.5
/*
 * less cpu + io in the whole tree: too-short. The start of the target (the
 * fork before its exec, on the target's account) alone takes 5 to 7 ms of
 * CPU here: /bin/true, stretched past min_duration_ms by a busy machine,
 * read as a CPU-bound program at 1 ms
 */
#define LITTLE_WORK_NS 10e6
#define RUN_FULL_NS 1e9 /* runs this long get full run-length confidence */
#define RUN_LOW_NS 1e7 /* where the run-length factor bottoms out at 0.5 */
#define FITS_CPU_SHARE 0.9 /* CPU-bound work using this share of CPUs fits */
#define SPEEDUP_MAX 1000.0
#define DECADES_MAX 3.0

const char *const model_names[NR_MODELS] = {
	[MODEL_INCONCLUSIVE] = "inconclusive",
	[MODEL_ASYNC] = "async",
	[MODEL_MULTITHREADING] = "multithreading",
	[MODEL_MULTIPROCESSING] = "multiprocessing",
};

/* verdict.inconclusive_reason of each idle kind */
static const char *const idle_names[NR_IDLE_KINDS] = {
	[IDLE_ASLEEP] = "asleep", [IDLE_CHILDREN] = "children", [IDLE_LOCKS] = "locks",
	[IDLE_OTHER] = "idle",	  [IDLE_NO_WAIT] = "idle",	[IDLE_TOO_SHORT] = "too-short",
};

int model_from_name(const char *name)
{
	for (int i = 0; i < NR_MODELS; i++)
		if (!strcmp(name, model_names[i]))
			return i;
	return -1;
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

static void set_inconclusive(struct verdict *v, struct judgement *j, enum judged_by by,
			     const char *reason, double confidence)
{
	j->by = by;
	v->model = MODEL_INCONCLUSIVE;
	snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "%s", reason);
	v->confidence = confidence * j->drop;
	v->speedup_bound = 1;
}

/* What an idle tree waited on most, and its share of the waits: see the top. */
static enum idle_kind idle_kind(const struct tree *tr, double *share)
{
	double others = tr->sleep + tr->lock + tr->rest;
	double all = others + tr->child;

	*share = 0;
	if (all <= 0)
		return tr->cpu_io < LITTLE_WORK_NS ? IDLE_TOO_SHORT : IDLE_NO_WAIT;
	if (tr->child > others) {
		*share = tr->child / all;
		return IDLE_CHILDREN;
	}
	if (tr->sleep >= tr->lock && tr->sleep >= tr->rest) {
		*share = tr->sleep / all;
		return IDLE_ASLEEP;
	}
	if (tr->lock >= tr->rest) {
		*share = tr->lock / all;
		return IDLE_LOCKS;
	}
	*share = tr->rest / all;
	return IDLE_OTHER;
}

/* Fills v as inconclusive and returns true when the run cannot be judged. */
static bool judge_inconclusive(const struct tree *tr, const struct thresholds *t,
			       struct judgement *j, struct verdict *v)
{
	double min_ns = t->min_duration_ms * NS_PER_MS;

	if (tr->wall < min_ns) {
		path_add(v, "duration_ms", tr->wall / NS_PER_MS, t->min_duration_ms, "too-short");
		set_inconclusive(v, j, JUDGED_TOO_SHORT, "too-short",
				 distance_factor((min_ns - tr->wall) / min_ns));
		return true;
	}

	/* no busy thread, and threads parked in waits for work that never came */
	if (!tr->nr_busy && tr->io_parked > 0) {
		path_add(v, "open_share", tr->open_share, IDLE_OPEN_MIN, "idle");
		set_inconclusive(v, j, JUDGED_OPEN, "idle",
				 distance_factor(share_distance(tr->open_share, IDLE_OPEN_MIN)));
		return true;
	}

	if (!tr->nr_busy || tr->idle_share >= t->asleep_min) {
		const char *name;
		double conf = 0.5;

		j->idle = idle_kind(tr, &j->idle_wait_share);
		name = idle_names[j->idle];
		if (tr->nr_busy) {
			path_add(v, "idle_share", tr->idle_share, t->asleep_min, name);
			conf = distance_factor(share_distance(tr->idle_share, t->asleep_min));
		} else {
			path_add(v, "busiest_thread_share", tr->busiest, t->busy_min, name);
			if (t->busy_min > 0)
				conf = distance_factor((t->busy_min - tr->busiest) / t->busy_min);
		}
		set_inconclusive(v, j, JUDGED_IDLE, name, conf);
		return true;
	}

	if (tr->open_share >= IDLE_OPEN_MIN) {
		path_add(v, "open_share", tr->open_share, IDLE_OPEN_MIN, "idle");
		set_inconclusive(v, j, JUDGED_OPEN, "idle",
				 distance_factor(share_distance(tr->open_share, IDLE_OPEN_MIN)));
		return true;
	}

	if (tr->cpu_io < LITTLE_WORK_NS) {
		path_add(v, "work_ms", tr->cpu_io / NS_PER_MS, LITTLE_WORK_NS / NS_PER_MS,
			 "too-short");
		set_inconclusive(v, j, JUDGED_LITTLE_WORK, "too-short",
				 distance_factor((LITTLE_WORK_NS - tr->cpu_io) / LITTLE_WORK_NS));
		return true;
	}

	if (!tr->cpython && tr->lock_share >= LOCK_BOUND_MIN) {
		path_add(v, "lock_share", tr->lock_share, LOCK_BOUND_MIN, "locks");
		set_inconclusive(v, j, JUDGED_LOCKS, "locks",
				 distance_factor(share_distance(tr->lock_share, LOCK_BOUND_MIN)));
		return true;
	}
	return false;
}

static bool already_fits(enum model m, const struct tree *tr)
{
	switch (m) {
	case MODEL_ASYNC:
		return tr->event_loop || tr->async_io;
	case MODEL_MULTITHREADING:
		/* anything that already overlaps its waits */
		return tr->multiprocess || tr->multithreaded || tr->event_loop || tr->async_io;
	case MODEL_MULTIPROCESSING:
		return tr->cpu_used >= FITS_CPU_SHARE * tr->cpus;
	default:
		return false;
	}
}

/*
 * The wall the run would have had without other programs' load: the time
 * its threads waited for CPUs others held, over the threads busy at once.
 * A gzip stretched to twice its CPU time by a busy machine is not a program
 * that 2 CPUs could make 4x faster.
 */
static double own_wall(const struct tree *tr)
{
	double busy = tr->wall > 0 ? (tr->b_cpu + tr->b_runq + tr->b_io) / tr->wall : 1;
	double w = tr->wall - tr->runq_external / (busy > 1 ? busy : 1);

	return w > 0 ? w : tr->wall;
}

/* The longest part of the critical path and own wall / it: see the top. */
static void critical_path(const struct tree *tr, enum model m, struct judgement *j)
{
	const struct {
		double ns;
		enum path_limit limit;
	} parts[] = {
		{ tr->cpus > 0 ? tr->b_cpu / tr->cpus : tr->b_cpu, LIMIT_CPU },
		{ m == MODEL_MULTIPROCESSING ? 0 : tr->serial_cpu, LIMIT_SERIAL },
		{ tr->longest_wait, LIMIT_WAIT },
		{ tr->stream_max, LIMIT_STREAM },
	};

	j->path_ns = 0;
	j->limit = LIMIT_CPU;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (parts[i].ns > j->path_ns) {
			j->path_ns = parts[i].ns;
			j->limit = parts[i].limit;
		}
	j->own_wall = own_wall(tr);
	j->path_bound = j->path_ns > 0 ? j->own_wall / j->path_ns : SPEEDUP_MAX;
	if (j->path_bound > SPEEDUP_MAX)
		j->path_bound = SPEEDUP_MAX;
}

/*
 * The bound is the critical path's: the share formulas (Amdahl with the I/O
 * serial, overlapping the waits behind a serial CPU share) assumed what the
 * rewrite keeps serial, and a rewrite that overlaps a crunch with its waits
 * beat them.
 */
static void speedup(const struct tree *tr, enum model m, struct judgement *j, struct verdict *v)
{
	critical_path(tr, m, j);
	v->speedup_bound = j->path_bound > 1 ? j->path_bound : 1;
	v->own_wall_ns = (__u64)j->own_wall;
}

/* The I/O-bound branch: async or multithreading, and the I/O drivers' factor. */
static void judge_io(const struct tree *tr, const struct thresholds *t, struct judgement *j,
		     struct verdict *v)
{
	double wait_ms = (double)tr->wait_p50_ns / NS_PER_MS, peak = (double)tr->peak_open;
	double f_slow = distance_factor(decade_distance(wait_ms, t->slow_wait_ms));
	double f_many = distance_factor(decade_distance(peak, t->many_conns));

	j->slow = wait_ms >= t->slow_wait_ms;
	path_add(v, "wait_p50_ms", wait_ms, t->slow_wait_ms, j->slow ? "slow" : "fast");
	if (!tr->conns_counted) {
		/* a count never taken is no driver: the wait decides alone */
		path_add(v, "peak_open_connections", NAN, t->many_conns, "not-counted");
		v->model = j->slow ? MODEL_ASYNC : MODEL_MULTITHREADING;
		j->f_sub = f_slow;
		return;
	}

	j->many = peak >= t->many_conns;
	path_add(v, "peak_open_connections", peak, t->many_conns, j->many ? "many" : "few");
	if (j->slow || j->many) {
		v->model = MODEL_ASYNC;
		/* either driver alone gives async: the surer one counts */
		j->f_sub = j->slow ? f_slow : 0;
		if (j->many && f_many > j->f_sub)
			j->f_sub = f_many;
	} else {
		v->model = MODEL_MULTITHREADING;
		/* both had to stay below: the closer one counts */
		j->f_sub = f_slow < f_many ? f_slow : f_many;
	}
}

/*
 * Judges tr (the whole run, or a phase of it); the bound and the cap of the
 * gain are the whole run's (whole): a rewrite speeds up the program, not a
 * phase of it.
 */
static void judge_tree(const struct tree *tr, const struct tree *whole, const struct thresholds *t,
		       struct judgement *j, struct verdict *v)
{
	j->by = JUDGED_TREE;
	j->io_bound = tr->io_fraction >= t->io_bound_min;
	j->f_io = distance_factor(share_distance(tr->io_fraction, t->io_bound_min));
	j->f_run = run_factor(tr->wall);
	j->f_lock = tr->cpython ? 1 : 1 - tr->lock_share;
	j->f_sub = 1;

	path_add(v, "io_fraction", tr->io_fraction, t->io_bound_min,
		 j->io_bound ? "io_bound" : "cpu_bound");
	if (j->io_bound)
		judge_io(tr, t, j, v);
	else
		v->model = MODEL_MULTIPROCESSING;

	v->confidence = j->f_io * j->f_sub * j->f_run * j->drop * j->f_lock;
	speedup(whole, v->model, j, v);
	v->already_fits = already_fits(v->model, tr);
}

/* The tree as its phase ph saw it: the drivers the timeline measures per phase. */
static void phase_apply(struct tree *tr, const struct phase *ph)
{
	tr->io_fraction = ph->io_fraction;
	tr->cpu_used = ph->cpu_used;
	tr->busy_threads = ph->busy_threads;
}

/* What the threads of phase ph did: its current model and what overlaps. */
static void phase_threads(const struct profile *p, const struct thresholds *t,
			  const struct runtime_pool *pool, const struct phase *ph, struct tree *tr)
{
	struct tree w;

	tree_collect_window(p, t, pool, ph->start_ns, ph->end_ns, &w);
	tr->current_model = w.current_model;
	tr->multiprocess = w.multiprocess;
	tr->multithreaded = w.multithreaded;
	tr->event_loop = w.event_loop;
}

/*
 * Judges the run as a whole, then, when its timeline has phases, each phase
 * on its own drivers, and gives the verdict of the steady one (judged gets
 * the tree it judged). The drivers only the whole run measures (wait_p50,
 * peak open, locks, the critical path) are the run's in every phase.
 */
static void judge_phases(const struct profile *p, const struct tree *tr,
			 const struct thresholds *t, struct judgement *j, struct verdict *v,
			 struct tree *judged)
{
	struct phases *ph = &v->phases;
	const struct judgement fresh = *j;

	*judged = *tr;
	judge_tree(tr, tr, t, j, v);
	v->whole_model = v->model;
	v->whole_io_fraction = tr->io_fraction;
	phases_find(p, ph);
	v->phase_model[0] = v->model;
	if (ph->nr < 2)
		return;

	for (size_t k = 0; k < ph->nr; k++) {
		struct judgement pj = fresh;
		struct verdict pv = { 0 };
		struct tree pt = *tr;

		phase_apply(&pt, &ph->phase[k]);
		judge_tree(&pt, tr, t, &pj, &pv);
		v->phase_model[k] = pv.model;
	}
	phase_apply(judged, &ph->phase[ph->steady]);
	phase_threads(p, t, &v->pool, &ph->phase[ph->steady], judged);
	*j = fresh;
	v->nr_path = 0;
	judge_tree(judged, tr, t, j, v);
}

int decide_model(const struct profile *p, const struct thresholds *t, struct verdict *v)
{
	struct judgement j = { 0 };
	struct tree tr, judged;

	memset(v, 0, sizeof(*v));
	pool_measure(p, &v->pool);
	tree_collect(p, t, &v->pool, &tr);
	j.drop = drop_factor(&p->overhead);
	j.dropped = p->overhead.dropped;
	j.events_seen = p->overhead.events + p->overhead.dropped;

	snprintf(v->runtime, sizeof(v->runtime), "%s", p->runtime[0] ? p->runtime : "unknown");

	judged = tr;
	if (!judge_inconclusive(&tr, t, &j, v))
		judge_phases(p, &tr, t, &j, v, &judged);
	else
		v->whole_model = v->model;
	snprintf(v->current_model, sizeof(v->current_model), "%s", judged.current_model);
	v->io_fraction = judged.io_fraction;
	v->wait_p50_ns = judged.wait_p50_ns;
	v->peak_open = judged.peak_open;
	v->busy_threads = judged.busy_threads;
	v->gil_wait_share = judged.cpython ? judged.gil_wait_share : NAN;
	if (!v->phases.nr)
		v->whole_io_fraction = tr.io_fraction;
	findings_compute(p, v);
	rationale_write(&judged, t, &j, v);
	return 0;
}
