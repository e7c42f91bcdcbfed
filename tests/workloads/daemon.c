// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * daemon SLEEP_MS: daemonises the classic way (fork, setsid, fork again, the
 * middle process exits at once and the original one after reaping it); the
 * grandchild sleeps SLEEP_MS ms and exits. stdout stays open so the
 * grandchild can report. Ground truth on stdout:
 *   truth child_pid N
 *   truth grandchild_pid N
 *   truth grandchild_done 1    written by the grandchild just before it exits
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

int main(int argc, char **argv)
{
	long ms = argc > 1 ? atol(argv[1]) : 1000;
	struct timespec req = { ms / 1000, (ms % 1000) * 1000000 };
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		setsid();
		pid = fork();
		if (pid < 0)
			_exit(2);
		if (pid > 0) {
			truth("child_pid %d", getpid());
			_exit(0);
		}
		truth("grandchild_pid %d", getpid());
		nanosleep(&req, NULL);
		truth("grandchild_done 1");
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		return 2;
	return 0;
}
