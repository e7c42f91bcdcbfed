// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"

static const struct {
	double div;
	const char *unit;
} ns_units[] = { { 1e3, "\u00b5s" }, { 1e6, "ms" }, { 1e9, "s" } };

/* Index into ns_units of the unit ns reads best in, after rounding to digits. */
static int ns_unit(double ns)
{
	int i;

	/* pick the unit after rounding, so 999.96 µs reads 1.00 ms */
	for (i = 0; i < 2 && ns >= ns_units[i].div * 999.5; i++)
		;
	return i;
}

static bool ns_valid(double ns)
{
	return ns == ns && ns >= 0 && ns < 18446744073709551616.0;
}

const char *fmt_ns(char *buf, size_t len, double ns)
{
	double v;
	int i;

	if (!ns_valid(ns)) {
		snprintf(buf, len, "?");
		return buf;
	}
	if (ns < 999.5) {
		snprintf(buf, len, "%.0f ns", ns);
		return buf;
	}
	if (ns >= 59950000000.0) {
		unsigned long long s = (unsigned long long)((ns + 500000000.0) / 1e9);

		if (s < 3600)
			snprintf(buf, len, "%llu min %02llu s", s / 60, s % 60);
		else
			snprintf(buf, len, "%llu h %02llu min", s / 3600, s % 3600 / 60);
		return buf;
	}
	i = ns_unit(ns);
	v = ns / ns_units[i].div;
	snprintf(buf, len, v < 9.995 ? "%.2f %s" : v < 99.95 ? "%.1f %s" : "%.0f %s", v,
		 ns_units[i].unit);
	return buf;
}

const char *fmt_ns_coarse(char *buf, size_t len, double ns)
{
	int i;

	if (!ns_valid(ns) || ns < 999.5 || ns >= 59950000000.0)
		return fmt_ns(buf, len, ns);
	i = ns_unit(ns);
	snprintf(buf, len, "%.0f %s", ns / ns_units[i].div, ns_units[i].unit);
	return buf;
}

const char *fmt_count(char *buf, size_t len, __u64 n)
{
	char digits[32];
	size_t nd, o = 0;

	nd = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	for (size_t i = 0; i < nd && o + 2 < len; i++) {
		if (i && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
	return buf;
}

const char *fmt_number(char *buf, size_t len, double v)
{
	int prec;

	if (!isfinite(v)) {
		snprintf(buf, len, "null");
		return buf;
	}
	if (v == 0)
		v = 0; /* no "-0" */
	/* enough digits for the integer part, so that 1000000 is not "1e+06" */
	prec = fabs(v) >= 1 ? (int)floor(log10(fabs(v))) + 1 : 1;
	for (prec = prec < 17 ? prec : 17; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	return buf;
}

const char *fmt_short(char *buf, size_t len, double v)
{
	if (!isfinite(v))
		return fmt_number(buf, len, v);
	/* big numbers are nanoseconds and counts: their fraction says nothing */
	if ((v == floor(v) || fabs(v) >= 1e5) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v == 0 ? 0 : v);
	else
		snprintf(buf, len, "%.6g", v);
	return buf;
}

const char *fmt_delta(char *buf, size_t len, double old, double new)
{
	char d[FMT_LEN];
	double delta = new - old;

	fmt_short(d, sizeof(d), delta);
	if (old != 0 && isfinite(delta))
		snprintf(buf, len, "%s%s, %+.1f%%", delta > 0 ? "+" : "", d,
			 100 * delta / fabs(old));
	else
		snprintf(buf, len, "%s%s", delta > 0 ? "+" : "", d);
	return buf;
}

const char *fmt_pct(char *buf, size_t len, double share)
{
	double pct = 100 * share;

	if (!(pct == pct))
		snprintf(buf, len, "?");
	else if (pct > 0 && pct < 0.01)
		snprintf(buf, len, "<0.01%%");
	else
		snprintf(buf, len, pct >= 9.95 || pct == 0 ? "%.0f%%" : pct >= 0.995 ? "%.1f%%" : "%.2f%%",
			 pct);
	return buf;
}
