// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * scale_conns N [--distinct]: N loopback TCP connections, all open at once,
 * then all closed. Both ends live in the tree: W worker processes (as many as
 * the fd limit needs: each holds 2N/W sockets, and the hard limit cannot be
 * raised without CAP_SYS_RESOURCE) each listen on 127.0.0.1 and connect to
 * and accept from themselves. With --distinct each client binds its own
 * source address 127.1.x.y, so the listeners see N distinct peers. Ground
 * truth:
 *   truth workers W         worker processes (distinct listeners)
 *   truth connected N       connect() calls that succeeded
 *   truth accepted N        accept() calls that succeeded
 *   truth open_at_once N    sockets open together (both ends)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "truth.h"

/* One worker: conns [first, first + n) against its own listener. */
static int worker(long first, long n, int distinct, int ready_fd, int go_fd)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	long counts[2] = {0, 0};
	int *fds = calloc(2 * n + 1, sizeof(*fds));
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	char c;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (!fds || lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 512) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		perror("scale_conns: listen");
		return 2;
	}
	/* one connect then one accept: the backlog never fills */
	for (long i = 0; i < n; i++) {
		int cfd = socket(AF_INET, SOCK_STREAM, 0), afd;

		if (cfd < 0) {
			perror("scale_conns: socket");
			return 2;
		}
		if (distinct) {
			struct sockaddr_in src = {.sin_family = AF_INET};

			src.sin_addr.s_addr = htonl(0x7f010000u | (uint32_t)(first + i + 1));
			if (bind(cfd, (struct sockaddr *)&src, sizeof(src))) {
				perror("scale_conns: bind");
				return 2;
			}
		}
		if (connect(cfd, (struct sockaddr *)&sa, sizeof(sa))) {
			perror("scale_conns: connect");
			return 2;
		}
		counts[0]++;
		afd = accept(lfd, NULL, NULL);
		if (afd < 0) {
			perror("scale_conns: accept");
			return 2;
		}
		counts[1]++;
		fds[2 * i] = cfd;
		fds[2 * i + 1] = afd;
	}
	/* tell the parent, and hold everything open until every worker has */
	if (write(ready_fd, counts, sizeof(counts)) != sizeof(counts))
		return 2;
	close(ready_fd); /* a worker that failed leaves the parent an EOF, not a hang */
	if (read(go_fd, &c, 1) < 0)
		return 2;
	for (long i = 0; i < 2 * n; i++)
		close(fds[i]);
	close(lfd);
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;
	int distinct = argc > 2 && !strcmp(argv[2], "--distinct");
	long connected = 0, accepted = 0, per, workers;
	int ready[2], go[2], status, failed = 0;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_max < 256 || n < 1)
		return 2;
	/* raise the soft limit as far as the hard one goes */
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	getrlimit(RLIMIT_NOFILE, &rl);
	per = ((long)rl.rlim_cur - 64) / 2;
	if (per > n)
		per = n;
	workers = (n + per - 1) / per;
	if (pipe(ready) || pipe(go))
		return 2;
	for (long w = 0; w < workers; w++) {
		long first = w * per, count = first + per > n ? n - first : per;
		pid_t pid = fork();

		if (pid < 0)
			return 2;
		if (pid == 0) {
			close(ready[0]);
			close(go[1]);
			_exit(worker(first, count, distinct, ready[1], go[0]));
		}
	}
	close(ready[1]);
	close(go[0]);
	for (long w = 0; w < workers; w++) {
		long counts[2];

		if (read(ready[0], counts, sizeof(counts)) != sizeof(counts)) {
			failed = 1;
			break;
		}
		connected += counts[0];
		accepted += counts[1];
	}
	close(go[1]); /* EOF: every worker closes its sockets */
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	if (failed)
		return 2;
	truth("workers %ld", workers);
	truth("connected %ld", connected);
	truth("accepted %ld", accepted);
	truth("open_at_once %ld", connected + accepted);
	return 0;
}
