/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * A metric path names one number of the report document: keys joined by
 * dots, an array element by index ("verdict.path[0].value") or by the first
 * element whose key has a value ("syscall_waits[name=fsync].max_ns",
 * "processes[comm=nginx].threads[0].cpu_ns"). The drivers have short names:
 * io_fraction, wait_p50_ns, peak_open and busy_threads stand for
 * verdict.drivers.<name>. In a given report, an element that is not there
 * makes the rule fail, except in the syscall tables (syscall_waits,
 * syscalls), where a syscall that is not listed was never waited in or
 * called: its numbers are 0.
 */
#ifndef ADVISOR_METRIC_H
#define ADVISOR_METRIC_H

#include <stddef.h>

struct json_object;

/*
 * Checks that path can name a number in a report; 0, or -EINVAL with the
 * reason in why (-ENOMEM).
 */
int metric_path_check(const char *path, char *why, size_t len);

/* The path as repeat metrics are keyed: a driver's short name, else as written. Returns buf. */
const char *metric_path_canonical(const char *path, char *buf, size_t len);

/*
 * The value of path in the document: 0 with *out (NAN for null); 1 when an
 * array element the path names is not there (why says which); -EINVAL when
 * the path names nothing in it (why). With --repeat, a repeated metric reads
 * as its median over the runs (the document's repeat.metrics).
 */
int metric_value(const struct json_object *doc, const char *path, double *out, char *why,
		 size_t len);

#endif /* ADVISOR_METRIC_H */
