// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * tcp_feeder PORT COUNT GAP_MS: connects to 127.0.0.1:PORT (retrying for up
 * to 10 s while nobody listens), sends COUNT messages of 64 bytes GAP_MS ms
 * apart, then closes. The tests run it outside the profiled tree.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int count = argc > 2 ? atoi(argv[2]) : 100;
	long gap = argc > 3 ? atol(argv[3]) : 10;
	struct timespec req = { gap / 1000, (gap % 1000) * 1000000 };
	struct timespec retry = { 0, 5000000 };
	char msg[64];
	int fd = -1;

	if (argc < 2) {
		fprintf(stderr, "usage: tcp_feeder PORT [COUNT] [GAP_MS]\n");
		return 2;
	}
	sa.sin_port = htons(atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 2000; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (!connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
			break;
		close(fd);
		fd = -1;
		nanosleep(&retry, NULL);
	}
	if (fd < 0) {
		fprintf(stderr, "tcp_feeder: nobody listens on port %s\n", argv[1]);
		return 2;
	}
	memset(msg, 'f', sizeof(msg));
	for (int i = 0; i < count; i++) {
		nanosleep(&req, NULL);
		if (write(fd, msg, sizeof(msg)) != sizeof(msg)) {
			perror("write");
			return 2;
		}
	}
	close(fd);
	return 0;
}
