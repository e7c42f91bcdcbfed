// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * scale_threads N [BURN_US]: N threads (64 KiB stacks) that each burn
 * BURN_US us of CPU (default 500), then wait on a barrier until all N are
 * alive at once, then exit; the main thread joins them. Ground truth:
 *   truth threads N            threads created and joined
 *   truth rusage_cpu_ns N      getrusage(RUSAGE_SELF) after the joins
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static pthread_barrier_t all_alive;
static long burn_us = 500;

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void *worker(void *arg)
{
	volatile uint64_t x = 0;
	uint64_t until = thread_cpu_ns() + burn_us * 1000ull;

	(void)arg;
	while (thread_cpu_ns() < until)
		for (int i = 0; i < 2000; i++)
			x += i * x + 1;
	pthread_barrier_wait(&all_alive);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000;
	pthread_t *th = calloc(n, sizeof(*th));
	pthread_attr_t attr;
	struct rusage ru;
	long made = 0;

	if (argc > 2)
		burn_us = atol(argv[2]);
	if (!th || n < 1 || pthread_barrier_init(&all_alive, NULL, n + 1))
		return 2;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	for (; made < n; made++)
		if (pthread_create(&th[made], &attr, worker, NULL))
			break;
	if (made < n) {
		fprintf(stderr, "scale_threads: only %ld of %ld threads\n", made, n);
		return 2; /* the barrier would never open: the joins below are skipped */
	}
	pthread_barrier_wait(&all_alive);
	for (long i = 0; i < made; i++)
		pthread_join(th[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	truth("threads %ld", made);
	truth("rusage_cpu_ns %llu", (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
					(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull);
	free(th);
	return 0;
}
