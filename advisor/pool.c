// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The runtime's pool, measured against its size.
 *
 * libuv (Node.js). fs, dns.lookup, crypto.pbkdf2/scrypt and zlib run on
 * libuv's thread pool, UV_THREADPOOL_SIZE threads (default 4) that libuv
 * starts all at once at its first request. A pool thread is busy when on
 * CPU, runnable or blocked on an I/O cause (CAUSE_IS_IO); it waits for work
 * on the pool's condition variable, a futex: the lock cause, left out.
 * busy_avg = the pool threads' busy time / the pool's life (its first
 * thread's start to its last one's end): the node start-up before the first
 * request does not dilute it; their waits for CPUs that other programs held
 * are neither busy time nor the pool's life (sum_own()). The pool's threads,
 * in the busiest pool of the tree's Node.js processes:
 *   by name   libuv 1.50 and later name them "libuv-worker";
 *   by batch  older libuv (Node.js 20 bundles 1.46) leaves them named as
 *             the process, like V8's helper threads: the pool is then a run
 *             of UV_THREADPOOL_SIZE threads (4 when unset) other than the
 *             main one, each started within POOL_BATCH_GAP_NS of the one
 *             before (a longer run when the threads beside the pool's were
 *             idle: node starts one 9 ms before it on a busy machine); of
 *             several (V8's platform workers are 4 too), the busiest. Without
 *             one (attach: every thread there before it seems to start at 0),
 *             no pool is reported.
 * size = the pool threads found. Saturated: busy_avg >= POOL_SATURATED_MIN x
 * size. raise, unless the pool's busy time was mostly CPU (cpu_share >= 0.5)
 * and it already has a thread per CPU: more threads then queue for the same
 * CPUs.
 *
 * GOMAXPROCS (Go). Go runs goroutines on at most GOMAXPROCS threads at once:
 * the environment's GOMAXPROCS, or the CPUs when unset (Go counts its CPU
 * affinity; advisor the CPUs online). busy_avg = cpu + runq of the busiest Go
 * process's threads over its life: a runnable thread holds its P as much as
 * one on CPU, so other programs' load does not hide a saturated GOMAXPROCS.
 * Saturated: busy_avg >= GOMAXPROCS_SATURATED_MIN x size; raise when also
 * GOMAXPROCS < CPUs. With GOMAXPROCS >= CPUs the runtime already spreads the
 * goroutines over every CPU, which the advice says.
 *
 * POOL_SATURATED_MIN 0.8: a pool whose threads are busy 80% of the time has
 * work queued for a thread most of the time (M/M/c: at 80% load, 4 threads
 * make 60% of requests wait), while below it the idle threads take most
 * requests at once. GOMAXPROCS_SATURATED_MIN 0.9: the threads of a Go program
 * are busy as long as any goroutine is runnable, so a CPU-bound one holds
 * its Ps nearly all the time (GC and start-up take the rest), while an
 * I/O-bound one stays well below.
 */
#include <stdlib.h>
#include <string.h>

#include "phases.h"
#include "pool.h"

#define UV_POOL_NAME "libuv-worker"
#define UV_POOL_DEFAULT 4 /* libuv's threads without UV_THREADPOOL_SIZE */
/*
 * libuv creates its threads in one loop and waits until all have started:
 * they came 1 to 2 ms apart on a loaded 2-CPU machine, while node's other
 * threads started tens of ms away (V8's workers at start-up, before any
 * script runs)
 */
#define POOL_BATCH_GAP_NS 10000000ULL
#define POOL_CPU_WORK_MIN 0.5 /* cpu_share of a pool whose work is CPU */
#define POOL_STRAY_MAX 0.1 /* busy share of the pool's least busy thread a stray stays under */

const char *const pool_names[NR_POOL_KINDS] = {
	[POOL_NONE] = "", [POOL_LIBUV] = "libuv", [POOL_GOMAXPROCS] = "GOMAXPROCS",
};
const char *const pool_knobs[NR_POOL_KINDS] = {
	[POOL_NONE] = "", [POOL_LIBUV] = "UV_THREADPOOL_SIZE", [POOL_GOMAXPROCS] = "GOMAXPROCS",
};
const char *const pool_runtimes[NR_POOL_KINDS] = {
	[POOL_NONE] = "", [POOL_LIBUV] = "nodejs", [POOL_GOMAXPROCS] = "go",
};
const char *const pool_found_by_names[NR_POOL_FOUND_BY] = {
	[POOL_BY_NAME] = "thread-name", [POOL_BY_BATCH] = "start-batch",
	[POOL_BY_ENV] = "environment",	[POOL_BY_CPUS] = "cpus",
};

/* The sums over one set of pool threads. */
struct pool_sum {
	int threads;
	double busy, cpu; /* cpu here is cpu + runq */
	double runq; /* of both */
	double runq_sq; /* sum of each thread's runq squared: how many threads shared it */
	__u64 start, end;
	double life_cut; /* ns of the life that other programs' load added (sum_own()) */
	pid_t tids[POOL_TIDS_MAX];
};

static __u64 end_of(__u64 end_ns, __u64 wall)
{
	return end_ns ? end_ns : wall;
}

static void sum_thread(struct pool_sum *s, const struct thread_profile *th, __u64 wall,
		       bool with_io)
{
	double runq = (double)th->runq_wakeup_ns + th->runq_preempt_ns;
	double cpu = (double)th->cpu_ns + runq, io = 0;

	if (with_io)
		for (int c = 0; c < NR_CAUSES; c++)
			if (CAUSE_IS_IO(c))
				io += th->blocked_ns[c];
	if (!s->threads || th->start_ns < s->start)
		s->start = th->start_ns;
	if (end_of(th->end_ns, wall) > s->end)
		s->end = end_of(th->end_ns, wall);
	if (s->threads < POOL_TIDS_MAX)
		s->tids[s->threads] = th->tid;
	s->threads++;
	s->cpu += cpu;
	s->busy += cpu + io;
	s->runq += runq;
	s->runq_sq += runq * runq;
}

static double sum_avg(const struct pool_sum *s)
{
	double life = (double)s->end - (double)s->start - s->life_cut;

	return s->end > s->start && life > 0 ? s->busy / life : 0;
}

/*
 * Leaves out of s the share of its run queue time that other programs'
 * load explains (own: the share the tree's own demand does, over the run),
 * as the verdict's own wall does: on a busy machine a thread woken for the
 * next call waits longer for a CPU while the last one finishes, and the
 * pool would look busier than its calls keep it. Those waits stretched the
 * pool's life too: the threads that waited would have run that much sooner,
 * so the life loses them as well, shared among the threads that did the
 * waiting (runq^2 / sum of runq_i^2: two threads that waited alike count two,
 * one thread beside idle ones, such as Go's sysmon, one). Otherwise a pool
 * whose threads always hold work, starved of CPUs by other programs, reads
 * half busy beside one hog per CPU. When more threads were busy at once
 * than waited, a wait held up only its own thread while the others ran: the
 * life loses it shared among the busy ones, so leaving other programs out
 * never makes the pool busier than its threads' own times say.
 */
static void sum_own(struct pool_sum *s, double own)
{
	double external = (1 - own) * s->runq;
	double sharing = s->runq_sq > 0 ? s->runq * s->runq / s->runq_sq : 1;
	double busy_at_once = sum_avg(s);

	s->busy -= external;
	s->cpu -= external;
	s->runq -= external;
	s->life_cut = external / (busy_at_once > sharing ? busy_at_once : sharing);
}

static bool is_pool_name(const char *comm)
{
	return !strncmp(comm, UV_POOL_NAME, COMM_LEN);
}

static int start_cmp(const void *a, const void *b)
{
	const struct thread_profile *x = *(const struct thread_profile *const *)a;
	const struct thread_profile *y = *(const struct thread_profile *const *)b;

	return x->start_ns < y->start_ns ? -1 : x->start_ns > y->start_ns;
}

static double thread_busy_ns(const struct thread_profile *th)
{
	struct pool_sum one = { 0 };

	sum_thread(&one, th, 0, true);
	return one.busy;
}

/*
 * The pool in a run of n threads started together: the run itself when it
 * has size threads; in a longer one, the busiest window of size threads
 * when every thread left out was idle beside it (under POOL_STRAY_MAX of the
 * window's least busy thread: a thread of node's that started just beside
 * the pool), else none. Keeps it in *best when busier; returns whether it
 * found one.
 */
static bool run_pool(const struct thread_profile **run, size_t n, int size, __u64 wall,
		     struct pool_sum *best, bool have)
{
	size_t top = 0;
	double top_busy = -1, least = -1;

	for (size_t w = 0; w + (size_t)size <= n; w++) {
		double busy = 0;

		for (size_t m = w; m < w + (size_t)size; m++)
			busy += thread_busy_ns(run[m]);
		if (busy > top_busy) {
			top_busy = busy;
			top = w;
		}
	}
	for (size_t m = top; m < top + (size_t)size; m++)
		if (least < 0 || thread_busy_ns(run[m]) < least)
			least = thread_busy_ns(run[m]);
	for (size_t m = 0; m < n; m++)
		if ((m < top || m >= top + (size_t)size) &&
		    thread_busy_ns(run[m]) >= POOL_STRAY_MAX * least)
			return false;
	{
		struct pool_sum s = { 0 };

		for (size_t m = top; m < top + (size_t)size; m++)
			sum_thread(&s, run[m], wall, true);
		if (!have || s.busy > best->busy)
			*best = s;
	}
	return true;
}

/* The busiest batch of size threads started together in proc: see the top. */
static bool libuv_batch(const struct process_profile *proc, int size, __u64 wall,
			struct pool_sum *best)
{
	const struct thread_profile **order = calloc(proc->nr_threads + 1, sizeof(*order));
	size_t n = 0, i = 0;
	bool found = false;

	if (!order)
		return false;
	for (size_t j = 0; j < proc->nr_threads; j++)
		if (proc->threads[j].tid != proc->pid)
			order[n++] = &proc->threads[j];
	if (n > 1)
		qsort(order, n, sizeof(*order), start_cmp);
	while (i < n) {
		size_t k = i + 1;

		while (k < n && order[k]->start_ns - order[k - 1]->start_ns <= POOL_BATCH_GAP_NS)
			k++;
		if (k - i >= (size_t)size && size > 0 && run_pool(order + i, k - i, size, wall, best, found))
			found = true;
		i = k;
	}
	free(order);
	return found;
}

static void measure_libuv(const struct profile *p, struct runtime_pool *out)
{
	int size = p->knobs.uv_threadpool_size > 0 ? p->knobs.uv_threadpool_size : UV_POOL_DEFAULT;
	struct pool_sum best = { 0 };
	bool named = false, found = false;

	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		struct pool_sum s = { 0 };
		bool by_name;

		for (size_t j = 0; j < proc->nr_threads; j++)
			if (is_pool_name(proc->threads[j].comm))
				sum_thread(&s, &proc->threads[j], p->duration_ns, true);
		by_name = s.threads > 0;
		/* a named pool anywhere says this libuv names them: no batches then */
		if (!by_name && (named || !libuv_batch(proc, size, p->duration_ns, &s)))
			continue;
		if (by_name && !named) {
			named = true;
			found = false;
		}
		if (!found || s.busy > best.busy)
			best = s;
		found = true;
	}
	if (!found)
		return;
	sum_own(&best, timeline_runq_own_share(p));
	out->kind = POOL_LIBUV;
	out->found_by = named ? POOL_BY_NAME : POOL_BY_BATCH;
	out->size = best.threads;
	out->nr_tids = best.threads < POOL_TIDS_MAX ? best.threads : POOL_TIDS_MAX;
	memcpy(out->tids, best.tids, out->nr_tids * sizeof(*out->tids));
	out->knob_value = p->knobs.uv_threadpool_size > 0 ? p->knobs.uv_threadpool_size : -1;
	out->busy_avg = sum_avg(&best);
	out->cpu_share = best.busy > 0 ? best.cpu / best.busy : 0;
	out->saturated = out->busy_avg >= POOL_SATURATED_MIN * out->size;
	out->raise = out->saturated &&
		     !(out->cpu_share >= POOL_CPU_WORK_MIN && out->size >= out->cpus);
}

static void measure_go(const struct profile *p, struct runtime_pool *out)
{
	struct pool_sum best = { 0 };

	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		struct pool_sum s = { 0 };

		for (size_t j = 0; j < proc->nr_threads; j++)
			sum_thread(&s, &proc->threads[j], p->duration_ns, false);
		if (s.threads && (!best.threads || s.busy > best.busy))
			best = s;
	}
	if (!best.threads)
		return;
	sum_own(&best, timeline_runq_own_share(p));
	out->kind = POOL_GOMAXPROCS;
	out->found_by = p->knobs.gomaxprocs > 0 ? POOL_BY_ENV : POOL_BY_CPUS;
	out->knob_value = p->knobs.gomaxprocs > 0 ? p->knobs.gomaxprocs : -1;
	out->size = out->knob_value > 0 ? out->knob_value : out->cpus;
	out->busy_avg = sum_avg(&best);
	out->cpu_share = 1;
	out->saturated = out->busy_avg >= GOMAXPROCS_SATURATED_MIN * out->size;
	out->raise = out->saturated && out->size < out->cpus;
}

void pool_measure(const struct profile *p, struct runtime_pool *out)
{
	memset(out, 0, sizeof(*out));
	out->knob_value = -1;
	out->cpus = p->cpus > 0 ? p->cpus : 1;
	if (!strcmp(p->runtime, "nodejs"))
		measure_libuv(p, out);
	else if (!strcmp(p->runtime, "go"))
		measure_go(p, out);
}

bool pool_has_thread(const struct runtime_pool *rp, pid_t tid)
{
	for (size_t i = 0; i < rp->nr_tids; i++)
		if (rp->tids[i] == tid)
			return true;
	return false;
}
