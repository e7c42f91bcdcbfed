// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the writers share: how numbers and durations read (reports/format.c),
 * how text from the target is made valid and inert for each output
 * (reports/text.c), and the getters every writer reads the document with
 * (reports/doc.c), with their values for what is missing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "reports/doc.h"
#include "reports/format.h"
#include "reports/text.h"

#define FFFD TEXT_REPLACEMENT
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct ns_case {
	double ns;
	const char *want;
};

Test(format, ns_at_unit_boundaries)
{
	static const struct ns_case cases[] = {
	    {0, "0 ns"},
	    {812, "812 ns"},
	    {999, "999 ns"},
	    {999.4, "999 ns"},
	    /* the unit is chosen after rounding */
	    {999.5, "1.00 \u00b5s"},
	    {1e3, "1.00 \u00b5s"},
	    {1250, "1.25 \u00b5s"},
	    {9.994e3, "9.99 \u00b5s"},
	    {9.995e3, "10.0 \u00b5s"},
	    {99.94e3, "99.9 \u00b5s"},
	    {99.95e3, "100 \u00b5s"},
	    {999.4e3, "999 \u00b5s"},
	    {999.5e3, "1.00 ms"},
	    {37.1e6, "37.1 ms"},
	    {999.5e6, "1.00 s"},
	    {2.4e9, "2.40 s"},
	    {59.9e9, "59.9 s"},
	    /* from a minute on, whole seconds, then whole minutes */
	    {59.995e9, "1 min 00 s"},
	    {185e9, "3 min 05 s"},
	    {3599.4e9, "59 min 59 s"},
	    {3599.5e9, "1 h 00 min"},
	    {3600e9, "1 h 00 min"},
	    {7620e9, "2 h 07 min"},
	    /* not a duration */
	    {NAN, "?"},
	    {-1, "?"},
	    {-0.5, "?"},
	    {INFINITY, "?"},
	    {18446744073709551616.0, "?"},
	};
	char buf[FMT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_str_eq(fmt_ns(buf, sizeof(buf), cases[i].ns), cases[i].want, "%.17g",
				 cases[i].ns);
	cr_assert_eq(fmt_ns(buf, sizeof(buf), 1), buf, "returns buf");
}

Test(format, ns_coarse)
{
	static const struct ns_case cases[] = {
	    {0, "0 ns"},
	    {999, "999 ns"},
	    {999.5, "1 \u00b5s"},
	    {4321, "4 \u00b5s"},
	    {37.1e3, "37 \u00b5s"},
	    {999.4e3, "999 \u00b5s"},
	    {999.5e3, "1 ms"},
	    {537e6, "537 ms"},
	    {30e9, "30 s"},
	    /* as fmt_ns past a minute and for what is not a duration */
	    {59.995e9, "1 min 00 s"},
	    {3600e9, "1 h 00 min"},
	    {NAN, "?"},
	    {-1, "?"},
	};
	char buf[FMT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_str_eq(fmt_ns_coarse(buf, sizeof(buf), cases[i].ns), cases[i].want,
				 "%.17g", cases[i].ns);
}

Test(format, count)
{
	char buf[FMT_LEN];

	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 0), "0");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 999), "999");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 1000), "1,000");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 999999), "999,999");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 1234567), "1,234,567");
	cr_assert_str_eq(fmt_count(buf, sizeof(buf), 18446744073709551615ULL),
			 "18,446,744,073,709,551,615");
}

struct number_case {
	double v;
	const char *number, *shortest;
};

Test(format, number_and_short)
{
	static const struct number_case cases[] = {
	    {0, "0", "0"},
	    {-0.0, "0", "0"},
	    {0.1, "0.1", "0.1"},
	    {0.5, "0.5", "0.5"},
	    {-2.5, "-2.5", "-2.5"},
	    {3, "3", "3"},
	    {1e6, "1000000", "1000000"},
	    {1e9, "1000000000", "1000000000"},
	    {123.456, "123.456", "123.456"},
	    {0.8487117695064482, "0.8487117695064482", "0.848712"},
	    {75460237.75, "75460237.75", "75460238"},
	    {250001000, "250001000", "250001000"},
	    {1e-7, "1e-07", "1e-07"},
	    {NAN, "null", "null"},
	    {INFINITY, "null", "null"},
	    {-INFINITY, "null", "null"},
	};
	char buf[FMT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct number_case *c = &cases[i];

		cr_assert_str_eq(fmt_number(buf, sizeof(buf), c->v), c->number, "%.17g", c->v);
		if (isfinite(c->v))
			cr_assert_eq(strtod(buf, NULL), c->v, "%s reads back", buf);
		cr_assert_str_eq(fmt_short(buf, sizeof(buf), c->v), c->shortest, "%.17g", c->v);
	}
}

struct pct_case {
	double share;
	const char *want;
};

Test(format, pct)
{
	static const struct pct_case cases[] = {
	    {0, "0%"},	       {1, "100%"},	    {0.42, "42%"},
	    {0.0999, "10%"},   {0.0994, "9.9%"},    {0.042, "4.2%"},
	    {0.0042, "0.42%"}, {0.00001, "<0.01%"}, {NAN, "?"},
	};
	char buf[FMT_LEN];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		cr_assert_str_eq(fmt_pct(buf, sizeof(buf), cases[i].share), cases[i].want, "%.17g",
				 cases[i].share);
}

/* Text */

struct text_case {
	const char *in;
	const char *want;
};

Test(text, utf8_sanitize)
{
	static const struct text_case cases[] = {
	    {"", ""},
	    {"plain", "plain"},
	    {"caf\xc3\xa9 \xf0\x9f\x98\x80", "caf\xc3\xa9 \xf0\x9f\x98\x80"},
	    {"a\xffz", "a" FFFD "z"},
	    {"\xfe\xfe", FFFD FFFD},
	    /* a lone continuation byte, a lead byte cut short */
	    {"\x80", FFFD},
	    {"\xe2\x82", FFFD FFFD},
	    {"\xe2\x28\xa1", FFFD "(" FFFD},
	    /* overlong forms of '/' and of U+0000 */
	    {"\xc0\xaf", FFFD FFFD},
	    {"\xc1\xbf", FFFD FFFD},
	    {"\xe0\x80\xaf", FFFD FFFD FFFD},
	    {"\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD},
	    /* UTF-16 surrogates, and past U+10FFFF */
	    {"\xed\xa0\x80", FFFD FFFD FFFD},
	    {"\xed\xbf\xbf", FFFD FFFD FFFD},
	    {"\xed\x9f\xbf", "\xed\x9f\xbf"},
	    {"\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"},
	    {"\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD},
	    {"\xf5\x80\x80\x80", FFFD FFFD FFFD FFFD},
	    /* valid if hidden: kept here, the writers hide them */
	    {"\xe2\x80\xae\xc2\x85", "\xe2\x80\xae\xc2\x85"},
	    {"\x01\x1b[31m", "\x01\x1b[31m"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = text_utf8_sanitize(cases[i].in, SIZE_MAX);

		cr_assert_not_null(out);
		cr_assert_str_eq(out, cases[i].want, "case %zu", i);
		free(out);
	}
}

Test(text, utf8_sanitize_stops_at_len_and_nul)
{
	char *out;

	out = text_utf8_sanitize("abcdef", 3);
	cr_assert_str_eq(out, "abc");
	free(out);
	out = text_utf8_sanitize("ab\0cd", 5);
	cr_assert_str_eq(out, "ab");
	free(out);
	/* a sequence cut by len is not one */
	out = text_utf8_sanitize("\xe2\x82\xac", 2);
	cr_assert_str_eq(out, FFFD FFFD);
	free(out);
	out = text_utf8_sanitize(NULL, 10);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(text, utf8_decode)
{
	unsigned int cp = 0;

	cr_assert_eq(text_utf8_decode((const unsigned char *)"A", 1, &cp), 1);
	cr_assert_eq(cp, 'A');
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	cr_assert_eq(cp, 0xe9);
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xe2\x80\xae", 3, &cp), 3);
	cr_assert_eq(cp, 0x202e);
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xf4\x8f\xbf\xbf", 4, &cp), 4);
	cr_assert_eq(cp, 0x10ffff);
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xc3\xa9", 1, &cp), 0);
	cr_assert_eq(text_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), 0);

	cr_assert(text_is_hidden_control(0x80));
	cr_assert(text_is_hidden_control(0x9f));
	cr_assert(text_is_hidden_control(0x202a));
	cr_assert(text_is_hidden_control(0x202e));
	cr_assert(text_is_hidden_control(0x2066));
	cr_assert(text_is_hidden_control(0x2069));
	cr_assert_not(text_is_hidden_control(0x7f));
	cr_assert_not(text_is_hidden_control(0xa0));
	cr_assert_not(text_is_hidden_control(0x2029));
	cr_assert_not(text_is_hidden_control(0x206a));
}

/* What a text writer printed, as a string; caller frees. */
static char *capture_html(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	if (len == SIZE_MAX)
		text_html_escape(f, s);
	else
		text_html_escape_n(f, s, len);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *capture_xml(const char *s, bool attr)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	text_xml_escape(f, s, attr);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *capture_md(const char *s)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	text_md_escape(f, s);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *capture_terminal(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	text_terminal_put(f, s, len);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

Test(text, html_escape)
{
	static const struct text_case cases[] = {
	    {"", ""},
	    {"a & b", "a &amp; b"},
	    {"<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"},
	    {"\"q\"", "&quot;q&quot;"},
	    {"&amp;", "&amp;amp;"},
	    /* tab and newline stay; other controls show as their pictures */
	    {"a\tb\nc", "a\tb\nc"},
	    {"\x01", "\xe2\x90\x81"},
	    {"\x1b[31m", "\xe2\x90\x9b[31m"},
	    {"\r", "\xe2\x90\x8d"},
	    {"\x1f", "\xe2\x90\x9f"},
	    {"\x7f", "\xe2\x90\xa1"},
	    /* hidden: bidi overrides and isolates, C1 controls; noncharacters */
	    {"\u202eevil", FFFD "evil"},
	    {"\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9", FFFD FFFD FFFD},
	    {"\xc2\x85\xc2\x9b", FFFD FFFD},
	    {"\xef\xbf\xbe\xef\xbf\xbf", FFFD FFFD},
	    /* invalid bytes; valid characters pass */
	    {"\xff\xc0\xaf", FFFD FFFD FFFD},
	    {"caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80",
	     "caf\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x98\x80"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = capture_html(cases[i].in, SIZE_MAX);

		cr_assert_str_eq(out, cases[i].want, "case %zu", i);
		free(out);
	}
}

Test(text, html_escape_n)
{
	char *out;

	out = capture_html("a<b>", 2);
	cr_assert_str_eq(out, "a&lt;");
	free(out);
	/* a character cut by len is not one */
	out = capture_html("\xc3\xa9z", 1);
	cr_assert_str_eq(out, FFFD);
	free(out);
	/* a fixed array without its NUL: no further than len */
	out = capture_html("abc", 0);
	cr_assert_str_eq(out, "");
	free(out);
	out = capture_html(NULL, 4);
	cr_assert_str_eq(out, "");
	free(out);
}

struct xml_case {
	const char *in;
	const char *text, *attr;
};

Test(text, xml_escape_text_and_attr)
{
	static const struct xml_case cases[] = {
	    {"", "", ""},
	    {"&<>\"'", "&amp;&lt;&gt;&quot;&apos;", "&amp;&lt;&gt;&quot;&apos;"},
	    {"a\tb\nc\rd", "a\tb\nc\rd", "a&#9;b&#10;c&#13;d"},
	    /* characters XML 1.0 cannot carry */
	    {"\x01\x1b\x1f", FFFD FFFD FFFD, FFFD FFFD FFFD},
	    {"\xef\xbf\xbe", FFFD, FFFD},
	    {"\xe2\x80\xae\xc2\x85", FFFD FFFD, FFFD FFFD},
	    {"\xff", FFFD, FFFD},
	    {"caf\xc3\xa9", "caf\xc3\xa9", "caf\xc3\xa9"},
	};
	char *out;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *text = capture_xml(cases[i].in, false),
		     *attr = capture_xml(cases[i].in, true);

		cr_assert_str_eq(text, cases[i].text, "case %zu text", i);
		cr_assert_str_eq(attr, cases[i].attr, "case %zu attr", i);
		free(text);
		free(attr);
	}
	out = capture_xml(NULL, true);
	cr_assert_str_eq(out, "");
	free(out);
}

Test(text, md_escape)
{
	static const struct text_case cases[] = {
	    {"", ""},
	    {"plain text.", "plain text."},
	    {"\\`*_[]<>|#!~&()", "\\\\\\`\\*\\_\\[\\]\\<\\>\\|\\#\\!\\~\\&\\(\\)"},
	    {"[a](b)", "\\[a\\]\\(b\\)"},
	    {"<b>|w`", "\\<b\\>\\|w\\`"},
	    /* a line or a cell stays one */
	    {"line\nbreak\r\tx\x01\x7f", "line break  x  "},
	    {"\u202eevil\xff", FFFD "evil" FFFD},
	    {"caf\xc3\xa9", "caf\xc3\xa9"},
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *out = capture_md(cases[i].in);

		cr_assert_str_eq(out, cases[i].want, "case %zu", i);
		free(out);
	}
	free(capture_md(NULL));
}

Test(text, terminal_put)
{
	char *out;

	out = capture_terminal("a\x1b[31mb\n\t\x7fz", SIZE_MAX);
	cr_assert_str_eq(out, "a?[31mb???z");
	free(out);
	out = capture_terminal("abcdef", 3);
	cr_assert_str_eq(out, "abc");
	free(out);
	out = capture_terminal("ab\0cd", 5);
	cr_assert_str_eq(out, "ab");
	free(out);
	out = capture_terminal("caf\xc3\xa9", SIZE_MAX);
	cr_assert_str_eq(out, "caf\xc3\xa9");
	free(out);
	out = capture_terminal(NULL, 3);
	cr_assert_str_eq(out, "");
	free(out);
}

/* The document's getters */

static const char doc_text[] =
    "{\n"
    "  \"a\": {\"b\": {\"c\": 5}},\n"
    "  \"neg\": -3,\n"
    "  \"big\": 18446744073709551615,\n"
    "  \"d\": 0.5,\n"
    "  \"i\": 7,\n"
    "  \"s\": \"str\",\n"
    "  \"t\": true,\n"
    "  \"f\": false,\n"
    "  \"n\": null,\n"
    "  \"arr\": [1, -2, \"x\", 3, null, 2.5],\n"
    "  \"objs\": [{\"k\": 1}, {\"k\": 2}],\n"
    "  \"time\": {\n"
    "    \"blocked_ns\": {\"net\": 10, \"disk\": 20, \"poll\": 30, \"lock\": 40,\n"
    "                   \"sleep\": 50, \"child\": 60, \"ipc\": 70, \"other\": 80},\n"
    "    \"internal_ns\": {\"net\": 4, \"disk\": 25, \"ipc\": 70, \"lock\": 1}\n"
    "  }\n"
    "}\n";

static struct json_object *doc;

static void doc_setup(void)
{
	doc = json_tokener_parse(doc_text);
	cr_assert_not_null(doc);
}

static void doc_teardown(void)
{
	json_object_put(doc);
}

Test(doc, get, .init = doc_setup, .fini = doc_teardown)
{
	cr_assert_eq(doc_get(doc, ""), doc);
	cr_assert_eq(json_object_get_int(doc_get(doc, "a.b.c")), 5);
	cr_assert_not_null(doc_get(doc, "a.b"));
	cr_assert_null(doc_get(doc, "a.x"));
	cr_assert_null(doc_get(doc, "a.b.c.d"), "a number has no keys");
	cr_assert_null(doc_get(doc, "s.x"));
	cr_assert_null(doc_get(doc, "arr.0"), "no indexing through a path");
	cr_assert_null(doc_get(doc, "n"));
	cr_assert_null(doc_get(doc, "nope"));
	cr_assert_null(doc_get(NULL, "a"));
}

Test(doc, numbers, .init = doc_setup, .fini = doc_teardown)
{
	cr_assert_eq(doc_u64(doc, "a.b.c"), 5);
	cr_assert_eq(doc_u64(doc, "big"), 18446744073709551615ULL);
	cr_assert_eq(doc_u64(doc, "neg"), 0, "negative");
	cr_assert_eq(doc_u64(doc, "d"), 0, "not an integer");
	cr_assert_eq(doc_u64(doc, "s"), 0);
	cr_assert_eq(doc_u64(doc, "n"), 0);
	cr_assert_eq(doc_u64(doc, "nope"), 0);
	cr_assert_eq(doc_u64(NULL, "a"), 0);

	cr_assert_eq(doc_int(doc, "neg", 42), -3);
	cr_assert_eq(doc_int(doc, "i", 42), 7);
	cr_assert_eq(doc_int(doc, "d", 42), 42);
	cr_assert_eq(doc_int(doc, "s", 42), 42);
	cr_assert_eq(doc_int(doc, "n", 42), 42);
	cr_assert_eq(doc_int(doc, "nope", -1), -1);

	cr_assert_eq(doc_double(doc, "d"), 0.5);
	cr_assert_eq(doc_double(doc, "i"), 7);
	cr_assert_eq(doc_double(doc, "neg"), -3);
	cr_assert(isnan(doc_double(doc, "s")));
	cr_assert(isnan(doc_double(doc, "n")));
	cr_assert(isnan(doc_double(doc, "t")));
	cr_assert(isnan(doc_double(doc, "nope")));
	cr_assert(isnan(doc_double(NULL, "d")));
}

Test(doc, bools_and_strings, .init = doc_setup, .fini = doc_teardown)
{
	cr_assert(doc_bool(doc, "t"));
	cr_assert_not(doc_bool(doc, "f"));
	cr_assert_not(doc_bool(doc, "i"), "7 is not true");
	cr_assert_not(doc_bool(doc, "s"));
	cr_assert_not(doc_bool(doc, "n"));
	cr_assert_not(doc_bool(doc, "nope"));

	cr_assert_str_eq(doc_str(doc, "s"), "str");
	cr_assert_str_eq(doc_str(doc, "i"), "");
	cr_assert_str_eq(doc_str(doc, "n"), "");
	cr_assert_str_eq(doc_str(doc, "a"), "");
	cr_assert_str_eq(doc_str(doc, "nope"), "");
	cr_assert_str_eq(doc_str(NULL, "s"), "");
}

Test(doc, arrays, .init = doc_setup, .fini = doc_teardown)
{
	__u64 out[8];
	struct json_object *e;

	cr_assert_eq(doc_len(doc, "arr"), 6);
	cr_assert_eq(doc_len(doc, "objs"), 2);
	cr_assert_eq(doc_len(doc, "s"), 0);
	cr_assert_eq(doc_len(doc, "a"), 0);
	cr_assert_eq(doc_len(doc, "nope"), 0);

	e = doc_at(doc, "objs", 1);
	cr_assert_not_null(e);
	cr_assert_eq(doc_u64(e, "k"), 2);
	cr_assert_null(doc_at(doc, "objs", 2));
	cr_assert_null(doc_at(doc, "s", 0));
	cr_assert_null(doc_at(doc, "nope", 0));
	cr_assert_null(doc_at(doc, "arr", 4), "null element");

	/* a histogram's slots: 0 for what is not a non-negative integer, and past the end */
	memset(out, 0xff, sizeof(out));
	doc_u64s(doc, "arr", out, 8);
	cr_assert_eq(out[0], 1);
	cr_assert_eq(out[1], 0);
	cr_assert_eq(out[2], 0);
	cr_assert_eq(out[3], 3);
	cr_assert_eq(out[4], 0);
	cr_assert_eq(out[5], 0);
	cr_assert_eq(out[6], 0);
	cr_assert_eq(out[7], 0);
	memset(out, 0xff, sizeof(out));
	doc_u64s(doc, "nope", out, 8);
	for (int i = 0; i < 8; i++)
		cr_assert_eq(out[i], 0);
}

Test(doc, causes_and_io, .init = doc_setup, .fini = doc_teardown)
{
	__u64 c[NR_CAUSES];
	struct json_object *t = doc_get(doc, "time");

	cr_assert_str_eq(doc_cause_names[CAUSE_NET], "net");
	cr_assert_str_eq(doc_cause_names[CAUSE_IPC], "ipc");
	cr_assert_str_eq(doc_cause_names[CAUSE_OTHER], "other");

	doc_causes(doc, "time.blocked_ns", c);
	for (int i = 0; i < NR_CAUSES; i++)
		cr_assert_eq(c[i], 10 * (i + 1), "%s", doc_cause_names[i]);
	doc_causes(doc, "time.internal_ns", c);
	cr_assert_eq(c[CAUSE_NET], 4);
	cr_assert_eq(c[CAUSE_DISK], 25);
	cr_assert_eq(c[CAUSE_POLL], 0, "missing");
	cr_assert_eq(c[CAUSE_IPC], 70);
	doc_causes(doc, "nope", c);
	for (int i = 0; i < NR_CAUSES; i++)
		cr_assert_eq(c[i], 0);

	/*
	 * the external part of net, disk, poll and ipc only: net 10 - 4,
	 * disk 20 - 25 (none), poll 30, ipc 70 - 70; lock, sleep, child and
	 * other are no I/O
	 */
	cr_assert_eq(doc_io_ns(t), 6 + 30);
	cr_assert_eq(doc_io_ns(doc), 0, "no cause objects");
	cr_assert_eq(doc_io_ns(NULL), 0);
}
