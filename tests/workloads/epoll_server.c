// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * epoll_server --port P --duration-ms D [--work-us W]: a single-threaded
 * epoll event loop serving 64-byte requests on 127.0.0.1:P, each answered
 * after W us of CPU work; after D ms it closes everything and exits. The
 * tests drive it with rr_client from outside the profiled tree. Ground truth
 * on stdout:
 *   truth requests N
 *   truth accepted N
 *   truth epoll_waits N
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

#define MSG 64
#define MAX_FDS 4096

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

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

/* bytes of a partial request per connection */
static unsigned char pending[MAX_FDS];

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long long served = 0, accepted = 0, waits = 0;
	long duration_ms = 1000, work_us = 0;
	int port = 0, one = 1, lfd, ep;
	struct epoll_event ev;
	uint64_t deadline;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--port"))
			port = atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--duration-ms"))
			duration_ms = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--work-us"))
			work_us = atol(argv[i + 1]);
	}
	if (!port) {
		fprintf(stderr, "usage: epoll_server --port P [--duration-ms D] [--work-us W]\n");
		return 2;
	}
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 512)) {
		perror("epoll_server: listen");
		return 2;
	}
	ep = epoll_create1(0);
	ev.events = EPOLLIN;
	ev.data.fd = lfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	deadline = now_ns() + duration_ms * 1000000ull;
	for (;;) {
		struct epoll_event out[64];
		uint64_t now = now_ns();
		int n;

		if (now >= deadline)
			break;
		waits++;
		n = epoll_wait(ep, out, 64, (deadline - now) / 1000000 + 1);
		if (n < 0 && errno != EINTR) {
			perror("epoll_wait");
			return 2;
		}
		for (int i = 0; i < n; i++) {
			int fd = out[i].data.fd;

			if (fd == lfd) {
				int cfd;

				while ((cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
					if (cfd >= MAX_FDS) {
						close(cfd);
						continue;
					}
					setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					ev.events = EPOLLIN;
					ev.data.fd = cfd;
					epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev);
					pending[cfd] = 0;
					accepted++;
				}
				continue;
			}
			for (;;) {
				char buf[4096];
				ssize_t got = read(fd, buf, sizeof(buf));
				int whole;

				if (got == 0 || (got < 0 && errno != EAGAIN)) {
					close(fd);
					break;
				}
				if (got < 0)
					break;
				whole = (pending[fd] + got) / MSG;
				pending[fd] = (pending[fd] + got) % MSG;
				for (int k = 0; k < whole; k++) {
					if (work_us)
						burn_us(work_us);
					memset(buf, 's', MSG);
					if (write(fd, buf, MSG) != MSG)
						break;
					served++;
				}
			}
		}
	}
	truth("requests %llu", served);
	truth("accepted %llu", accepted);
	truth("epoll_waits %llu", waits);
	return 0;
}
