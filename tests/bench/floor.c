// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * floor OBJECT SET: loads the empty programs of SET ("sched" or "syscalls")
 * from OBJECT (tests/bench/floor.bpf.c built), attaches them, says "ready"
 * on stdout, and keeps them until SIGTERM or SIGINT.
 * floor OBJECT SET -- CMD [ARG...]: the same around one run of CMD, and exits
 * with its status: the start-up and memory floor of a tool built on libbpf
 * (read the kernel's BTF, load, attach, run, detach). For `make bench`.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/libbpf.h>

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return level == LIBBPF_WARN ? vfprintf(stderr, fmt, ap) : 0;
}

/* runs argv to its end with the programs attached, then detaches them */
static int run(char **argv, struct bpf_object *obj)
{
	pid_t pid = fork();
	int status = 0;

	if (pid < 0) {
		perror("floor: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		perror("floor: exec");
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	bpf_object__close(obj);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	struct bpf_object *obj;
	struct bpf_program *p;
	size_t len;
	sigset_t set;
	int sig;

	if ((argc != 3 && (argc < 5 || strcmp(argv[3], "--"))) ||
	    (strcmp(argv[2], "sched") && strcmp(argv[2], "syscalls"))) {
		fprintf(stderr, "usage: floor OBJECT sched|syscalls [-- CMD [ARG...]]\n");
		return 2;
	}
	libbpf_set_print(quiet);
	obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "floor: cannot open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	len = strlen(argv[2]);
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, !strncmp(bpf_program__name(p), argv[2], len) &&
						     bpf_program__name(p)[len] == '_');
	if (bpf_object__load(obj)) {
		fprintf(stderr, "floor: cannot load %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	bpf_object__for_each_program(p, obj) {
		if (bpf_program__autoload(p) && !bpf_program__attach(p)) {
			fprintf(stderr, "floor: cannot attach %s: %s\n", bpf_program__name(p),
				strerror(errno));
			return 1;
		}
	}
	if (argc > 3)
		return run(argv + 4, obj);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	bpf_object__close(obj);
	return 0;
}
