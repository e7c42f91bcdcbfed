/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Report writers and the reader of saved JSON reports. The JSON report is
 * the source of truth: every other format can be rendered from it again.
 */
#ifndef ADVISOR_REPORT_H
#define ADVISOR_REPORT_H

#include <stdio.h>

#include "../advisor/decide.h"
#include "../advisor/profile.h"

#define REPORT_SCHEMA "advisor-report/1"

struct report {
	struct profile profile;
	struct verdict verdict;
	struct thresholds thresholds;
};

enum report_format {
	REPORT_JSON,
	REPORT_HTML,
	REPORT_UNKNOWN,
};

/* Format from a path's extension; "-" is JSON on stdout. */
enum report_format report_format_of(const char *path);

/* Each returns 0 or -errno (-EIO when a write failed, e.g. a full disk). */
int report_json_write(FILE *f, const struct report *r);
int report_html_write(FILE *f, const struct report *r);

/* Writes r to path in the format of its extension; "-" is stdout. */
int report_write_path(const char *path, const struct report *r);

/*
 * Reads a saved JSON report into r (which the caller frees with
 * report_free()). Returns 0, or -EINVAL with a one-line reason in err.
 */
int report_json_read(const char *path, struct report *r, char *err, size_t errlen);

void report_free(struct report *r);

/*
 * A copy of s (at most len bytes, stopping at a NUL) that is valid UTF-8:
 * each byte that is not part of a well-formed sequence becomes U+FFFD.
 * Returns NULL when out of memory; caller frees with free().
 */
char *report_utf8_sanitize(const char *s, size_t len);

/* The few lines `advisor run` prints on stderr without -o. */
void report_summary_write(FILE *f, const struct report *r);

#endif /* ADVISOR_REPORT_H */
