// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * echo_server (--fd N | --port P) [--delay-ms A[-B]] [--work-us W]: a
 * thread-per-connection server of 64-byte requests; each reply is the request,
 * sent after W us of CPU work and a sleep of A ms (or a random A..B ms). The
 * tests start it outside the profiled tree, on a listening socket they made
 * (--fd), and kill it with SIGTERM at the end.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MSG 64

static long delay_min_ms, delay_max_ms, work_us;

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void burn_us(long us)
{
	volatile uint64_t x = 0;
	uint64_t until = thread_cpu_ns() + us * 1000ull;

	while (thread_cpu_ns() < until)
		for (int i = 0; i < 2000; i++)
			x += i * x + 1;
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

static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg, one = 1;
	unsigned int seed = fd * 2654435761u;
	char buf[MSG];

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	while (!read_full(fd, buf, MSG)) {
		long ms = delay_min_ms;

		if (work_us)
			burn_us(work_us);
		if (delay_max_ms > delay_min_ms)
			ms += rand_r(&seed) % (delay_max_ms - delay_min_ms + 1);
		if (ms) {
			struct timespec req = { ms / 1000, (ms % 1000) * 1000000 };

			nanosleep(&req, NULL);
		}
		if (write(fd, buf, MSG) != MSG)
			break;
	}
	close(fd);
	return NULL;
}

int main(int argc, char **argv)
{
	int lfd = -1, one = 1;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--fd")) {
			lfd = atoi(argv[i + 1]);
		} else if (!strcmp(argv[i], "--port")) {
			struct sockaddr_in sa = { .sin_family = AF_INET };

			sa.sin_port = htons(atoi(argv[i + 1]));
			sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
			lfd = socket(AF_INET, SOCK_STREAM, 0);
			setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
			if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 512)) {
				perror("echo_server: listen");
				return 2;
			}
		} else if (!strcmp(argv[i], "--delay-ms")) {
			char *end;

			delay_min_ms = delay_max_ms = strtol(argv[i + 1], &end, 10);
			if (*end == '-')
				delay_max_ms = strtol(end + 1, NULL, 10);
		} else if (!strcmp(argv[i], "--work-us")) {
			work_us = atol(argv[i + 1]);
		}
	}
	if (lfd < 0) {
		fprintf(stderr, "usage: echo_server (--fd N | --port P) [--delay-ms A[-B]] "
				"[--work-us W]\n");
		return 2;
	}
	for (;;) {
		pthread_t th;
		pthread_attr_t attr;
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0)
			continue;
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		pthread_attr_setstacksize(&attr, 256 * 1024);
		if (pthread_create(&th, &attr, serve, (void *)(intptr_t)fd))
			close(fd);
		pthread_attr_destroy(&attr);
	}
}
