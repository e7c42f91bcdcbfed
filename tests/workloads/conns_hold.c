// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * conns_hold HELD NEW CLOSE: a loopback server and a client process it
 * forks, for `attach` with connections open across it. The client opens
 * HELD connections and waits; on SIGUSR1 to the server (passed on to the
 * client) it opens NEW more, each answered once accepted, then closes
 * CLOSE of the held ones, whose server side the server closes on EOF; it
 * then waits for SIGTERM, which the server passes on too. Ground truth:
 *   truth held N            connections open before SIGUSR1 (client side)
 *   truth accepted_before N connections the server accepted before SIGUSR1
 *   truth connected_after N connections the client made after SIGUSR1
 *   truth peak_after N      sockets of both sides open at once after it
 *   truth closed_after N    client-side closes after SIGUSR1
 *   truth accepted N        at SIGTERM: all the server accepted
 *   truth server_closed N   at SIGTERM: server-side closes on EOF
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "truth.h"

static volatile sig_atomic_t go, stop;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		go = 1;
	else
		stop = 1;
}

static int connect_one(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	char c;

	if (fd < 0 || connect(fd, (const struct sockaddr *)sa, sizeof(*sa))) {
		perror("connect");
		exit(2);
	}
	/* the server's byte: it has accepted this one */
	if (read(fd, &c, 1) != 1) {
		perror("read");
		exit(2);
	}
	return fd;
}

static int client(const struct sockaddr_in *sa, int held, int add, int close_n)
{
	int *fds = calloc(held + add, sizeof(*fds));
	sigset_t none;

	sigemptyset(&none);
	for (int i = 0; i < held; i++)
		fds[i] = connect_one(sa);
	truth("held %d", held);
	while (!go && !stop)
		sigsuspend(&none);
	if (stop)
		return 0;
	for (int i = 0; i < add; i++)
		fds[held + i] = connect_one(sa);
	truth("connected_after %d", add);
	/* every connection is open on both sides here, before any close */
	truth("peak_after %d", 2 * (held + add));
	for (int i = 0; i < close_n && i < held; i++)
		close(fds[i]);
	truth("closed_after %d", close_n < held ? close_n : held);
	while (!stop)
		sigsuspend(&none);
	return 0;
}

int main(int argc, char **argv)
{
	int held = argc > 1 ? atoi(argv[1]) : 40, add = argc > 2 ? atoi(argv[2]) : 10;
	int close_n = argc > 3 ? atoi(argv[3]) : 5, accepted = 0, closed = 0, nfds = 1;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct sigaction act = { .sa_handler = on_signal };
	socklen_t len = sizeof(sa);
	struct pollfd *pfds = calloc(held + add + 1, sizeof(*pfds));
	sigset_t block, none;
	pid_t pid;
	int lfd;

	sigaction(SIGUSR1, &act, NULL);
	sigaction(SIGTERM, &act, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigemptyset(&none);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, held + add + 16) ||
	    getsockname(lfd, (struct sockaddr *)&sa, &len)) {
		perror("listen");
		return 2;
	}
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(lfd);
		_exit(client(&sa, held, add, close_n));
	}
	pfds[0] = (struct pollfd){ .fd = lfd, .events = POLLIN };
	while (!stop) {
		if (go == 1) {
			truth("accepted_before %d", accepted);
			kill(pid, SIGUSR1);
			go = 2;
		}
		if (ppoll(pfds, nfds, NULL, &none) < 0) {
			if (errno == EINTR)
				continue;
			perror("poll");
			return 2;
		}
		for (int i = nfds - 1; i > 0; i--) {
			char buf[16];

			if (!pfds[i].revents)
				continue;
			if (read(pfds[i].fd, buf, sizeof(buf)) > 0)
				continue;
			close(pfds[i].fd);
			closed++;
			pfds[i] = pfds[--nfds];
		}
		if (pfds[0].revents & POLLIN) {
			int fd = accept(lfd, NULL, NULL);

			if (fd < 0 || nfds == held + add + 1 || write(fd, "a", 1) != 1) {
				perror("accept");
				return 2;
			}
			accepted++;
			pfds[nfds++] = (struct pollfd){ .fd = fd, .events = POLLIN };
		}
	}
	truth("accepted %d", accepted);
	truth("server_closed %d", closed);
	kill(pid, SIGTERM);
	return 0;
}
