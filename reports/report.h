/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Report writers and the reader of saved JSON reports. The JSON report is
 * the source of truth: every other format can be rendered from it again.
 */
#ifndef ADVISOR_REPORT_H
#define ADVISOR_REPORT_H

#include <stdio.h>

#include "../advisor/decide.h"
#include "../advisor/gate.h"
#include "../advisor/profile.h"
#include "../advisor/repeat.h"

#define REPORT_SCHEMA "advisor-report/1"

struct json_object;

struct report {
	struct profile profile; /* with --repeat, that of repeat.main_run */
	struct verdict verdict;
	struct thresholds thresholds;
	struct repeat_summary repeat; /* runs == 0 unless --repeat N > 1 */
	struct gate_results gates; /* evaluated == false unless a gate was asked for */
};

enum report_format {
	REPORT_JSON,
	REPORT_HTML,
	REPORT_JUNIT, /* .xml */
	REPORT_MARKDOWN, /* .md */
	REPORT_UNKNOWN,
};

/* Format from a path's extension; "-" is JSON on stdout. */
enum report_format report_format_of(const char *path);

/* Each returns 0 or -errno (-EIO when a write failed, e.g. a full disk). */
int report_json_write(FILE *f, const struct report *r);
int report_html_write(FILE *f, const struct report *r);
int report_junit_write(FILE *f, const struct report *r);
int report_markdown_write(FILE *f, const struct report *r);

/*
 * The JSON report as a json-c tree, as report_json_write() prints it; NULL
 * with errno ENOMEM. Caller frees with json_object_put().
 */
struct json_object *report_json_tree(const struct report *r);

/* Writes r to path in the format of its extension; "-" is stdout. */
int report_write_path(const char *path, const struct report *r);

/*
 * Reads a saved JSON report into r (which the caller frees with
 * report_free()). Returns 0, or -EINVAL with a one-line reason in err.
 */
int report_json_read(const char *path, struct report *r, char *err, size_t errlen);

/*
 * Reads and parses a JSON file of at most 256 MiB and 16 levels, strictly
 * (valid UTF-8, nothing after the value). Returns the tree (caller frees with
 * json_object_put()), or NULL with a one-line reason in err that starts
 * with the path.
 */
struct json_object *report_json_parse_file(const char *path, char *err, size_t errlen);

/* Frees what r owns: profile, repeat and gates. */
void report_free(struct report *r);

/*
 * A copy of s (at most len bytes, stopping at a NUL) that is valid UTF-8:
 * each byte that is not part of a well-formed sequence becomes U+FFFD.
 * Returns NULL when out of memory; caller frees with free().
 */
char *report_utf8_sanitize(const char *s, size_t len);

/* The few lines `advisor run` prints on stderr without -o. */
void report_summary_write(FILE *f, const struct report *r);

/*
 * The gates' results on stderr: one "advisor: gates: ..." line, then a line
 * per rule, or with failed_only, per failed rule. Nothing when no gate ran.
 */
void report_gates_write(FILE *f, const struct report *r, bool failed_only);

/* "812 ns", "1.25 us", "37.1 ms", "2.4 s"; "?" for NAN. Returns buf. */
const char *report_fmt_ns(char *buf, size_t len, double ns);

/* External net + disk + poll + ipc time: the I/O of the decision (SPEC section 3). */
__u64 report_io_ns(const struct profile_totals *t);

/* "5/5": runs that gave the report's model, of all runs ("1/1" for one run). */
const char *report_agreement(const struct report *r, char *buf, size_t len);

/*
 * Whether the target failed: in any run, exited non-zero or was killed by a
 * signal. Not for attach or a run stopped at --duration (advisor ended it).
 * *first is the index of the first failed run (0 without --repeat).
 */
bool report_target_failed(const struct report *r, unsigned int *first);

#endif /* ADVISOR_REPORT_H */
