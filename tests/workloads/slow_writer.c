// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * slow_writer PATH COUNT GAP_MS: opens PATH for writing (a FIFO: this waits
 * for the reader), writes COUNT lines of 64 bytes, GAP_MS ms apart, closes.
 * The tests run it outside the profiled tree as the slow producer.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int count = argc > 2 ? atoi(argv[2]) : 100;
	long gap = argc > 3 ? atol(argv[3]) : 10;
	struct timespec req = { gap / 1000, (gap % 1000) * 1000000 };
	char line[64];
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: slow_writer PATH [COUNT] [GAP_MS]\n");
		return 2;
	}
	fd = open(argv[1], O_WRONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	memset(line, 'w', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	for (int i = 0; i < count; i++) {
		nanosleep(&req, NULL);
		if (write(fd, line, sizeof(line)) != sizeof(line)) {
			perror("write");
			return 2;
		}
	}
	close(fd);
	return 0;
}
