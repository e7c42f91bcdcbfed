// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * forktree GENERATIONS FANOUT CPU_MS: a tree of processes GENERATIONS deep
 * where each process forks FANOUT children (the last generation none), burns
 * CPU_MS ms of CPU and reaps its children. Ground truth on stdout:
 *   truth thread TID CPU_NS RUNQ_NS   every process's thread, from schedstat
 *   truth proc PID PPID GENERATION
 *   truth rusage_cpu_ns N             at the root: RUSAGE_SELF + RUSAGE_CHILDREN,
 *                                     every descendant having been reaped
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
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
static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void burn(long ms)
{
	volatile uint64_t x = 0;
	uint64_t until = ms * 1000000ull;

	while (thread_cpu_ns() < until)
		for (int i = 0; i < 200000; i++)
			x += i * x + 1;
}

static uint64_t tv_ns(struct timeval tv)
{
	return tv.tv_sec * 1000000000ull + tv.tv_usec * 1000ull;
}

int main(int argc, char **argv)
{
	int generations = argc > 1 ? atoi(argv[1]) : 3;
	int fanout = argc > 2 ? atoi(argv[2]) : 2;
	long ms = argc > 3 ? atol(argv[3]) : 300;
	int gen = 1, failed = 0;

	mark_main();
again:
	if (gen < generations) {
		for (int i = 0; i < fanout; i++) {
			pid_t pid = fork();

			if (pid < 0)
				return 2;
			if (pid == 0) {
				/* a forked child's whole life is in view */
				main_marked = 0;
				truth_begin();
				gen++;
				goto again;
			}
		}
	}
	truth("proc %d %d %d", getpid(), getppid(), gen);
	burn(ms);
	for (;;) {
		int status;
		pid_t pid = wait(&status);

		if (pid < 0)
			break;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	truth_thread();
	if (gen == 1) {
		struct rusage self, children;

		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &children);
		truth("rusage_cpu_ns %llu",
		      (unsigned long long)(tv_ns(self.ru_utime) + tv_ns(self.ru_stime) +
					   tv_ns(children.ru_utime) + tv_ns(children.ru_stime)));
	}
	return failed;
}
