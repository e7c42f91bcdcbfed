/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Ground truth of the test workloads: each prints `truth KEY VALUE...` lines
 * on stdout, which the integration tests compare with advisor's report.
 */
#ifndef ADVISOR_WORKLOAD_TRUTH_H
#define ADVISOR_WORKLOAD_TRUTH_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* One line, written whole with write(2) so lines of several processes never mix. */
static __attribute__((unused)) void truth(const char *fmt, ...)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "truth ");
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	/* a longer line is cut, never written past the buffer */
	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	buf[n++] = '\n';
	if (write(1, buf, n) != n)
		_exit(3);
}

#ifdef TRUTH_THREADS
static __attribute__((unused)) void schedstat(unsigned long long *cpu, unsigned long long *runq)
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

/*
 * When the calling thread began (CLOCK_MONOTONIC), so that truth_thread()
 * can say how old it was when it read its schedstat: what the thread does
 * after that (its exit path, and a preemption in it on a busy machine) is in
 * advisor's account but not in the truth, and the test bounds it by the
 * thread's lifetime in the report less this age.
 */
static __thread unsigned long long thread_t0;

static __attribute__((unused)) unsigned long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static __attribute__((unused)) void truth_begin(void)
{
	thread_t0 = mono_ns();
}

static __attribute__((unused)) void mark_main(void)
{
	truth_begin();
	schedstat(&main_cpu0, &main_runq0);
	main_marked = 1;
}

/* The kernel's own account of the calling thread: on-CPU and run-delay ns. */
static __attribute__((unused)) void truth_thread(void)
{
	unsigned long long cpu, runq;
	long tid = syscall(SYS_gettid);

	schedstat(&cpu, &runq);
	if (thread_t0)
		truth("age %ld %llu", tid, mono_ns() - thread_t0);
	if (main_marked && tid == getpid())
		truth("thread %ld %llu %llu %llu %llu", tid, cpu, runq, main_cpu0, main_runq0);
	else
		truth("thread %ld %llu %llu", tid, cpu, runq);
}

#endif /* TRUTH_THREADS */

#endif /* ADVISOR_WORKLOAD_TRUTH_H */
