// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe_reader PATH [THREADS [WORK_MS]]: opens the FIFO at PATH and reads it
 * until end of file; the writer is whoever the caller arranged (tests: a
 * slow_writer outside the profiled tree). With THREADS, that many threads
 * read it in turn, one at a time under a lock (a pool serialised on its
 * input), each then spending WORK_MS (default 1) on CPU per read. Ground
 * truth on stdout:
 *   truth bytes N
 *   truth reads N              read() calls that returned data
 *   truth read_wait_ns N       time spent inside read()
 *   truth first_read_wait_ns N the part of it until the first read's data
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int fd;
static unsigned work_ms = 1;
static pthread_mutex_t turn = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long bytes, reads, wait, first_wait;

static void spin_ms(unsigned ms)
{
	uint64_t end = now_ns() + ms * 1000000ull;

	while (now_ns() < end)
		;
}

/* reads until end of file; pooled: one reader at a time, then 1 ms of work */
static void *reader(void *pooled)
{
	char buf[4096];

	for (;;) {
		uint64_t t0;
		ssize_t n;

		pthread_mutex_lock(&turn);
		t0 = now_ns();
		n = read(fd, buf, sizeof(buf));
		if (!reads && n > 0)
			first_wait = wait + now_ns() - t0;
		wait += now_ns() - t0;
		if (n > 0) {
			bytes += n;
			reads++;
		}
		pthread_mutex_unlock(&turn);
		if (n < 0) {
			perror("read");
			exit(2);
		}
		if (n == 0)
			return NULL;
		if (pooled)
			spin_ms(work_ms);
	}
}

int main(int argc, char **argv)
{
	int nthreads = argc > 2 ? atoi(argv[2]) : 0;
	pthread_t th[64];

	if (argc > 3)
		work_ms = atoi(argv[3]);
	if (argc < 2 || nthreads < 0 || nthreads > 64) {
		fprintf(stderr, "usage: pipe_reader PATH [THREADS (1-64) [WORK_MS]]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (!nthreads) {
		reader(NULL);
	} else {
		for (int i = 0; i < nthreads; i++)
			if (pthread_create(&th[i], NULL, reader, (void *)1)) {
				fprintf(stderr, "pthread_create failed\n");
				return 2;
			}
		for (int i = 0; i < nthreads; i++)
			pthread_join(th[i], NULL);
	}
	truth("bytes %llu", bytes);
	truth("reads %llu", reads);
	truth("read_wait_ns %llu", wait);
	truth("first_read_wait_ns %llu", first_wait);
	return 0;
}
