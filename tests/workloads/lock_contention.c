// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * lock_contention THREADS MS [HOLD_US]: THREADS threads take turns on one
 * mutex for MS ms, doing HOLD_US us of work inside it and little outside, so
 * most of their time is spent waiting for the lock. Ground truth on stdout:
 *   truth acquisitions N
 *   truth lock_wait_ns N       time spent in pthread_mutex_lock(), all threads
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long acquisitions, lock_wait_ns;
static uint64_t deadline;
static long hold_us = 200;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void burn_until(uint64_t t)
{
	volatile uint64_t x = 0;

	while (now_ns() < t)
		for (int i = 0; i < 500; i++)
			x += i * x + 1;
}

static void *worker(void *arg)
{
	(void)arg;
	while (now_ns() < deadline) {
		uint64_t t0 = now_ns(), t1;

		pthread_mutex_lock(&lock);
		t1 = now_ns();
		lock_wait_ns += t1 - t0;
		acquisitions++;
		burn_until(t1 + hold_us * 1000);
		pthread_mutex_unlock(&lock);
		/*
		 * a little work outside, so that a waiter can take the lock:
		 * longer than a woken waiter takes to run on a VM (a wakeup IPI
		 * is ~8 us there), or the unlocker takes the lock back every
		 * time and its siblings starve (README, "Known limits")
		 */
		burn_until(now_ns() + 50000);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 8;
	long ms = argc > 2 ? atol(argv[2]) : 1500;
	pthread_t *th = calloc(n, sizeof(*th));

	if (argc > 3)
		hold_us = atol(argv[3]);
	deadline = now_ns() + ms * 1000000ull;
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 2;
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	truth("acquisitions %llu", acquisitions);
	truth("lock_wait_ns %llu", lock_wait_ns);
	free(th);
	return 0;
}
