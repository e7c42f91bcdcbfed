// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reading a saved report back as the document, so that `advisor report` and
 * `advisor check` work from the file alone and render exactly what a fresh
 * run renders. The file may come from anywhere: it is read with limits on
 * size and nesting, parsed strictly, and checked against the report's own
 * schema (reports/schema/report-1.json, built into the binary), so the
 * schema is the one statement of what a report holds and the first problem
 * is reported in one line naming the key.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "../reports/report.h"
#include "document.h"

/* Far above any real report (a thread costs ~1 KiB), far below trouble. */
#define REPORT_MAX_BYTES (256u << 20)
/* A report nests 6 deep; json-c's own default is 32. */
#define REPORT_MAX_DEPTH 16

/* reports/schema/report-1.json, NUL-terminated (see the Makefile) */
__asm__(".section .rodata\n"
	".global document_schema_text\n"
	"document_schema_text:\n"
	".incbin \"reports/schema/report-1.json\"\n"
	".byte 0\n"
	".previous\n");
extern const char document_schema_text[];

struct reader {
	const char *file;
	char *err;
	size_t errlen;
	int failed; /* first error, -errno; later ones are dropped */
	char path[256]; /* where we are: "processes[3].threads[0]" */
	size_t plen;
	const struct json_object *schema; /* the root, for $ref */
};

static void fail(struct reader *rd, int err, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rd->failed)
		return;
	rd->failed = err;
	if (!rd->err || !rd->errlen)
		return;
	n = snprintf(rd->err, rd->errlen, "%s: ", rd->file);
	if (n < 0 || (size_t)n >= rd->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(rd->err + n, rd->errlen - n, fmt, ap);
	va_end(ap);
}

/* The whole file, NUL-terminated, in *buf; caller frees. */
static int slurp(struct reader *rd, const char *path, char **buf, size_t *len)
{
	struct stat st;
	size_t cap = 65536, n = 0;
	char *b = NULL;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		fail(rd, err, "cannot open: %s", strerror(-err));
		return err;
	}
	if (fstat(fd, &st)) {
		err = -errno;
		fail(rd, err, "cannot read: %s", strerror(-err));
		goto out_close;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > REPORT_MAX_BYTES) {
		err = -EINVAL;
		fail(rd, err, "too large for a report (over %u MiB)", REPORT_MAX_BYTES >> 20);
		goto out_close;
	}
	if (S_ISDIR(st.st_mode)) {
		err = -EISDIR;
		fail(rd, err, "cannot read: %s", strerror(EISDIR));
		goto out_close;
	}
	/* pipes and /proc files say 0: those grow as they come */
	if (S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= REPORT_MAX_BYTES)
		cap = (size_t)st.st_size + 2; /* room to see the end without growing */
	for (;;) {
		ssize_t got;

		if (n > REPORT_MAX_BYTES) {
			err = -EINVAL;
			fail(rd, err, "too large for a report (over %u MiB)", REPORT_MAX_BYTES >> 20);
			goto out_free;
		}
		if (!b || n + 1 >= cap) {
			char *nb;

			if (b)
				cap *= 2;
			nb = realloc(b, cap);
			if (!nb) {
				err = -ENOMEM;
				fail(rd, err, "out of memory");
				goto out_free;
			}
			b = nb;
		}
		got = read(fd, b + n, cap - n - 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err = -errno;
			fail(rd, err, "cannot read: %s", strerror(-err));
			goto out_free;
		}
		if (!got)
			break;
		n += got;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	close(fd);
	return 0;

out_free:
	free(b);
out_close:
	close(fd);
	return err;
}

static struct json_object *parse(struct reader *rd, const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new_ex(REPORT_MAX_DEPTH);
	struct json_object *root;
	enum json_tokener_error jerr;
	size_t end;

	if (!tok) {
		fail(rd, -ENOMEM, "out of memory");
		return NULL;
	}
	/* the writer only makes valid UTF-8: anything else is not a report */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		fail(rd, -EINVAL, "malformed JSON at offset %zu (unexpected end of input)", len);
	} else if (jerr != json_tokener_success) {
		fail(rd, -EINVAL, "malformed JSON at offset %zu (%s)", end,
		     json_tokener_error_desc(jerr));
	} else {
		while (end < len && buf[end] && strchr(" \t\r\n", buf[end]))
			end++;
		if (end < len)
			fail(rd, -EINVAL, "malformed JSON at offset %zu (data after the report)",
			     end);
	}
	json_tokener_free(tok);
	/* a lone "null" parses to no object at all */
	if (!rd->failed && !root)
		fail(rd, -EINVAL, "not an advisor report (not a JSON object)");
	if (rd->failed) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

struct json_object *document_parse_file(const char *path, char *err, size_t errlen)
{
	struct reader rd = { .file = path, .err = err, .errlen = errlen };
	struct json_object *root;
	char *buf = NULL;
	size_t len = 0;

	if (err && errlen)
		err[0] = '\0';
	if (slurp(&rd, path, &buf, &len)) {
		errno = -rd.failed;
		return NULL;
	}
	root = parse(&rd, buf, len);
	free(buf);
	if (!root)
		errno = -rd.failed;
	return root;
}


/* ---- the schema check: the subset of JSON Schema that report-1.json uses ---- */

static size_t enter(struct reader *rd, const char *fmt, ...)
{
	size_t mark = rd->plen;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->path + rd->plen, sizeof(rd->path) - rd->plen, fmt, ap);
	va_end(ap);
	rd->plen = strnlen(rd->path, sizeof(rd->path) - 1);
	return mark;
}

static void leave(struct reader *rd, size_t mark)
{
	rd->plen = mark;
	rd->path[mark] = '\0';
}

static void key_fail(struct reader *rd, const char *what, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, what);
	vsnprintf(msg, sizeof(msg), what, ap);
	va_end(ap);
	fail(rd, -EINVAL, "key '%s' %s", rd->plen ? rd->path : "(the report)", msg);
}

static struct json_object *kw(const struct json_object *schema, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(schema, key, &v) ? v : NULL;
}

/* The schema a "$ref": "#/$defs/NAME" names, or NULL. */
static const struct json_object *resolve(const struct reader *rd, const struct json_object *s)
{
	struct json_object *ref = kw(s, "$ref"), *defs = kw(rd->schema, "$defs"), *to;
	const char *name;

	if (!ref)
		return s;
	name = json_object_get_string(ref);
	if (strncmp(name, "#/$defs/", 8) || !json_object_object_get_ex(defs, name + 8, &to))
		return NULL;
	return to;
}

static const char *str_of(const struct json_object *o)
{
	return json_object_get_string((struct json_object *)o);
}

static bool is_type(const struct json_object *v, const char *type)
{
	enum json_type t = v ? json_object_get_type(v) : json_type_null;

	if (!strcmp(type, "integer"))
		return t == json_type_int;
	if (!strcmp(type, "number"))
		return (t == json_type_int || t == json_type_double) &&
		       isfinite(json_object_get_double(v));
	if (!strcmp(type, "string"))
		return t == json_type_string;
	if (!strcmp(type, "object"))
		return t == json_type_object;
	if (!strcmp(type, "array"))
		return t == json_type_array;
	if (!strcmp(type, "boolean"))
		return t == json_type_boolean;
	return !strcmp(type, "null") && t == json_type_null;
}

static const char *type_text(const char *type)
{
	static const char *const texts[][2] = {
		{ "integer", "an integer" }, { "number", "a number" },	 { "string", "a string" },
		{ "object", "an object" },   { "array", "an array" },	 { "boolean", "true or false" },
		{ "null", "null" },
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!strcmp(type, texts[i][0]))
			return texts[i][1];
	return type;
}

static bool check_type(struct reader *rd, const struct json_object *v, const struct json_object *t)
{
	char want[96] = "";

	if (json_object_is_type(t, json_type_string)) {
		if (is_type(v, str_of(t)))
			return true;
		snprintf(want, sizeof(want), "%s", type_text(str_of(t)));
	} else {
		size_t n = json_object_array_length(t);

		for (size_t i = 0; i < n; i++) {
			const char *ty = json_object_get_string(json_object_array_get_idx(t, i));

			if (is_type(v, ty))
				return true;
			snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s%s",
				 i ? " or " : "", type_text(ty));
		}
	}
	key_fail(rd, "must be %s", want);
	return false;
}

static bool same_scalar(const struct json_object *a, const struct json_object *b)
{
	if (!a || !b)
		return !a && !b;
	if (json_object_is_type(a, json_type_string) && json_object_is_type(b, json_type_string))
		return !strcmp(json_object_get_string((struct json_object *)a),
			       json_object_get_string((struct json_object *)b));
	if (is_type(a, "number") && is_type(b, "number"))
		return json_object_get_double(a) == json_object_get_double(b);
	return false;
}

static void check(struct reader *rd, const struct json_object *v, const struct json_object *s);

static void check_bounds(struct reader *rd, const struct json_object *v, const struct json_object *s)
{
	struct json_object *min = kw(s, "minimum"), *max = kw(s, "maximum");
	bool is_int = json_object_is_type(v, json_type_int);
	double d;

	if (!is_type(v, "number"))
		return;
	d = json_object_get_double(v);
	/* an integer past INT64_MAX reads as INT64_MAX: still above every bound we use */
	if (is_int)
		d = (double)json_object_get_int64(v);
	if (min && d < json_object_get_double(min))
		key_fail(rd, "must be at least %s", json_object_to_json_string(min));
	else if (max && d > json_object_get_double(max))
		key_fail(rd, "must be at most %s", json_object_to_json_string(max));
}

static void check_string(struct reader *rd, const struct json_object *v, const struct json_object *s)
{
	struct json_object *pattern = kw(s, "pattern");
	regex_t re;

	if (!pattern || !json_object_is_type(v, json_type_string))
		return;
	if (regcomp(&re, json_object_get_string(pattern), REG_EXTENDED | REG_NOSUB)) {
		key_fail(rd, "has a pattern this build cannot read");
		return;
	}
	if (regexec(&re, json_object_get_string((struct json_object *)v), 0, NULL, 0))
		key_fail(rd, "must match %s", json_object_get_string(pattern));
	regfree(&re);
}

static void check_object(struct reader *rd, const struct json_object *v, const struct json_object *s)
{
	struct json_object *req = kw(s, "required"), *props = kw(s, "properties"),
			   *extra = kw(s, "additionalProperties");

	if (!json_object_is_type(v, json_type_object))
		return;
	for (size_t i = 0; req && i < json_object_array_length(req); i++) {
		const char *k = json_object_get_string(json_object_array_get_idx(req, i));

		if (!json_object_object_get_ex(v, k, NULL)) {
			size_t m = enter(rd, "%s%s", rd->plen ? "." : "", k);

			key_fail(rd, "is missing");
			leave(rd, m);
			return;
		}
	}
	json_object_object_foreach((struct json_object *)v, key, val)
	{
		struct json_object *sub = NULL;
		size_t m;

		if (!json_object_object_get_ex(props, key, &sub) && extra &&
		    json_object_is_type(extra, json_type_object))
			sub = extra;
		if (!sub)
			continue; /* readers ignore keys they do not know */
		m = enter(rd, "%s%s", rd->plen ? "." : "", key);
		check(rd, val, sub);
		leave(rd, m);
		if (rd->failed)
			return;
	}
}

static void check_array(struct reader *rd, const struct json_object *v, const struct json_object *s)
{
	struct json_object *items = kw(s, "items"), *max = kw(s, "maxItems");
	size_t n;

	if (!json_object_is_type(v, json_type_array))
		return;
	n = json_object_array_length(v);
	if (max && n > (size_t)json_object_get_int64(max)) {
		key_fail(rd, "must have at most %lld elements", (long long)json_object_get_int64(max));
		return;
	}
	for (size_t i = 0; items && i < n && !rd->failed; i++) {
		size_t m = enter(rd, "[%zu]", i);

		check(rd, json_object_array_get_idx(v, i), items);
		leave(rd, m);
	}
}

/*
 * Whether every property of the form that has a const value (the "kind" of
 * a gate rule) has that value in v: the form v means to be.
 */
static bool form_selected(const struct json_object *v, const struct json_object *form)
{
	struct json_object *props = kw(form, "properties");
	bool any = false;

	if (!props || !json_object_is_type(v, json_type_object))
		return false;
	json_object_object_foreach(props, key, sub)
	{
		struct json_object *c = kw(sub, "const"), *have;

		if (!c)
			continue;
		if (!json_object_object_get_ex(v, key, &have) || !same_scalar(have, c))
			return false;
		any = true;
	}
	return any;
}

/*
 * oneOf: exactly one of the forms fits. When none does and v names its form
 * (a gate rule's kind), that form's complaint says more than "fits none".
 */
static void check_one_of(struct reader *rd, const struct json_object *v, const struct json_object *forms)
{
	size_t n = json_object_array_length(forms), fits = 0;
	const struct json_object *named = NULL;

	for (size_t i = 0; i < n; i++) {
		const struct json_object *form = json_object_array_get_idx(forms, i);
		struct reader trial = *rd;

		trial.failed = 0;
		trial.err = NULL;
		check(&trial, v, form);
		fits += !trial.failed;
		if (form_selected(v, resolve(rd, form)))
			named = form;
	}
	if (fits == 1)
		return;
	if (!fits && named) {
		check(rd, v, named);
		return;
	}
	key_fail(rd, fits ? "fits more than one of its forms" : "fits none of its forms");
}

static void check(struct reader *rd, const struct json_object *v, const struct json_object *s)
{
	const struct json_object *to = resolve(rd, s);
	struct json_object *t, *c, *e, *one;

	if (!to) {
		key_fail(rd, "has a schema this build cannot read");
		return;
	}
	/* a $ref applies its target, which may hold a $ref too, and then the keys beside it */
	if (to != s) {
		check(rd, v, to);
		if (rd->failed)
			return;
	}
	t = kw(s, "type");
	if (t && !check_type(rd, v, t))
		return;
	c = kw(s, "const");
	if (c && !same_scalar(v, c)) {
		key_fail(rd, "must be %s", json_object_to_json_string(c));
		return;
	}
	e = kw(s, "enum");
	if (e) {
		bool found = false;
		char list[160] = "";

		for (size_t i = 0; i < json_object_array_length(e); i++) {
			struct json_object *x = json_object_array_get_idx(e, i);

			found = found || same_scalar(v, x);
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", x ? json_object_get_string(x) : "null");
		}
		if (!found) {
			key_fail(rd, "must be one of %s", list);
			return;
		}
	}
	check_bounds(rd, v, s);
	check_string(rd, v, s);
	check_object(rd, v, s);
	check_array(rd, v, s);
	one = kw(s, "oneOf");
	if (one && !rd->failed)
		check_one_of(rd, v, one);
}

static struct json_object *schema_root(void)
{
	static struct json_object *root;

	if (!root)
		root = json_tokener_parse(document_schema_text);
	return root;
}

int document_check(const struct json_object *doc, const char *name, char *err, size_t errlen)
{
	struct reader rd = { .file = name, .err = err, .errlen = errlen };
	struct json_object *v;

	rd.schema = schema_root();
	if (!rd.schema) {
		fail(&rd, -ENOMEM, "cannot read the report schema built into advisor");
		return rd.failed;
	}
	if (!json_object_is_type(doc, json_type_object))
		fail(&rd, -EINVAL, "not an advisor report (not a JSON object)");
	else if (!json_object_object_get_ex(doc, "schema", &v))
		fail(&rd, -EINVAL, "not an advisor report (schema is missing)");
	else if (!json_object_is_type(v, json_type_string) ||
		 strcmp(json_object_get_string(v), REPORT_SCHEMA))
		fail(&rd, -EINVAL, "not an advisor report (schema is not '%s')", REPORT_SCHEMA);
	else
		check(&rd, doc, rd.schema);
	return rd.failed;
}

struct json_object *document_read(const char *path, char *err, size_t errlen)
{
	struct json_object *doc = document_parse_file(path, err, errlen);
	int e;

	if (!doc)
		return NULL;
	e = document_check(doc, path, err, errlen);
	if (e) {
		json_object_put(doc);
		errno = -e;
		return NULL;
	}
	return doc;
}
