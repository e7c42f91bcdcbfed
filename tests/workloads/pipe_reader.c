// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pipe_reader PATH: opens the FIFO at PATH and reads it until end of file;
 * the writer is whoever the caller arranged (tests: a slow_writer outside the
 * profiled tree). Ground truth on stdout:
 *   truth bytes N
 *   truth reads N              read() calls that returned data
 *   truth read_wait_ns N       time spent inside read()
 */
#include <fcntl.h>
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

int main(int argc, char **argv)
{
	char buf[4096];
	unsigned long long bytes = 0, reads = 0, wait = 0;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: pipe_reader PATH\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	for (;;) {
		uint64_t t0 = now_ns();
		ssize_t n = read(fd, buf, sizeof(buf));

		wait += now_ns() - t0;
		if (n < 0) {
			perror("read");
			return 2;
		}
		if (n == 0)
			break;
		bytes += n;
		reads++;
	}
	truth("bytes %llu", bytes);
	truth("reads %llu", reads);
	truth("read_wait_ns %llu", wait);
	return 0;
}
