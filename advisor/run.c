// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor run: attach the probes, release the held target, sample the
 * timeline until the whole tree has exited (advisor is its subreaper, so
 * daemonised grandchildren come back to it), then read what was measured.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../probes/probes.h"
#include "../reports/report.h"
#include "cgroup.h"
#include "cli.h"
#include "run.h"
#include "runtime.h"
#include "target.h"

#define BUCKET_NS 100000000ULL
#define MAX_BUCKETS 3000
#define MAX_INSPECTED 1024

struct runtime_seen {
	pid_t pid;
	char runtime[32];
};

struct run_state {
	const struct options *o;
	struct probes *probes;
	struct run_cgroup cg;
	struct target target;
	struct profile *prof;
	struct tree_totals last;
	size_t cap_buckets;
	struct runtime_seen seen[MAX_INSPECTED];
	size_t nr_seen;
};

__u64 run_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* Fails now, before anything runs, rather than losing a measured run later. */
int run_check_output(const char *path)
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

int run_check_env(char *err, size_t errlen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen,
			 "kernel has no BTF (/sys/kernel/btf/vmlinux): needs CONFIG_DEBUG_INFO_BTF=y");
		return -ENOENT;
	}
	return 0;
}

static void timeline_push(struct run_state *rs, const struct tree_totals *now)
{
	struct profile *p = rs->prof;
	struct timeline_bucket *b;

	if (p->nr_buckets == MAX_BUCKETS) {
		/* keep memory flat on long runs: halve the resolution */
		for (size_t i = 0; i < p->nr_buckets / 2; i++) {
			struct timeline_bucket *x = &p->buckets[2 * i], *y = &p->buckets[2 * i + 1];

			p->buckets[i] = (struct timeline_bucket){
				x->cpu_ns + y->cpu_ns, x->runq_ns + y->runq_ns,
				x->io_ns + y->io_ns, x->other_ns + y->other_ns };
		}
		p->nr_buckets /= 2;
		p->bucket_ns *= 2;
	}
	if (p->nr_buckets == rs->cap_buckets) {
		size_t cap = rs->cap_buckets ? rs->cap_buckets * 2 : 64;
		void *n = realloc(p->buckets, cap * sizeof(*p->buckets));

		if (!n)
			return;
		p->buckets = n;
		rs->cap_buckets = cap;
	}
	b = &p->buckets[p->nr_buckets++];
	b->cpu_ns = now->cpu_ns - rs->last.cpu_ns;
	b->runq_ns = now->runq_ns - rs->last.runq_ns;
	b->io_ns = now->io_ns - rs->last.io_ns;
	b->other_ns = now->other_ns - rs->last.other_ns;
	rs->last = *now;
}

static void inspect_pid(pid_t pid, void *ctx)
{
	struct run_state *rs = ctx;
	struct runtime_seen *s;

	for (size_t i = 0; i < rs->nr_seen; i++)
		if (rs->seen[i].pid == pid)
			return;
	if (rs->nr_seen == MAX_INSPECTED)
		return;
	s = &rs->seen[rs->nr_seen];
	if (runtime_detect(pid, s->runtime, sizeof(s->runtime)))
		return;
	s->pid = pid;
	rs->nr_seen++;
}

static void tick(struct run_state *rs, bool last_one)
{
	struct tree_totals t;

	if (!probes_totals(rs->probes, &t))
		timeline_push(rs, &t);
	probes_drain(rs->probes);
	if (last_one)
		return;
	/* the runtime is read from the live processes while they are there */
	if (rs->cg.fd >= 0)
		cgroup_for_each_pid(&rs->cg, inspect_pid, rs);
	else
		inspect_pid(rs->target.pid, rs);
}

/* The runtime of the busiest process, read while it lived or from its exe. */
static void pick_runtime(struct run_state *rs)
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
	if (!best)
		return;
	for (size_t i = 0; i < rs->nr_seen; i++) {
		if (rs->seen[i].pid == (pid_t)best->pid) {
			snprintf(p->runtime, sizeof(p->runtime), "%s", rs->seen[i].runtime);
			return;
		}
	}
	if (best->exe)
		runtime_detect_path(best->exe, p->runtime, sizeof(p->runtime));
}

static void fill_host(struct profile *p, const struct options *o)
{
	struct utsname u;

	if (!uname(&u))
		snprintf(p->kernel, sizeof(p->kernel), "%s", u.release);
	p->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	p->created_at = time(NULL);
	p->command = calloc(o->argc + 1, sizeof(char *));
	if (p->command) {
		for (int i = 0; i < o->argc; i++)
			p->command[i] = strdup(o->argv[i]);
		p->nr_command = o->argc;
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

/* Reaps what has exited; returns true once no descendant is left. */
static bool reap(struct run_state *rs)
{
	int status;
	pid_t pid;

	for (;;) {
		pid = waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			if (pid == rs->target.pid)
				record_status(rs->prof, status);
			continue;
		}
		return pid < 0 && errno == ECHILD;
	}
}

static void forward(struct run_state *rs, int sig, int *interrupts)
{
	if (sig == SIGINT && ++*interrupts > 1) {
		/* a second Ctrl-C ends the tree hard, as with strace */
		sig = SIGKILL;
	}
	if (!rs->prof->target_exited)
		kill(rs->target.pid, sig);
	else if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, sig);
	if (sig == SIGKILL && rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGKILL);
}

/* --duration ran out: end what is left of the tree, as timeout(1) does. */
static void stop_tree(struct run_state *rs)
{
	__u64 deadline = run_now_ns() + 2000000000ULL;

	if (!rs->prof->target_exited)
		kill(rs->target.pid, SIGTERM);
	if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGTERM);
	while (!reap(rs) && run_now_ns() < deadline)
		usleep(20000);
	if (rs->cg.fd >= 0)
		cgroup_signal(&rs->cg, SIGKILL);
	if (!rs->prof->target_exited)
		kill(rs->target.pid, SIGKILL);
	while (!reap(rs) && run_now_ns() < deadline + 1000000000ULL)
		usleep(20000);
}

static int loop(struct run_state *rs, const sigset_t *mask)
{
	const struct options *o = rs->o;
	__u64 start = rs->prof->start_ns;
	__u64 next_tick = start + BUCKET_NS;
	__u64 stop_at = o->duration_s > 0 ? start + (__u64)(o->duration_s * 1e9) : 0;
	int interrupts = 0;

	for (;;) {
		__u64 now = run_now_ns();
		__u64 wake = next_tick;
		struct timespec ts;
		int sig;

		if (stop_at && stop_at < wake)
			wake = stop_at;
		if (wake > now) {
			ts.tv_sec = (wake - now) / 1000000000ULL;
			ts.tv_nsec = (wake - now) % 1000000000ULL;
			sig = sigtimedwait(mask, NULL, &ts);
			if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT)
				forward(rs, sig, &interrupts);
		}
		if (reap(rs))
			return 0;
		now = run_now_ns();
		if (stop_at && now >= stop_at) {
			rs->prof->duration_ns = now - start;
			return 1;
		}
		if (now >= next_tick) {
			tick(rs, false);
			next_tick += BUCKET_NS;
			if (next_tick < now)
				next_tick = now + BUCKET_NS;
		}
	}
}

int run_profile(const struct options *o, struct profile *prof, int *fail)
{
	struct run_state rs = { .o = o, .prof = prof };
	struct probes_opts po = { .syscalls = o->syscalls, .cgroup_fd = -1,
				  .verbose = o->verbosity > 0 };
	char err[512], path[4096];
	sigset_t mask, old;
	int e, stopped;

	memset(prof, 0, sizeof(*prof));
	prof->exit_code = -1;
	rs.cg.fd = -1;
	rs.target.hold_fd = rs.target.err_fd = -1;

	for (int i = 0; i < o->nr_outputs; i++) {
		if (report_format_of(o->outputs[i]) == REPORT_UNKNOWN) {
			fprintf(stderr, "advisor: %s: unknown report format (use .json, .html or -)\n",
				o->outputs[i]);
			*fail = EXIT_USAGE;
			return -EINVAL;
		}
		e = run_check_output(o->outputs[i]);
		if (e) {
			fprintf(stderr, "advisor: cannot write %s: %s\n", o->outputs[i], strerror(-e));
			*fail = EXIT_OUTPUT;
			return e;
		}
	}
	e = target_resolve(o->argv[0], path, sizeof(path));
	if (e) {
		fprintf(stderr, "advisor: %s: %s\n", o->argv[0],
			e == -ENOENT ? "command not found" :
			e == -EISDIR ? "is a directory" : "not executable");
		*fail = e == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		return e;
	}
	e = run_check_env(err, sizeof(err));
	if (e) {
		fprintf(stderr, "advisor: %s\n", err);
		*fail = EXIT_ENV;
		return e;
	}

	if (cgroup_create(&rs.cg, err, sizeof(err))) {
		if (o->verbosity >= 0)
			fprintf(stderr, "advisor: %s; connections are not counted\n", err);
	} else {
		po.cgroup_fd = rs.cg.fd;
	}
	e = probes_open(&rs.probes, &po, err, sizeof(err));
	if (e) {
		if ((e == -EPERM || e == -EACCES) && geteuid() != 0)
			fprintf(stderr,
				"advisor: %s: run as root, or with CAP_BPF, CAP_PERFMON and CAP_SYS_ADMIN\n",
				err);
		else if (e == -EACCES)
			fprintf(stderr, "advisor: %s: the kernel's verifier refused it (-v shows its log)\n",
				err);
		else
			fprintf(stderr, "advisor: %s\n", err);
		*fail = EXIT_ENV;
		goto out_cgroup;
	}
	if (po.cgroup_fd >= 0)
		prof->conns.tcp_counted = true;

	/* daemonised grandchildren are re-parented to advisor, so it sees them end */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGQUIT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, &old);

	fill_host(prof, o);
	prof->bucket_ns = BUCKET_NS;
	e = target_spawn(&rs.target, o->argv, &old);
	if (e) {
		fprintf(stderr, "advisor: cannot start %s: %s\n", o->argv[0], strerror(-e));
		*fail = EXIT_ENV;
		goto out_probes;
	}
	prof->target_pid = rs.target.pid;
	if (rs.cg.fd >= 0 && cgroup_enter(&rs.cg, rs.target.pid) && o->verbosity >= 0)
		fprintf(stderr, "advisor: cannot move the target into %s; connections are not counted\n",
			rs.cg.path);
	e = probes_seed(rs.probes, rs.target.pid);
	if (e) {
		fprintf(stderr, "advisor: cannot mark the target as traced: %s\n", strerror(-e));
		target_abort(&rs.target);
		*fail = EXIT_ENV;
		goto out_probes;
	}
	prof->start_ns = run_now_ns();
	e = target_release(&rs.target);
	if (e) {
		/* exec failed after the checks: the child exits 126/127 itself */
		fprintf(stderr, "advisor: cannot run %s: %s\n", o->argv[0], strerror(-e));
		waitpid(rs.target.pid, NULL, 0);
		*fail = e == -ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
		goto out_probes;
	}

	stopped = loop(&rs, &mask);
	if (!stopped)
		prof->duration_ns = run_now_ns() - prof->start_ns;
	tick(&rs, true);
	e = probes_collect(rs.probes, prof);
	if (e)
		fprintf(stderr, "advisor: cannot read the probes: %s\n", strerror(-e));
	pick_runtime(&rs);
	if (stopped)
		stop_tree(&rs);
	sigprocmask(SIG_SETMASK, &old, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	e = 0;

out_probes:
	probes_destroy(rs.probes);
out_cgroup:
	cgroup_remove(&rs.cg);
	return e;
}
