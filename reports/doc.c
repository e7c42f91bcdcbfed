// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"

const char *const doc_cause_names[NR_CAUSES] = CAUSE_NAMES_INIT;
const char *const doc_model_names[DOC_NR_MODELS] = { "inconclusive", "async", "multithreading",
						     "multiprocessing" };

const char *doc_model(const struct json_object *o, const char *path)
{
	const char *m = doc_str(o, path);

	for (size_t i = 0; i < DOC_NR_MODELS; i++)
		if (!strcmp(m, doc_model_names[i]))
			return doc_model_names[i];
	return NULL;
}

const char *doc_model_or_unknown(const struct json_object *o, const char *path)
{
	const char *m = doc_model(o, path);

	return m ? m : "?";
}

struct json_object *doc_repeated(const struct json_object *doc, const char *path)
{
	struct json_object *metrics = doc_get(doc, "repeat.metrics"), *m;

	if (!json_object_is_type(metrics, json_type_object) ||
	    !json_object_object_get_ex(metrics, path, &m))
		return NULL;
	return m;
}

struct json_object *doc_get(const struct json_object *o, const char *path)
{
	struct json_object *cur = (struct json_object *)o;
	char key[128];

	while (cur && *path) {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key) || !json_object_is_type(cur, json_type_object))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(cur, key, &cur))
			return NULL;
		path += n + (path[n] == '.');
	}
	return cur;
}

__u64 doc_u64(const struct json_object *o, const char *path)
{
	struct json_object *v = doc_get(o, path);

	if (!v || !json_object_is_type(v, json_type_int))
		return 0;
	if (json_object_get_int64(v) < 0)
		return 0;
	return json_object_get_uint64(v);
}

long long doc_int(const struct json_object *o, const char *path, long long def)
{
	struct json_object *v = doc_get(o, path);

	return v && json_object_is_type(v, json_type_int) ? (long long)json_object_get_int64(v) : def;
}

double doc_double(const struct json_object *o, const char *path)
{
	struct json_object *v = doc_get(o, path);

	if (!v || !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
		return NAN;
	return json_object_get_double(v);
}

bool doc_bool(const struct json_object *o, const char *path)
{
	struct json_object *v = doc_get(o, path);

	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

const char *doc_str(const struct json_object *o, const char *path)
{
	struct json_object *v = doc_get(o, path);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

size_t doc_len(const struct json_object *o, const char *path)
{
	struct json_object *v = doc_get(o, path);

	return v && json_object_is_type(v, json_type_array) ? json_object_array_length(v) : 0;
}

struct json_object *doc_at(const struct json_object *o, const char *path, size_t i)
{
	struct json_object *v = doc_get(o, path);

	if (!v || !json_object_is_type(v, json_type_array) || i >= json_object_array_length(v))
		return NULL;
	return json_object_array_get_idx(v, i);
}

void doc_u64s(const struct json_object *o, const char *path, __u64 *out, size_t n)
{
	struct json_object *arr = doc_get(o, path);
	size_t len = arr && json_object_is_type(arr, json_type_array) ? json_object_array_length(arr) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *v = i < len ? json_object_array_get_idx(arr, i) : NULL;

		out[i] = v && json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0 ?
				 json_object_get_uint64(v) :
				 0;
	}
}

void doc_causes(const struct json_object *o, const char *path, __u64 out[NR_CAUSES])
{
	struct json_object *c = doc_get(o, path);

	for (int i = 0; i < NR_CAUSES; i++)
		out[i] = doc_u64(c, doc_cause_names[i]);
}

__u64 doc_io_ns(const struct json_object *o)
{
	__u64 all[NR_CAUSES], internal[NR_CAUSES], io = 0;

	doc_causes(o, "blocked_ns", all);
	doc_causes(o, "internal_ns", internal);
	for (int c = 0; c < NR_CAUSES; c++)
		if (CAUSE_IS_IO(c) && all[c] > internal[c])
			io += all[c] - internal[c];
	return io;
}

const char *const doc_stack_kinds[DOC_NR_STACK_KINDS] = { "net",   "disk", "poll", "lock", "sleep",
							  "child", "ipc",  "other", "cpu" };

__u64 doc_stack_time(const struct json_object *entry)
{
	return doc_get(entry, "cpu_ns") ? doc_u64(entry, "cpu_ns") : doc_u64(entry, "wait_ns");
}

const char *doc_frame_name(const struct json_object *frame, char *buf, size_t len)
{
	const char *fn = doc_str(frame, "function"), *mod = doc_str(frame, "module");
	const char *slash = strrchr(mod, '/');

	if (fn[0])
		return fn;
	if (!mod[0])
		return "[unknown]";
	snprintf(buf, len, "[%s]", slash ? slash + 1 : mod);
	return buf;
}
