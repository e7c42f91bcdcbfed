// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * storm MODE N: the benchmark's timed storms. The parent times its own loop,
 * so a profiler's start-up and tear-down stay out of the figure.
 *
 *   storm pingpong N  two processes bounce one byte over a pair of pipes N
 *                     times (per round trip: 2 context switches, 2 wakeups,
 *                     4 syscalls)
 *   storm connect N   N short-lived loopback TCP connections, one at a time:
 *                     the client connects, the server accepts and sends one
 *                     byte, the client reads it and closes with a reset (no
 *                     TIME_WAIT left behind, so repeated runs never run out
 *                     of ports), the server sees the end and closes
 *
 * Prints on stdout:
 *   elapsed_ns NS     the parent's loop, first operation to last
 *   ops N
 *   switches N        context switches of both processes (voluntary and not)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int reap(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 2;
	return 0;
}

static int pingpong(long n, uint64_t *elapsed)
{
	int ping[2], pong[2];
	char c = 'x';
	uint64_t t0;
	pid_t pid;

	if (pipe(ping) || pipe(pong))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		for (long i = 0; i < n; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(2);
		_exit(0);
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 2;
	*elapsed = now_ns() - t0;
	return reap(pid);
}

static int server(int lfd, long n)
{
	char c = 'x';

	for (long i = 0; i < n; i++) {
		int fd = accept(lfd, NULL, NULL);

		if (fd < 0 || write(fd, &c, 1) != 1) {
			perror("storm: accept/write");
			return 2;
		}
		/* 0 or ECONNRESET: either way the client is gone */
		while (read(fd, &c, 1) > 0)
			;
		close(fd);
	}
	return 0;
}

static int connect_storm(long n, uint64_t *elapsed)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct linger lin = { .l_onoff = 1, .l_linger = 0 };
	socklen_t len = sizeof(sa);
	uint64_t t0;
	int lfd;
	pid_t pid;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 128) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		perror("storm: listen");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0)
		_exit(server(lfd, n));
	close(lfd);
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		char c;

		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) ||
		    read(fd, &c, 1) != 1 ||
		    setsockopt(fd, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin))) {
			perror("storm: connect");
			return 2;
		}
		close(fd);
	}
	*elapsed = now_ns() - t0;
	return reap(pid);
}

int main(int argc, char **argv)
{
	struct rusage self, kids;
	uint64_t elapsed = 0;
	long n;
	int rc;

	if (argc != 3 || (n = atol(argv[2])) <= 0) {
		fprintf(stderr, "usage: storm pingpong|connect N\n");
		return 2;
	}
	if (!strcmp(argv[1], "pingpong"))
		rc = pingpong(n, &elapsed);
	else if (!strcmp(argv[1], "connect"))
		rc = connect_storm(n, &elapsed);
	else {
		fprintf(stderr, "storm: unknown mode %s\n", argv[1]);
		return 2;
	}
	if (rc)
		return rc;
	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	printf("elapsed_ns %llu\nops %ld\nswitches %ld\n", (unsigned long long)elapsed, n,
	       self.ru_nvcsw + self.ru_nivcsw + kids.ru_nvcsw + kids.ru_nivcsw);
	return 0;
}
