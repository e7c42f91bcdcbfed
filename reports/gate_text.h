/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The text of one gate rule of the report document (an element of
 * "gates.rules" in reports/schema/report-1.json) for tables, test names and
 * terminal lines: a title ("expect multiprocessing", "limit
 * verdict.confidence", "baseline duration_ns"), what was measured, and the
 * limit it was held to. advisor/gate.c decides whether a rule passed and
 * writes its message; how a rule reads everywhere else is decided here, once,
 * so that the terminal, JUnit, Markdown and HTML say the same thing.
 */
#ifndef ADVISOR_REPORTS_GATE_TEXT_H
#define ADVISOR_REPORTS_GATE_TEXT_H

#include <stddef.h>

struct json_object;

/* room for any text below of a rule whose path is shorter than 400 bytes */
#define GATE_TEXT_LEN 512

enum gate_text_kind {
	GATE_TEXT_EXPECT, /* --expect MODEL */
	GATE_TEXT_LIMIT,  /* a policy limit */
	GATE_TEXT_MODEL,  /* --baseline: the model */
	GATE_TEXT_CHANGE, /* --baseline: one metric */
};

/* The rule's "kind"; one the document does not name reads as a change. */
enum gate_text_kind gate_text_kind(const struct json_object *rule);

/*
 * The rules of a document's "gates" object that failed, counted from the
 * rules themselves (as "gates.failed" should say, but a saved report is read,
 * not trusted): what every headline and JUnit's failures count show.
 */
size_t gate_text_failed(const struct json_object *gates);

/* The direction in which a change rule's metric is worse. */
enum gate_text_worse {
	GATE_TEXT_HIGHER,
	GATE_TEXT_LOWER,
	GATE_TEXT_EITHER,
};

/* The rule's "worse"; higher when missing (the first direction, as gate.c's default). */
enum gate_text_worse gate_text_worse(const struct json_object *rule);

/*
 * Each writes at most len bytes into buf and returns buf. Numbers are short
 * (fmt_short()) unless that would show two different numbers the same
 * (0.4999999 against its bound 0.5): then both are exact (fmt_number()).
 */
const char *gate_text_title(const struct json_object *rule, char *buf, size_t len);
const char *gate_text_measured(const struct json_object *rule, char *buf, size_t len);
const char *gate_text_limit(const struct json_object *rule, char *buf, size_t len);

#endif /* ADVISOR_REPORTS_GATE_TEXT_H */
