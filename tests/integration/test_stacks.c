// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * --stacks on a workload with known call sites (tests/workloads/callsites.c):
 * a read of a FIFO that a writer outside the tree feeds, and a spinning
 * thread. Until the report's writers show stacks, the test reads the dump
 * that ADVISOR_STACKS_DEBUG asks for on advisor's stderr.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

static void run_callsites(struct run *r, const char *name)
{
	char dir[64], fifo[128];
	pid_t writer;

	dir_make(dir, sizeof(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	cr_assert(!mkfifo(fifo, 0666) && !chmod(fifo, 0666), "mkfifo %s", fifo);
	writer = spawn(ARGS(workload("slow_writer"), fifo, "60", "10"), -1);
	sleep_ms(50); /* let it block in open(), so the reader's open() does not */
	setenv("ADVISOR_STACKS_DEBUG", "1", 1);
	run_advisor(r, ARGS("--stacks"), ARGS(workload(name), fifo));
	unsetenv("ADVISOR_STACKS_DEBUG");
	cr_expect(reap(writer, false) == 0, "slow_writer failed");
	dir_remove(dir);
}

/*
 * The first entry of the dump whose header starts with head (e.g. "stack
 * ipc external") and which has a frame containing frame; NULL when none.
 */
static const char *dump_find(const char *err, const char *head, const char *frame)
{
	const char *p = err;

	while ((p = strstr(p, head))) {
		const char *end = strstr(p + 1, "\nstack ");
		const char *f = strstr(p, frame);

		if (f && (!end || f < end))
			return p;
		p++;
	}
	return NULL;
}

static void check_callsites(const char *name)
{
	char read_frame[128], line[16];
	const struct truth *t;
	struct run r;

	harness_require_bpf();
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		cr_skip_test("one CPU: the spinner would starve the reader");
	run_callsites(&r, name);
	t = truth_find(&r, "read_line");
	cr_assert(t && t->nr_values == 1, "callsites printed no read_line");
	snprintf(line, sizeof(line), "%llu", t->values[0]);
	snprintf(read_frame, sizeof(read_frame), "read_fifo_lines tests/workloads/callsites.c:%s",
		 line);
	cr_expect(jstr(r.report, "overhead.mode")[0] && strstr(jstr(r.report, "overhead.mode"),
							       "+stacks"),
		  "overhead.mode %s has no +stacks", jstr(r.report, "overhead.mode"));
	cr_expect(strstr(r.err, "stacks: complete"), "no stacks dump on stderr:\n%s", r.err);
	cr_expect(dump_find(r.err, "stack ipc external", read_frame),
		  "no external ipc wait at %s in:\n%s", read_frame, r.err);
	cr_expect(dump_find(r.err, "stack cpu cpu", " spin_until_done tests/workloads/callsites.c:"),
		  "no CPU samples in spin_until_done in:\n%s", r.err);
	cr_log_info("%s stacks:\n%s", name, r.err);
	run_free(&r);
}

/* frame pointers: the kernel's walk, plus the DWARF unwind for the libc wrapper's caller */
Test(measure, stacks_name_call_sites_with_frame_pointers, .timeout = 120)
{
	check_callsites("callsites-fp");
}

/* Debian's flags, no frame pointers: only the DWARF unwind of the copied stack finds them */
Test(measure, stacks_name_call_sites_without_frame_pointers, .timeout = 120)
{
	check_callsites("callsites");
}

Test(measure, stacks_off_by_default, .timeout = 120)
{
	struct run r;

	harness_require_bpf();
	setenv("ADVISOR_STACKS_DEBUG", "1", 1);
	run_advisor(&r, NULL, ARGS(workload("sleeper"), "5", "10"));
	unsetenv("ADVISOR_STACKS_DEBUG");
	cr_expect(!strstr(jstr(r.report, "overhead.mode"), "stacks"), "overhead.mode %s",
		  jstr(r.report, "overhead.mode"));
	cr_expect(!strstr(r.err, "stacks: complete"), "stacks collected without --stacks");
	run_free(&r);
}
