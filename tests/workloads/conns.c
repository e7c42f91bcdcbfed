// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * conns N HOLD_MS [ROUNDS]: a server process and a client process it forks;
 * each round the client opens N loopback TCP connections to the server, holds
 * them all open for HOLD_MS ms, then closes them; the server accepts N and
 * closes each when the client does. Ground truth on stdout:
 *   truth connected N          connections the client made, all rounds
 *   truth accepted N           connections the server accepted
 *   truth peak_client N        client connections open at once
 */
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static int client(const struct sockaddr_in *sa, int n, long hold_ms, int rounds)
{
	struct timespec req = { hold_ms / 1000, (hold_ms % 1000) * 1000000 };
	int *fds = calloc(n, sizeof(*fds));
	int connected = 0;

	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			fds[i] = socket(AF_INET, SOCK_STREAM, 0);
			if (connect(fds[i], (const struct sockaddr *)sa, sizeof(*sa))) {
				perror("connect");
				return 2;
			}
			connected++;
		}
		nanosleep(&req, NULL);
		for (int i = 0; i < n; i++)
			close(fds[i]);
	}
	truth("connected %d", connected);
	truth("peak_client %d", n);
	free(fds);
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 50;
	long hold_ms = argc > 2 ? atol(argv[2]) : 500;
	int rounds = argc > 3 ? atoi(argv[3]) : 1;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int lfd, *fds, accepted = 0, status;
	pid_t pid;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, n + 16) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		perror("listen");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		/* the tests kill the server when it runs outside the tree */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(lfd);
		_exit(client(&sa, n, hold_ms, rounds));
	}
	fds = calloc(n, sizeof(*fds));
	for (int r = 0; r < rounds; r++) {
		for (int i = 0; i < n; i++) {
			fds[i] = accept(lfd, NULL, NULL);
			if (fds[i] < 0) {
				perror("accept");
				return 2;
			}
			accepted++;
		}
		/* each read returns 0 when the client closes its end */
		for (int i = 0; i < n; i++) {
			char c;

			while (read(fds[i], &c, 1) > 0)
				;
			close(fds[i]);
		}
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 2;
	truth("accepted %d", accepted);
	free(fds);
	return 0;
}
