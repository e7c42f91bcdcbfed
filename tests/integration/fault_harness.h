/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Helpers of the fault, attach and scale tests (issue 10): start advisor with
 * any command line, environment, identity and stdin; signal it mid-run; check
 * its one-line errors and its reports; and check that it left nothing behind
 * in the kernel (BPF programs, maps, links) or in the cgroup2 tree.
 *
 * Reuses harness.h (ADVISOR, WORKLOADS, JSON lookups, truths).
 */
#ifndef ADVISOR_TEST_FAULT_HARNESS_H
#define ADVISOR_TEST_FAULT_HARNESS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "harness.h"

#define NOBODY_ID 65534

/* How to start advisor. Zero is: stdin /dev/null, same identity and group. */
struct adv_opts {
	const char *stdin_data; /* fed through a pipe, then closed; NULL: /dev/null */
	const char *const *env; /* NAME=VALUE added to the environment; NULL-terminated */
	bool as_nobody;		/* setpriv to uid/gid 65534, no groups, no capabilities */
	bool own_pgrp;		/* its own process group, so a "Ctrl-C" can go to the group */
	const char *const *wrap; /* a command advisor runs under (unshare ...); NULL-terminated */
};

/* One advisor process and what it printed. */
struct adv {
	char dir[64]; /* private directory of this test, removed by adv_free() */
	char out_path[128], err_path[128];
	pid_t pid;
	bool done;  /* reaped */
	int status; /* wait status */
	double t0, wall_s;
	char *out;	 /* its stdout: the target's, passed through */
	char *err;	 /* its stderr */
	char line[1024]; /* the command line, for messages */
};

/* A fresh private directory for a test (dir_make()); adv_free() removes it. */
void adv_init(struct adv *a);

/*
 * Starts `$ADVISOR ARGS...` (args NULL-terminated, without the binary) with
 * stdout and stderr to files in a->dir. Returns at once.
 */
void adv_start(struct adv *a, const char *const *args, const struct adv_opts *o);

/* Whether it has ended (reaping it, and then reading what it printed); never blocks. */
bool adv_poll(struct adv *a);

/* Waits for it, failing the test (after SIGKILL) past timeout_s. */
void adv_wait(struct adv *a, double timeout_s);

/* adv_init + adv_start + adv_wait. */
void adv_exec(struct adv *a, const char *const *args, const struct adv_opts *o, double timeout_s);

void adv_free(struct adv *a);

/* A path inside a->dir; the string lives until the test ends. */
const char *adv_path(const struct adv *a, const char *name);

/* Re-reads a->out while advisor runs. */
void adv_read_out(struct adv *a);

/* Waits until advisor's stdout holds text (the target printed it); false after timeout_s. */
bool adv_wait_out(struct adv *a, const char *text, double timeout_s);

/* Asserts that advisor exited (not killed) with status. */
void expect_status(const struct adv *a, int status);

/*
 * Asserts that stderr is exactly one line, starting "advisor: " and holding
 * needle (when not NULL).
 */
void expect_one_line(const struct adv *a, const char *needle);

/*
 * Reads a report, asserting that it is a complete JSON document, valid UTF-8,
 * and valid against reports/schema/report-1.json. Caller puts it.
 */
json_object *expect_report(const char *path);

/* Asserts that no file is at path (nothing was written). */
void expect_no_file(const char *path);

/* Whether path validates against the schema; why holds the validator's output. */
bool schema_check(const char *path, char *why, size_t len);

/* A file's whole contents (NUL-terminated, *len without it); NULL when unreadable. */
char *file_read(const char *path, size_t *len);

/* Processes in a report, and threads summed over them. */
size_t report_nr_processes(json_object *report);
size_t report_nr_threads(json_object *report);

/* The truth lines of a text (what harness.c parses for run_advisor()). */
unsigned long long out_truth(const struct adv *a, const char *key);
bool out_has_truth(const struct adv *a, const char *key);

/* --- the kernel side --- */

/*
 * What advisor could leave behind: BPF programs, maps and links with
 * advisor's names, and advisor.* directories in the cgroup2 mount.
 */
struct kstate {
	size_t nr_ids;
	unsigned int *ids; /* prog, map and link ids: kind << 28 | id */
	size_t nr_cgroups;
	char (*cgroups)[64];
	char cgroup_root[256];
};

/* Snapshot before a test. */
void kstate_take(struct kstate *k);

/*
 * After a test: every advisor started with adv_start() has ended; no BPF
 * object of advisor's made since `before` outlives every process holding it
 * (checked through /proc/PID/fdinfo, so that an advisor of someone else
 * running at the same time is not blamed); no advisor.<pid> directory of an
 * advisor started here remains, nor a new one whose advisor is dead. Frees
 * before.
 */
void kstate_expect_clean(struct kstate *before);

/* The names advisor's BPF programs and maps may carry. */
bool is_advisor_prog(const char *name);
bool is_advisor_map(const char *name);

/* The cgroup2 mount ("" when none). */
const char *cgroup2_root(void);

/*
 * Whether pid holds, through its fds, a BPF program, map or link with one of
 * advisor's names; names gets them ("prog 12 on_sched_switch, ...").
 */
bool pid_holds_advisor_bpf(pid_t pid, char *names, size_t len);

/* VmHWM and VmRSS of pid in KiB (0 when gone). */
long proc_status_kib(pid_t pid, const char *field);

/* Whether pid is alive (and not a zombie). */
bool pid_alive(pid_t pid);

double mono_s(void);

#endif /* ADVISOR_TEST_FAULT_HARNESS_H */
