// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * pingpong ROUNDS: two processes bounce one byte over a pair of pipes ROUNDS
 * times; every wait is on the other process. Ground truth on stdout:
 *   truth rounds N
 *   truth thread TID CPU_NS RUNQ_NS   for both processes
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TRUTH_THREADS
#include "truth.h"

/*
 * /proc's schedstat prints se.sum_exec_runtime as it stands, which for a
 * running thread lags by up to a tick; reading the thread's CPU clock first
 * brings it up to date (task_sched_runtime() runs update_curr()).
 */
int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : 50000;
	int ping[2], pong[2], status;
	char c = 'x';
	pid_t pid;

	mark_main();
	if (pipe(ping) || pipe(pong))
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		main_marked = 0;
		truth_begin();
		for (long i = 0; i < rounds; i++)
			if (read(ping[0], &c, 1) != 1 || write(pong[1], &c, 1) != 1)
				_exit(2);
		truth_thread();
		_exit(0);
	}
	for (long i = 0; i < rounds; i++)
		if (write(ping[1], &c, 1) != 1 || read(pong[0], &c, 1) != 1)
			return 2;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 2;
	truth("rounds %ld", rounds);
	truth_thread();
	return 0;
}
