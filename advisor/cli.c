// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	enum command cmd;
} commands[] = {
	{ "run", CMD_RUN },
	{ "attach", CMD_ATTACH },
	{ "report", CMD_REPORT },
	{ "check", CMD_CHECK },
	{ "help", CMD_HELP },
};

enum {
	OPT_EXPECT = 256,
	OPT_POLICY,
	OPT_BASELINE,
	OPT_THRESHOLD,
	OPT_REPEAT,
	OPT_VERSION,
	OPT_STACKS,
	OPT_KERNEL_STACKS,
};

static const struct option long_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "threshold", required_argument, NULL, OPT_THRESHOLD },
	{ "duration", required_argument, NULL, 'd' },
	{ "syscalls", no_argument, NULL, 'S' },
	{ "stacks", no_argument, NULL, OPT_STACKS },
	{ "kernel-stacks", no_argument, NULL, OPT_KERNEL_STACKS },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "pid", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void cli_usage(FILE *f, enum command cmd)
{
	fprintf(f,
		"Usage: advisor run    [options] -- CMD [ARGS...]\n"
		"       advisor attach [options] -p PID\n"
		"       advisor report [options] REPORT.json\n"
		"       advisor check  [options] REPORT.json\n"
		"\n"
		"Profiles a program's whole process tree with eBPF and says which concurrency\n"
		"model fits it: async, multithreading or multiprocessing.\n"
		"\n"
		"Options:\n"
		"  -o, --output FILE        write a report; format from the extension: .json, .html,\n"
		"                           .xml (JUnit), .md (Markdown), .sarif (findings, SARIF\n"
		"                           2.1.0), .pb.gz (pprof), .folded (folded stacks, ns);\n"
		"                           '-' is JSON on stdout; repeatable\n"
		"  -d, --duration SECONDS   stop after this long\n"
		"  -S, --syscalls           also count every syscall with its latency (costs every\n"
		"                           process on the machine about +220 ns a syscall, nearly\n"
		"                           all of it the kernel's raw syscall tracepoints)\n"
		"      --stacks             run, attach: also the user stacks of the waits (by cause)\n"
		"                           and of the time on CPU (sampled at 99 Hz), symbolised\n"
		"      --kernel-stacks      with --stacks: their kernel stacks too (implies --stacks)\n"
		"  -p, --pid PID            attach: the process to profile\n"
		"      --threshold NAME=VALUE  override a decision threshold, repeatable:\n");
	for (int i = 0; i < NR_THRESHOLDS; i++)
		fprintf(f, "                             %-16s %s\n", threshold_defs[i].name,
			threshold_defs[i].help);
	fprintf(f,
		"      --expect MODEL       gate: fail unless the verdict is MODEL (async,\n"
		"                           multithreading, multiprocessing) in every run\n"
		"      --policy FILE        gate: JSON file of metric limits and baseline tolerances\n"
		"                           (reports/schema/policy-1.json)\n"
		"      --baseline FILE      gate: fail when the model changed or a metric moved past\n"
		"                           its tolerance against this saved report\n"
		"      --repeat N           run: run the command N times; gate on the medians\n"
		"  -q, --quiet              no summary on stderr\n"
		"  -v, --verbose            more on stderr\n"
		"      --version            print the version\n"
		"  -h, --help               this help\n"
		"\n"
		"Exit status: the target's own status (128+N when killed by signal N);\n"
		"  122 a gate failed, 123 a report could not be written, 124 environment problem\n"
		"  (no BPF permission, no BTF), 125 usage error (a bad policy or baseline too),\n"
		"  126 command not executable, 127 command not found. When several apply: 125,\n"
		"  124, 126/127, 123, then the target's failure, then 122.\n"
		"\n"
		"EXAMPLES:\n"
		"  sudo advisor run -- ./myprog --input big.dat\n"
		"  sudo advisor run -o report.json -o report.html -- make -j2\n"
		"  sudo advisor run -S -d 10 -o - -- ./server\n"
		"  sudo advisor run --stacks -o report.json -- xz -T2 -k big.tar\n"
		"  sudo advisor run --threshold slow_wait_ms=5 -- curl -s http://127.0.0.1:8080/\n"
		"  sudo advisor run --repeat 5 --expect async --policy ci/policy.json \\\n"
		"       --baseline ci/baseline.json -o report.json -o gate.xml -o summary.md -- ./load-test\n"
		"  advisor check --expect async --policy ci/policy.json report.json\n"
		"  advisor report report.json -o findings.sarif -o stacks.pb.gz -o stacks.folded\n");
	(void)cmd;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "advisor: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, " (see 'advisor --help')\n");
	return -EINVAL;
}

static int parse_double(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_parse(int argc, char **argv, struct options *o)
{
	long v;
	int c;

	memset(o, 0, sizeof(*o));
	thresholds_default(&o->thresholds);
	o->repeat = 1;
	if (argc < 2)
		return usage_error("missing command%s", "");
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		o->cmd = CMD_VERSION;
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		o->cmd = CMD_HELP;
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			o->cmd = commands[i].cmd;
	if (o->cmd == CMD_NONE)
		return usage_error("unknown command '%s'", argv[1]);
	if (o->cmd == CMD_HELP)
		return 0;

	argc--;
	argv++;
	optind = 1;
	opterr = 0;
	/*
	 * run: '+' stops at the first non-option, so the target's own options
	 * stay its own; report and check take options after REPORT.json too
	 */
	while ((c = getopt_long(argc, argv, o->cmd == CMD_RUN ? "+:o:d:Sp:qvh" : ":o:d:Sp:qvh",
				long_opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (o->nr_outputs == MAX_OUTPUTS)
				return usage_error("too many outputs%s", "");
			o->outputs[o->nr_outputs++] = optarg;
			break;
		case 'd':
			if (parse_double(optarg, &o->duration_s) || o->duration_s <= 0)
				return usage_error("bad --duration '%s': want seconds > 0", optarg);
			break;
		case 'S':
			o->syscalls = true;
			break;
		case OPT_STACKS:
			o->stacks = true;
			break;
		case OPT_KERNEL_STACKS:
			o->stacks = o->kernel_stacks = true;
			break;
		case 'p':
			if (parse_int(optarg, 1, 0x7fffffff, &v))
				return usage_error("bad --pid '%s'", optarg);
			o->pid = v;
			break;
		case 'q':
			o->verbosity = -1;
			break;
		case 'v':
			o->verbosity = 1;
			break;
		case 'h':
			o->cmd = CMD_HELP;
			return 0;
		case OPT_VERSION:
			o->cmd = CMD_VERSION;
			return 0;
		case OPT_EXPECT:
			if (model_from_name(optarg) <= MODEL_INCONCLUSIVE)
				return usage_error(
					"bad --expect '%s': want async, multithreading or multiprocessing",
					optarg);
			o->expect = optarg;
			break;
		case OPT_POLICY:
			o->policy = optarg;
			break;
		case OPT_BASELINE:
			o->baseline = optarg;
			break;
		case OPT_THRESHOLD:
			if (thresholds_set(&o->thresholds, optarg))
				return usage_error("bad --threshold '%s': unknown name or bad value",
						   optarg);
			break;
		case OPT_REPEAT:
			if (parse_int(optarg, 1, 1000, &v))
				return usage_error("bad --repeat '%s': want 1 to 1000", optarg);
			o->repeat = v;
			break;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	switch (o->cmd) {
	case CMD_RUN:
		if (optind >= argc)
			return usage_error("run: missing command to profile%s", "");
		o->argv = argv + optind;
		o->argc = argc - optind;
		break;
	case CMD_ATTACH:
		if (!o->pid)
			return usage_error("attach: missing -p PID%s", "");
		if (optind < argc)
			return usage_error("attach: unexpected argument '%s'", argv[optind]);
		break;
	case CMD_REPORT:
	case CMD_CHECK:
		if (optind + 1 != argc)
			return usage_error("%s: want exactly one REPORT.json",
					   o->cmd == CMD_REPORT ? "report" : "check");
		o->report_in = argv[optind];
		break;
	default:
		break;
	}
	if (o->repeat > 1 && o->cmd != CMD_RUN)
		return usage_error("--repeat is for run%s", "");
	if (o->cmd == CMD_REPORT && (o->expect || o->policy || o->baseline))
		return usage_error("report: --expect, --policy and --baseline are for run, attach "
				   "and check%s", "");
	if (o->cmd == CMD_CHECK && !o->expect && !o->policy && !o->baseline)
		return usage_error("check: nothing to check: give --expect, --policy or --baseline%s",
				   "");
	return 0;
}
