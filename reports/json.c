// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON report: the document printed with two-space indentation, and
 * arrays of numbers (histograms, per-run values) and the objects of numbers
 * inside an array (timeline buckets) each on one line, so that a report stays
 * short enough to read and to diff. Numbers print in their shortest exact
 * form, so a report read and written again is the same text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "format.h"
#include "report.h"

static bool is_number(const struct json_object *o)
{
	return !o || json_object_is_type(o, json_type_int) || json_object_is_type(o, json_type_double);
}

/* An array of numbers (and nulls), or an object of numbers that is an array's element. */
static bool prints_on_one_line(const struct json_object *o, bool in_array)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);

		for (size_t i = 0; i < n; i++)
			if (!is_number(json_object_array_get_idx(o, i)))
				return false;
		return n > 0; /* an empty array prints as json-c's did: "[", newline, "]" */
	}
	if (!in_array || !json_object_is_type(o, json_type_object) || !json_object_object_length(o))
		return false;
	json_object_object_foreach((struct json_object *)o, key, val)
	{
		(void)key;
		if (!val || !is_number(val))
			return false;
	}
	return true;
}

static void put_indent(FILE *f, int level)
{
	fprintf(f, "\n%*s", 2 * level, "");
}

/* s as a JSON string, escaped as json-c does (its reader takes it back the same). */
static void put_string(FILE *f, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\b':
			fputs("\\b", f);
			break;
		case '\f':
			fputs("\\f", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (c < 0x20)
				fprintf(f, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

static void put_value(FILE *f, const struct json_object *o, int level, bool in_array)
{
	char buf[FMT_LEN];
	bool one_line;

	switch (o ? json_object_get_type(o) : json_type_null) {
	case json_type_null:
		fputs("null", f);
		return;
	case json_type_boolean:
		fputs(json_object_get_boolean(o) ? "true" : "false", f);
		return;
	case json_type_int:
		if (json_object_get_int64(o) < 0)
			fprintf(f, "%lld", (long long)json_object_get_int64(o));
		else
			fprintf(f, "%llu", (unsigned long long)json_object_get_uint64(o));
		return;
	case json_type_double:
		fputs(fmt_number(buf, sizeof(buf), json_object_get_double(o)), f);
		return;
	case json_type_string:
		put_string(f, json_object_get_string((struct json_object *)o),
			   (size_t)json_object_get_string_len(o));
		return;
	case json_type_array: {
		size_t n = json_object_array_length(o);

		one_line = prints_on_one_line(o, in_array);
		fputc('[', f);
		for (size_t i = 0; i < n; i++) {
			if (i)
				fputc(',', f);
			if (one_line)
				fputs(i ? " " : "", f);
			else
				put_indent(f, level + 1);
			put_value(f, json_object_array_get_idx(o, i), level + 1, true);
		}
		if (!one_line)
			put_indent(f, level);
		fputc(']', f);
		return;
	}
	case json_type_object: {
		bool first = true;

		one_line = prints_on_one_line(o, in_array);
		fputc('{', f);
		json_object_object_foreach((struct json_object *)o, key, val)
		{
			if (!first)
				fputc(',', f);
			if (one_line)
				fputs(first ? "" : " ", f);
			else
				put_indent(f, level + 1);
			put_string(f, key, strlen(key));
			fputs(": ", f);
			put_value(f, val, level + 1, false);
			first = false;
		}
		if (!one_line)
			put_indent(f, level);
		fputc('}', f);
		return;
	}
	}
}

int report_json_write(FILE *f, const struct json_object *doc)
{
	if (!doc)
		return -EINVAL;
	errno = 0;
	put_value(f, doc, 0, false);
	if (fputc('\n', f) == EOF || fflush(f) == EOF)
		return errno ? -errno : -EIO;
	return ferror(f) ? -EIO : 0;
}
