// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Argument parsing: what is accepted, what is a usage error. */
#include <criterion/criterion.h>
#include <criterion/redirect.h>
#include <string.h>

#include "advisor/cli.h"

#define ARGV(...) ((char *[]){ "advisor", __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ "advisor", __VA_ARGS__ }) / sizeof(char *)))
#define PARSE(o, ...) cli_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), (o))

static void quiet(void)
{
	cr_redirect_stderr();
}

Test(cli, run_keeps_the_target_options_its_own, .init = quiet)
{
	/* o.argv points into this array: it must outlive the checks */
	char *argv[] = { "advisor", "run", "-o", "a.json", "-o", "b.html", "-S", "-d", "1.5",
			 "--", "ls", "-l", "-o", "x", NULL };
	struct options o;

	cr_assert_eq(cli_parse(14, argv, &o), 0);
	cr_expect_eq(o.cmd, CMD_RUN);
	cr_expect_eq(o.nr_outputs, 2);
	cr_expect_str_eq(o.outputs[1], "b.html");
	cr_expect(o.syscalls);
	cr_expect_float_eq(o.duration_s, 1.5, 1e-9);
	cr_expect_eq(o.argc, 4);
	cr_expect_str_eq(o.argv[0], "ls");
	cr_expect_str_eq(o.argv[2], "-o");
}

Test(cli, run_without_double_dash_stops_at_the_command, .init = quiet)
{
	char *argv[] = { "advisor", "run", "-q", "sh", "-c", "true", NULL };
	struct options o;

	cr_assert_eq(cli_parse(6, argv, &o), 0);
	cr_expect_eq(o.verbosity, -1);
	cr_expect_str_eq(o.argv[0], "sh");
	cr_expect_str_eq(o.argv[1], "-c");
}

Test(cli, thresholds_are_set, .init = quiet)
{
	struct options o;

	cr_assert_eq(PARSE(&o, "run", "--threshold", "slow_wait_ms=5", "--threshold",
			   "many_conns=10", "--", "true"), 0);
	cr_expect_float_eq(o.thresholds.slow_wait_ms, 5, 1e-9);
	cr_expect_float_eq(o.thresholds.many_conns, 10, 1e-9);
	cr_expect_float_eq(o.thresholds.io_bound_min, 0.5, 1e-9);
}

Test(cli, attach_and_report, .init = quiet)
{
	struct options o;

	cr_assert_eq(PARSE(&o, "attach", "-p", "42", "-d", "3"), 0);
	cr_expect_eq(o.cmd, CMD_ATTACH);
	cr_expect_eq(o.pid, 42);
	cr_assert_eq(PARSE(&o, "report", "r.json", "-o", "r.html"), 0);
	cr_expect_eq(o.cmd, CMD_REPORT);
	cr_expect_str_eq(o.report_in, "r.json");
}

Test(cli, usage_errors, .init = quiet)
{
	struct options o;

	cr_expect_neq(PARSE(&o, "frobnicate"), 0);
	cr_expect_neq(PARSE(&o, "run"), 0);
	cr_expect_neq(PARSE(&o, "run", "--frob", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "-d", "0", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "-d", "-1", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "-d", "1x", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "-d", "nan", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "--threshold", "io_bound_min", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "--threshold", "nope=1", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "--expect", "fast", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "--expect", "inconclusive", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "run", "--repeat", "0", "--", "true"), 0);
	cr_expect_neq(PARSE(&o, "attach"), 0);
	cr_expect_neq(PARSE(&o, "attach", "-p", "abc"), 0);
	cr_expect_neq(PARSE(&o, "attach", "-p", "0"), 0);
	cr_expect_neq(PARSE(&o, "report"), 0);
	cr_expect_neq(PARSE(&o, "run", "-o"), 0);
}

Test(cli, help_and_version, .init = quiet)
{
	struct options o;

	cr_assert_eq(PARSE(&o, "--help"), 0);
	cr_expect_eq(o.cmd, CMD_HELP);
	cr_assert_eq(PARSE(&o, "run", "--help"), 0);
	cr_expect_eq(o.cmd, CMD_HELP);
	cr_assert_eq(PARSE(&o, "--version"), 0);
	cr_expect_eq(o.cmd, CMD_VERSION);
}
