// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"
#include "session.h"

__u64 session_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void timeline_push(struct session *rs, const struct tree_totals *now)
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
			if (!strcmp(rs->seen[i].exe, exe))
				return;
			s = &rs->seen[i];
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
}

static void tick(struct session *rs, bool last_one)
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
		inspect_pid(rs->root, rs);
}

/* The runtime of the busiest process, read while it lived or from its exe. */
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

static void forward(struct session *rs, int sig, int *interrupts)
{
	if (sig == SIGINT && ++*interrupts > 1) {
		/* a second Ctrl-C ends the tree hard, as with strace */
		sig = SIGKILL;
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
	__u64 next_tick = start + BUCKET_NS;
	__u64 stop_at = o->duration_s > 0 ? start + (__u64)(o->duration_s * 1e9) : 0;
	int interrupts = 0;

	for (;;) {
		__u64 now = session_now_ns();
		__u64 wake = next_tick;
		struct timespec ts;
		int sig;

		if (stop_at && stop_at < wake)
			wake = stop_at;
		if (wake > now) {
			ts.tv_sec = (wake - now) / 1000000000ULL;
			ts.tv_nsec = (wake - now) % 1000000000ULL;
			sig = sigtimedwait(mask, NULL, &ts);
			if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
				/* attach only watches: Ctrl-C ends the profile, not the target */
				if (!rs->is_parent) {
					rs->prof->duration_ns = session_now_ns() - start;
					return SESSION_INTERRUPTED;
				}
				forward(rs, sig, &interrupts);
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
			next_tick += BUCKET_NS;
			if (next_tick < now)
				next_tick = now + BUCKET_NS;
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
