// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * epoll_reader PORT: listens on 127.0.0.1:PORT, accepts one connection and
 * reads it through epoll_wait() until the peer closes it. The tests feed it
 * from outside the profiled tree (tcp_feeder). Ground truth on stdout:
 *   truth bytes N
 *   truth epoll_waits N        epoll_wait() calls
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "truth.h"

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long long bytes = 0, waits = 0;
	struct epoll_event ev = { .events = EPOLLIN };
	int one = 1, lfd, cfd, ep;
	char buf[4096];

	if (argc < 2) {
		fprintf(stderr, "usage: epoll_reader PORT\n");
		return 2;
	}
	sa.sin_port = htons(atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 4)) {
		perror("bind");
		return 2;
	}
	cfd = accept(lfd, NULL, NULL);
	if (cfd < 0) {
		perror("accept");
		return 2;
	}
	fcntl(cfd, F_SETFL, O_NONBLOCK);
	ep = epoll_create1(0);
	ev.data.fd = cfd;
	epoll_ctl(ep, EPOLL_CTL_ADD, cfd, &ev);
	for (;;) {
		struct epoll_event out;
		ssize_t n;

		waits++;
		if (epoll_wait(ep, &out, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("epoll_wait");
			return 2;
		}
		while ((n = read(cfd, buf, sizeof(buf))) > 0)
			bytes += n;
		if (n == 0)
			break;
		if (errno != EAGAIN) {
			perror("read");
			return 2;
		}
	}
	truth("bytes %llu", bytes);
	truth("epoll_waits %llu", waits);
	return 0;
}
