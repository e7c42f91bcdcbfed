// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * advisor: which concurrency model fits this program? Commands go through a
 * table; this is the only file that exits, with the documented statuses.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/report.h"
#include "attach.h"
#include "cli.h"
#include "run.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

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

static int target_status(const struct profile *p)
{
	if (p->signal)
		return 128 + p->signal;
	return p->exit_code < 0 ? 0 : p->exit_code;
}

static int do_profile(const struct options *o)
{
	struct report r = { 0 };
	int fail = 0, status, e;

	r.thresholds = o->thresholds;
	e = o->cmd == CMD_ATTACH ? attach_profile(o, &r.profile, &fail) :
				   run_profile(o, &r.profile, &fail);
	if (e) {
		report_free(&r);
		return fail;
	}
	decide_model(&r.profile, &r.thresholds, &r.verdict);
	if (o->verbosity >= 0)
		report_summary_write(stderr, &r);
	status = write_outputs(o, &r);
	/*
	 * attach: the target is not advisor's child; stopped at --duration:
	 * advisor ended it. Either way its status says nothing here.
	 */
	if (!status && !r.profile.stopped_at_duration && !r.profile.attached)
		status = target_status(&r.profile);
	report_free(&r);
	return status;
}

static int do_report(const struct options *o)
{
	struct report r = { 0 };
	char err[512];
	int status;

	if (report_json_read(o->report_in, &r, err, sizeof(err))) {
		fprintf(stderr, "advisor: %s\n", err);
		report_free(&r);
		return EXIT_USAGE;
	}
	if (!o->nr_outputs) {
		report_summary_write(stderr, &r);
		report_free(&r);
		return 0;
	}
	status = write_outputs(o, &r);
	report_free(&r);
	return status;
}

static int do_unimplemented(const struct options *o)
{
	fprintf(stderr, "advisor: this command is not implemented yet\n");
	return EXIT_USAGE;
}

static const struct {
	enum command cmd;
	int (*fn)(const struct options *o);
} handlers[] = {
	{ CMD_RUN, do_profile },
	{ CMD_ATTACH, do_profile },
	{ CMD_REPORT, do_report },
	{ CMD_CHECK, do_unimplemented },
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
