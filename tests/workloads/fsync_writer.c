// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fsync_writer PATH COUNT: appends COUNT blocks of 4 KiB to PATH, each
 * followed by fsync(), then removes PATH. Ground truth on stdout:
 *   truth fsync_count N
 *   truth fsync_total_ns N     time spent inside fsync()
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
	const char *path = argc > 1 ? argv[1] : "/var/tmp/advisor-fsync.dat";
	int count = argc > 2 ? atoi(argv[2]) : 200;
	char block[4096];
	uint64_t total = 0;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		return 2;
	}
	for (int i = 0; i < count; i++) {
		uint64_t t0;

		memset(block, 'a' + i % 26, sizeof(block));
		if (write(fd, block, sizeof(block)) != sizeof(block)) {
			perror("write");
			return 2;
		}
		t0 = now_ns();
		if (fsync(fd)) {
			perror("fsync");
			return 2;
		}
		total += now_ns() - t0;
	}
	close(fd);
	unlink(path);
	truth("fsync_count %d", count);
	truth("fsync_total_ns %llu", (unsigned long long)total);
	return 0;
}
