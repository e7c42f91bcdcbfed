// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Issue 10: the fault and bad-input matrix. Each test is one row of
 * tests/faults.md: the exit status, the one-line message where there is one,
 * and a complete report (strict UTF-8 JSON, valid against the schema)
 * whenever anything was measured. Every test ends by checking that advisor
 * left no BPF program, map or link and no cgroup behind.
 */
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/logging.h>

#include "advisor/cgroup.h"
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

static const char *target(void)
{
	return workload("fault_target");
}

/* advisor refused before running anything: status, one line, no report, no target */
static void refused(const char *const *args, int status, const char *needle, const char *report)
{
	struct adv a;

	adv_exec(&a, args, NULL, 30);
	expect_status(&a, status);
	expect_one_line(&a, needle);
	if (report)
		expect_no_file(report);
	adv_free(&a);
}

/* ---- the program ---- */

Test(faults, program_missing, .timeout = 60)
{
	char dir[64], report[128], prog[128];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(report, sizeof(report), "%s/r.json", dir);
	snprintf(prog, sizeof(prog), "%s/no-such-program", dir);
	refused(ARGS("run", "-o", report, "--", prog), 127, "command not found", report);
	refused(ARGS("run", "-o", report, "--", "no-such-command-xyz-10"), 127, "command not found",
		report);
	dir_remove(dir);
	end();
}

Test(faults, program_not_executable, .timeout = 60)
{
	char dir[64], report[128], prog[128];
	int fd;

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(report, sizeof(report), "%s/r.json", dir);
	snprintf(prog, sizeof(prog), "%s/script", dir);
	fd = open(prog, O_WRONLY | O_CREAT, 0644);
	cr_assert(fd >= 0 && write(fd, "#!/bin/sh\necho ran\n", 19) == 19);
	close(fd);
	refused(ARGS("run", "-o", report, "--", prog), 126, "not executable", report);
	dir_remove(dir);
	end();
}

Test(faults, program_is_directory, .timeout = 60)
{
	char dir[64], report[128];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(report, sizeof(report), "%s/r.json", dir);
	refused(ARGS("run", "-o", report, "--", dir), 126, "is a directory", report);
	dir_remove(dir);
	end();
}

/* ---- the output ---- */

Test(faults, output_folder_missing, .timeout = 60)
{
	char dir[64], report[128], marker[128], msg[256];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(report, sizeof(report), "%s/missing/r.json", dir);
	snprintf(marker, sizeof(marker), "%s/ran", dir);
	snprintf(msg, sizeof(msg), "cannot write %s: No such file or directory", report);
	refused(ARGS("run", "-o", report, "--", "/usr/bin/touch", marker), 123, msg, report);
	expect_no_file(marker); /* checked before the target runs */
	dir_remove(dir);
	end();
}

Test(faults, output_unwritable, .timeout = 60)
{
	char dir[64], marker[128];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(marker, sizeof(marker), "%s/ran", dir);
	/* root may write anywhere a mode allows; sysfs refuses new files even to root */
	refused(ARGS("run", "-o", "/sys/advisor-test.json", "--", "/usr/bin/touch", marker), 123,
		"cannot write /sys/advisor-test.json: Permission denied", NULL);
	expect_no_file(marker);
	dir_remove(dir);
	end();
}

/* The run happens, then the write fails: exit 123, and the other report is whole. */
Test(faults, output_disk_full, .timeout = 60)
{
	struct adv a;
	json_object *r;
	char msg[256];

	begin();
	adv_init(&a);
	cr_assert(!symlink("/dev/full", adv_path(&a, "full.json")), "symlink: %s", strerror(errno));
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "full.json"), "-o", adv_path(&a, "ok.json"),
		       "--", target(), "--burn", "50", "exit", "0"),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 123);
	snprintf(msg, sizeof(msg), "cannot write %s: No space left on device",
		 adv_path(&a, "full.json"));
	expect_one_line(&a, msg);
	r = expect_report(adv_path(&a, "ok.json"));
	cr_expect(jint(r, "time.cpu_ns") >= 40000000, "the run was measured: cpu_ns %lld",
		  jint(r, "time.cpu_ns"));
	json_object_put(r);
	adv_free(&a);
	end();
}

/* `-o /dev/full`: the brief's form of a full disk (a path without an extension). */
Test(faults, output_dev_full, .timeout = 60)
{
	struct adv a;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", "/dev/full", "-o", adv_path(&a, "ok.json"), "--",
		       "/usr/bin/touch", adv_path(&a, "ran")),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 123);
	expect_one_line(&a, "cannot write /dev/full: No space left on device");
	cr_expect(access(adv_path(&a, "ran"), F_OK) == 0, "the target did not run");
	adv_free(&a);
	end();
}

/* The folder goes away while the target runs: the other report is still written. */
Test(faults, output_folder_removed_during_run, .timeout = 60)
{
	struct adv a;
	json_object *r;
	char msg[256], sub[128];

	begin();
	adv_init(&a);
	snprintf(sub, sizeof(sub), "%s", adv_path(&a, "sub"));
	cr_assert(!mkdir(sub, 0755));
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "sub/r.json"), "-o", adv_path(&a, "ok.json"),
		       "--", "/bin/rmdir", sub),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 123);
	snprintf(msg, sizeof(msg), "cannot write %s: No such file or directory",
		 adv_path(&a, "sub/r.json"));
	expect_one_line(&a, msg);
	r = expect_report(adv_path(&a, "ok.json"));
	cr_expect(jint(r, "target.exit_code") == 0, "rmdir failed in the target");
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(faults, output_unknown_format, .timeout = 60)
{
	char dir[64], report[128];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(report, sizeof(report), "%s/r.txt", dir);
	refused(ARGS("run", "-o", report, "--", "/bin/true"), 125, "unknown report format", report);
	dir_remove(dir);
	end();
}

/* ---- the command line ---- */

Test(faults, unknown_option, .timeout = 60)
{
	char dir[64], marker[128];

	begin();
	dir_make(dir, sizeof(dir));
	snprintf(marker, sizeof(marker), "%s/ran", dir);
	refused(ARGS("run", "--frobnicate", "--", "/usr/bin/touch", marker), 125,
		"unknown option '--frobnicate'", NULL);
	refused(ARGS("attach", "--frobnicate", "-p", "1"), 125, "unknown option '--frobnicate'",
		NULL);
	refused(ARGS("report", "--frobnicate", "x.json"), 125, "unknown option '--frobnicate'",
		NULL);
	expect_no_file(marker);
	dir_remove(dir);
	end();
}

/* The message names the value, and points to --help once. */
static void bad_value(const char *option, const char *value, const char *needle)
{
	struct adv a;
	const char *see;

	adv_exec(&a, ARGS("run", option, value, "--", "/bin/true"), NULL, 30);
	expect_status(&a, 125);
	expect_one_line(&a, needle);
	see = strstr(a.err, "see 'advisor --help'");
	cr_expect(see && !strstr(see + 1, "see 'advisor --help'"),
		  "%s %s: the message should point to --help exactly once: %s", option, value,
		  a.err);
	adv_free(&a);
}

Test(faults, bad_duration, .timeout = 60)
{
	static const char *const values[] = {"abc", "-1",    "0",  "nan", "inf",
					     "",    "1e999", "5s", "0x"};

	begin();
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		bad_value("--duration", values[i], "bad --duration");
	end();
}

Test(faults, bad_threshold, .timeout = 60)
{
	static const char *const values[] = {
	    "nope=1", "io_bound_min=2", "io_bound_min=", "io_bound_min", "busy_min=-0.5",
	    "=1",     "slow_wait_ms=x"};

	begin();
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++)
		bad_value("--threshold", values[i], "bad --threshold");
	end();
}

/* ---- the target's end ---- */

static void expect_target(json_object *r, int exit_code, int sig)
{
	cr_expect(jbool(r, "target.exited"), "target.exited is false");
	cr_expect(jint(r, "target.exit_code") == exit_code, "target.exit_code %lld, expected %d",
		  jint(r, "target.exit_code"), exit_code);
	cr_expect(jint(r, "target.signal") == sig, "target.signal %lld, expected %d",
		  jint(r, "target.signal"), sig);
}

/* Runs the target to its end; the report must say how it ended. */
static void target_ends(const char *const *cmd_tail, int status, int exit_code, int sig)
{
	const char *args[32] = {"run", "-q", "-o", NULL, "--", target()};
	struct adv a;
	json_object *r;
	size_t n = 6;

	adv_init(&a);
	args[3] = adv_path(&a, "r.json");
	for (size_t i = 0; cmd_tail[i] && n < 31; i++)
		args[n++] = cmd_tail[i];
	args[n] = NULL;
	adv_start(&a, args, NULL);
	adv_wait(&a, 30);
	expect_status(&a, status);
	cr_expect(a.err[0] == 0, "-q and no failure of advisor's, yet stderr says: %s", a.err);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, exit_code, sig);
	cr_expect(jint(r, "time.cpu_ns") >= 40000000, "cpu_ns %lld: the 50 ms burnt are missing",
		  jint(r, "time.cpu_ns"));
	json_object_put(r);
	adv_free(&a);
}

Test(faults, target_segfaults, .timeout = 60)
{
	begin();
	target_ends(ARGS("--burn", "50", "segv"), 128 + SIGSEGV, -1, SIGSEGV);
	end();
}

Test(faults, target_kills_itself, .timeout = 60)
{
	begin();
	target_ends(ARGS("--burn", "50", "kill"), 128 + SIGKILL, -1, SIGKILL);
	end();
}

Test(faults, target_exits_nonzero, .timeout = 60)
{
	begin();
	target_ends(ARGS("--burn", "50", "exit", "3"), 3, 3, 0);
	target_ends(ARGS("--burn", "50", "exit", "77"), 77, 77, 0);
	end();
}

/* The target waits (catching the signals listed); returns its pid once it runs. */
static pid_t start_waiting(struct adv *a, const char *const *opts, const char *wait_ms,
			   const char *catch1, const char *catch2, const struct adv_opts *o)
{
	const char *args[32] = {"run", "-q", "-o", NULL};
	size_t n = 4;

	args[3] = adv_path(a, "r.json");
	for (size_t i = 0; opts && opts[i]; i++)
		args[n++] = opts[i];
	args[n++] = "--";
	args[n++] = target();
	args[n++] = "--burn";
	args[n++] = "50";
	args[n++] = "wait";
	args[n++] = wait_ms;
	if (catch1)
		args[n++] = catch1;
	if (catch2)
		args[n++] = catch2;
	args[n] = NULL;
	adv_start(a, args, o);
	cr_assert(adv_wait_out(a, "truth ready", 20), "the target never ran; stderr: %s",
		  file_read(a->err_path, NULL));
	return out_truth(a, "ready");
}

Test(faults, target_sigkilled_from_outside, .timeout = 60)
{
	struct adv a;
	json_object *r;
	pid_t pid;

	begin();
	adv_init(&a);
	pid = start_waiting(&a, NULL, "20000", NULL, NULL, NULL);
	kill(pid, SIGKILL);
	adv_wait(&a, 30);
	expect_status(&a, 128 + SIGKILL);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, -1, SIGKILL);
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(faults, sigterm_to_advisor_forwarded, .timeout = 60)
{
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	start_waiting(&a, NULL, "20000", NULL, NULL, NULL);
	kill(a.pid, SIGTERM);
	adv_wait(&a, 30);
	expect_status(&a, 128 + SIGTERM);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, -1, SIGTERM);
	cr_expect(a.wall_s < 10, "advisor took %.1f s after SIGTERM", a.wall_s);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* Ctrl-C: the terminal signals the whole foreground group, advisor and target. */
Test(faults, ctrl_c_to_group, .timeout = 60)
{
	struct adv_opts o = {.own_pgrp = true};
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	start_waiting(&a, NULL, "20000", NULL, NULL, &o);
	kill(-a.pid, SIGINT);
	adv_wait(&a, 30);
	expect_status(&a, 128 + SIGINT);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, -1, SIGINT);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* SIGINT to advisor alone (kill -INT): forwarded to the target. */
Test(faults, sigint_to_advisor_forwarded, .timeout = 60)
{
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	start_waiting(&a, NULL, "20000", NULL, NULL, NULL);
	kill(a.pid, SIGINT);
	adv_wait(&a, 30);
	expect_status(&a, 128 + SIGINT);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, -1, SIGINT);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* Reads what the terminal shows into buf (appending) for up to ms milliseconds. */
static void pty_read(int master, char *buf, size_t len, int ms)
{
	double end = mono_s() + ms / 1000.0;

	while (mono_s() < end) {
		struct pollfd p = { .fd = master, .events = POLLIN };
		size_t have = strlen(buf);
		ssize_t n;

		if (poll(&p, 1, 50) <= 0)
			continue;
		n = read(master, buf + have, len - have - 1);
		if (n <= 0)
			break;
		buf[have + n] = '\0';
	}
}

/*
 * A real terminal's Ctrl-C: the tty driver signals the whole foreground
 * group, advisor and target (si_code SI_KERNEL). The target must get it
 * once, not a second time from advisor (a program that quits hard on a
 * second Ctrl-C would).
 */
Test(faults, terminal_ctrl_c_reaches_target_once, .timeout = 60)
{
	const char *adv = getenv("ADVISOR");
	char out[8192] = "", report[128], *name;
	int master, status, got = 0;
	pid_t pid;

	begin();
	snprintf(report, sizeof(report), "/tmp/advisor-pty.%d.json", getpid());
	master = posix_openpt(O_RDWR | O_NOCTTY);
	cr_assert(master >= 0 && !grantpt(master) && !unlockpt(master) && (name = ptsname(master)));
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int tty;

		setsid();
		tty = open(name, O_RDWR); /* the session's controlling terminal */
		if (tty < 0)
			_exit(120);
		dup2(tty, 0);
		dup2(tty, 1);
		dup2(tty, 2);
		execl(adv && *adv ? adv : "./bin/advisor", "advisor", "run", "-q", "-o", report, "--",
		      workload("fault_target"), "wait", "3000", "2", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200 && !strstr(out, "truth ready"); i++)
		pty_read(master, out, sizeof(out), 50);
	cr_assert(strstr(out, "truth ready"), "the target never started: %s", out);
	cr_assert_eq(write(master, "\x03", 1), 1); /* ^C, as typed */
	pty_read(master, out, sizeof(out), 1500);
	for (const char *p = strstr(out, "truth got 2"); p; p = strstr(p + 1, "truth got 2"))
		got++;
	cr_expect_eq(got, 1, "the target got %d SIGINTs for one Ctrl-C: %s", got, out);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "advisor: status %#x; the target should have ended by itself", status);
	close(master);
	unlink(report);
	end();
}

/* A target that shrugs off Ctrl-C: the second one ends it hard. */
Test(faults, second_ctrl_c_kills_hard, .timeout = 60)
{
	struct adv_opts o = {.own_pgrp = true};
	struct adv a;
	json_object *r;
	int status;

	begin();
	adv_init(&a);
	start_waiting(&a, NULL, "30000", "2", NULL, &o);
	kill(-a.pid, SIGINT);
	cr_expect(adv_wait_out(&a, "truth got 2", 5), "the target never saw the first Ctrl-C");
	sleep_ms(300);
	cr_assert(waitpid(a.pid, &status, WNOHANG) == 0,
		  "advisor ended at the first Ctrl-C although the target went on");
	kill(-a.pid, SIGINT);
	adv_wait(&a, 10);
	expect_status(&a, 128 + SIGKILL);
	cr_expect(a.wall_s < 8, "advisor took %.1f s", a.wall_s);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, -1, SIGKILL);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* SIGTERM forwarded to a target that ignores it: advisor waits for the target's own end. */
Test(faults, target_ignores_forwarded_sigterm, .timeout = 60)
{
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	start_waiting(&a, NULL, "1500", "15", NULL, NULL);
	kill(a.pid, SIGTERM);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(out_has_truth(&a, "got"), "SIGTERM was not forwarded to the target");
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, 0, 0);
	cr_expect(jint(r, "duration_ns") >= 1400000000, "duration_ns %lld: the target ran 1.5 s",
		  jint(r, "duration_ns"));
	json_object_put(r);
	adv_free(&a);
	end();
}

/* --duration on a target that ignores SIGTERM: SIGKILL after the grace period. */
Test(faults, target_ignores_sigterm_at_duration, .timeout = 60)
{
	struct adv a;
	json_object *r;
	pid_t pid;

	begin();
	adv_init(&a);
	pid = start_waiting(&a, ARGS("-d", "1"), "30000", "15", NULL, NULL);
	adv_wait(&a, 20);
	expect_status(&a, 0);
	cr_log_info("stopped after %.2f s", a.wall_s);
	cr_expect(a.wall_s < 6, "advisor took %.1f s to stop a 1 s run", a.wall_s);
	cr_expect(out_has_truth(&a, "got"), "the target never got SIGTERM");
	cr_expect(!pid_alive(pid), "the target %d survived advisor", (int)pid);
	r = expect_report(adv_path(&a, "r.json"));
	cr_expect(jbool(r, "stopped_at_duration"), "stopped_at_duration is false");
	cr_expect(report_process(&(struct run){.report = r}, pid) != NULL,
		  "the target %d is not in processes[]", (int)pid);
	json_object_put(r);
	adv_free(&a);
	end();
}

/* ---- the target's shape ---- */

Test(faults, daemon_followed_to_its_end, .timeout = 60)
{
	struct adv a;
	json_object *r;
	struct run view;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("daemon"), "700"),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(out_has_truth(&a, "grandchild_done"), "advisor returned before the daemon ended");
	cr_expect(a.wall_s >= 0.7, "advisor returned after %.2f s, before the daemon's 0.7 s",
		  a.wall_s);
	r = expect_report(adv_path(&a, "r.json"));
	view.report = r;
	cr_expect(report_process(&view, out_truth(&a, "grandchild_pid")) != NULL,
		  "the daemon is not in processes[]");
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(faults, daemon_followed_to_duration, .timeout = 60)
{
	struct adv a;
	json_object *r;
	struct run view;
	pid_t daemon;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-d", "1", "-o", adv_path(&a, "r.json"), "--",
		       workload("daemon"), "30000"),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(a.wall_s < 5, "advisor took %.1f s to stop a 1 s run", a.wall_s);
	daemon = out_truth(&a, "grandchild_pid");
	cr_expect(!pid_alive(daemon), "the daemon %d outlived advisor's --duration", (int)daemon);
	if (pid_alive(daemon))
		kill(daemon, SIGKILL);
	r = expect_report(adv_path(&a, "r.json"));
	view.report = r;
	cr_expect(jbool(r, "stopped_at_duration"), "stopped_at_duration is false");
	cr_expect(report_process(&view, daemon) != NULL, "the daemon is not in processes[]");
	json_object_put(r);
	adv_free(&a);
	end();
}

Test(faults, stdin_passes_through, .timeout = 60)
{
	struct adv_opts o = {0};
	struct adv a;
	json_object *r;
	char *text = malloc(40001);

	begin();
	cr_assert(text);
	for (int i = 0; i < 40000; i++)
		text[i] = i % 64 == 63 ? '\n' : 'a' + i % 26;
	text[40000] = 0;
	o.stdin_data = text;
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/bin/cat"), &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(!strcmp(a.out, text), "cat's stdout (%zu bytes) is not its stdin (40000 bytes)",
		  strlen(a.out));
	r = expect_report(adv_path(&a, "r.json"));
	json_object_put(r);
	adv_free(&a);
	free(text);
	end();
}

Test(faults, very_short_target, .timeout = 60)
{
	struct adv a;
	json_object *r;

	begin();
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/bin/true"), NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	expect_target(r, 0, 0);
	cr_expect(report_nr_processes(r) == 1, "%zu processes for /bin/true",
		  report_nr_processes(r));
	cr_expect(!strcmp(jstr(r, "verdict.model"), "inconclusive") &&
		      !strcmp(jstr(r, "verdict.inconclusive_reason"), "too-short"),
		  "verdict %s (%s) for /bin/true, expected inconclusive (too-short)",
		  jstr(r, "verdict.model"), jstr(r, "verdict.inconclusive_reason"));
	json_object_put(r);
	adv_free(&a);
	adv_exec(&a, ARGS("run", "-q", "--", "/bin/false"), NULL, 30);
	expect_status(&a, 1);
	adv_free(&a);
	end();
}

/* ---- identity ---- */

/* nobody's groups, as initgroups() gives them */
static int nobody_groups(gid_t *groups, int max)
{
	struct passwd *pw = getpwuid(NOBODY_ID);
	int n = max;

	if (!pw || getgrouplist(pw->pw_name, NOBODY_ID, groups, &n) < 0)
		return -1;
	return n;
}

static const char *const sudo_env[] = {"SUDO_UID=65534", "SUDO_GID=65534", "SUDO_USER=nobody",
				       NULL};

Test(faults, sudo_runs_target_as_user, .timeout = 60)
{
	struct adv_opts o = {.env = sudo_env};
	gid_t groups[64];
	struct adv a;
	json_object *r;
	const char *line;
	int n = nobody_groups(groups, 64);

	begin();
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/usr/bin/id", "-u"),
		  &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(!strcmp(a.out, "65534\n"), "id -u printed '%s', expected 65534", a.out);
	r = expect_report(adv_path(&a, "r.json"));
	json_object_put(r);
	adv_free(&a);

	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "--", target(), "ids"), &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	line = strstr(a.out, "truth ids ");
	cr_assert(line, "no ids from the target: %s", a.out);
	cr_expect(!strncmp(line, "truth ids 65534 65534 65534 65534\n", 34),
		  "the target ran as '%.40s', expected uid and gid 65534 (real and effective)",
		  line + 10);
	cr_assert(n >= 0, "nobody has no passwd entry");
	cr_expect(out_truth(&a, "groups") == (unsigned long long)n,
		  "the target has %llu groups, nobody has %d (initgroups)", out_truth(&a, "groups"),
		  n);
	line = strstr(a.out, "truth groups ");
	cr_expect(line && !strstr(line, " 0 ") && !strstr(line, " 0\n"),
		  "the target kept root's group: %s", line);
	adv_free(&a);
	end();
}

/* A setuid-root binary started by the (unprivileged) target is still followed. */
Test(faults, target_execs_setuid_binary, .timeout = 60)
{
	struct adv_opts o = {.env = sudo_env};
	struct statvfs vfs;
	struct adv a;
	json_object *r, *p;
	struct run view;
	char suid[128], *copy;
	size_t len;
	int fd;

	begin();
	adv_init(&a);
	snprintf(suid, sizeof(suid), "%s", adv_path(&a, "suid_target"));
	copy = file_read(target(), &len);
	cr_assert(copy, "cannot read %s", target());
	fd = open(suid, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	cr_assert(fd >= 0 && write(fd, copy, len) == (ssize_t)len, "cannot copy %s", target());
	close(fd);
	free(copy);
	cr_assert(!chown(suid, 0, 0) && !chmod(suid, 04755), "cannot make %s setuid", suid);
	if (!statvfs(suid, &vfs) && (vfs.f_flag & ST_NOSUID)) {
		adv_free(&a);
		end();
		cr_skip_test("%s is on a nosuid mount", suid);
	}
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/bin/sh", "-c",
		       "exec \"$0\" --burn 50 ids", suid),
		  &o);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	cr_expect(strstr(a.out, "truth ids 65534 0 65534 65534\n"),
		  "the setuid binary should run with uid 65534 and euid 0: %s", a.out);
	r = expect_report(adv_path(&a, "r.json"));
	view.report = r;
	p = report_process_by_comm(&view, "suid_target");
	cr_expect(p != NULL, "the setuid program is not in processes[]");
	if (p)
		cr_expect(jint(json_object_array_get_idx(jget(p, "threads"), 0), "cpu_ns") >=
			      40000000,
			  "the setuid program's 50 ms of cpu are missing");
	json_object_put(r);
	adv_free(&a);

	/* and a real one of the system's, when there is one */
	if (!access("/usr/bin/passwd", X_OK)) {
		adv_init(&a);
		adv_start(&a,
			  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/usr/bin/passwd",
			       "--help"),
			  &o);
		adv_wait(&a, 30);
		expect_status(&a, 0);
		r = expect_report(adv_path(&a, "r.json"));
		view.report = r;
		cr_expect(report_process_by_comm(&view, "passwd") != NULL,
			  "passwd is not in processes[]");
		json_object_put(r);
		adv_free(&a);
	}
	end();
}

Test(faults, no_bpf_rights, .timeout = 60)
{
	struct adv_opts o = {.as_nobody = true};
	struct adv a;

	begin();
	adv_exec(&a, ARGS("run", "--", "/bin/true"), &o, 30);
	expect_status(&a, 124);
	expect_one_line(&a, "CAP_BPF");
	adv_free(&a);

	/* a report it could write changes nothing: nothing was measured */
	adv_init(&a);
	chmod(a.dir, 01777);
	adv_start(&a, ARGS("run", "-o", adv_path(&a, "r.json"), "--", "/bin/true"), &o);
	adv_wait(&a, 30);
	expect_status(&a, 124);
	expect_one_line(&a, "CAP_BPF");
	expect_no_file(adv_path(&a, "r.json"));
	adv_free(&a);

	/* the documented precedence: the environment (124) wins over a missing command (127) */
	adv_exec(&a, ARGS("run", "--", "/nonexistent/prog"), &o, 30);
	expect_status(&a, 124);
	expect_one_line(&a, "CAP_BPF");
	adv_free(&a);
	end();
}

/* -o - owns stdout: the target's stdout goes to stderr, and stdout is one JSON report */
Test(faults, report_on_stdout_is_alone, .timeout = 60)
{
	struct json_tokener *tok;
	struct json_object *doc;
	struct adv a;

	begin();
	adv_exec(&a, ARGS("run", "-q", "-o", "-", "--", "/bin/sh", "-c", "echo hi; echo oops >&2"),
		 NULL, 30);
	expect_status(&a, 0);
	tok = json_tokener_new();
	cr_assert(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	doc = json_tokener_parse_ex(tok, a.out, (int)strlen(a.out));
	cr_expect(doc && json_tokener_get_parse_end(tok) + 1 >= strlen(a.out),
		  "stdout is not one JSON report: '%.200s'", a.out);
	cr_expect(strstr(a.err, "hi\n") && strstr(a.err, "oops\n"),
		  "the target's stdout and stderr are not on advisor's stderr: '%s'", a.err);
	json_object_put(doc);
	json_tokener_free(tok);
	adv_free(&a);
	end();
}

Test(faults, one_file_named_twice_is_refused, .timeout = 60)
{
	struct adv a;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-o", adv_path(&a, "r.json"), "-o", adv_path(&a, "r.json"), "--",
		       "/bin/true"),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 125);
	expect_one_line(&a, "named by two -o");
	expect_no_file(adv_path(&a, "r.json"));
	adv_free(&a);
	end();
}

/* ---- hostile data ---- */

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

static bool utf8_valid(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n = c < 0x80		? 1
			   : (c & 0xe0) == 0xc0 ? 2
			   : (c & 0xf0) == 0xe0 ? 3
			   : (c & 0xf8) == 0xf0 ? 4
						: 0;

		if (!n || i + n > len || (n == 2 && c < 0xc2))
			return false;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n;
	}
	return true;
}

/* The page shows the hostile names, escaped: no markup and no raw control bytes from them. */
static void check_html(const char *path, size_t benign_scripts)
{
	size_t len;
	char *html = file_read(path, &len);

	cr_assert(html, "no HTML report at %s", path);
	cr_expect(utf8_valid((unsigned char *)html, len), "%s is not valid UTF-8", path);
	cr_expect(!strstr(html, "<b>t") && !strstr(html, "<i>\x7f") && !strstr(html, "<b>x") &&
		      !strstr(html, "<img src=x"),
		  "%s holds the target's markup unescaped", path);
	cr_expect(count(html, "<script") == benign_scripts,
		  "%s has %zu <script elements, a benign report %zu", path, count(html, "<script"),
		  benign_scripts);
	cr_expect(count(html, "</script>") == benign_scripts,
		  "%s has %zu </script>, a benign report %zu: the name closed a script", path,
		  count(html, "</script>"), benign_scripts);
	cr_expect(!memchr(html, '\x01', len) && !memchr(html, '\x1b', len),
		  "%s holds raw control bytes from the target's names", path);
	cr_expect(strstr(html, "&lt;b&gt;") != NULL, "%s does not show the escaped name", path);
	free(html);
}

Test(faults, hostile_names_and_argv, .timeout = 60)
{
	/* a file name may hold anything but '/' and NUL */
	static const char link_name[] = "<b>x\"'\n\x01\x1b[31m\xff\xfe&amp;<img src=x>";
	static const char arg[] = "</script><script>alert(1)</script>\n\t\x02\xc3\x28\"\\";
	/* fault_target's prctl names, each invalid byte become U+FFFD */
	static const char thread_comm[] = "<b>t\"\n\x01\x1b\xef\xbf\xbd\xef\xbf\xbd'&\\";
	static const char child_comm[] = "</script><i>\x7f\xef\xbf\xbd";
	size_t nr_renamed_thread = 0, nr_renamed_child = 0;
	struct adv a;
	json_object *r, *procs;
	size_t benign, nr_fffd = 0;
	char linkpath[160], *json;
	struct run view;

	begin();
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "benign.html"), "--", "/bin/true"),
		  NULL);
	adv_wait(&a, 30);
	json = file_read(adv_path(&a, "benign.html"), NULL);
	cr_assert(json, "no benign HTML report");
	benign = count(json, "<script");
	free(json);
	adv_free(&a);

	adv_init(&a);
	snprintf(linkpath, sizeof(linkpath), "%s/%s", a.dir, link_name);
	cr_assert(!symlink(target(), linkpath), "symlink: %s", strerror(errno));
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "-o", adv_path(&a, "r.html"),
		       "--", linkpath, "hostile", arg),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	r = expect_report(adv_path(&a, "r.json"));
	view.report = r;
	procs = jget(r, "processes");
	cr_expect(report_nr_processes(r) == 2, "%zu processes, expected the target and its child",
		  report_nr_processes(r));
	cr_expect(report_nr_threads(r) == 3, "%zu threads, expected 3", report_nr_threads(r));
	for (size_t i = 0; procs && i < json_object_array_length(procs); i++) {
		json_object *p = json_object_array_get_idx(procs, i), *th = jget(p, "threads");

		cr_log_info("process comm '%s' argv0 '%s' exe '%s'", jstr(p, "comm"),
			    jstr(p, "argv0"), jstr(p, "exe"));
		nr_renamed_child += !strcmp(jstr(p, "comm"), child_comm);
		for (size_t j = 0; th && j < json_object_array_length(th); j++) {
			const char *comm = jstr(json_object_array_get_idx(th, j), "comm");

			nr_fffd += !!strstr(comm, "\xef\xbf\xbd");
			nr_renamed_thread += !strcmp(comm, thread_comm);
		}
	}
	cr_expect(nr_fffd >= 2,
		  "the invalid bytes of the names did not become U+FFFD (%zu threads)", nr_fffd);
	/* the names the threads gave themselves (prctl PR_SET_NAME), made valid UTF-8 */
	cr_expect(nr_renamed_thread == 1, "no thread is named as it named itself: '%s'",
		  thread_comm);
	cr_expect(nr_renamed_child == 1, "the child is not named as it named itself: '%s'",
		  child_comm);
	cr_expect(report_process(&view, out_truth(&a, "child")) != NULL,
		  "the renamed child is not in processes[]");
	json = file_read(adv_path(&a, "r.json"), NULL);
	cr_expect(json && strstr(json, "\\n") && strstr(json, "\\u0001"),
		  "the JSON does not escape the newline and control characters");
	free(json);
	check_html(adv_path(&a, "r.html"), benign);
	json_object_put(r);

	/* rendered again from the JSON alone */
	{
		struct adv b;

		adv_exec(&b,
			 ARGS("report", "-o", adv_path(&a, "again.html"), adv_path(&a, "r.json")),
			 NULL, 30);
		expect_status(&b, 0);
		check_html(adv_path(&a, "again.html"), benign);
		adv_free(&b);
	}
	adv_free(&a);
	end();
}

/* ---- saved reports that are not ---- */

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	cr_assert(fd >= 0 && write(fd, data, len) == (ssize_t)len, "cannot write %s", path);
	close(fd);
}

/* A valid report with one top-level key set to value (which this takes). */
static void write_edited(const char *good, const char *path, const char *key, json_object *value)
{
	json_object *root = json_object_from_file(good);

	cr_assert(root, "cannot parse %s", good);
	json_object_object_add(root, key, value);
	cr_assert(!json_object_to_file_ext(path, root, JSON_C_TO_STRING_PLAIN), "cannot write %s",
		  path);
	json_object_put(root);
}

static void report_refuses(const char *cmd, const char *path, const char *needle,
			   const char *out_html)
{
	struct adv a;

	if (out_html)
		adv_exec(&a, ARGS(cmd, "-o", out_html, path), NULL, 60);
	else
		adv_exec(&a, ARGS(cmd, path), NULL, 60);
	expect_status(&a, 125);
	expect_one_line(&a, needle);
	if (out_html)
		expect_no_file(out_html);
	adv_free(&a);
}

Test(faults, report_rejects_bad_json, .timeout = 120)
{
	struct adv a;
	char *good, *deep, path[PATH_MAX], html[PATH_MAX];
	size_t len;
	int fd;

	begin();
	adv_init(&a);
	adv_start(&a,
		  ARGS("run", "-q", "-o", adv_path(&a, "good.json"), "--", "/bin/sleep", "0.05"),
		  NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	good = file_read(adv_path(&a, "good.json"), &len);
	cr_assert(good && len > 1000, "no good report to start from");
	snprintf(html, sizeof(html), "%s", adv_path(&a, "out.html"));

#define CASE_N(name, data, n, needle)                                                              \
	do {                                                                                       \
		snprintf(path, sizeof(path), "%s", adv_path(&a, name));                            \
		write_file(path, data, n);                                                         \
		report_refuses("report", path, needle, html);                                      \
	} while (0)
#define CASE(name, literal, needle) CASE_N(name, literal, sizeof(literal) - 1, needle)

	CASE("empty.json", "", "malformed JSON");
	CASE("open.json", "{", "malformed JSON");
	CASE_N("truncated.json", good, len / 2, "malformed JSON");
	CASE_N("truncated-1.json", good, len - 2, "malformed JSON");
	CASE("array.json", "[1,2]", "not an advisor report");
	CASE("string.json", "\"advisor-report/1\"", "not an advisor report");
	CASE("other-schema.json", "{\"schema\":\"other/9\"}", "not an advisor report");
	CASE("no-schema.json", "{}", "not an advisor report");
	CASE("trailing.json", "{}{}", "advisor: ");
	CASE("binary.json",
	     "\x7f"
	     "ELF\x02\x01\x01\0\0\0",
	     "malformed JSON");
	CASE("nul.json", "{\"schema\"\0:1}", "malformed JSON");
	CASE("bad-utf8.json", "{\"schema\":\"advisor-report/1\",\"x\":\"\xff\"}", "advisor: ");
	CASE("nan.json", "{\"schema\":\"advisor-report/1\",\"duration_ns\":NaN}", "advisor: ");
	deep = malloc(200001);
	cr_assert(deep);
	memset(deep, '[', 100000);
	memset(deep + 100000, ']', 100000);
	CASE_N("deep.json", deep, 200000, "nesting too deep");
	free(deep);
	snprintf(path, sizeof(path), "%s", adv_path(&a, "types.json"));
	write_edited(adv_path(&a, "good.json"), path, "processes", json_object_new_int(7));
	report_refuses("report", path, "'processes'", html);
	snprintf(path, sizeof(path), "%s", adv_path(&a, "negative.json"));
	write_edited(adv_path(&a, "good.json"), path, "duration_ns", json_object_new_int(-5));
	report_refuses("report", path, "'duration_ns'", html);
	snprintf(path, sizeof(path), "%s", adv_path(&a, "huge-number.json"));
	write_edited(adv_path(&a, "good.json"), path, "duration_ns",
		     json_object_new_double_s(0, "1e400"));
	report_refuses("report", path, "advisor: ", html);
	snprintf(path, sizeof(path), "%s", adv_path(&a, "wrong-version.json"));
	write_edited(adv_path(&a, "good.json"), path, "schema",
		     json_object_new_string("advisor-report/2"));
	report_refuses("report", path, "not an advisor report", html);
	snprintf(path, sizeof(path), "%s", adv_path(&a, "huge.json"));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0 && !ftruncate(fd, 300 << 20)); /* sparse: costs no disk */
	close(fd);
	report_refuses("report", path, "too large", html);
	unlink(path);
	report_refuses("report", adv_path(&a, "no-such.json"), "No such file", html);
	report_refuses("report", a.dir, "Is a directory", html);
	/* check reads the same files */
	snprintf(path, sizeof(path), "%s", adv_path(&a, "truncated.json"));
	report_refuses("check", path, "advisor: ", NULL);
#undef CASE
#undef CASE_N

	/* and the good one renders */
	{
		struct adv b;

		adv_exec(&b, ARGS("report", "-o", html, adv_path(&a, "good.json")), NULL, 30);
		expect_status(&b, 0);
		cr_expect(access(html, F_OK) == 0, "no HTML from a good report");
		adv_free(&b);
	}
	free(good);
	adv_free(&a);
	end();
}

/* README: `advisor report report.json -o report.html` (options after the file). */
Test(faults, report_options_after_file, .timeout = 60)
{
	struct adv a, b;

	begin();
	adv_init(&a);
	adv_start(&a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", "/bin/true"), NULL);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	adv_exec(&b, ARGS("report", adv_path(&a, "r.json"), "-o", adv_path(&a, "r.html")), NULL,
		 30);
	expect_status(&b, 0);
	cr_expect(access(adv_path(&a, "r.html"), F_OK) == 0, "no HTML written");
	adv_free(&b);
	adv_free(&a);
	end();
}

/* ---- the kernel side ---- */

/* Every BPF object a running advisor holds carries a name the leak checks know. */
Test(faults, leak_check_knows_advisor_names, .timeout = 60)
{
	struct adv a;
	char names[4096];

	begin();
	adv_init(&a);
	start_waiting(&a, ARGS("-S"), "1000", NULL, NULL, NULL);
	cr_expect(pid_holds_advisor_bpf(a.pid, names, sizeof(names)),
		  "a running advisor holds no BPF object with a name the checks know");
	cr_log_info("advisor %d holds: %s", (int)a.pid, names);
	cr_expect(strstr(names, "on_sched_switch") && strstr(names, "thread_stats") &&
		      strstr(names, "link"),
		  "advisor's objects as seen: %s", names);
	adv_wait(&a, 30);
	expect_status(&a, 0);
	adv_free(&a);
	end();
}

/*
 * advisor SIGKILLed mid-run: the kernel frees its programs (they die with its
 * fds), and its cgroup must not stay behind for good: gone once the target
 * ends and advisor runs again, if not at once.
 */
Test(faults, advisor_sigkilled_leaves_nothing, .timeout = 60)
{
	struct adv a, b;
	char cg[300];
	pid_t pid;

	begin();
	adv_init(&a);
	pid = start_waiting(&a, NULL, "1500", NULL, NULL, NULL);
	snprintf(cg, sizeof(cg), "%s/advisor.%d", cgroup2_root(), (int)a.pid);
	kill(a.pid, SIGKILL);
	waitpid(a.pid, &a.status, 0);
	cr_log_info("advisor killed; its target %d is %s; its cgroup %s %s", (int)pid,
		    pid_alive(pid) ? "still running" : "gone", cg,
		    access(cg, F_OK) ? "is gone" : "is still there");
	for (int i = 0; i < 500 && pid_alive(pid); i++)
		sleep_ms(10);
	cr_expect(!pid_alive(pid), "the target %d still runs 5 s after advisor died", (int)pid);
	/* the next run may clean up what the killed one left */
	adv_exec(&b, ARGS("run", "-q", "--", "/bin/true"), NULL, 30);
	expect_status(&b, 0);
	adv_free(&b);
	cr_expect(access(cg, F_OK) != 0, "%s stays behind after advisor was SIGKILLed", cg);
	adv_free(&a);
	end();
}

/*
 * pid reuse: a cgroup advisor.PID still in use, left by a killed advisor that
 * had the pid this one has now, must not be reused (its processes would be
 * counted and signalled as this run's). cgroup_create() runs here, in this
 * process, whose pid names the leftover.
 */
Test(faults, leftover_cgroup_of_a_reused_pid_is_not_reused, .timeout = 60)
{
	struct run_cgroup cg;
	char old[300], procs[320], err[256];
	pid_t squatter;
	FILE *f;

	begin();
	cr_assert(cgroup2_root()[0], "no cgroup v2 mount");
	snprintf(old, sizeof(old), "%s/advisor.%d", cgroup2_root(), (int)getpid());
	cr_assert(!mkdir(old, 0755) || errno == EEXIST, "mkdir %s: %s", old, strerror(errno));
	squatter = fork();
	cr_assert(squatter >= 0);
	if (squatter == 0) {
		pause();
		_exit(0);
	}
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", old);
	f = fopen(procs, "w");
	cr_assert(f && fprintf(f, "%d\n", (int)squatter) > 0 && !fclose(f), "cannot fill %s", old);

	cr_assert_eq(cgroup_create(&cg, err, sizeof(err)), 0, "%s", err);
	cr_expect(strcmp(cg.path, old), "advisor reused %s, which holds another's process", old);
	cr_expect(pid_alive(squatter), "the leftover's process was touched");
	cgroup_remove(&cg);

	kill(squatter, SIGKILL);
	waitpid(squatter, NULL, 0);
	rmdir(old);
	end();
}

/* Two advisors at once: each report holds its own tree and its own figures. */
Test(faults, two_advisors_at_once, .timeout = 90)
{
	struct adv a, b;
	json_object *ra, *rb, *procs;
	double cpu, rusage, sleep_truth;
	pid_t spin_pid, sleep_pid;
	struct run va, vb;

	begin();
	adv_init(&a);
	adv_init(&b);
	adv_start(
	    &a, ARGS("run", "-q", "-o", adv_path(&a, "r.json"), "--", workload("spin"), "1", "600"),
	    NULL);
	adv_start(
	    &b,
	    ARGS("run", "-q", "-o", adv_path(&b, "r.json"), "--", workload("sleeper"), "50", "10"),
	    NULL);
	adv_wait(&a, 60);
	adv_wait(&b, 60);
	expect_status(&a, 0);
	expect_status(&b, 0);
	ra = expect_report(adv_path(&a, "r.json"));
	rb = expect_report(adv_path(&b, "r.json"));
	va.report = ra;
	vb.report = rb;
	spin_pid = jint(ra, "target.pid");
	sleep_pid = jint(rb, "target.pid");
	cr_expect(report_nr_processes(ra) == 1 && report_process(&va, spin_pid),
		  "the spinner's report holds %zu processes", report_nr_processes(ra));
	cr_expect(report_nr_processes(rb) == 1 && report_process(&vb, sleep_pid),
		  "the sleeper's report holds %zu processes", report_nr_processes(rb));
	cr_expect(!report_process(&va, sleep_pid) && !report_process(&vb, spin_pid),
		  "a report holds the other advisor's target");
	procs = jget(ra, "processes");
	cr_expect(procs && report_nr_threads(ra) == 2, "the spinner has %zu threads, expected 2",
		  report_nr_threads(ra));
	rusage = out_truth(&a, "rusage_cpu_ns");
	cpu = jint(ra, "time.cpu_ns");
	cr_log_info(
	    "spinner: cpu %.1f ms vs getrusage %.1f ms; sleeper: cpu %.1f ms, sleep %.1f ms",
	    cpu / 1e6, rusage / 1e6, jint(rb, "time.cpu_ns") / 1e6,
	    jint(rb, "time.blocked_ns.sleep") / 1e6);
	cr_expect(within(cpu, rusage, 0.02, 0), "spinner cpu %.0f vs its getrusage %.0f (2%%)", cpu,
		  rusage);
	cr_expect(jint(rb, "time.cpu_ns") < 100000000,
		  "the sleeper's report has %lld ns of cpu: the spinner's leaked in",
		  jint(rb, "time.cpu_ns"));
	/* the sleeps' spans less the cpu and run-queue waits inside them (schedstat) */
	sleep_truth = (double)out_truth(&b, "sleep_total_ns") - out_truth(&b, "sleep_loop_cpu_ns") -
		      out_truth(&b, "sleep_loop_runq_ns");
	cr_expect(within(jint(rb, "time.blocked_ns.sleep"), sleep_truth, 0.02, 2e6),
		  "sleeper: blocked.sleep %lld vs its own %.0f (2%%)",
		  jint(rb, "time.blocked_ns.sleep"), sleep_truth);
	json_object_put(ra);
	json_object_put(rb);
	adv_free(&a);
	adv_free(&b);
	end();
}
