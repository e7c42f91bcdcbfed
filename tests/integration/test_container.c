// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor inside a PID namespace of its own, as in a container: `unshare
 * --pid --fork --mount-proc advisor ...`. Every pid in the report must be
 * the one the user sees there (the workload prints its own), no process may
 * be invented, the measured times must hold against the same ground truth
 * as on the host, and attach must see the tree end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "fault_harness.h"

static const char *const in_pid_ns[] = { "unshare", "--pid", "--fork", "--mount-proc", NULL };
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

/* The process of the report with this pid, or NULL. */
static json_object *process_of(json_object *report, long long pid)
{
	json_object *procs = jget(report, "processes");

	for (size_t i = 0; procs && i < json_object_array_length(procs); i++) {
		json_object *p = json_object_array_get_idx(procs, i);

		if (jint(p, "pid") == pid)
			return p;
	}
	return NULL;
}

Test(pidns, pids_are_the_namespace_s, .timeout = 60)
{
	struct adv_opts o = { .wrap = in_pid_ns };
	json_object *r, *sh, *sleeper;
	long long sh_pid, sleep_pid;
	struct adv a;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/bin/sh", "-c",
		       "echo \"truth sh $$\"; sleep 0.2 & echo \"truth sleep $!\"; wait"),
		  &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	r = json_object_from_file(adv_path(&a, "r.json"));
	cr_assert(r, "no report");
	sh_pid = out_truth(&a, "sh");
	sleep_pid = out_truth(&a, "sleep");
	cr_log_info("in the namespace: sh %lld, sleep %lld; report target %lld", sh_pid, sleep_pid,
		    jint(r, "target.pid"));
	cr_expect(jint(r, "target.pid") == sh_pid, "target.pid %lld, the shell's own pid is %lld",
		  jint(r, "target.pid"), sh_pid);
	sh = process_of(r, sh_pid);
	sleeper = process_of(r, sleep_pid);
	cr_expect(sh && !strcmp(jstr(sh, "comm"), "sh"), "no process 'sh' with pid %lld", sh_pid);
	cr_expect(sleeper && !strcmp(jstr(sleeper, "comm"), "sleep"),
		  "no process 'sleep' with pid %lld", sleep_pid);
	cr_expect(sleeper && jint(sleeper, "ppid") == sh_pid, "sleep's ppid is not the shell's pid");
	cr_expect_eq(report_nr_processes(r), 2, "%zu processes in the report, 2 ran",
		     report_nr_processes(r));
	json_object_put(r);
	adv_free(&a);
	end();
}

/* Two spinners' threads: tids as gettid() gives them there, cpu as their schedstat says. */
Test(pidns, times_hold_against_schedstat, .timeout = 60)
{
	struct adv_opts o = { .wrap = in_pid_ns };
	json_object *r, *procs;
	size_t matched = 0;
	struct adv a;

	begin();
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("spin"), "2", "300"),
		  &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	r = json_object_from_file(adv_path(&a, "r.json"));
	cr_assert(r, "no report");
	procs = jget(r, "processes");
	for (const char *line = strstr(a.out, "truth thread "); line;
	     line = strstr(line + 1, "truth thread ")) {
		unsigned long long tid, cpu, runq, cpu0 = 0, runq0 = 0;

		/* the exec'd main thread adds what schedstat held when main() began */
		if (sscanf(line, "truth thread %llu %llu %llu %llu %llu", &tid, &cpu, &runq, &cpu0,
			   &runq0) < 3)
			continue;
		for (size_t i = 0; i < json_object_array_length(procs); i++) {
			json_object *ths = jget(json_object_array_get_idx(procs, i), "threads");

			for (size_t k = 0; k < json_object_array_length(ths); k++) {
				json_object *t = json_object_array_get_idx(ths, k);
				double got = jint(t, "cpu_ns");

				if ((unsigned long long)jint(t, "tid") != tid)
					continue;
				matched++;
				cr_log_info("thread %llu: cpu %.3f ms vs schedstat %.3f ms", tid,
					    got / 1e6, cpu / 1e6);
				/*
				 * cpu only grows after the truth: its exit path, a few µs;
				 * the main thread's account starts at the release, before
				 * main() and after the fork (cpu0 holds both)
				 */
				cr_expect(got >= (double)cpu - cpu0 - 2e6 && got <= cpu * 1.01 + 2e6,
					  "thread %llu cpu_ns %.0f vs schedstat %llu (%llu of it before "
					  "main())",
					  tid, got, cpu, cpu0);
			}
		}
	}
	cr_expect(matched >= 2, "%zu of the spinners' tids are in the report", matched);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* attach inside the namespace ends when the tree it attached to ends. */
Test(pidns, attach_sees_the_tree_end, .timeout = 60)
{
	const char *adv = getenv("ADVISOR");
	char script[1024];
	struct adv a;

	begin();
	adv_init(&a);
	/* a shell in the namespace starts the target and execs advisor attach on it */
	snprintf(script, sizeof(script), "%s 1 1500 & exec %s attach -q -p $! -o %s",
		 workload("spin"), adv && *adv ? adv : "./bin/advisor", adv_path(&a, "r.json"));
	{
		const char *const sh[] = { "unshare", "--pid",	"--fork", "--mount-proc",
					   "/bin/sh", "-c",	script,	  NULL };
		struct adv_opts o = { .wrap = sh };

		/* what follows the wrap (advisor and its arguments) is the shell's $0 and $1 */
		adv_start(&a, ARGS("unused"), &o);
	}
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(a.wall_s < 20, "attach took %.1f s for a 1.5 s tree", a.wall_s);
	cr_expect(access(adv_path(&a, "r.json"), F_OK) == 0, "attach wrote no report");
	adv_free(&a);
	end();
}
