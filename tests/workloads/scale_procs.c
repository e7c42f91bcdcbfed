// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * scale_procs [--reuse] N [PARALLEL] [PROGRAM]: fork and exec PROGRAM
 * (default /bin/true) N times, at most PARALLEL (default 4) alive at once,
 * reaping each. With --reuse, one at a time, and every second child is made
 * with clone3(set_tid) to get the pid of the child just reaped: what a long
 * fork loop does once pids wrap at pid_max, made certain (it needs
 * CAP_CHECKPOINT_RESTORE). Ground truth:
 *   truth spawned N         children forked
 *   truth exited_ok N       children that exited with status 0
 *   truth distinct_pids N   distinct pids among them
 *   truth reused N          children that got a reaped child's pid on purpose
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "truth.h"

#define PID_BITS (1u << 22) /* PID_MAX_LIMIT */

/* fork(), or with want > 0 a fork that gets pid want (clone3 set_tid, 5.5+) */
static pid_t fork_as(pid_t want)
{
	struct clone_args args = {.exit_signal = SIGCHLD};
	pid_t tid[1] = {want};

	if (!want)
		return fork();
	args.set_tid = (uintptr_t)tid;
	args.set_tid_size = 1;
	return syscall(SYS_clone3, &args, sizeof(args));
}

int main(int argc, char **argv)
{
	int reuse = argc > 1 && !strcmp(argv[1], "--reuse");
	long n = argc > 1 + reuse ? atol(argv[1 + reuse]) : 20000;
	long parallel = argc > 2 + reuse ? atol(argv[2 + reuse]) : 4;
	const char *prog = argc > 3 + reuse ? argv[3 + reuse] : "/bin/true";
	uint8_t *seen = calloc(PID_BITS / 8, 1);
	long spawned = 0, ok = 0, alive = 0, distinct = 0, reused = 0;
	pid_t last = 0;
	int status;

	if (!seen || parallel < 1)
		return 2;
	if (reuse)
		parallel = 1;
	while (spawned < n || alive > 0) {
		if (spawned < n && alive < parallel) {
			pid_t want = reuse && spawned % 2 ? last : 0;
			pid_t pid = fork_as(want);

			if (pid < 0 && want) {
				/* the pid was taken meanwhile, or no CAP_CHECKPOINT_RESTORE */
				want = 0;
				pid = fork();
			}
			if (pid < 0) {
				perror("scale_procs: fork");
				return 2;
			}
			if (pid == 0) {
				execl(prog, prog, (char *)NULL);
				_exit(127);
			}
			reused += want && pid == want;
			last = pid;
			if ((unsigned)pid < PID_BITS && !(seen[pid / 8] & (1u << (pid % 8)))) {
				seen[pid / 8] |= 1u << (pid % 8);
				distinct++;
			}
			spawned++;
			alive++;
			continue;
		}
		if (wait(&status) > 0) {
			alive--;
			ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
		}
	}
	truth("spawned %ld", spawned);
	truth("exited_ok %ld", ok);
	truth("distinct_pids %ld", distinct);
	truth("reused %ld", reused);
	free(seen);
	return 0;
}
