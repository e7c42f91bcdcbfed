// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The gate rules. Bounds are inclusive: a value exactly at a limit passes,
 * and a baseline metric that moved exactly by its tolerance passes. A value
 * that is not a number (the report's null) never passes: a gate that cannot
 * see its metric must not be green.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../reports/format.h"
#include "gate.h"

const char *const gate_kind_names[NR_GATE_KINDS] = {
    [GATE_EXPECT] = "expect",
    [GATE_LIMIT] = "limit",
    [GATE_MODEL] = "model",
    [GATE_CHANGE] = "change",
};

const char *const gate_worse_names[NR_GATE_WORSE] = {
    [GATE_WORSE_HIGHER] = "higher",
    [GATE_WORSE_LOWER] = "lower",
    [GATE_WORSE_EITHER] = "either",
};

int gate_name_index(const char *const *names, int n, const char *name)
{
	for (int i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], name))
			return i;
	return -1;
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

static const char *model_name(enum model m)
{
	return (unsigned int)m < NR_MODELS ? model_names[m] : "?";
}

static void rule_init(struct gate_rule *g, enum gate_kind kind, const char *path)
{
	memset(g, 0, sizeof(*g));
	g->kind = kind;
	snprintf(g->path, sizeof(g->path), "%s", path);
	g->value = g->min = g->max = NAN;
	g->old = g->abs = g->rel = g->allowed = NAN;
	g->min_agreement = NAN;
}

/* Runs out of n that min_agreement asks for, at least 1. */
static unsigned int runs_needed(double min_agreement, unsigned int n)
{
	/* 0.8 * 5 is 4.000000000000001 in binary: not 5 runs */
	double need = ceil(min_agreement * n - 1e-9);

	return need < 1 ? 1 : need > n ? n : (unsigned int)need;
}

void gate_expect(struct gate_rule *g, enum model want, enum model got, const char *reason,
		 const unsigned int counts[NR_MODELS], unsigned int runs, double min_agreement)
{
	unsigned int need, agree;
	char why[64] = "", a[32];

	rule_init(g, GATE_EXPECT, "verdict.model");
	if (runs < 1)
		runs = 1;
	snprintf(g->want, sizeof(g->want), "%s", model_name(want));
	snprintf(g->got, sizeof(g->got), "%s", model_name(got));
	agree = (unsigned int)want < NR_MODELS && counts ? counts[want] : 0;
	if (agree > runs)
		agree = runs;
	g->agree = agree;
	g->runs = runs;
	g->min_agreement = min_agreement;
	need = runs_needed(min_agreement, runs);
	g->passed = want != MODEL_INCONCLUSIVE && agree >= need;
	if (reason && reason[0])
		snprintf(why, sizeof(why), " (%.40s)", reason);

	if (runs == 1) {
		if (g->passed)
			snprintf(g->message, sizeof(g->message), "verdict %s, as expected",
				 g->want);
		else
			snprintf(g->message, sizeof(g->message), "verdict is %s%s, expected %s",
				 g->got, why, g->want);
		return;
	}
	if (g->passed)
		snprintf(g->message, sizeof(g->message),
			 "verdict %s in %u/%u runs, as expected (%u needed)", g->want, agree, runs,
			 need);
	else
		snprintf(g->message, sizeof(g->message),
			 "verdict %s in %u/%u runs, %u needed (min_agreement %s); the runs' "
			 "verdict is %s%s",
			 g->want, agree, runs, need, fmt_number(a, sizeof(a), min_agreement),
			 g->got, why);
}

void gate_limit(struct gate_rule *g, const char *path, double value, double min, double max)
{
	char v[32], lo[32], hi[32];

	rule_init(g, GATE_LIMIT, path);
	g->value = value;
	g->min = min;
	g->max = max;
	char v2[32];

	/* the bound nearest to the value decides how many digits both need */
	fmt_pair(v, lo, sizeof(v), value, min);
	fmt_pair(v2, hi, sizeof(v2), value, max);
	if (strlen(v2) > strlen(v))
		memcpy(v, v2, sizeof(v));
	if (isnan(value)) {
		snprintf(g->message, sizeof(g->message), "%s is not a number (null)", path);
	} else if (!isnan(min) && value < min) {
		snprintf(g->message, sizeof(g->message), "%s %s is below min %s", path, v, lo);
	} else if (!isnan(max) && value > max) {
		snprintf(g->message, sizeof(g->message), "%s %s is above max %s", path, v, hi);
	} else {
		g->passed = true;
		if (!isnan(min) && !isnan(max))
			snprintf(g->message, sizeof(g->message),
				 "%s %s is within min %s and max %s", path, v, lo, hi);
		else
			snprintf(g->message, sizeof(g->message), "%s %s is within %s %s", path, v,
				 isnan(min) ? "max" : "min", isnan(min) ? hi : lo);
	}
}

void gate_model(struct gate_rule *g, enum model old, enum model new)
{
	rule_init(g, GATE_MODEL, "verdict.model");
	snprintf(g->want, sizeof(g->want), "%s", model_name(old));
	snprintf(g->got, sizeof(g->got), "%s", model_name(new));
	g->passed = old == new;
	if (g->passed)
		snprintf(g->message, sizeof(g->message), "model unchanged: %s", g->got);
	else
		snprintf(g->message, sizeof(g->message), "model changed: %s \u2192 %s", g->want,
			 g->got);
}

void gate_change(struct gate_rule *g, const char *path, double old, double new, double abs,
		 double rel, enum gate_worse worse)
{
	char o[32], n[32], d[64], al[32];
	double delta = new - old, bad, allowed, slack;
	const char *sign;

	rule_init(g, GATE_CHANGE, path);
	g->old = old;
	g->value = new;
	g->abs = abs;
	g->rel = rel;
	g->worse = worse;
	fmt_pair(o, n, sizeof(o), old, new);
	if (isnan(old) || isnan(new)) {
		snprintf(g->message, sizeof(g->message), "%s: %s \u2192 %s: not a number", path, o,
			 n);
		return;
	}
	allowed = fmax(isnan(abs) ? 0 : abs, isnan(rel) ? 0 : rel * fabs(old));
	g->allowed = allowed;
	bad = worse == GATE_WORSE_HIGHER ? delta : worse == GATE_WORSE_LOWER ? -delta : fabs(delta);
	/* rel * old is rounded: a move of exactly the tolerance must not fail on the last bit */
	slack = 1e-12 * fmax(fmax(fabs(old), fabs(new)), allowed);
	g->passed = bad <= allowed + slack;

	if (old == new) {
		snprintf(g->message, sizeof(g->message), "unchanged: %s %s", path, n);
		return;
	}
	fmt_delta(d, sizeof(d), old, new);
	sign = worse == GATE_WORSE_HIGHER ? "+" : worse == GATE_WORSE_LOWER ? "-" : "\u00b1";
	fmt_short(al, sizeof(al), allowed);
	snprintf(g->message, sizeof(g->message), "changed: %s %s \u2192 %s (%s), %s %s%s allowed",
		 path, o, n, d, g->passed ? "within" : "past", sign, al);
}

void gate_missing(struct gate_rule *g, enum gate_kind kind, const char *path, const char *why)
{
	rule_init(g, kind, path);
	snprintf(g->message, sizeof(g->message), "%s: %s", path, why);
}

int gate_results_add(struct gate_results *gr, const struct gate_rule *g)
{
	struct gate_rule *n = realloc(gr->rules, (gr->nr + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	gr->rules = n;
	gr->rules[gr->nr++] = *g;
	if (!g->passed)
		gr->nr_failed++;
	return 0;
}

void gate_results_free(struct gate_results *gr)
{
	free(gr->rules);
	memset(gr, 0, sizeof(*gr));
}
