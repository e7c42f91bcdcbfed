// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor: which concurrency model fits this program? Commands go through a
 * table; this is the only file that exits, with the documented statuses.
 *
 * When several statuses apply, the first of these wins: a usage error (125,
 * a bad policy or baseline among them, found before anything runs), an
 * environment problem (124), a command that cannot run (126, 127), a report
 * that could not be written (123), the target's own failure (its status, or
 * 128+N), a failed gate (122). A failed target is said first on stderr, and
 * the gates are still evaluated, printed and written into the reports.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "attach.h"
#include "cli.h"
#include "policy.h"
#include "repeat.h"
#include "run.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

/* What the gates need, read before anything runs. */
struct gates_setup {
	bool asked;
	struct policy policy;
	bool has_baseline;
	struct report baseline;
};

static void gates_setup_free(struct gates_setup *gs)
{
	policy_free(&gs->policy);
	if (gs->has_baseline)
		report_free(&gs->baseline);
}

/* 0, or EXIT_USAGE after one line on stderr. */
static int gates_setup_load(const struct options *o, struct gates_setup *gs)
{
	char err[512];

	memset(gs, 0, sizeof(*gs));
	policy_init(&gs->policy);
	gs->asked = o->expect || o->policy || o->baseline;
	if (o->policy && policy_load(o->policy, &gs->policy, err, sizeof(err))) {
		fprintf(stderr, "advisor: %s\n", err);
		return EXIT_USAGE;
	}
	if (o->baseline) {
		if (report_json_read(o->baseline, &gs->baseline, err, sizeof(err))) {
			fprintf(stderr, "advisor: --baseline %s\n", err);
			return EXIT_USAGE;
		}
		gs->has_baseline = true;
	}
	return 0;
}

/* Evaluates the gates into r->gates; 0 or EXIT_USAGE after one line on stderr. */
static int gates_apply(const struct options *o, struct gates_setup *gs, struct report *r,
		       const char *report_name)
{
	struct gate_results gr;
	char err[512];
	int e;

	if (!gs->asked)
		return 0;
	e = policy_apply(&gs->policy, o->expect, r, report_name,
			 gs->has_baseline ? &gs->baseline : NULL, o->baseline, &gr, err,
			 sizeof(err));
	if (e) {
		gate_results_free(&gr);
		fprintf(stderr, "advisor: %s\n", err);
		return e == -ENOMEM ? EXIT_OUTPUT : EXIT_USAGE;
	}
	gate_results_free(&r->gates);
	r->gates = gr;
	report_gates_write(stderr, r, o->verbosity < 0);
	return 0;
}

static int write_outputs(const struct options *o, const struct report *r)
{
	int status = 0;

	for (int i = 0; i < o->nr_outputs; i++) {
		int e = report_write_path(o->outputs[i], r);

		if (e) {
			fprintf(stderr, "advisor: cannot write %s: %s\n", o->outputs[i], strerror(-e));
			status = EXIT_OUTPUT;
		} else if (o->verbosity > 0) {
			fprintf(stderr, "advisor: wrote %s\n", o->outputs[i]);
		}
	}
	return status;
}

/* 0, or EXIT_USAGE after one line, when an output's format is not known. */
static int check_formats(const struct options *o)
{
	for (int i = 0; i < o->nr_outputs; i++)
		if (report_format_of(o->outputs[i]) == REPORT_UNKNOWN) {
			fprintf(stderr,
				"advisor: %s: unknown report format (use .json, .html, .xml, .md or -)\n",
				o->outputs[i]);
			return EXIT_USAGE;
		}
	return 0;
}

/* The target's status as advisor's: its exit code, or 128+N for signal N. */
static int target_status(const struct report *r)
{
	unsigned int i;

	if (!report_target_failed(r, &i))
		return 0;
	if (r->repeat.runs) {
		const struct repeat_run *x = &r->repeat.per_run[i];

		return x->signal ? 128 + x->signal : x->exit_code;
	}
	return r->profile.signal ? 128 + r->profile.signal : r->profile.exit_code;
}

/* "target exited with status 3", said before the gates. */
static void say_target_failed(const struct report *r, const char *where)
{
	const struct profile *p = &r->profile;
	unsigned int i;
	int code, sig;

	if (!report_target_failed(r, &i))
		return;
	code = r->repeat.runs ? r->repeat.per_run[i].exit_code : p->exit_code;
	sig = r->repeat.runs ? r->repeat.per_run[i].signal : p->signal;
	fprintf(stderr, "advisor: %s", where);
	if (r->repeat.runs)
		fprintf(stderr, "run %u of %u: ", i + 1, r->repeat.runs);
	if (sig)
		fprintf(stderr, "the target was killed by signal %d (%s)", sig, strsignal(sig));
	else
		fprintf(stderr, "the target failed: it exited with status %d", code);
	fputs("; the gates are still evaluated\n", stderr);
}

/* Ctrl-C or SIGTERM ended the run: the user wants to stop, not a next run. */
static bool run_interrupted(const struct profile *p)
{
	int sig = p->signal ? p->signal : p->exit_code > 128 ? p->exit_code - 128 : 0;

	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

static void say_run(const struct report *r, unsigned int i, unsigned int n)
{
	const struct profile *p = &r->profile;

	fprintf(stderr, "advisor: run %u of %u: %s (confidence %.2f), io_fraction %.2f, ", i + 1,
		n, model_names[r->verdict.model < NR_MODELS ? r->verdict.model : 0],
		r->verdict.confidence, r->verdict.io_fraction);
	if (p->signal)
		fprintf(stderr, "target killed by signal %d\n", p->signal);
	else
		fprintf(stderr, "target exited with status %d\n", p->exit_code);
}

static int do_profile(const struct options *o)
{
	struct gates_setup gs;
	struct report r = { 0 }, *runs;
	unsigned int n = o->cmd == CMD_RUN ? (unsigned int)o->repeat : 1, done = 0;
	const char *needs;
	int fail = 0, status, e;

	status = gates_setup_load(o, &gs);
	if (status) {
		gates_setup_free(&gs);
		return status;
	}
	needs = policy_needs_syscalls(&gs.policy);
	if (needs && !o->syscalls) {
		fprintf(stderr, "advisor: %s: '%s' reads the syscall table: add -S\n", o->policy,
			needs);
		gates_setup_free(&gs);
		return EXIT_USAGE;
	}
	runs = calloc(n, sizeof(*runs));
	if (!runs) {
		fprintf(stderr, "advisor: out of memory\n");
		gates_setup_free(&gs);
		return EXIT_ENV;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct report *x = &runs[i];

		x->thresholds = o->thresholds;
		e = o->cmd == CMD_ATTACH ? attach_profile(o, &x->profile, &fail) :
					   run_profile(o, &x->profile, &fail);
		if (e) {
			for (unsigned int k = 0; k <= i; k++)
				report_free(&runs[k]);
			free(runs);
			gates_setup_free(&gs);
			return fail;
		}
		decide_model(&x->profile, &x->thresholds, &x->verdict);
		done = i + 1;
		if (n > 1 && o->verbosity >= 0)
			say_run(x, i, n);
		if (n > 1 && i + 1 < n && run_interrupted(&x->profile)) {
			fprintf(stderr, "advisor: run %u was interrupted; no more runs\n", i + 1);
			break;
		}
	}
	if (done > 1) {
		e = policy_repeat_fold(&gs.policy, runs, done, &r);
		if (e) {
			fprintf(stderr, "advisor: out of memory\n");
			free(runs);
			gates_setup_free(&gs);
			return EXIT_ENV;
		}
	} else {
		r = runs[0];
	}
	free(runs);

	if (gs.asked)
		say_target_failed(&r, "");
	if (o->verbosity >= 0)
		report_summary_write(stderr, &r);
	status = gates_apply(o, &gs, &r, "the report");
	e = write_outputs(o, &r);
	if (!status)
		status = e;
	/*
	 * attach: the target is not advisor's child; stopped at --duration:
	 * advisor ended it. Either way its status says nothing here, and
	 * report_target_failed() knows it.
	 */
	if (!status)
		status = target_status(&r);
	if (!status && r.gates.nr_failed)
		status = EXIT_GATE;
	report_free(&r);
	gates_setup_free(&gs);
	return status;
}

static int do_report(const struct options *o)
{
	struct report r = { 0 };
	char err[512];
	int status;

	status = check_formats(o);
	if (status)
		return status;
	if (report_json_read(o->report_in, &r, err, sizeof(err))) {
		fprintf(stderr, "advisor: %s\n", err);
		report_free(&r);
		return EXIT_USAGE;
	}
	if (!o->nr_outputs) {
		report_summary_write(stderr, &r);
		report_gates_write(stderr, &r, false);
		report_free(&r);
		return 0;
	}
	status = write_outputs(o, &r);
	report_free(&r);
	return status;
}

static int do_check(const struct options *o)
{
	struct gates_setup gs;
	struct report r = { 0 };
	char err[512];
	int status, e;

	status = check_formats(o);
	if (status)
		return status;
	if (report_json_read(o->report_in, &r, err, sizeof(err))) {
		fprintf(stderr, "advisor: %s\n", err);
		report_free(&r);
		return EXIT_USAGE;
	}
	status = gates_setup_load(o, &gs);
	if (status)
		goto out;
	say_target_failed(&r, "in this report, ");
	if (o->verbosity > 0)
		report_summary_write(stderr, &r);
	status = gates_apply(o, &gs, &r, o->report_in);
	if (status)
		goto out;
	e = write_outputs(o, &r);
	status = e ? e : r.gates.nr_failed ? EXIT_GATE : 0;
out:
	report_free(&r);
	gates_setup_free(&gs);
	return status;
}

static const struct {
	enum command cmd;
	int (*fn)(const struct options *o);
} handlers[] = {
	{ CMD_RUN, do_profile },
	{ CMD_ATTACH, do_profile },
	{ CMD_REPORT, do_report },
	{ CMD_CHECK, do_check },
};

int main(int argc, char **argv)
{
	struct options o;

	if (cli_parse(argc, argv, &o))
		exit(EXIT_USAGE);
	if (o.cmd == CMD_HELP) {
		cli_usage(stdout, o.cmd);
		exit(0);
	}
	if (o.cmd == CMD_VERSION) {
		printf("advisor %s\n", ADVISOR_VERSION);
		exit(0);
	}
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].cmd == o.cmd)
			exit(handlers[i].fn(&o));
	exit(EXIT_USAGE);
}
