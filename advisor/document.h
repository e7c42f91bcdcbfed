/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The report document: what one command measured, decided and gated, as the
 * JSON report's json-c tree (reports/schema/report-1.json). Built here from
 * advisor's structs, or read back from a saved report and checked against
 * the schema; the writers in reports/ read nothing else.
 */
#ifndef ADVISOR_DOCUMENT_H
#define ADVISOR_DOCUMENT_H

#include <stddef.h>

#include "../probes/profile.h"
#include "decide.h"
#include "gate.h"
#include "repeat.h"

struct json_object;

/* Everything a report is built from. */
struct report {
	struct profile profile; /* with --repeat, that of repeat.main_run */
	struct verdict verdict;
	struct thresholds thresholds;
	struct repeat_summary repeat; /* runs == 0 unless --repeat N > 1 */
	struct gate_results gates; /* evaluated == false unless a gate was asked for */
};

/* Frees what r owns: profile, repeat and gates. */
void report_free(struct report *r);

/*
 * The document of r; NULL with errno ENOMEM. Caller frees with
 * json_object_put(). Every key of the report is added here, once, and
 * described in the schema: a unit test holds the two together.
 */
struct json_object *document_build(const struct report *r);

/*
 * Replaces the document's "gates" with gr (nothing when no gate was asked
 * for): advisor check gates a saved report. 0 or -ENOMEM.
 */
int document_set_gates(struct json_object *doc, const struct gate_results *gr);

/*
 * Reads and parses a JSON file of at most 256 MiB and 16 levels, strictly
 * (valid UTF-8, nothing after the value). Returns the tree (caller frees with
 * json_object_put()), or NULL with a one-line reason in err that starts
 * with the path.
 */
struct json_object *document_parse_file(const char *path, char *err, size_t errlen);

/*
 * Checks doc against the report's schema; 0, or -EINVAL with one line in
 * err that starts with name and names the key that is wrong.
 */
int document_check(const struct json_object *doc, const char *name, char *err, size_t errlen);

/*
 * Reads a saved report and checks it against the schema. Returns the
 * document (caller frees with json_object_put()), or NULL with a one-line
 * reason in err naming the path and the key that is wrong.
 */
struct json_object *document_read(const char *path, char *err, size_t errlen);

#endif /* ADVISOR_DOCUMENT_H */
