/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The measured drivers of the decision, summed over the threads of the tree
 * the ways the rules and the prose need them. How each one is measured is
 * described at the top of drivers.c. Internal to the decision: callers use
 * decide.h.
 */
#ifndef ADVISOR_DRIVERS_H
#define ADVISOR_DRIVERS_H

#include <stdbool.h>
#include <stddef.h>

#include "../probes/profile.h"
#include "pool.h"
#include "thresholds.h"

/*
 * Peak open connections that make a poll loop an event loop: one loopback
 * connection inside the tree is counted at both ends (2), so 3 means the loop
 * had at least two connections open at once.
 */
#define EVENT_LOOP_MIN_CONNS 3

/*
 * Accepted connections that make a poll loop an event loop, however few were
 * open at once: a server that accepted a second client kept its listening
 * socket in the loop beside the connection it served, so its loop waited on
 * several sources, while a client fetching one URL after the other (0) or a
 * one-shot server (1) waits on one thing at a time.
 */
#define EVENT_LOOP_MIN_ACCEPTED 2

/*
 * Average I/O requests in flight, per thread of the tree blocked on the disk
 * at once (at least 1), that make a program asynchronous already: one at a
 * time averages below 1 (the time between requests), two kept busy average
 * 2; four threads each reading synchronously keep four in flight and four
 * blocked, 1 each.
 */
#define REQ_OVERLAP_MIN 1.5

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
	double b_work; /* cpu + runq + io */
	double lock_weighted; /* sum of work x lock / (work + lock) */
	double loop_work; /* work of busy threads waiting mostly in poll */

	/* workers, for current_model */
	size_t nr_worker_procs;
	bool multithreaded;
	bool multiprocess;

	/*
	 * runq that the tree's own demand for CPUs does not explain: time its
	 * threads waited for a CPU that other programs held (see drivers.c)
	 */
	double runq_external;
	double runq_all; /* the timeline's runq, the base of runq_external */

	/* the drivers */
	double io_fraction;
	__u64 wait_p50_ns;
	bool conns_counted; /* false: peak_open was never measured */
	__u64 peak_open; /* 0 when not counted */
	double busy_threads; /* (cpu + io of busy threads) / wall */
	const char *current_model; /* "single-threaded", ..., static */

	double lock_share;
	double idle_share;
	/*
	 * External I/O wait in waits still open when the profile ended, and its
	 * share of the busy threads' cpu + own runq + io (b_own_work): waiting
	 * for work that never came. Of the work, not of the I/O wait: a CPU-bound
	 * server idle for its last second has little I/O wait, all of it open
	 */
	double io_open;
	double open_share;
	double b_own_work;
	/*
	 * The open waits of parked threads: a thread whose cpu + io is at least
	 * PARKED_MIN its one I/O wait still open at the end (a server's helper
	 * on a timeout longer than the run) waited for work, and is not busy;
	 * that wait is in neither io_open nor wait_p50. Alone (no busy thread)
	 * they make the tree idle: open_share is then 1.
	 */
	double io_parked;

	/*
	 * The critical path's parts, that no rewrite shortens (see decide.c):
	 * the busy CPU time one interpreter runs serially (CPython: the largest
	 * process's, under its GIL; Node.js: the busiest thread's, its loop; 0
	 * for native code), the longest single external I/O wait, and the
	 * longest chain of reads of one pipe (a thread's stream_ns, or the union
	 * of every thread's waits on one pipe: profile.pipe_stream_ns).
	 */
	double serial_cpu;
	double longest_wait;
	double stream_max;

	/*
	 * CPython: the lock (futex) waits of busy threads, which in CPython are
	 * for the GIL (handed over by a sibling, or its 5 ms wait timing out
	 * to ask for it), and their share of the busy threads' cpu + runq +
	 * io + those waits
	 */
	double gil_wait;
	double gil_wait_share;

	/*
	 * I/O requests in flight (profile.requests): the larger average number
	 * in flight of the kinds, and whether that makes the program
	 * asynchronous already (at least REQ_OVERLAP_MIN: requests overlap)
	 */
	double req_in_flight;
	/*
	 * the same per thread blocked on the disk (block requests; io_uring's
	 * per 1), which makes async_io: one request per blocked thread is
	 * synchronous I/O, however many threads
	 */
	double req_per_waiter;
	double disk_wait; /* disk waits of the threads, io_uring's workers left out */
	bool async_io;
	double cpu_used; /* busy cpu / wall: CPUs in use on average */
	bool event_loop;
};

/* Fills tr from p; t->busy_min says which threads were busy. */
void tree_collect(const struct profile *p, const struct thresholds *t,
		  const struct runtime_pool *pool, struct tree *tr);

/*
 * pool: the runtime's pool (pool.c), whose threads' waits for work are no
 * lock contention.
 *
 * As tree_collect(), over the threads that span all of [from, to) (ns from
 * the start of the run) or spent at least half their span in it: what a phase of the run
 * ran, for its current_model. The timeline's sums stay the run's.
 */
void tree_collect_window(const struct profile *p, const struct thresholds *t,
			 const struct runtime_pool *pool, __u64 from, __u64 to, struct tree *tr);

#endif /* ADVISOR_DRIVERS_H */
