/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What one run measured, in user space: filled by the probes (or read back
 * from a JSON report), consumed by the decision and the report writers.
 */
#ifndef ADVISOR_PROFILE_H
#define ADVISOR_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <linux/types.h>

#include "../bpf/abi.h"

struct thread_profile {
	__u32 tid;
	char comm[COMM_LEN];
	__u64 start_ns; /* relative to profile.start_ns */
	__u64 end_ns; /* 0 while still alive at the end of the run */
	__u64 cpu_ns;
	__u64 runq_wakeup_ns;
	__u64 runq_preempt_ns;
	__u64 blocked_ns[NR_CAUSES];
	__u64 internal_ns[NR_CAUSES];
	__u64 stream_ns; /* external waits on the pipe of its previous one (bpf/abi.h) */
	__u64 open_io_ns; /* its I/O wait still open when the run ended (in blocked_ns) */
};

struct process_profile {
	__u32 pid;
	__u32 ppid;
	char comm[COMM_LEN];
	char *exe; /* owned; may be NULL */
	char *argv0; /* owned; may be NULL */
	bool exited;
	int exit_code; /* -1 when killed by a signal or unknown */
	int signal; /* 0 unless killed by a signal */
	__u64 start_ns;
	__u64 end_ns;
	size_t nr_threads;
	struct thread_profile *threads; /* owned */
};

struct syscall_stat {
	char name[32];
	int nr; /* -1 for waits outside any syscall (page faults) */
	__u64 count;
	__u64 errors; /* only for the -S table */
	__u64 total_ns;
	__u64 max_ns;
	__u64 hist[MAX_SLOTS];
};

/*
 * Waits of one cause; ext holds the part a thread of the tree did not end,
 * open the waits still going when the profile ended (no wakeup seen: in all
 * and ext too, as long as they lasted until then).
 */
struct cause_waits {
	struct wait_hist all;
	struct wait_hist ext;
	struct wait_hist open;
};

/* I/O requests of one kind the tree had in flight (bpf/requests.bpf.c). */
struct request_stats {
	bool counted; /* false: this kernel has no tracepoint for the kind */
	__u64 issued;
	__u64 peak; /* most in flight at once */
	__u64 dropped; /* not followed: too many in flight */
	__u64 missed; /* completions not seen (found when the request was reused) */
	struct wait_hist latency; /* issue to completion */
};

struct connections {
	bool tcp_counted; /* false when no cgroup could be made or attached to */
	bool unix_counted;
	__u64 accepted;
	__u64 connected;
	__u64 peak_open;
	__u64 closed;
	__u64 distinct_peers;
	__u64 unix_connected; /* connect() calls on Unix stream sockets */
	__u64 open_at_start; /* attach: established when it began (in peak_open) */
};

struct timeline_bucket {
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 io_ns;
	__u64 other_ns;
};

/* A stretch of the run, CLOCK_MONOTONIC ns from from_ns to to_ns. */
struct span_ns {
	__u64 from_ns;
	__u64 to_ns;
};

/*
 * The runtime's own concurrency settings, from the environment of the
 * process the runtime was picked from, read while it was alive (its
 * /proc/PID/environ is the environment it was started with). -1 when unset
 * or unreadable: the runtime's default applies (libuv 4, Go the CPUs).
 */
struct runtime_knobs {
	int uv_threadpool_size; /* UV_THREADPOOL_SIZE as libuv reads it: 0 -> 1, at most 1024 */
	int gomaxprocs; /* GOMAXPROCS as Go reads it: a decimal > 0, else unset */
};

struct overhead {
	char mode[64]; /* "sched+sockops", "sched+sockops+syscalls", ... */
	__u64 events;
	__u64 dropped;
	__u64 anomalies;
	__u64 recursion_misses;
};

/*
 * Where the time went in the code (issue 16): stacks of the tree's waits at
 * switch-out, per cause, and of its time on CPU from a timed sampler,
 * symbolised. Filled by the stack probe; the report's `stacks` section.
 */
struct stack_frame {
	__u64 addr; /* in the process's address space */
	char *function; /* owned; NULL when unsymbolised */
	char *file; /* owned; NULL without debug info */
	__u32 line; /* 0 without debug info */
	char *module; /* owned; the ELF file's path, NULL when unknown */
	bool kernel; /* a kernel frame (--kernel-stacks): module "[kernel]" or "[MODULE]" */
};

struct stack_entry {
	size_t nr_frames;
	struct stack_frame *frames; /* owned; innermost first */
	__u64 time_ns; /* waits: blocked time at this stack; cpu: sampled time */
	__u64 count; /* waits, or samples */
	bool external; /* waits: no thread of the tree ended them */
	bool truncated; /* the unwind stopped before the outermost frame */
};

struct stack_list {
	size_t nr;
	struct stack_entry *entries; /* owned; by time_ns, largest first */
};

#define STACKS_CPU NR_CAUSES /* by_cause[STACKS_CPU]: time on CPU */

struct stacks {
	bool collected; /* false: stacks were not measured */
	struct stack_list by_cause[NR_CAUSES + 1];
	__u64 complete; /* stacks unwound to their outermost frame */
	__u64 truncated; /* stacks whose unwind stopped early */
	__u64 unsymbolised; /* frames with no function name */
	__u64 dropped; /* stacks not kept: the kernel's map or advisor's cap was full */
};

struct profile {
	char **command; /* owned, NULL-terminated */
	size_t nr_command;
	char kernel[128];
	int cpus;
	time_t created_at;
	bool attached; /* advisor attach: states before start_ns are unknown */
	bool stopped_at_duration; /* the tree was still running at --duration */

	__u32 target_pid;
	bool target_exited;
	int exit_code; /* -1 when killed by a signal or still running */
	int signal;

	__u64 start_ns; /* CLOCK_MONOTONIC when the target was released */
	__u64 duration_ns;

	size_t nr_processes;
	struct process_profile *processes; /* owned */

	size_t nr_syscall_waits;
	struct syscall_stat *syscall_waits; /* owned; sorted by total_ns */
	bool syscalls_enabled;
	size_t nr_syscalls;
	struct syscall_stat *syscalls; /* owned; sorted by total_ns */

	struct cause_waits waits[NR_CAUSES];
	/*
	 * The longest union in time of the tree's external waits on one pipe,
	 * whichever threads waited (bpf/abi.h, struct pipe_stream)
	 */
	__u64 pipe_stream_ns;
	struct request_stats requests[NR_REQ_KINDS];
	struct stacks stacks;
	struct connections conns;

	__u64 bucket_ns;
	size_t nr_buckets;
	struct timeline_bucket *buckets; /* owned */

	char runtime[32]; /* "cpython", "nodejs", "go", "jvm", "native", "" unknown */
	struct runtime_knobs knobs;
	struct overhead overhead;
};

/* Tree-wide sums of the per-thread accounts. */
struct profile_totals {
	__u64 cpu_ns;
	__u64 runq_ns;
	__u64 runq_wakeup_ns;
	__u64 runq_preempt_ns;
	__u64 blocked_ns[NR_CAUSES];
	__u64 internal_ns[NR_CAUSES];
	size_t nr_threads;
};

extern const char *const cause_names[NR_CAUSES];

/* Index of a cause name, or -1. */
int cause_from_name(const char *name);

void profile_totals(const struct profile *p, struct profile_totals *t);

/* Frees everything the profile owns, not the struct itself. */
void profile_free(struct profile *p);
/* Frees what s owns and zeroes it. */
void stacks_free(struct stacks *s);

/* log2 histogram slot of a duration, clamped to MAX_SLOTS - 1. */
unsigned int hist_slot(__u64 ns);

/*
 * The value v such that half of the histogram's total time is in waits of at
 * least v ns (time-weighted median), interpolated inside the slot and never
 * above max_ns, the longest wait it holds (0: not known).
 */
__u64 hist_weighted_median(const __u64 *slots, size_t nr_slots, __u64 max_ns);

#endif /* ADVISOR_PROFILE_H */
