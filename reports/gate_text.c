// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A rule's numbers come from the document, where a number that was not
 * finite is null: doc_double() reads it back as NAN, which is how the rule
 * was evaluated, so the text is the same for a fresh and a saved report.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "format.h"
#include "gate_text.h"

enum gate_text_kind gate_text_kind(const struct json_object *rule)
{
	const char *kind = doc_str(rule, "kind");

	if (!strcmp(kind, "expect"))
		return GATE_TEXT_EXPECT;
	if (!strcmp(kind, "limit"))
		return GATE_TEXT_LIMIT;
	if (!strcmp(kind, "model"))
		return GATE_TEXT_MODEL;
	return GATE_TEXT_CHANGE;
}

size_t gate_text_failed(const struct json_object *gates)
{
	size_t n = doc_len(gates, "rules"), failed = 0;

	for (size_t i = 0; i < n; i++)
		failed += !doc_bool(doc_at(gates, "rules", i), "passed");
	return failed;
}

enum gate_text_worse gate_text_worse(const struct json_object *rule)
{
	const char *worse = doc_str(rule, "worse");

	if (!strcmp(worse, "lower"))
		return GATE_TEXT_LOWER;
	if (!strcmp(worse, "either"))
		return GATE_TEXT_EITHER;
	return GATE_TEXT_HIGHER;
}

/*
 * a and b for a message: short, unless that would show two different numbers
 * the same (0.4999999 against 0.5), then exact.
 */
static void fmt_pair(char *ba, char *bb, size_t len, double a, double b)
{
	fmt_short(ba, len, a);
	fmt_short(bb, len, b);
	if (a != b && !strcmp(ba, bb)) {
		fmt_number(ba, len, a);
		fmt_number(bb, len, b);
	}
}

/* Runs out of n that min_agreement asks for, at least 1 (as gate.c counts them). */
static unsigned long long runs_needed(double min_agreement, unsigned long long n)
{
	/* 0.8 * 5 is 4.000000000000001 in binary: not 5 runs */
	double need = ceil(min_agreement * n - 1e-9);

	/* a NAN min_agreement (null) asks for every run, as a comparison with NAN fails */
	if (isnan(need))
		return n;
	return need < 1 ? 1 : need > n ? n : (unsigned long long)need;
}

const char *gate_text_title(const struct json_object *rule, char *buf, size_t len)
{
	switch (gate_text_kind(rule)) {
	case GATE_TEXT_EXPECT:
		snprintf(buf, len, "expect %s", doc_str(rule, "expected"));
		break;
	case GATE_TEXT_LIMIT:
		snprintf(buf, len, "limit %s", doc_str(rule, "path"));
		break;
	case GATE_TEXT_MODEL:
		snprintf(buf, len, "baseline model");
		break;
	default:
		snprintf(buf, len, "baseline %s", doc_str(rule, "path"));
		break;
	}
	return buf;
}

const char *gate_text_measured(const struct json_object *rule, char *buf, size_t len)
{
	char a[FMT_LEN], b[FMT_LEN], d[2 * FMT_LEN];
	double value, min, max, old;
	__u64 runs;

	switch (gate_text_kind(rule)) {
	case GATE_TEXT_EXPECT:
		runs = doc_u64(rule, "runs");
		if (runs > 1)
			snprintf(buf, len, "%s; %s in %llu/%llu runs", doc_str(rule, "measured"),
				 doc_str(rule, "expected"),
				 (unsigned long long)doc_u64(rule, "agree"),
				 (unsigned long long)runs);
		else
			snprintf(buf, len, "%s", doc_str(rule, "measured"));
		break;
	case GATE_TEXT_LIMIT:
		value = doc_double(rule, "value");
		min = doc_double(rule, "min");
		max = doc_double(rule, "max");
		/* as many digits as tell it from the nearer bound */
		fmt_pair(a, b, sizeof(a), value,
			 isnan(max) || (!isnan(min) && fabs(value - min) < fabs(value - max))
			     ? min
			     : max);
		snprintf(buf, len, "%s", a);
		break;
	case GATE_TEXT_MODEL:
		snprintf(buf, len, "%s \u2192 %s", doc_str(rule, "old"), doc_str(rule, "new"));
		break;
	default:
		old = doc_double(rule, "old");
		value = doc_double(rule, "new");
		fmt_pair(a, b, sizeof(a), old, value);
		if (isnan(old) || isnan(value)) {
			snprintf(buf, len, "%s \u2192 %s", a, b);
			break;
		}
		fmt_delta(d, sizeof(d), old, value);
		snprintf(buf, len, "%s \u2192 %s (%s)", a, b, d);
		break;
	}
	return buf;
}

const char *gate_text_limit(const struct json_object *rule, char *buf, size_t len)
{
	static const char *const signs[] = {
	    [GATE_TEXT_HIGHER] = "+", [GATE_TEXT_LOWER] = "-", [GATE_TEXT_EITHER] = "\u00b1"};
	static const char *const ways[] = {[GATE_TEXT_HIGHER] = "higher is worse",
					   [GATE_TEXT_LOWER] = "lower is worse",
					   [GATE_TEXT_EITHER] = "either way"};
	char a[FMT_LEN], b[FMT_LEN];
	enum gate_text_worse worse;
	double min, max, allowed;
	__u64 runs;

	switch (gate_text_kind(rule)) {
	case GATE_TEXT_EXPECT:
		runs = doc_u64(rule, "runs");
		if (runs > 1)
			snprintf(buf, len, "%s in at least %llu/%llu runs",
				 doc_str(rule, "expected"),
				 runs_needed(doc_double(rule, "min_agreement"), runs),
				 (unsigned long long)runs);
		else
			snprintf(buf, len, "%s", doc_str(rule, "expected"));
		break;
	case GATE_TEXT_LIMIT:
		min = doc_double(rule, "min");
		max = doc_double(rule, "max");
		if (!isnan(min) && !isnan(max))
			snprintf(buf, len, ">= %s and <= %s", fmt_short(a, sizeof(a), min),
				 fmt_short(b, sizeof(b), max));
		else if (!isnan(min))
			snprintf(buf, len, ">= %s", fmt_short(a, sizeof(a), min));
		else if (!isnan(max))
			snprintf(buf, len, "<= %s", fmt_short(a, sizeof(a), max));
		else
			snprintf(buf, len, "none");
		break;
	case GATE_TEXT_MODEL:
		snprintf(buf, len, "unchanged");
		break;
	default:
		allowed = doc_double(rule, "allowed");
		worse = gate_text_worse(rule);
		if (isnan(allowed))
			snprintf(buf, len, "a number");
		else
			snprintf(buf, len, "%s%s (%s)", signs[worse],
				 fmt_short(a, sizeof(a), allowed), ways[worse]);
		break;
	}
	return buf;
}
