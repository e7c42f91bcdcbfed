// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * sleeper COUNT MS: one thread (the only one) sleeps COUNT times for MS ms
 * with nanosleep(). Ground truth on stdout:
 *   truth sleep_count N
 *   truth sleep_total_ns N      the sum of each call's CLOCK_MONOTONIC span
 *   truth sleep_loop_cpu_ns N   schedstat on-CPU time over the loop
 *   truth sleep_loop_runq_ns N  schedstat run delay over the loop (the
 *                               wakeup latencies the spans include)
 *   truth thread TID CPU_NS RUNQ_NS
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

/*
 * /proc's schedstat prints se.sum_exec_runtime as it stands, which for a
 * running thread lags by up to a tick; reading the thread's CPU clock first
 * brings it up to date (task_sched_runtime() runs update_curr()).
 */
static void schedstat(unsigned long long *cpu, unsigned long long *runq)
{
	char path[64], buf[128];
	struct timespec ts;
	FILE *f;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f) || sscanf(buf, "%llu %llu", cpu, runq) != 2)
		_exit(3);
	fclose(f);
}

/* The main thread's truth adds the schedstat main() started with: the
 * values before it include the profiler's fork, partly unseen by the probes. */
static void truth_thread(unsigned long long cpu0, unsigned long long runq0)
{
	unsigned long long cpu, runq;

	schedstat(&cpu, &runq);
	truth("thread %ld %llu %llu %llu %llu", (long)syscall(SYS_gettid), cpu, runq, cpu0, runq0);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	int count = argc > 1 ? atoi(argv[1]) : 200;
	long ms = argc > 2 ? atol(argv[2]) : 5;
	struct timespec req = { ms / 1000, (ms % 1000) * 1000000 };
	unsigned long long start_cpu, start_runq, cpu0, runq0, cpu1, runq1;
	uint64_t total = 0, born = now_ns();

	schedstat(&start_cpu, &start_runq);
	schedstat(&cpu0, &runq0);
	for (int i = 0; i < count; i++) {
		uint64_t t0 = now_ns();

		nanosleep(&req, NULL);
		total += now_ns() - t0;
	}
	schedstat(&cpu1, &runq1);
	truth("sleep_count %d", count);
	truth("sleep_total_ns %llu", (unsigned long long)total);
	truth("sleep_loop_cpu_ns %llu", cpu1 - cpu0);
	truth("sleep_loop_runq_ns %llu", runq1 - runq0);
	/* how old main() is at its truth: what follows (the exit) is bounded by the test */
	truth("age %ld %llu", (long)syscall(SYS_gettid), (unsigned long long)(now_ns() - born));
	truth_thread(start_cpu, start_runq);
	return 0;
}
