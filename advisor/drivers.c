// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The drivers of the decision, measured over the threads of the tree.
 *
 * Words used below, per thread:
 *   life   its span in the run (end, or the end of the run, minus start), or
 *          the sum of its states when that is longer;
 *   io     its blocked time on the I/O causes (CAUSE_IS_IO in bpf/abi.h: net,
 *          disk, poll, ipc) that no thread of the tree ended: a pipe fed by a
 *          sibling is the tree waiting on itself, not on I/O;
 *   work   cpu + runq + io;
 *   parked cpu + io is at least PARKED_MIN one I/O wait still open at the
 *          end: the thread waited for work that never came (drivers.h,
 *          io_parked), and that wait is not in its io below;
 *   busy   cpu + io >= busy_min x min(wall, life): a short-lived thread is
 *          judged on its own life, so the children of `make` count;
 *   worker a busy thread with cpu + io >= 10% of the busiest thread's, and
 *          cpu + io over its life >= 10% of the highest such rate: it
 *          counts in current_model, so runtime helpers (GC, JIT, timers)
 *          that wake now and then do not make a program "multithreaded",
 *          nor a shell that forks commands one after the other a second
 *          process at work beside them, while 32 threads sharing 2 CPUs
 *          all count.
 *
 * The drivers: io_fraction = sum io / sum (cpu + runq + io) over busy
 * threads (the open_share, the external I/O wait in waits still open when
 * the profile ended over the busy threads' cpu + own runq + io, tells idle
 * from I/O-bound), where runq
 * leaves out the time the tree waited for CPUs that other
 * programs held: in each timeline bucket, the tree's threads can only have
 * queued behind each other for the part of their demand (cpu + runq) past the
 * CPUs online, so the rest of the bucket's runq was other programs' load. A
 * program's fit does not change with what else the machine runs (a CI runner
 * shared with other jobs); a program that oversubscribes the CPUs itself
 * keeps its runq; wait_p50 = time-weighted median of the external waits on the I/O
 * causes; peak_open = peak open TCP connections, known only when the
 * connections were counted (conns_counted); busy_threads = (cpu + io of busy
 * threads) / wall.
 *
 * current_model, in this order: "multiprocess" when workers of two or more
 * processes ran at overlapping times (a script running commands one after
 * the other is not); "event-loop" when busy threads that wait mostly in
 * poll-type calls (poll >= half of their blocked time, less the waits other
 * than polls that the tree ended itself: an asyncio program reading its
 * children's pipe at start-up is still a loop) do at least half of
 * the busy work and, when I/O-bound, juggle connections: peak open >=
 * EVENT_LOOP_MIN_CONNS or accepted >= EVENT_LOOP_MIN_ACCEPTED (see
 * drivers.h). Connections that were not counted cannot disprove the loop, so
 * then poll-type waits alone decide. "multithreaded" when a process has two
 * or more workers, or brief busy threads (each alive for less than half the
 * run, none a worker alone) that together do a worker's share and overlap
 * in time: a thread per request (ThreadingHTTPServer) makes thousands of
 * threads of a millisecond each, none of them 10% of the accept loop's work,
 * while runtime helpers (GC, JIT) live as long as the process; else
 * "single-threaded".
 */
#include <stdlib.h>
#include <string.h>

#include "drivers.h"
#include "phases.h"
#include "pool.h"

#define WORKER_MIN 0.1 /* share of the busiest thread's cpu + io that makes a worker */
/* io_uring's workers, named by the kernel after their process: iou-wrk-PID */
#define IO_WQ_COMM "iou-wrk-"
/* a busy thread that lived less than this share of the run is brief (see the top) */
#define BRIEF_MAX 0.5
/* a thread whose cpu + io is at least this share one wait still open at the end: parked */
#define PARKED_MIN 0.9

struct span {
	__u64 start;
	__u64 end;
};

static double thread_io_ns(const struct thread_profile *th)
{
	double io = 0;

	for (int c = 0; c < NR_CAUSES; c++)
		if (CAUSE_IS_IO(c) && th->blocked_ns[c] > th->internal_ns[c])
			io += th->blocked_ns[c] - th->internal_ns[c];
	return io;
}

/*
 * The open I/O wait of a parked thread (see drivers.h, io_parked), else 0: its
 * work was waiting for work that never came
 */
static double thread_parked_ns(const struct thread_profile *th)
{
	double open = th->open_io_ns;

	return open > 0 && open >= PARKED_MIN * (th->cpu_ns + thread_io_ns(th)) ? open : 0;
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

static void span_add(struct span *sp, __u64 start, __u64 end)
{
	if (start < sp->start)
		sp->start = start;
	if (end > sp->end)
		sp->end = end;
}

/* Whether any two of the spans overlap in time; sorts them. */
static bool spans_overlap(struct span *s, size_t n)
{
	__u64 end = 0;

	if (n > 1)
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

	*cpu_io = th->cpu_ns + thread_io_ns(th) - thread_parked_ns(th);
	return *cpu_io > 0 && *cpu_io >= busy_min * base;
}

/*
 * cpu + io of the busiest thread, the yardstick of a worker; *rate gets the
 * highest cpu + io over its life of any busy thread
 */
static double busiest_cpu_io(const struct profile *p, const struct thresholds *t, double *rate)
{
	double top = 0, cpu_io;

	*rate = 0;
	for (size_t i = 0; i < p->nr_processes; i++)
		for (size_t j = 0; j < p->processes[i].nr_threads; j++) {
			const struct thread_profile *th = &p->processes[i].threads[j];
			double life = thread_life_ns(th, p->duration_ns);

			if (!thread_busy(th, p->duration_ns, t->busy_min, &cpu_io))
				continue;
			if (cpu_io > top)
				top = cpu_io;
			if (life > 0 && cpu_io / life > *rate)
				*rate = cpu_io / life;
		}
	return top;
}

/*
 * The external waits on the I/O causes, less the parked threads' open waits
 * (each one wait of the slot of its length): their histogram in slots, the
 * longest wait measured in *max and the longest left in *longest. When the
 * longest measured was a parked one, the longest left is known only to its
 * slot: its lower end, which the longest left is not shorter than, so that a
 * bound built on it stays one no rewrite beats.
 */
static void io_waits(const struct profile *p, __u64 slots[MAX_SLOTS], __u64 *max, __u64 *longest)
{
	bool longest_parked = false;

	memset(slots, 0, MAX_SLOTS * sizeof(*slots));
	*max = 0;
	for (int c = 0; c < NR_CAUSES; c++)
		if (CAUSE_IS_IO(c)) {
			for (int k = 0; k < MAX_SLOTS; k++)
				slots[k] += p->waits[c].ext.slots[k];
			if (p->waits[c].ext.max_ns > *max)
				*max = p->waits[c].ext.max_ns;
		}
	*longest = *max;
	for (size_t i = 0; i < p->nr_processes; i++)
		for (size_t j = 0; j < p->processes[i].nr_threads; j++) {
			double parked = thread_parked_ns(&p->processes[i].threads[j]);
			unsigned int k = hist_slot((__u64)parked);

			if (parked <= 0 || !slots[k])
				continue;
			slots[k]--;
			if ((__u64)parked == *longest)
				longest_parked = true;
		}
	if (!longest_parked)
		return;
	*longest = 0;
	for (int k = MAX_SLOTS; k-- > 0;)
		if (slots[k]) {
			*longest = 1ULL << k;
			break;
		}
}

/* The runq that the tree's own demand does not explain, summed over the timeline. */
static void tree_runq_external(struct tree *tr, const struct profile *p)
{
	tr->runq_external = tr->runq_all = 0;
	for (size_t i = 0; i < p->nr_buckets; i++) {
		const struct timeline_bucket *b = &p->buckets[i];

		tr->runq_all += b->runq_ns;
		tr->runq_external +=
			b->runq_ns - timeline_runq_own(b, timeline_bucket_len(p, i), tr->cpus);
	}
}

/*
 * Sums one thread into tr; returns whether it was busy, with its cpu + io in
 * *cpu_io. A libuv pool thread's futex waits are its waits for work: no lock
 * contention (pool.c finds the pool).
 */
static bool tree_add_thread(struct tree *tr, const struct thread_profile *th, __u64 wall,
			    const struct thresholds *t, bool pool_thread, double *cpu_io)
{
	double life = thread_life_ns(th, wall);
	double base = life < tr->wall ? life : tr->wall;
	bool busy = thread_busy(th, wall, t->busy_min, cpu_io);
	double cpu = th->cpu_ns;
	double runq = (double)th->runq_wakeup_ns + th->runq_preempt_ns;
	double io = *cpu_io - cpu;
	double work = cpu + runq + io;
	double lock = pool_thread ? 0 : th->blocked_ns[CAUSE_LOCK];
	double poll = th->blocked_ns[CAUSE_POLL], blocked = 0, internal_io = 0;
	double share = base > 0 ? *cpu_io / base : 0;
	double parked = thread_parked_ns(th);

	for (int c = 0; c < NR_CAUSES; c++) {
		blocked += th->blocked_ns[c];
		if (CAUSE_IS_IO(c))
			internal_io += th->internal_ns[c];
		/* the tree waiting on itself says nothing of how it waits for the world */
		if (c != CAUSE_POLL)
			blocked -= th->internal_ns[c];
	}
	/* a CPython thread's futex waits are for the GIL: its wait times out every 5 ms */
	if (busy)
		tr->gil_wait += th->blocked_ns[CAUSE_LOCK];
	tr->work += work;
	tr->cpu_io += cpu + io;
	tr->sleep += th->blocked_ns[CAUSE_SLEEP];
	/*
	 * a thread parked on a futex for the whole run (redis's bio threads, a
	 * pool with no work) waits for work, not for a lock someone holds
	 */
	if (busy)
		tr->lock += lock;
	else
		tr->rest += th->blocked_ns[CAUSE_LOCK];
	tr->child += th->blocked_ns[CAUSE_CHILD];
	tr->rest += th->blocked_ns[CAUSE_OTHER];
	/* a wait the tree ended itself is not I/O: it counts as an other wait */
	tr->rest += internal_io;
	/* nor is a parked thread's wait for work (see drivers.h) */
	tr->io_parked += parked;
	tr->rest += parked;
	if (share > tr->busiest)
		tr->busiest = share;

	if (!busy)
		return false;
	tr->nr_busy++;
	tr->b_cpu += cpu;
	tr->b_runq += runq;
	tr->b_io += io;
	if (work + lock > 0)
		tr->lock_weighted += work * lock / (work + lock);
	tr->b_work += work;
	if (poll > 0 && poll >= blocked / 2)
		tr->loop_work += work;
	return true;
}

/* Whether busy threads mostly in poll-type waits make an event loop: see the top. */
static bool tree_is_event_loop(const struct tree *tr, const struct connections *conns,
			       const struct thresholds *t)
{
	if (tr->loop_work < tr->b_work / 2)
		return false;
	/*
	 * A loop that waits on one connection at a time (curl fetching URLs
	 * one after the other) overlaps nothing: an I/O-bound event loop must
	 * juggle several, when connections were counted. A CPU-bound one is a
	 * loop whatever it serves.
	 */
	return !conns->tcp_counted || conns->peak_open >= EVENT_LOOP_MIN_CONNS ||
	       conns->accepted >= EVENT_LOOP_MIN_ACCEPTED || tr->io_fraction < t->io_bound_min;
}

static const char *tree_current_model(const struct tree *tr)
{
	/* before the processes: how the I/O is done says more (fio: a monitor and a job) */
	if (tr->async_io)
		return "async-io";
	if (tr->multiprocess)
		return "multiprocess";
	if (tr->event_loop)
		return "event-loop";
	if (tr->multithreaded)
		return "multithreaded";
	return "single-threaded";
}

/*
 * Whether th ran in [from, to): it spans the whole window (a main thread
 * that lives through every phase), or at least half its span lies in it, or
 * it spans at least half the window (a main thread that ends a moment
 * before the run does, as its wrapper or its parent still winds down).
 */
static bool thread_in_window(const struct thread_profile *th, __u64 wall, __u64 from, __u64 to)
{
	__u64 end = thread_end_ns(th, wall), start = th->start_ns;
	__u64 a = start > from ? start : from, b = end < to ? end : to;
	__u64 last = to < wall ? to : wall;

	if (end <= start)
		return start >= from && start < to;
	if (start <= from && end >= last)
		return true;
	return b > a && (2 * (b - a) >= end - start || (last > from && 2 * (b - a) >= last - from));
}

void tree_collect(const struct profile *p, const struct thresholds *t,
		  const struct runtime_pool *pool, struct tree *tr)
{
	tree_collect_window(p, t, pool, 0, ~0ULL, tr);
}

void tree_collect_window(const struct profile *p, const struct thresholds *t,
			 const struct runtime_pool *pool, __u64 from, __u64 to, struct tree *tr)
{
	double top_rate, worker_min = WORKER_MIN * busiest_cpu_io(p, t, &top_rate);
	double rate_min = WORKER_MIN * top_rate;
	struct span *spans;
	size_t nr_spans = 0;

	memset(tr, 0, sizeof(*tr));
	tr->wall = (double)p->duration_ns;
	tr->cpus = p->cpus > 0 ? p->cpus : 1;
	tr->cpython = !strcmp(p->runtime, "cpython");
	tr->nodejs = !strcmp(p->runtime, "nodejs");
	/* one pipe read by several threads in turn is one stream too */
	tr->stream_max = (double)p->pipe_stream_ns;

	/* without memory, any two processes with workers count as concurrent */
	spans = calloc(p->nr_processes ? p->nr_processes : 1, sizeof(*spans));

	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		struct span sp = { .start = ~0ULL, .end = 0 };
		struct span *brief = calloc(proc->nr_threads ? proc->nr_threads : 1, sizeof(*brief));
		size_t nr_workers = 0, nr_brief = 0;
		double proc_cpu = 0, brief_cpu_io = 0;

		for (size_t j = 0; j < proc->nr_threads; j++) {
			const struct thread_profile *th = &proc->threads[j];
			double cpu_io;

			if (!thread_in_window(th, p->duration_ns, from, to))
				continue;
			if (strncmp(th->comm, IO_WQ_COMM, strlen(IO_WQ_COMM)))
				tr->disk_wait += th->blocked_ns[CAUSE_DISK];
			if (th->stream_ns > tr->stream_max)
				tr->stream_max = th->stream_ns;
			if (!tree_add_thread(tr, th, p->duration_ns, t, pool_has_thread(pool, th->tid),
					     &cpu_io))
				continue;
			proc_cpu += th->cpu_ns;
			if (tr->nodejs && th->cpu_ns > tr->serial_cpu)
				tr->serial_cpu = th->cpu_ns;
			if (cpu_io < worker_min ||
			    cpu_io < rate_min * thread_life_ns(th, p->duration_ns)) {
				if (brief && thread_life_ns(th, p->duration_ns) < BRIEF_MAX * tr->wall) {
					brief[nr_brief++] = (struct span){
						th->start_ns, thread_end_ns(th, p->duration_ns)
					};
					brief_cpu_io += cpu_io;
				}
				continue;
			}
			nr_workers++;
			span_add(&sp, th->start_ns, thread_end_ns(th, p->duration_ns));
		}
		if (tr->cpython && proc_cpu > tr->serial_cpu)
			tr->serial_cpu = proc_cpu;
		/* a thread per request: brief threads that together do a worker's share */
		if (nr_brief > 1 && brief_cpu_io >= worker_min && spans_overlap(brief, nr_brief)) {
			nr_workers += 2;
			for (size_t k = 0; k < nr_brief; k++)
				span_add(&sp, brief[k].start, brief[k].end);
		}
		free(brief);
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

	tree_runq_external(tr, p);
	if (tr->b_cpu + tr->b_runq + tr->b_io > 0) {
		/* the busy threads' share of the runq other programs caused */
		double own = tr->runq_all > 0 ? 1 - tr->runq_external / tr->runq_all : 1;
		double runq = tr->b_runq * (own > 0 ? own : 0);

		tr->io_fraction = tr->b_io / (tr->b_cpu + runq + tr->b_io);
		tr->b_own_work = tr->b_cpu + runq + tr->b_io;
	}
	if (tr->cpython && tr->b_work + tr->gil_wait > 0)
		tr->gil_wait_share = tr->gil_wait / (tr->b_work + tr->gil_wait);
	if (tr->b_work > 0) {
		tr->lock_share = tr->lock_weighted / tr->b_work;
		tr->event_loop = tree_is_event_loop(tr, &p->conns, t);
	}
	if (tr->wall > 0) {
		/* waiting for CPUs other programs held is not the tree's work either */
		double own = tr->work > tr->runq_external ? tr->work - tr->runq_external : 0;

		tr->idle_share = own < tr->wall ? 1 - own / tr->wall : 0;
		tr->cpu_used = tr->b_cpu / tr->wall;
		tr->busy_threads = (tr->b_cpu + tr->b_io) / tr->wall;
	} else {
		tr->idle_share = 1;
	}

	{
		__u64 slots[MAX_SLOTS], max, longest;

		io_waits(p, slots, &max, &longest);
		tr->wait_p50_ns = hist_weighted_median(slots, MAX_SLOTS, max);
		tr->longest_wait = longest;
	}
	/*
	 * A program that keeps I/O requests in flight waits in short polls for
	 * the next completion: its requests' latency says how slow its I/O is
	 */
	for (int k = 0; k < NR_REQ_KINDS; k++) {
		double avg = p->duration_ns ? (double)p->requests[k].latency.total_ns /
						      p->duration_ns :
					      0;
		/*
		 * block requests come one per thread blocked on the disk from
		 * threads that read synchronously (fio's psync jobs, a pool):
		 * per such thread, not in all; an io_uring submission never
		 * blocks its thread, whatever its workers do
		 */
		double waiting = k == REQ_BLOCK && tr->wall > 0 ? tr->disk_wait / tr->wall : 0;
		double per = avg / (waiting > 1 ? waiting : 1);

		if (avg > tr->req_in_flight)
			tr->req_in_flight = avg;
		if (per > tr->req_per_waiter) {
			tr->req_per_waiter = per;
			if (per >= REQ_OVERLAP_MIN)
				tr->wait_p50_ns = hist_weighted_median(
					p->requests[k].latency.slots, MAX_SLOTS,
					p->requests[k].latency.max_ns);
		}
	}
	tr->async_io = tr->req_per_waiter >= REQ_OVERLAP_MIN;
	{
		for (int c = 0; c < NR_CAUSES; c++)
			if (CAUSE_IS_IO(c))
				tr->io_open += p->waits[c].open.total_ns;
		tr->io_open = tr->io_open > tr->io_parked ? tr->io_open - tr->io_parked : 0;
		if (tr->b_own_work > 0)
			tr->open_share = tr->io_open / tr->b_own_work;
		else
			tr->open_share = tr->io_parked > 0 ? 1 : 0;
	}
	tr->conns_counted = p->conns.tcp_counted;
	tr->peak_open = tr->conns_counted ? p->conns.peak_open : 0;
	tr->current_model = tree_current_model(tr);
}
