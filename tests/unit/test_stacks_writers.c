// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The writers of the stacks and findings (reports/folded.c, sarif.c,
 * pprof.c): each from a document built from fixture stacks, and each with a
 * function name carrying quotes, markup, ';', a line break and bytes that
 * are not UTF-8.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "reports/report.h"
#include "gates_fixture.h"
#include "stacks_fixture.h"

/* An async verdict over the client's stacks, with hostile ones when asked. */
static struct json_object *stacks_doc(bool hostile)
{
	struct json_object *doc;
	struct report r;

	fx_report(&r, MODEL_ASYNC, 0.9, 200000000);
	fx_client_stacks(&r.profile.stacks);
	if (hostile) {
		fx_stack_add(&r.profile.stacks, CAUSE_NET, fx_hostile, FX_NR(fx_hostile), 40000000,
			     4, true);
		fx_stack_add(&r.profile.stacks, STACKS_CPU, fx_hostile, FX_NR(fx_hostile),
			     1000, 1, false);
	}
	findings_compute(&r.profile, &r.verdict);
	doc = document_build(&r);
	cr_assert_not_null(doc, "document_build: %s", strerror(errno));
	report_free(&r);
	return doc;
}

/* What a writer wrote, NUL-terminated; *len its length. Caller frees. */
static char *write_to_memory(int (*writer)(FILE *, const struct json_object *),
			     const struct json_object *doc, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	cr_assert_eq(writer(f, doc), 0);
	cr_assert_eq(fclose(f), 0);
	if (len)
		*len = n;
	return buf;
}

/* ---- folded ---- */

Test(folded, exact)
{
	static const char want[] =
		"[net];main;fetch_page;recv 720000000\n"
		"[net];main;open_conn;connect 180000000\n"
		"[net internal];main;fetch_page;recv 50000000\n"
		"[disk];main;load_config;read 100000000\n"
		"[cpu];main;parse_html 300000000\n"
		"[cpu];__libc_start_main;memcpy;[unknown] 100000000\n";
	struct json_object *doc = stacks_doc(false);
	char *out = write_to_memory(report_folded_write, doc, NULL);

	cr_expect_str_eq(out, want);
	free(out);
	json_object_put(doc);
}

Test(folded, hostile_names_stay_one_frame_on_one_line)
{
	struct json_object *doc = stacks_doc(true);
	char *out = write_to_memory(report_folded_write, doc, NULL);

	/* ';' would split the frame, '\n' the line; bad UTF-8 was U+FFFD in the document */
	cr_expect_not_null(strstr(out, "[net];main;op\"er<ator>:&'x?\xef\xbf\xbd\xef\xbf\xbd 40000000\n"),
			   "%s", out);
	cr_expect_not_null(strstr(out, "[cpu];main;op\"er<ator>:&'x?\xef\xbf\xbd\xef\xbf\xbd 1000\n"),
			   "%s", out);
	free(out);
	json_object_put(doc);
}

Test(folded, no_stacks_no_lines)
{
	struct json_object *doc;
	struct report r;
	char *out;

	fx_report(&r, MODEL_ASYNC, 0.9, 200000000);
	doc = document_build(&r);
	cr_assert_not_null(doc);
	out = write_to_memory(report_folded_write, doc, NULL);
	cr_expect_str_eq(out, "");
	free(out);
	json_object_put(doc);
	report_free(&r);
}

/* ---- SARIF ---- */

static struct json_object *get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v), "no key %s in %s", key,
		  json_object_to_json_string(o));
	return v;
}

static const char *get_str(struct json_object *o, const char *key)
{
	struct json_object *v = get(o, key);

	cr_assert(json_object_is_type(v, json_type_string), "%s is not a string", key);
	return json_object_get_string(v);
}

/* The SARIF text parsed back strictly: valid JSON and valid UTF-8. */
static struct json_object *sarif_of(struct json_object *doc)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *sarif;
	size_t len;
	char *out = write_to_memory(report_sarif_write, doc, &len);

	cr_assert_not_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	sarif = json_tokener_parse_ex(tok, out, (int)len);
	cr_assert_not_null(sarif, "not JSON: %s\n%s",
			   json_tokener_error_desc(json_tokener_get_error(tok)), out);
	json_tokener_free(tok);
	free(out);
	return sarif;
}

/*
 * What SARIF 2.1.0 requires of a log and of what we write (sections 3.13,
 * 3.14, 3.19, 3.27, 3.28, 3.29, 3.30, 3.33, 3.49), and what code scanning
 * reads: each result's rule, message and physical location.
 */
static void check_sarif_log(struct json_object *sarif)
{
	struct json_object *runs = get(sarif, "runs"), *run, *driver, *rules, *results;

	cr_expect(strstr(get_str(sarif, "$schema"), "sarif-2.1.0"));
	cr_expect_str_eq(get_str(sarif, "version"), "2.1.0");
	cr_assert(json_object_is_type(runs, json_type_array));
	cr_assert_eq(json_object_array_length(runs), 1);
	run = json_object_array_get_idx(runs, 0);
	driver = get(get(run, "tool"), "driver");
	cr_expect_str_eq(get_str(driver, "name"), "advisor");
	cr_expect_neq(strlen(get_str(driver, "version")), 0);
	rules = get(driver, "rules");
	cr_assert_eq(json_object_array_length(rules), 5);
	for (size_t i = 0; i < 5; i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);

		cr_expect_neq(strlen(get_str(r, "id")), 0);
		cr_expect_neq(strlen(get_str(get(r, "shortDescription"), "text")), 0);
		for (size_t k = 0; k < i; k++)
			cr_expect_str_neq(get_str(r, "id"),
					  get_str(json_object_array_get_idx(rules, k), "id"));
	}
	results = get(run, "results");
	cr_assert(json_object_is_type(results, json_type_array));
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		struct json_object *res = json_object_array_get_idx(results, i), *loc;
		int ri = json_object_get_int(get(res, "ruleIndex"));

		cr_assert(ri >= 0 && ri < 5);
		cr_expect_str_eq(get_str(res, "ruleId"),
				 get_str(json_object_array_get_idx(rules, ri), "id"));
		cr_expect_neq(strlen(get_str(get(res, "message"), "text")), 0);
		loc = json_object_array_get_idx(get(res, "locations"), 0);
		cr_assert_not_null(loc);
		cr_expect_neq(strlen(get_str(get(get(loc, "physicalLocation"), "artifactLocation"),
					     "uri")),
			      0);
	}
}

Test(sarif, findings_as_results)
{
	struct json_object *doc = stacks_doc(false), *sarif = sarif_of(doc);
	struct json_object *run, *res, *loc, *phys, *logical;

	check_sarif_log(sarif);
	run = json_object_array_get_idx(get(sarif, "runs"), 0);
	cr_assert_eq(json_object_array_length(get(run, "results")), 3);
	res = json_object_array_get_idx(get(run, "results"), 0);
	cr_expect_str_eq(get_str(res, "ruleId"), "io-wait");
	cr_expect_str_eq(get_str(get(res, "message"), "text"),
			 "80% of the external net wait (720 ms, 90 waits) is in recv called from "
			 "fetch_page (client.c:88).");
	loc = json_object_array_get_idx(get(res, "locations"), 0);
	phys = get(loc, "physicalLocation");
	cr_expect_str_eq(get_str(get(phys, "artifactLocation"), "uri"), "file:///src/client.c");
	cr_expect_eq(json_object_get_int(get(get(phys, "region"), "startLine")), 88);
	logical = json_object_array_get_idx(get(loc, "logicalLocations"), 0);
	cr_expect_str_eq(get_str(logical, "name"), "fetch_page");
	cr_expect_str_eq(get_str(logical, "kind"), "function");
	cr_expect_str_eq(get_str(get(run, "properties"), "model"), "async");
	json_object_put(sarif);
	json_object_put(doc);
}

/* A finding without a file is located at its binary, with no region. */
Test(sarif, cpu_finding_without_a_file)
{
	struct json_object *doc, *sarif, *res, *phys;
	struct report r;

	fx_report(&r, MODEL_MULTIPROCESSING, 0.1, 2000000000);
	fx_client_stacks(&r.profile.stacks);
	findings_compute(&r.profile, &r.verdict);
	doc = document_build(&r);
	cr_assert_not_null(doc);
	sarif = sarif_of(doc);
	check_sarif_log(sarif);
	res = json_object_array_get_idx(
		get(json_object_array_get_idx(get(sarif, "runs"), 0), "results"), 1);
	cr_expect_str_eq(get_str(res, "ruleId"), "cpu-time");
	cr_expect_str_eq(get_str(get(res, "message"), "text"),
			 "25% of the time on CPU (100 ms, 10 samples) is in memcpy.");
	phys = get(json_object_array_get_idx(get(res, "locations"), 0), "physicalLocation");
	cr_expect_str_eq(get_str(get(phys, "artifactLocation"), "uri"),
			 "file:///usr/lib/x86_64-linux-gnu/libc.so.6");
	cr_expect_not(json_object_object_get_ex(phys, "region", NULL));
	json_object_put(sarif);
	json_object_put(doc);
	report_free(&r);
}

Test(sarif, hostile_names_stay_valid)
{
	struct json_object *doc, *sarif, *res, *loc;
	struct report r;
	const char *uri;

	fx_report(&r, MODEL_ASYNC, 0.9, 200000000);
	fx_stack_add(&r.profile.stacks, CAUSE_NET, fx_hostile, FX_NR(fx_hostile), 40000000, 4, true);
	findings_compute(&r.profile, &r.verdict);
	doc = document_build(&r);
	cr_assert_not_null(doc);
	sarif = sarif_of(doc);
	check_sarif_log(sarif);
	res = json_object_array_get_idx(
		get(json_object_array_get_idx(get(sarif, "runs"), 0), "results"), 0);
	loc = json_object_array_get_idx(get(res, "locations"), 0);
	uri = get_str(get(get(loc, "physicalLocation"), "artifactLocation"), "uri");
	cr_expect_str_eq(uri, "file:///src/we%22ird%3Cdir%3E/f%3Ble%0A.c");
	cr_expect_str_eq(get_str(json_object_array_get_idx(get(loc, "logicalLocations"), 0), "name"),
			 "op\"er<ator>;&'x\n\xef\xbf\xbd\xef\xbf\xbd");
	json_object_put(sarif);
	json_object_put(doc);
	report_free(&r);
}
