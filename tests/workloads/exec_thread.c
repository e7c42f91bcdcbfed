// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * exec_thread [DELAY_MS]: after DELAY_MS (default 0) a second thread, not
 * the leader, execs `/bin/sleep 0.2`: the kernel ends the leader, and the
 * exec'ing thread carries on under the leader's pid. Ground truth:
 *   truth exec_tid TID     the thread that execs, before it takes the pid
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "truth.h"

static long delay_ms;

static void *execer(void *arg)
{
	char *argv[] = { "sleep", "0.2", NULL };

	(void)arg;
	usleep(delay_ms * 1000);
	truth("exec_tid %ld", (long)syscall(SYS_gettid));
	execv("/bin/sleep", argv);
	_exit(127);
}

int main(int argc, char **argv)
{
	pthread_t th;

	delay_ms = argc > 1 ? atol(argv[1]) : 0;
	if (pthread_create(&th, NULL, execer, NULL))
		return 2;
	for (;;)
		pause();
}
