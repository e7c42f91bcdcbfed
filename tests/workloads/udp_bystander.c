// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * udp_bystander recv PORT COUNT [ADDR]: binds UDP ADDR:PORT (default
 * 127.0.0.1; 0.0.0.0 is the wildcard) on CPU 0 and
 * receives COUNT datagrams while a sibling spins in user space on CPU 1.
 * udp_bystander send PORT COUNT GAP_US: from CPU 0, sends COUNT datagrams to
 * 127.0.0.1:PORT, GAP_US us apart (the tests run it outside the tree).
 * With lo's receive steered to CPU 1 (rps_cpus), each datagram's softirq
 * runs on top of the spinning sibling: the wakeup of the receiver comes
 * from the tree's CPU time, but the datagram from outside. Ground truth:
 *   truth received N
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "truth.h"

static _Atomic int done;

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void *spinner(void *arg)
{
	(void)arg;
	pin(1);
	while (!atomic_load(&done))
		;
	return NULL;
}

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	long count;
	char buf[64] = "x";
	int fd;

	if (argc < 4) {
		fprintf(stderr, "usage: udp_bystander recv|send PORT COUNT [GAP_US]\n");
		return 2;
	}
	a.sin_port = htons(atoi(argv[2]));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	count = atol(argv[3]);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 2;
	pin(0);
	if (!strcmp(argv[1], "send")) {
		long gap = argc > 4 ? atol(argv[4]) : 1000;

		for (long i = 0; i < count; i++) {
			sendto(fd, buf, sizeof(buf), 0, (struct sockaddr *)&a, sizeof(a));
			usleep(gap);
		}
		return 0;
	}
	pthread_t th;
	long got = 0;

	if (argc > 4)
		inet_pton(AF_INET, argv[4], &a.sin_addr);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || pthread_create(&th, NULL, spinner, NULL))
		return 2;
	truth("bound 1");
	while (got < count && recv(fd, buf, sizeof(buf), 0) > 0)
		got++;
	atomic_store(&done, 1);
	pthread_join(th, NULL);
	truth("received %ld", got);
	return 0;
}
