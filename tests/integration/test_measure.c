// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Issue 6: what `advisor run` measures, compared with the ground truth each
 * workload computes itself (getrusage, schedstat, its own clocks and counts).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "harness.h"

static double pct(double measured, double truth)
{
	return truth ? 100.0 * (measured - truth) / truth : 0;
}

/* Tree cpu against getrusage, every thread against its schedstat. */
static void check_cpu_truths(const struct run *r)
{
	double rusage = truth_need(r, "rusage_cpu_ns");
	double cpu = jint(r->report, "time.cpu_ns"), before = 0;

	/*
	 * The tree's account starts at the release; getrusage also holds the
	 * forked child's time before it, which the main thread's schedstat
	 * when main() began (its truth line's fourth value) bounds: a few ms
	 * under ASan
	 */
	for (size_t i = 0; i < truth_count(r, "thread"); i++)
		if (truth_nth(r, "thread", i)->nr_values >= 4)
			before = truth_nth(r, "thread", i)->values[3];
	cr_log_info("tree cpu %.3f ms vs getrusage %.3f ms (%+.2f%%; %.3f ms before main())",
		    cpu / 1e6, rusage / 1e6, pct(cpu, rusage), before / 1e6);
	cr_expect(cpu <= rusage * 1.01 && cpu >= (rusage - before) * 0.99,
		  "time.cpu_ns %.0f vs getrusage %.0f (%+.2f%%; allowed 1%%, and the %.0f ns "
		  "before main() less)",
		  cpu, rusage, pct(cpu, rusage), before);
	check_thread_truths(r);
}

static void spin(const char *threads)
{
	struct run r;
	double cpu, runq;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("spin"), threads, "600"));
	check_cpu_truths(&r);
	cpu = jint(r.report, "time.cpu_ns");
	runq = jint(r.report, "time.runq_ns");
	if (atoi(threads) > sysconf(_SC_NPROCESSORS_ONLN)) {
		/* more spinners than CPUs: each waits about as long as it runs */
		cr_expect(runq >= 0.25 * cpu,
			  "%s spinners on %ld CPUs: time.runq_ns %.0f is under a quarter of "
			  "cpu_ns %.0f",
			  threads, sysconf(_SC_NPROCESSORS_ONLN), runq, cpu);
		cr_expect(jint(r.report, "time.runq_preempt_ns") > 0,
			  "oversubscribed spinners but no runq_preempt_ns");
	}
	run_free(&r);
}

Test(measure, spin_1_thread, .timeout = 120)
{
	spin("1");
}

Test(measure, spin_2_threads, .timeout = 120)
{
	spin("2");
}

Test(measure, spin_4_threads, .timeout = 120)
{
	spin("4");
}

Test(measure, fork_tree_3_generations, .timeout = 120)
{
	struct run r;
	size_t n;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("forktree"), "3", "2", "300"));
	check_cpu_truths(&r);
	n = truth_count(&r, "proc");
	cr_expect(n == 7, "forktree printed %zu processes, expected 7", n);
	for (size_t i = 0; i < n; i++) {
		const struct truth *t = truth_nth(&r, "proc", i);
		json_object *p = report_process(&r, t->values[0]);

		cr_expect(p != NULL, "process %llu (generation %llu) is not in the report",
			  t->values[0], t->values[2]);
		if (p)
			cr_expect(jint(p, "ppid") == (long long)t->values[1],
				  "process %llu: ppid %lld, expected %llu", t->values[0],
				  jint(p, "ppid"), t->values[1]);
	}
	run_free(&r);
}

Test(measure, sleeps, .timeout = 120)
{
	struct run r;
	double total, loop_cpu, loop_runq, expect, sleep, tsleep;
	long long count, sys_count;
	const struct truth *th;
	json_object *thread;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("sleeper"), "200", "5"));
	total = truth_need(&r, "sleep_total_ns");
	loop_cpu = truth_need(&r, "sleep_loop_cpu_ns");
	loop_runq = truth_need(&r, "sleep_loop_runq_ns");
	/* what the thread's clock saw minus what schedstat says was not blocked */
	expect = total - loop_cpu - loop_runq;
	sleep = jint(r.report, "time.blocked_ns.sleep");
	cr_log_info("blocked.sleep %.3f ms; measured sum %.3f ms (%+.2f%%); "
		    "sum less cpu and runq in the loop %.3f ms (%+.2f%%)",
		    sleep / 1e6, total / 1e6, pct(sleep, total), expect / 1e6, pct(sleep, expect));
	/*
	 * The sleeps' own sum holds each wakeup's scheduling latency, which
	 * advisor books as runq: only the sum less the loop's cpu and runq
	 * (schedstat) is the same quantity as blocked.sleep, on a busy host too.
	 */
	cr_expect(sleep <= total, "time.blocked_ns.sleep %.0f is more than the sleeps took, %.0f",
		  sleep, total);
	cr_expect(within(sleep, expect, 0.02, 0) ||
			  (sleep > expect && within(sleep - r.steal_ns, expect, 0.02, 0)),
		  "time.blocked_ns.sleep %.0f vs measured sum less the loop's cpu and runq "
		  "(schedstat) %.0f (%+.2f%%; allowed 2%%, plus %.3f ms of steal above)",
		  sleep, expect, pct(sleep, expect), r.steal_ns / 1e6);

	th = truth_find(&r, "thread");
	cr_assert(th, "sleeper printed no thread truth");
	thread = report_thread(&r, th->values[0], NULL);
	cr_assert(thread, "the sleeping thread %llu is not in the report", th->values[0]);
	tsleep = jint(thread, "blocked_ns.sleep");
	cr_expect(within(tsleep, expect, 0.02, 0) ||
			  (tsleep > expect && within(tsleep - r.steal_ns, expect, 0.02, 0)),
		  "sleeping thread blocked_ns.sleep %.0f vs %.0f (%+.2f%%; allowed 2%%, plus "
		  "%.3f ms of steal above)",
		  tsleep, expect, pct(tsleep, expect), r.steal_ns / 1e6);

	count = jint(r.report, "waits.sleep.count");
	cr_expect(count == 200, "waits.sleep.count %lld, expected 200", count);
	sys_count = syscall_sum(jget(r.report, "syscall_waits"), "nanosleep", "count") +
		    syscall_sum(jget(r.report, "syscall_waits"), "clock_nanosleep", "count");
	cr_expect(sys_count == 200, "syscall_waits (clock_)nanosleep count %lld, expected 200",
		  sys_count);
	check_thread_truths(&r);
	run_free(&r);
}

Test(measure, fsync_disk, .timeout = 120)
{
	struct run r;
	char path[128];
	long long disk, internal, fsyncs, writes;
	json_object *sw;

	harness_require_bpf();
	snprintf(path, sizeof(path), "/var/tmp/advisor-it-fsync.%d.dat", getpid());
	run_advisor(&r, NULL, ARGS(workload("fsync_writer"), path, "200"));
	unlink(path);
	disk = jint(r.report, "time.blocked_ns.disk");
	internal = jint(r.report, "time.internal_ns.disk");
	sw = jget(r.report, "syscall_waits");
	fsyncs = syscall_sum(sw, "fsync", "count") + syscall_sum(sw, "fdatasync", "count");
	writes = syscall_sum(sw, "write", "count") + syscall_sum(sw, "pwrite64", "count");
	cr_log_info("blocked.disk %.3f ms (fsync measured %.3f ms), internal %lld ns, "
		    "syscall waits: fsync %lld, write %lld",
		    disk / 1e6, truth_need(&r, "fsync_total_ns") / 1e6, internal, fsyncs, writes);
	cr_expect(disk > 0, "time.blocked_ns.disk is 0 after 200 fsyncs");
	cr_expect(fsyncs + writes > 0, "syscall_waits has no fsync or write entry");
	/* disk waits are always external: an interrupt, not a thread of the tree, ends them */
	cr_expect(internal == 0, "time.internal_ns.disk %lld of %lld; disk waits are external",
		  internal, disk);
	run_free(&r);
}

Test(measure, pipe_ping_pong_internal, .timeout = 120)
{
	struct run r;
	double ipc, internal;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("pingpong"), "50000"));
	ipc = jint(r.report, "time.blocked_ns.ipc");
	internal = jint(r.report, "time.internal_ns.ipc");
	cr_log_info("ping-pong: blocked.ipc %.3f ms, internal %.3f ms (%.1f%%)", ipc / 1e6,
		    internal / 1e6, ipc ? 100 * internal / ipc : 0);
	cr_expect(ipc > 0, "time.blocked_ns.ipc is 0 after 50000 pipe round trips");
	cr_expect(internal >= 0.95 * ipc,
		  "time.internal_ns.ipc %.0f is %.1f%% of blocked_ns.ipc %.0f (expected >= 95%%)",
		  internal, ipc ? 100 * internal / ipc : 0, ipc);
	run_free(&r);
}

/* 100 000 context switches: the schedstat comparison that catches a lost
 * or doubled switch (README, Known limits: a switch the kernel never reports). */
Test(measure, pipe_ping_pong_schedstat, .timeout = 120)
{
	struct run r;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("pingpong"), "50000"));
	check_thread_truths(&r);
	run_free(&r);
}

Test(measure, shell_pipeline_hasher_internal, .timeout = 120)
{
	struct run r;
	json_object *hasher;
	double ipc, internal, tree_ipc, tree_internal;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS("/bin/sh", "-c", "head -c 200M /dev/zero | sha256sum"));
	hasher = report_process_by_comm(&r, "sha256sum");
	cr_assert(hasher, "no sha256sum process in the report");
	ipc = process_cause(hasher, "blocked_ns", "ipc");
	internal = process_cause(hasher, "internal_ns", "ipc");
	tree_ipc = jint(r.report, "time.blocked_ns.ipc");
	tree_internal = jint(r.report, "time.internal_ns.ipc");
	cr_log_info("sha256sum: ipc %.3f ms, internal %.3f ms; tree: ipc %.3f ms, internal "
		    "%.3f ms",
		    ipc / 1e6, internal / 1e6, tree_ipc / 1e6, tree_internal / 1e6);
	/*
	 * the slower end may never find its pipe empty (the emulated guest's
	 * sha256sum did not, twice): someone in the tree must have waited on it
	 */
	cr_expect(tree_ipc > 0, "nobody in the pipeline waited on its pipe (blocked_ns.ipc 0)");
	/*
	 * The hasher is the slower end and waits little (often ~0.1 ms in
	 * all); a few waits of ~10 us whose wakeup the probes did not see
	 * (README, Known limits) then weigh a lot. Judge its share when it
	 * waited long enough to mean something; the tree's share always.
	 */
	if (ipc >= 1e6)
		cr_expect(internal >= 0.9 * ipc,
			  "sha256sum: internal_ns.ipc %.0f is %.1f%% of blocked_ns.ipc %.0f "
			  "(expected >= 90%%)",
			  internal, ipc ? 100 * internal / ipc : 0, ipc);
	cr_expect(tree_internal >= 0.9 * tree_ipc,
		  "tree: internal_ns.ipc %.0f is %.1f%% of blocked_ns.ipc %.0f (expected >= 90%%)",
		  tree_internal, tree_ipc ? 100 * tree_internal / tree_ipc : 0, tree_ipc);
	run_free(&r);
}

/*
 * Runs the workload reader on a FIFO (its one argument) under advisor, fed
 * by a slow_writer outside the tree: count lines gap_ms apart. Returns the
 * writer's wait status (killed first when kill_writer: a reader that may
 * stop early).
 */
static int run_fed_by_fifo(struct run *r, const char *reader, const char *count,
			   const char *gap_ms, bool kill_writer)
{
	char dir[64], fifo[128];
	pid_t writer;
	int status;

	writer = fifo_fed_slowly(dir, sizeof(dir), fifo, sizeof(fifo), count, gap_ms);
	run_advisor(r, NULL, ARGS(workload(reader), fifo));
	status = reap(writer, kill_writer);
	dir_remove(dir);
	return status;
}

Test(measure, fifo_slow_writer_outside_external, .timeout = 120)
{
	struct run r;
	double ipc, internal, wall, ext;

	harness_require_bpf();
	cr_expect(run_fed_by_fifo(&r, "pipe_reader", "100", "10", false) == 0,
		  "slow_writer failed");
	cr_expect(truth_need(&r, "bytes") == 6400, "pipe_reader read %llu bytes, expected 6400",
		  truth_need(&r, "bytes"));
	ipc = jint(r.report, "time.blocked_ns.ipc");
	internal = jint(r.report, "time.internal_ns.ipc");
	wall = jint(r.report, "waits.ipc.total_ns");
	ext = jint(r.report, "waits.ipc.external.total_ns");
	cr_log_info("fifo reader: blocked.ipc %.3f ms (its reads took %.3f ms), internal "
		    "%.3f ms; waits.ipc %.3f ms, external %.3f ms",
		    ipc / 1e6, truth_need(&r, "read_wait_ns") / 1e6, internal / 1e6, wall / 1e6,
		    ext / 1e6);
	cr_expect(ipc > 0, "time.blocked_ns.ipc is 0");
	cr_expect(ipc - internal >= 0.9 * ipc,
		  "external ipc (blocked %.0f - internal %.0f) is %.1f%% (expected >= 90%%)", ipc,
		  internal, ipc ? 100 * (ipc - internal) / ipc : 0);
	cr_expect(ext >= 0.9 * wall,
		  "waits.ipc.external.total_ns %.0f is %.1f%% of waits.ipc.total_ns %.0f "
		  "(expected >= 90%%)",
		  ext, wall ? 100 * ext / wall : 0, wall);
	run_free(&r);
}

/*
 * A wakeup that finds its thread running (between joining a wait queue and
 * sleeping, or a second one after the wakeup that ended its last wait) ends
 * no wait of the thread's next. Its note must not be taken for that wait's
 * waker: FIFO reads that only a writer outside the tree feeds are external,
 * hand-offs over a socket from a sibling are internal.
 */
Test(measure, stale_wake_note_not_reused, .timeout = 120)
{
	struct run r;
	double ipc, internal;

	harness_require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU: the workload's two spinning threads need a CPU each");
	cr_expect(run_fed_by_fifo(&r, "handoff_then_fifo", "400", "4", false) == 0,
		  "slow_writer failed");
	cr_expect(truth_need(&r, "lines") == 400, "read %llu lines, expected 400",
		  truth_need(&r, "lines"));
	ipc = jint(r.report, "time.blocked_ns.ipc");
	internal = jint(r.report, "time.internal_ns.ipc");
	cr_log_info("FIFO reads after hand-offs: blocked.ipc %.3f ms, internal %.3f ms; "
		    "FIFO waits %lld; hand-offs: net %.3f ms, internal %.3f ms",
		    ipc / 1e6, internal / 1e6, jint(r.report, "waits.ipc.count"),
		    jint(r.report, "time.blocked_ns.net") / 1e6,
		    jint(r.report, "time.internal_ns.net") / 1e6);
	/* a reader behind the writer (a busy machine) finds lines ready and never waits */
	cr_expect(ipc > 0 || truth_need(&r, "fifo_wait_ns") < 1000000,
		  "time.blocked_ns.ipc is 0, the reads waited %.3f ms",
		  truth_need(&r, "fifo_wait_ns") / 1e6);
	cr_expect(internal == 0,
		  "%.3f ms of the FIFO reads' %.3f ms counted internal: only the outside writer "
		  "feeds the FIFO",
		  internal / 1e6, ipc / 1e6);
	/* the writer's second wakeup (after the one that ended the FIFO wait) is stale too */
	cr_expect(jint(r.report, "time.internal_ns.net") == jint(r.report, "time.blocked_ns.net"),
		  "hand-off waits: %lld ns of %lld ns internal; only the sibling ends them",
		  jint(r.report, "time.internal_ns.net"), jint(r.report, "time.blocked_ns.net"));
	run_free(&r);
}

Test(measure, epoll_fed_from_outside, .timeout = 120)
{
	char port[16];
	struct run r;
	double poll, internal, wall, ext;
	pid_t feeder;

	harness_require_bpf();
	snprintf(port, sizeof(port), "%d", free_port());
	feeder = spawn(ARGS(workload("tcp_feeder"), port, "100", "10"), -1);
	run_advisor(&r, NULL, ARGS(workload("epoll_reader"), port));
	cr_expect(reap(feeder, false) == 0, "tcp_feeder failed");
	cr_expect(truth_need(&r, "bytes") == 6400, "epoll_reader read %llu bytes, expected 6400",
		  truth_need(&r, "bytes"));
	poll = jint(r.report, "time.blocked_ns.poll");
	internal = jint(r.report, "time.internal_ns.poll");
	wall = jint(r.report, "waits.poll.total_ns");
	ext = jint(r.report, "waits.poll.external.total_ns");
	cr_log_info("epoll reader: blocked.poll %.3f ms, internal %.3f ms; waits.poll count "
		    "%lld (epoll_wait calls %llu), external %.3f ms",
		    poll / 1e6, internal / 1e6, jint(r.report, "waits.poll.count"),
		    truth_need(&r, "epoll_waits"), ext / 1e6);
	cr_expect(poll > 0, "time.blocked_ns.poll is 0");
	cr_expect(poll - internal >= 0.9 * poll,
		  "external poll (blocked %.0f - internal %.0f) is %.1f%% (expected >= 90%%)",
		  poll, internal, poll ? 100 * (poll - internal) / poll : 0);
	cr_expect(ext >= 0.9 * wall,
		  "waits.poll.external.total_ns %.0f is %.1f%% of waits.poll.total_ns %.0f "
		  "(expected >= 90%%)",
		  ext, wall ? 100 * ext / wall : 0, wall);
	run_free(&r);
}

Test(measure, tcp_connections_counted_exactly, .timeout = 120)
{
	struct run r;
	long long accepted, connected, peak;
	pid_t other;

	harness_require_bpf();
	/* 20 connections at a time, opened and closed for ~3 s, outside the tree */
	other = spawn(ARGS(workload("conns"), "20", "100", "30"), -1);
	sleep_ms(100);
	run_advisor(&r, NULL, ARGS(workload("conns"), "50", "500", "1"));
	reap(other, true);
	cr_expect(truth_need(&r, "connected") == 50 && truth_need(&r, "accepted") == 50,
		  "the workload made %llu and accepted %llu connections, expected 50",
		  truth_need(&r, "connected"), truth_need(&r, "accepted"));
	cr_expect(jbool(r.report, "connections.tcp_counted"), "connections.tcp_counted is false");
	accepted = jint(r.report, "connections.accepted");
	connected = jint(r.report, "connections.connected");
	peak = jint(r.report, "connections.peak_open");
	cr_log_info("connections: accepted %lld, connected %lld, peak_open %lld, closed %lld, "
		    "distinct_peers %lld",
		    accepted, connected, peak, jint(r.report, "connections.closed"),
		    jint(r.report, "connections.distinct_peers"));
	cr_expect(accepted == 50, "connections.accepted %lld, expected 50", accepted);
	cr_expect(connected == 50, "connections.connected %lld, expected 50", connected);
	cr_expect(peak >= 50, "connections.peak_open %lld, expected >= 50", peak);
	run_free(&r);
}

Test(measure, daemonised_grandchild_waited_for, .timeout = 120)
{
	struct run r;
	long long duration;
	json_object *p;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("daemon"), "1000"));
	duration = jint(r.report, "duration_ns");
	cr_log_info("daemon: advisor wall %.3f s, duration_ns %lld", r.wall_s, duration);
	cr_expect(duration >= 1000000000, "duration_ns %lld, expected >= 1 s", duration);
	cr_expect(r.wall_s >= 1.0, "advisor returned after %.3f s, before the grandchild's 1 s",
		  r.wall_s);
	cr_expect(truth_find(&r, "grandchild_done") != NULL,
		  "the grandchild had not finished when advisor returned");
	p = report_process(&r, truth_need(&r, "grandchild_pid"));
	cr_expect(p != NULL, "grandchild %llu is not in processes[]",
		  truth_need(&r, "grandchild_pid"));
	p = report_process(&r, truth_need(&r, "child_pid"));
	cr_expect(p != NULL, "middle child %llu is not in processes[]",
		  truth_need(&r, "child_pid"));
	run_free(&r);
}

Test(measure, thread_lifetime_closed, .timeout = 120)
{
	static const char *const names[] = { "spin 4", "forktree", "sleeper", "pingpong",
					     "lock_contention", "rr_client" };
	const char *const *cmds[] = {
		ARGS(workload("spin"), "4", "300"),
		ARGS(workload("forktree"), "3", "2", "150"),
		ARGS(workload("sleeper"), "50", "5"),
		ARGS(workload("pingpong"), "20000"),
		ARGS(workload("lock_contention"), "4", "500"),
		NULL,
	};
	char port[16];
	int lfd, p;
	pid_t server;

	harness_require_bpf();
	for (size_t i = 0; cmds[i]; i++) {
		struct run r;

		cr_log_info("lifetimes: %s", names[i]);
		run_advisor(&r, NULL, cmds[i]);
		check_lifetimes(&r);
		run_free(&r);
	}
	lfd = listen_loopback(&p);
	server = spawn(ARGS(workload("echo_server"), "--fd", "3", "--delay-ms", "2"), lfd);
	close(lfd);
	snprintf(port, sizeof(port), "%d", p);
	{
		struct run r;

		cr_log_info("lifetimes: %s", names[5]);
		run_advisor(&r, NULL,
			    ARGS(workload("rr_client"), "--port", port, "--conns", "8", "--threads",
				 "8", "--duration-ms", "500"));
		check_lifetimes(&r);
		run_free(&r);
	}
	reap(server, true);
}

Test(measure, syscalls_counted_exactly, .timeout = 120)
{
	struct run r;
	long long count;

	harness_require_bpf();
	run_advisor(&r, ARGS("-S"), ARGS(workload("getppid_storm"), "100000"));
	cr_assert(jget(r.report, "syscalls"), "-S gave no syscalls[] table");
	count = syscall_sum(jget(r.report, "syscalls"), "getppid", "count");
	cr_log_info("-S: getppid count %lld (called 100000 times)", count);
	cr_expect(count >= 100000 && count <= 100005,
		  "syscalls getppid count %lld, expected 100000 (the workload's calls)", count);
	run_free(&r);
}

Test(measure, exit_status_passes_through, .timeout = 120)
{
	struct run r;

	harness_require_bpf();
	run_advisor_status(&r, NULL, ARGS("/bin/sh", "-c", "exit 7"), 7);
	cr_expect(jint(r.report, "target.exit_code") == 7, "target.exit_code %lld, expected 7",
		  jint(r.report, "target.exit_code"));
	cr_expect(jint(r.report, "target.signal") == 0, "target.signal %lld, expected 0",
		  jint(r.report, "target.signal"));
	run_free(&r);
}

/*
 * A thread other than the leader execs: the kernel ends the leader and the
 * thread carries on under the leader's pid. One process (not two of one
 * pid), whose two threads both end, the exec'd one with the exit status.
 */
Test(measure, exec_from_a_thread_one_process, .timeout = 120)
{
	struct run r;
	json_object *p, *threads;
	size_t nt;

	harness_require_bpf();
	run_advisor(&r, NULL, ARGS(workload("exec_thread"), "50"));
	cr_assert(json_object_array_length(jget(r.report, "processes")) == 1,
		  "%zu processes in the report, the tree had one",
		  json_object_array_length(jget(r.report, "processes")));
	p = json_object_array_get_idx(jget(r.report, "processes"), 0);
	threads = jget(p, "threads");
	nt = threads ? json_object_array_length(threads) : 0;
	cr_expect(nt == 2, "%zu threads, the process had 2", nt);
	cr_expect(!strcmp(jstr(p, "comm"), "sleep"), "comm %s, the process ended as sleep",
		  jstr(p, "comm"));
	cr_expect(jbool(p, "exited") && jint(p, "exit_code") == 0, "exited %d, exit_code %lld",
		  jbool(p, "exited"), jint(p, "exit_code"));
	for (size_t j = 0; j < nt; j++) {
		json_object *t = json_object_array_get_idx(threads, j);

		cr_expect(jint(t, "tid") == jint(p, "pid"), "thread %lld: the kernel gave both the pid",
			  jint(t, "tid"));
		cr_expect(jint(t, "end_ns") > 0, "thread %lld (%s) did not end", jint(t, "tid"),
			  jstr(t, "comm"));
	}
	check_lifetimes(&r);
	run_free(&r);
}

/* lo's receive steering (RPS) of the tests below, restored when they end */
static char rps_saved[64];
static const char rps_path[] = "/sys/class/net/lo/queues/rx-0/rps_cpus";

static bool rps_set(const char *mask)
{
	FILE *f = fopen(rps_path, "r");
	bool ok;

	if (!f || !fgets(rps_saved, sizeof(rps_saved), f)) {
		if (f)
			fclose(f);
		return false;
	}
	fclose(f);
	f = fopen(rps_path, "w");
	if (!f)
		return false;
	ok = fputs(mask, f) >= 0;
	return !fclose(f) && ok;
}

static void rps_restore(void)
{
	FILE *f = fopen(rps_path, "w");

	if (f) {
		fputs(rps_saved, f);
		fclose(f);
	}
}

/*
 * A softirq runs on top of whatever task it interrupts: with lo's receive
 * steered to CPU 1, where a sibling spins in user space, every datagram
 * from a sender outside the tree wakes the receiver from the sibling's
 * time. The wakeup is not the sibling's: the receiver's waits are external.
 */
static void softirq_bystander(const char *addr)
{
	char port[16];
	struct run r;
	pid_t sender;
	double net, internal;

	harness_require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU: no other CPU to steer lo's receive to");
	if (!rps_set("2"))
		cr_skip_test("%s cannot be set (no RPS in this kernel?)", rps_path);
	snprintf(port, sizeof(port), "%d", free_port());
	sender = spawn(ARGS(workload("udp_bystander"), "send", port, "6000", "500"), -1);
	run_advisor(&r, NULL, ARGS(workload("udp_bystander"), "recv", port, "1000", addr));
	rps_restore();
	reap(sender, true);
	cr_expect(truth_need(&r, "received") == 1000, "received %llu datagrams, expected 1000",
		  truth_need(&r, "received"));
	net = jint(r.report, "time.blocked_ns.net");
	internal = jint(r.report, "time.internal_ns.net");
	cr_log_info("UDP receiver on %s beside a spinner on the steered CPU: blocked.net %.3f ms, "
		    "internal %.3f ms",
		    addr, net / 1e6, internal / 1e6);
	cr_expect(net > 0, "time.blocked_ns.net is 0");
	cr_expect(internal == 0,
		  "%.3f ms of %.3f ms of waits for datagrams from outside counted internal",
		  internal / 1e6, net / 1e6);
	run_free(&r);
}

Test(measure, softirq_on_a_busy_sibling_is_not_its_wakeup, .timeout = 120)
{
	softirq_bystander("127.0.0.1");
}

/* a socket bound to the wildcard takes peers from anywhere: the same holds */
Test(measure, softirq_on_a_busy_sibling_wildcard_socket, .timeout = 120)
{
	softirq_bystander("0.0.0.0");
}

/*
 * A 32-bit syscall (a 32-bit program, or int $0x80) has its own numbers and
 * its first argument in ebx: ia32 read is 3, which on x86_64 is close. Its
 * waits on a FIFO fed from outside are external ipc waits in read.
 */
Test(measure, compat_32bit_syscalls_classified, .timeout = 120)
{
	struct run r;
	double ipc, all;
	long long reads;

	harness_require_bpf();
	run_fed_by_fifo(&r, "compat_read", "100", "5", true);
	if (!truth_need(&r, "compat")) {
		run_free(&r);
		cr_skip_test("this kernel runs no 32-bit syscalls (IA32 emulation off)");
	}
	ipc = jint(r.report, "time.blocked_ns.ipc");
	all = blocked_sum(jget(r.report, "time"), "blocked_ns");
	reads = syscall_sum(jget(r.report, "syscall_waits"), "read", "count");
	cr_log_info("32-bit reads of a FIFO: blocked %.3f ms, ipc %.3f ms; waits in read %lld, "
		    "in close %lld",
		    all / 1e6, ipc / 1e6, reads,
		    syscall_sum(jget(r.report, "syscall_waits"), "close", "count"));
	cr_expect(truth_need(&r, "lines") == 100, "read %llu lines, expected 100",
		  truth_need(&r, "lines"));
	cr_expect(ipc >= 0.9 * all, "ipc %.0f ns of %.0f ns blocked", ipc, all);
	cr_expect(jint(r.report, "time.internal_ns.ipc") == 0, "internal ipc %lld ns",
		  jint(r.report, "time.internal_ns.ipc"));
	cr_expect(reads >= 90, "%lld waits in read, the program read 100 lines", reads);
	cr_expect(syscall_sum(jget(r.report, "syscall_waits"), "close", "count") == 0,
		  "waits in close: the 32-bit read (3) read as x86_64's close");
	run_free(&r);
}

/*
 * io_uring's worker threads (io-wq), made without a fork event, are members
 * of the tree: fio with every request punted to them. Their waits are the
 * requests' (disk, a kernel lock) or idle (other), under their own name,
 * never the submitter's io_uring_enter (poll).
 */
Test(measure, io_uring_workers_are_members, .timeout = 120)
{
	char dir[64], file[128], arg[160];
	struct run r;
	json_object *procs;
	size_t workers = 0;
	long long bad = 0, disk = 0, waits;

	harness_require_bpf();
	if (access("/usr/bin/fio", X_OK))
		cr_skip_test("fio is not installed (make deps)");
	dir_make(dir, sizeof(dir));
	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(arg, sizeof(arg), "--filename=%s", file);
	run_advisor(&r, NULL,
		    ARGS("fio", "--name=t", "--ioengine=io_uring", "--rw=randread", arg, "--size=16M",
			 "--bs=4k", "--force_async=1", "--iodepth=8", "--runtime=1", "--time_based",
			 "--output=/dev/null"));
	dir_remove(dir);
	procs = jget(r.report, "processes");
	for (size_t i = 0; i < json_object_array_length(procs); i++) {
		json_object *threads = jget(json_object_array_get_idx(procs, i), "threads");

		for (size_t j = 0; j < json_object_array_length(threads); j++) {
			json_object *t = json_object_array_get_idx(threads, j);

			if (strncmp(jstr(t, "comm"), "iou-wrk-", 8))
				continue;
			workers++;
			disk += jint(t, "blocked_ns.disk");
			bad += jint(t, "blocked_ns.poll") + jint(t, "blocked_ns.net") +
			       jint(t, "blocked_ns.ipc") + jint(t, "blocked_ns.sleep");
		}
	}
	waits = syscall_sum(jget(r.report, "syscall_waits"), "io_wq_worker", "count");
	cr_log_info("fio io_uring, all requests async: %zu io-wq workers, their disk waits %.3f ms, "
		    "poll/net/ipc/sleep %lld ns; %lld waits under io_wq_worker",
		    workers, disk / 1e6, bad, waits);
	cr_expect(workers > 0, "no io-wq worker (iou-wrk-*) in the report");
	cr_expect(bad == 0, "io-wq workers' waits counted as poll, net, ipc or sleep: %lld ns", bad);
	cr_expect(waits > 0, "no waits under io_wq_worker in syscall_waits");
	run_free(&r);
}

/*
 * The timeline spreads each state over the buckets it spans: a 700 ms sleep
 * and 1.5 s on CPU without a switch-out used to land whole in the bucket
 * where they ended (7 threads asleep in one 100 ms bucket of a
 * one-thread program). No bucket may show more of a one-thread program
 * than one thread's worth (a tick can come late on a busy machine, which
 * lengthens its bucket: 30% is allowed for that), and the buckets add up
 * to the totals.
 */
/* The tree's time in a timeline state: other_ns is every wait but external I/O. */
static long long timeline_total(const struct run *r, const char *state)
{
	static const char *const io[] = { "net", "disk", "poll", "ipc" };
	long long v;

	if (strcmp(state, "other_ns"))
		return jint(r->report, "time.cpu_ns");
	v = blocked_sum(jget(r->report, "time"), "blocked_ns");
	for (size_t i = 0; i < sizeof(io) / sizeof(io[0]); i++) {
		char a[64], b[64];

		snprintf(a, sizeof(a), "time.blocked_ns.%s", io[i]);
		snprintf(b, sizeof(b), "time.internal_ns.%s", io[i]);
		v -= jint(r->report, a) - jint(r->report, b);
	}
	return v;
}

static void timeline_one_thread(const char *const *cmd, const char *state)
{
	struct run r;
	json_object *b;
	double bucket, worst = 0, sum = 0;
	long long total;

	run_advisor(&r, NULL, cmd);
	bucket = jint(r.report, "timeline.bucket_ns");
	b = jget(r.report, "timeline.buckets");
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		json_object *x = json_object_array_get_idx(b, i);
		double v = jint(x, state);

		sum += v;
		if (v / bucket > worst)
			worst = v / bucket;
	}
	total = timeline_total(&r, state);
	cr_log_info("%s: at most %.2f threads' worth of %s in a bucket; buckets %.0f ns, the "
		    "tree's %lld ns",
		    cmd[0], worst, state, sum, total);
	cr_expect(worst <= 1.3, "%s: %.2f threads' worth of %s in one bucket of a one-thread program",
		  cmd[0], worst, state);
	cr_expect(sum == total, "%s: the buckets' %s add up to %.0f, the tree's is %lld", cmd[0],
		  state, sum, total);
	run_free(&r);
}

Test(measure, timeline_spreads_long_episodes, .timeout = 120)
{
	harness_require_bpf();
	timeline_one_thread(ARGS(workload("sleeper"), "2", "700"), "other_ns");
	timeline_one_thread(ARGS(workload("spin"), "0", "1500"), "cpu_ns");
}

/*
 * A wait booked as I/O while open that a sibling ends (other) goes back from
 * the buckets it spanned, not from the latest ones: cat waits 1.5 s on a pipe
 * that its sibling subshell writes, while pipe_reader waits on a FIFO that a
 * writer outside the tree feeds every 10 ms (external I/O all along). Each
 * bucket of that stretch holds pipe_reader's I/O alone: about one thread's
 * worth, never cat's as well early on nor nothing late (taken latest first,
 * the 1.5 s debt emptied the buckets before cat's close of both).
 */
Test(measure, timeline_reclassified_wait_leaves_the_siblings_io, .timeout = 120)
{
	char dir[64], fifo[128], cmd[512];
	struct run r;
	json_object *b;
	double bucket;
	pid_t writer;
	int checked = 0;

	harness_require_bpf();
	writer = fifo_fed_slowly(dir, sizeof(dir), fifo, sizeof(fifo), "200", "10");
	snprintf(cmd, sizeof(cmd), "%s %s > /dev/null & (sleep 1.5; echo x) | cat > /dev/null; wait",
		 workload("pipe_reader"), fifo);
	run_advisor(&r, NULL, ARGS("sh", "-c", cmd));
	cr_expect_eq(reap(writer, false), 0, "slow_writer failed");
	dir_remove(dir);
	bucket = jint(r.report, "timeline.bucket_ns");
	b = jget(r.report, "timeline.buckets");
	/* from 0.3 s (everyone started) to 1.3 s (before cat's wait ends) */
	for (size_t i = 0; i < json_object_array_length(b); i++) {
		double from = i * bucket, io = jint(json_object_array_get_idx(b, i), "io_ns") / bucket;

		if (from < 0.3e9 || from + bucket > 1.3e9)
			continue;
		checked++;
		cr_log_info("bucket %zu (%.1f s): %.2f threads' worth of I/O", i, from / 1e9, io);
		cr_expect(io <= 1.3, "bucket at %.1f s: %.2f threads' worth of I/O, only "
				     "pipe_reader waited on I/O",
			  from / 1e9, io);
		cr_expect(io >= 0.5, "bucket at %.1f s: %.2f threads' worth of I/O, pipe_reader "
				     "waited on its FIFO all along",
			  from / 1e9, io);
	}
	cr_expect(checked >= 5, "%d buckets of 0.3-1.3 s", checked);
	run_free(&r);
}

/*
 * I/O requests in flight, against fio's own count and latency: every
 * 128 KiB read fio made is one io_uring request and one block request; one
 * at a time (iodepth 1) is not asynchronous, 16 kept in flight is
 * ("async-io", its requests' latency the I/O wait). Reads this large are
 * mostly the device's time, so the requests' mean latency is most of fio's
 * (submission to reaping) at both depths; with 4 KiB reads at depth 16 fio
 * itself is the bottleneck here, and its figure holds its reaping delay.
 */
/*
 * The reads the disk under dir completed so far and their time in the block
 * layer, from each request's start to its completion, in ns
 * (/sys/dev/block/M:m/stat: fields 1 and 4, that time summed in ns and shown
 * in ms). False when the file cannot be read.
 */
static bool disk_reads(const char *dir, long long *reads, long long *ns)
{
	char path[64];
	struct stat st;
	long long ms;
	FILE *f;
	bool ok;

	if (stat(dir, &st))
		return false;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/stat", major(st.st_dev),
		 minor(st.st_dev));
	f = fopen(path, "r");
	if (!f)
		return false;
	ok = fscanf(f, "%lld %*d %*d %lld", reads, &ms) == 2;
	fclose(f);
	*ns = ms * 1000000;
	return ok;
}

static void fio_requests(const char *depth, const char *engine, const char *dir, bool async)
{
	char file[128], arg_file[160], arg_depth[32], arg_engine[32], out[160];
	struct run r;
	json_object *fio, *read;
	const char *kind = !strcmp(engine, "io_uring") ? "requests.io_uring" : "requests.block";
	char path[64];
	double lat, ours, disk = 0;
	long long ios, reads0, ns0, reads1, ns1;
	bool disk_known;

	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(arg_file, sizeof(arg_file), "--filename=%s", file);
	snprintf(arg_depth, sizeof(arg_depth), "--iodepth=%s", depth);
	snprintf(arg_engine, sizeof(arg_engine), "--ioengine=%s", engine);
	snprintf(out, sizeof(out), "--output=%s/fio.json", dir);
	disk_known = disk_reads(dir, &reads0, &ns0);
	run_advisor(&r, NULL,
		    ARGS("fio", "--name=t", arg_engine, "--rw=randread", arg_file, "--size=64M",
			 "--bs=128k", arg_depth, "--direct=1", "--runtime=1", "--time_based",
			 "--output-format=json", out));
	disk_known = disk_known && disk_reads(dir, &reads1, &ns1) && reads1 > reads0;
	if (disk_known)
		disk = (double)(ns1 - ns0) / (reads1 - reads0);
	snprintf(path, sizeof(path), "%s/fio.json", dir);
	fio = json_object_from_file(path);
	cr_assert(fio, "fio wrote no JSON");
	read = jget(json_object_array_get_idx(jget(fio, "jobs"), 0), "read");
	ios = jint(read, "total_ios");
	lat = jnum(read, "lat_ns.mean");
	{
		char k[96];

		snprintf(k, sizeof(k), "%s.latency.total_ns", kind);
		ours = jint(r.report, k);
		snprintf(k, sizeof(k), "%s.latency.count", kind);
		ours = jint(r.report, k) ? ours / jint(r.report, k) : 0;
		snprintf(k, sizeof(k), "%s.issued", kind);
		cr_log_info("fio %s iodepth %s: %lld reads, mean %.1f µs; %s: %lld issued, mean %.1f µs, "
			    "%.2f in flight on average; current model %s",
			    engine, depth, ios, lat / 1e3, kind, jint(r.report, k), ours / 1e3,
			    jnum(r.report, !strcmp(engine, "io_uring") ? "requests.io_uring.avg_in_flight" :
								      "requests.block.avg_in_flight"),
			    jstr(r.report, "verdict.current_model"));
		if (!strcmp(engine, "io_uring"))
			cr_expect(jint(r.report, k) == ios, "%s: %lld issued, fio made %lld reads", kind,
				  jint(r.report, k), ios);
		else
			/*
			 * the block layer also has the tree's other requests (the
			 * file system's), and misses those a kernel worker
			 * dispatches for a busy device (Known limits: up to 5% at
			 * depth 16 here)
			 */
			cr_expect(jint(r.report, k) >= ios - ios / 10 &&
				  jint(r.report, k) <= ios + ios / 20 + 64,
				  "%s: %lld issued, fio made %lld reads", kind, jint(r.report, k), ios);
	}
	/*
	 * never more in flight than fio keeps (depth), each split into as many
	 * requests as fio's reads were on average, and the file system's one;
	 * requests whose completion the kernel did not report leave the count
	 * (README, Known limits): before, a depth-1 run read 5 to 64 here
	 */
	if (strcmp(engine, "io_uring")) {
		char k[96];
		long long issued, peak, split;

		snprintf(k, sizeof(k), "%s.issued", kind);
		issued = jint(r.report, k);
		snprintf(k, sizeof(k), "%s.peak_in_flight", kind);
		peak = jint(r.report, k);
		split = ios ? (issued + ios - 1) / ios : 1;
		cr_expect(peak >= 1 && peak <= (atoll(depth) + 1) * split,
			  "iodepth %s: peak %lld in flight, %lld issued for %lld reads", depth, peak,
			  issued, ios);
	}
	/*
	 * async-io when the requests overlapped in the kernel (1.5 or more in
	 * flight on average): at depth 16 on a real machine they do; in the
	 * emulated guest fio cannot submit them as fast as the device serves
	 * them, and then the rule must say so
	 */
	{
		char k[96];
		double avg;

		snprintf(k, sizeof(k), "%s.avg_in_flight", kind);
		avg = jnum(r.report, k);
		cr_expect(!strcmp(jstr(r.report, "verdict.current_model"), "async-io") == (avg >= 1.5),
			  "iodepth %s: %.2f in flight on average, current model %s", depth, avg,
			  jstr(r.report, "verdict.current_model"));
		if (!getenv("ADVISOR_GUEST"))
			cr_expect((avg >= 1.5) == async, "iodepth %s: %.2f in flight on average",
				  depth, avg);
	}
	/*
	 * fio's latency is the request's plus fio's own time to submit and reap
	 * it, which a busy machine stretches: ours is about fio's or less (the
	 * block layer's mean also holds the file system's few requests of other
	 * sizes: 15% more is allowed) and, 128 KiB reads being mostly the
	 * device's time, at least half. In the emulated guest fio's own time is
	 * as long as the device's one at a time (a third), and many times it
	 * deeper, where only the upper bound holds. When another program floods
	 * the disk, fio's requests also wait for a tag before they are requests,
	 * which fio's latency holds and the block layer's does not: the lower
	 * bound then takes the disk's own mean over the run (every reader's
	 * requests, from their start to their completion) where it is lower.
	 */
	{
		char k[96];
		long long counted;
		double floor = disk_known && disk < lat ? disk : lat;

		snprintf(k, sizeof(k), "%s.latency.count", kind);
		counted = jint(r.report, k);
		cr_log_info("the disk's reads over the run: mean %.1f µs%s", disk / 1e3,
			    disk_known ? "" : " (not known)");
		cr_expect(ours >= (!getenv("ADVISOR_GUEST") ? 0.5 : async ? 0 : 0.33) * floor,
			  "mean latency %.1f µs, fio's %.1f µs, the disk's %.1f µs", ours / 1e3,
			  lat / 1e3, disk / 1e3);
		/*
		 * the upper bound compares like with like: over fio's own
		 * requests. More than 2% off fio's count (the bounds above allow
		 * 10% fewer and 5% more), the populations differ: requests a
		 * kernel worker dispatched for a busy device are missing, or a
		 * neighbour's queued without an insert event are in (Known
		 * limits), and those waited behind the busy device for longer
		 */
		if (counted <= ios + ios / 50 && counted >= ios - ios / 50)
			cr_expect(ours <= 1.15 * lat, "mean latency %.1f µs, fio's %.1f µs over %lld "
				  "requests (fio %lld)", ours / 1e3, lat / 1e3, counted, ios);
		else
			cr_log_info("%lld requests counted, fio made %lld: mean latency %.1f µs, "
				    "fio's %.1f µs, not compared", counted, ios, ours / 1e3, lat / 1e3);
	}
	json_object_put(fio);
	run_free(&r);
}

Test(measure, io_requests_in_flight_against_fio, .timeout = 180)
{
	/* on a disk: direct I/O, which /tmp (a tmpfs in the kernel tests' guest) refuses */
	char dir[] = "/var/tmp/advisor-fio.XXXXXX";

	harness_require_bpf();
	if (access("/usr/bin/fio", X_OK))
		cr_skip_test("fio is not installed (make deps)");
	cr_assert(mkdtemp(dir), "mkdtemp %s", dir);
	fio_requests("1", "io_uring", dir, false);
	fio_requests("16", "io_uring", dir, true);
	fio_requests("1", "libaio", dir, false);
	fio_requests("16", "libaio", dir, true);
	dir_remove(dir);
}

/*
 * Another program's direct reads on the same disk beside fio: blk-mq may
 * dispatch them from fio's context, and they must not count as the tree's
 * requests (block's count stays within fio_requests' bounds of fio's own).
 */
Test(measure, io_requests_of_a_disk_neighbour_are_not_the_tree_s, .timeout = 180)
{
	char dir[] = "/var/tmp/advisor-fio.XXXXXX", nb[] = "/var/tmp/advisor-nb.XXXXXX";
	pid_t neighbour;

	harness_require_bpf();
	if (access("/usr/bin/fio", X_OK))
		cr_skip_test("fio is not installed (make deps)");
	/*
	 * Linux 6.1 (the emulated guest) queues a busy device's requests
	 * without block_rq_insert, so a neighbour's may still be dispatched
	 * from fio's context and counted (README, Known limits)
	 */
	if (getenv("ADVISOR_GUEST"))
		cr_skip_test("Linux 6.1: queued requests have no insert event");
	cr_assert(mkdtemp(dir) && mkdtemp(nb), "mkdtemp");
	neighbour = spawn(ARGS(workload("disk_io"), nb, "40", "100000", "128"), -1);
	sleep_ms(300);
	fio_requests("1", "libaio", dir, false);
	fio_requests("16", "libaio", dir, true);
	reap(neighbour, true);
	dir_remove(dir);
	dir_remove(nb);
}
