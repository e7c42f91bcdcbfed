// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The runtime's pool against its size (advisor/pool.c), through the
 * decision: libuv's pool found by name and by its start batch, saturated at
 * and around POOL_SATURATED_MIN, when raising UV_THREADPOOL_SIZE pays;
 * GOMAXPROCS below, at and above the CPUs around GOMAXPROCS_SATURATED_MIN;
 * the environment unknown; and the words the advice and rationale use.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/decide.h"

#define MS(x) ((__u64)((x)*1000000.0))
#define WALL_MS 2000.0
#define MAX_THREADS_T 16
#define BUCKETS_T 20 /* the timeline's buckets of 100 ms: the run's 2 s */

struct fixture {
	struct profile p;
	struct process_profile proc;
	struct thread_profile threads[MAX_THREADS_T];
	struct timeline_bucket buckets[BUCKETS_T];
	struct thresholds t;
	struct verdict v;
};

/* One process of runtime rt, its main thread (tid == pid) idle in poll. */
static struct fixture *fx_new(const char *rt, int cpus, int uv_size, int gomaxprocs)
{
	struct fixture *f = calloc(1, sizeof(*f));

	cr_assert_not_null(f);
	f->p.duration_ns = MS(WALL_MS);
	f->p.cpus = cpus;
	snprintf(f->p.runtime, sizeof(f->p.runtime), "%s", rt);
	f->p.knobs.uv_threadpool_size = uv_size;
	f->p.knobs.gomaxprocs = gomaxprocs;
	f->p.overhead.events = 100000;
	f->p.conns.tcp_counted = true;
	f->p.nr_processes = 1;
	f->p.processes = &f->proc;
	f->proc.pid = 100;
	f->proc.threads = f->threads;
	f->proc.nr_threads = 1;
	f->threads[0].tid = 100;
	snprintf(f->threads[0].comm, sizeof(f->threads[0].comm), "%s", rt);
	f->threads[0].cpu_ns = MS(50);
	f->threads[0].blocked_ns[CAUSE_POLL] = MS(WALL_MS - 50);
	thresholds_default(&f->t);
	return f;
}

/* A thread started at start_ms, busy on CPU for cpu_ms, the rest parked on a futex. */
static struct thread_profile *fx_thread(struct fixture *f, const char *comm, double start_ms,
					double cpu_ms)
{
	struct thread_profile *th;

	cr_assert_lt(f->proc.nr_threads, MAX_THREADS_T);
	th = &f->threads[f->proc.nr_threads++];
	th->tid = 100 + f->proc.nr_threads;
	snprintf(th->comm, sizeof(th->comm), "%s", comm);
	th->start_ns = MS(start_ms);
	th->cpu_ns = MS(cpu_ms);
	th->blocked_ns[CAUSE_LOCK] = MS(WALL_MS - start_ms - cpu_ms);
	return th;
}

/* The run's timeline: each bucket of 100 ms with cpu_ms on CPU and runq_ms runnable. */
static void fx_timeline(struct fixture *f, double cpu_ms, double runq_ms)
{
	for (int b = 0; b < BUCKETS_T; b++)
		f->buckets[b] = (struct timeline_bucket){ .cpu_ns = MS(cpu_ms),
							  .runq_ns = MS(runq_ms) };
	f->p.bucket_ns = MS(100);
	f->p.nr_buckets = BUCKETS_T;
	f->p.buckets = f->buckets;
}

static const struct verdict *fx_decide(struct fixture *f)
{
	cr_assert_eq(decide_model(&f->p, &f->t, &f->v), 0);
	return &f->v;
}

/* libuv-worker threads over the whole run: busy_avg and saturation at and around 0.8 x size */
Test(pool, libuv_by_name_saturation)
{
	static const struct {
		double share; /* of each pool thread's life on CPU */
		bool saturated;
	} cases[] = { { 0.5, false }, { 0.79, false }, { 0.8, true }, { 0.81, true }, { 1, true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new("nodejs", 4, 2, -1);
		const struct verdict *v;

		fx_thread(f, "libuv-worker", 0, cases[i].share * WALL_MS);
		fx_thread(f, "libuv-worker", 0, cases[i].share * WALL_MS);
		/* an unnamed helper is no pool thread once libuv names them */
		fx_thread(f, "node", 0, WALL_MS);
		v = fx_decide(f);
		cr_expect_eq(v->pool.kind, POOL_LIBUV);
		cr_expect_eq(v->pool.found_by, POOL_BY_NAME);
		cr_expect_eq(v->pool.size, 2);
		cr_expect_eq(v->pool.knob_value, 2);
		cr_expect_float_eq(v->pool.busy_avg, 2 * cases[i].share, 1e-9, "%f",
				   v->pool.busy_avg);
		cr_expect_eq(v->pool.saturated, cases[i].saturated, "share %g",
			     cases[i].share);
		/* 2 threads, 4 CPUs: raising pays whenever it is saturated */
		cr_expect_eq(v->pool.raise, cases[i].saturated, "share %g", cases[i].share);
		if (cases[i].saturated) {
			cr_expect(strstr(v->advice, "raise UV_THREADPOOL_SIZE (now 2, e.g. to 4)"),
				  "%s", v->advice);
			cr_expect(strstr(v->rationale, "libuv thread pool was saturated"), "%s",
				  v->rationale);
		} else {
			cr_expect(!strstr(v->advice, "UV_THREADPOOL_SIZE"), "%s", v->advice);
			cr_expect(strstr(v->rationale, "not the limit"), "%s", v->rationale);
		}
		free(f);
	}
}

/*
 * Two libuv-worker threads from 1 s on: 200 ms on CPU, 200 ms runnable,
 * 450 ms on the disk, 150 ms waiting for work each (850 ms busy of 1 s).
 */
static void fx_io_workers(struct fixture *f)
{
	for (int i = 0; i < 2; i++) {
		struct thread_profile *th = fx_thread(f, "libuv-worker", 1000, 200);

		th->runq_wakeup_ns = MS(100);
		th->runq_preempt_ns = MS(100);
		th->blocked_ns[CAUSE_DISK] = MS(450);
		th->blocked_ns[CAUSE_LOCK] = MS(150);
	}
}

/* busy includes runq and I/O, not the futex wait for work; over the pool's life, not the run's */
Test(pool, libuv_busy_is_cpu_runq_io_over_its_life)
{
	struct fixture *f = fx_new("nodejs", 4, 2, -1);
	const struct verdict *v;

	fx_io_workers(f);
	v = fx_decide(f);
	cr_expect_float_eq(v->pool.busy_avg, 2 * 850.0 / 1000, 1e-9, "%f", v->pool.busy_avg);
	cr_expect_float_eq(v->pool.cpu_share, 400.0 / 850, 1e-9, "%f", v->pool.cpu_share);
	cr_expect(v->pool.saturated);
	/* I/O work overlaps more waits with more threads, whatever the CPUs */
	cr_expect(v->pool.raise);
	cr_expect(strstr(v->advice, "e.g. to 4"), "%s", v->advice);
	free(f);
}

/*
 * On a busy machine: the pool threads' waits for CPUs are other programs'
 * doing (the timeline's CPUs were never all the tree's), so they are not
 * busy time, nor the pool's life (a thread's share of them: 200 ms); the
 * same waits with the tree's own threads filling the CPUs are busy time.
 */
Test(pool, libuv_waits_for_other_programs_cpus_are_not_busy)
{
	for (int own = 0; own < 2; own++) {
		struct fixture *f = fx_new("nodejs", own ? 1 : 4, 2, -1);
		const struct verdict *v;

		fx_io_workers(f);
		/*
		 * 400 ms of runq over 20 buckets of 100 ms beside 20 ms of CPU
		 * each: on 4 CPUs none of it is the tree's own queueing; on one
		 * CPU (cpu 100 ms a bucket) all of it is
		 */
		fx_timeline(f, own ? 100 : 20, 20);
		v = fx_decide(f);
		if (own) {
			cr_expect_float_eq(v->pool.busy_avg, 2 * 850.0 / 1000, 1e-9, "%f",
					   v->pool.busy_avg);
		} else {
			cr_expect_float_eq(v->pool.busy_avg, 2 * 650.0 / 800, 1e-9, "%f",
					   v->pool.busy_avg);
			cr_expect_float_eq(v->pool.cpu_share, 200.0 / 650, 1e-9, "%f",
					   v->pool.cpu_share);
		}
		free(f);
	}
}

/*
 * Two pool threads that hold a call all along, starved of CPUs by other
 * programs: on CPU half their life, runnable behind the others' load the
 * other half. Saturated, as they are on an idle machine.
 */
Test(pool, libuv_starved_of_cpus_by_other_programs_is_still_saturated)
{
	struct fixture *f = fx_new("nodejs", 2, 2, -1);
	const struct verdict *v;

	for (int i = 0; i < 2; i++) {
		struct thread_profile *th = fx_thread(f, "libuv-worker", 0, WALL_MS / 2);

		th->runq_preempt_ns = MS(WALL_MS / 2);
		th->blocked_ns[CAUSE_LOCK] = 0;
	}
	/* the tree's 1 CPU of demand a bucket beside 1 CPU of runq: none of it its own */
	fx_timeline(f, 100, 100);
	v = fx_decide(f);
	cr_expect_float_eq(v->pool.busy_avg, 2.0, 1e-9, "%f", v->pool.busy_avg);
	cr_expect(v->pool.saturated);
	cr_expect(!v->pool.raise, "CPU work with a thread per CPU already");
	free(f);
}

/*
 * Three threads of a pool of 8 busy all along (3 calls in flight), one of
 * them 300 ms of its 2 s behind other programs' load: the pool's life loses
 * that wait shared among the 3 busy threads, not given whole to the one
 * that waited, so leaving the load out reads no more than the 3 threads'
 * own times: (3 x 2000 - 300) / (2000 - 300 / 3).
 */
Test(pool, libuv_one_thread_waiting_for_other_programs_does_not_stop_the_others)
{
	struct fixture *f = fx_new("nodejs", 2, 8, -1);
	const struct verdict *v;

	for (int i = 0; i < 8; i++) {
		struct thread_profile *th = fx_thread(f, "libuv-worker", 0, i < 3 ? WALL_MS : 0);

		if (i == 0) {
			th->cpu_ns = MS(WALL_MS - 300);
			th->runq_preempt_ns = MS(300);
		}
	}
	/* the tree's 1.5 CPUs of demand a bucket: none of its runq its own */
	fx_timeline(f, 135, 15);
	v = fx_decide(f);
	cr_expect_float_eq(v->pool.busy_avg, (3 * WALL_MS - 300) / (WALL_MS - 100), 1e-9, "%f",
			   v->pool.busy_avg);
	cr_expect_leq(v->pool.busy_avg, 3.0, "%f", v->pool.busy_avg);
	cr_expect(!v->pool.saturated);
	free(f);
}

/* CPU work with a thread per CPU already: saturated and said, but not worth raising */
Test(pool, libuv_cpu_work_on_every_cpu_is_not_raised)
{
	static const struct {
		int cpus;
		bool raise;
	} cases[] = { { 1, false }, { 2, false }, { 3, true }, { 8, true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new("nodejs", cases[i].cpus, 2, -1);
		const struct verdict *v;

		fx_thread(f, "libuv-worker", 0, WALL_MS);
		fx_thread(f, "libuv-worker", 0, WALL_MS);
		v = fx_decide(f);
		cr_expect(v->pool.saturated);
		cr_expect_eq(v->pool.raise, cases[i].raise, "%d CPUs", cases[i].cpus);
		/* named either way, with its current value */
		cr_expect(strstr(v->advice, "UV_THREADPOOL_SIZE (now 2"), "%s", v->advice);
		if (!cases[i].raise)
			cr_expect(strstr(v->advice, "would not speed it up"), "%s", v->advice);
		else
			cr_expect(strstr(v->advice, "e.g. to 3") || strstr(v->advice, "e.g. to 8"),
				  "%s", v->advice);
		free(f);
	}
}

/* Unnamed threads (libuv before 1.50): the batch of UV_THREADPOOL_SIZE started together */
Test(pool, libuv_by_start_batch)
{
	struct fixture *f = fx_new("nodejs", 4, 2, -1);
	const struct verdict *v;

	/* V8's platform workers at start-up, lightly busy */
	for (int i = 0; i < 4; i++)
		fx_thread(f, "node", 10 + 0.5 * i, 20);
	/* the pool: 2 threads 1 ms apart at the first request, 60 ms later */
	fx_thread(f, "node", 100, 1900 * 0.9);
	fx_thread(f, "node", 101, 1899 * 0.9);
	/* a thread started on its own later */
	fx_thread(f, "node", 300, 5);
	v = fx_decide(f);
	cr_expect_eq(v->pool.kind, POOL_LIBUV);
	cr_expect_eq(v->pool.found_by, POOL_BY_BATCH);
	cr_expect_eq(v->pool.size, 2);
	cr_expect_float_eq(v->pool.busy_avg, 0.9 * 3799 / 1900, 1e-9, "%f", v->pool.busy_avg);
	cr_expect(v->pool.saturated);

	/* unset: libuv's 4, and the only batch of 4 is V8's, idle: not saturated */
	f->p.knobs.uv_threadpool_size = -1;
	v = fx_decide(f);
	cr_expect_eq(v->pool.size, 4);
	cr_expect_eq(v->pool.knob_value, -1);
	cr_expect(!v->pool.saturated);

	/* a size no batch has: no pool said rather than a wrong one */
	f->p.knobs.uv_threadpool_size = 3;
	v = fx_decide(f);
	cr_expect_eq(v->pool.kind, POOL_NONE);
	free(f);
}

/* The environment unread or unset: libuv's default, said as such */
Test(pool, libuv_knob_unknown)
{
	struct fixture *f = fx_new("nodejs", 8, -1, -1);
	const struct verdict *v;

	for (int i = 0; i < 4; i++)
		fx_thread(f, "libuv-worker", 0, WALL_MS * 0.95);
	v = fx_decide(f);
	cr_expect_eq(v->pool.size, 4);
	cr_expect_eq(v->pool.knob_value, -1);
	cr_expect(v->pool.raise);
	cr_expect(strstr(v->advice, "raise UV_THREADPOOL_SIZE (now unset, so 4, e.g. to 8)"), "%s",
		  v->advice);
	free(f);
}

/* A Go process's threads on CPU or runnable against GOMAXPROCS, at and around 0.9 x size */
Test(pool, gomaxprocs_below_the_cpus)
{
	static const struct {
		double busy; /* threads busy at once */
		bool saturated;
	} cases[] = { { 0.5, false }, { 0.89, false }, { 0.9, true }, { 0.91, true }, { 1, true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new("go", 2, -1, 1);
		const struct verdict *v;

		f->threads[0].cpu_ns = MS(cases[i].busy * WALL_MS * 0.5);
		f->threads[0].runq_preempt_ns = MS(cases[i].busy * WALL_MS * 0.5);
		f->threads[0].blocked_ns[CAUSE_POLL] = 0;
		v = fx_decide(f);
		cr_expect_eq(v->pool.kind, POOL_GOMAXPROCS);
		cr_expect_eq(v->pool.found_by, POOL_BY_ENV);
		cr_expect_eq(v->pool.size, 1);
		cr_expect_float_eq(v->pool.busy_avg, cases[i].busy, 1e-9, "%f", v->pool.busy_avg);
		cr_expect_eq(v->pool.saturated, cases[i].saturated, "busy %g", cases[i].busy);
		cr_expect_eq(v->pool.raise, cases[i].saturated, "busy %g", cases[i].busy);
		if (cases[i].saturated)
			cr_expect(strstr(v->advice, "raise GOMAXPROCS (now 1) to 2, the CPUs online"),
				  "%s", v->advice);
		else
			cr_expect(!strstr(v->advice, "raise GOMAXPROCS"), "%s", v->advice);
		free(f);
	}
}

/* GOMAXPROCS at or above the CPUs, or unset (the CPUs): never "move to processes" */
Test(pool, gomaxprocs_at_the_cpus)
{
	static const int knobs[] = { -1, 2, 4 };

	for (size_t i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		struct fixture *f = fx_new("go", 2, -1, knobs[i]);
		const struct verdict *v;

		/* one goroutine's worth of work: CPU-bound, one CPU used */
		f->threads[0].cpu_ns = MS(WALL_MS);
		f->threads[0].blocked_ns[CAUSE_POLL] = 0;
		v = fx_decide(f);
		cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
		cr_expect_eq(v->pool.size, knobs[i] > 0 ? knobs[i] : 2);
		cr_expect_eq(v->pool.found_by, knobs[i] > 0 ? POOL_BY_ENV : POOL_BY_CPUS);
		cr_expect(!v->pool.saturated);
		cr_expect(!v->pool.raise);
		cr_expect(strstr(v->advice, "already runs them on every CPU"), "%s", v->advice);
		cr_expect(strstr(v->advice, "not processes"), "%s", v->advice);
		cr_expect(strstr(v->rationale, "already lets them spread over every CPU"), "%s",
			  v->rationale);

		/* every P held (the CPUs went to other programs): nothing to rewrite */
		f->threads[0].cpu_ns = MS(WALL_MS / 2);
		f->threads[0].runq_preempt_ns = MS(WALL_MS / 2);
		fx_thread(f, "gospin", 0, WALL_MS / 2)->runq_preempt_ns = MS(WALL_MS / 2);
		f->threads[1].blocked_ns[CAUSE_LOCK] = 0;
		v = fx_decide(f);
		if (knobs[i] <= 2) {
			cr_expect(v->pool.saturated);
			cr_expect(!v->pool.raise);
			cr_expect(strstr(v->advice, "nothing to rewrite") || v->already_fits, "%s",
				  v->advice);
		}
		cr_expect(!strstr(v->advice, "split the work over processes"), "%s", v->advice);
		free(f);
	}
}

/* No pool: other runtimes, and a Node.js program that never started libuv's */
Test(pool, none)
{
	struct fixture *f = fx_new("native", 2, 2, 1);
	const struct verdict *v;

	fx_thread(f, "libuv-worker", 0, WALL_MS);
	v = fx_decide(f);
	cr_expect_eq(v->pool.kind, POOL_NONE);
	free(f);

	f = fx_new("nodejs", 2, -1, -1);
	f->threads[0].cpu_ns = MS(WALL_MS);
	f->threads[0].blocked_ns[CAUSE_POLL] = 0;
	v = fx_decide(f);
	cr_expect_eq(v->pool.kind, POOL_NONE);
	cr_expect(!strstr(v->rationale, "libuv"), "%s", v->rationale);
	free(f);
}

/*
 * Twelve pool threads each 30% busy, parked on their futex for the rest: those
 * are waits for work, not contention, so the run is not lock-bound. The same
 * threads outside a pool (a native program's mutex) are.
 */
Test(pool, libuv_waits_for_work_are_no_lock_contention)
{
	static const struct {
		const char *rt, *comm;
		bool locks;
	} cases[] = { { "nodejs", "libuv-worker", false }, { "native", "worker", true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(cases[i].rt, 2, 12, -1);
		const struct verdict *v;

		for (int k = 0; k < 12; k++)
			fx_thread(f, cases[i].comm, 0, 0.3 * WALL_MS);
		v = fx_decide(f);
		cr_expect_eq(!strcmp(v->inconclusive_reason, "locks"), cases[i].locks,
			     "%s: model %s, reason %s", cases[i].rt, model_names[v->model],
			     v->inconclusive_reason);
		free(f);
	}
}

/*
 * An idle thread of node's started 9 ms before the pool (seen on a busy
 * machine) makes a run of 5: the busy window of 4 is the pool; a busy fifth
 * thread makes the window unsure, and no pool is said
 */
Test(pool, libuv_batch_beside_a_stray_thread)
{
	static const struct {
		double stray_cpu_ms;
		bool found;
	} cases[] = { { 4, true }, { 500, false } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new("nodejs", 2, -1, -1);
		const struct verdict *v;

		fx_thread(f, "node", 165, cases[i].stray_cpu_ms);
		for (int k = 0; k < 4; k++)
			fx_thread(f, "node", 174 + 0.3 * k, 1500);
		v = fx_decide(f);
		cr_expect_eq(v->pool.kind == POOL_LIBUV, cases[i].found, "stray %g ms: pool kind %d",
			     cases[i].stray_cpu_ms, v->pool.kind);
		if (cases[i].found)
			cr_expect_eq(v->pool.size, 4);
		free(f);
	}
}
