// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Issue 10: `advisor attach -p PID` on processes the test started outside
 * any profiled tree: the figures cover the attached window only, threads and
 * children that existed before are seen, and the errors are one line with
 * the documented status. Every test ends with the kernel-side leak check.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "fault_harness.h"

static struct kstate kernel_before;

static void begin(void)
{
	harness_require_bpf();
	kstate_take(&kernel_before);
}

static void end(void)
{
	kstate_expect_clean(&kernel_before);
}

static char *pid_arg(pid_t pid)
{
	static char ring[4][16];
	static unsigned int next;
	char *buf = ring[next++ % 4];

	snprintf(buf, 16, "%d", (int)pid);
	return buf;
}

/* A process's CPU clock: every thread's time on CPU, brought up to date. */
static double process_cpu_ns(pid_t pid)
{
	struct timespec ts;
	clockid_t clk;

	if (clock_getcpuclockid(pid, &clk) || clock_gettime(clk, &ts))
		return -1;
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

struct sample {
	double t;   /* CLOCK_MONOTONIC, s */
	double cpu; /* ns */
};

/* cpu at time t, interpolated between samples */
static double cpu_at(const struct sample *s, size_t n, double t)
{
	size_t i = 1;

	while (i < n - 1 && s[i].t < t)
		i++;
	if (s[i].t == s[i - 1].t)
		return s[i].cpu;
	return s[i - 1].cpu + (s[i].cpu - s[i - 1].cpu) * (t - s[i - 1].t) / (s[i].t - s[i - 1].t);
}

Test(attach, cpu_spinner_within_2_percent, .timeout = 60)
{
	static struct sample samples[100000];
	size_t n = 0;
	struct adv a;
	json_object *r;
	double cpu, d, lo = 1e30, hi = 0;
	pid_t spinner;

	begin();
	spinner = spawn(ARGS(workload("spin"), "1", "60000"), -1);
	sleep_ms(200);
	adv_init(&a);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(spinner), "-d", "1", "-o", adv_path(&a, "r.json")),
	    NULL);
	/* the spinner's CPU clock along the whole life of advisor, every 2 ms */
	do {
		samples[n].t = mono_s();
		samples[n].cpu = process_cpu_ns(spinner);
		n++;
		sleep_ms(2);
	} while (!adv_poll(&a) && n < 99999 && mono_s() - a.t0 < 30);
	samples[n].t = mono_s();
	samples[n].cpu = process_cpu_ns(spinner);
	n++;
	adv_wait(&a, 30);
	reap(spinner, true);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	cr_expect(jbool(r, "attached"), "attached is false");
	d = jint(r, "duration_ns") / 1e9;
	cpu = jint(r, "time.cpu_ns");
	/* the window lies somewhere in advisor's life: every place it can have */
	for (size_t i = 0; i < n && samples[i].t + d <= samples[n - 1].t; i++) {
		double delta = cpu_at(samples, n, samples[i].t + d) - samples[i].cpu;

		if (delta < lo)
			lo = delta;
		if (delta > hi)
			hi = delta;
	}
	cr_assert(hi > 0, "advisor lived %.2f s, less than its %.2f s window", a.wall_s, d);
	cr_log_info("attached %.3f s: cpu %.2f ms; the spinner's CPU clock over any %.3f s of "
		    "advisor's %.3f s: %.2f to %.2f ms",
		    d, cpu / 1e6, d, a.wall_s, lo / 1e6, hi / 1e6);
	cr_expect(d >= 0.99 && d < 1.2, "duration_ns %.3f s for -d 1", d);
	cr_expect(cpu >= 0.98 * lo && cpu <= 1.02 * hi,
		  "time.cpu_ns %.0f is not within 2%% of the spinner's %.0f to %.0f ns over the "
		  "attached window",
		  cpu, lo, hi);
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(attach, sleeper, .timeout = 60)
{
	struct adv a;
	json_object *r;
	double d, sleep_ns, cpu;
	pid_t sleeper;

	begin();
	sleeper = spawn(ARGS(workload("sleeper"), "1000", "10"), -1);
	sleep_ms(100);
	adv_init(&a);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(sleeper), "-d", "1", "-o", adv_path(&a, "r.json")),
	    NULL);
	adv_wait(&a, 30);
	reap(sleeper, true);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	d = jint(r, "duration_ns");
	sleep_ns = jint(r, "time.blocked_ns.sleep");
	cpu = jint(r, "time.cpu_ns");
	cr_log_info("attached %.3f s: sleep %.1f ms, cpu %.2f ms, runq %.2f ms", d / 1e9,
		    sleep_ns / 1e6, cpu / 1e6, jint(r, "time.runq_ns") / 1e6);
	cr_expect(jbool(r, "attached"), "attached is false");
	cr_expect(report_nr_threads(r) == 1, "%zu threads, the sleeper has 1",
		  report_nr_threads(r));
	cr_expect(sleep_ns >= 0.9 * d && sleep_ns <= 1.01 * d,
		  "blocked.sleep %.0f ns of an attached window of %.0f ns", sleep_ns, d);
	cr_expect(cpu < 0.05 * d, "cpu %.0f ns for a sleeper", cpu);
	cr_expect(!jbool(r, "target.exited"), "the sleeper is still running, but target.exited");
	json_object_put(r);
	adv_free(&a);
	end();
}

/* A thread-per-connection server under load from a client outside the tree. */
Test(attach, loopback_server_under_load, .timeout = 60)
{
	char port[16], task_dir[64], tids[64][16];
	struct adv a;
	json_object *r;
	struct run view;
	size_t nr_tids = 0;
	pid_t server, client;
	int lfd, p;

	begin();
	lfd = listen_loopback(&p);
	server = spawn(
	    ARGS(workload("echo_server"), "--fd", "3", "--delay-ms", "1", "--work-us", "200"), lfd);
	close(lfd);
	snprintf(port, sizeof(port), "%d", p);
	client = spawn(ARGS(workload("rr_client"), "--port", port, "--conns", "8", "--threads", "8",
			    "--duration-ms", "8000"),
		       -1);
	sleep_ms(700);
	/* the server's threads before the attach: all must be in the report */
	snprintf(task_dir, sizeof(task_dir), "/proc/%d/task", (int)server);
	{
		FILE *ls;
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "ls %s", task_dir);
		ls = popen(cmd, "r");
		cr_assert(ls);
		while (nr_tids < 64 && fscanf(ls, "%15s", tids[nr_tids]) == 1)
			nr_tids++;
		pclose(ls);
	}
	adv_init(&a);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(server), "-d", "1", "-o", adv_path(&a, "r.json")),
	    NULL);
	adv_wait(&a, 30);
	reap(client, true);
	reap(server, true);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	view.report = r;
	cr_log_info("server: %zu threads before the attach, %zu in the report; net %.1f ms "
		    "(internal %.1f), poll %.1f ms, cpu %.1f ms; verdict %s",
		    nr_tids, report_nr_threads(r), jint(r, "time.blocked_ns.net") / 1e6,
		    jint(r, "time.internal_ns.net") / 1e6, jint(r, "time.blocked_ns.poll") / 1e6,
		    jint(r, "time.cpu_ns") / 1e6, jstr(r, "verdict.model"));
	cr_expect(nr_tids >= 9, "the server had %zu threads (8 connections + main)", nr_tids);
	for (size_t i = 0; i < nr_tids; i++)
		cr_expect(report_thread(&view, atol(tids[i]), NULL) != NULL,
			  "thread %s, there before the attach, is not in the report", tids[i]);
	cr_expect(report_nr_processes(r) == 1, "%zu processes", report_nr_processes(r));
	cr_expect(jint(r, "time.blocked_ns.net") > 100000000,
		  "8 connection threads waiting on their sockets for 1 s, but blocked.net %lld ns",
		  jint(r, "time.blocked_ns.net"));
	cr_expect(jint(r, "time.cpu_ns") > 10000000, "cpu %lld ns under load",
		  jint(r, "time.cpu_ns"));
	json_object_put(r);
	adv_free(&a);
	end();
}

/* Threads and children that exist at the attach, and children made after it. */
Test(attach, threads_and_new_children, .timeout = 60)
{
	struct adv a;
	json_object *r;
	pid_t steady;
	size_t procs;

	begin();
	steady = spawn(ARGS(workload("scale_steady"), "4", "200"), -1);
	sleep_ms(500);
	adv_init(&a);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(steady), "-d", "1", "-o", adv_path(&a, "r.json")),
	    NULL);
	adv_wait(&a, 30);
	reap(steady, true);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	procs = report_nr_processes(r);
	cr_log_info("attached 1 s to a process of 9 threads forking every 200 ms: %zu processes, "
		    "%zu threads",
		    procs, report_nr_threads(r));
	{
		struct run view = {.report = r};
		json_object *p = report_process(&view, steady);

		cr_expect(p && json_object_array_length(jget(p, "threads")) == 9,
			  "the target's 9 threads are not all in the report");
	}
	cr_expect(procs >= 4 && procs <= 7,
		  "%zu processes: the target and ~5 children made "
		  "during the attach",
		  procs);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* The tree exits before --duration: the profile ends with it. */
Test(attach, target_exits_during_attach, .timeout = 60)
{
	struct adv a;
	json_object *r;
	pid_t spinner;

	begin();
	spinner = spawn(ARGS(workload("spin"), "1", "800"), -1);
	sleep_ms(100);
	adv_init(&a);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(spinner), "-d", "20", "-o", adv_path(&a, "r.json")),
	    NULL);
	adv_wait(&a, 30);
	reap(spinner, false);
	expect_status(&a, 0);
	cr_expect(a.wall_s < 5, "advisor stayed %.1f s after the tree exited", a.wall_s);
	r = expect_report(adv_path(&a, "r.json"));
	cr_expect(jbool(r, "target.exited"), "target.exited is false");
	cr_expect(!jbool(r, "stopped_at_duration"), "stopped_at_duration is true");
	json_object_put(r);
	adv_free(&a);
	end();
}

/* Ctrl-C ends the profile, not the target. */
Test(attach, sigint_ends_profile_not_target, .timeout = 60)
{
	struct adv a;
	json_object *r;
	pid_t sleeper;

	begin();
	sleeper = spawn(ARGS(workload("sleeper"), "1000", "10"), -1);
	sleep_ms(100);
	adv_init(&a);
	adv_start(&a, ARGS("attach", "-q", "-p", pid_arg(sleeper), "-o", adv_path(&a, "r.json")),
		  NULL);
	sleep_ms(1500);
	kill(a.pid, SIGINT);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(pid_alive(sleeper), "the target died with advisor's Ctrl-C");
	reap(sleeper, true);
	r = expect_report(adv_path(&a, "r.json"));
	cr_expect(jint(r, "duration_ns") > 500000000, "duration_ns %lld", jint(r, "duration_ns"));
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(attach, no_such_pid, .timeout = 60)
{
	struct adv a;
	char msg[64];
	pid_t gone;

	begin();
	gone = fork();
	cr_assert(gone >= 0);
	if (gone == 0)
		_exit(0);
	waitpid(gone, NULL, 0);
	adv_init(&a);
	adv_start(&a, ARGS("attach", "-p", pid_arg(gone), "-d", "1", "-o", adv_path(&a, "r.json")),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 125);
	snprintf(msg, sizeof(msg), "no process with pid %d", (int)gone);
	expect_one_line(&a, msg);
	expect_no_file(adv_path(&a, "r.json"));
	adv_free(&a);
	adv_exec(&a, ARGS("attach", "-p", "2147483647"), NULL, 30);
	expect_status(&a, 125);
	expect_one_line(&a, "no process with pid 2147483647");
	adv_free(&a);
	end();
}

/* nobody may not trace root's process: one line, 124 */
Test(attach, pid_not_permitted, .timeout = 60)
{
	struct adv_opts o = {.as_nobody = true};
	struct adv a;
	char msg[64];
	pid_t sleeper;

	begin();
	sleeper = spawn(ARGS(workload("sleeper"), "500", "10"), -1);
	adv_exec(&a, ARGS("attach", "-p", pid_arg(sleeper), "-d", "1"), &o, 30);
	expect_status(&a, 124);
	snprintf(msg, sizeof(msg), "pid %d", (int)sleeper);
	expect_one_line(&a, msg);
	adv_free(&a);
	reap(sleeper, true);
	end();
}

/* nobody's own process: allowed to trace, but no BPF rights; the line names them */
Test(attach, own_pid_without_bpf_rights, .timeout = 60)
{
	struct adv_opts o = {.as_nobody = true};
	struct adv a;
	pid_t sleeper;

	begin();
	sleeper = fork();
	cr_assert(sleeper >= 0);
	if (sleeper == 0) {
		if (setgid(NOBODY_ID) || setuid(NOBODY_ID))
			_exit(1);
		execl(workload("sleeper"), "sleeper", "500", "10", (char *)NULL);
		_exit(127);
	}
	sleep_ms(50);
	adv_exec(&a, ARGS("attach", "-p", pid_arg(sleeper), "-d", "1"), &o, 30);
	expect_status(&a, 124);
	expect_one_line(&a, "CAP_BPF");
	adv_free(&a);
	reap(sleeper, true);
	end();
}

/*
 * Threads dying under the final sweep (attach leaves the tree running):
 * each thread is in the report once. A walk of the live map started over
 * from its first bucket whenever a thread's exit deleted the key it stood
 * on, reading the accounts before it twice.
 */
Test(attach, threads_exiting_during_the_final_sweep, .timeout = 60)
{
	struct adv a;
	json_object *r, *procs;
	size_t np, n = 0, dups = 0;
	static long long seen[200000][4];
	pid_t churn;

	begin();
	churn = spawn(ARGS(workload("thread_churn"), "400", "30"), -1);
	sleep_ms(200);
	adv_init(&a);
	adv_start(&a,
		  ARGS("attach", "-q", "-p", pid_arg(churn), "-d", "1", "-o", adv_path(&a, "r.json")),
		  NULL);
	adv_wait(&a, 30);
	reap(churn, true);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	procs = jget(r, "processes");
	np = procs ? json_object_array_length(procs) : 0;
	for (size_t i = 0; i < np; i++) {
		json_object *threads = jget(json_object_array_get_idx(procs, i), "threads");
		size_t nt = threads ? json_object_array_length(threads) : 0;

		for (size_t j = 0; j < nt && n < 200000; j++) {
			json_object *t = json_object_array_get_idx(threads, j);
			long long tid = jint(t, "tid"), start = jint(t, "start_ns");

			for (size_t k = 0; k < n; k++)
				if (seen[k][0] == tid && seen[k][1] == start) {
					cr_log_info("thread %lld started at %lld ns is there twice: "
						    "ends %lld and %lld, cpu %lld and %lld",
						    tid, start, seen[k][2], jint(t, "end_ns"),
						    seen[k][3], jint(t, "cpu_ns"));
					dups++;
					break;
				}
			seen[n][0] = tid;
			seen[n][1] = start;
			seen[n][2] = jint(t, "end_ns");
			seen[n][3] = jint(t, "cpu_ns");
			n++;
		}
	}
	cr_log_info("%zu threads in the report, %zu of them twice", n, dups);
	cr_expect(n > 400, "only %zu threads in the report of a churn of 400 at a time", n);
	cr_expect(dups == 0, "%zu threads are in the report twice", dups);
	json_object_put(r);
	adv_free(&a);
	end();
}

/*
 * attach ends with the tree, however its threads end: a thread other than
 * the leader that execs takes the leader's id (its account moves with it),
 * and a leader that left with pthread_exit() is a zombie whose last
 * switch-out came before the attach. Either left an account open, and
 * attach waited for it forever.
 */
static void attach_until_the_end(const char *const *cmd, double lives_s)
{
	struct adv a;
	json_object *r;
	pid_t target;

	begin();
	target = spawn(cmd, -1);
	sleep_ms(100);
	adv_init(&a);
	adv_start(&a, ARGS("attach", "-q", "-p", pid_arg(target), "-o", adv_path(&a, "r.json")),
		  NULL);
	adv_wait(&a, 20);
	reap(target, true);
	expect_status(&a, 0);
	cr_log_info("%s: attach ended after %.2f s, the target lived %.2f s more", cmd[0],
		    a.wall_s, lives_s);
	cr_expect(a.wall_s < lives_s + 5, "attach lasted %.1f s", a.wall_s);
	r = expect_report(adv_path(&a, "r.json"));
	cr_expect(jbool(r, "target.exited"), "the target ended, but target.exited is false");
	cr_expect(report_nr_processes(r) == 1, "%zu processes, the target is one",
		  report_nr_processes(r));
	for (size_t i = 0; i < report_nr_processes(r); i++) {
		json_object *threads = jget(json_object_array_get_idx(jget(r, "processes"), i),
					    "threads");

		for (size_t j = 0; j < json_object_array_length(threads); j++) {
			json_object *t = json_object_array_get_idx(threads, j);

			cr_expect(jint(t, "end_ns") > 0, "thread %lld (%s) did not end", jint(t, "tid"),
				  jstr(t, "comm"));
		}
	}
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(attach, exec_from_a_thread_ends, .timeout = 60)
{
	attach_until_the_end(ARGS(workload("exec_thread"), "400"), 0.5);
}

Test(attach, zombie_leader_ends, .timeout = 60)
{
	attach_until_the_end(ARGS(workload("zombie_leader"), "800"), 0.7);
}

/* Starts argv with its stdout to out_path (the test reads its truth lines there). */
static pid_t spawn_to(const char *const *argv, const char *out_path)
{
	pid_t pid = fork();

	cr_assert(pid >= 0, "fork: %s", strerror(errno));
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(null, 0);
		dup2(out, 1);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* The value of `truth KEY N` in a workload's output, or -1 while there is none. */
static long long file_truth(const char *path, const char *key)
{
	char *text = file_read(path, NULL), *p, needle[96];
	long long v = -1;

	if (!text)
		return -1;
	snprintf(needle, sizeof(needle), "truth %s ", key);
	p = strstr(text, needle);
	if (p)
		v = atoll(p + strlen(needle));
	free(text);
	return v;
}

static bool wait_truth(const char *path, const char *key, double timeout_s)
{
	double until = mono_s() + timeout_s;

	while (file_truth(path, key) < 0) {
		if (mono_s() > until)
			return false;
		sleep_ms(10);
	}
	return true;
}

/* How many cgroup connect4 programs named on_connect4 sit on pid's cgroup v2. */
static int connect4_progs_on_cgroup_of(pid_t pid)
{
	char path[600], line[512], cmd[700];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	f = fopen(path, "re");
	cr_assert(f, "cannot read %s", path);
	path[0] = '\0';
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "0::/", 4)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, sizeof(path), "%s%s", cgroup2_root(), line + 3);
		}
	fclose(f);
	cr_assert(path[0], "pid %d is in no cgroup v2", (int)pid);
	snprintf(cmd, sizeof(cmd), "bpftool cgroup show '%s' 2>/dev/null", path);
	f = popen(cmd, "r");
	cr_assert(f);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, "connect4") && strstr(line, "on_connect4"))
			n++;
	pclose(f);
	return n;
}

/*
 * The tree's TCP connections on the cgroup it already lives in, which an
 * unrelated pair shares: those open across the attach start the count and
 * the peak, the ones made and closed in the window are counted, and the
 * other pair's, made at the same time in the same cgroup, are not.
 */
Test(attach, tcp_connections_of_the_tree_only, .timeout = 60)
{
	char out[256], other_out[256];
	struct adv a;
	json_object *r;
	long long held, before, connected, peak, closed_c, accepted, closed_s;
	int progs_before;
	pid_t server, other;
	double until;

	begin();
	adv_init(&a);
	snprintf(out, sizeof(out), "%s", adv_path(&a, "tree.out"));
	snprintf(other_out, sizeof(other_out), "%s", adv_path(&a, "other.out"));
	server = spawn_to(ARGS(workload("conns_hold"), "40", "12", "9"), out);
	other = spawn_to(ARGS(workload("conns_hold"), "15", "6", "4"), other_out);
	cr_assert(wait_truth(out, "held", 10) && wait_truth(other_out, "held", 10),
		  "the workloads did not open their connections");
	progs_before = connect4_progs_on_cgroup_of(server);
	adv_start(
	    &a,
	    ARGS("attach", "-q", "-p", pid_arg(server), "-d", "3", "-o", adv_path(&a, "r.json")),
	    NULL);
	/* the programs on the cgroup; the seeding after them takes milliseconds */
	until = mono_s() + 15;
	while (connect4_progs_on_cgroup_of(server) <= progs_before && mono_s() < until &&
	       !adv_poll(&a))
		sleep_ms(20);
	cr_assert(!a.done && mono_s() < until, "advisor never put on_connect4 on the cgroup: %s",
		  a.err ? a.err : "");
	sleep_ms(400);
	kill(server, SIGUSR1);
	kill(other, SIGUSR1);
	cr_expect(wait_truth(out, "closed_after", 10) && wait_truth(other_out, "closed_after", 10),
		  "the workloads did not make their new connections");
	adv_wait(&a, 30);
	reap(other, true);
	reap(server, true);
	expect_status(&a, 0);
	held = file_truth(out, "held");
	before = file_truth(out, "accepted_before");
	connected = file_truth(out, "connected_after");
	peak = file_truth(out, "peak_after");
	closed_c = file_truth(out, "closed_after");
	accepted = file_truth(out, "accepted");
	closed_s = file_truth(out, "server_closed");
	r = expect_report(adv_path(&a, "r.json"));
	cr_log_info("tree: held %lld, accepted %lld before; after: connected %lld, accepted %lld, "
		    "peak %lld, closed %lld + %lld; report: open_at_start %lld, connected %lld, "
		    "accepted %lld, peak_open %lld, closed %lld, peers %lld; mode %s",
		    held, before, connected, accepted - before, peak, closed_c, closed_s,
		    jint(r, "connections.open_at_start"), jint(r, "connections.connected"),
		    jint(r, "connections.accepted"), jint(r, "connections.peak_open"),
		    jint(r, "connections.closed"), jint(r, "connections.distinct_peers"),
		    jstr(r, "overhead.mode"));
	cr_assert(held == 40 && before == 40 && accepted >= 0 && closed_s >= 0,
		  "the workload's truth is incomplete");
	cr_expect(jbool(r, "connections.tcp_counted"), "tcp_counted is false");
	cr_expect(jint(r, "connections.open_at_start") == 2 * held,
		  "open_at_start %lld, the tree held %lld connections (both sides)",
		  jint(r, "connections.open_at_start"), 2 * held);
	cr_expect(jint(r, "connections.connected") == connected, "connected %lld, the client made %lld",
		  jint(r, "connections.connected"), connected);
	cr_expect(jint(r, "connections.accepted") == accepted - before,
		  "accepted %lld, the server accepted %lld", jint(r, "connections.accepted"),
		  accepted - before);
	cr_expect(jint(r, "connections.peak_open") == peak, "peak_open %lld, ground truth %lld",
		  jint(r, "connections.peak_open"), peak);
	cr_expect(jint(r, "connections.closed") == closed_c + closed_s,
		  "closed %lld, the tree closed %lld + %lld", jint(r, "connections.closed"),
		  closed_c, closed_s);
	/* the other pair's 2 x 15 held and 6 new would show in any of these */
	json_object_put(r);
	adv_free(&a);
	end();
}
