/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The writers of the report document. The document is the JSON report as a
 * json-c tree (reports/schema/report-1.json is its contract; reports/doc.h
 * reads it): advisor builds it from what was measured and decided, or reads
 * it back from a saved report, and every format is written from it alone.
 * So a saved report renders exactly as a fresh one.
 */
#ifndef ADVISOR_REPORT_H
#define ADVISOR_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#define REPORT_SCHEMA "advisor-report/1"

struct json_object;

enum report_format {
	REPORT_JSON,
	REPORT_HTML,
	REPORT_JUNIT, /* .xml */
	REPORT_MARKDOWN, /* .md */
	REPORT_FOLDED, /* .folded: folded stacks, for flame graphs */
	REPORT_SARIF, /* .sarif: the findings, SARIF 2.1.0 */
	REPORT_PPROF, /* .pb.gz: the stacks as a gzipped pprof profile */
	REPORT_UNKNOWN,
};

/* Format from a path's extension; "-" is JSON on stdout. */
enum report_format report_format_of(const char *path);

/* Each returns 0 or -errno (-EIO when a write failed, e.g. a full disk). */
int report_json_write(FILE *f, const struct json_object *doc);
int report_html_write(FILE *f, const struct json_object *doc);
int report_junit_write(FILE *f, const struct json_object *doc);
int report_markdown_write(FILE *f, const struct json_object *doc);
int report_folded_write(FILE *f, const struct json_object *doc);
int report_sarif_write(FILE *f, const struct json_object *doc);
int report_pprof_write(FILE *f, const struct json_object *doc);

/* Writes doc to path in the format of its extension; "-" is stdout. */
int report_write_path(const char *path, const struct json_object *doc);

/* The few lines `advisor run` prints on stderr without -o. */
void report_summary_write(FILE *f, const struct json_object *doc);

/*
 * The gates' results on stderr: one "advisor: gates: ..." line, then a line
 * per rule, or with failed_only, per failed rule. Nothing when no gate ran.
 */
void report_gates_write(FILE *f, const struct json_object *doc, bool failed_only);

/* "5/5": runs that gave the report's model, of all runs ("1/1" for one run). */
const char *report_agreement(const struct json_object *doc, char *buf, size_t len);

/*
 * Whether the target failed: in any run, exited non-zero or was killed by a
 * signal. Not for attach or a run stopped at --duration (advisor ended it).
 * *first is the index of the first failed run (0 without --repeat); *code and
 * *sig (either may be NULL) that run's exit code and signal.
 */
bool report_target_failed(const struct json_object *doc, unsigned int *first, int *code, int *sig);

#endif /* ADVISOR_REPORT_H */
