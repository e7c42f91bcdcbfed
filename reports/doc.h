/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reading the report document: the JSON report (reports/schema/report-1.json)
 * as a json-c tree, the one thing every writer reads. A fresh run and a saved
 * report reach the writers the same way, so they render the same.
 *
 * A path is keys joined by dots ("verdict.drivers.io_fraction"). Keys added
 * since the first reports are optional: every getter has a value for a key
 * that is missing (or null, or of another type), documented with it.
 */
#ifndef ADVISOR_REPORTS_DOC_H
#define ADVISOR_REPORTS_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

#include "../bpf/abi.h"

struct json_object;

/* "net", "disk", ... in enum cause order, as the report names them. */
extern const char *const doc_cause_names[NR_CAUSES];

/* The models a report names, in the order it counts them (repeat.verdicts). */
#define DOC_NR_MODELS 4
extern const char *const doc_model_names[DOC_NR_MODELS];

/*
 * The model at path, as one of doc_model_names (safe to print as it is), or
 * NULL when it is anything else.
 */
const char *doc_model(const struct json_object *o, const char *path);
/* As doc_model(), "?" for NULL. */
const char *doc_model_or_unknown(const struct json_object *o, const char *path);

/*
 * The entry of a repeated metric in repeat.metrics, or NULL when the command
 * was not repeated or the metric was not. A metric path is one key there
 * ("verdict.confidence"), looked up whole.
 */
struct json_object *doc_repeated(const struct json_object *doc, const char *path);

/* The value at path below o, or NULL when a key is missing or o is NULL. */
struct json_object *doc_get(const struct json_object *o, const char *path);

/* An integer >= 0; 0 when missing, null, negative or not a number. */
__u64 doc_u64(const struct json_object *o, const char *path);
/* An integer; def when missing or not a number. */
long long doc_int(const struct json_object *o, const char *path, long long def);
/* A number; NAN when missing, null or not a number. */
double doc_double(const struct json_object *o, const char *path);
/* A boolean; false unless it is true. */
bool doc_bool(const struct json_object *o, const char *path);
/* A string; "" when missing or not a string. Borrowed from the tree. */
const char *doc_str(const struct json_object *o, const char *path);

/* Elements of the array at path; 0 when it is not an array. */
size_t doc_len(const struct json_object *o, const char *path);
/* Element i of the array at path, or NULL. */
struct json_object *doc_at(const struct json_object *o, const char *path, size_t i);

/*
 * The numbers of an integer array at path into out[0..n), 0 past its end or
 * where an element is not a non-negative integer (a histogram's slots).
 */
void doc_u64s(const struct json_object *o, const char *path, __u64 *out, size_t n);

/*
 * Reads an object of the eight causes ({"net": ns, ...}, as time.blocked_ns)
 * into out; a missing cause is 0.
 */
void doc_causes(const struct json_object *o, const char *path, __u64 out[NR_CAUSES]);

/*
 * The I/O of the decision from a blocked/internal pair of cause objects
 * below o (as in time and in each thread): the external part of each cause
 * in IO_CAUSES (bpf/abi.h).
 */
__u64 doc_io_ns(const struct json_object *o);

/*
 * The lists of the stacks section (stacks.<kind>), in the order the report
 * writes them: the eight causes, then "cpu" (STACKS_CPU in probes/profile.h).
 */
#define DOC_NR_STACK_KINDS (NR_CAUSES + 1)
#define DOC_STACK_CPU NR_CAUSES
extern const char *const doc_stack_kinds[DOC_NR_STACK_KINDS];

/* A stack entry's time: wait_ns, or cpu_ns for an on-CPU stack. */
__u64 doc_stack_time(const struct json_object *entry);

/*
 * A frame's name to show: its function, else "[" the module's file name "]",
 * else "[unknown]". Borrowed from the tree or written into buf.
 */
const char *doc_frame_name(const struct json_object *frame, char *buf, size_t len);

#endif /* ADVISOR_REPORTS_DOC_H */
