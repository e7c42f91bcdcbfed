// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * disk_io DIR NFILES ROUNDS [KIB]: writes NFILES files of KIB KiB (64) under DIR, each with
 * fsync(), then ROUNDS times reads every one back from the disk itself
 * (O_DIRECT, so not from the page cache), then removes them. Single-threaded
 * storage-bound work. Ground truth on stdout:
 *   truth files N
 *   truth disk_reads N
 *   truth fsync_total_ns N
 *   truth read_total_ns N
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static size_t block = 64 * 1024;
#define BLOCK block

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	const char *base = argc > 1 ? argv[1] : "/var/tmp";
	int nfiles = argc > 2 ? atoi(argv[2]) : 400;
	int rounds = argc > 3 ? atoi(argv[3]) : 10;
	uint64_t fsync_ns = 0, read_ns = 0, reads = 0;
	char dir[256], path[300];
	void *buf;

	if (argc > 4 && atoi(argv[4]) > 0)
		block = (size_t)atoi(argv[4]) * 1024;

	snprintf(dir, sizeof(dir), "%s/advisor-disk-io.%d", base, getpid());
	if (mkdir(dir, 0700)) {
		perror(dir);
		return 2;
	}
	if (posix_memalign(&buf, BLOCK, BLOCK))
		return 2;
	for (int i = 0; i < nfiles; i++) {
		uint64_t t0;
		int fd;

		snprintf(path, sizeof(path), "%s/f%04d", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		memset(buf, 'a' + i % 26, BLOCK);
		if (fd < 0 || write(fd, buf, BLOCK) != BLOCK) {
			perror(path);
			return 2;
		}
		t0 = now_ns();
		fsync(fd);
		fsync_ns += now_ns() - t0;
		close(fd);
	}
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < nfiles; i++) {
			uint64_t t0;
			int fd;

			snprintf(path, sizeof(path), "%s/f%04d", dir, i);
			/* O_DIRECT: the page cache must not answer */
			fd = open(path, O_RDONLY | O_DIRECT);
			t0 = now_ns();
			if (fd < 0 || pread(fd, buf, BLOCK, 0) != BLOCK) {
				perror(path);
				return 2;
			}
			read_ns += now_ns() - t0;
			reads++;
			close(fd);
		}
	}
	for (int i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s/f%04d", dir, i);
		unlink(path);
	}
	rmdir(dir);
	truth("files %d", nfiles);
	truth("disk_reads %llu", (unsigned long long)reads);
	truth("fsync_total_ns %llu", (unsigned long long)fsync_ns);
	truth("read_total_ns %llu", (unsigned long long)read_ns);
	return 0;
}
