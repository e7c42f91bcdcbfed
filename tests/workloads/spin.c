// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * spin NTHREADS CPU_MS: NTHREADS threads each burn CPU_MS ms of their own CPU
 * time (0 threads: the main thread burns it). Ground truth on stdout:
 *   truth thread TID CPU_NS RUNQ_NS   from schedstat, just before each thread exits
 *   truth rusage_cpu_ns N             getrusage(RUSAGE_SELF) after the joins
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define TRUTH_THREADS
#include "truth.h"

/*
 * /proc's schedstat prints se.sum_exec_runtime as it stands, which for a
 * running thread lags by up to a tick; reading the thread's CPU clock first
 * brings it up to date (task_sched_runtime() runs update_curr()).
 */
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static long cpu_ms;

static void burn(void)
{
	volatile uint64_t x = 0;
	uint64_t until = cpu_ms * 1000000ull;

	while (thread_cpu_ns() < until)
		for (int i = 0; i < 200000; i++)
			x += i * x + 1;
}

static void *worker(void *arg)
{
	(void)arg;
	truth_begin();
	burn();
	truth_thread();
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t *th = calloc(n > 0 ? n : 1, sizeof(*th));
	struct rusage ru;

	mark_main();
	cpu_ms = argc > 2 ? atol(argv[2]) : 500;
	if (n == 0)
		burn();
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 2;
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	truth("rusage_cpu_ns %llu",
	      (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull);
	truth("threads %d", n);
	truth_thread();
	free(th);
	return 0;
}
