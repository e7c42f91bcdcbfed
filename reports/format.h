/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The one home of how numbers and durations read, so that one wait prints
 * the same in the verdict's sentences, on the terminal, on the page and in
 * the CI formats. Each function writes into buf and returns it.
 */
#ifndef ADVISOR_REPORTS_FORMAT_H
#define ADVISOR_REPORTS_FORMAT_H

#include <stddef.h>
#include <linux/types.h>

/* room for any of the strings below */
#define FMT_LEN 40

/*
 * A duration to three significant digits, its unit chosen after rounding:
 * "812 ns", "1.25 µs", "37.1 ms", "2.40 s"; from a minute on "3 min 05 s",
 * "2 h 07 min". "?" when ns is not a number, negative or past 2^64.
 */
const char *fmt_ns(char *buf, size_t len, double ns);

/* The same to about one significant digit ("4 µs", "537 ms"), for axis labels. */
const char *fmt_ns_coarse(char *buf, size_t len, double ns);

/* A count with thousands separators: "1,234,567". */
const char *fmt_count(char *buf, size_t len, __u64 n);

/*
 * The shortest decimal that reads back as v ("0.1", "1000000"); "null" when
 * v is not finite. For JSON and for limits a user compares exactly.
 */
const char *fmt_number(char *buf, size_t len, double v);

/*
 * For people: an integer (or any number from 1e5 up) whole, else 6
 * significant digits; "null" when not finite.
 */
const char *fmt_short(char *buf, size_t len, double v);

/*
 * A change from old to new for a gate's message: "+5, +12.5%", the delta
 * (fmt_short) and, when old is not 0, the change relative to it.
 */
const char *fmt_delta(char *buf, size_t len, double old, double new);

/* A share of a whole (0..1) as a percentage: "42%", "4.2%", "0.42%", "<0.01%". */
const char *fmt_pct(char *buf, size_t len, double share);

#endif /* ADVISOR_REPORTS_FORMAT_H */
