// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * spin NTHREADS CPU_MS: NTHREADS threads each burn CPU_MS ms of their own CPU
 * time (0 threads: the main thread burns it). Ground truth on stdout:
 *   truth thread TID CPU_NS RUNQ_NS   from schedstat, just before each thread exits
 *   truth rusage_cpu_ns N             getrusage(RUSAGE_SELF) after the joins
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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

static uint64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static long cpu_ms;

static void burn(void)
{
	volatile uint64_t x = 0;
	uint64_t until = cpu_ms * 1000000ull;

	while (thread_cpu_ns() < until)
		for (int i = 0; i < 200000; i++)
			x += i * x + 1;
}

static void *worker(void *arg)
{
	(void)arg;
	burn();
	truth_thread();
	return NULL;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	pthread_t *th = calloc(n > 0 ? n : 1, sizeof(*th));
	struct rusage ru;

	mark_main();
	cpu_ms = argc > 2 ? atol(argv[2]) : 500;
	if (n == 0)
		burn();
	for (int i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, worker, NULL))
			return 2;
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	getrusage(RUSAGE_SELF, &ru);
	truth("rusage_cpu_ns %llu",
	      (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull);
	truth("threads %d", n);
	truth_thread();
	free(th);
	return 0;
}
