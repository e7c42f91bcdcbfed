// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * scale_steady SECONDS [CHILD_MS]: a long, steady mix for memory tests. For
 * SECONDS seconds, with a fixed set of threads:
 *   2 threads burn 5 ms of CPU then sleep 5 ms, over and over;
 *   2 threads ping-pong a byte over a pipe, sleeping 1 ms per round trip;
 *   2 threads take turns on a mutex, holding it for 0.5 ms of CPU;
 *   2 threads send and receive a byte over loopback TCP every 2 ms;
 * and the main thread forks a child every CHILD_MS ms (default 1000; 0 for
 * none) that burns 2 ms and exits. Ground truth:
 *   truth children N    children forked and reaped
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static uint64_t end_ns;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int ping[2], pong[2], tcp[2];

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int done(void)
{
	return clock_ns(CLOCK_MONOTONIC) >= end_ns;
}

static void burn_us(long us)
{
	volatile uint64_t x = 0;
	uint64_t until = clock_ns(CLOCK_THREAD_CPUTIME_ID) + us * 1000ull;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < until)
		for (int i = 0; i < 2000; i++)
			x += i * x + 1;
}

static void sleep_us(long us)
{
	struct timespec req = {us / 1000000, (us % 1000000) * 1000};

	nanosleep(&req, NULL);
}

static void *bursty(void *arg)
{
	(void)arg;
	while (!done()) {
		burn_us(5000);
		sleep_us(5000);
	}
	return NULL;
}

/* The pinger decides when to stop and closes its end; the ponger sees EOF. */
static void *pinger(void *arg)
{
	char c = 'x';

	(void)arg;
	while (!done()) {
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			break;
		sleep_us(1000);
	}
	close(ping[1]);
	return NULL;
}

static void *ponger(void *arg)
{
	char c;

	(void)arg;
	while (read(ping[0], &c, 1) == 1)
		if (write(pong[1], &c, 1) != 1)
			break;
	return NULL;
}

static void *locker(void *arg)
{
	(void)arg;
	while (!done()) {
		pthread_mutex_lock(&lock);
		burn_us(500);
		pthread_mutex_unlock(&lock);
		sleep_us(100);
	}
	return NULL;
}

static void *sender(void *arg)
{
	char c = 'y';

	(void)arg;
	while (!done()) {
		if (send(tcp[0], &c, 1, 0) != 1)
			break;
		sleep_us(2000);
	}
	shutdown(tcp[0], SHUT_WR);
	return NULL;
}

static void *receiver(void *arg)
{
	char c;

	(void)arg;
	while (recv(tcp[1], &c, 1, 0) == 1)
		;
	return NULL;
}

static int tcp_pair(int fds[2])
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&sa, &len))
		return -1;
	fds[0] = socket(AF_INET, SOCK_STREAM, 0);
	if (fds[0] < 0 || connect(fds[0], (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	fds[1] = accept(l, NULL, NULL);
	close(l);
	return fds[1] < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	void *(*const fns[])(void *) = {bursty, bursty, pinger, ponger,
					locker, locker, sender, receiver};
	long seconds = argc > 1 ? atol(argv[1]) : 60;
	long child_ms = argc > 2 ? atol(argv[2]) : 1000;
	pthread_t th[sizeof(fns) / sizeof(fns[0])];
	long children = 0;
	uint64_t next_child;

	end_ns = clock_ns(CLOCK_MONOTONIC) + seconds * 1000000000ull;
	if (pipe(ping) || pipe(pong) || tcp_pair(tcp))
		return 2;
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (pthread_create(&th[i], NULL, fns[i], NULL))
			return 2;
	next_child = clock_ns(CLOCK_MONOTONIC);
	while (!done()) {
		if (child_ms > 0 && clock_ns(CLOCK_MONOTONIC) >= next_child) {
			pid_t pid = fork();

			if (pid == 0) {
				burn_us(2000);
				_exit(0);
			}
			if (pid > 0 && waitpid(pid, NULL, 0) == pid)
				children++;
			next_child += child_ms * 1000000ull;
		}
		sleep_us(10000);
	}
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		pthread_join(th[i], NULL);
	truth("children %ld", children);
	return 0;
}
