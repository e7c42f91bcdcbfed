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
