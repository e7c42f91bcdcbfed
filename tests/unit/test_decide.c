// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The decision, driven from synthetic profiles: every branch of the tree at,
 * just below and just above its threshold, each inconclusive reason, how
 * confidence moves, the advice each runtime gets, connections that were not
 * counted, and how the sentences quote durations.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "advisor/decide.h"
#include "advisor/drivers.h"

#define MS(x) ((__u64)((x)*1000000.0))
#define MAX_PROCS_T 8
#define MAX_THREADS_T 16

/* A profile over fixed arrays: nothing in it is freed with profile_free(). */
struct fixture {
	struct profile p;
	struct process_profile procs[MAX_PROCS_T];
	struct thread_profile threads[MAX_PROCS_T][MAX_THREADS_T];
	struct thresholds t;
	struct verdict v;
};

static struct fixture *fx_new(double wall_ms, int cpus, const char *runtime)
{
	struct fixture *f = calloc(1, sizeof(*f));

	cr_assert_not_null(f);
	f->p.duration_ns = MS(wall_ms);
	f->p.cpus = cpus;
	snprintf(f->p.runtime, sizeof(f->p.runtime), "%s", runtime);
	f->p.processes = f->procs;
	f->p.overhead.events = 100000;
	/* connections counted, as on a machine with cgroup v2; tests of the other case clear it */
	f->p.conns.tcp_counted = true;
	thresholds_default(&f->t);
	return f;
}

/* A thread of process number proc (0, 1, ...), alive for the whole run. */
static struct thread_profile *fx_thread(struct fixture *f, unsigned int proc)
{
	struct process_profile *pp;
	struct thread_profile *th;

	cr_assert_lt(proc, MAX_PROCS_T);
	while (f->p.nr_processes <= proc) {
		pp = &f->procs[f->p.nr_processes];
		pp->pid = 100 + f->p.nr_processes;
		pp->threads = f->threads[f->p.nr_processes];
		f->p.nr_processes++;
	}
	pp = &f->procs[proc];
	cr_assert_lt(pp->nr_threads, MAX_THREADS_T);
	th = &pp->threads[pp->nr_threads++];
	th->tid = pp->pid + 1000 * pp->nr_threads;
	return th;
}

/* count external waits of cause c in log2 slot k (median 1.5 x 2^k ns) */
static void fx_waits(struct fixture *f, int c, unsigned int k, __u64 count)
{
	f->p.waits[c].all.slots[k] += count;
	f->p.waits[c].ext.slots[k] += count;
	f->p.waits[c].ext.count += count;
	f->p.waits[c].all.count += count;
}

static double slot_median_ms(unsigned int k)
{
	return 1.5 * (double)(1ULL << k) / 1e6;
}

static const struct verdict *fx_decide(struct fixture *f)
{
	cr_assert_eq(decide_model(&f->p, &f->t, &f->v), 0);
	return &f->v;
}

/* One busy thread: cpu_ns on CPU and net_ns waiting on the network. */
static struct fixture *fx_one_thread(__u64 cpu_ns, __u64 net_ns, unsigned int slot, __u64 peak)
{
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);

	th->cpu_ns = cpu_ns;
	th->blocked_ns[CAUSE_NET] = net_ns;
	fx_waits(f, CAUSE_NET, slot, 1000);
	f->p.conns.peak_open = peak;
	return f;
}

static int sentences(const char *s)
{
	int n = 0;

	for (; *s; s++)
		if (*s == '.' && (s[1] == ' ' || !s[1]))
			n++;
	return n;
}

/* --- thresholds and names ----------------------------------------------- */

Test(decide, threshold_defaults)
{
	static const struct {
		const char *name;
		double value;
	} want[NR_THRESHOLDS] = {
		{ "io_bound_min", 0.5 }, { "slow_wait_ms", 1 },	    { "many_conns", 64 },
		{ "busy_min", 0.01 },	 { "min_duration_ms", 20 }, { "asleep_min", 0.9 },
	};
	struct thresholds t;

	thresholds_default(&t);
	for (int i = 0; i < NR_THRESHOLDS; i++) {
		double *field = (double *)((char *)&t + threshold_defs[i].offset);

		cr_expect_str_eq(threshold_defs[i].name, want[i].name);
		cr_expect_eq(*field, want[i].value, "%s", want[i].name);
		cr_expect(threshold_defs[i].help && threshold_defs[i].help[0]);
	}
	cr_expect_eq(t.io_bound_min, 0.5);
	cr_expect_eq(t.slow_wait_ms, 1);
	cr_expect_eq(t.many_conns, 64);
	cr_expect_eq(t.busy_min, 0.01);
	cr_expect_eq(t.min_duration_ms, 20);
	cr_expect_eq(t.asleep_min, 0.9);
}

Test(decide, thresholds_set_good)
{
	static const struct {
		const char *in;
		size_t offset;
		double value;
	} cases[] = {
		{ "io_bound_min=0.6", offsetof(struct thresholds, io_bound_min), 0.6 },
		{ "io_bound_min=.25", offsetof(struct thresholds, io_bound_min), 0.25 },
		{ "io_bound_min=1", offsetof(struct thresholds, io_bound_min), 1 },
		{ "io_bound_min=0", offsetof(struct thresholds, io_bound_min), 0 },
		{ "slow_wait_ms=2.5", offsetof(struct thresholds, slow_wait_ms), 2.5 },
		{ "slow_wait_ms=1e-3", offsetof(struct thresholds, slow_wait_ms), 1e-3 },
		{ "many_conns=1000", offsetof(struct thresholds, many_conns), 1000 },
		{ "busy_min=0.05", offsetof(struct thresholds, busy_min), 0.05 },
		{ "min_duration_ms=0", offsetof(struct thresholds, min_duration_ms), 0 },
		{ "asleep_min=0.75", offsetof(struct thresholds, asleep_min), 0.75 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct thresholds t;

		thresholds_default(&t);
		cr_expect_eq(thresholds_set(&t, cases[i].in), 0, "%s", cases[i].in);
		cr_expect_eq(*(double *)((char *)&t + cases[i].offset), cases[i].value, "%s",
			     cases[i].in);
	}
}

Test(decide, thresholds_set_bad)
{
	static const char *const bad[] = {
		"",
		"=1",
		"io_bound_min",
		"io_bound_min=",
		"nope=1",
		"IO_BOUND_MIN=0.5",
		"io_bound_mi=0.5",
		"io_bound_min_=0.5",
		"io_bound_min=-0.1",
		"slow_wait_ms=-1",
		"io_bound_min=abc",
		"io_bound_min=0.5x",
		"io_bound_min=0.5 ",
		"io_bound_min= 0.5",
		"io_bound_min=+0.5",
		"io_bound_min=nan",
		"io_bound_min=NaN",
		"slow_wait_ms=inf",
		"slow_wait_ms=infinity",
		"slow_wait_ms=1e999",
		"io_bound_min=0x1p-1",
		"io_bound_min=1.5",
		"busy_min=2",
		"asleep_min=90",
		"io_bound_min=0.5=1",
		"io_bound_min=.",
		"io_bound_min=1e",
		"io_bound_min=1.2.3",
	};
	struct thresholds t, before;

	thresholds_default(&t);
	before = t;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(thresholds_set(&t, bad[i]), -EINVAL, "'%s' was accepted", bad[i]);
		cr_expect(!memcmp(&t, &before, sizeof(t)), "'%s' changed thresholds", bad[i]);
	}
}

Test(decide, model_names)
{
	cr_expect_str_eq(model_names[MODEL_INCONCLUSIVE], "inconclusive");
	cr_expect_str_eq(model_names[MODEL_ASYNC], "async");
	cr_expect_str_eq(model_names[MODEL_MULTITHREADING], "multithreading");
	cr_expect_str_eq(model_names[MODEL_MULTIPROCESSING], "multiprocessing");
	for (int i = 0; i < NR_MODELS; i++)
		cr_expect_eq(model_from_name(model_names[i]), i);
	cr_expect_eq(model_from_name("Async"), -1);
	cr_expect_eq(model_from_name("multiprocess"), -1);
	cr_expect_eq(model_from_name(""), -1);
}

/* --- the tree at, below and above each threshold ---------------------- */

enum wait_at { WAIT_DEFAULT, WAIT_AT, WAIT_BELOW, WAIT_ABOVE };

struct tree_case {
	const char *name;
	__u64 cpu_ns, net_ns;
	unsigned int slot; /* of the net waits: 19 is 0.79 ms, 20 is 1.57 ms */
	enum wait_at wait; /* where wait_p50 sits against slow_wait_ms */
	__u64 peak;
	enum model model;
	const char *branches[3];
};

/* clang-format off */
static const struct tree_case tree_cases[] = {
	/* io_fraction against io_bound_min = 0.5 */
	{ "io at threshold", MS(500), MS(500), 19, WAIT_DEFAULT, 0,
	  MODEL_MULTITHREADING, { "io_bound", "fast", "few" } },
	{ "io just below", MS(500) + 1, MS(500), 19, WAIT_DEFAULT, 0,
	  MODEL_MULTIPROCESSING, { "cpu_bound" } },
	{ "io just above", MS(500), MS(500) + 1, 19, WAIT_DEFAULT, 0,
	  MODEL_MULTITHREADING, { "io_bound", "fast", "few" } },
	{ "cpu-bound ignores slow waits and many connections", MS(900), MS(100), 25, WAIT_DEFAULT,
	  1000, MODEL_MULTIPROCESSING, { "cpu_bound" } },
	/* wait_p50 against slow_wait_ms */
	{ "slow by default", MS(100), MS(900), 20, WAIT_DEFAULT, 0,
	  MODEL_ASYNC, { "io_bound", "slow", "few" } },
	{ "fast by default", MS(100), MS(900), 19, WAIT_DEFAULT, 0,
	  MODEL_MULTITHREADING, { "io_bound", "fast", "few" } },
	{ "wait at threshold", MS(100), MS(900), 22, WAIT_AT, 0,
	  MODEL_ASYNC, { "io_bound", "slow", "few" } },
	{ "wait just below", MS(100), MS(900), 22, WAIT_BELOW, 0,
	  MODEL_MULTITHREADING, { "io_bound", "fast", "few" } },
	{ "wait just above", MS(100), MS(900), 22, WAIT_ABOVE, 0,
	  MODEL_ASYNC, { "io_bound", "slow", "few" } },
	/* peak open connections against many_conns = 64 */
	{ "conns just below", MS(100), MS(900), 15, WAIT_DEFAULT, 63,
	  MODEL_MULTITHREADING, { "io_bound", "fast", "few" } },
	{ "conns at threshold", MS(100), MS(900), 15, WAIT_DEFAULT, 64,
	  MODEL_ASYNC, { "io_bound", "fast", "many" } },
	{ "conns just above", MS(100), MS(900), 15, WAIT_DEFAULT, 65,
	  MODEL_ASYNC, { "io_bound", "fast", "many" } },
	{ "slow and many", MS(100), MS(900), 24, WAIT_DEFAULT, 500,
	  MODEL_ASYNC, { "io_bound", "slow", "many" } },
};
/* clang-format on */

Test(decide, tree_thresholds)
{
	for (size_t i = 0; i < sizeof(tree_cases) / sizeof(tree_cases[0]); i++) {
		const struct tree_case *c = &tree_cases[i];
		struct fixture *f = fx_one_thread(c->cpu_ns, c->net_ns, c->slot, c->peak);
		const struct verdict *v;
		__u64 m = (__u64)(slot_median_ms(c->slot) * 1e6);
		size_t n = 0;

		/* the threshold moves around the measured median, exactly */
		if (c->wait == WAIT_AT)
			f->t.slow_wait_ms = (double)m / 1e6;
		else if (c->wait == WAIT_BELOW)
			f->t.slow_wait_ms = (double)(m + 1) / 1e6;
		else if (c->wait == WAIT_ABOVE)
			f->t.slow_wait_ms = (double)(m - 1) / 1e6;
		v = fx_decide(f);

		cr_expect_eq(v->model, c->model, "%s: got %s", c->name, model_names[v->model]);
		cr_expect_eq(v->inconclusive_reason[0], '\0', "%s", c->name);
		cr_expect_eq(v->wait_p50_ns, m, "%s: wait_p50 %llu", c->name,
			     (unsigned long long)v->wait_p50_ns);
		cr_expect_eq(v->peak_open, c->peak, "%s", c->name);
		while (n < 3 && c->branches[n])
			n++;
		cr_expect_eq(v->nr_path, n, "%s: %zu nodes", c->name, v->nr_path);
		for (size_t j = 0; j < n && j < v->nr_path; j++)
			cr_expect_str_eq(v->path[j].branch, c->branches[j], "%s: node %zu", c->name,
					 j);
		cr_expect_str_eq(v->path[0].metric, "io_fraction", "%s", c->name);
		cr_expect_float_eq(v->path[0].value, v->io_fraction, 1e-12, "%s", c->name);
		cr_expect_eq(v->path[0].threshold, 0.5, "%s", c->name);
		if (n == 3) {
			cr_expect_str_eq(v->path[1].metric, "wait_p50_ms", "%s", c->name);
			cr_expect_eq(v->path[1].threshold, f->t.slow_wait_ms, "%s", c->name);
			cr_expect_str_eq(v->path[2].metric, "peak_open_connections", "%s", c->name);
			cr_expect_eq(v->path[2].value, (double)c->peak, "%s", c->name);
		}
		cr_expect(v->confidence > 0 && v->confidence <= 1, "%s: %f", c->name,
			  v->confidence);
		cr_expect(v->confidence_basis[0], "%s", c->name);
		cr_expect(v->speedup_bound >= 1, "%s", c->name);
		cr_expect(v->speedup_basis[0], "%s", c->name);
		cr_expect(v->rationale[0], "%s", c->name);
		cr_expect(sentences(v->rationale) >= 2 && sentences(v->rationale) <= 3,
			  "%s: %d sentences: %s", c->name, sentences(v->rationale), v->rationale);
		cr_expect(strstr(v->rationale, "io_fraction"), "%s", c->name);
		cr_expect(v->advice[0], "%s", c->name);
		free(f);
	}
}

Test(decide, io_fraction_is_external_only)
{
	/* gen | hasher: the hasher's pipe waits are ended by gen, a thread of the tree */
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *gen = fx_thread(f, 0), *hasher = fx_thread(f, 1);
	const struct verdict *v;

	gen->cpu_ns = MS(600);
	gen->blocked_ns[CAUSE_IPC] = gen->internal_ns[CAUSE_IPC] = MS(1400);
	hasher->cpu_ns = MS(1900);
	hasher->blocked_ns[CAUSE_IPC] = hasher->internal_ns[CAUSE_IPC] = MS(100);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_float_eq(v->io_fraction, 0, 1e-12);
	cr_expect_str_eq(v->current_model, "multiprocess");
	free(f);
}

/* --- inconclusive ------------------------------------------------------ */

Test(decide, inconclusive_too_short)
{
	struct fixture *f = fx_new(10, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(10);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "too-short");
	cr_expect_str_eq(v->path[0].metric, "duration_ms");
	cr_expect_str_eq(v->path[0].branch, "too-short");
	cr_expect(strstr(v->rationale, "min_duration_ms 20"), "%s", v->rationale);

	/* at the threshold the run is long enough */
	f->p.duration_ns = MS(20);
	th->cpu_ns = MS(20);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	free(f);
}

Test(decide, inconclusive_too_little_work)
{
	/* busy on its own terms, but under 10 ms of cpu + io in all (/bin/true: 6 ms) */
	struct fixture *f = fx_new(25, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(6);
	th->runq_preempt_ns = MS(15);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "too-short");
	cr_expect_str_eq(v->path[0].metric, "work_ms");
	free(f);
}

Test(decide, inconclusive_empty)
{
	struct fixture *f = fx_new(100, 2, "");
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "too-short");
	cr_expect_str_eq(v->runtime, "unknown");
	free(f);
}

Test(decide, inconclusive_asleep)
{
	/* sleep 1 */
	struct fixture *f = fx_new(1000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(0.6);
	th->blocked_ns[CAUSE_DISK] = MS(0.3);
	th->blocked_ns[CAUSE_SLEEP] = MS(999);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "asleep");
	cr_expect(v->confidence > 0.5, "%f", v->confidence);
	cr_expect(strstr(v->advice, "sleep"), "%s", v->advice);
	free(f);
}

Test(decide, inconclusive_asleep_through_a_shell)
{
	/* sh -c 'sleep 1': the shell's wait mirrors its child's sleep */
	struct fixture *f = fx_new(1000, 2, "native");
	struct thread_profile *sh = fx_thread(f, 0), *sl = fx_thread(f, 1);
	const struct verdict *v;

	sh->cpu_ns = MS(1);
	sh->blocked_ns[CAUSE_CHILD] = MS(998);
	sl->cpu_ns = MS(0.5);
	sl->blocked_ns[CAUSE_SLEEP] = MS(998);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "asleep");
	free(f);
}

Test(decide, inconclusive_mostly_asleep_with_some_work)
{
	/* 5% of the wall on CPU, the rest asleep, with many idle sleeper threads */
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v;
	struct thread_profile *th = fx_thread(f, 0);

	th->cpu_ns = MS(100);
	th->blocked_ns[CAUSE_SLEEP] = MS(1900);
	for (int i = 0; i < 8; i++)
		fx_thread(f, 0)->blocked_ns[CAUSE_SLEEP] = MS(2000);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "asleep");
	cr_expect_str_eq(v->path[0].metric, "idle_share");

	/* the same sleepers beside a thread busy the whole time: judged */
	th->cpu_ns = MS(2000);
	th->blocked_ns[CAUSE_SLEEP] = 0;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	free(f);
}

Test(decide, inconclusive_children)
{
	/* waiting on children that the trace does not account for */
	struct fixture *f = fx_new(1000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(1);
	th->blocked_ns[CAUSE_CHILD] = MS(999);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "children");
	free(f);
}

Test(decide, make_with_busy_children_is_judged)
{
	/* make waits on two compilers that are themselves CPU-bound */
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *make = fx_thread(f, 0), *cc1, *cc2;
	const struct verdict *v;

	make->cpu_ns = MS(5);
	make->blocked_ns[CAUSE_CHILD] = MS(1995);
	cc1 = fx_thread(f, 1);
	cc1->start_ns = MS(10);
	cc1->end_ns = MS(1990);
	cc1->cpu_ns = MS(1900);
	cc1->blocked_ns[CAUSE_DISK] = MS(50);
	cc2 = fx_thread(f, 2);
	cc2->start_ns = MS(20);
	cc2->end_ns = MS(1995);
	cc2->cpu_ns = MS(1950);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING, "got %s (%s)", model_names[v->model],
		     v->inconclusive_reason);
	cr_expect_str_eq(v->current_model, "multiprocess");
	cr_expect(v->already_fits, "%s", v->advice);
	free(f);
}

/*
 * An idle server (redis with no client: its loop wakes on timers, three
 * helper threads parked on condition variables for the whole run) is idle,
 * not lock-bound: parked threads wait for work. A thread that does work
 * between its lock waits still counts them as locks.
 */
Test(decide, parked_helpers_make_an_idle_tree_idle_not_locks)
{
	struct fixture *f = fx_new(3000, 2, "native");
	struct thread_profile *loop = fx_thread(f, 0);
	const struct verdict *v;

	loop->cpu_ns = MS(30);
	loop->blocked_ns[CAUSE_SLEEP] = MS(2970);
	for (int i = 0; i < 3; i++)
		fx_thread(f, 0)->blocked_ns[CAUSE_LOCK] = MS(3000);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "idle");
	free(f);
}

Test(decide, inconclusive_locks)
{
	/* four threads serialised on one mutex */
	struct fixture *f = fx_new(1000, 4, "native");
	const struct verdict *v;

	for (int i = 0; i < 4; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(250);
		th->blocked_ns[CAUSE_LOCK] = th->internal_ns[CAUSE_LOCK] = MS(750);
	}
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "locks");
	cr_expect_str_eq(v->path[0].metric, "lock_share");
	cr_expect_float_eq(v->path[0].value, 0.75, 1e-9);
	cr_expect(strstr(v->rationale, "lock"), "%s", v->rationale);
	cr_expect(strstr(v->advice, "lock"), "%s", v->advice);
	free(f);
}

Test(decide, lock_share_near_bound_is_never_confident)
{
	struct fixture *f = fx_new(2000, 4, "native");
	const struct verdict *v;

	for (int i = 0; i < 2; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(1020);
		th->blocked_ns[CAUSE_LOCK] = MS(980);
	}
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect(v->confidence <= 0.52, "%f", v->confidence);
	cr_expect(strstr(v->rationale, "locks"), "%s", v->rationale);
	free(f);
}

Test(decide, idle_helper_threads_are_not_lock_bound)
{
	/* a JVM-like program: one busy main thread, helpers parked on futexes */
	struct fixture *f = fx_new(2000, 2, "jvm");
	struct thread_profile *main_th = fx_thread(f, 0);
	const struct verdict *v;

	main_th->cpu_ns = MS(1990);
	for (int i = 0; i < 6; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(30);
		th->blocked_ns[CAUSE_LOCK] = MS(1970);
	}
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING, "got %s (%s)", model_names[v->model],
		     v->inconclusive_reason);
	cr_expect_str_eq(v->current_model, "single-threaded");
	cr_expect(v->confidence > 0.7, "%f", v->confidence);
	free(f);
}

Test(decide, inconclusive_idle)
{
	/* blocked the whole run on a pipe from its own sibling, nobody busy */
	struct fixture *f = fx_new(1000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(2);
	th->blocked_ns[CAUSE_IPC] = th->internal_ns[CAUSE_IPC] = MS(998);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_str_eq(v->inconclusive_reason, "idle");
	free(f);
}

/* an I/O-bound thread whose external net wait has `open_ms` still open at the end */
static const struct verdict *open_case(struct fixture *f, double open_ms)
{
	struct thread_profile *th = fx_thread(f, 0);

	th->cpu_ns = MS(200);
	th->blocked_ns[CAUSE_NET] = MS(1800);
	fx_waits(f, CAUSE_NET, 15, 1000);
	f->p.waits[CAUSE_NET].ext.total_ns = MS(1800);
	f->p.waits[CAUSE_NET].open.total_ns = MS(open_ms);
	f->p.waits[CAUSE_NET].open.count = open_ms > 0;
	return fx_decide(f);
}

Test(decide, inconclusive_open_waits_at_and_around_the_threshold)
{
	static const struct {
		double open_ms;
		bool idle;
	} cases[] = {
		/* open_share = open / (200 ms cpu + 1800 ms io) against IDLE_OPEN_MIN 0.5 */
		{ 0, false }, { 999, false }, { 1000, true }, { 1001, true }, { 1800, true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(2000, 2, "native");
		const struct verdict *v = open_case(f, cases[i].open_ms);

		cr_expect_eq(v->model == MODEL_INCONCLUSIVE, cases[i].idle,
			     "open %g ms of 2000: model %s", cases[i].open_ms,
			     model_names[v->model]);
		if (cases[i].idle) {
			cr_expect_str_eq(v->inconclusive_reason, "idle");
			cr_expect_str_eq(v->path[v->nr_path - 1].metric, "open_share");
			cr_expect(strstr(v->rationale, "still open"), "%s", v->rationale);
			cr_expect_float_eq(v->speedup_bound, 1, 1e-9);
		}
		free(f);
	}
}

/*
 * A CPU-bound server busy for 1.5 s, then idle in poll for its last 0.5 s:
 * all its I/O wait is open, but a quarter of its work: judged, not idle
 */
Test(decide, busy_then_idle_server_is_judged)
{
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(1500);
	th->blocked_ns[CAUSE_POLL] = MS(500);
	f->p.waits[CAUSE_POLL].ext.total_ns = f->p.waits[CAUSE_POLL].all.total_ns = MS(500);
	f->p.waits[CAUSE_POLL].open.total_ns = MS(500);
	f->p.waits[CAUSE_POLL].open.count = 1;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING, "model %s (%s)", model_names[v->model],
		     v->rationale);
	free(f);
}

/*
 * A worker waiting 1.8 s in 1000 waits of ~49 ms (slot 25: slow) and `n`
 * helpers each in poll for the whole 2 s run but 10 ms on CPU, `open_ms` of
 * it in one wait still open at the end: postgres's checkpointer and
 * launchers on timeouts longer than the run. A thread is busy at 1% (20 ms).
 */
static const struct verdict *parked_case(struct fixture *f, int n, double open_ms)
{
	struct thread_profile *th = fx_thread(f, 0);

	th->cpu_ns = MS(200);
	th->blocked_ns[CAUSE_NET] = MS(1800);
	fx_waits(f, CAUSE_NET, 25, 1000);
	for (int i = 0; i < n; i++) {
		th = fx_thread(f, 1);
		th->cpu_ns = MS(10);
		th->blocked_ns[CAUSE_POLL] = MS(1990);
		th->open_io_ns = MS(open_ms);
		/* the open wait, the longest of all (slot 30: 1.07-2.15 s) */
		fx_waits(f, CAUSE_POLL, 30, 1);
		f->p.waits[CAUSE_POLL].open.total_ns += MS(open_ms);
		f->p.waits[CAUSE_POLL].open.count++;
	}
	return fx_decide(f);
}

/* parked helpers are not busy: they weigh in neither the open share nor wait_p50 */
Test(decide, parked_helpers_are_not_busy_threads)
{
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v = parked_case(f, 3, 1990);

	cr_expect_eq(v->model, MODEL_ASYNC, "model %s (%s)", model_names[v->model], v->rationale);
	cr_expect_float_eq(v->busy_threads, 1.0, 1e-9, "busy threads %f", v->busy_threads);
	cr_expect_lt(v->wait_p50_ns, MS(100), "wait_p50 %llu ns: the parked waits are out",
		     (unsigned long long)v->wait_p50_ns);
	/*
	 * nor in the critical path: its longest single wait is the worker's,
	 * known to its slot's lower end (33.6 ms), not a helper's 1.99 s
	 */
	cr_expect(!strstr(v->speedup_basis, "1.99 s"), "%s", v->speedup_basis);
	cr_expect_gt(v->speedup_bound, 2, "bound %f (%s)", v->speedup_bound, v->speedup_basis);
	free(f);
}

/*
 * Around PARKED_MIN (0.9 of the helper's cpu + io, 2 s): a helper whose open
 * wait is less than that did other work, and its open wait counts (busy
 * threads 2); parked, the rest of its work counts alone, while 20 ms or more.
 */
Test(decide, parked_at_and_around_the_threshold)
{
	static const struct {
		double open_ms;
		bool parked;
	} cases[] = {
		{ 1799, false }, { 1800, true }, { 1801, true }, { 1980, true }, { 1990, true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(2000, 2, "native");
		const struct verdict *v = parked_case(f, 1, cases[i].open_ms);

		double rest = 2000 - cases[i].open_ms;
		double busy = !cases[i].parked ? 2 : rest >= 20 ? 1 + rest / 2000 : 1;

		cr_expect_float_eq(v->busy_threads, busy, 1e-9, "open %g ms: busy threads %f",
				   cases[i].open_ms, v->busy_threads);
		free(f);
	}
}

/* only parked threads: idle, waiting for work, as a tree whose open waits dominate */
Test(decide, only_parked_threads_are_idle)
{
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(5);
	th->blocked_ns[CAUSE_POLL] = MS(1995);
	th->open_io_ns = MS(1995);
	fx_waits(f, CAUSE_POLL, 30, 1);
	f->p.waits[CAUSE_POLL].open.total_ns = MS(1995);
	f->p.waits[CAUSE_POLL].open.count = 1;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE, "model %s", model_names[v->model]);
	cr_expect_str_eq(v->inconclusive_reason, "idle");
	cr_expect_str_eq(v->path[v->nr_path - 1].metric, "open_share");
	cr_expect(strstr(v->rationale, "parked") && strstr(v->rationale, "still open"), "%s",
		  v->rationale);
	cr_expect(sentences(v->rationale) >= 2 && sentences(v->rationale) <= 3, "%s", v->rationale);
	free(f);
}

/* the confidence of the idle reason rises with the distance from the threshold */
Test(decide, open_waits_confidence_rises_with_the_share)
{
	struct fixture *f = fx_new(2000, 2, "native");
	double at = open_case(f, 1000)->confidence, more;

	free(f);
	f = fx_new(2000, 2, "native");
	more = open_case(f, 1700)->confidence;
	cr_expect_float_eq(at, 0.5, 1e-6, "%f", at);
	cr_expect_gt(more, at);
	free(f);
}

Test(decide, inconclusive_has_rationale_and_advice)
{
	struct fixture *f = fx_new(1000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->blocked_ns[CAUSE_SLEEP] = MS(1000);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE);
	cr_expect(v->rationale[0] && v->advice[0] && v->confidence_basis[0]);
	cr_expect(sentences(v->rationale) >= 2 && sentences(v->rationale) <= 3, "%s", v->rationale);
	cr_expect(v->confidence >= 0 && v->confidence <= 1);
	cr_expect_eq(v->speedup_bound, 1);
	cr_expect_eq(v->nr_path, 1);
	free(f);
}

/* --- confidence ------------------------------------------------------- */

static double confidence_at(double io_fraction, unsigned int slot, __u64 peak)
{
	__u64 io = (__u64)(io_fraction * MS(1000));
	struct fixture *f = fx_one_thread(MS(1000) - io, io, slot, peak);
	double c = fx_decide(f)->confidence;

	free(f);
	return c;
}

Test(decide, confidence_falls_towards_io_bound_min)
{
	static const double above[] = { 0.99, 0.95, 0.9, 0.8, 0.7, 0.6, 0.55, 0.52, 0.501 };
	static const double below[] = { 0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.45, 0.48, 0.499 };
	double prev;

	/* from above, async on slow waits far from 1 ms */
	prev = 2;
	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		double c = confidence_at(above[i], 26, 0);

		cr_expect(c < prev, "io_fraction %g: %f !< %f", above[i], c, prev);
		prev = c;
	}
	cr_expect(prev <= 0.51, "%f", prev);
	/* from below, CPU-bound */
	prev = 2;
	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		double c = confidence_at(below[i], 26, 0);

		cr_expect(c < prev, "io_fraction %g: %f !< %f", below[i], c, prev);
		prev = c;
	}
	cr_expect(prev <= 0.51, "%f", prev);
	cr_expect(confidence_at(0.01, 26, 0) > 0.9);
	cr_expect(confidence_at(0.99, 26, 0) > 0.9);
	cr_expect(confidence_at(0.5, 26, 0) <= 0.5 + 1e-9);
}

Test(decide, confidence_falls_towards_slow_wait_ms)
{
	static const unsigned int above[] = { 28, 25, 23, 21, 20 }; /* 403 ms .. 1.57 ms */
	static const unsigned int below[] = { 10, 13, 16, 18, 19 }; /* 1.5 us .. 0.79 ms */
	double prev = 2;

	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		double c = confidence_at(0.99, above[i], 0);

		cr_expect(c < prev, "slot %u: %f !< %f", above[i], c, prev);
		prev = c;
	}
	prev = 2;
	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		double c = confidence_at(0.99, below[i], 0);

		cr_expect(c < prev, "slot %u: %f !< %f", below[i], c, prev);
		prev = c;
	}
}

Test(decide, confidence_falls_towards_many_conns)
{
	static const __u64 above[] = { 5000, 640, 200, 100, 70, 65 };
	static const __u64 below[] = { 0, 2, 10, 30, 50, 63 };
	double prev = 2;

	for (size_t i = 0; i < sizeof(above) / sizeof(above[0]); i++) {
		double c = confidence_at(0.99, 10, above[i]);

		cr_expect(c < prev, "peak %llu: %f !< %f", (unsigned long long)above[i], c, prev);
		prev = c;
	}
	prev = 2;
	for (size_t i = 0; i < sizeof(below) / sizeof(below[0]); i++) {
		double c = confidence_at(0.99, 10, below[i]);

		cr_expect(c < prev, "peak %llu: %f !< %f", (unsigned long long)below[i], c, prev);
		prev = c;
	}
}

Test(decide, confidence_run_length_and_drops)
{
	struct fixture *f = fx_one_thread(MS(1900), MS(100), 10, 0);
	double full, shorter, dropped;

	full = fx_decide(f)->confidence;
	f->p.duration_ns = MS(200);
	f->procs[0].threads[0].cpu_ns = MS(190);
	f->procs[0].threads[0].blocked_ns[CAUSE_NET] = MS(10);
	shorter = fx_decide(f)->confidence;
	cr_expect(shorter < full, "%f !< %f", shorter, full);

	f->p.duration_ns = MS(2000);
	f->procs[0].threads[0].cpu_ns = MS(1900);
	f->procs[0].threads[0].blocked_ns[CAUSE_NET] = MS(100);
	f->p.overhead.dropped = 10000;
	dropped = fx_decide(f)->confidence;
	cr_expect(dropped < full, "%f !< %f", dropped, full);
	cr_expect(strstr(f->v.confidence_basis, "dropped"), "%s", f->v.confidence_basis);
	free(f);
}

/* --- current model, runtime and advice -------------------------------- */

Test(decide, gil_advice)
{
	/* CPython, four threads of pure-Python work taking turns on the GIL */
	struct fixture *f = fx_new(2000, 2, "cpython");
	const struct verdict *v;

	for (int i = 0; i < 4; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(490);
		th->blocked_ns[CAUSE_LOCK] = th->internal_ns[CAUSE_LOCK] = MS(1500);
	}
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING, "got %s (%s)", model_names[v->model],
		     v->inconclusive_reason);
	cr_expect_str_eq(v->runtime, "cpython");
	cr_expect_str_eq(v->current_model, "multithreaded");
	cr_expect(!v->already_fits);
	cr_expect(strstr(v->advice, "GIL"), "%s", v->advice);
	cr_expect(strstr(v->advice, "from multithreaded to multiprocessing"), "%s", v->advice);
	cr_expect(strstr(v->rationale, "GIL"), "%s", v->rationale);
	cr_expect(v->confidence > 0.7, "%f", v->confidence);
	free(f);
}

Test(decide, gil_advice_single_thread)
{
	struct fixture *f = fx_one_thread(MS(1980), MS(20), 10, 0);
	const struct verdict *v;

	snprintf(f->p.runtime, sizeof(f->p.runtime), "cpython");
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_str_eq(v->current_model, "single-threaded");
	cr_expect(strstr(v->advice, "from single-threaded to multiprocessing"), "%s", v->advice);
	cr_expect(strstr(v->advice, "GIL"), "%s", v->advice);
	free(f);
}

Test(decide, event_loop_async_already_fits)
{
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	th->cpu_ns = MS(60);
	th->blocked_ns[CAUSE_POLL] = MS(1900);
	th->blocked_ns[CAUSE_NET] = MS(10);
	fx_waits(f, CAUSE_POLL, 24, 100);
	f->p.conns.peak_open = 12;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_ASYNC);
	cr_expect_str_eq(v->current_model, "event-loop");
	cr_expect(v->already_fits);
	cr_expect(!strncmp(v->advice, "already fits", 12), "%s", v->advice);
	free(f);
}

Test(decide, threads_on_many_connections_go_async)
{
	/* a threaded client on 200 slow connections */
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v;

	for (int i = 0; i < 16; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(20);
		th->blocked_ns[CAUSE_NET] = MS(1970);
	}
	fx_waits(f, CAUSE_NET, 24, 1000);
	f->p.conns.peak_open = 200;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_ASYNC);
	cr_expect_str_eq(v->current_model, "multithreaded");
	cr_expect(!v->already_fits);
	cr_expect(strstr(v->advice, "from multithreaded to async"), "%s", v->advice);
	cr_expect(v->busy_threads > 15 && v->busy_threads < 17, "%f", v->busy_threads);
	free(f);
}

Test(decide, cpu_bound_event_loop)
{
	static const struct {
		const char *runtime;
		const char *advice;
	} cases[] = {
		{ "nodejs", "worker_threads" },
		{ "native", "beside the event loop" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(2000, 4, cases[i].runtime);
		struct thread_profile *th = fx_thread(f, 0);
		const struct verdict *v;

		th->cpu_ns = MS(1800);
		th->blocked_ns[CAUSE_POLL] = MS(150);
		th->blocked_ns[CAUSE_LOCK] = MS(20);
		fx_waits(f, CAUSE_POLL, 16, 1000);
		v = fx_decide(f);
		cr_expect_eq(v->model, MODEL_MULTIPROCESSING, "%s", cases[i].runtime);
		cr_expect_str_eq(v->current_model, "event-loop", "%s", cases[i].runtime);
		cr_expect(!v->already_fits);
		cr_expect(strstr(v->advice, cases[i].advice), "%s: %s", cases[i].runtime,
			  v->advice);
		free(f);
	}
}

Test(decide, current_model_many_equal_threads)
{
	/* 16 CPU-bound threads sharing 2 CPUs: each gets little, all are workers */
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v;

	for (int i = 0; i < MAX_THREADS_T; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(2000.0 * 2 / MAX_THREADS_T);
		th->runq_preempt_ns = MS(2000) - th->cpu_ns;
	}
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_str_eq(v->current_model, "multithreaded");
	cr_expect(v->already_fits, "%s", v->advice);
	free(f);
}

/*
 * A thread per request: a loop thread (1 s of CPU) and 12 handler threads of
 * 20 ms each (2% of the loop's: none a worker alone, 24% together). They
 * make the process multithreaded when they overlap in time; one after the
 * other they do not; helpers as busy that live as long as the process (GC,
 * JIT) do not either.
 */
Test(decide, current_model_thread_per_request)
{
	const struct {
		__u64 gap_ms, life_ms;
		const char *want;
	} cases[] = {
		{ 20, 30, "multithreaded" }, /* each starts before the last ended */
		{ 40, 30, "single-threaded" }, /* one after the other */
		{ 0, 0, "single-threaded" }, /* helpers alive for the whole run */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(2000, 2, "native");
		struct thread_profile *loop = fx_thread(f, 0);
		const struct verdict *v;

		loop->cpu_ns = MS(1000);
		for (int k = 0; k < 12; k++) {
			struct thread_profile *h = fx_thread(f, 0);

			h->cpu_ns = MS(20);
			if (cases[i].life_ms) {
				h->start_ns = MS(100 + k * cases[i].gap_ms);
				h->end_ns = h->start_ns + MS(cases[i].life_ms);
			}
		}
		v = fx_decide(f);
		cr_expect_str_eq(v->current_model, cases[i].want, "case %zu: %s", i,
				 v->current_model);
		free(f);
	}
}

/*
 * A shell fetching URLs with curl one after the other: the shell's 16 ms of
 * forking over 1.4 s is 15% of a curl's cpu + io, but its rate is 1% of a
 * curl's: no second process at work beside the curls
 */
Test(decide, current_model_shell_running_commands_in_turn)
{
	struct fixture *f = fx_new(1400, 2, "native");
	struct thread_profile *sh = fx_thread(f, 0);
	const struct verdict *v;

	sh->cpu_ns = MS(16);
	sh->blocked_ns[CAUSE_CHILD] = MS(1380);
	for (int i = 0; i < 7; i++) {
		struct thread_profile *c = fx_thread(f, 1 + i);

		c->start_ns = MS(5 + 140 * i);
		c->end_ns = c->start_ns + MS(138);
		c->cpu_ns = MS(50);
		c->blocked_ns[CAUSE_POLL] = MS(53);
	}
	fx_waits(f, CAUSE_POLL, 25, 7);
	v = fx_decide(f);
	cr_expect_str_eq(v->current_model, "single-threaded");
	free(f);
}

Test(decide, current_model_sequential_processes)
{
	/* a script running two CPU-bound commands one after the other */
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *sh = fx_thread(f, 0), *a = fx_thread(f, 1), *b = fx_thread(f, 2);
	const struct verdict *v;

	sh->cpu_ns = MS(2);
	sh->blocked_ns[CAUSE_CHILD] = MS(1990);
	a->start_ns = MS(5);
	a->end_ns = MS(1000);
	a->cpu_ns = MS(990);
	b->start_ns = MS(1000);
	b->end_ns = MS(1995);
	b->cpu_ns = MS(990);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_str_eq(v->current_model, "single-threaded");
	free(f);
}

Test(decide, speedup_bound)
{
	struct fixture *f;
	const struct verdict *v;

	/* one CPU-bound thread: up to the CPUs online */
	f = fx_one_thread(MS(2000), 0, 10, 0);
	f->p.cpus = 4;
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 4, 1e-6, "%f", v->speedup_bound);
	cr_expect(!v->already_fits);
	cr_expect(strstr(v->rationale, "4.0x"), "%s", v->rationale);
	cr_expect(strstr(v->rationale, "1.0 of 4 CPUs"), "%s", v->rationale);
	/* on one CPU there is nothing to gain */
	f->p.cpus = 1;
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 1, 1e-9);
	cr_expect(v->already_fits);
	/*
	 * 10% I/O on 4 CPUs: the I/O can overlap the CPU work too, so the CPU
	 * over the CPUs bounds it, not Amdahl with the I/O serial (3.1x)
	 */
	f->p.cpus = 4;
	f->procs[0].threads[0].cpu_ns = MS(1800);
	f->procs[0].threads[0].blocked_ns[CAUSE_NET] = MS(200);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2000.0 / (1800.0 / 4), 1e-6, "%f", v->speedup_bound);
	cr_expect(strstr(v->speedup_basis, "critical path"), "%s", v->speedup_basis);
	free(f);

	/*
	 * I/O-bound single thread: the waits overlap and the CPU share spreads
	 * over 2 CPUs (a thread pool of native threads), not only the CPU share
	 */
	f = fx_one_thread(MS(200), MS(1800), 15, 0);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTITHREADING);
	cr_expect_float_eq(v->speedup_bound, 20, 1e-6, "%f", v->speedup_bound);
	free(f);

	/* I/O-bound threads that already fill the CPU gain nothing more */
	f = fx_new(2000, 1, "native");
	for (int i = 0; i < 10; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(200);
		th->blocked_ns[CAUSE_NET] = MS(1800);
	}
	fx_waits(f, CAUSE_NET, 15, 1000);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTITHREADING);
	cr_expect_float_eq(v->speedup_bound, 1, 1e-6, "%f", v->speedup_bound);
	cr_expect(v->already_fits);
	free(f);

	/* two CPU-bound processes on two CPUs: already fits */
	f = fx_new(2000, 2, "native");
	fx_thread(f, 0)->cpu_ns = MS(1990);
	fx_thread(f, 1)->cpu_ns = MS(1990);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_str_eq(v->current_model, "multiprocess");
	cr_expect(v->already_fits);
	cr_expect(v->speedup_bound < 1.01, "%f", v->speedup_bound);
	free(f);
}

Test(decide, rationale_quotes_numbers)
{
	struct fixture *f = fx_one_thread(MS(1860), MS(140), 10, 0);
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect(strstr(v->rationale, "io_fraction 0.07 < 0.50"), "%s", v->rationale);
	cr_expect(strstr(v->rationale, "CPU-bound"), "%s", v->rationale);
	cr_expect(strstr(v->rationale, "2 CPUs"), "%s", v->rationale);
	cr_expect(!strncmp(v->advice, "from single-threaded to multiprocessing: ", 41), "%s",
		  v->advice);
	free(f);
}

Test(decide, pure)
{
	/* the same profile gives the same verdict, byte for byte */
	struct fixture *f = fx_one_thread(MS(700), MS(1300), 21, 80);
	struct verdict a, b;

	cr_assert_eq(decide_model(&f->p, &f->t, &a), 0);
	cr_assert_eq(decide_model(&f->p, &f->t, &b), 0);
	cr_expect(!memcmp(&a, &b, sizeof(a)));
	free(f);
}

/* --- connections that were not counted --------------------------------- */

/* An I/O-bound thread (90% net) whose waits sit in slot (15: 49 us, fast; 24: 25 ms, slow). */
static struct fixture *fx_io(unsigned int slot, __u64 peak, bool counted)
{
	struct fixture *f = fx_one_thread(MS(200), MS(1800), slot, peak);

	f->p.conns.tcp_counted = counted;
	return f;
}

Test(decide, connections_counted_none_open)
{
	struct fixture *f = fx_io(15, 0, true);
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_MULTITHREADING);
	cr_assert_eq(v->nr_path, 3);
	cr_expect_str_eq(v->path[2].metric, "peak_open_connections");
	cr_expect_eq(v->path[2].value, 0);
	cr_expect_eq(v->path[2].threshold, 64);
	cr_expect_str_eq(v->path[2].branch, "few");
	cr_expect(strstr(v->rationale, "no connection was open at once (few: < 64)"), "%s",
		  v->rationale);
	cr_expect(strstr(v->confidence_basis, "peak 0 vs 64"), "%s", v->confidence_basis);
	free(f);
}

Test(decide, connections_not_counted_are_unknown)
{
	struct fixture *f = fx_io(15, 0, false);
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_MULTITHREADING);
	cr_expect_eq(v->peak_open, 0);
	cr_assert_eq(v->nr_path, 3);
	cr_expect_str_eq(v->path[1].branch, "fast");
	cr_expect_str_eq(v->path[2].metric, "peak_open_connections");
	cr_expect(isnan(v->path[2].value), "%f", v->path[2].value);
	cr_expect_eq(v->path[2].threshold, 64);
	cr_expect_str_eq(v->path[2].branch, "not-counted");
	cr_expect(!strstr(v->rationale, "no connection"), "%s", v->rationale);
	cr_expect(!strstr(v->rationale, "few"), "%s", v->rationale);
	cr_expect(strstr(v->rationale, "the open connections were not counted, so on the wait "
				       "alone multithreading fits."),
		  "%s", v->rationale);
	cr_expect(sentences(v->rationale) >= 2 && sentences(v->rationale) <= 3, "%s",
		  v->rationale);
	cr_expect(strstr(v->confidence_basis, "wait_p50 alone, connections not counted"), "%s",
		  v->confidence_basis);
	cr_expect(!strstr(v->confidence_basis, "peak"), "%s", v->confidence_basis);
	free(f);
}

Test(decide, connections_not_counted_never_make_many)
{
	/* a count the probes never took must not pass many_conns */
	struct fixture *f = fx_io(15, 500, true);
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_ASYNC);
	cr_expect_str_eq(v->path[2].branch, "many");
	f->p.conns.tcp_counted = false;
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTITHREADING, "got %s", model_names[v->model]);
	cr_expect_str_eq(v->path[2].branch, "not-counted");
	cr_expect_eq(v->peak_open, 0);
	free(f);
}

Test(decide, connections_not_counted_slow_waits_go_async)
{
	struct fixture *f = fx_io(24, 0, false);
	const struct verdict *v = fx_decide(f);

	cr_expect_eq(v->model, MODEL_ASYNC);
	cr_expect_str_eq(v->path[1].branch, "slow");
	cr_expect_str_eq(v->path[2].branch, "not-counted");
	cr_expect(strstr(v->rationale, "so on the wait alone async fits."), "%s", v->rationale);
	free(f);
}

Test(decide, connections_not_counted_confidence_is_the_wait_alone)
{
	/* counted, 63 open is a hair below many_conns: multithreading is a near call */
	struct fixture *f = fx_io(15, 63, true);
	double near, unknown, unknown_zero;

	near = fx_decide(f)->confidence;
	f->p.conns.tcp_counted = false;
	unknown = fx_decide(f)->confidence;
	f->p.conns.peak_open = 0;
	unknown_zero = fx_decide(f)->confidence;
	cr_expect(unknown > near, "%f !> %f", unknown, near);
	cr_expect_eq(unknown, unknown_zero, "the untaken count moved confidence: %f %f", unknown,
		     unknown_zero);
	free(f);
}

Test(decide, connections_not_counted_cpu_bound_unchanged)
{
	struct fixture *f = fx_one_thread(MS(1800), MS(200), 15, 0);
	struct verdict counted;

	counted = *fx_decide(f);
	f->p.conns.tcp_counted = false;
	fx_decide(f);
	cr_expect_eq(f->v.model, MODEL_MULTIPROCESSING);
	cr_expect_eq(f->v.nr_path, 1);
	cr_expect_str_eq(f->v.rationale, counted.rationale);
	cr_expect_eq(f->v.confidence, counted.confidence);
	free(f);
}

/* --- the event loop's connection rules ---------------------------------- */

/* One thread in a poll loop, I/O-bound, its waits slow; conns counted. */
static struct fixture *fx_poll_loop(__u64 peak, __u64 accepted)
{
	struct fixture *f = fx_new(2000, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);

	th->cpu_ns = MS(60);
	th->blocked_ns[CAUSE_POLL] = MS(1900);
	fx_waits(f, CAUSE_POLL, 24, 100);
	f->p.conns.peak_open = peak;
	f->p.conns.accepted = accepted;
	return f;
}

Test(decide, event_loop_min_accepted)
{
	static const struct {
		__u64 accepted;
		const char *current;
	} cases[] = {
		{ 0, "single-threaded" },
		{ EVENT_LOOP_MIN_ACCEPTED - 1, "single-threaded" },
		{ EVENT_LOOP_MIN_ACCEPTED, "event-loop" },
		{ EVENT_LOOP_MIN_ACCEPTED + 1, "event-loop" },
	};

	cr_assert_eq(EVENT_LOOP_MIN_ACCEPTED, 2);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* one connection open at a time: only the accepts can make it a loop */
		struct fixture *f = fx_poll_loop(1, cases[i].accepted);
		const struct verdict *v = fx_decide(f);
		bool loop = !strcmp(cases[i].current, "event-loop");

		cr_expect_eq(v->model, MODEL_ASYNC, "accepted %llu",
			     (unsigned long long)cases[i].accepted);
		cr_expect_str_eq(v->current_model, cases[i].current, "accepted %llu",
				 (unsigned long long)cases[i].accepted);
		cr_expect_eq(v->already_fits, loop, "accepted %llu: %s",
			     (unsigned long long)cases[i].accepted, v->advice);
		if (!loop)
			cr_expect(strstr(v->advice, "from single-threaded to async"), "%s",
				  v->advice);
		free(f);
	}
}

Test(decide, event_loop_min_conns)
{
	static const struct {
		__u64 peak;
		const char *current;
	} cases[] = {
		{ EVENT_LOOP_MIN_CONNS - 1, "single-threaded" },
		{ EVENT_LOOP_MIN_CONNS, "event-loop" },
		{ EVENT_LOOP_MIN_CONNS + 1, "event-loop" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_poll_loop(cases[i].peak, 0);

		cr_expect_str_eq(fx_decide(f)->current_model, cases[i].current, "peak %llu",
				 (unsigned long long)cases[i].peak);
		free(f);
	}
}

/*
 * A loop that read its children's pipe at start-up (an asyncio client started
 * through a shell wrapper): the pipe waits the tree ended itself do not count
 * against its polls; the same waits fed from outside do.
 */
Test(decide, event_loop_after_waiting_on_its_own_children)
{
	struct fixture *f = fx_poll_loop(200, 0);
	struct thread_profile *th = &f->procs[0].threads[0];

	th->blocked_ns[CAUSE_POLL] = MS(800);
	th->blocked_ns[CAUSE_IPC] = MS(1000);
	th->internal_ns[CAUSE_IPC] = MS(1000);
	cr_expect_str_eq(fx_decide(f)->current_model, "event-loop");
	th->internal_ns[CAUSE_IPC] = MS(0);
	cr_expect_str_eq(fx_decide(f)->current_model, "single-threaded");
	/* internal polls are the loop's own (a pool's completions) */
	th->blocked_ns[CAUSE_IPC] = 0;
	th->internal_ns[CAUSE_POLL] = MS(800);
	cr_expect_str_eq(fx_decide(f)->current_model, "event-loop");
	free(f);
}

Test(decide, event_loop_with_connections_not_counted)
{
	/* nothing counted cannot disprove the loop: poll-type waits alone decide */
	struct fixture *f = fx_poll_loop(0, 0);
	const struct verdict *v;

	cr_expect_str_eq(fx_decide(f)->current_model, "single-threaded");
	f->p.conns.tcp_counted = false;
	v = fx_decide(f);
	cr_expect_str_eq(v->current_model, "event-loop");
	cr_expect_eq(v->model, MODEL_ASYNC);
	cr_expect(v->already_fits, "%s", v->advice);
	free(f);
}

/* --- durations in the sentences, as reports/format.h writes them ------- */

Test(decide, sentences_quote_durations_like_the_reports)
{
	struct fixture *f;
	const struct verdict *v;

	/* slot 20: 1572864 ns */
	f = fx_io(20, 0, true);
	v = fx_decide(f);
	cr_expect(strstr(v->rationale, "waits of 1.57 ms or longer (slow: >= 1 ms)"), "%s",
		  v->rationale);
	cr_expect(strstr(v->confidence_basis, "wait_p50 1.57 ms vs 1 ms"), "%s",
		  v->confidence_basis);
	cr_expect(strstr(v->confidence_basis, "run 2.00 s:"), "%s", v->confidence_basis);
	free(f);

	/* slot 19: 786432 ns */
	f = fx_io(19, 0, true);
	v = fx_decide(f);
	cr_expect(strstr(v->rationale, "waits of 786 \u00b5s or longer (fast: < 1 ms)"), "%s",
		  v->rationale);
	free(f);

	/* a run of 75 s reads in minutes */
	f = fx_one_thread(MS(70000), MS(5000), 10, 0);
	f->p.duration_ns = MS(75000);
	v = fx_decide(f);
	cr_expect(strstr(v->confidence_basis, "run 1 min 15 s:"), "%s", v->confidence_basis);
	free(f);

	/* too short: three significant digits, whatever the unit */
	f = fx_new(5, 2, "native");
	fx_thread(f, 0)->cpu_ns = MS(5);
	v = fx_decide(f);
	cr_expect(strstr(v->rationale, "The run lasted 5.00 ms, less than the 20.0 ms needed"),
		  "%s", v->rationale);
	f->t.min_duration_ms = 100;
	v = fx_decide(f);
	cr_expect(strstr(v->rationale, "less than the 100 ms needed"), "%s", v->rationale);
	free(f);

	/* too little work: 500 us of cpu */
	f = fx_new(20, 2, "native");
	fx_thread(f, 0)->cpu_ns = MS(0.5);
	f->procs[0].threads[0].runq_preempt_ns = MS(5);
	v = fx_decide(f);
	cr_expect_str_eq(v->inconclusive_reason, "too-short");
	cr_expect(strstr(v->rationale, "for only 500 \u00b5s, under the 10 ms needed"), "%s",
		  v->rationale);
	free(f);

	/* idle: 2.00 ms of work in 1.00 s */
	f = fx_new(1000, 2, "native");
	fx_thread(f, 0)->cpu_ns = MS(2);
	f->procs[0].threads[0].blocked_ns[CAUSE_SLEEP] = MS(998);
	v = fx_decide(f);
	cr_expect_str_eq(v->inconclusive_reason, "asleep");
	cr_expect(strstr(v->rationale, "for 2.00 ms in 1.00 s of wall time"), "%s", v->rationale);
	free(f);
}

/*
 * A timeline of n buckets of 100 ms, each with the tree's cpu and runq: the
 * evidence for how much of the runq other programs' load caused.
 */
static void fx_timeline(struct fixture *f, size_t n, __u64 cpu_ns, __u64 runq_ns)
{
	static struct timeline_bucket buckets[64];

	cr_assert_leq(n, 64);
	for (size_t i = 0; i < n; i++)
		buckets[i] = (struct timeline_bucket){ .cpu_ns = cpu_ns, .runq_ns = runq_ns };
	f->p.buckets = buckets;
	f->p.nr_buckets = n;
	f->p.bucket_ns = MS(100);
	f->p.duration_ns = n * MS(100);
}

/*
 * One thread that is I/O-bound on its own (cpu 400 ms, net 600 ms in 2 s),
 * slowed by other programs by runq ms: its demand of one CPU of two never
 * made it queue behind itself, so the runq is left out and it stays I/O-bound.
 */
/*
 * A one-thread CPU loop on 2 CPUs that a busy machine stretched to twice its
 * CPU time (1 s on CPU, 1 s waiting for CPUs others held): the bound is the
 * quiet machine's 2x, not wall / (cpu / 2) = 4x
 */
Test(decide, bound_leaves_out_other_programs_load)
{
	struct fixture *f = fx_one_thread(MS(1000), 0, 10, 0);
	struct thread_profile *th = &f->threads[0][0];
	const struct verdict *v;

	th->runq_preempt_ns = MS(1000);
	fx_timeline(f, 20, MS(50), MS(50)); /* 1 CPU wanted of 2 in each bucket */
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_float_eq(v->speedup_bound, 2.0, 1e-6, "%f (%s)", v->speedup_bound,
			   v->speedup_basis);
	cr_expect(strstr(v->speedup_basis, "other programs held"), "%s", v->speedup_basis);
	free(f);
}

/*
 * A program that sleeps 250 ms of a 300 ms run, with 11 ms of CPU, held
 * off its CPU for 21 ms by other programs: asleep, not busy 11% of the run
 */
Test(decide, runq_of_other_programs_is_no_work_for_asleep)
{
	struct fixture *f = fx_new(300, 2, "native");
	struct thread_profile *th = fx_thread(f, 0);
	const struct verdict *v;

	fx_timeline(f, 3, MS(11.0 / 3), MS(7));
	th->cpu_ns = MS(11);
	th->runq_preempt_ns = MS(21);
	th->blocked_ns[CAUSE_SLEEP] = MS(250);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_INCONCLUSIVE, "model %s", model_names[v->model]);
	cr_expect_str_eq(v->inconclusive_reason, "asleep");
	free(f);
}

Test(decide, runq_that_other_programs_caused_is_left_out)
{
	struct fixture *f = fx_one_thread(MS(400), MS(600), 21, 1);
	struct thread_profile *th = &f->threads[0][0];
	const struct verdict *v;

	th->runq_preempt_ns = MS(800);
	fx_timeline(f, 20, MS(20), MS(40)); /* 0.6 CPUs wanted of 2 in each bucket */
	v = fx_decide(f);
	cr_assert_float_eq(v->io_fraction, 0.6, 1e-9);
	cr_assert_neq(v->model, MODEL_MULTIPROCESSING);
	cr_assert(strstr(v->rationale, "other programs held"), "%s", v->rationale);
	free(f);
}

/* Four threads on two CPUs: the queueing is the tree's own, and it counts. */
Test(decide, runq_of_the_tree_oversubscribing_counts)
{
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v;

	for (int i = 0; i < 4; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(1000);
		th->runq_preempt_ns = MS(1000);
		th->blocked_ns[CAUSE_NET] = MS(500);
	}
	fx_waits(f, CAUSE_NET, 21, 1000);
	fx_timeline(f, 20, MS(200), MS(200)); /* 4 CPUs wanted of 2: all runq is own */
	v = fx_decide(f);
	cr_assert_float_eq(v->io_fraction, 2000.0 / (4000 + 4000 + 2000), 1e-9);
	cr_assert_null(strstr(v->rationale, "other programs held"), "%s", v->rationale);
	free(f);
}

/*
 * At the boundary: demand of exactly the CPUs online leaves out all runq;
 * 10% past it keeps that part.
 */
Test(decide, runq_external_at_and_past_the_cpus)
{
	struct fixture *f = fx_one_thread(MS(400), MS(600), 21, 1);
	const struct verdict *v;

	f->threads[0][0].runq_preempt_ns = MS(1000);
	fx_timeline(f, 20, MS(100), MS(100)); /* 2 CPUs wanted of 2 */
	v = fx_decide(f);
	cr_assert_float_eq(v->io_fraction, 0.6, 1e-9);
	fx_timeline(f, 20, MS(100), MS(120)); /* 2.2 wanted: 20 ms a bucket is own */
	v = fx_decide(f);
	cr_assert_float_eq(v->io_fraction, 600.0 / (400 + 1000 * (20.0 / 120) + 600), 1e-9);
	free(f);
}

/* 16 CPython threads waiting 100 ms replies: the GIL keeps their CPU serial */
Test(decide, bound_cpython_gil_serial_cpu)
{
	struct fixture *f = fx_new(2200, 2, "cpython");
	const struct verdict *v;

	for (int i = 0; i < 16; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(300) / 16;
		th->blocked_ns[CAUSE_NET] = MS(2100);
	}
	fx_waits(f, CAUSE_NET, 26, 320); /* ~100 ms each */
	f->p.waits[CAUSE_NET].ext.max_ns = MS(120);
	v = fx_decide(f);
	cr_expect_neq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_float_eq(v->speedup_bound, 2200.0 / 300, 1e-6, "%f", v->speedup_bound);
	cr_expect(strstr(v->speedup_basis, "GIL"), "%s", v->speedup_basis);
	cr_expect(strstr(v->rationale, "7.3x"), "%s", v->rationale);
	free(f);

	/* the same in native threads: the CPU spreads, the overlap formula binds */
	f = fx_new(2200, 2, "native");
	for (int i = 0; i < 16; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(300) / 16;
		th->blocked_ns[CAUSE_NET] = MS(2100);
	}
	fx_waits(f, CAUSE_NET, 26, 320);
	f->p.waits[CAUSE_NET].ext.max_ns = MS(120);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2200.0 / 150, 1e-6, "%f", v->speedup_bound);
	free(f);
}

/* the longest single wait, and reads of one pipe, bound any rewrite */
Test(decide, bound_longest_wait_and_stream)
{
	struct fixture *f = fx_one_thread(MS(200), MS(1800), 20, 0);
	const struct verdict *v;

	f->p.waits[CAUSE_NET].ext.max_ns = MS(1000);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2.0, 1e-6, "%f", v->speedup_bound);
	cr_expect(strstr(v->speedup_basis, "longest single I/O wait"), "%s", v->speedup_basis);
	free(f);

	/* a thread reading a pipe its producer feeds: 1.8 s of 2 s is the producer's pace */
	f = fx_new(2000, 2, "native");
	{
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(100);
		th->blocked_ns[CAUSE_IPC] = MS(1850);
		th->stream_ns = MS(1800);
	}
	fx_waits(f, CAUSE_IPC, 25, 40);
	v = fx_decide(f);
	cr_expect_neq(v->model, MODEL_INCONCLUSIVE);
	cr_expect_float_eq(v->speedup_bound, 2000.0 / 1800, 1e-6, "%f", v->speedup_bound);
	cr_expect(strstr(v->speedup_basis, "one pipe"), "%s", v->speedup_basis);
	/* past 1/1.05 of the run: no gain, said as none */
	f->procs[0].threads[0].stream_ns = MS(1950);
	v = fx_decide(f);
	cr_expect(v->speedup_bound < 1.05, "%f", v->speedup_bound);
	cr_expect(!strncmp(v->speedup_basis, "none", 4), "%s", v->speedup_basis);
	cr_expect(strstr(v->rationale, "no faster"), "%s", v->rationale);
	free(f);
}

/*
 * Two threads reading one pipe in turn: each thread's own chain is 900 ms,
 * their waits on the pipe together 1.8 s of 2 s. The union bounds, and where
 * it is shorter than a thread's chain (not measured), the thread's does.
 */
Test(decide, bound_pipe_read_by_threads_in_turn)
{
	struct fixture *f = fx_new(2000, 2, "native");
	const struct verdict *v;

	for (int i = 0; i < 2; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(50);
		th->blocked_ns[CAUSE_IPC] = MS(925);
		th->stream_ns = MS(900);
	}
	fx_waits(f, CAUSE_IPC, 25, 36);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2000.0 / 900, 1e-6, "%f", v->speedup_bound);
	f->p.pipe_stream_ns = MS(1800);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2000.0 / 1800, 1e-6, "%f", v->speedup_bound);
	cr_expect(strstr(v->speedup_basis, "one pipe"), "%s", v->speedup_basis);
	f->p.pipe_stream_ns = MS(300);
	v = fx_decide(f);
	cr_expect_float_eq(v->speedup_bound, 2000.0 / 900, 1e-6, "%f", v->speedup_bound);
	free(f);
}

/* CPU-bound CPython: processes lift the GIL, so its serial CPU does not bound them */
Test(decide, bound_multiprocessing_lifts_the_gil)
{
	struct fixture *f = fx_new(2000, 4, "cpython");
	const struct verdict *v;

	fx_thread(f, 0)->cpu_ns = MS(1000);
	fx_thread(f, 0)->cpu_ns = MS(990);
	v = fx_decide(f);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect_float_eq(v->speedup_bound, 4.0, 0.05, "%f", v->speedup_bound);
	free(f);
}

/* CPython threads taking turns: the share of their time waiting for the GIL, said */
Test(decide, gil_wait_share_measured)
{
	struct fixture *f = fx_new(2000, 2, "cpython");
	const struct verdict *v;

	for (int i = 0; i < 4; i++) {
		struct thread_profile *th = fx_thread(f, 0);

		th->cpu_ns = MS(500);
		th->blocked_ns[CAUSE_LOCK] = MS(1500);
	}
	v = fx_decide(f);
	cr_expect_float_eq(v->gil_wait_share, 0.75, 1e-9, "%f", v->gil_wait_share);
	cr_expect_eq(v->model, MODEL_MULTIPROCESSING);
	cr_expect(strstr(v->rationale, "75% of their time waiting to take it"), "%s", v->rationale);
	free(f);

	/* other runtimes: not measured, null in the report */
	f = fx_new(2000, 2, "native");
	fx_thread(f, 0)->cpu_ns = MS(1500);
	v = fx_decide(f);
	cr_expect(isnan(v->gil_wait_share));
	free(f);
}

/* requests kept in flight make a program asynchronous already, at and around REQ_OVERLAP_MIN */
Test(decide, requests_in_flight_make_async_io)
{
	static const struct {
		double avg;
		bool async;
	} cases[] = { { 0.9, false }, { 1.49, false }, { 1.5, true }, { 1.51, true }, { 8, true } };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* one thread polling for completions: short poll waits, slow requests */
		struct fixture *f = fx_new(2000, 2, "native");
		struct thread_profile *th = fx_thread(f, 0);
		const struct verdict *v;

		th->cpu_ns = MS(200);
		th->blocked_ns[CAUSE_POLL] = MS(1800);
		fx_waits(f, CAUSE_POLL, 12, 100000); /* ~6 µs each */
		f->p.requests[REQ_URING].counted = true;
		f->p.requests[REQ_URING].latency.slots[22] = 1000; /* ~6 ms each */
		f->p.requests[REQ_URING].latency.count = 1000;
		f->p.requests[REQ_URING].latency.total_ns = (__u64)(cases[i].avg * MS(2000));
		v = fx_decide(f);
		cr_expect_eq(!strcmp(v->current_model, "async-io"), cases[i].async,
			     "avg %.2f in flight: current %s", cases[i].avg, v->current_model);
		if (cases[i].async) {
			/* the requests' latency is the wait: slow, async, and already so */
			cr_expect_gt(v->wait_p50_ns, MS(1), "%llu", (unsigned long long)v->wait_p50_ns);
			cr_expect_eq(v->model, MODEL_ASYNC);
			cr_expect(v->already_fits);
			cr_expect(strstr(v->rationale, "in flight on average"), "%s", v->rationale);
		} else {
			cr_expect_lt(v->wait_p50_ns, MS(1));
		}
		free(f);
	}
}

/*
 * Block requests per thread blocked on the disk: four threads reading
 * synchronously (fio's psync jobs) keep four in flight and are not
 * asynchronous; one thread with four in flight (libaio) is. At and around
 * REQ_OVERLAP_MIN per blocked thread.
 */
Test(decide, block_requests_per_blocked_thread)
{
	static const struct {
		int threads;
		double avg; /* block requests in flight on average */
		bool async;
	} cases[] = {
		/* four threads, each blocked 90% of the run: 3.6 blocked at once */
		{ 4, 3.6, false }, /* 1 each */
		{ 4, 5.29, false }, /* 1.47 each */
		{ 4, 5.51, true }, /* 1.53 each */
		{ 1, 3.6, true }, /* libaio: one thread, 3.6 in flight */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fixture *f = fx_new(2000, 2, "native");
		const struct verdict *v;

		for (int k = 0; k < cases[i].threads; k++) {
			struct thread_profile *th = fx_thread(f, k);

			th->cpu_ns = MS(200);
			th->blocked_ns[cases[i].threads > 1 ? CAUSE_DISK : CAUSE_OTHER] = MS(1800);
		}
		fx_waits(f, CAUSE_DISK, 17, 1000);
		f->p.requests[REQ_BLOCK].counted = true;
		f->p.requests[REQ_BLOCK].latency.slots[17] = 1000;
		f->p.requests[REQ_BLOCK].latency.count = 1000;
		f->p.requests[REQ_BLOCK].latency.total_ns = (__u64)(cases[i].avg * MS(2000));
		v = fx_decide(f);
		cr_expect_eq(!strcmp(v->current_model, "async-io"), cases[i].async,
			     "%d threads, %.1f in flight: current %s", cases[i].threads, cases[i].avg,
			     v->current_model);
		free(f);
	}
}
