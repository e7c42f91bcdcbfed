// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * walltime OUT CMD [ARGS...]: runs CMD (stdio inherited), waits for it and
 * writes one line to the file OUT:
 *   WALL_NS MAXRSS_KB STATUS CPU_NS
 * WALL_NS is fork-to-reap on CLOCK_MONOTONIC; MAXRSS_KB is the kernel's peak
 * resident set of CMD (and of any child it reaped, whichever is larger);
 * STATUS is CMD's exit code, or 128+N when a signal N killed it; CPU_NS is
 * the user + system time of CMD and of every descendant it reaped.
 * Exits with CMD's STATUS, 125 on its own failure.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct rusage ru;
	uint64_t t0, t1;
	int status, code;
	FILE *out;
	pid_t pid;

	if (argc < 3) {
		fprintf(stderr, "usage: walltime OUT CMD [ARGS...]\n");
		return 125;
	}
	t0 = now_ns();
	pid = fork();
	if (pid < 0) {
		perror("walltime: fork");
		return 125;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		perror("walltime: exec");
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid) {
		perror("walltime: wait4");
		return 125;
	}
	t1 = now_ns();
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = fopen(argv[1], "w");
	if (!out) {
		perror("walltime: output");
		return 125;
	}
	fprintf(out, "%llu %ld %d %llu\n", (unsigned long long)(t1 - t0), ru.ru_maxrss, code,
		(unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
			(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull);
	if (fclose(out)) {
		perror("walltime: output");
		return 125;
	}
	return code;
}
