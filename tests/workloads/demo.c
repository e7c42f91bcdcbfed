// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * demo [SECONDS]: the program `make demo` profiles. A single-threaded batch
 * job: it checksums chunks of generated data (CPU) and appends a line per
 * chunk to a log file under /var/tmp (a little disk), for about SECONDS
 * seconds. Expected verdict: CPU-bound, single-threaded, so multiprocessing.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 2.0;
	uint64_t end = now_ns() + (uint64_t)(seconds * 1e9), s = 88172645463325252ull;
	static uint64_t chunk[1 << 16];
	char path[64], line[96];
	unsigned long chunks = 0;
	int fd;

	snprintf(path, sizeof(path), "/var/tmp/advisor-demo.%d.log", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(path);
		return 1;
	}
	while (now_ns() < end) {
		uint64_t h = 0xcbf29ce484222325ull;
		int len;

		for (size_t i = 0; i < sizeof(chunk) / sizeof(chunk[0]); i++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			chunk[i] = s;
		}
		for (int r = 0; r < 8; r++)
			for (size_t i = 0; i < sizeof(chunk) / sizeof(chunk[0]); i++) {
				h ^= chunk[i] + r;
				h *= 0x100000001b3ull;
			}
		len = snprintf(line, sizeof(line), "chunk %lu checksum %016llx\n", chunks++,
			       (unsigned long long)h);
		if (write(fd, line, len) != len)
			break;
		if (chunks % 64 == 0)
			fdatasync(fd);
	}
	close(fd);
	unlink(path);
	printf("demo: checksummed %lu chunks of 512 KiB\n", chunks);
	return 0;
}
