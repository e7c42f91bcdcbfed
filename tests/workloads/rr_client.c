// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * rr_client --port P [--conns C] [--threads T] [--requests R]
 *           [--duration-ms D] [--gap-ms G]
 * A request/response client of 64-byte messages over loopback TCP. T threads
 * share C connections (C >= T); all C are open at once before the first
 * request. Each thread sends to its connections in turn and waits for every
 * reply, until it has made R requests or D ms have passed, sleeping G ms
 * between requests. Connecting retries for up to 10 s; a connection the
 * server closes ends its thread quietly. Ground truth on stdout:
 *   truth requests N
 *   truth connections N
 *   truth wait_total_ns N      time between sending a request and its reply
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

#define MSG 64

static struct sockaddr_in server = { .sin_family = AF_INET };
static int nconns = 1, nthreads = 1;
static long requests = 0, duration_ms = 0, gap_ms = 0;
static uint64_t deadline_ns;
static pthread_barrier_t all_connected;
static pthread_mutex_t totals_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long long total_requests, total_wait_ns, total_conns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int connect_retry(void)
{
	struct timespec retry = { 0, 5000000 };
	int one = 1;

	for (int i = 0; i < 2000; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);

		if (!connect(fd, (struct sockaddr *)&server, sizeof(server))) {
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
			return fd;
		}
		close(fd);
		nanosleep(&retry, NULL);
	}
	return -1;
}

static int read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n <= 0)
			return -1;
		got += n;
	}
	return 0;
}

static void *client(void *arg)
{
	long idx = (long)arg;
	int mine = nconns / nthreads + (idx < nconns % nthreads);
	int *fds = calloc(mine, sizeof(*fds));
	unsigned long long done = 0, wait_ns = 0;
	struct timespec gap = { gap_ms / 1000, (gap_ms % 1000) * 1000000 };
	int open = 0, alive;
	char msg[MSG];

	for (int i = 0; i < mine; i++) {
		fds[i] = connect_retry();
		if (fds[i] >= 0)
			open++;
	}
	pthread_barrier_wait(&all_connected);
	memset(msg, 'r', sizeof(msg));
	alive = open;
	for (int i = 0; alive > 0; i = (i + 1) % mine) {
		uint64_t t0;

		if (fds[i] < 0)
			continue;
		if ((requests && done >= (unsigned long long)requests) ||
		    (deadline_ns && now_ns() >= deadline_ns))
			break;
		if (gap_ms && done)
			nanosleep(&gap, NULL);
		t0 = now_ns();
		if (write(fds[i], msg, MSG) != MSG || read_full(fds[i], msg, MSG)) {
			close(fds[i]);
			fds[i] = -1;
			alive--;
			continue;
		}
		wait_ns += now_ns() - t0;
		done++;
	}
	for (int i = 0; i < mine; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(fds);
	pthread_mutex_lock(&totals_lock);
	total_requests += done;
	total_wait_ns += wait_ns;
	total_conns += open;
	pthread_mutex_unlock(&totals_lock);
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t *th;
	int port = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--conns"))
			nconns = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--threads"))
			nthreads = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--requests"))
			requests = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--duration-ms"))
			duration_ms = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--gap-ms"))
			gap_ms = atol(argv[i + 1]);
	}
	if (!port || nthreads < 1 || nconns < nthreads || (!requests && !duration_ms)) {
		fprintf(stderr, "usage: rr_client --port P [--conns C] [--threads T] "
				"[--requests R] [--duration-ms D] [--gap-ms G]\n");
		return 2;
	}
	server.sin_port = htons(port);
	server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (duration_ms)
		deadline_ns = now_ns() + duration_ms * 1000000ull;
	th = calloc(nthreads, sizeof(*th));
	pthread_barrier_init(&all_connected, NULL, nthreads);
	for (long i = 0; i < nthreads; i++) {
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		if (pthread_create(&th[i], &attr, client, (void *)i))
			return 2;
		pthread_attr_destroy(&attr);
	}
	for (int i = 0; i < nthreads; i++)
		pthread_join(th[i], NULL);
	truth("requests %llu", total_requests);
	truth("connections %llu", total_conns);
	truth("wait_total_ns %llu", total_wait_ns);
	free(th);
	return total_conns == (unsigned long long)nconns ? 0 : 1;
}
