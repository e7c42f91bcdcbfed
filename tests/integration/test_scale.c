// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Issue 10: scale. 2,000 threads, 10,000 loopback connections, a fork/exec
 * loop, pid reuse, and a long run whose memory must stay flat. Nothing may
 * be silently missing: what a full map lost is counted as dropped.
 *
 * ADVISOR_SCALE=full (a manual or bench run, not CI) raises the fork/exec
 * loop to 100,000 processes and the long run to 10 minutes, measuring
 * advisor's VmHWM at 1 and 10 minutes; by default (CI) the loop makes 20,000
 * processes and the long run lasts 60 s, measured at 20 s and 60 s.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
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

static bool full_scale(void)
{
	const char *s = getenv("ADVISOR_SCALE");

	return s && !strcmp(s, "full");
}

static long long dropped(json_object *r)
{
	return jint(r, "overhead.dropped");
}

Test(scale, threads_2000, .timeout = 120)
{
	struct adv a;
	json_object *r;
	size_t threads;
	double cpu, rusage;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("scale_threads"),
		       "2000"),
		  NULL);
	adv_wait(&a, 100);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	threads = report_nr_threads(r);
	cpu = jint(r, "time.cpu_ns");
	rusage = out_truth(&a, "rusage_cpu_ns");
	cr_log_info("2000 threads: %zu in the report, dropped %lld, cpu %.1f ms vs getrusage "
		    "%.1f ms, advisor %.2f s",
		    threads, dropped(r), cpu / 1e6, rusage / 1e6, a.wall_s);
	cr_expect(out_truth(&a, "threads") == 2000, "the workload made %llu threads",
		  out_truth(&a, "threads"));
	cr_expect(threads == 2001 || (dropped(r) > 0 && threads + dropped(r) >= 2001),
		  "%zu threads in the report (dropped %lld), the workload had 2001", threads,
		  dropped(r));
	cr_expect(dropped(r) == 0, "overhead.dropped %lld", dropped(r));
	/*
	 * A thread's exit runs on after the kernel adds its time to the
	 * process's (__exit_signal): ~13 us a thread here, that getrusage never
	 * sees and advisor does.
	 */
	cr_expect(within(cpu, rusage, 0.02, 0) ||
		      (cpu > rusage && cpu - rusage < 0.02 * rusage + 2000 * 20e3),
		  "cpu %.0f vs getrusage %.0f (2%%, plus up to 20 us a thread's exit)", cpu,
		  rusage);
	json_object_put(r);
	adv_free(&a);
	end();
}

static void conns(const char *n_arg, bool distinct)
{
	struct adv a;
	json_object *r;
	long long n = atoll(n_arg), workers;

	adv_init(&a);
	if (distinct)
		adv_start(&a,
			  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--",
			       workload("scale_conns"), n_arg, "--distinct"),
			  NULL);
	else
		adv_start(&a,
			  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--",
			       workload("scale_conns"), n_arg),
			  NULL);
	adv_wait(&a, 100);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	workers = out_truth(&a, "workers");
	cr_log_info("%lld connections (%lld workers%s): accepted %lld, connected %lld, peak_open "
		    "%lld, closed %lld, distinct_peers %lld, dropped %lld",
		    n, workers, distinct ? ", distinct sources" : "",
		    jint(r, "connections.accepted"), jint(r, "connections.connected"),
		    jint(r, "connections.peak_open"), jint(r, "connections.closed"),
		    jint(r, "connections.distinct_peers"), dropped(r));
	cr_assert(jbool(r, "connections.tcp_counted"), "TCP connections were not counted");
	cr_expect(jint(r, "connections.accepted") == n, "accepted %lld, expected %lld",
		  jint(r, "connections.accepted"), n);
	cr_expect(jint(r, "connections.connected") == n, "connected %lld, expected %lld",
		  jint(r, "connections.connected"), n);
	cr_expect(jint(r, "connections.peak_open") == 2 * n,
		  "peak_open %lld, expected %lld (both ends, all open at once)",
		  jint(r, "connections.peak_open"), 2 * n);
	cr_expect(jint(r, "connections.closed") == 2 * n, "closed %lld, expected %lld",
		  jint(r, "connections.closed"), 2 * n);
	/* connected side: a peer is address:port, one per worker's listener; accepted: address */
	cr_expect(jint(r, "connections.distinct_peers") == (distinct ? n : 1) + workers,
		  "distinct_peers %lld, expected %lld", jint(r, "connections.distinct_peers"),
		  (distinct ? n : 1) + workers);
	cr_expect(report_nr_processes(r) == (size_t)workers + 1, "%zu processes, expected %lld",
		  report_nr_processes(r), workers + 1);
	json_object_put(r);
	adv_free(&a);
}

Test(scale, loopback_connections_10000, .timeout = 120)
{
	begin();
	conns("10000", false);
	end();
}

/* More distinct peers than the peers map holds (16,384): counted, not lost. */
Test(scale, distinct_peers_past_map_size, .timeout = 120)
{
	begin();
	conns("20000", true);
	end();
}

Test(scale, fork_exec_loop, .timeout = 600)
{
	const char *n_arg = full_scale() ? "100000" : "20000";
	long long n = atoll(n_arg), ok = 0;
	struct adv a;
	json_object *r, *procs;
	size_t nr;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("scale_procs"),
		       n_arg, "4"),
		  NULL);
	adv_wait(&a, 540);
	expect_status(&a, 0);
	cr_expect(out_truth(&a, "exited_ok") == (unsigned long long)n, "the loop ran %llu of %lld",
		  out_truth(&a, "exited_ok"), n);
	r = expect_report(adv_path(&a, "r.json"));
	procs = jget(r, "processes");
	nr = report_nr_processes(r);
	for (size_t i = 0; i < nr; i++) {
		json_object *p = json_object_array_get_idx(procs, i);

		ok += jbool(p, "exited") && jint(p, "exit_code") == 0 &&
		      !strcmp(jstr(p, "comm"), "true");
	}
	cr_log_info("fork/exec x %lld (%llu distinct pids): %zu processes and %zu threads in the "
		    "report, %lld of them /bin/true exiting 0; dropped %lld; advisor %.1f s",
		    n, out_truth(&a, "distinct_pids"), nr, report_nr_threads(r), ok, dropped(r),
		    a.wall_s);
	fprintf(stderr,
		"scale fork_exec_loop: %lld processes, advisor %.1f s, report %zu processes\n", n,
		a.wall_s, nr);
	cr_expect(dropped(r) == 0, "overhead.dropped %lld", dropped(r));
	cr_expect(nr == (size_t)n + 1, "%zu processes in the report, the tree had %lld", nr, n + 1);
	cr_expect(report_nr_threads(r) == (size_t)n + 1,
		  "%zu threads in the report, the tree had %lld", report_nr_threads(r), n + 1);
	cr_expect(ok == n, "%lld processes /bin/true exiting 0 in the report, expected %lld", ok,
		  n);
	json_object_put(r);
	adv_free(&a);
	end();
}

/*
 * A pid used twice in the run (what a long loop does once pids wrap, made
 * certain with clone3 set_tid): two processes, not one with both accounts.
 */
Test(scale, reused_pids_are_two_processes, .timeout = 120)
{
	struct adv a;
	json_object *r;
	unsigned long long spawned, reused;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("scale_procs"),
		       "--reuse", "200"),
		  NULL);
	adv_wait(&a, 100);
	expect_status(&a, 0);
	spawned = out_truth(&a, "spawned");
	reused = out_truth(&a, "reused");
	if (reused == 0) {
		adv_free(&a);
		end();
		cr_skip_test("clone3 set_tid gave no reused pid (needs CAP_CHECKPOINT_RESTORE)");
	}
	r = expect_report(adv_path(&a, "r.json"));
	cr_log_info("%llu processes, %llu of them on a reused pid: %zu processes and %zu threads "
		    "in the report, dropped %lld",
		    spawned, reused, report_nr_processes(r), report_nr_threads(r), dropped(r));
	cr_expect(report_nr_threads(r) + dropped(r) >= spawned + 1,
		  "%zu threads in the report and %lld dropped: %llu threads silently missing",
		  report_nr_threads(r), dropped(r),
		  spawned + 1 - report_nr_threads(r) - dropped(r));
	cr_expect(report_nr_processes(r) == spawned + 1,
		  "%zu processes in the report, the tree had %llu (%llu pids used twice)",
		  report_nr_processes(r), spawned + 1, reused);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* advisor's VmHWM and VmRSS `at` seconds into its run, in KiB */
static void memory_at(struct adv *a, double at, long *hwm, long *rss)
{
	while (mono_s() - a->t0 < at && !adv_poll(a))
		sleep_ms(100);
	*hwm = proc_status_kib(a->pid, "VmHWM");
	*rss = proc_status_kib(a->pid, "VmRSS");
}

/* grown by no more than 10 % and 2 MiB */
static bool flat(long early, long late)
{
	return late <= early + early / 10 + 2048;
}

Test(scale, long_run_memory_flat, .timeout = 800)
{
	bool full = full_scale();
	const char *seconds = full ? "600" : "60";
	double early = full ? 60 : 20, late = full ? 598 : 59;
	long hwm_early, hwm_late, rss_early, rss_late;
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-d", seconds, "-o", adv_path(&a, "r.json"), "--",
		       workload("scale_steady"), "100000", "1000"),
		  NULL);
	memory_at(&a, early, &hwm_early, &rss_early);
	memory_at(&a, late, &hwm_late, &rss_late);
	adv_wait(&a, atoi(seconds) + 30);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	cr_log_info("advisor at %.0f s: VmHWM %ld KiB, VmRSS %ld KiB; at %.0f s: VmHWM %ld KiB, "
		    "VmRSS %ld KiB; %zu processes in the report",
		    early, hwm_early, rss_early, late, hwm_late, rss_late, report_nr_processes(r));
	fprintf(stderr,
		"scale long_run_memory_flat: at %.0f s VmHWM %ld KiB VmRSS %ld KiB, at %.0f s "
		"VmHWM %ld KiB VmRSS %ld KiB\n",
		early, hwm_early, rss_early, late, hwm_late, rss_late);
	cr_expect(hwm_early > 0 && hwm_late > 0, "advisor ended before %.0f s", late);
	/* a child a second adds a record of ~1 KiB; nothing else may grow */
	cr_expect(flat(hwm_early, hwm_late),
		  "advisor's VmHWM grew from %ld KiB at %.0f s to %ld KiB", hwm_early, early,
		  hwm_late);
	cr_expect(flat(rss_early, rss_late),
		  "advisor's VmRSS grew from %ld KiB at %.0f s to %ld KiB", rss_early, early,
		  rss_late);
	cr_expect(jbool(r, "stopped_at_duration"), "the run should have stopped at -d %s", seconds);
	cr_expect(dropped(r) == 0, "overhead.dropped %lld", dropped(r));
	json_object_put(r);
	adv_free(&a);
	end();
}
