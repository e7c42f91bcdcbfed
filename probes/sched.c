// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Loader and reader of the scheduler probes (bpf/sched.bpf.c). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../bpf/hist.bpf.h"
#include "probes.h"
#include "sched.skel.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* Linux 6.9: a pidfd for one thread */
#endif

struct probe_sched {
	struct sched_bpf *skel;
	int ncpus;
	bool direct_loads; /* the switch-out reads the fd's file through bpf_rdonly_cast() */
	/* the tree_pids bitmap (bpf/tree_pids.bpf.h), mapped: a bit per pid that may be a member */
	__u64 *pids;
	size_t nr_pid_words, pids_len; /* pids_len: the mapping's bytes, whole pages */
	/* accounts of exited threads and processes, drained from the maps */
	struct thread_stats *threads;
	size_t nr_threads, cap_threads;
	struct proc_info *procs;
	size_t nr_procs, cap_procs;
	bool oom;
	/*
	 * Waits the final sweep closed: still open (no wakeup seen) or ended
	 * by a wakeup but not yet by a switch-out, by cause and by syscall
	 */
	struct wait_hist open[NR_CAUSES], ended[NR_CAUSES];
	struct swept_wait {
		__u32 sys;
		__u64 ns;
	} *swept;
	size_t nr_swept, cap_swept;
	/*
	 * The waits the last open-work tally counted as I/O (tallied[0]), the
	 * ones this tally counts (tallied[1]), and those of the last that have
	 * closed since as waits the tree ended (probe_sched_open_work())
	 */
	struct tallied_io {
		__u32 tid;
		__u64 ep_ts, seen_ns, internal_ns;
	} *tallied[2];
	size_t nr_tallied[2], cap_tallied[2];
	struct span_ns *reclassified;
	size_t nr_reclassified, cap_reclassified;
	size_t threads_at_tally; /* nr_threads then: the exited ones drained since follow */
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	size_t ncap;
	void *n;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*arr, ncap * elem);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}

/*
 * The inode of advisor's own pid namespace, or 0 in the initial one, where
 * the programs read a task's ids directly.
 */
static __u32 pidns_inum(void)
{
	/* PROC_PID_INIT_INO in the kernel's include/linux/proc_ns.h */
	const __u32 init_ino = 0xEFFFFFFCU;
	struct stat st;

	if (stat("/proc/self/ns/pid", &st) || st.st_ino == init_ino)
		return 0;
	return (__u32)st.st_ino;
}

/* Words of the tree_pids bitmap: one bit for every pid up to pid_max (4M at most). */
static size_t pid_words(void)
{
	unsigned long max = 4194304; /* PID_MAX_LIMIT on 64-bit */
	FILE *f = fopen("/proc/sys/kernel/pid_max", "r");

	if (f) {
		if (fscanf(f, "%lu", &max) != 1 || !max || max > 4194304)
			max = 4194304;
		fclose(f);
	}
	return (max + 63) / 64;
}

/*
 * Maps the loaded tree_pids bitmap. In a nested pid namespace every bit is
 * set: the kernel's pids of the seeded tasks cannot be named from here.
 */
static int pids_map(struct probe_sched *s)
{
	size_t page = sysconf(_SC_PAGESIZE);
	size_t len = (s->nr_pid_words * sizeof(__u64) + page - 1) / page * page;
	void *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
		       bpf_map__fd(s->skel->maps.tree_pids), 0);

	if (m == MAP_FAILED)
		return -errno;
	s->pids = m;
	s->pids_len = len;
	if (s->skel->rodata->pidns_inum)
		memset(s->pids, 0xff, s->nr_pid_words * sizeof(__u64));
	return 0;
}

static void pids_unmap(struct probe_sched *s)
{
	if (s->pids)
		munmap(s->pids, s->pids_len);
	s->pids = NULL;
}

/*
 * Opens and loads the scheduler programs with one of the two switch-outs:
 * direct loads through bpf_rdonly_cast() (Linux 6.2+), or probe reads.
 */
static int load_variant(struct probe_sched *s, bool direct, bool stacks, bool kstacks)
{
	s->skel = sched_bpf__open();
	if (!s->skel)
		return -errno;
	s->skel->rodata->stacks_on = stacks;
	s->skel->rodata->kstacks_on = stacks && kstacks;
	if (!stacks) {
		/* without --stacks nothing of them is allocated */
		bpf_map__set_max_entries(s->skel->maps.stack_traces, 1);
		bpf_map__set_max_entries(s->skel->maps.stack_times, 1);
		bpf_map__set_max_entries(s->skel->maps.stack_samples, 1);
		bpf_map__set_max_entries(s->skel->maps.stack_procs, 1);
		bpf_map__set_max_entries(s->skel->maps.stack_new_procs, 4096);
	}
	bpf_program__set_autoload(s->skel->progs.on_sched_switch, direct);
	bpf_program__set_autoload(s->skel->progs.on_sched_switch_read, !direct);
	syscall_classes_fill((__u8 *)s->skel->rodata->syscall_class, MAX_SYSCALLS);
	syscall_ia32_native_fill((__u16 *)s->skel->rodata->ia32_native, MAX_SYSCALLS);
	s->skel->rodata->pidns_inum = pidns_inum();
	bpf_map__set_max_entries(s->skel->maps.tree_pids, s->nr_pid_words);
	return sched_bpf__load(s->skel);
}

int probe_sched_open(struct probe_sched **out, bool stacks, bool kstacks, char *err,
		     size_t errlen)
{
	struct probe_sched *s = calloc(1, sizeof(*s));
	int e;

	if (!s)
		return -ENOMEM;
	s->ncpus = libbpf_num_possible_cpus();
	s->nr_pid_words = pid_words();
	s->direct_loads = true;
	e = load_variant(s, true, stacks, kstacks);
	if (e && e != -EPERM) {
		/* before 6.2 the kernel has no bpf_rdonly_cast(): read the fd's file instead */
		sched_bpf__destroy(s->skel);
		s->direct_loads = false;
		e = load_variant(s, false, stacks, kstacks);
	}
	if (!s->skel) {
		snprintf(err, errlen, "cannot open sched probe: %s", strerror(-e));
		goto out_free;
	}
	if (e) {
		snprintf(err, errlen, "cannot load sched probe: %s", strerror(-e));
		goto out_destroy;
	}
	e = pids_map(s);
	if (e) {
		snprintf(err, errlen, "cannot map the tree's pids: %s", strerror(-e));
		goto out_destroy;
	}
	e = sched_bpf__attach(s->skel);
	if (e) {
		snprintf(err, errlen, "cannot attach sched probe: %s", strerror(-e));
		goto out_destroy;
	}
	*out = s;
	return 0;

out_destroy:
	pids_unmap(s);
	sched_bpf__destroy(s->skel);
out_free:
	free(s);
	return e ? e : -EINVAL;
}

int probe_sched_map_fd(const struct probe_sched *s, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(s->skel->obj, name);

	return m ? bpf_map__fd(m) : -ENOENT;
}

bool probe_sched_direct_loads(const struct probe_sched *s)
{
	return s->direct_loads;
}

int probe_sched_tree_fd(const struct probe_sched *s)
{
	return bpf_map__fd(s->skel->maps.tree);
}

int probe_sched_seed(struct probe_sched *s, const struct probe_seed *seed)
{
	struct task_state v = {
		.ts = seed->ts,
		.exec_last = seed->exec_ns,
		.delay_last = seed->delay_ns,
		.state = seed->state,
		.cause = seed->cause,
		.sys = seed->sys,
		.loopback = seed->loopback,
		.tid = seed->tid,
		.tgid = seed->pid,
	};
	int pidfd = syscall(SYS_pidfd_open, seed->tid, seed->tid == seed->pid ? 0 : PIDFD_THREAD);
	int e = 0;

	if (pidfd < 0)
		return -errno;
	/* may be a member from now on: marked before its account exists */
	if ((size_t)seed->tid / 64 < s->nr_pid_words)
		__atomic_fetch_or(&s->pids[(size_t)seed->tid / 64], 1ULL << (seed->tid % 64),
				  __ATOMIC_SEQ_CST);
	if (bpf_map_update_elem(probe_sched_tree_fd(s), &pidfd, &v, BPF_NOEXIST))
		e = -errno;
	close(pidfd);
	if (e || !seed->ts)
		return e;
	/* an attached thread's account starts at the attach */
	struct thread_stats st = {
		.pid = seed->pid,
		.tid = seed->tid,
		.ppid = seed->ppid,
		.start_ns = seed->ts,
		.ep_ts = seed->ts,
		.ep_exec_ns = seed->exec_ns,
		.ep_delay_ns = seed->delay_ns,
		.ep_kind = seed->state != TS_BLOCKED ? EPISODE_RUNNING :
			   CAUSE_IS_IO(seed->cause) ? EPISODE_BLOCKED_IO : EPISODE_BLOCKED,
		.ep_cause = seed->cause,
		.ep_sys = seed->sys,
	};
	__u32 tid = seed->tid;

	memcpy(st.comm, seed->comm, sizeof(st.comm));
	/*
	 * The thread is traced from the storage update above: a switch-out of
	 * it since then has opened its account already, and that one stays.
	 */
	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.thread_stats), &tid, &st, BPF_NOEXIST) &&
	    errno != EEXIST)
		return -errno;
	return 0;
}

int probe_sched_seed_proc(struct probe_sched *s, const struct proc_info *pi)
{
	__u32 pid = pi->pid;

	if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.proc_infos), &pid, pi, BPF_ANY))
		return -errno;
	return 0;
}

/* Whether the thread tid (in advisor's pid namespace) is still there: /proc/TID finds any thread. */
static bool thread_exists(__u32 tid)
{
	char path[32];

	snprintf(path, sizeof(path), "/proc/%u", tid);
	return !access(path, F_OK);
}

/*
 * Whether a thread's account is still open in the kernel with its thread
 * there: one whose thread is gone waits for a last switch-out that may
 * never come (a thread seeded by attach as it died), so it does not keep
 * the profile going.
 */
bool probe_sched_live(struct probe_sched *s)
{
	int fd = bpf_map__fd(s->skel->maps.thread_stats);
	__u32 key, next;
	void *prev = NULL;
	struct thread_stats st;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &st) && !st.exited && thread_exists(st.tid))
			return true;
	}
	return false;
}

static __u64 internal_sum(const struct thread_stats *st)
{
	__u64 n = 0;

	for (int c = 0; c < NR_CAUSES; c++)
		n += st->internal_ns[c];
	return n;
}

/*
 * Of the waits the last tally counted as I/O, those that have closed since
 * as waits a thread of the tree ended, as the stretch the timeline booked
 * them over (their start to the last tally). Such a close adds the whole
 * wait to the thread's internal time; an external one adds none of it, so
 * only internal waits after it within the tick could mistake it, and the
 * timeline takes back no more I/O than the totals say was none. A thread
 * that exited since is in the accounts drained since the last tally (the
 * session drains before it tallies).
 */
static bool exited_since(const struct probe_sched *s, __u32 tid, struct thread_stats *st)
{
	for (size_t i = s->nr_threads; i-- > s->threads_at_tally;)
		if (s->threads[i].tid == tid) {
			*st = s->threads[i];
			return true;
		}
	return false;
}

static void find_reclassified(struct probe_sched *s, int fd)
{
	struct thread_stats st;

	s->nr_reclassified = 0;
	for (size_t i = 0; i < s->nr_tallied[0]; i++) {
		const struct tallied_io *t = &s->tallied[0][i];
		__u64 internal;

		/* a wait that a sibling ended just before its thread exited (cat at EOF) */
		if (bpf_map_lookup_elem(fd, &t->tid, &st) && !exited_since(s, t->tid, &st))
			continue;
		if (st.ep_ts == t->ep_ts && st.ep_kind == EPISODE_BLOCKED_IO && !st.exited)
			continue;
		internal = internal_sum(&st);
		/* below the last tally's: another thread's account under a reused id */
		if (internal < t->internal_ns || internal - t->internal_ns < t->seen_ns - t->ep_ts)
			continue;
		if (grow((void **)&s->reclassified, &s->cap_reclassified, s->nr_reclassified + 1,
			 sizeof(*s->reclassified)))
			return;
		s->reclassified[s->nr_reclassified++] =
			(struct span_ns){ .from_ns = t->ep_ts, .to_ns = t->seen_ns };
	}
}

/*
 * What the episodes still open have done so far, for the timeline: an
 * episode's states reach the totals only when it closes, so a long one
 * would land whole in its last bucket. Episodes open for at least min_age
 * are tallied: a blocked thread that has not run since has been blocked
 * since the switch-out; a running or runnable one (or one woken since) has
 * the kernel's counters' growth. The timeline books the difference from
 * one tally to the next.
 */
int probe_sched_open_work(struct probe_sched *s, __u64 now, __u64 min_age,
			  struct timeline_bucket *out, const struct span_ns **reclassified,
			  size_t *nr_reclassified)
{
	int fd = bpf_map__fd(s->skel->maps.thread_stats);
	__u32 key, next;
	void *prev = NULL;
	struct thread_stats st;
	struct tallied_io *swap;
	size_t cap;

	memset(out, 0, sizeof(*out));
	find_reclassified(s, fd);
	*reclassified = s->reclassified;
	*nr_reclassified = s->nr_reclassified;
	s->nr_tallied[1] = 0;
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		__u64 exec, delay;

		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(fd, &key, &st) || st.exited || !st.ep_ts ||
		    now < st.ep_ts + min_age)
			continue;
		if (probe_read_schedstat(st.pid, st.tid, &exec, &delay))
			continue;
		if (st.ep_kind != EPISODE_RUNNING && exec == st.ep_exec_ns &&
		    delay == st.ep_delay_ns) {
			if (st.ep_kind != EPISODE_BLOCKED_IO) {
				out->other_ns += now - st.ep_ts;
				continue;
			}
			out->io_ns += now - st.ep_ts;
			/* out of memory: its close, if internal, is repaid latest first */
			if (!grow((void **)&s->tallied[1], &s->cap_tallied[1], s->nr_tallied[1] + 1,
				  sizeof(*s->tallied[1])))
				s->tallied[1][s->nr_tallied[1]++] = (struct tallied_io){
					.tid = st.tid,
					.ep_ts = st.ep_ts,
					.seen_ns = now,
					.internal_ns = internal_sum(&st),
				};
			continue;
		}
		out->cpu_ns += exec > st.ep_exec_ns ? exec - st.ep_exec_ns : 0;
		out->runq_ns += delay > st.ep_delay_ns ? delay - st.ep_delay_ns : 0;
	}
	s->threads_at_tally = s->nr_threads;
	swap = s->tallied[0];
	s->tallied[0] = s->tallied[1];
	s->tallied[1] = swap;
	s->nr_tallied[0] = s->nr_tallied[1];
	cap = s->cap_tallied[0];
	s->cap_tallied[0] = s->cap_tallied[1];
	s->cap_tallied[1] = cap;
	return 0;
}

int probe_sched_totals(struct probe_sched *s, struct tree_totals *out)
{
	struct tree_totals *v = calloc(s->ncpus, sizeof(*v));
	__u32 zero = 0;

	if (!v)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	if (bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.totals), &zero, v)) {
		free(v);
		return -errno;
	}
	for (int c = 0; c < s->ncpus; c++) {
		out->cpu_ns += v[c].cpu_ns;
		out->runq_ns += v[c].runq_ns;
		out->io_ns += v[c].io_ns;
		out->other_ns += v[c].other_ns;
		out->events += v[c].events;
		out->dropped += v[c].dropped;
		out->anomalies += v[c].anomalies;
	}
	free(v);
	return 0;
}

static int log_thread(struct probe_sched *s, const struct thread_stats *st)
{
	if (grow((void **)&s->threads, &s->cap_threads, s->nr_threads + 1, sizeof(*st))) {
		s->oom = true;
		return -ENOMEM;
	}
	s->threads[s->nr_threads++] = *st;
	return 0;
}

static int log_proc(struct probe_sched *s, __u32 pid)
{
	int fd = bpf_map__fd(s->skel->maps.proc_infos);
	struct proc_info pi;

	if (bpf_map_lookup_elem(fd, &pid, &pi))
		return -errno;
	bpf_map_delete_elem(fd, &pid);
	if (grow((void **)&s->procs, &s->cap_procs, s->nr_procs + 1, sizeof(pi))) {
		s->oom = true;
		return -ENOMEM;
	}
	s->procs[s->nr_procs++] = pi;
	return 0;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * A thread still alive at the end is in the middle of an episode: close it
 * as its next switch-out would (bpf/sched.bpf.c, close_episode()), so its
 * account covers the whole run.
 */
/*
 * A wait of st the sweep closed, into the histograms: one still open is the
 * longest of all, and an open I/O wait is also the thread's open_io_ns.
 */
static void sweep_wait(struct probe_sched *s, struct thread_stats *st, __u32 cause, __u32 sys,
		       bool woken, __u64 ns)
{
	if (cause >= NR_CAUSES)
		return;
	wait_hist_add(woken ? &s->ended[cause] : &s->open[cause], ns);
	if (!woken && CAUSE_IS_IO(cause))
		st->open_io_ns = ns;
	if (!grow((void **)&s->swept, &s->cap_swept, s->nr_swept + 1, sizeof(*s->swept)))
		s->swept[s->nr_swept++] = (struct swept_wait){ sys & (MAX_SYSCALLS - 1), ns };
}

/*
 * close_open_interval() without the task's storage (a thread pidfd needs
 * Linux 6.9): from the open episode its account keeps (ep_*). A blocked
 * thread that has not run since is still waiting; one that ran was woken,
 * and the rest of the episode, as close_episode() takes it, is its wait.
 */
static void close_from_account(struct probe_sched *s, struct thread_stats *st)
{
	__u64 now = now_ns(), exec, delay, dcpu, ddelay, gap, rest = 0;

	if (!st->ep_ts || probe_read_schedstat(st->pid, st->tid, &exec, &delay))
		return;
	gap = now > st->ep_ts ? now - st->ep_ts : 0;
	dcpu = exec > st->ep_exec_ns ? exec - st->ep_exec_ns : 0;
	ddelay = delay > st->ep_delay_ns ? delay - st->ep_delay_ns : 0;
	if (gap > dcpu + ddelay)
		rest = gap - dcpu - ddelay;
	st->cpu_ns += dcpu;
	if (st->ep_kind == EPISODE_RUNNING) {
		st->runq_preempt_ns += ddelay + rest;
		return;
	}
	st->runq_wakeup_ns += ddelay;
	if (st->ep_cause < NR_CAUSES)
		st->blocked_ns[st->ep_cause] += rest;
	sweep_wait(s, st, st->ep_cause, st->ep_sys, dcpu || ddelay, rest);
}

static void close_open_interval(struct probe_sched *s, struct thread_stats *st)
{
	int pidfd = syscall(SYS_pidfd_open, st->tid, st->tid == st->pid ? 0 : PIDFD_THREAD);
	__u64 now, gap, exec = 0, delay = 0, dcpu = 0, ddelay = 0, rest = 0;
	struct task_state ts;

	if (pidfd < 0) {
		close_from_account(s, st);
		return;
	}
	if (bpf_map_lookup_elem(probe_sched_tree_fd(s), &pidfd, &ts) || ts.state == TS_NEW ||
	    ts.state == TS_DEAD) {
		close(pidfd);
		return;
	}
	close(pidfd);
	now = now_ns();
	gap = now > ts.ts ? now - ts.ts : 0;
	if (!probe_read_schedstat(st->pid, st->tid, &exec, &delay)) {
		dcpu = exec > ts.exec_last ? exec - ts.exec_last : 0;
		ddelay = delay > ts.delay_last ? delay - ts.delay_last : 0;
	}
	/* as close_episode() does, the debt of earlier episodes first */
	if (gap > dcpu + ddelay + ts.debt_ns)
		rest = gap - dcpu - ddelay - ts.debt_ns;
	st->cpu_ns += dcpu;
	switch (ts.state) {
	case TS_BLOCKED:
		st->runq_wakeup_ns += ddelay;
		if (ts.cause < NR_CAUSES)
			st->blocked_ns[ts.cause] += rest;
		sweep_wait(s, st, ts.cause, ts.sys, ts.wake & WAKE_SEEN, rest);
		break;
	case TS_AFTER_WAKEUP:
		st->runq_wakeup_ns += ddelay;
		st->runq_preempt_ns += rest; /* steal: see close_episode() */
		break;
	default:
		st->runq_preempt_ns += ddelay + rest;
	}
}

static int cmp_u32(const void *a, const void *b)
{
	__u32 x = *(const __u32 *)a, y = *(const __u32 *)b;

	return x < y ? -1 : x > y;
}

/*
 * The keys of thread_stats, each once, in *out (caller frees). A walk with
 * get_next_key starts over from the first bucket when a thread's exit
 * deletes the key it stands on, so it can meet a key twice.
 */
static ssize_t thread_keys(struct probe_sched *s, __u32 **out)
{
	int fd = bpf_map__fd(s->skel->maps.thread_stats);
	__u32 *keys = NULL, key, next;
	size_t n = 0, cap = 0, u = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (grow((void **)&keys, &cap, n + 1, sizeof(*keys))) {
			free(keys);
			return -ENOMEM;
		}
		keys[n++] = key;
	}
	if (n)
		qsort(keys, n, sizeof(*keys), cmp_u32);
	for (size_t i = 0; i < n; i++)
		if (!u || keys[i] != keys[u - 1])
			keys[u++] = keys[i];
	*out = keys;
	return (ssize_t)u;
}

/* Takes what the programs queued: dead processes first, then dead threads. */
static int drain_queues(struct probe_sched *s)
{
	int qfd = bpf_map__fd(s->skel->maps.dead_threads);
	int pfd = bpf_map__fd(s->skel->maps.dead_procs);
	struct thread_stats st;
	struct proc_info pi;

	/* a leader's info must be logged before a later one of its pid */
	while (!bpf_map_lookup_and_delete_elem(pfd, NULL, &pi)) {
		if (grow((void **)&s->procs, &s->cap_procs, s->nr_procs + 1, sizeof(pi))) {
			s->oom = true;
			return -ENOMEM;
		}
		s->procs[s->nr_procs++] = pi;
	}
	while (!bpf_map_lookup_and_delete_elem(qfd, NULL, &st))
		if (log_thread(s, &st))
			return -ENOMEM;
	return 0;
}

/*
 * Moves threads out of the kernel map: the dead ones the queue could not
 * take, and with all (the final sweep, programs detached) the live ones
 * too, their open episode closed. An account marked EXITED_QUEUED is in the
 * queue or on its way there, and is taken from the queue only.
 */
static int drain(struct probe_sched *s, bool all)
{
	int fd = bpf_map__fd(s->skel->maps.thread_stats);
	struct thread_stats st;
	__u32 *keys = NULL;
	ssize_t n;
	int e;

	e = drain_queues(s);
	if (e)
		return e;
	n = thread_keys(s, &keys);
	if (n < 0)
		return (int)n;
	for (ssize_t i = 0; i < n && !e; i++) {
		if (bpf_map_lookup_elem(fd, &keys[i], &st) || st.exited == EXITED_QUEUED)
			continue;
		if (!all && !st.exited)
			continue;
		if (!st.exited)
			close_open_interval(s, &st);
		e = log_thread(s, &st);
		if (!e && st.tid == st.pid)
			log_proc(s, st.pid);
		bpf_map_delete_elem(fd, &keys[i]);
	}
	free(keys);
	/* what reached the queue during the walk */
	return e ? e : drain_queues(s);
}

int probe_sched_drain(struct probe_sched *s)
{
	return drain(s, false);
}

static void percpu_hist_sum(const struct wait_hist *v, int ncpus, struct wait_hist *out)
{
	memset(out, 0, sizeof(*out));
	for (int c = 0; c < ncpus; c++)
		probe_hist_merge(out, &v[c]);
}

#define hist_merge probe_hist_merge

static int collect_waits(struct probe_sched *s, struct profile *prof)
{
	struct wait_hist *v = calloc(s->ncpus, sizeof(*v)), *all;
	int cfd = bpf_map__fd(s->skel->maps.cause_hists);
	int sfd = bpf_map__fd(s->skel->maps.syscall_waits);
	struct wait_hist h;

	if (!v)
		return -ENOMEM;
	for (__u32 c = 0; c < NR_CAUSES; c++) {
		memset(&prof->waits[c], 0, sizeof(prof->waits[c]));
		for (__u32 internal = 0; internal < 2; internal++) {
			__u32 idx = c * 2 + internal;

			if (bpf_map_lookup_elem(cfd, &idx, v))
				continue;
			percpu_hist_sum(v, s->ncpus, &h);
			hist_merge(&prof->waits[c].all, &h);
			if (!internal)
				hist_merge(&prof->waits[c].ext, &h);
		}
		/* no thread of the tree ended them (an ended one: the waker is not judged) */
		hist_merge(&prof->waits[c].all, &s->open[c]);
		hist_merge(&prof->waits[c].ext, &s->open[c]);
		hist_merge(&prof->waits[c].all, &s->ended[c]);
		hist_merge(&prof->waits[c].ext, &s->ended[c]);
		prof->waits[c].open = s->open[c];
	}
	prof->nr_syscall_waits = 0;
	prof->syscall_waits = calloc(MAX_SYSCALLS, sizeof(*prof->syscall_waits));
	all = calloc((size_t)MAX_SYSCALLS * s->ncpus, sizeof(*all));
	if (!prof->syscall_waits || !all || probe_percpu_array_read(sfd, MAX_SYSCALLS, sizeof(*all),
								    s->ncpus, all)) {
		free(all);
		free(v);
		return -ENOMEM;
	}
	for (size_t i = 0; i < s->nr_swept; i++) {
		/* the sweep's waits go into their syscall's first CPU's slot */
		wait_hist_add(all + (size_t)s->swept[i].sys * s->ncpus, s->swept[i].ns);
	}
	for (__u32 nr = 0; nr < MAX_SYSCALLS; nr++) {
		struct syscall_stat *ss;

		percpu_hist_sum(all + (size_t)nr * s->ncpus, s->ncpus, &h);
		if (!h.count)
			continue;
		ss = &prof->syscall_waits[prof->nr_syscall_waits++];
		ss->nr = nr == NOT_IN_SYSCALL ? -1 : (int)nr;
		syscall_name(nr, ss->name, sizeof(ss->name));
		ss->count = h.count;
		ss->total_ns = h.total_ns;
		ss->max_ns = h.max_ns;
		memcpy(ss->hist, h.slots, sizeof(ss->hist));
	}
	free(all);
	free(v);
	return 0;
}

static int cmp_thread(const void *a, const void *b)
{
	const struct thread_stats *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* by pid, then in the order logged: a reused pid's processes in the order they lived */
static int cmp_proc(const void *a, const void *b)
{
	const struct proc_info *const *x = a, *const *y = b;

	if ((*x)->pid != (*y)->pid)
		return (*x)->pid < (*y)->pid ? -1 : 1;
	return *x < *y ? -1 : *x > *y;
}

/* The generation-th process info logged for pid, or NULL. */
static const struct proc_info *proc_of(struct proc_info *const *order, size_t n, __u32 pid,
				       size_t generation)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (order[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	lo += generation;
	return lo < n && order[lo]->pid == pid ? order[lo] : NULL;
}

static __u64 rel(__u64 t, __u64 base)
{
	return t > base ? t - base : 0;
}

static char *strndup_or_null(const char *s, size_t n)
{
	return s[0] ? strndup(s, n) : NULL;
}

/* Groups the logged threads into processes, in pid order. */
static int build_processes(struct probe_sched *s, struct profile *prof)
{
	struct process_profile *procs = NULL;
	struct proc_info **order = calloc(s->nr_procs + 1, sizeof(*order));
	size_t nr = 0, cap = 0, generation = 0;

	if (!order)
		return -ENOMEM;
	for (size_t i = 0; i < s->nr_procs; i++)
		order[i] = &s->procs[i];
	if (s->nr_threads > 1)
		qsort(s->threads, s->nr_threads, sizeof(*s->threads), cmp_thread);
	if (s->nr_procs > 1)
		qsort(order, s->nr_procs, sizeof(*order), cmp_proc);
	for (size_t i = 0; i < s->nr_threads;) {
		size_t j = i;
		struct process_profile *p;
		struct proc_info key = { .pid = s->threads[i].pid };
		const struct proc_info *pi;
		bool leader = false;
		__u64 leader_end = 0;

		/*
		 * A second leader of the same pid starts the next process to hold
		 * it, if it started after the first one ended. One that started
		 * before is a thread of the same process that exec'd and took the
		 * leader's id (bpf/sched.bpf.c, account_move()).
		 */
		while (j < s->nr_threads && s->threads[j].pid == key.pid) {
			const struct thread_stats *st = &s->threads[j];
			bool is_leader = st->tid == key.pid;

			if (is_leader && leader && leader_end && st->start_ns >= leader_end)
				break;
			if (is_leader) {
				leader = true;
				leader_end = st->exited ? st->end_ns : 0;
			}
			j++;
		}
		generation = nr && procs[nr - 1].pid == key.pid ? generation + 1 : 0;
		if (grow((void **)&procs, &cap, nr + 1, sizeof(*procs))) {
			free(order);
			return -ENOMEM;
		}
		p = &procs[nr++];
		memset(p, 0, sizeof(*p));
		p->pid = key.pid;
		p->threads = calloc(j - i, sizeof(*p->threads));
		if (!p->threads) {
			free(order);
			return -ENOMEM;
		}
		p->exit_code = -1;
		p->ppid = s->threads[i].ppid;
		memcpy(p->comm, s->threads[i].comm, COMM_LEN);
		p->start_ns = ~0ULL;
		for (size_t k = i; k < j; k++) {
			const struct thread_stats *st = &s->threads[k];
			struct thread_profile *t = &p->threads[p->nr_threads++];

			t->tid = st->tid;
			memcpy(t->comm, st->comm, COMM_LEN);
			t->start_ns = rel(st->start_ns, prof->start_ns);
			t->end_ns = st->exited ? rel(st->end_ns, prof->start_ns) : 0;
			t->cpu_ns = st->cpu_ns;
			t->runq_wakeup_ns = st->runq_wakeup_ns;
			t->runq_preempt_ns = st->runq_preempt_ns;
			memcpy(t->blocked_ns, st->blocked_ns, sizeof(t->blocked_ns));
			memcpy(t->internal_ns, st->internal_ns, sizeof(t->internal_ns));
			t->stream_ns = st->stream_ns;
			t->open_io_ns = st->open_io_ns;
			if (t->start_ns < p->start_ns)
				p->start_ns = t->start_ns;
			if (t->end_ns > p->end_ns)
				p->end_ns = t->end_ns;
			if (st->tid == st->pid) {
				/* the leader's comm and status speak for the process */
				memcpy(p->comm, st->comm, COMM_LEN);
				p->ppid = st->ppid;
				p->exited = st->exited;
				if (st->exited) {
					int status = st->exit_code;

					if (status & 0x7f) {
						p->signal = status & 0x7f;
						p->exit_code = -1;
					} else {
						p->exit_code = (status >> 8) & 0xff;
					}
				}
			}
		}
		if (p->start_ns == ~0ULL)
			p->start_ns = 0;
		/*
		 * No leader's account (attach found it a zombie, its last switch-out
		 * long past): the process ended when its last thread did, with an
		 * exit status no probe saw (exit_code stays -1).
		 */
		if (!leader) {
			p->exited = true;
			for (size_t k = 0; k < p->nr_threads; k++)
				p->exited &= p->threads[k].end_ns != 0;
		}
		pi = proc_of(order, s->nr_procs, key.pid, generation);
		if (pi) {
			p->exe = strndup_or_null(pi->exe, EXE_LEN);
			p->argv0 = strndup_or_null(pi->argv0, ARGV0_LEN);
			if (pi->ppid)
				p->ppid = pi->ppid;
		}
		i = j;
	}
	free(order);
	prof->processes = procs;
	prof->nr_processes = nr;
	return 0;
}

/*
 * A process can be reaped before its last thread's final switch-out: the
 * thread's id is released first, and its account waits for that switch-out
 * to close. Waits up to SETTLE_MAX_MS for the switch-outs of accounts whose
 * thread is gone, so that they are read closed (end and last episode).
 */
#define SETTLE_MAX_MS 200
static void settle(struct probe_sched *s)
{
	int fd = bpf_map__fd(s->skel->maps.thread_stats);

	for (int ms = 0; ms < SETTLE_MAX_MS; ms++) {
		__u32 key, next;
		void *prev = NULL;
		bool pending = false;
		struct thread_stats st;

		while (!pending && !bpf_map_get_next_key(fd, prev, &next)) {
			key = next;
			prev = &key;
			if (!bpf_map_lookup_elem(fd, &key, &st) && !st.exited && !thread_exists(st.tid))
				pending = true;
		}
		if (!pending)
			return;
		usleep(1000);
	}
}

/* The longest stream of the tree's external waits on one pipe, all threads together. */
static __u64 longest_pipe_stream(struct probe_sched *s)
{
	int fd = bpf_map__fd(s->skel->maps.pipe_streams);
	__u64 key, next, most = 0;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct pipe_stream ps;

		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &ps) && ps.ns > most)
			most = ps.ns;
	}
	return most;
}

int probe_sched_collect(struct probe_sched *s, struct profile *prof)
{
	int fd = bpf_map__fd(s->skel->maps.proc_infos);
	__u32 key, next;
	void *prev = NULL;
	int e;

	settle(s);
	/*
	 * The final sweep reads still maps: the programs stop changing the
	 * tree's accounts (a flag, faster than detaching them, so the open
	 * episodes are closed close to the end of the window). Live threads are
	 * then closed from their task storage and schedstat.
	 */
	__atomic_store_n(&s->skel->bss->stopped, 1, __ATOMIC_SEQ_CST);
	e = drain(s, true);
	if (e)
		return e;
	/* processes whose leader never showed up keep their identity too */
	while (!bpf_map_get_next_key(fd, prev, &next)) {
		struct proc_info pi;

		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(fd, &key, &pi) &&
		    !grow((void **)&s->procs, &s->cap_procs, s->nr_procs + 1, sizeof(pi)))
			s->procs[s->nr_procs++] = pi;
	}
	e = collect_waits(s, prof);
	if (e)
		return e;
	prof->pipe_stream_ns = longest_pipe_stream(s);
	return build_processes(s, prof);
}

__u64 probe_sched_misses(struct probe_sched *s)
{
	struct bpf_program *prog;
	__u64 n = 0;

	bpf_object__for_each_program(prog, s->skel->obj)
		n += probe_prog_misses(bpf_program__fd(prog));
	return n;
}

void probe_sched_destroy(struct probe_sched *s)
{
	if (!s)
		return;
	pids_unmap(s);
	sched_bpf__destroy(s->skel);
	free(s->threads);
	free(s->procs);
	free(s->swept);
	free(s->tallied[0]);
	free(s->tallied[1]);
	free(s->reclassified);
	free(s);
}
