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
		"[net];main;fetch_page;recv;tcp_recvmsg_[k];__schedule_[k] 720000000\n"
		"[net];main;open_conn;connect 180000000\n"
		"[net internal];main;fetch_page;recv;tcp_recvmsg_[k];__schedule_[k] 50000000\n"
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

/* ---- pprof: gunzip, then a minimal protobuf reader ---- */

#include <zlib.h>

struct pb {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t pb_varint(struct pb *r)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = true;
			return 0;
		}
		v |= (uint64_t)(*r->p & 0x7f) << shift;
		if (!(*r->p++ & 0x80))
			return v;
	}
	r->bad = true;
	return v;
}

/* The next field: its number, and a varint's value or a length-delimited field's bytes. */
static bool pb_next(struct pb *r, unsigned int *field, uint64_t *v, struct pb *sub)
{
	uint64_t key;

	if (r->p >= r->end || r->bad)
		return false;
	key = pb_varint(r);
	*field = (unsigned int)(key >> 3);
	switch (key & 7) {
	case 0:
		*v = pb_varint(r);
		return !r->bad;
	case 2:
		*v = pb_varint(r);
		cr_assert_leq(*v, (uint64_t)(r->end - r->p), "field %u runs past its message", *field);
		sub->p = r->p;
		sub->end = r->p + *v;
		sub->bad = false;
		r->p += *v;
		return true;
	default:
		cr_assert_fail("field %u has wire type %u, which we never write", *field,
			       (unsigned int)(key & 7));
	}
	return false;
}

#define PB_MAX 64

struct decoded {
	char *strings[PB_MAX];
	size_t nr_strings;
	uint64_t sample_type[2][2]; /* type, unit */
	size_t nr_sample_types;
	struct { uint64_t locs[8], vals[2], labels[2][2]; size_t nr_locs, nr_vals, nr_labels; } samples[PB_MAX];
	size_t nr_samples;
	uint64_t loc_fn[PB_MAX + 1], loc_line[PB_MAX + 1]; /* by location id */
	uint64_t fn_name[PB_MAX + 1], fn_file[PB_MAX + 1]; /* by function id */
	uint64_t default_type, period, duration;
};

static void decode_sample(struct pb *r, struct decoded *d)
{
	unsigned int field;
	uint64_t v;
	struct pb sub, lab;

	cr_assert_lt(d->nr_samples, PB_MAX);
	typeof(d->samples[0]) *s = &d->samples[d->nr_samples++];
	while (pb_next(r, &field, &v, &sub)) {
		if (field == 1)
			while (sub.p < sub.end && s->nr_locs < 8)
				s->locs[s->nr_locs++] = pb_varint(&sub);
		else if (field == 2)
			while (sub.p < sub.end && s->nr_vals < 2)
				s->vals[s->nr_vals++] = pb_varint(&sub);
		else if (field == 3) {
			unsigned int lf;
			uint64_t lv;

			cr_assert_lt(s->nr_labels, 2);
			while (pb_next(&sub, &lf, &lv, &lab))
				if (lf == 1 || lf == 2)
					s->labels[s->nr_labels][lf - 1] = lv;
			s->nr_labels++;
		}
	}
}

static struct decoded *decode(const unsigned char *gz, size_t gzlen)
{
	static unsigned char raw[1 << 20];
	struct decoded *d = calloc(1, sizeof(*d));
	z_stream zs = { 0 };
	unsigned int field;
	uint64_t v;
	struct pb r, sub, inner;

	cr_assert_not_null(d);
	cr_assert_eq(gz[0], 0x1f, "not gzip");
	cr_assert_eq(gz[1], 0x8b, "not gzip");
	cr_assert_eq(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)gz;
	zs.avail_in = (uInt)gzlen;
	zs.next_out = raw;
	zs.avail_out = sizeof(raw);
	cr_assert_eq(inflate(&zs, Z_FINISH), Z_STREAM_END, "gzip stream does not end");
	r = (struct pb){ raw, raw + zs.total_out, false };
	inflateEnd(&zs);

	while (pb_next(&r, &field, &v, &sub)) {
		unsigned int f2;
		uint64_t v2, id = 0, a = 0, b = 0;

		switch (field) {
		case 1: /* sample_type */
		case 11: /* period_type */
			while (pb_next(&sub, &f2, &v2, &inner))
				if (field == 1 && (f2 == 1 || f2 == 2))
					d->sample_type[d->nr_sample_types][f2 - 1] = v2;
			d->nr_sample_types += field == 1;
			break;
		case 2:
			decode_sample(&sub, d);
			break;
		case 4: /* location: id, address, line{function_id, line} */
			while (pb_next(&sub, &f2, &v2, &inner)) {
				unsigned int f3;
				uint64_t v3;
				struct pb x;

				if (f2 == 1)
					id = v2;
				if (f2 == 4)
					while (pb_next(&inner, &f3, &v3, &x))
						*(f3 == 1 ? &a : &b) = v3;
			}
			cr_assert(id >= 1 && id <= PB_MAX);
			d->loc_fn[id] = a;
			d->loc_line[id] = b;
			break;
		case 5: /* function: id, name, system_name, filename */
			while (pb_next(&sub, &f2, &v2, &inner))
				if (f2 == 1)
					id = v2;
				else if (f2 == 2)
					a = v2;
				else if (f2 == 4)
					b = v2;
			cr_assert(id >= 1 && id <= PB_MAX);
			d->fn_name[id] = a;
			d->fn_file[id] = b;
			break;
		case 6:
			cr_assert_lt(d->nr_strings, PB_MAX);
			d->strings[d->nr_strings++] = strndup((const char *)sub.p, v);
			break;
		case 10:
			d->duration = v;
			break;
		case 12:
			d->period = v;
			break;
		case 14:
			d->default_type = v;
			break;
		}
	}
	cr_assert_not(r.bad, "malformed protobuf");
	return d;
}

static const char *str_at(const struct decoded *d, uint64_t i)
{
	cr_assert_lt(i, d->nr_strings, "string %llu past the table", (unsigned long long)i);
	return d->strings[i];
}

/* The sample's frames as "recv<fetch_page<main", its labels as "cause=net,wait=external". */
static void sample_text(const struct decoded *d, size_t i, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t k = 0; k < d->samples[i].nr_locs; k++) {
		uint64_t loc = d->samples[i].locs[k];

		cr_assert(loc >= 1 && loc <= PB_MAX);
		used += snprintf(buf + used, len - used, "%s%s:%llu", k ? "<" : "",
				 str_at(d, d->fn_name[d->loc_fn[loc]]),
				 (unsigned long long)d->loc_line[loc]);
	}
	for (size_t k = 0; k < d->samples[i].nr_labels; k++)
		used += snprintf(buf + used, len - used, "%s%s=%s", k ? "," : " ",
				 str_at(d, d->samples[i].labels[k][0]),
				 str_at(d, d->samples[i].labels[k][1]));
	snprintf(buf + used, len - used, " %llu/%llu", (unsigned long long)d->samples[i].vals[0],
		 (unsigned long long)d->samples[i].vals[1]);
}

static void decoded_free(struct decoded *d)
{
	for (size_t i = 0; i < d->nr_strings; i++)
		free(d->strings[i]);
	free(d);
}

Test(pprof, decodes_back_to_the_stacks)
{
	static const char *const want[] = {
		"__schedule:0<tcp_recvmsg:0<recv:0<fetch_page:88<main:120 cause=net,wait=external 720000000/0",
		"connect:0<open_conn:40<main:118 cause=net,wait=external 180000000/0",
		"__schedule:0<tcp_recvmsg:0<recv:0<fetch_page:88<main:120 cause=net,wait=internal 50000000/0",
		"read:0<load_config:12<main:110 cause=disk,wait=external 100000000/0",
		"parse_html:230<main:125 cause=cpu 0/300000000",
		"[unknown]:0<memcpy:0<__libc_start_main:0 cause=cpu 0/100000000",
	};
	struct json_object *doc = stacks_doc(false);
	size_t len;
	unsigned char *out = (unsigned char *)write_to_memory(report_pprof_write, doc, &len);
	struct decoded *d = decode(out, len);
	char text[512];

	cr_assert_gt(d->nr_strings, 0);
	cr_expect_str_eq(d->strings[0], "", "string_table[0] must be empty");
	cr_assert_eq(d->nr_sample_types, 2);
	cr_expect_str_eq(str_at(d, d->sample_type[0][0]), "wait");
	cr_expect_str_eq(str_at(d, d->sample_type[0][1]), "nanoseconds");
	cr_expect_str_eq(str_at(d, d->sample_type[1][0]), "cpu");
	cr_expect_str_eq(str_at(d, d->sample_type[1][1]), "nanoseconds");
	cr_expect_str_eq(str_at(d, d->default_type), "wait");
	cr_expect_eq(d->period, 10000000, "300 ms over 30 samples");
	cr_expect_eq(d->duration, 1000000000);
	cr_assert_eq(d->nr_samples, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d->nr_samples; i++) {
		sample_text(d, i, text, sizeof(text));
		cr_expect_str_eq(text, want[i]);
	}
	/* a function is written once, however many stacks it is in */
	for (size_t i = 1; i < d->nr_strings; i++)
		for (size_t k = 0; k < i; k++)
			cr_expect_str_neq(d->strings[i], d->strings[k]);
	decoded_free(d);
	free(out);
	json_object_put(doc);
}

Test(pprof, hostile_names_are_the_documents_strings)
{
	struct json_object *doc = stacks_doc(true);
	size_t len;
	unsigned char *out = (unsigned char *)write_to_memory(report_pprof_write, doc, &len);
	struct decoded *d = decode(out, len);
	bool found = false;

	for (size_t i = 0; i < d->nr_strings; i++)
		found = found || !strcmp(d->strings[i], "op\"er<ator>;&'x\n\xef\xbf\xbd\xef\xbf\xbd");
	cr_expect(found, "the hostile name, as the document has it, is in the string table");
	cr_expect_eq(d->nr_samples, 8);
	decoded_free(d);
	free(out);
	json_object_put(doc);
}

Test(pprof, same_document_same_bytes)
{
	struct json_object *doc = stacks_doc(false);
	size_t l1, l2;
	char *a = write_to_memory(report_pprof_write, doc, &l1);
	char *b = write_to_memory(report_pprof_write, doc, &l2);

	cr_assert_eq(l1, l2);
	cr_expect_eq(memcmp(a, b, l1), 0);
	free(a);
	free(b);
	json_object_put(doc);
}

Test(output, stacks_formats_by_extension)
{
	cr_expect_eq(report_format_of("x.folded"), REPORT_FOLDED);
	cr_expect_eq(report_format_of("out/x.sarif"), REPORT_SARIF);
	cr_expect_eq(report_format_of("X.SARIF"), REPORT_SARIF);
	cr_expect_eq(report_format_of("x.pb.gz"), REPORT_PPROF);
	cr_expect_eq(report_format_of("dir/prof.PB.GZ"), REPORT_PPROF);
	cr_expect_eq(report_format_of("x.gz"), REPORT_UNKNOWN);
	cr_expect_eq(report_format_of("a.pb/x.gz"), REPORT_UNKNOWN);
	cr_expect_eq(report_format_of(".pb.gz"), REPORT_PPROF);
}

/* ---- Markdown ---- */

Test(markdown, findings_table)
{
	struct json_object *doc = stacks_doc(true);
	char *out = write_to_memory(report_markdown_write, doc, NULL), *table, *end;

	table = strstr(out, "## Findings\n\n| share | time | of | call | in | at |\n");
	cr_assert_not_null(table, "%s", out);
	cr_expect_not_null(strstr(table, "| 77% | 720 ms | io net | recv | fetch\\_page | client.c:88 |\n"),
			   "%s", table);
	/* the hostile name stays in its cell: every line of the table is a row */
	end = strstr(table, "\n\n## ");
	for (char *l = strstr(table, "\n|"); l && (!end || l < end); l = strstr(l + 1, "\n"))
		if (l[1] && l[1] != '\n' && (!end || l < end))
			cr_expect_eq(l[1], '|', "a line of the table is not a row: %.40s", l + 1);
	free(out);
	json_object_put(doc);
}

/* ---- HTML flame graphs ---- */

Test(html_flame, a_graph_per_cause_and_cpu_escaped)
{
	struct json_object *doc = stacks_doc(true);
	char *out = write_to_memory(report_html_write, doc, NULL);
	char *sec = strstr(out, "<section id=\"flames\">");

	cr_assert_not_null(sec);
	cr_expect_not_null(strstr(sec, "<figcaption>Waits: net, "));
	cr_expect_not_null(strstr(sec, "<figcaption>Waits: disk, "));
	cr_expect_not_null(strstr(sec, "<figcaption>On CPU, "));
	cr_expect_null(strstr(sec, "<figcaption>Waits: lock"), "no lock stacks, no graph");
	cr_expect_not_null(strstr(sec, "data-fn=\"fetch_page\"><title>fetch_page: 770 ms"));
	/* the hostile name: escaped in the attribute, the title and the label */
	cr_expect_not_null(strstr(sec, "data-fn=\"op&quot;er&lt;ator&gt;;&amp;&#39;x\n"));
	cr_expect_null(strstr(sec, "<ator>"));
	cr_expect_null(strstr(sec, "er\"er"));
	free(out);
	json_object_put(doc);
}

Test(html_flame, none_without_stacks)
{
	struct json_object *doc;
	struct report r;
	char *out;

	fx_report(&r, MODEL_ASYNC, 0.9, 200000000);
	doc = document_build(&r);
	cr_assert_not_null(doc);
	out = write_to_memory(report_html_write, doc, NULL);
	cr_expect_null(strstr(out, "id=\"flames\""));
	free(out);
	json_object_put(doc);
	report_free(&r);
}
