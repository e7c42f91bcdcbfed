// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The phases of a run, found on synthetic timelines: one steady run is one
 * phase; a start-up, a tear-down or both are cut where the I/O share
 * changes, at and around the minimum gap, length and work; and the verdict
 * judges the steady phase, saying how the run reads as a whole.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "advisor/decide.h"
#include "advisor/phases.h"

#define MS(x) ((__u64)((x)*1000000.0))
#define MAX_B 64

struct tl {
	struct profile p;
	struct timeline_bucket b[MAX_B];
};

static struct tl *tl_new(int cpus)
{
	struct tl *t = calloc(1, sizeof(*t));

	cr_assert_not_null(t);
	t->p.cpus = cpus;
	t->p.bucket_ns = MS(100);
	t->p.buckets = t->b;
	return t;
}

/* n buckets of one thread: cpu_ms on CPU, io_ms waiting on I/O, in 100 ms each */
static void tl_add(struct tl *t, size_t n, double cpu_ms, double io_ms)
{
	cr_assert_leq(t->p.nr_buckets + n, MAX_B);
	for (size_t i = 0; i < n; i++)
		t->b[t->p.nr_buckets++] =
			(struct timeline_bucket){ .cpu_ns = MS(cpu_ms), .io_ns = MS(io_ms) };
	t->p.duration_ns = t->p.nr_buckets * t->p.bucket_ns;
}

/* The timeline's run has one process, proc, and counted its events. */
static void tl_process(struct tl *t, struct process_profile *proc)
{
	t->p.processes = proc;
	t->p.nr_processes = 1;
	t->p.overhead.events = 1000;
}

static size_t find(struct tl *t, struct phases *ph)
{
	return phases_find(&t->p, ph);
}

Test(phases, steady_run_is_one_phase)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	/* a share that wanders between 0.3 and 0.7 bucket by bucket */
	for (int i = 0; i < 20; i++)
		tl_add(t, 1, i % 2 ? 30 : 70, i % 2 ? 70 : 30);
	cr_assert_eq(find(t, &ph), 1);
	cr_expect_eq(ph.steady, 0);
	cr_expect_eq(ph.phase[0].kind, PHASE_STEADY);
	cr_expect_eq(ph.phase[0].start_ns, 0);
	cr_expect_eq(ph.phase[0].end_ns, MS(2000));
	cr_expect_float_eq(ph.phase[0].io_fraction, 0.5, 1e-9);
	free(t);
}

Test(phases, start_up_then_steady)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	tl_add(t, 4, 100, 0); /* imports: 0.4 s on CPU */
	tl_add(t, 16, 10, 90); /* then waiting on the network */
	cr_assert_eq(find(t, &ph), 2);
	cr_expect_eq(ph.steady, 1);
	cr_expect_eq(ph.phase[0].kind, PHASE_STARTUP);
	cr_expect_eq(ph.phase[1].kind, PHASE_STEADY);
	cr_expect_eq(ph.phase[0].end_ns, MS(400));
	cr_expect_eq(ph.phase[1].start_ns, MS(400));
	cr_expect_eq(ph.phase[1].end_ns, MS(2000));
	cr_expect_float_eq(ph.phase[0].io_fraction, 0, 1e-9);
	cr_expect_float_eq(ph.phase[1].io_fraction, 0.9, 1e-9);
	cr_expect_float_eq(ph.phase[0].cpu_used, 1, 1e-9);
	cr_expect_float_eq(ph.phase[1].busy_threads, 1, 1e-9);
	free(t);
}

Test(phases, start_up_steady_tear_down)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	tl_add(t, 3, 100, 0);
	tl_add(t, 14, 5, 95);
	tl_add(t, 3, 100, 0);
	cr_assert_eq(find(t, &ph), 3);
	cr_expect_eq(ph.steady, 1);
	cr_expect_eq(ph.phase[0].kind, PHASE_STARTUP);
	cr_expect_eq(ph.phase[2].kind, PHASE_TEARDOWN);
	cr_expect_eq(ph.phase[1].start_ns, MS(300));
	cr_expect_eq(ph.phase[2].start_ns, MS(1700));
	free(t);
}

/*
 * Of two phases the second is the steady state, unless it lasts less than
 * half as long as the first: then it is the tear-down
 */
Test(phases, steady_of_two_goes_by_order)
{
	const struct {
		size_t first, second, steady;
	} cases[] = {
		{ 12, 8, 1 }, /* a start-up longer than the steady state: still the start-up */
		{ 10, 5, 1 }, /* half as long */
		{ 11, 5, 0 }, /* less than half: a tear-down */
		{ 16, 4, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl *t = tl_new(2);
		struct phases ph;

		tl_add(t, cases[i].first, 100, 0);
		tl_add(t, cases[i].second, 10, 90);
		cr_assert_eq(find(t, &ph), 2);
		cr_expect_eq(ph.steady, cases[i].steady, "%zu then %zu buckets: steady %zu",
			     cases[i].first, cases[i].second, ph.steady);
		cr_expect_eq(ph.phase[0].kind, cases[i].steady ? PHASE_STARTUP : PHASE_STEADY);
		cr_expect_eq(ph.phase[1].kind, cases[i].steady ? PHASE_STEADY : PHASE_TEARDOWN);
		free(t);
	}
}

/*
 * A start-up that other programs' load stretched to twice its length (half
 * of each bucket waiting for a CPU they held) is still the start-up beside
 * a steady state half its wall length
 */
Test(phases, start_up_stretched_by_load_stays_the_start_up)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	tl_add(t, 12, 50, 0);
	for (int i = 0; i < 12; i++)
		t->b[i].runq_ns = MS(50);
	tl_add(t, 5, 10, 90);
	cr_assert_eq(find(t, &ph), 2);
	cr_expect_eq(ph.steady, 1, "steady %zu", ph.steady);
	free(t);
}

/* neighbouring phases whose shares differ by less than the gap (0.3) are one */
Test(phases, gap_at_and_around_its_minimum)
{
	const struct {
		double steady_io;
		size_t want;
	} cases[] = { { 0.69, 1 }, { 0.71, 2 }, { 0.9, 2 } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl *t = tl_new(2);
		struct phases ph;

		tl_add(t, 5, 60, 40); /* share 0.4 */
		tl_add(t, 15, 100 * (1 - cases[i].steady_io), 100 * cases[i].steady_io);
		cr_expect_eq(find(t, &ph), cases[i].want, "steady share %.2f: %zu phases, want %zu",
			     cases[i].steady_io, ph.nr, cases[i].want);
		free(t);
	}
}

/*
 * A phase spans at least 2 buckets and a tenth of the run: a shorter
 * start-up is cut with the least of the steady state beside it, or not at all
 */
Test(phases, length_at_and_around_its_minimum)
{
	const struct {
		size_t startup, steady, want, steady_from;
	} cases[] = {
		{ 1, 19, 2, 2 }, /* one bucket: the phase takes one of the steady state */
		{ 2, 18, 2, 2 }, /* two buckets, a tenth of 20 */
		{ 2, 28, 2, 3 }, /* two buckets, less than a tenth of 30 */
		{ 3, 27, 2, 3 }, /* a tenth of 30 */
		{ 1, 39, 1, 0 }, /* a bucket in 40: its phase would be half steady state */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl *t = tl_new(2);
		struct phases ph;
		size_t n = cases[i].startup + cases[i].steady;

		tl_add(t, cases[i].startup, 100, 0);
		tl_add(t, cases[i].steady, 10, 90);
		cr_expect_eq(find(t, &ph), cases[i].want, "%zu + %zu buckets: %zu phases, want %zu",
			     cases[i].startup, cases[i].steady, ph.nr, cases[i].want);
		for (size_t k = 0; k < ph.nr; k++) {
			__u64 len = ph.phase[k].end_ns - ph.phase[k].start_ns;

			cr_expect_geq(len, MS(200));
			cr_expect_geq(len, n * MS(100) / 10);
		}
		if (ph.nr == 2)
			cr_expect_eq(ph.phase[1].start_ns, cases[i].steady_from * MS(100),
				     "%zu + %zu buckets: steady from %llu ms", cases[i].startup,
				     cases[i].steady,
				     (unsigned long long)ph.phase[1].start_ns / 1000000);
		free(t);
	}
}

/* a stretch with under 5% of the work is no phase, however different its share */
Test(phases, work_at_and_around_its_minimum)
{
	const struct {
		double cpu_ms; /* per bucket of the start-up */
		size_t want;
	} cases[] = {
		{ 16, 1 }, /* 64 ms of 1664: 3.8% */
		{ 22, 2 }, /* 88 ms of 1688: 5.2% */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tl *t = tl_new(2);
		struct phases ph;

		tl_add(t, 4, cases[i].cpu_ms, 0);
		tl_add(t, 16, 10, 90);
		cr_expect_eq(find(t, &ph), cases[i].want, "start-up of 4 x %.0f ms: %zu phases",
			     cases[i].cpu_ms, ph.nr);
		free(t);
	}
}

/* idle buckets weigh nothing: a quiet stretch makes no phase of its own */
Test(phases, idle_stretch_makes_no_phase)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	tl_add(t, 10, 50, 50);
	tl_add(t, 10, 0, 0);
	cr_assert_eq(find(t, &ph), 1);
	free(t);
}

/* the last bucket may be short: the phase ends with the run */
Test(phases, last_bucket_ends_with_the_run)
{
	struct tl *t = tl_new(1);
	struct phases ph;

	tl_add(t, 4, 100, 0);
	tl_add(t, 16, 10, 90);
	t->p.duration_ns -= MS(50);
	t->b[19] = (struct timeline_bucket){ .cpu_ns = MS(5), .io_ns = MS(45) };
	cr_assert_eq(find(t, &ph), 2);
	cr_expect_eq(ph.phase[1].end_ns, t->p.duration_ns);
	cr_expect_float_eq(ph.phase[1].busy_threads, 1, 1e-9);
	free(t);
}

/* runq behind other programs is left out of a phase's share, as of the run's */
Test(phases, runq_of_other_programs_is_left_out)
{
	struct tl *t = tl_new(2);
	struct phases ph;

	tl_add(t, 20, 40, 30);
	for (int i = 0; i < 20; i++)
		t->b[i].runq_ns = MS(30);
	cr_assert_eq(find(t, &ph), 1);
	cr_expect_float_eq(ph.phase[0].io_fraction, 30.0 / 70, 1e-9);
	free(t);
}

/*
 * Two threads crunch for 0.8 s, then one reads a slow source for 1.2 s: as a
 * whole the run is CPU-bound, its steady phase (the second) is I/O-bound on
 * slow waits, and the verdict judges the steady phase and says both.
 */
Test(phases, verdict_judges_the_steady_phase)
{
	struct tl *t = tl_new(2);
	struct thread_profile th[2] = {};
	struct process_profile proc = { .pid = 100, .nr_threads = 2, .threads = th };
	struct thresholds thr;
	struct verdict v;

	tl_add(t, 8, 200, 0);
	tl_add(t, 12, 5, 95);
	tl_process(t, &proc);
	t->p.conns.tcp_counted = true;
	th[0].tid = 100;
	th[0].cpu_ns = MS(800 + 60);
	th[0].blocked_ns[CAUSE_NET] = MS(1140);
	th[0].stream_ns = MS(1140); /* the reads of one source, at its pace */
	th[1].tid = 101;
	th[1].cpu_ns = MS(800);
	th[1].end_ns = MS(800);
	/* 24 reads of 50 ms: slow */
	t->p.waits[CAUSE_NET].ext.slots[25] = 24;
	t->p.waits[CAUSE_NET].all.slots[25] = 24;
	t->p.waits[CAUSE_NET].ext.count = t->p.waits[CAUSE_NET].all.count = 24;
	t->p.waits[CAUSE_NET].ext.total_ns = t->p.waits[CAUSE_NET].all.total_ns = MS(1140);
	t->p.waits[CAUSE_NET].ext.max_ns = MS(60);
	thresholds_default(&thr);

	cr_assert_eq(decide_model(&t->p, &thr, &v), 0);
	cr_assert_eq(v.phases.nr, 2);
	cr_expect_eq(v.phases.steady, 1);
	cr_expect_eq(v.whole_model, MODEL_MULTIPROCESSING, "whole run: %s",
		     model_names[v.whole_model]);
	cr_expect_lt(v.whole_io_fraction, thr.io_bound_min);
	cr_expect_eq(v.phase_model[0], MODEL_MULTIPROCESSING);
	cr_expect_eq(v.phase_model[1], MODEL_ASYNC);
	cr_expect_eq(v.model, MODEL_ASYNC, "verdict %s", model_names[v.model]);
	cr_expect_float_eq(v.io_fraction, v.phases.phase[1].io_fraction, 1e-9);
	/* the cruncher ended before the steady phase: one thread runs it */
	cr_expect_str_eq(v.current_model, "single-threaded");
	cr_expect_not_null(strstr(v.rationale, "judges the steady one"), "%s", v.rationale);
	cr_expect_not_null(strstr(v.rationale, "as a whole the run reads as multiprocessing"),
			   "%s", v.rationale);
	/* the gain is the whole program's: the 1.2 s of waits on a slow source stay */
	cr_expect_float_eq(v.speedup_bound, 2000.0 / 1140, 1e-6, "bound %.2f", v.speedup_bound);
	free(t);
}

/* a one-phase run is judged as before: no phases in the verdict, the run's drivers */
Test(phases, one_phase_verdict_is_the_whole_run)
{
	struct tl *t = tl_new(2);
	struct thread_profile th = { .tid = 100, .cpu_ns = MS(1900) };
	struct process_profile proc = { .pid = 100, .nr_threads = 1, .threads = &th };
	struct thresholds thr;
	struct verdict v;

	tl_add(t, 20, 95, 0);
	tl_process(t, &proc);
	thresholds_default(&thr);
	cr_assert_eq(decide_model(&t->p, &thr, &v), 0);
	cr_expect_eq(v.phases.nr, 1);
	cr_expect_eq(v.model, MODEL_MULTIPROCESSING);
	cr_expect_eq(v.whole_model, MODEL_MULTIPROCESSING);
	cr_expect_null(strstr(v.rationale, "phases"), "%s", v.rationale);
	free(t);
}

/*
 * Threads that live through every phase run the steady one too, however
 * short it is beside their life (an asyncio client's one thread: 0.9 s of a
 * 2 s run)
 */
Test(phases, threads_through_the_run_run_the_steady_phase)
{
	struct tl *t = tl_new(2);
	struct thread_profile th[2] = {};
	struct process_profile proc = { .pid = 100, .nr_threads = 2, .threads = th };
	struct thresholds thr;
	struct verdict v;

	tl_add(t, 6, 200, 0);
	tl_add(t, 8, 20, 180);
	tl_add(t, 6, 200, 0);
	tl_process(t, &proc);
	for (int i = 0; i < 2; i++) {
		th[i].tid = 100 + i;
		th[i].cpu_ns = MS(1280);
		th[i].blocked_ns[CAUSE_NET] = MS(720);
	}
	thresholds_default(&thr);
	cr_assert_eq(decide_model(&t->p, &thr, &v), 0);
	cr_assert_eq(v.phases.nr, 3);
	cr_expect_eq(v.phases.steady, 1);
	cr_expect_str_eq(v.current_model, "multithreaded");
	free(t);
}

/*
 * The threads end 5 ms before the run does (their wrapper winds down): less
 * than half of each one's life lies in the steady phase, but they span
 * nearly all of it, so they still run it.
 */
Test(phases, threads_ending_just_before_the_run_run_the_last_phase)
{
	struct tl *t = tl_new(2);
	struct thread_profile th[2] = {};
	struct process_profile proc = { .pid = 100, .nr_threads = 2, .threads = th };
	struct thresholds thr;
	struct verdict v;

	tl_add(t, 12, 200, 0);
	tl_add(t, 8, 20, 180);
	tl_process(t, &proc);
	for (int i = 0; i < 2; i++) {
		th[i].tid = 100 + i;
		th[i].cpu_ns = MS(1280);
		th[i].blocked_ns[CAUSE_NET] = MS(715);
		th[i].end_ns = MS(1995);
	}
	thresholds_default(&thr);
	cr_assert_eq(decide_model(&t->p, &thr, &v), 0);
	cr_assert_eq(v.phases.nr, 2);
	cr_expect_eq(v.phases.steady, 1);
	cr_expect_str_eq(v.current_model, "multithreaded");
	/* a thread that lived in the start-up alone does not run the steady phase */
	th[1].end_ns = MS(1000);
	th[1].cpu_ns = MS(1000);
	th[1].blocked_ns[CAUSE_NET] = 0;
	cr_assert_eq(decide_model(&t->p, &thr, &v), 0);
	cr_expect_str_eq(v.current_model, "single-threaded");
	free(t);
}
