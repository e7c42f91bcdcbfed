/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The verdict's findings: the call sites behind its drivers, from the
 * profile's stacks. Part of the decision (pure: no I/O, no clock, no
 * globals); decide_model() fills them and the rationale names the first.
 */
#ifndef ADVISOR_FINDINGS_H
#define ADVISOR_FINDINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "../probes/profile.h"

#define MAX_FINDINGS 5

/* What a finding's time is, after the driver it explains. */
enum finding_kind {
	FINDING_IO, /* external waits of the I/O causes: an I/O-bound verdict */
	FINDING_CPU, /* time on CPU: a CPU-bound verdict */
	FINDING_LOCK, /* lock waits: inconclusive (locks) */
	FINDING_SLEEP, /* sleeps: inconclusive (asleep) */
	FINDING_CHILD, /* waits for children: inconclusive (children) */
	NR_FINDING_KINDS,
};

/* "io", "cpu", "lock", "sleep", "child": the report's verdict.findings[].driver */
extern const char *const finding_kind_names[NR_FINDING_KINDS];

/*
 * One call site. Strings are copied from the profile's frames (cut to fit),
 * "" when unknown; they are the target's bytes, not text.
 */
struct finding {
	enum finding_kind kind;
	int cause; /* CAUSE_*, or STACKS_CPU */
	double share; /* of its cause's time of that kind in the stacks (0..1) */
	__u64 time_ns;
	__u64 count; /* waits, or samples */
	char leaf[128]; /* the innermost named function: the call that waited */
	char function[128]; /* the location: */
	char file[256];
	__u32 line; /* 0 without a file */
	char module[256];
};

struct verdict;

/*
 * Fills v->findings from p->stacks for v's model (and inconclusive_reason),
 * largest first: the I/O causes' external waits for async and
 * multithreading, time on CPU for multiprocessing, the lock, sleep or child
 * waits for an inconclusive verdict of that reason; none for the others or
 * without stacks. Stacks that end at the same location are one finding. The
 * location is the innermost frame with a file and line (the program's own
 * code, built with debug info), else the innermost named frame.
 */
void findings_compute(const struct profile *p, struct verdict *v);

#endif /* ADVISOR_FINDINGS_H */
