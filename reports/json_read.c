// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Reads a saved JSON report back into a struct report, so that `advisor
 * report` and `advisor check` work from the file alone. Writing what was
 * read gives the same text again. The file may come from anywhere: every key
 * is checked for its type and range, and the first problem is reported in one
 * line naming the key.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "report.h"

/* Far above any real report (a thread costs ~1 KiB), far below trouble. */
#define REPORT_MAX_BYTES (256u << 20)
/* A report nests 6 deep; json-c's own default is 32. */
#define REPORT_MAX_DEPTH 16

#define UTF8_REPLACEMENT "\xef\xbf\xbd"

struct reader {
	const char *file;
	char *err;
	size_t errlen;
	int failed; /* first error, -errno; later ones are dropped */
	char path[256]; /* where we are: "processes[3].threads[0]" */
	size_t plen;
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

/* A problem with key (or, when key is NULL, with where we are). */
static void key_fail(struct reader *rd, const char *key, const char *what)
{
	fail(rd, -EINVAL, "key '%s%s%s' %s", rd->path, key && rd->plen ? "." : "", key ? key : "",
	     what);
}

static size_t enter(struct reader *rd, const char *key)
{
	size_t mark = rd->plen;
	int n = snprintf(rd->path + rd->plen, sizeof(rd->path) - rd->plen, "%s%s",
			 rd->plen ? "." : "", key);

	if (n > 0)
		rd->plen = strnlen(rd->path, sizeof(rd->path) - 1);
	return mark;
}

static size_t enter_index(struct reader *rd, size_t i)
{
	size_t mark = rd->plen;
	int n = snprintf(rd->path + rd->plen, sizeof(rd->path) - rd->plen, "[%zu]", i);

	if (n > 0)
		rd->plen = strnlen(rd->path, sizeof(rd->path) - 1);
	return mark;
}

static void leave(struct reader *rd, size_t mark)
{
	rd->plen = mark;
	rd->path[mark] = '\0';
}

static const char *type_wanted(enum json_type type)
{
	switch (type) {
	case json_type_int:
		return "must be an integer";
	case json_type_string:
		return "must be a string";
	case json_type_object:
		return "must be an object";
	case json_type_array:
		return "must be an array";
	case json_type_boolean:
		return "must be true or false";
	default:
		return "must be a number";
	}
}

static struct json_object *member(struct reader *rd, struct json_object *o, const char *key,
				  enum json_type type)
{
	struct json_object *v;

	if (rd->failed)
		return NULL;
	if (!json_object_object_get_ex(o, key, &v)) {
		key_fail(rd, key, "is missing");
		return NULL;
	}
	if (!json_object_is_type(v, type)) {
		key_fail(rd, key, type_wanted(type));
		return NULL;
	}
	return v;
}

static bool value_u64(struct reader *rd, struct json_object *v, const char *key, __u64 max,
		      __u64 *out)
{
	char what[64];
	__u64 u;

	if (rd->failed)
		return false;
	if (!json_object_is_type(v, json_type_int)) {
		key_fail(rd, key, type_wanted(json_type_int));
		return false;
	}
	/* json-c keeps large positive numbers as uint64, negative as int64 */
	if (json_object_get_int64(v) < 0) {
		key_fail(rd, key, "must not be negative");
		return false;
	}
	u = json_object_get_uint64(v);
	if (u > max) {
		snprintf(what, sizeof(what), "must be at most %llu", (unsigned long long)max);
		key_fail(rd, key, what);
		return false;
	}
	*out = u;
	return true;
}

static void read_u64(struct reader *rd, struct json_object *o, const char *key, __u64 *out)
{
	struct json_object *v = member(rd, o, key, json_type_int);

	if (v)
		value_u64(rd, v, key, UINT64_MAX, out);
}

static void read_u32(struct reader *rd, struct json_object *o, const char *key, __u32 *out)
{
	struct json_object *v = member(rd, o, key, json_type_int);
	__u64 u;

	if (v && value_u64(rd, v, key, UINT32_MAX, &u))
		*out = (__u32)u;
}

static void read_int(struct reader *rd, struct json_object *o, const char *key, int *out)
{
	struct json_object *v = member(rd, o, key, json_type_int);
	int64_t s;

	if (!v)
		return;
	s = json_object_get_int64(v);
	if (s < INT_MIN || s > INT_MAX) {
		key_fail(rd, key, "is out of range");
		return;
	}
	*out = (int)s;
}

static void read_bool(struct reader *rd, struct json_object *o, const char *key, bool *out)
{
	struct json_object *v = member(rd, o, key, json_type_boolean);

	if (v)
		*out = json_object_get_boolean(v);
}

/* The writer spells a double that is not finite as null. */
static void read_double(struct reader *rd, struct json_object *o, const char *key, double *out)
{
	struct json_object *v;

	if (rd->failed)
		return;
	if (!json_object_object_get_ex(o, key, &v)) {
		key_fail(rd, key, "is missing");
		return;
	}
	if (!v)
		*out = NAN;
	else if (json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double))
		*out = json_object_get_double(v);
	else
		key_fail(rd, key, "must be a number or null");
}

/* Bytes of the UTF-8 sequence led by c; the tokener has checked the text. */
static size_t utf8_lead_len(unsigned char c)
{
	if (c >= 0xf0)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/*
 * Copies src into a fixed array, NUL-terminated. A string that does not fit
 * may be one the writer grew by turning invalid bytes into U+FFFD (3 bytes
 * each): those become one invalid byte again, which the writer turns back
 * into U+FFFD, so the report reads and writes back to the same text. What
 * still does not fit is cut at a character boundary.
 */
static void copy_fixed(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src), n = 0, i = 0;

	if (len < size) {
		memcpy(dst, src, len + 1);
		return;
	}
	while (src[i]) {
		size_t k;

		if (!strncmp(src + i, UTF8_REPLACEMENT, 3)) {
			if (n + 1 > size - 1)
				break;
			dst[n++] = '\xff';
			i += 3;
			continue;
		}
		k = utf8_lead_len((unsigned char)src[i]);
		if (strnlen(src + i, k) < k)
			k = 1;
		if (n + k > size - 1)
			break;
		memcpy(dst + n, src + i, k);
		n += k;
		i += k;
	}
	dst[n] = '\0';
}

static void read_fixed(struct reader *rd, struct json_object *o, const char *key, char *dst,
		       size_t size)
{
	struct json_object *v = member(rd, o, key, json_type_string);

	if (v)
		copy_fixed(dst, size, json_object_get_string(v));
}

/* An owned copy, NULL for "" (the writer spells NULL as ""). */
static void read_dup(struct reader *rd, struct json_object *o, const char *key, char **out)
{
	struct json_object *v = member(rd, o, key, json_type_string);
	const char *s;

	if (!v)
		return;
	s = json_object_get_string(v);
	if (!*s)
		return;
	*out = strdup(s);
	if (!*out)
		fail(rd, -ENOMEM, "out of memory");
}

static struct json_object *read_obj(struct reader *rd, struct json_object *o, const char *key)
{
	return member(rd, o, key, json_type_object);
}

/* An array of at most max elements; *n is its length. */
static struct json_object *read_arr(struct reader *rd, struct json_object *o, const char *key,
				    size_t max, const char *too_long, size_t *n)
{
	struct json_object *v = member(rd, o, key, json_type_array);

	*n = 0;
	if (!v)
		return NULL;
	*n = json_object_array_length(v);
	if (*n > max) {
		key_fail(rd, key, too_long);
		*n = 0;
		return NULL;
	}
	return v;
}

/* The element i of arr, which must be an object. */
static struct json_object *elem_obj(struct reader *rd, struct json_object *arr, size_t i)
{
	struct json_object *v = json_object_array_get_idx(arr, i);

	if (!rd->failed && !json_object_is_type(v, json_type_object))
		key_fail(rd, NULL, type_wanted(json_type_object));
	return rd->failed ? NULL : v;
}

/* Shorter arrays are histograms whose trailing slots are zero. */
static void read_hist(struct reader *rd, struct json_object *o, const char *key, __u64 *slots)
{
	size_t n, mark;
	struct json_object *arr = read_arr(rd, o, key, MAX_SLOTS,
					   "has more slots than a log2 histogram", &n);

	if (!arr)
		return;
	mark = enter(rd, key);
	for (size_t k = 0; k < n && !rd->failed; k++) {
		size_t m = enter_index(rd, k);

		value_u64(rd, json_object_array_get_idx(arr, k), NULL, UINT64_MAX, &slots[k]);
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_causes(struct reader *rd, struct json_object *o, const char *key, __u64 *ns)
{
	struct json_object *c = read_obj(rd, o, key);
	size_t mark;

	if (!c)
		return;
	mark = enter(rd, key);
	for (int i = 0; i < NR_CAUSES; i++)
		read_u64(rd, c, cause_names[i], &ns[i]);
	leave(rd, mark);
}

static void read_wait_hist(struct reader *rd, struct json_object *o, struct wait_hist *h)
{
	read_u64(rd, o, "count", &h->count);
	read_u64(rd, o, "total_ns", &h->total_ns);
	read_u64(rd, o, "max_ns", &h->max_ns);
	read_hist(rd, o, "hist_log2_ns", h->slots);
}

static void read_created_at(struct reader *rd, struct json_object *o, time_t *out)
{
	struct json_object *v = member(rd, o, "created_at", json_type_string);
	struct tm tm = { 0 };
	const char *end;

	if (!v)
		return;
	end = strptime(json_object_get_string(v), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (!end || *end) {
		key_fail(rd, "created_at", "must be a UTC time like 2024-01-31T12:00:00Z");
		return;
	}
	*out = timegm(&tm);
}

static void read_thread(struct reader *rd, struct json_object *o, struct thread_profile *t)
{
	read_u32(rd, o, "tid", &t->tid);
	read_fixed(rd, o, "comm", t->comm, sizeof(t->comm));
	read_u64(rd, o, "start_ns", &t->start_ns);
	read_u64(rd, o, "end_ns", &t->end_ns);
	read_u64(rd, o, "cpu_ns", &t->cpu_ns);
	/* runq_ns is their sum: nothing to keep */
	read_u64(rd, o, "runq_wakeup_ns", &t->runq_wakeup_ns);
	read_u64(rd, o, "runq_preempt_ns", &t->runq_preempt_ns);
	read_causes(rd, o, "blocked_ns", t->blocked_ns);
	read_causes(rd, o, "internal_ns", t->internal_ns);
}

static void read_process(struct reader *rd, struct json_object *o, struct process_profile *p)
{
	struct json_object *arr;
	size_t n, mark;

	read_u32(rd, o, "pid", &p->pid);
	read_u32(rd, o, "ppid", &p->ppid);
	read_fixed(rd, o, "comm", p->comm, sizeof(p->comm));
	read_dup(rd, o, "exe", &p->exe);
	read_dup(rd, o, "argv0", &p->argv0);
	read_bool(rd, o, "exited", &p->exited);
	read_int(rd, o, "exit_code", &p->exit_code);
	read_int(rd, o, "signal", &p->signal);
	read_u64(rd, o, "start_ns", &p->start_ns);
	read_u64(rd, o, "end_ns", &p->end_ns);
	arr = read_arr(rd, o, "threads", MAX_THREADS, "has too many threads", &n);
	if (!arr || !n)
		return;
	p->threads = calloc(n, sizeof(*p->threads));
	if (!p->threads) {
		fail(rd, -ENOMEM, "out of memory");
		return;
	}
	p->nr_threads = n;
	mark = enter(rd, "threads");
	for (size_t i = 0; i < n && !rd->failed; i++) {
		size_t m = enter_index(rd, i);
		struct json_object *e = elem_obj(rd, arr, i);

		if (e)
			read_thread(rd, e, &p->threads[i]);
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_syscalls(struct reader *rd, struct json_object *o, const char *key,
			  struct syscall_stat **out, size_t *nr, bool errors)
{
	struct json_object *arr;
	size_t n, mark;

	arr = read_arr(rd, o, key, MAX_SYSCALLS, "has more entries than there are syscalls", &n);
	if (!arr || !n)
		return;
	*out = calloc(n, sizeof(**out));
	if (!*out) {
		fail(rd, -ENOMEM, "out of memory");
		return;
	}
	*nr = n;
	mark = enter(rd, key);
	for (size_t i = 0; i < n && !rd->failed; i++) {
		size_t m = enter_index(rd, i);
		struct json_object *e = elem_obj(rd, arr, i);
		struct syscall_stat *s = &(*out)[i];

		if (e) {
			read_fixed(rd, e, "name", s->name, sizeof(s->name));
			read_int(rd, e, "nr", &s->nr);
			read_u64(rd, e, "count", &s->count);
			if (errors)
				read_u64(rd, e, "errors", &s->errors);
			read_u64(rd, e, "total_ns", &s->total_ns);
			read_u64(rd, e, "max_ns", &s->max_ns);
			read_hist(rd, e, "hist_log2_ns", s->hist);
		}
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_command(struct reader *rd, struct json_object *root, struct profile *p)
{
	struct json_object *arr;
	size_t n, mark;

	arr = read_arr(rd, root, "command", INT_MAX, "is too long", &n);
	if (!arr)
		return;
	p->command = calloc(n + 1, sizeof(*p->command));
	if (!p->command) {
		fail(rd, -ENOMEM, "out of memory");
		return;
	}
	p->nr_command = n;
	mark = enter(rd, "command");
	for (size_t i = 0; i < n && !rd->failed; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		size_t m = enter_index(rd, i);

		if (!json_object_is_type(v, json_type_string))
			key_fail(rd, NULL, type_wanted(json_type_string));
		else if (!(p->command[i] = strdup(json_object_get_string(v))))
			fail(rd, -ENOMEM, "out of memory");
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_processes(struct reader *rd, struct json_object *root, struct profile *p)
{
	struct json_object *arr;
	size_t n, mark;

	arr = read_arr(rd, root, "processes", MAX_PROCS, "has too many processes", &n);
	if (!arr || !n)
		return;
	p->processes = calloc(n, sizeof(*p->processes));
	if (!p->processes) {
		fail(rd, -ENOMEM, "out of memory");
		return;
	}
	p->nr_processes = n;
	mark = enter(rd, "processes");
	for (size_t i = 0; i < n && !rd->failed; i++) {
		size_t m = enter_index(rd, i);
		struct json_object *e = elem_obj(rd, arr, i);

		if (e)
			read_process(rd, e, &p->processes[i]);
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_waits(struct reader *rd, struct json_object *root, struct profile *p)
{
	struct json_object *o = read_obj(rd, root, "waits");
	size_t mark;

	if (!o)
		return;
	mark = enter(rd, "waits");
	for (int c = 0; c < NR_CAUSES && !rd->failed; c++) {
		struct json_object *cw = read_obj(rd, o, cause_names[c]);
		struct json_object *ext;
		size_t m;

		if (!cw)
			break;
		m = enter(rd, cause_names[c]);
		read_wait_hist(rd, cw, &p->waits[c].all);
		ext = read_obj(rd, cw, "external");
		if (ext) {
			size_t m2 = enter(rd, "external");

			read_wait_hist(rd, ext, &p->waits[c].ext);
			leave(rd, m2);
		}
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_connections(struct reader *rd, struct json_object *root, struct connections *c)
{
	struct json_object *o = read_obj(rd, root, "connections");
	size_t mark;

	if (!o)
		return;
	mark = enter(rd, "connections");
	read_bool(rd, o, "tcp_counted", &c->tcp_counted);
	read_bool(rd, o, "unix_counted", &c->unix_counted);
	read_u64(rd, o, "accepted", &c->accepted);
	read_u64(rd, o, "connected", &c->connected);
	read_u64(rd, o, "peak_open", &c->peak_open);
	read_u64(rd, o, "closed", &c->closed);
	read_u64(rd, o, "distinct_peers", &c->distinct_peers);
	/* added after the first reports: optional */
	if (json_object_object_get_ex(o, "unix_connected", NULL))
		read_u64(rd, o, "unix_connected", &c->unix_connected);
	leave(rd, mark);
}

static void read_timeline(struct reader *rd, struct json_object *root, struct profile *p)
{
	struct json_object *o = read_obj(rd, root, "timeline");
	struct json_object *arr;
	size_t n, mark;

	if (!o)
		return;
	mark = enter(rd, "timeline");
	read_u64(rd, o, "bucket_ns", &p->bucket_ns);
	arr = read_arr(rd, o, "buckets", INT_MAX, "is too long", &n);
	if (arr && n) {
		p->buckets = calloc(n, sizeof(*p->buckets));
		if (!p->buckets) {
			fail(rd, -ENOMEM, "out of memory");
		} else {
			size_t m = enter(rd, "buckets");

			p->nr_buckets = n;
			for (size_t i = 0; i < n && !rd->failed; i++) {
				size_t m2 = enter_index(rd, i);
				struct json_object *e = elem_obj(rd, arr, i);
				struct timeline_bucket *b = &p->buckets[i];

				read_u64(rd, e, "cpu_ns", &b->cpu_ns);
				read_u64(rd, e, "runq_ns", &b->runq_ns);
				read_u64(rd, e, "io_ns", &b->io_ns);
				read_u64(rd, e, "other_ns", &b->other_ns);
				leave(rd, m2);
			}
			leave(rd, m);
		}
	}
	leave(rd, mark);
}

static void read_profile(struct reader *rd, struct json_object *root, struct profile *p)
{
	struct json_object *o;
	size_t mark;

	/* which advisor wrote it does not change what it says */
	member(rd, root, "advisor_version", json_type_string);
	read_created_at(rd, root, &p->created_at);
	o = read_obj(rd, root, "host");
	if (o) {
		mark = enter(rd, "host");
		read_fixed(rd, o, "kernel", p->kernel, sizeof(p->kernel));
		read_int(rd, o, "cpus", &p->cpus);
		leave(rd, mark);
	}
	read_command(rd, root, p);
	read_bool(rd, root, "attached", &p->attached);
	if (json_object_object_get_ex(root, "stopped_at_duration", NULL))
		read_bool(rd, root, "stopped_at_duration", &p->stopped_at_duration);
	o = read_obj(rd, root, "target");
	if (o) {
		mark = enter(rd, "target");
		read_u32(rd, o, "pid", &p->target_pid);
		read_int(rd, o, "exit_code", &p->exit_code);
		read_int(rd, o, "signal", &p->signal);
		read_bool(rd, o, "exited", &p->target_exited);
		leave(rd, mark);
	}
	read_u64(rd, root, "duration_ns", &p->duration_ns);
	/* "time" holds sums of the threads: profile_totals() makes them again */
	read_processes(rd, root, p);
	read_syscalls(rd, root, "syscall_waits", &p->syscall_waits, &p->nr_syscall_waits, false);
	if (!rd->failed && json_object_object_get_ex(root, "syscalls", NULL)) {
		p->syscalls_enabled = true;
		read_syscalls(rd, root, "syscalls", &p->syscalls, &p->nr_syscalls, true);
	}
	read_waits(rd, root, p);
	read_connections(rd, root, &p->conns);
	read_timeline(rd, root, p);

	o = read_obj(rd, root, "overhead");
	if (o) {
		mark = enter(rd, "overhead");
		read_fixed(rd, o, "mode", p->overhead.mode, sizeof(p->overhead.mode));
		read_u64(rd, o, "events", &p->overhead.events);
		read_u64(rd, o, "dropped", &p->overhead.dropped);
		read_u64(rd, o, "anomalies", &p->overhead.anomalies);
		read_u64(rd, o, "recursion_misses", &p->overhead.recursion_misses);
		leave(rd, mark);
	}
}

static void read_verdict(struct reader *rd, struct json_object *root, struct verdict *v)
{
	struct json_object *o = read_obj(rd, root, "verdict");
	struct json_object *x, *arr;
	size_t mark, n;
	int model;

	if (!o)
		return;
	mark = enter(rd, "verdict");
	x = member(rd, o, "model", json_type_string);
	if (x) {
		model = model_from_name(json_object_get_string(x));
		if (model < 0)
			key_fail(rd, "model", "must be async, multithreading, multiprocessing "
					      "or inconclusive");
		else
			v->model = model;
	}
	read_double(rd, o, "confidence", &v->confidence);
	read_fixed(rd, o, "confidence_basis", v->confidence_basis, sizeof(v->confidence_basis));
	read_fixed(rd, o, "current_model", v->current_model, sizeof(v->current_model));
	read_bool(rd, o, "already_fits", &v->already_fits);
	read_fixed(rd, o, "runtime", v->runtime, sizeof(v->runtime));
	if (!rd->failed && !json_object_object_get_ex(o, "inconclusive_reason", &x))
		key_fail(rd, "inconclusive_reason", "is missing");
	else if (!rd->failed && x)
		read_fixed(rd, o, "inconclusive_reason", v->inconclusive_reason,
			   sizeof(v->inconclusive_reason));

	arr = read_arr(rd, o, "path", MAX_PATH, "has more nodes than the decision tree", &n);
	if (arr) {
		size_t m = enter(rd, "path");

		v->nr_path = n;
		for (size_t i = 0; i < n && !rd->failed; i++) {
			size_t m2 = enter_index(rd, i);
			struct json_object *e = elem_obj(rd, arr, i);
			struct path_node *p = &v->path[i];

			read_fixed(rd, e, "metric", p->metric, sizeof(p->metric));
			read_double(rd, e, "value", &p->value);
			read_double(rd, e, "threshold", &p->threshold);
			read_fixed(rd, e, "branch", p->branch, sizeof(p->branch));
			leave(rd, m2);
		}
		leave(rd, m);
	}
	read_double(rd, o, "speedup_bound", &v->speedup_bound);
	read_fixed(rd, o, "speedup_basis", v->speedup_basis, sizeof(v->speedup_basis));
	read_fixed(rd, o, "advice", v->advice, sizeof(v->advice));
	read_fixed(rd, o, "rationale", v->rationale, sizeof(v->rationale));

	x = read_obj(rd, o, "drivers");
	if (x) {
		size_t m = enter(rd, "drivers");

		read_double(rd, x, "io_fraction", &v->io_fraction);
		read_u64(rd, x, "wait_p50_ns", &v->wait_p50_ns);
		read_u64(rd, x, "peak_open", &v->peak_open);
		read_double(rd, x, "busy_threads", &v->busy_threads);
		leave(rd, m);
	}
	leave(rd, mark);
}

static void read_thresholds(struct reader *rd, struct json_object *root, struct thresholds *t)
{
	struct json_object *o = read_obj(rd, root, "thresholds");
	size_t mark;

	if (!o)
		return;
	mark = enter(rd, "thresholds");
	for (int i = 0; i < NR_THRESHOLDS; i++) {
		const struct threshold_def *def = &threshold_defs[i];
		double *x = (double *)((char *)t + def->offset);

		read_double(rd, o, def->name, x);
		/* what --threshold refuses must not reach the decision from a file either */
		if (!rd->failed && !(*x >= 0 && *x <= def->max_value))
			key_fail(rd, def->name, "is out of range");
	}
	leave(rd, mark);
}

/* A model name into *out. */
static void read_model(struct reader *rd, struct json_object *o, const char *key, enum model *out)
{
	struct json_object *x = member(rd, o, key, json_type_string);
	int m;

	if (!x)
		return;
	m = model_from_name(json_object_get_string(x));
	if (m < 0)
		key_fail(rd, key, "must be async, multithreading, multiprocessing or inconclusive");
	else
		*out = m;
}

static void read_unsigned(struct reader *rd, struct json_object *o, const char *key,
			  unsigned int max, unsigned int *out)
{
	struct json_object *v = member(rd, o, key, json_type_int);
	__u64 u;

	if (v && value_u64(rd, v, key, max, &u))
		*out = (unsigned int)u;
}

static void read_repeat_metric(struct reader *rd, struct json_object *o, struct repeat_metric *m,
			       unsigned int runs)
{
	struct json_object *arr;
	size_t n, mark;

	read_double(rd, o, "median", &m->median);
	read_double(rd, o, "min", &m->min);
	read_double(rd, o, "max", &m->max);
	arr = read_arr(rd, o, "values", runs, "has more values than runs", &n);
	if (!arr)
		return;
	if (n != runs) {
		key_fail(rd, "values", "must have one value per run");
		return;
	}
	mark = enter(rd, "values");
	for (size_t i = 0; i < n && !rd->failed; i++) {
		struct json_object *v = json_object_array_get_idx(arr, i);
		size_t m2 = enter_index(rd, i);

		if (!v)
			m->values[i] = NAN;
		else if (json_object_is_type(v, json_type_int) ||
			 json_object_is_type(v, json_type_double))
			m->values[i] = json_object_get_double(v);
		else
			key_fail(rd, NULL, "must be a number or null");
		leave(rd, m2);
	}
	leave(rd, mark);
}

/* "repeat" is there only for --repeat N > 1. */
static void read_repeat(struct reader *rd, struct json_object *root, struct repeat_summary *s)
{
	struct json_object *o, *arr, *x;
	const char **paths = NULL;
	unsigned int runs = 0;
	size_t n, mark, k = 0;

	if (rd->failed || !json_object_object_get_ex(root, "repeat", NULL))
		return;
	o = read_obj(rd, root, "repeat");
	if (!o)
		return;
	mark = enter(rd, "repeat");
	read_unsigned(rd, o, "runs", REPEAT_MAX_RUNS, &runs);
	if (!rd->failed && runs < 2)
		key_fail(rd, "runs", "must be at least 2");
	x = read_obj(rd, o, "metrics");
	if (rd->failed)
		goto out;
	n = json_object_object_length(x);
	paths = calloc(n ? n : 1, sizeof(*paths));
	if (!paths) {
		fail(rd, -ENOMEM, "out of memory");
		goto out;
	}
	json_object_object_foreach(x, key, val)
	{
		(void)val;
		if (strlen(key) >= GATE_PATH_LEN) {
			fail(rd, -EINVAL, "key 'repeat.metrics' has a path longer than %d bytes",
			     GATE_PATH_LEN - 1);
			goto out;
		}
		paths[k++] = key;
	}
	if (repeat_init(s, runs, paths, n)) {
		fail(rd, -ENOMEM, "out of memory");
		goto out;
	}
	read_unsigned(rd, o, "main_run", runs - 1, &s->main_run);
	read_model(rd, o, "model", &s->model);
	x = read_obj(rd, o, "verdicts");
	if (x) {
		size_t m = enter(rd, "verdicts");

		for (int i = 0; i < NR_MODELS; i++)
			read_unsigned(rd, x, model_names[i], runs, &s->counts[i]);
		leave(rd, m);
	}
	arr = read_arr(rd, o, "per_run", runs, "has more entries than runs", &n);
	if (arr && n != runs)
		key_fail(rd, "per_run", "must have one entry per run");
	if (arr && !rd->failed) {
		size_t m = enter(rd, "per_run");

		for (size_t i = 0; i < n && !rd->failed; i++) {
			size_t m2 = enter_index(rd, i);
			struct json_object *e = elem_obj(rd, arr, i);
			struct repeat_run *run = &s->per_run[i];

			read_model(rd, e, "model", &run->model);
			read_double(rd, e, "confidence", &run->confidence);
			read_bool(rd, e, "exited", &run->exited);
			read_int(rd, e, "exit_code", &run->exit_code);
			read_int(rd, e, "signal", &run->signal);
			leave(rd, m2);
		}
		leave(rd, m);
	}
	x = read_obj(rd, o, "metrics");
	if (x && !rd->failed) {
		size_t m = enter(rd, "metrics");

		for (k = 0; k < s->nr_metrics && !rd->failed; k++) {
			struct json_object *e = read_obj(rd, x, s->metrics[k].path);
			size_t m2;

			if (!e)
				break;
			m2 = enter(rd, s->metrics[k].path);
			read_repeat_metric(rd, e, &s->metrics[k], runs);
			leave(rd, m2);
		}
		leave(rd, m);
	}
out:
	free(paths);
	leave(rd, mark);
}

static void read_gate_rule(struct reader *rd, struct json_object *o, struct gate_rule *g)
{
	struct json_object *x;
	int i;

	x = member(rd, o, "kind", json_type_string);
	if (!x)
		return;
	i = gate_name_index(gate_kind_names, NR_GATE_KINDS, json_object_get_string(x));
	if (i < 0) {
		key_fail(rd, "kind", "must be expect, limit, model or change");
		return;
	}
	g->kind = i;
	g->value = g->min = g->max = g->old = g->abs = g->rel = g->allowed = NAN;
	g->min_agreement = NAN;
	read_fixed(rd, o, "path", g->path, sizeof(g->path));
	read_bool(rd, o, "passed", &g->passed);
	switch (g->kind) {
	case GATE_EXPECT:
		read_fixed(rd, o, "expected", g->want, sizeof(g->want));
		read_fixed(rd, o, "measured", g->got, sizeof(g->got));
		read_unsigned(rd, o, "agree", REPEAT_MAX_RUNS, &g->agree);
		read_unsigned(rd, o, "runs", REPEAT_MAX_RUNS, &g->runs);
		read_double(rd, o, "min_agreement", &g->min_agreement);
		break;
	case GATE_LIMIT:
		read_double(rd, o, "value", &g->value);
		read_double(rd, o, "min", &g->min);
		read_double(rd, o, "max", &g->max);
		break;
	case GATE_MODEL:
		read_fixed(rd, o, "old", g->want, sizeof(g->want));
		read_fixed(rd, o, "new", g->got, sizeof(g->got));
		break;
	default:
		read_double(rd, o, "old", &g->old);
		read_double(rd, o, "new", &g->value);
		read_double(rd, o, "abs", &g->abs);
		read_double(rd, o, "rel", &g->rel);
		read_double(rd, o, "allowed", &g->allowed);
		x = member(rd, o, "worse", json_type_string);
		if (x) {
			i = gate_name_index(gate_worse_names, NR_GATE_WORSE, json_object_get_string(x));
			if (i < 0)
				key_fail(rd, "worse", "must be higher, lower or either");
			else
				g->worse = i;
		}
		break;
	}
	read_fixed(rd, o, "message", g->message, sizeof(g->message));
}

/* A string or null ("") into a fixed array. */
static void read_fixed_or_null(struct reader *rd, struct json_object *o, const char *key,
			       char *dst, size_t size)
{
	struct json_object *v;

	if (rd->failed)
		return;
	if (!json_object_object_get_ex(o, key, &v))
		key_fail(rd, key, "is missing");
	else if (v)
		read_fixed(rd, o, key, dst, size);
}

/* "gates" is there only when a gate was asked for. */
static void read_gates(struct reader *rd, struct json_object *root, struct gate_results *gr)
{
	struct json_object *o, *arr;
	size_t n, mark;

	if (rd->failed || !json_object_object_get_ex(root, "gates", NULL))
		return;
	o = read_obj(rd, root, "gates");
	if (!o)
		return;
	mark = enter(rd, "gates");
	gr->evaluated = true;
	read_fixed_or_null(rd, o, "expect", gr->expect, sizeof(gr->expect));
	read_fixed_or_null(rd, o, "policy", gr->policy, sizeof(gr->policy));
	read_fixed_or_null(rd, o, "baseline", gr->baseline, sizeof(gr->baseline));
	/* "passed" and "failed" follow from the rules */
	member(rd, o, "passed", json_type_boolean);
	member(rd, o, "failed", json_type_int);
	arr = read_arr(rd, o, "rules", 100000, "has too many rules", &n);
	if (arr) {
		size_t m = enter(rd, "rules");

		for (size_t i = 0; i < n && !rd->failed; i++) {
			size_t m2 = enter_index(rd, i);
			struct json_object *e = elem_obj(rd, arr, i);
			struct gate_rule g = { 0 };

			if (e)
				read_gate_rule(rd, e, &g);
			if (!rd->failed && gate_results_add(gr, &g))
				fail(rd, -ENOMEM, "out of memory");
			leave(rd, m2);
		}
		leave(rd, m);
	}
	leave(rd, mark);
}

static void check_schema(struct reader *rd, struct json_object *root)
{
	struct json_object *v;

	if (!json_object_is_type(root, json_type_object))
		fail(rd, -EINVAL, "not an advisor report (not a JSON object)");
	else if (!json_object_object_get_ex(root, "schema", &v))
		fail(rd, -EINVAL, "not an advisor report (schema is missing)");
	else if (!json_object_is_type(v, json_type_string) ||
		 strcmp(json_object_get_string(v), REPORT_SCHEMA))
		fail(rd, -EINVAL, "not an advisor report (schema is not '%s')", REPORT_SCHEMA);
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
	if (rd->failed) {
		json_object_put(root);
		return NULL;
	}
	return root;
}

struct json_object *report_json_parse_file(const char *path, char *err, size_t errlen)
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

int report_json_read(const char *path, struct report *r, char *err, size_t errlen)
{
	struct reader rd = { .file = path, .err = err, .errlen = errlen };
	struct json_object *root;

	memset(r, 0, sizeof(*r));
	root = report_json_parse_file(path, err, errlen);
	if (!root)
		return -errno;

	check_schema(&rd, root);
	read_profile(&rd, root, &r->profile);
	read_verdict(&rd, root, &r->verdict);
	read_thresholds(&rd, root, &r->thresholds);
	read_repeat(&rd, root, &r->repeat);
	read_gates(&rd, root, &r->gates);
	json_object_put(root);
	if (rd.failed) {
		report_free(r);
		return rd.failed;
	}
	/* the decision copies the runtime it was given into the verdict */
	memcpy(r->profile.runtime, r->verdict.runtime, sizeof(r->profile.runtime));
	return 0;
}

void report_free(struct report *r)
{
	profile_free(&r->profile);
	repeat_free(&r->repeat);
	gate_results_free(&r->gates);
	memset(r, 0, sizeof(*r));
}
