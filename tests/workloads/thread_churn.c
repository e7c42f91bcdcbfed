// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * thread_churn N SECONDS: keeps N short-lived threads alive for SECONDS
 * (until killed when longer than the run): each sleeps 0-2 ms and exits, and
 * a new one takes its place. At any instant threads are dying, so a reader
 * of the profiler's maps at the end of a `--duration` run finds threads
 * exiting under it. Ground truth:
 *   truth created N            threads created (printed at the end only)
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static sem_t slots;

static void *worker(void *arg)
{
	unsigned int seed = (unsigned int)(unsigned long)arg;

	usleep(rand_r(&seed) % 2000);
	sem_post(&slots);
	return NULL;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 300;
	double secs = argc > 2 ? atof(argv[2]) : 2;
	pthread_attr_t attr;
	struct timespec t0, t;
	unsigned long created = 0;

	if (n < 1 || sem_init(&slots, 0, n))
		return 2;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 << 10);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		pthread_t th;

		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
		sem_wait(&slots);
		if (pthread_create(&th, &attr, worker, (void *)created))
			sem_post(&slots);
		else
			created++;
	}
	/* the last ones finish before the process ends */
	for (long i = 0; i < n; i++)
		sem_wait(&slots);
	truth("created %lu", created);
	return 0;
}
