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

static void truth(const char *fmt, ...)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "truth ");
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	buf[n++] = '\n';
	if (write(1, buf, n) != n)
		_exit(3);
}

/*
 * /proc's schedstat prints se.sum_exec_runtime as it stands, which for a
 * running thread lags by up to a tick; reading the thread's CPU clock first
 * brings it up to date (task_sched_runtime() runs update_curr()).
 */
static void schedstat(unsigned long long *cpu, unsigned long long *runq)
{
	char path[64], buf[128];
	struct timespec ts;
	FILE *f;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	snprintf(path, sizeof(path), "/proc/self/task/%ld/schedstat", (long)syscall(SYS_gettid));
	f = fopen(path, "r");
	if (!f || !fgets(buf, sizeof(buf), f) || sscanf(buf, "%llu %llu", cpu, runq) != 2)
		_exit(3);
	fclose(f);
}

/*
 * The exec'd main thread's schedstat also counts its time before exec, in
 * the profiler's fork, part of it before the probes could see it: its truth
 * line adds the values main() started with, so the test can bound it.
 */
static unsigned long long main_cpu0, main_runq0;
static int main_marked;

static void mark_main(void)
{
	schedstat(&main_cpu0, &main_runq0);
	main_marked = 1;
}

/* The kernel's own account of the calling thread: on-CPU and run-delay ns. */
static void truth_thread(void)
{
	unsigned long long cpu, runq;
	long tid = syscall(SYS_gettid);

	schedstat(&cpu, &runq);
	if (main_marked && tid == getpid())
		truth("thread %ld %llu %llu %llu %llu", tid, cpu, runq, main_cpu0, main_runq0);
	else
		truth("thread %ld %llu %llu", tid, cpu, runq);
}

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
