// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../reports/report.h"
#include "runtime.h"
#include "session.h"
#include "timeline.h"

__u64 session_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * One tick of the timeline: what closed since the last tick, plus what the
 * episodes still open did meanwhile (the growth of their tally), so a long
 * wait or a long run on CPU spreads over the buckets it spans instead of
 * landing whole where it ends (timeline_spread()).
 */
static void timeline_push(struct session *rs, const struct tree_totals *now)
{
	struct timeline_bucket closed = {
		.cpu_ns = now->cpu_ns - rs->last.cpu_ns,
		.runq_ns = now->runq_ns - rs->last.runq_ns,
		.io_ns = now->io_ns - rs->last.io_ns,
		.other_ns = now->other_ns - rs->last.other_ns,
	}, open = { 0 }, delta;
	const struct span_ns *reclassified = NULL;
	size_t nr_reclassified = 0;

	/*
	 * At the last tick the episodes still open stay in the tally: the sweep
	 * closes them into the threads' accounts, never into the totals
	 */
	probes_open_work(rs->probes, session_now_ns(), TIMELINE_OPEN_MIN_NS, &open, &reclassified,
			 &nr_reclassified);
	timeline_spread(&rs->timeline, &closed, &open, &rs->open_last, &delta);
	timeline_repay(&rs->timeline, rs->prof, reclassified, nr_reclassified, &delta);
	/* out of memory: the tick is lost, and its totals join the next one */
	if (!timeline_add(&rs->timeline, rs->prof, &delta)) {
		rs->last = *now;
		rs->open_last = open;
	}
}

static void inspect_pid(pid_t pid, void *ctx)
{
	struct session *rs = ctx;
	struct runtime_seen *s = NULL;
	char path[64], exe[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	for (size_t i = 0; i < rs->nr_seen; i++) {
		if (rs->seen[i].pid == pid) {
			s = &rs->seen[i];
			if (strcmp(s->exe, exe))
				break;
			/* seen in the middle of its exec: its environment was not there yet */
			if (!s->knobs_read)
				s->knobs_read = runtime_read_knobs(pid, &s->knobs) != -EAGAIN;
			return;
		}
	}
	if (!s) {
		if (rs->nr_seen == MAX_INSPECTED)
			return;
		s = &rs->seen[rs->nr_seen++];
	}
	s->pid = pid;
	snprintf(s->exe, sizeof(s->exe), "%s", exe);
	if (runtime_detect(pid, s->runtime, sizeof(s->runtime)))
		snprintf(s->runtime, sizeof(s->runtime), "native");
	s->knobs_read = runtime_read_knobs(pid, &s->knobs) != -EAGAIN;
}

static void tick(struct session *rs, bool last_one)
{
	struct tree_totals t;

	/* first: the tally looks for the threads that exited since the last among them */
	probes_drain(rs->probes);
	if (!probes_totals(rs->probes, &t))
		timeline_push(rs, &t);
	if (last_one)
		return;
	/* the runtime is read from the live processes while they are there */
	if (rs->cg.fd >= 0)
		cgroup_for_each_pid(&rs->cg, inspect_pid, rs);
	else
		inspect_pid(rs->root, rs);
}

/*
 * The runtime of the busiest process, read while it lived or from its exe,
 * and the runtime knobs of its environment.
 */
static void pick_runtime(struct session *rs)
{
	struct profile *p = rs->prof;
	const struct process_profile *best = NULL;
	__u64 best_busy = 0;

	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		__u64 busy = 0;

		for (size_t j = 0; j < proc->nr_threads; j++)
			busy += proc->threads[j].cpu_ns + proc->threads[j].blocked_ns[CAUSE_NET] +
				proc->threads[j].blocked_ns[CAUSE_DISK] +
				proc->threads[j].blocked_ns[CAUSE_POLL];
		if (!best || busy > best_busy) {
			best = proc;
			best_busy = busy;
		}
	}
	snprintf(p->runtime, sizeof(p->runtime), "native");
	/* a process gone before any tick: its environment is unknown */
	p->knobs.uv_threadpool_size = p->knobs.gomaxprocs = -1;
	if (!best)
		return;
	for (size_t i = 0; i < rs->nr_seen; i++) {
		if (rs->seen[i].pid == (pid_t)best->pid) {
			snprintf(p->runtime, sizeof(p->runtime), "%s", rs->seen[i].runtime);
			p->knobs = rs->seen[i].knobs;
			return;
		}
	}
	if (best->exe)
		runtime_detect_path(best->exe, p->runtime, sizeof(p->runtime));
}

void session_fill_host(struct profile *p, char *const argv[], int argc)
{
	struct utsname u;

	if (!uname(&u))
		snprintf(p->kernel, sizeof(p->kernel), "%s", u.release);
	p->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	p->created_at = time(NULL);
	p->command = calloc(argc + 1, sizeof(char *));
	if (p->command) {
		for (int i = 0; i < argc; i++)
			p->command[i] = strdup(argv[i]);
		p->nr_command = argc;
	}
}

static void record_status(struct profile *p, int status)
{
	p->target_exited = true;
	if (WIFSIGNALED(status)) {
		p->signal = WTERMSIG(status);
		p->exit_code = -1;
	} else {
		p->exit_code = WEXITSTATUS(status);
		p->signal = 0;
	}
}

bool session_reap(struct session *rs)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (pid == rs->root)
				record_status(rs->prof, status);
			continue;
		}
		return pid < 0 && errno == ECHILD;
	}
}

/*
 * Whether the terminal already sent sig to the target: the tty driver
 * signals the whole foreground process group (si_code SI_KERNEL), and the
 * target shares advisor's unless it moved itself out.
 */
static bool from_terminal_to_target(const struct session *rs, const siginfo_t *si)
{
	return si->si_code == SI_KERNEL && getpgid(rs->root) == getpgrp();
}

static void forward(struct session *rs, const siginfo_t *si, int *interrupts)
{
	int sig = si->si_signo;

	if (sig == SIGINT && ++*interrupts > 1) {
		/* a second Ctrl-C ends the tree hard, as with strace */
		sig = SIGKILL;
	} else if (from_terminal_to_target(rs, si)) {
		/* a Ctrl-C the target got once from the terminal: not twice */
		return;
	}
	if (!rs->prof->target_exited)
		kill(rs->root, sig);
	else if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, sig);
	if (sig == SIGKILL && rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGKILL);
}

void session_stop_tree(struct session *rs)
{
	__u64 deadline = session_now_ns() + 2000000000ULL;

	if (!rs->prof->target_exited)
		kill(rs->root, SIGTERM);
	if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGTERM);
	while (!session_reap(rs) && session_now_ns() < deadline)
		usleep(20000);
	if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGKILL);
	if (!rs->prof->target_exited)
		kill(rs->root, SIGKILL);
	while (!session_reap(rs) && session_now_ns() < deadline + 1000000000ULL)
		usleep(20000);
}

enum session_end session_loop(struct session *rs, const sigset_t *mask)
{
	const struct options *o = rs->o;
	__u64 start = rs->prof->start_ns;
	__u64 next_tick = start + TIMELINE_TICK_NS;
	__u64 stop_at = o->duration_s > 0 ? start + (__u64)(o->duration_s * 1e9) : 0;
	int interrupts = 0;

	for (;;) {
		__u64 now = session_now_ns();
		__u64 wake = next_tick;
		struct timespec ts;
		siginfo_t si;
		int sig;

		if (stop_at && stop_at < wake)
			wake = stop_at;
		if (wake > now) {
			ts.tv_sec = (wake - now) / 1000000000ULL;
			ts.tv_nsec = (wake - now) % 1000000000ULL;
			sig = sigtimedwait(mask, &si, &ts);
			if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
				/* attach only watches: Ctrl-C ends the profile, not the target */
				if (!rs->is_parent) {
					rs->prof->duration_ns = session_now_ns() - start;
					return SESSION_INTERRUPTED;
				}
				forward(rs, &si, &interrupts);
			}
		}
		if (rs->is_parent && session_reap(rs)) {
			rs->prof->duration_ns = session_now_ns() - start;
			return SESSION_TREE_EXITED;
		}
		now = session_now_ns();
		if (stop_at && now >= stop_at) {
			rs->prof->duration_ns = now - start;
			return SESSION_DURATION;
		}
		if (now >= next_tick) {
			tick(rs, false);
			next_tick += TIMELINE_TICK_NS;
			if (next_tick < now)
				next_tick = now + TIMELINE_TICK_NS;
			if (!rs->is_parent && !probes_live(rs->probes)) {
				rs->prof->duration_ns = session_now_ns() - start;
				return SESSION_TREE_EXITED;
			}
		}
	}
}

int session_collect(struct session *rs)
{
	int e;

	tick(rs, true);
	e = probes_collect(rs->probes, rs->prof);
	if (e)
		return e;
	pick_runtime(rs);
	return 0;
}

/*
 * Whether two -o name the same file: the same text, or the same inode of a
 * file that exists ("-" is stdout, which only "-" names).
 */
static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!strcmp(a, b))
		return true;
	if (!strcmp(a, "-") || !strcmp(b, "-") || stat(a, &sa) || stat(b, &sb))
		return false;
	return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && S_ISREG(sa.st_mode);
}

/* Fails now, before anything runs, rather than losing a measured run later. */
static int check_output(const char *path)
{
	bool existed = access(path, F_OK) == 0;
	int fd;

	if (!strcmp(path, "-"))
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(fd);
	if (!existed)
		unlink(path);
	return 0;
}

int session_check_outputs(const struct options *o, enum failure *fail)
{
	for (int i = 0; i < o->nr_outputs; i++) {
		for (int k = 0; k < i; k++)
			if (same_file(o->outputs[k], o->outputs[i])) {
				fprintf(stderr, "advisor: %s is named by two -o options\n",
					o->outputs[i]);
				*fail = FAILURE_USAGE;
				return -EINVAL;
			}
		if (report_format_of(o->outputs[i]) == REPORT_UNKNOWN) {
			fprintf(stderr,
				"advisor: %s: unknown report format (use .json, .html, .xml, .md, .sarif, .pb.gz, .folded or -)\n",
				o->outputs[i]);
			*fail = FAILURE_USAGE;
			return -EINVAL;
		}
	}
	return 0;
}

int session_check_writable(const struct options *o, enum failure *fail)
{
	for (int i = 0; i < o->nr_outputs; i++) {
		int e = check_output(o->outputs[i]);

		if (e) {
			fprintf(stderr, "advisor: cannot write %s: %s\n", o->outputs[i], strerror(-e));
			*fail = FAILURE_OUTPUT;
			return e;
		}
	}
	return 0;
}

static int check_env(char *err, size_t errlen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen,
			 "kernel has no BTF (/sys/kernel/btf/vmlinux): needs CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	return 0;
}

/* The one line for probes_open()'s failure e (with its reason err): what rights are needed. */
static void probes_error(int e, const char *err)
{
	if ((e == -EPERM || e == -EACCES) && geteuid() != 0)
		fprintf(stderr,
			"advisor: %s: run as root, or with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN\n",
			err);
	else if (e == -EACCES)
		fprintf(stderr, "advisor: %s: the kernel's verifier refused it (-v shows its log)\n",
			err);
	else
		fprintf(stderr, "advisor: %s\n", err);
}

int session_open(struct session *s, enum failure *fail)
{
	struct probes_opts po = { .syscalls = s->o->syscalls, .stacks = s->o->stacks,
				  .kernel_stacks = s->o->kernel_stacks,
				  .cgroup_fd = -1,
				  .verbose = s->o->verbosity > 0 };
	char err[512], cg_err[512] = "";
	int e;

	memset(s->prof, 0, sizeof(*s->prof));
	s->prof->exit_code = -1;
	s->prof->knobs.uv_threadpool_size = s->prof->knobs.gomaxprocs = -1;
	s->cg.fd = -1;
	sigemptyset(&s->mask);
	sigprocmask(SIG_BLOCK, NULL, &s->old_mask);
	e = session_check_outputs(s->o, fail);
	if (e)
		return e;
	e = check_env(err, sizeof(err));
	if (e) {
		fprintf(stderr, "advisor: %s\n", err);
		*fail = FAILURE_ENV;
		return e;
	}
	/*
	 * run: a cgroup of its own counts the tree's TCP connections. attach:
	 * the target stays in its own cgroup, since moving it would change what
	 * it runs under; attach.c puts the programs on the cgroups the tree
	 * lives in, and they tell its sockets from the others'. Said only once
	 * the probes load: without BPF rights, that is the one line.
	 */
	if (s->is_parent && !cgroup_create(&s->cg, cg_err, sizeof(cg_err)))
		po.cgroup_fd = s->cg.fd;
	else
		s->cg.fd = -1;
	e = probes_open(&s->probes, &po, err, sizeof(err));
	if (e) {
		probes_error(e, err);
		*fail = FAILURE_ENV;
		return e;
	}
	if (s->is_parent && po.cgroup_fd < 0 && s->o->verbosity >= 0)
		fprintf(stderr, "advisor: %s; connections are not counted\n", cg_err);
	s->prof->conns.tcp_counted = po.cgroup_fd >= 0;
	s->prof->bucket_ns = TIMELINE_TICK_NS;

	sigaddset(&s->mask, SIGINT);
	sigaddset(&s->mask, SIGTERM);
	sigaddset(&s->mask, SIGHUP);
	sigaddset(&s->mask, SIGQUIT);
	if (s->is_parent)
		sigaddset(&s->mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &s->mask, NULL);
	return 0;
}

enum session_end session_measure(struct session *s)
{
	enum session_end end;
	int e;

	/*
	 * The root's runtime and environment now, while it surely lives (run:
	 * it has just exec()ed; attach: it is there): the ticks read each
	 * process again after an exec, and the new ones as they come
	 */
	inspect_pid(s->root, s);
	end = session_loop(s, &s->mask);
	e = session_collect(s);

	if (e)
		fprintf(stderr, "advisor: cannot read the probes: %s\n", strerror(-e));
	if (end == SESSION_DURATION)
		s->prof->stopped_at_duration = true;
	return end;
}

void session_close(struct session *s)
{
	sigprocmask(SIG_SETMASK, &s->old_mask, NULL);
	probes_destroy(s->probes);
	s->probes = NULL;
	cgroup_remove(&s->cg);
}
