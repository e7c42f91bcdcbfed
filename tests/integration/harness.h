/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Integration test harness: runs `advisor run` on a workload under the real
 * probes, collects the workload's own ground truth (stdout lines
 * "truth KEY VALUE...") and the JSON report, and helps compare the two.
 *
 * Environment: ADVISOR (the binary, default ./bin/advisor) and WORKLOADS (the
 * built tests/workloads, default .output/workloads), set by
 * `make test-integration`.
 */
#ifndef ADVISOR_TEST_HARNESS_H
#define ADVISOR_TEST_HARNESS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define TRUTH_MAX_VALUES 6

/* One "truth KEY V1 V2..." line of a workload's stdout. */
struct truth {
	char key[32];
	size_t nr_values;
	unsigned long long values[TRUTH_MAX_VALUES];
};

struct run {
	char dir[64]; /* private directory, removed by run_free() */
	char report_path[128];
	char *out; /* the target's stdout */
	char *err; /* advisor's stderr */
	int status; /* advisor's wait status */
	double wall_s; /* advisor's wall time */
	/*
	 * Hypervisor steal and interrupt handlers' time over the run, summed
	 * over every CPU (/proc/stat): the kernel leaves them out of a thread's
	 * schedstat cpu, advisor books them to the thread's episode (runq after a
	 * preemption, or its wait), so this bounds how far the two may differ on
	 * a busy host.
	 */
	double steal_ns;
	json_object *report;
	size_t nr_truths;
	struct truth *truths;
};

/*
 * Skips the test with the reason unless root, kernel BTF, BPF and the built
 * binaries are there; under CI=true a missing requirement fails it instead.
 */
void harness_require_bpf(void);

/* The source tree (where $ADVISOR was built). */
const char *source_root(void);

/* $WORKLOADS/NAME; the string lives until the test ends. */
const char *workload(const char *name);

/* A fresh directory under /tmp that the target may use; caller removes it,
 * with the folders the target made in it, with dir_remove(). */
void dir_make(char *buf, size_t size);
void dir_remove(const char *dir);

/*
 * Runs `$ADVISOR run -q -o REPORT OPTS... -- CMD...` (opts and cmd are
 * NULL-terminated; opts may be NULL), waits for it (failing the test after
 * 100 s), and parses the truth lines and the report. Asserts that advisor
 * exited with expect_exit and wrote a report; checks the report against the
 * JSON schema. Free with run_free().
 */
void run_advisor_status(struct run *r, const char *const *opts, const char *const *cmd,
			int expect_exit);
#define run_advisor(r, opts, cmd) run_advisor_status(r, opts, cmd, 0)
void run_free(struct run *r);

#define ARGS(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Truth lines: the first with key, or NULL; how many have key; the nth. */
const struct truth *truth_find(const struct run *r, const char *key);
size_t truth_count(const struct run *r, const char *key);
const struct truth *truth_nth(const struct run *r, const char *key, size_t n);
/* The first value of key; fails the test when the workload did not print it. */
unsigned long long truth_need(const struct run *r, const char *key);

/* The object at a dotted path ("time.blocked_ns.sleep"), or NULL. */
json_object *jget(json_object *o, const char *path);
/* Integer / number / string at path; fail the test when absent. jstr gives
 * "" for null. */
long long jint(json_object *o, const char *path);
double jnum(json_object *o, const char *path);
const char *jstr(json_object *o, const char *path);
bool jbool(json_object *o, const char *path);

/* Report lookups; NULL when absent. */
json_object *report_thread(const struct run *r, long tid, json_object **proc);
json_object *report_process(const struct run *r, long pid);
json_object *report_process_by_comm(const struct run *r, const char *comm);
/* Sum of count (or total_ns) over the entries of a syscall array with name. */
long long syscall_sum(json_object *arr, const char *name, const char *field);
/* Sum of a thread's blocked_ns (or internal_ns) over all causes. */
long long blocked_sum(json_object *obj, const char *which);
/* Sum over every thread of a process of blocked_ns.cause or internal_ns.cause. */
long long process_cause(json_object *proc, const char *which, const char *cause);

/* |measured - truth| <= max(abs_slack, rel * truth) */
bool within(double measured, double truth, double rel, double abs_slack);

/*
 * Compares every "truth thread TID CPU RUNQ [CPU0 RUNQ0]" line with the
 * report's thread: cpu and runq within 1 % or 2 ms. With CPU0/RUNQ0 (the
 * exec'd main thread: what schedstat held when main() began, including time
 * in the profiler's fork before the probes saw it) the report must lie
 * between the values since main() and the totals, with the same slack.
 */
void check_thread_truths(const struct run *r);

/* Every exited thread living >= 50 ms: cpu + runq + blocked = lifetime, 1 %. */
void check_lifetimes(const struct run *r);

/*
 * Starts argv outside the profiled tree: stdout to /dev/null, killed if the
 * test dies. pass_fd >= 0 is handed to the child as fd 3.
 */
pid_t spawn(const char *const *argv, int pass_fd);
/*
 * A FIFO in a fresh directory (dir_make()), at *fifo, fed by a slow_writer
 * outside the profiled tree: count lines, gap_ms apart, from when a reader
 * opens it. Returns the writer's pid, already blocked in its open() so that
 * the reader's does not block. The caller reaps it and removes dir.
 */
pid_t fifo_fed_slowly(char *dir, size_t dirlen, char *fifo, size_t fifolen, const char *count,
		      const char *gap_ms);
/* Waits for pid (after SIGTERM when kill_first); returns its wait status. */
int reap(pid_t pid, bool kill_first);

/* A listening socket on 127.0.0.1 with a kernel-chosen port. */
int listen_loopback(int *port);
/* A port on 127.0.0.1 that was free a moment ago. */
int free_port(void);

void sleep_ms(long ms);

#endif /* ADVISOR_TEST_HARNESS_H */
