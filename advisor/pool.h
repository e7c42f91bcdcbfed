/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The runtime's own pool against its size: the knob to turn when the work
 * waits for the runtime rather than for the program (libuv's thread pool in
 * Node.js, GOMAXPROCS in Go). Measured at the top of pool.c. Internal to the
 * decision: callers read verdict.pool (decide.h).
 */
#ifndef ADVISOR_POOL_H
#define ADVISOR_POOL_H

#include <stdbool.h>
#include <sys/types.h>

#include "../probes/profile.h"

/*
 * Pool threads busy at once, as a share of the pool's size, that make it
 * saturated: see pool.c
 */
#define POOL_SATURATED_MIN 0.8
#define GOMAXPROCS_SATURATED_MIN 0.9
#define POOL_TIDS_MAX 1024

enum pool_kind {
	POOL_NONE, /* no runtime pool was measured: null in the report */
	POOL_LIBUV, /* Node.js: libuv's thread pool (fs, dns, crypto, zlib) */
	POOL_GOMAXPROCS, /* Go: the threads that run Go code at once */
	NR_POOL_KINDS,
};

/* How the pool was found: its threads (libuv) or its size (Go). */
enum pool_found_by {
	POOL_BY_NAME, /* threads named libuv-worker (libuv 1.50 and later) */
	POOL_BY_BATCH, /* the batch of UV_THREADPOOL_SIZE threads started together */
	POOL_BY_ENV, /* GOMAXPROCS from the environment */
	POOL_BY_CPUS, /* GOMAXPROCS unset: Go's default, the CPUs */
	NR_POOL_FOUND_BY,
};

struct runtime_pool {
	enum pool_kind kind;
	enum pool_found_by found_by;
	int size; /* threads the pool runs at once */
	int knob_value; /* the knob's value in the environment; -1 unset or unknown */
	int cpus;
	double busy_avg; /* threads busy at once, on average over the pool's life */
	double cpu_share; /* the part of that busy time on CPU or runnable */
	bool saturated; /* busy_avg >= *_SATURATED_MIN x size */
	bool raise; /* a larger knob would let more run at once on these CPUs */
	/*
	 * libuv: the pool's threads (libuv caps the pool at 1024). Their futex
	 * waits are waits for work, not lock contention: the drivers leave them
	 * out of lock_share
	 */
	size_t nr_tids;
	pid_t tids[POOL_TIDS_MAX];
};

/* Whether tid is one of rp's libuv pool threads. */
bool pool_has_thread(const struct runtime_pool *rp, pid_t tid);

/* Indexed by enum pool_kind and enum pool_found_by; "" for POOL_NONE. */
extern const char *const pool_names[NR_POOL_KINDS]; /* "libuv", "GOMAXPROCS" */
extern const char *const pool_knobs[NR_POOL_KINDS]; /* "UV_THREADPOOL_SIZE", "GOMAXPROCS" */
extern const char *const pool_runtimes[NR_POOL_KINDS]; /* "nodejs", "go" */
extern const char *const pool_found_by_names[NR_POOL_FOUND_BY];

/* Fills out from p (kind POOL_NONE when its runtime has no pool, or none was seen). */
void pool_measure(const struct profile *p, struct runtime_pool *out);

#endif /* ADVISOR_POOL_H */
