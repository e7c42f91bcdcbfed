// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * callsites FIFO: known call sites for --stacks. One thread reads FIFO
 * (fed by slow_writer outside the tree) in read_fifo_lines(), another spins
 * in spin_until_done() until the reader is done. Ground truth: the line of
 * the blocking read(2) call, and the two functions' names.
 *
 * The Makefile builds it twice: as Debian builds packages (no frame
 * pointers) and with -fno-omit-frame-pointer (callsites-fp).
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "truth.h"

static atomic_int done;
static volatile unsigned long spins;

static __attribute__((noinline)) long read_fifo_lines(int fd)
{
	char buf[64];
	long total = 0, n;

	truth("read_line %d", __LINE__ + 1);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += n;
	return total;
}

static __attribute__((noinline)) void spin_until_done(void)
{
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		spins++;
}

static void *spinner(void *arg)
{
	spin_until_done();
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;
	long bytes;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: callsites FIFO\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	truth("read_function read_fifo_lines");
	truth("spin_function spin_until_done");
	if (pthread_create(&t, NULL, spinner, NULL))
		return 2;
	bytes = read_fifo_lines(fd);
	atomic_store(&done, 1);
	pthread_join(t, NULL);
	truth("bytes %ld", bytes);
	return 0;
}
