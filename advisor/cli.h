/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The command line: parsing into options, --help and usage errors. */
#ifndef ADVISOR_CLI_H
#define ADVISOR_CLI_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "decide.h"

/* Exit statuses of advisor itself; the target's own status passes through. */
enum exit_status {
	EXIT_GATE = 122, /* a gate (--expect, --policy, --baseline) failed */
	EXIT_OUTPUT = 123, /* a report could not be written */
	EXIT_ENV = 124, /* no BPF permission, no BTF, a probe would not attach */
	EXIT_USAGE = 125, /* bad command line */
	EXIT_NOEXEC = 126, /* the command is not executable */
	EXIT_NOTFOUND = 127, /* the command was not found */
};

enum command {
	CMD_NONE,
	CMD_RUN,
	CMD_ATTACH,
	CMD_REPORT,
	CMD_CHECK,
	CMD_HELP,
	CMD_VERSION,
};

#define MAX_OUTPUTS 16

struct options {
	enum command cmd;
	const char *outputs[MAX_OUTPUTS];
	int nr_outputs;
	const char *expect;
	const char *policy;
	const char *baseline;
	struct thresholds thresholds;
	double duration_s; /* 0: none */
	bool syscalls;
	bool stacks; /* --stacks */
	bool kernel_stacks; /* --kernel-stacks (sets stacks too) */
	int repeat;
	int verbosity; /* -1 quiet, 0 normal, 1 verbose */
	pid_t pid; /* attach */
	const char *report_in; /* report, check */
	char **argv; /* run: the command, NULL-terminated */
	int argc;
};

/*
 * Parses argv into o. Returns 0, or -EINVAL after printing one line to
 * stderr (the caller exits with EXIT_USAGE).
 */
int cli_parse(int argc, char **argv, struct options *o);

void cli_usage(FILE *f, enum command cmd);

#endif /* ADVISOR_CLI_H */
