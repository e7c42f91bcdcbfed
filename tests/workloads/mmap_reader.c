// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * mmap_reader FILE MB: pages a file in by touching its mapping, one thread,
 * no syscall per page: what a program's loader does with its code. FILE is
 * made MB long and dropped from the page cache first, so every page comes
 * from the disk, the kernel's readahead keeping several requests in flight
 * on the program's behalf. The program itself overlaps nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "truth.h"

int main(int argc, char **argv)
{
	size_t mb = argc > 2 ? strtoul(argv[2], NULL, 10) : 64, len = mb << 20;
	char buf[1 << 16];
	volatile unsigned long sum = 0;
	unsigned char *m;
	int fd;

	if (argc != 3 || !mb) {
		fprintf(stderr, "usage: mmap_reader FILE MB\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	memset(buf, 0x5a, sizeof(buf));
	for (size_t done = 0; done < len; done += sizeof(buf))
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf)) {
			perror("write");
			return 1;
		}
	if (fsync(fd) || posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED)) {
		perror("fsync/fadvise");
		return 1;
	}
	m = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	truth("paging %zu", mb);
	for (size_t off = 0; off < len; off += 4096)
		sum += m[off];
	truth("paged %lu", sum & 1);
	munmap(m, len);
	close(fd);
	unlink(argv[1]);
	return 0;
}
