/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The user-space side of the probes: load, attach, mark the tree's root,
 * read the maps into a profile, and detach. Every function that can fail
 * returns 0 or -errno and, where given, a one-line reason in err.
 */
#ifndef ADVISOR_PROBES_H
#define ADVISOR_PROBES_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "profile.h"
#include "util.h"
#include "../bpf/abi.h"

struct probes;

struct probes_opts {
	bool syscalls; /* -S: the per-syscall table */
	bool stacks; /* --stacks: user stacks of waits and of time on CPU */
	bool kernel_stacks; /* --kernel-stacks: their kernel stacks too (with stacks) */
	int cgroup_fd; /* cgroup v2 directory of the run, or -1 for none */
	bool verbose;
};

/* caller frees with probes_destroy() */
int probes_open(struct probes **out, const struct probes_opts *o, char *err, size_t errlen);
void probes_destroy(struct probes *p);

/* A thread to make a member of the tree, in a known state. */
struct probe_seed {
	pid_t tid;
	pid_t pid;
	pid_t ppid;
	__u32 state; /* enum thread_state */
	__u32 cause; /* enum cause, when blocked */
	__u32 sys; /* the syscall it is blocked in, or NOT_IN_SYSCALL */
	__u32 loopback;
	__u64 ts; /* 0 for the held root of `run`; else the attach time */
	__u64 exec_ns; /* its schedstat then: on-CPU time */
	__u64 delay_ns; /* and run-queue time */
	char comm[COMM_LEN];
};

/*
 * Makes the held child of `run` the root of the tree, its account starting
 * at now (CLOCK_MONOTONIC ns), just before it is released.
 */
int probes_seed_root(struct probes *p, pid_t pid, __u64 now);

/* attach: makes a running thread a member, its account starting at seed->ts. */
int probes_seed(struct probes *p, const struct probe_seed *seed);
int probes_seed_proc(struct probes *p, const struct proc_info *pi);

/*
 * attach: the tree's connections on the cgroups its processes live in.
 * probes_conns_open() loads the programs, on no cgroup yet;
 * probes_conns_seed() reads a process's sockets: what it holds open
 * (CONNS_SEED_OPEN, every process's before the programs go on any cgroup,
 * so none is counted twice), then its listening ports (CONNS_SEED_LISTENING,
 * after); probes_conns_attach_cgroup() puts the programs on one cgroup v2
 * directory; probes_conns_seeded() ends the seeding. After a failure
 * (-errno, a reason in err) probes_conns_drop() leaves connections not
 * counted.
 */
enum conns_seed { CONNS_SEED_OPEN, CONNS_SEED_LISTENING };
int probes_conns_open(struct probes *p, char *err, size_t errlen);
int probes_conns_attach_cgroup(struct probes *p, int cgroup_fd, char *err, size_t errlen);
int probes_conns_seed(struct probes *p, pid_t pid, enum conns_seed what);
void probes_conns_seeded(struct probes *p, const pid_t *pids, size_t nr);
void probes_conns_drop(struct probes *p);

/* Whether a thread of the tree is still there (attach ends when none is). */
bool probes_live(struct probes *p);

/* Sums the tree's running totals over CPUs. */
int probes_totals(struct probes *p, struct tree_totals *out);

/*
 * What the tree's episodes open for at least min_age ns have done by now
 * (CLOCK_MONOTONIC), which the totals do not hold yet: see probes/sched.c.
 * *reclassified (owned by p, until the next call) gets the stretches of the
 * waits the last call counted as I/O that closed since as waits a thread of
 * the tree ended (other): the timeline takes them back where it booked them.
 */
int probes_open_work(struct probes *p, __u64 now, __u64 min_age, struct timeline_bucket *out,
		     const struct span_ns **reclassified, size_t *nr_reclassified);

/*
 * Moves the accounts of threads that have exited out of the kernel's maps
 * into p's own log, so the bounded maps never fill on long runs.
 */
int probes_drain(struct probes *p);

/* Reads everything measured into prof (threads, waits, syscalls, conns). */
int probes_collect(struct probes *p, struct profile *prof);

/* --- probes/names.c: syscall names and classes through libseccomp --- */

/* Fills class[nr] (enum syscall_class) for the native architecture. */
int syscall_classes_fill(__u8 *class, size_t n);
/* Fills native[nr] with the x86_64 number of ia32 syscall nr's name, or NOT_IN_SYSCALL. */
int syscall_ia32_native_fill(__u16 *native, size_t n);

/* Name of syscall nr, or "nr_N"; NOT_IN_SYSCALL is "page_fault". */
void syscall_name(int nr, char *buf, size_t len);

/* --- per-family loaders, used by probes.c --- */
struct probe_sched;
struct probe_syscalls;
struct probe_conns;

/*
 * stacks: take the user stack of every wait (--stacks, bpf/stacks.bpf.h);
 * kstacks: and its kernel stack (--kernel-stacks)
 */
int probe_sched_open(struct probe_sched **out, bool stacks, bool kstacks, char *err,
		     size_t errlen);
int probe_sched_tree_fd(const struct probe_sched *s);
/* The fd of one of the scheduler object's maps, to share; -ENOENT */
int probe_sched_map_fd(const struct probe_sched *s, const char *name);
/* Whether the switch-out loads directly (6.2+), or with probe reads. */
bool probe_sched_direct_loads(const struct probe_sched *s);
int probe_sched_seed(struct probe_sched *s, const struct probe_seed *seed);
int probe_sched_seed_proc(struct probe_sched *s, const struct proc_info *pi);
bool probe_sched_live(struct probe_sched *s);
int probe_sched_totals(struct probe_sched *s, struct tree_totals *out);
int probe_sched_open_work(struct probe_sched *s, __u64 now, __u64 min_age,
			  struct timeline_bucket *out, const struct span_ns **reclassified,
			  size_t *nr_reclassified);
int probe_sched_drain(struct probe_sched *s);
int probe_sched_collect(struct probe_sched *s, struct profile *prof);
__u64 probe_sched_misses(struct probe_sched *s);
void probe_sched_destroy(struct probe_sched *s);

int probe_syscalls_open(struct probe_syscalls **out, int tree_fd, char *err, size_t errlen);
void probe_syscalls_forget(struct probe_syscalls *s);
int probe_syscalls_collect(struct probe_syscalls *s, struct profile *prof);
__u64 probe_syscalls_misses(struct probe_syscalls *s);
void probe_syscalls_destroy(struct probe_syscalls *s);

struct probe_requests;
int probe_requests_open(struct probe_requests **out, int tree_fd, char *err, size_t errlen);
int probe_requests_collect(struct probe_requests *r, struct profile *prof);
void probe_requests_destroy(struct probe_requests *r);

/* cgroup_fd -1: attach, the programs loaded, not yet on any cgroup */
int probe_conns_open(struct probe_conns **out, int cgroup_fd, int tree_fd, char *err,
		     size_t errlen);
int probe_conns_attach_cgroup(struct probe_conns *c, int cgroup_fd, char *err, size_t errlen);
int probe_conns_seed_pid(struct probe_conns *c, pid_t pid, enum conns_seed what);
void probe_conns_seeded(struct probe_conns *c, const pid_t *pids, size_t nr);
int probe_conns_collect(struct probe_conns *c, struct profile *prof);
void probe_conns_destroy(struct probe_conns *c);

/*
 * --stacks (probes/stacks.c): the on-CPU sampler, on the scheduler's stack
 * maps. probe_stacks_drain() reads the mappings of the processes that
 * showed stacks since the last call, while they live; collect symbolises.
 */
struct probe_stacks;
int probe_stacks_open(struct probe_stacks **out, const struct probe_sched *sched, bool kstacks,
		      char *err, size_t errlen);
void probe_stacks_drain(struct probe_stacks *st);
int probe_stacks_collect(struct probe_stacks *st, struct profile *prof);
void probe_stacks_destroy(struct probe_stacks *st);

#endif /* ADVISOR_PROBES_H */
