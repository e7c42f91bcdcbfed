// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * zombie_leader MS: the main thread leaves with pthread_exit() at once, so
 * the process's leader is a zombie while a second thread sleeps MS ms in
 * 10 ms steps and then ends the process.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

static long ms;

static void *worker(void *arg)
{
	(void)arg;
	for (long i = 0; i < ms / 10; i++)
		usleep(10000);
	exit(0);
}

int main(int argc, char **argv)
{
	pthread_t th;

	ms = argc > 1 ? atol(argv[1]) : 1000;
	if (pthread_create(&th, NULL, worker, NULL))
		return 2;
	pthread_exit(NULL);
}
