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

#include <json-c/json.h>

#include "../reports/report.h"
#include "attach.h"
#include "cli.h"
#include "document.h"
#include "gating.h"
#include "policy.h"
#include "repeat.h"
#include "run.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

/* The exit status of each way a command can fail before it measures anything. */
static int failure_status(enum failure f)
{
	static const int statuses[] = {
		[FAILURE_NONE] = 0,		[FAILURE_USAGE] = EXIT_USAGE,
		[FAILURE_OUTPUT] = EXIT_OUTPUT, [FAILURE_ENV] = EXIT_ENV,
		[FAILURE_NOEXEC] = EXIT_NOEXEC, [FAILURE_NOTFOUND] = EXIT_NOTFOUND,
	};

	return (unsigned int)f < sizeof(statuses) / sizeof(statuses[0]) ? statuses[f] : EXIT_ENV;
}

/* What the gates need, read before anything runs. */
struct gates_setup {
	bool asked;
	struct policy policy;
	struct json_object *baseline; /* the baseline's document, or NULL */
};

static void gates_setup_free(struct gates_setup *gs)
{
	policy_free(&gs->policy);
	json_object_put(gs->baseline);
	gs->baseline = NULL;
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
		gs->baseline = document_read(o->baseline, err, sizeof(err));
		if (!gs->baseline) {
			fprintf(stderr, "advisor: --baseline %s\n", err);
			return EXIT_USAGE;
		}
	}
	return 0;
}

/* Evaluates the gates into the document; 0 or an exit status after one line on stderr. */
static int gates_apply(const struct options *o, struct gates_setup *gs, struct json_object *doc,
		       const char *report_name)
{
	struct gate_results gr;
	char err[512];
	int e;

	if (!gs->asked)
		return 0;
	e = gating_apply(&gs->policy, o->expect, doc, report_name, gs->baseline, o->baseline, &gr,
			 err, sizeof(err));
	if (!e && document_set_gates(doc, &gr)) {
		snprintf(err, sizeof(err), "out of memory");
		e = -ENOMEM;
	}
	gate_results_free(&gr);
	if (e) {
		fprintf(stderr, "advisor: %s\n", err);
		return e == -ENOMEM ? EXIT_OUTPUT : EXIT_USAGE;
	}
	report_gates_write(stderr, doc, o->verbosity < 0);
	return 0;
}

static bool gates_failed(const struct json_object *doc)
{
	struct json_object *g, *failed;

	return json_object_object_get_ex(doc, "gates", &g) &&
	       json_object_object_get_ex(g, "failed", &failed) && json_object_get_int64(failed) > 0;
}

static int write_outputs(const struct options *o, const struct json_object *doc)
{
	int status = 0;

	for (int i = 0; i < o->nr_outputs; i++) {
		int e = report_write_path(o->outputs[i], doc);

		if (e) {
			fprintf(stderr, "advisor: cannot write %s: %s\n", o->outputs[i], strerror(-e));
			status = EXIT_OUTPUT;
		} else if (o->verbosity > 0) {
			fprintf(stderr, "advisor: wrote %s\n", o->outputs[i]);
		}
	}
	return status;
}

/* The outputs of report and check: 0, or EXIT_USAGE after one line. */
static int check_formats(const struct options *o)
{
	enum failure f;

	return session_check_outputs(o, &f) ? failure_status(f) : 0;
}

/* The target's status as advisor's: its exit code, or 128+N for signal N. */
static int target_status(const struct json_object *doc)
{
	unsigned int i;
	int code, sig;

	if (!report_target_failed(doc, &i, &code, &sig))
		return 0;
	return sig ? 128 + sig : code;
}

/* "target exited with status 3", said before the gates. */
static void say_target_failed(const struct json_object *doc, const char *where)
{
	struct json_object *rep;
	unsigned int i;
	int code, sig;

	if (!report_target_failed(doc, &i, &code, &sig))
		return;
	fprintf(stderr, "advisor: %s", where);
	if (json_object_object_get_ex(doc, "repeat", &rep) &&
	    json_object_object_get_ex(rep, "runs", &rep))
		fprintf(stderr, "run %u of %u: ", i + 1, (unsigned int)json_object_get_int64(rep));
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

/* Measures and decides o's command once, or --repeat times, into r. 0 or an exit status. */
static int measure(const struct options *o, const struct policy *policy, struct report *r)
{
	unsigned int n = o->cmd == CMD_RUN ? (unsigned int)o->repeat : 1, done = 0;
	struct report *runs = calloc(n, sizeof(*runs));
	enum failure fail = FAILURE_NONE;
	int e;

	if (!runs) {
		fprintf(stderr, "advisor: out of memory\n");
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
			return failure_status(fail);
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
		e = gating_repeat_fold(policy, runs, done, r);
		free(runs);
		if (e) {
			fprintf(stderr, "advisor: out of memory\n");
			return EXIT_ENV;
		}
		return 0;
	}
	*r = runs[0];
	free(runs);
	return 0;
}

static int do_profile(const struct options *o)
{
	struct gates_setup gs;
	struct report r = { 0 };
	struct json_object *doc;
	const char *needs;
	int status, e;

	status = gates_setup_load(o, &gs);
	if (status)
		goto out;
	needs = policy_needs_syscalls(&gs.policy);
	if (needs && !o->syscalls) {
		fprintf(stderr, "advisor: %s: '%s' reads the syscall table: add -S\n", o->policy,
			needs);
		status = EXIT_USAGE;
		goto out;
	}
	status = measure(o, &gs.policy, &r);
	if (status)
		goto out;
	doc = document_build(&r);
	report_free(&r);
	if (!doc) {
		fprintf(stderr, "advisor: out of memory\n");
		status = EXIT_ENV;
		goto out;
	}
	if (gs.asked)
		say_target_failed(doc, "");
	if (o->verbosity >= 0)
		report_summary_write(stderr, doc);
	status = gates_apply(o, &gs, doc, "the report");
	e = write_outputs(o, doc);
	if (!status)
		status = e;
	/*
	 * attach: the target is not advisor's child; stopped at --duration:
	 * advisor ended it. Either way its status says nothing here, and
	 * report_target_failed() knows it.
	 */
	if (!status)
		status = target_status(doc);
	if (!status && gates_failed(doc))
		status = EXIT_GATE;
	json_object_put(doc);
out:
	gates_setup_free(&gs);
	return status;
}

static int do_report(const struct options *o)
{
	struct json_object *doc;
	char err[512];
	int status;

	status = check_formats(o);
	if (status)
		return status;
	doc = document_read(o->report_in, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "advisor: %s\n", err);
		return EXIT_USAGE;
	}
	if (!o->nr_outputs) {
		report_summary_write(stderr, doc);
		report_gates_write(stderr, doc, false);
	} else {
		status = write_outputs(o, doc);
	}
	json_object_put(doc);
	return status;
}

static int do_check(const struct options *o)
{
	struct gates_setup gs = { 0 };
	struct json_object *doc;
	char err[512];
	int status, e;

	status = check_formats(o);
	if (status)
		return status;
	doc = document_read(o->report_in, err, sizeof(err));
	if (!doc) {
		fprintf(stderr, "advisor: %s\n", err);
		return EXIT_USAGE;
	}
	status = gates_setup_load(o, &gs);
	if (status)
		goto out;
	say_target_failed(doc, "in this report, ");
	if (o->verbosity > 0)
		report_summary_write(stderr, doc);
	status = gates_apply(o, &gs, doc, o->report_in);
	if (status)
		goto out;
	e = write_outputs(o, doc);
	status = e ? e : gates_failed(doc) ? EXIT_GATE : 0;
out:
	json_object_put(doc);
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
