// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * handoff_then_fifo PATH: reads PATH (a FIFO that a slow writer outside the
 * tree feeds) line by line. For each line the main thread burns 1 ms of CPU
 * on a CPU it shares with a spinning sibling (so it is often preempted),
 * then takes a byte from a second sibling over a Unix socket (a net wait:
 * the FIFO's are the only ipc waits), then reads the FIFO. The second
 * sibling spins until asked, waits 0-4 us and writes: at times its wakeup
 * lands while the reader is between joining the socket's wait queue and
 * sleeping, finds it running, and ends a wait that never blocks. The FIFO
 * read that follows blocks until the outside writer writes: an external
 * wait, whatever woke the thread before. Ground truth:
 *   truth lines N        FIFO lines read
 *   truth fifo_wait_ns N FIFO reads that took over 100 us, summed: the ones
 *                        that waited for the writer (a reader that fell
 *                        behind it on a busy machine finds lines ready)
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static _Atomic int asked, done;
static int handoff[2];

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static unsigned long long cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Pins the calling thread to cpu; on a machine with one CPU nothing changes. */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *writer(void *arg)
{
	unsigned int seed = 1;

	(void)arg;
	pin(1);
	while (!atomic_load(&done)) {
		unsigned long long until;

		if (!atomic_exchange(&asked, 0))
			continue;
		until = now_ns() + rand_r(&seed) % 4000;
		while (now_ns() < until)
			;
		if (write(handoff[1], "x", 1) != 1)
			break;
	}
	return NULL;
}

static void *hog(void *arg)
{
	(void)arg;
	pin(0);
	while (!atomic_load(&done))
		;
	return NULL;
}

int main(int argc, char **argv)
{
	char line[64], c;
	unsigned long lines = 0;
	unsigned long long fifo_wait = 0;
	pthread_t w, h;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: handoff_then_fifo PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, handoff) ||
	    pthread_create(&w, NULL, writer, NULL) || pthread_create(&h, NULL, hog, NULL))
		return 2;
	pin(0);
	for (;;) {
		unsigned long long until = cpu_ns() + 1000000, t0;
		ssize_t n;

		while (cpu_ns() < until)
			;
		atomic_store(&asked, 1);
		if (read(handoff[0], &c, 1) != 1)
			return 2;
		t0 = now_ns();
		n = read(fd, line, sizeof(line));
		if (now_ns() - t0 > 100000)
			fifo_wait += now_ns() - t0;
		if (n <= 0)
			break;
		lines++;
	}
	atomic_store(&done, 1);
	pthread_join(w, NULL);
	pthread_join(h, NULL);
	truth("lines %lu", lines);
	truth("fifo_wait_ns %llu", fifo_wait);
	return 0;
}
