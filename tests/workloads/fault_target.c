// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * fault_target [--burn MS] ACTION [ARGS]: a target that misbehaves on
 * purpose, for the fault matrix. It first burns MS ms of its own CPU (0 by
 * default), so that something was measured, then:
 *   exit N          exits with status N
 *   segv            dereferences NULL (no core dump)
 *   kill            sends itself SIGKILL
 *   wait MS [SIG]…  prints "truth ready PID", then sleeps until MS ms have
 *                   passed; each SIG listed (a number) is caught, printed as
 *                   "truth got SIG" and otherwise ignored; exits 0
 *   ids             prints "truth ids RUID EUID RGID EGID" and
 *                   "truth groups N G1 G2…" (at most 5 groups printed)
 *   hostile         renames itself, a thread and a child with names holding
 *                   quotes, markup, control characters and invalid UTF-8
 *                   (prctl PR_SET_NAME), each burning ~30 ms; prints
 *                   "truth child PID"
 * Ground truth goes to stdout as "truth KEY VALUE…" lines.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "truth.h"

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void burn(long ms)
{
	volatile uint64_t x = 0;
	uint64_t until = clock_ns(CLOCK_THREAD_CPUTIME_ID) + ms * 1000000ull;

	while (clock_ns(CLOCK_THREAD_CPUTIME_ID) < until)
		for (int i = 0; i < 20000; i++)
			x += i * x + 1;
}

/* async-signal-safe: "truth got N" */
static void on_signal(int sig)
{
	char buf[32] = "truth got ";
	int n = strlen(buf);

	if (sig >= 10)
		buf[n++] = '0' + sig / 10;
	buf[n++] = '0' + sig % 10;
	buf[n++] = '\n';
	if (write(1, buf, n) != n)
		_exit(3);
}

static int do_wait(int argc, char **argv)
{
	uint64_t end;
	long ms;

	if (argc < 1)
		return 2;
	ms = atol(argv[0]);
	for (int i = 1; i < argc; i++) {
		struct sigaction sa = {.sa_handler = on_signal};

		sigemptyset(&sa.sa_mask);
		if (sigaction(atoi(argv[i]), &sa, NULL))
			return 2;
	}
	truth("ready %d", (int)getpid());
	end = clock_ns(CLOCK_MONOTONIC) + ms * 1000000ull;
	for (;;) {
		uint64_t now = clock_ns(CLOCK_MONOTONIC);
		struct timespec req;

		if (now >= end)
			return 0;
		req.tv_sec = (end - now) / 1000000000ull;
		req.tv_nsec = (end - now) % 1000000000ull;
		nanosleep(&req, NULL); /* EINTR: go round again */
	}
}

static int do_ids(void)
{
	gid_t groups[64];
	int n = getgroups(64, groups);
	char line[200];
	int len;

	truth("ids %u %u %u %u", (unsigned)getuid(), (unsigned)geteuid(), (unsigned)getgid(),
	      (unsigned)getegid());
	if (n < 0)
		return 2;
	len = snprintf(line, sizeof(line), "groups %d", n);
	for (int i = 0; i < n && i < 5; i++)
		len += snprintf(line + len, sizeof(line) - len, " %u", (unsigned)groups[i]);
	truth("%s", line);
	return 0;
}

/* 15 bytes, the most a comm holds: markup, quotes, a newline, control and invalid UTF-8 */
static const char thread_name[] = "<b>t\"\n\x01\x1b\xff\xfe'&\\";
static const char child_name[] = "</script><i>\x7f\xc3";

static void *hostile_thread(void *arg)
{
	(void)arg;
	prctl(PR_SET_NAME, thread_name);
	burn(30);
	return NULL;
}

static int do_hostile(void)
{
	pthread_t th;
	pid_t child;
	int status;

	if (pthread_create(&th, NULL, hostile_thread, NULL))
		return 2;
	child = fork();
	if (child < 0)
		return 2;
	if (child == 0) {
		prctl(PR_SET_NAME, child_name);
		burn(30);
		_exit(0);
	}
	truth("child %d", (int)child);
	burn(30);
	pthread_join(th, NULL);
	if (waitpid(child, &status, 0) != child)
		return 2;
	return 0;
}

int main(int argc, char **argv)
{
	struct rlimit no_core = {0, 0};
	long burn_ms = 0;
	int i = 1;

	if (argc > 2 && !strcmp(argv[1], "--burn")) {
		burn_ms = atol(argv[2]);
		i = 3;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: fault_target [--burn MS] ACTION [ARGS]\n");
		return 2;
	}
	burn(burn_ms);
	if (!strcmp(argv[i], "exit") && i + 1 < argc)
		return atoi(argv[i + 1]);
	if (!strcmp(argv[i], "segv")) {
		volatile int *volatile null = NULL;

		setrlimit(RLIMIT_CORE, &no_core);
		*null = 1;
		return 2;
	}
	if (!strcmp(argv[i], "kill")) {
		raise(SIGKILL);
		return 2;
	}
	if (!strcmp(argv[i], "wait"))
		return do_wait(argc - i - 1, argv + i + 1);
	if (!strcmp(argv[i], "ids"))
		return do_ids();
	if (!strcmp(argv[i], "hostile"))
		return do_hostile();
	fprintf(stderr, "fault_target: unknown action '%s'\n", argv[i]);
	return 2;
}
