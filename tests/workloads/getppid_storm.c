// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * getppid_storm K: calls getppid() K times through syscall(2), so that no
 * libc caching can change the number. Ground truth on stdout:
 *   truth getppid_calls K
 *   truth elapsed_ns N
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
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
	long k = argc > 1 ? atol(argv[1]) : 100000;
	uint64_t t0 = now_ns();

	for (long i = 0; i < k; i++)
		syscall(SYS_getppid);
	t0 = now_ns() - t0;
	truth("getppid_calls %ld", k);
	truth("elapsed_ns %llu", (unsigned long long)t0);
	return 0;
}
