// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON report: it reads back to the same text, it is valid JSON and
 * UTF-8 whatever the target's strings hold, it matches the shipped schema,
 * the reader refuses broken or hostile files with one line, and a full disk
 * is an error.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "reports/report.h"

#define PYTHON "/usr/bin/python3"
#define THIS_FILE "tests/unit/test_json.c"

/* The source tree, from where this file was compiled: "" when relative. */
static const char *src_root(void)
{
	static char root[4096];
	size_t len = strlen(__FILE__), tail = strlen(THIS_FILE);

	if (len >= tail && !strcmp(__FILE__ + len - tail, THIS_FILE))
		snprintf(root, sizeof(root), "%.*s", (int)(len - tail), __FILE__);
	return root;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	cr_assert_not_null(d);
	return d;
}

static void fill_hist(__u64 *slots, __u64 seed)
{
	for (int k = 0; k < MAX_SLOTS; k++)
		slots[k] = k < 30 ? (seed * (k + 1)) % 97 : 0;
}

static void fill_wait_hist(struct wait_hist *h, __u64 seed)
{
	h->count = seed * 10;
	h->total_ns = seed * 1000003;
	h->max_ns = seed * 77777;
	fill_hist(h->slots, seed);
}

static void fill_thread(struct thread_profile *t, __u32 tid, const char *comm, __u64 seed)
{
	t->tid = tid;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	t->start_ns = seed;
	t->end_ns = seed ? seed * 1000 : 0;
	t->cpu_ns = seed * 3000001;
	t->runq_wakeup_ns = seed * 11;
	t->runq_preempt_ns = seed * 13;
	for (int c = 0; c < NR_CAUSES; c++) {
		t->blocked_ns[c] = seed * (c + 1) * 1009;
		t->internal_ns[c] = seed * c * 101;
	}
}

/* A report with every field set, hostile strings included. */
static void sample_report(struct report *r, bool syscalls)
{
	struct profile *p = &r->profile;
	struct verdict *v = &r->verdict;
	struct process_profile *proc;

	memset(r, 0, sizeof(*r));
	p->nr_command = 3;
	p->command = calloc(p->nr_command + 1, sizeof(*p->command));
	cr_assert_not_null(p->command);
	p->command[0] = xstrdup("./server");
	p->command[1] = xstrdup("--name=<script>alert(\"x\")</script>");
	p->command[2] = xstrdup("bad \xff\xfe utf8\n\x01\ttab \xc3\xa9t\xc3\xa9 \xe2\x82");
	snprintf(p->kernel, sizeof(p->kernel), "6.1.0-13-amd64");
	p->cpus = 8;
	p->created_at = 1700000000;
	p->target_pid = 4242;
	p->target_exited = true;
	p->exit_code = 3;
	p->signal = 0;
	p->start_ns = 123456789;
	p->duration_ns = 2500000000ULL;

	p->nr_processes = 2;
	p->processes = calloc(2, sizeof(*p->processes));
	cr_assert_not_null(p->processes);
	proc = &p->processes[0];
	proc->pid = 4242;
	proc->ppid = 1;
	snprintf(proc->comm, sizeof(proc->comm), "server");
	proc->exe = xstrdup("/usr/local/bin/ser\xffver \"quoted\"");
	proc->argv0 = xstrdup("./server");
	proc->exited = true;
	proc->exit_code = 3;
	proc->start_ns = 0;
	proc->end_ns = 2500000000ULL;
	proc->nr_threads = 2;
	proc->threads = calloc(2, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	fill_thread(&proc->threads[0], 4242, "server", 1);
	/* 13 bytes that the writer grows to 17: beyond comm once read back */
	fill_thread(&proc->threads[1], 4243, "\xff\xfe<script>\x01\"q", 2);

	proc = &p->processes[1];
	proc->pid = 4300;
	proc->ppid = 4242;
	snprintf(proc->comm, sizeof(proc->comm), "worker\n");
	proc->exe = NULL; /* unknown */
	proc->argv0 = NULL;
	proc->exited = true;
	proc->exit_code = -1;
	proc->signal = 9;
	proc->start_ns = 1000;
	proc->end_ns = 0;
	proc->nr_threads = 1;
	proc->threads = calloc(1, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	fill_thread(&proc->threads[0], 4300, "worker", 0);

	p->nr_syscall_waits = 2;
	p->syscall_waits = calloc(2, sizeof(*p->syscall_waits));
	cr_assert_not_null(p->syscall_waits);
	snprintf(p->syscall_waits[0].name, sizeof(p->syscall_waits[0].name), "epoll_wait");
	p->syscall_waits[0].nr = 232;
	p->syscall_waits[0].count = 1000;
	p->syscall_waits[0].total_ns = UINT64_MAX; /* the largest a u64 holds */
	p->syscall_waits[0].max_ns = 5000000;
	fill_hist(p->syscall_waits[0].hist, 3);
	snprintf(p->syscall_waits[1].name, sizeof(p->syscall_waits[1].name), "page_fault");
	p->syscall_waits[1].nr = -1;
	p->syscall_waits[1].count = 2;
	p->syscall_waits[1].total_ns = 20000;
	p->syscall_waits[1].max_ns = 15000;
	p->syscall_waits[1].hist[MAX_SLOTS - 1] = 7;

	p->syscalls_enabled = syscalls;
	if (syscalls) {
		p->nr_syscalls = 1;
		p->syscalls = calloc(1, sizeof(*p->syscalls));
		cr_assert_not_null(p->syscalls);
		snprintf(p->syscalls[0].name, sizeof(p->syscalls[0].name), "read");
		p->syscalls[0].count = 5000;
		p->syscalls[0].errors = 12;
		p->syscalls[0].total_ns = 9999999;
		p->syscalls[0].max_ns = 888888;
		fill_hist(p->syscalls[0].hist, 5);
	}

	for (int c = 0; c < NR_CAUSES; c++) {
		fill_wait_hist(&p->waits[c].all, c + 2);
		fill_wait_hist(&p->waits[c].ext, c + 1);
	}
	p->conns = (struct connections){ .tcp_counted = true, .unix_counted = false,
					 .accepted = 120, .connected = 3, .peak_open = 70,
					 .closed = 118, .distinct_peers = 9 };

	p->bucket_ns = 100000000;
	p->nr_buckets = 3;
	p->buckets = calloc(3, sizeof(*p->buckets));
	cr_assert_not_null(p->buckets);
	for (size_t i = 0; i < 3; i++)
		p->buckets[i] = (struct timeline_bucket){ i * 1000, i * 10, i * 500000, 7 };

	snprintf(p->runtime, sizeof(p->runtime), "native");
	snprintf(p->overhead.mode, sizeof(p->overhead.mode), "sched+sockops%s",
		 syscalls ? "+syscalls" : "");
	p->overhead.events = 123456;
	p->overhead.dropped = 0;
	p->overhead.anomalies = 2;
	p->overhead.recursion_misses = 1;

	v->model = MODEL_ASYNC;
	v->confidence = 0.8125;
	snprintf(v->confidence_basis, sizeof(v->confidence_basis),
		 "io_fraction 0.4 above its threshold; 2.5 s run; no drops");
	v->io_fraction = 0.9;
	v->wait_p50_ns = 12500000;
	v->peak_open = 70;
	v->busy_threads = 1.25;
	snprintf(v->current_model, sizeof(v->current_model), "event-loop");
	v->already_fits = true;
	snprintf(v->runtime, sizeof(v->runtime), "native");
	v->nr_path = 2;
	v->path[0] = (struct path_node){ "io_fraction", 0.9, 0.5, "io_bound" };
	v->path[1] = (struct path_node){ "wait_p50_ms", 12.5, 1, "io_very_slow" };
	v->speedup_bound = NAN; /* written as null */
	snprintf(v->speedup_basis, sizeof(v->speedup_basis), "no bound for I/O that already overlaps");
	snprintf(v->advice, sizeof(v->advice), "keep the event loop");
	snprintf(v->rationale, sizeof(v->rationale),
		 "90%% of the busy time was I/O. Half of it was in waits of 12.5 ms or more.");

	r->thresholds = (struct thresholds){ .io_bound_min = 0.5, .slow_wait_ms = 1,
					     .many_conns = 64, .busy_min = 0.01,
					     .min_duration_ms = 20, .asleep_min = 0.9 };
}

/* The JSON text of r; caller frees. */
static char *to_json(const struct report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	cr_assert_not_null(f);
	err = report_json_write(f, r);
	cr_assert_eq(err, 0, "report_json_write: %s", strerror(-err));
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static char *tmp_dir(void)
{
	char tmpl[] = "/tmp/advisor-test-json-XXXXXX";
	char *d = mkdtemp(tmpl);

	cr_assert_not_null(d, "mkdtemp: %s", strerror(errno));
	return xstrdup(d);
}

/* Writes len bytes of text to dir/name; returns the path, caller frees. */
static char *put_file(const char *dir, const char *name, const char *text, size_t len)
{
	char *path;
	FILE *f;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fwrite(text, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static void rm_tree(const char *dir)
{
	char *cmd;

	cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* Exit status of the schema check; quiet leaves out its messages. */
static int validate(const char *report_path, bool quiet)
{
	char *cmd;
	int st;

	cr_assert(asprintf(&cmd, "%s %stests/unit/validate_schema.py %sreports/schema/report-1.json '%s'%s",
			   PYTHON, src_root(), src_root(), report_path,
			   quiet ? " 2>/dev/null" : "") > 0);
	st = system(cmd);
	free(cmd);
	cr_assert_neq(st, -1, "system: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void assert_round_trip(bool syscalls)
{
	struct report x, y;
	char err[256] = "", *dir = tmp_dir(), *a, *b, *path;
	int rc;

	sample_report(&x, syscalls);
	a = to_json(&x);
	path = put_file(dir, "report.json", a, strlen(a));
	rc = report_json_read(path, &y, err, sizeof(err));
	cr_assert_eq(rc, 0, "report_json_read: %d %s", rc, err);
	b = to_json(&y);
	cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);

	cr_assert_eq(y.profile.duration_ns, x.profile.duration_ns);
	cr_assert_eq(y.profile.syscalls_enabled, syscalls);
	cr_assert_eq(y.profile.nr_syscalls, syscalls ? 1 : 0);
	cr_assert_eq(y.profile.nr_processes, 2);
	cr_assert_eq(y.profile.processes[1].exe, NULL);
	cr_assert_eq(y.profile.processes[1].signal, 9);
	cr_assert_eq(y.profile.processes[0].threads[1].tid, 4243);
	cr_assert_eq(y.profile.syscall_waits[0].total_ns, UINT64_MAX);
	cr_assert_eq(y.profile.syscall_waits[1].nr, -1);
	cr_assert_eq(y.profile.created_at, x.profile.created_at);
	cr_assert_str_eq(y.profile.command[0], "./server");
	cr_assert_null(y.profile.command[3]);
	cr_assert_eq(y.verdict.model, MODEL_ASYNC);
	cr_assert(isnan(y.verdict.speedup_bound));
	cr_assert_eq(y.verdict.nr_path, 2);
	cr_assert_str_eq(y.profile.runtime, "native");
	cr_assert_eq(y.thresholds.many_conns, 64);
	cr_assert_eq(y.thresholds.busy_min, 0.01);

	report_free(&y);
	report_free(&x);
	free(a);
	free(b);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, round_trip)
{
	assert_round_trip(true);
}

Test(json, round_trip_without_syscalls)
{
	assert_round_trip(false);
}

/* What the decision writes, long sentences included, reads back the same. */
Test(json, round_trip_of_a_decided_verdict)
{
	struct report x, y;
	char err[256] = "", *dir = tmp_dir(), *a, *b, *path;
	int rc;

	sample_report(&x, false);
	thresholds_default(&x.thresholds);
	cr_assert_eq(decide_model(&x.profile, &x.thresholds, &x.verdict), 0);
	a = to_json(&x);
	path = put_file(dir, "report.json", a, strlen(a));
	rc = report_json_read(path, &y, err, sizeof(err));
	cr_assert_eq(rc, 0, "report_json_read: %d %s", rc, err);
	b = to_json(&y);
	cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);
	cr_assert_eq(validate(path, false), 0);

	report_free(&y);
	report_free(&x);
	free(a);
	free(b);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, syscalls_key_only_with_syscalls)
{
	struct report r;
	struct json_object *root;
	char *a;

	sample_report(&r, false);
	a = to_json(&r);
	root = json_tokener_parse(a);
	cr_assert_not_null(root);
	cr_assert_not(json_object_object_get_ex(root, "syscalls", NULL));
	cr_assert(json_object_object_get_ex(root, "syscall_waits", NULL));
	json_object_put(root);
	free(a);
	report_free(&r);
}

static const char *get_str(struct json_object *root, const char *key, size_t idx, const char *sub)
{
	struct json_object *v;

	cr_assert(json_object_object_get_ex(root, key, &v), "no key %s", key);
	v = json_object_array_get_idx(v, idx);
	if (sub)
		cr_assert(json_object_object_get_ex(v, sub, &v), "no key %s", sub);
	cr_assert(json_object_is_type(v, json_type_string));
	return json_object_get_string(v);
}

Test(json, hostile_strings_give_valid_json_and_utf8)
{
	struct report r;
	struct json_tokener *tok;
	struct json_object *root, *v;
	char *a;

	sample_report(&r, true);
	/* comm as the kernel's fixed array, here with no NUL at all */
	memcpy(r.profile.processes[0].comm, "<script>\xff\"\n\x01\x7f" "abc", COMM_LEN);
	a = to_json(&r);

	/* a strict parser that also rejects invalid UTF-8 takes it */
	tok = json_tokener_new();
	cr_assert_not_null(tok);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	root = json_tokener_parse_ex(tok, a, strlen(a));
	cr_assert_not_null(root, "not valid JSON/UTF-8: %s",
			   json_tokener_error_desc(json_tokener_get_error(tok)));
	cr_assert_eq(strspn(a + json_tokener_get_parse_end(tok), " \n"),
		     strlen(a + json_tokener_get_parse_end(tok)), "data after the report");
	json_tokener_free(tok);

	/* no raw control byte, no byte that UTF-8 never uses */
	for (const unsigned char *s = (const unsigned char *)a; *s; s++) {
		cr_assert(*s >= 0x20 || *s == '\n', "raw control byte 0x%02x", *s);
		cr_assert(*s != 0xff && *s != 0xfe && *s != 0xc0 && *s != 0xc1);
	}

	cr_assert_str_eq(get_str(root, "processes", 0, "comm"),
			 "<script>\xef\xbf\xbd\"\n\x01\x7f" "abc");
	cr_assert_str_eq(get_str(root, "command", 1, NULL), "--name=<script>alert(\"x\")</script>");
	/* each invalid byte, and the truncated sequence at the end, is U+FFFD */
	cr_assert_str_eq(get_str(root, "command", 2, NULL),
			 "bad \xef\xbf\xbd\xef\xbf\xbd utf8\n\x01\ttab \xc3\xa9t\xc3\xa9 "
			 "\xef\xbf\xbd\xef\xbf\xbd");
	cr_assert_str_eq(get_str(root, "processes", 0, "exe"),
			 "/usr/local/bin/ser\xef\xbf\xbdver \"quoted\"");
	cr_assert_str_eq(get_str(root, "processes", 1, "exe"), "");

	/* not finite is null, not NaN (which is not JSON) */
	cr_assert(json_object_object_get_ex(root, "verdict", &v));
	cr_assert(json_object_object_get_ex(v, "speedup_bound", &v));
	cr_assert_null(v);
	cr_assert_null(strstr(a, "NaN"));
	cr_assert_null(strstr(a, "nan"));

	json_object_put(root);
	free(a);
	report_free(&r);
}

Test(json, utf8_sanitize)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "plain", "plain" },
		{ "\xc3\xa9", "\xc3\xa9" },
		{ "\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80" }, /* U+1F600 */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" }, /* overlong '/' */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "a\x80z", "a\xef\xbf\xbdz" },
		{ "\xe2\x82", "\xef\xbf\xbd\xef\xbf\xbd" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = report_utf8_sanitize(cases[i].in, SIZE_MAX);

		cr_assert_str_eq(s, cases[i].out, "case %zu", i);
		free(s);
	}
}

Test(json, validates_against_schema)
{
	char *dir = tmp_dir();

	for (int syscalls = 0; syscalls <= 1; syscalls++) {
		struct report r;
		char *a, *path;
		int st;

		sample_report(&r, syscalls);
		if (!syscalls) {
			r.verdict.model = MODEL_INCONCLUSIVE;
			snprintf(r.verdict.inconclusive_reason, sizeof(r.verdict.inconclusive_reason),
				 "too-short");
		}
		a = to_json(&r);
		path = put_file(dir, "report.json", a, strlen(a));
		st = validate(path, false);
		cr_assert_eq(st, 0, "%s does not validate against the schema (exit %d)", path, st);
		free(path);
		free(a);
		report_free(&r);
	}
	rm_tree(dir);
	free(dir);
}

/* Makes sure the check above can fail at all. */
Test(json, schema_rejects_a_broken_report)
{
	struct report r;
	struct json_object *root;
	char *dir = tmp_dir(), *a, *path;
	const char *text;

	sample_report(&r, true);
	a = to_json(&r);
	root = json_tokener_parse(a);
	cr_assert_not_null(root);
	json_object_object_add(root, "duration_ns", json_object_new_int64(-1));
	text = json_object_to_json_string(root);
	path = put_file(dir, "report.json", text, strlen(text));
	cr_assert_eq(validate(path, true), 1);

	json_object_put(root);
	free(path);
	free(a);
	report_free(&r);
	rm_tree(dir);
	free(dir);
}

/* Navigates "a.0.b" (objects by key, arrays by index) and sets the last one. */
static void set_path(struct json_object *root, const char *path, struct json_object *v)
{
	char *p = xstrdup(path), *save = NULL, *tok, *next;
	struct json_object *o = root;

	tok = strtok_r(p, ".", &save);
	while ((next = strtok_r(NULL, ".", &save))) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, atoi(tok));
		else
			cr_assert(json_object_object_get_ex(o, tok, &o), "no %s in %s", tok, path);
		tok = next;
	}
	if (json_object_is_type(o, json_type_array))
		json_object_array_put_idx(o, atoi(tok), v);
	else if (v == (struct json_object *)&set_path) /* marker: delete */
		json_object_object_del(o, tok);
	else
		json_object_object_add(o, tok, v);
	free(p);
}

#define DELETE ((struct json_object *)&set_path)

struct bad_case {
	const char *path; /* key to change in a good report, or NULL */
	const char *value; /* JSON text of its new value ("" deletes), or the whole file */
	const char *want; /* in the message */
};

static const struct bad_case bad_cases[] = {
	{ NULL, "", "malformed JSON at offset 0" },
	{ NULL, "{\"schema\": \"advisor-report/1\", \"host\": {\"ker", "malformed JSON at offset 44" },
	{ NULL, "{\"schema\": \"advisor-report/1\",,}", "malformed JSON at offset" },
	{ NULL, "[1, 2, 3]", "not an advisor report (not a JSON object)" },
	{ NULL, "\"advisor-report/1\"", "not an advisor report" },
	{ NULL, "{}", "not an advisor report (schema is missing)" },
	{ NULL, "{\"schema\": \"advisor-report/2\"}", "not an advisor report (schema is not" },
	{ NULL, "{\"schema\": 1}", "not an advisor report (schema is not" },
	{ NULL, "{\"schema\": \"advisor-report/1\"}", "key 'advisor_version' is missing" },
	{ NULL, "{\"schema\": \"advisor-report/1\"} trailing", "malformed JSON at offset 31" },
	{ NULL, "{\"schema\": \"advisor-\xff\"}", "malformed JSON at offset" },
	{ NULL, "{\"schema\": NaN}", "not an advisor report (schema is not" }, /* json-c takes NaN */
	{ "duration_ns", "\"1000\"", "key 'duration_ns' must be an integer" },
	{ "duration_ns", "-5", "key 'duration_ns' must not be negative" },
	{ "duration_ns", "1.5", "key 'duration_ns' must be an integer" },
	{ "duration_ns", "null", "key 'duration_ns' must be an integer" },
	{ "created_at", "\"yesterday\"", "key 'created_at' must be a UTC time" },
	{ "host", "[]", "key 'host' must be an object" },
	{ "host.cpus", "4294967296", "key 'host.cpus' is out of range" },
	{ "target.pid", "4294967296", "key 'target.pid' must be at most 4294967295" },
	{ "command", "{}", "key 'command' must be an array" },
	{ "command.1", "7", "key 'command[1]' must be a string" },
	{ "attached", "1", "key 'attached' must be true or false" },
	{ "processes.0", "1", "key 'processes[0]' must be an object" },
	{ "processes.1.threads.0.cpu_ns", "1.5",
	  "key 'processes[1].threads[0].cpu_ns' must be an integer" },
	{ "processes.0.threads.1.blocked_ns.ipc", "" /* deleted */,
	  "key 'processes[0].threads[1].blocked_ns.ipc' is missing" },
	{ "processes.0.comm", "[\"x\"]", "key 'processes[0].comm' must be a string" },
	{ "syscall_waits.0.hist_log2_ns",
	  "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]",
	  "key 'syscall_waits[0].hist_log2_ns' has more slots than a log2 histogram" },
	{ "syscall_waits.0.hist_log2_ns", "[1, -1]",
	  "key 'syscall_waits[0].hist_log2_ns[1]' must not be negative" },
	{ "syscalls", "\"all\"", "key 'syscalls' must be an array" },
	{ "waits.poll.external.max_ns", "true", "key 'waits.poll.external.max_ns' must be an integer" },
	{ "timeline.buckets.2", "[]", "key 'timeline.buckets[2]' must be an object" },
	{ "verdict.model", "\"fast\"", "key 'verdict.model' must be async" },
	{ "verdict.confidence", "\"high\"", "key 'verdict.confidence' must be a number or null" },
	{ "verdict.path", "[{}, {}, {}, {}, {}]",
	  "key 'verdict.path' has more nodes than the decision tree" },
	{ "verdict.path.0.value", "{}", "key 'verdict.path[0].value' must be a number or null" },
	{ "verdict.inconclusive_reason", "3", "key 'verdict.inconclusive_reason' must be a string" },
	{ "thresholds.many_conns", "[64]", "key 'thresholds.many_conns' must be a number" },
	{ "overhead.dropped", "-1", "key 'overhead.dropped' must not be negative" },
};

/* Numbers json-c cannot hold as they are: put in as text. */
static const char *const odd_numbers[] = {
	"1e400", "123456789012345678901234567890", "-123456789012345678901234567890",
	"18446744073709551616", "-0", "0x10", "01", "+1", "1.", ".5", "Infinity", "-",
};

static void assert_refused(const char *dir, const char *text, size_t len, const char *want,
			   const char *label)
{
	struct report r;
	char err[512], *path = put_file(dir, "report.json", text, len);
	int rc;

	memset(err, 'x', sizeof(err));
	rc = report_json_read(path, &r, err, sizeof(err));
	cr_assert_eq(rc, -EINVAL, "%s: rc %d, err '%s'", label, rc, rc ? err : "");
	cr_assert(!strncmp(err, path, strlen(path)) && !strncmp(err + strlen(path), ": ", 2),
		  "%s: message does not start with the file name: '%s'", label, err);
	cr_assert_not_null(strstr(err, want), "%s: want '%s' in '%s'", label, want, err);
	cr_assert_null(strchr(err, '\n'), "%s: message is not one line: '%s'", label, err);
	/* nothing left to free */
	cr_assert_null(r.profile.processes);
	cr_assert_null(r.profile.command);
	free(path);
}

Test(json, malformed_inputs_are_refused)
{
	struct report good;
	char *dir = tmp_dir(), *a;

	sample_report(&good, true);
	a = to_json(&good);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct json_object *root, *v;
		const char *text;
		char label[128];

		snprintf(label, sizeof(label), "case %zu (%s)", i, c->path ? c->path : c->value);
		if (!c->path) {
			assert_refused(dir, c->value, strlen(c->value), c->want, label);
			continue;
		}
		root = json_tokener_parse(a);
		cr_assert_not_null(root);
		if (!*c->value) {
			v = DELETE;
		} else {
			v = json_tokener_parse(c->value);
			cr_assert(v || !strcmp(c->value, "null"), "%s: bad test value", label);
		}
		set_path(root, c->path, v);
		text = json_object_to_json_string(root);
		assert_refused(dir, text, strlen(text), c->want, label);
		json_object_put(root);
	}
	for (size_t i = 0; i < sizeof(odd_numbers) / sizeof(odd_numbers[0]); i++) {
		const char *key = "\"duration_ns\": ";
		const char *at = strstr(a, key);
		struct report r;
		char *raw, *path, err[256];
		int rc;

		cr_assert_not_null(at);
		at += strlen(key);
		cr_assert(asprintf(&raw, "%.*s%s%s", (int)(at - a), a, odd_numbers[i],
				   strchr(at, ',')) > 0);
		path = put_file(dir, "report.json", raw, strlen(raw));
		/*
		 * -0 is 0 to json-c, and it saturates integers beyond 64 bits:
		 * what matters is no crash, no negative and no wrap-around
		 */
		rc = report_json_read(path, &r, err, sizeof(err));
		cr_assert(rc == -EINVAL || (rc == 0 && (r.profile.duration_ns == 0 ||
							r.profile.duration_ns == UINT64_MAX)),
			  "duration_ns %s: rc %d, err '%s'", odd_numbers[i], rc, err);
		cr_assert(rc == 0 || !strchr(err, '\n'));
		if (!rc)
			report_free(&r);
		free(path);
		free(raw);
	}
	free(a);
	report_free(&good);
	rm_tree(dir);
	free(dir);
}

Test(json, truncated_reports_are_refused)
{
	struct report good;
	char *dir = tmp_dir(), *a, label[64];
	size_t len;

	sample_report(&good, true);
	a = to_json(&good);
	len = strlen(a);
	/* every cut before the closing brace, in steps that hit all kinds of tokens */
	for (size_t cut = 0; cut + 2 < len; cut += 1 + cut / 7) {
		snprintf(label, sizeof(label), "cut at %zu", cut);
		assert_refused(dir, a, cut, "malformed JSON at offset", label);
	}
	free(a);
	report_free(&good);
	rm_tree(dir);
	free(dir);
}

Test(json, deep_and_odd_files_are_refused)
{
	char *dir = tmp_dir(), *deep;
	size_t n = 100000;
	static const char nul[] = "{\"schema\": \"advisor-report/1\"}\0{}";

	deep = malloc(2 * n + 1);
	cr_assert_not_null(deep);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	deep[2 * n] = '\0';
	assert_refused(dir, deep, 2 * n, "malformed JSON at offset 16", "deep arrays");
	for (size_t i = 0; i + 5 <= 2 * n; i += 5)
		memcpy(deep + i, "{\"a\":", 5);
	assert_refused(dir, deep, 2 * n, "malformed JSON at offset", "deep objects");
	assert_refused(dir, nul, sizeof(nul) - 1, "malformed JSON at offset", "NUL inside");
	free(deep);
	rm_tree(dir);
	free(dir);
}

Test(json, unreadable_files)
{
	struct report r;
	char err[256];
	char *dir = tmp_dir(), *missing;

	cr_assert(asprintf(&missing, "%s/none.json", dir) > 0);
	cr_assert_eq(report_json_read(missing, &r, err, sizeof(err)), -ENOENT);
	cr_assert_not_null(strstr(err, "none.json: cannot open: "), "%s", err);
	cr_assert_eq(report_json_read(dir, &r, err, sizeof(err)), -EISDIR);
	/* a message longer than the buffer is cut, never overrun */
	cr_assert_eq(report_json_read(missing, &r, err, 8), -ENOENT);
	cr_assert_eq(strlen(err), 7);
	free(missing);
	rm_tree(dir);
	free(dir);
}

Test(json, full_disk_is_an_error)
{
	struct report r;
	FILE *f;
	char *dir = tmp_dir(), *link_path;
	int rc;

	sample_report(&r, true);
	f = fopen("/dev/full", "w");
	cr_assert_not_null(f, "/dev/full: %s", strerror(errno));
	rc = report_json_write(f, &r);
	cr_assert(rc == -ENOSPC || rc == -EIO, "report_json_write to /dev/full gave %d", rc);
	fclose(f);

	/* through a path with a report's extension, as -o would use it */
	cr_assert(asprintf(&link_path, "%s/full.json", dir) > 0);
	cr_assert_eq(symlink("/dev/full", link_path), 0);
	rc = report_write_path(link_path, &r);
	cr_assert(rc == -ENOSPC || rc == -EIO, "report_write_path to /dev/full gave %d", rc);
	free(link_path);

	cr_assert(asprintf(&link_path, "%s/no/such/dir/r.json", dir) > 0);
	cr_assert_eq(report_write_path(link_path, &r), -ENOENT);
	free(link_path);
	cr_assert(asprintf(&link_path, "%s/r.txt", dir) > 0);
	cr_assert_eq(report_write_path(link_path, &r), -EINVAL);
	free(link_path);

	report_free(&r);
	rm_tree(dir);
	free(dir);
}

Test(json, write_path_writes_the_report)
{
	struct report r, back;
	char err[256], *dir = tmp_dir(), *path;

	sample_report(&r, false);
	cr_assert(asprintf(&path, "%s/out.JSON", dir) > 0);
	cr_assert_eq(report_write_path(path, &r), 0);
	cr_assert_eq(report_json_read(path, &back, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(back.profile.target_pid, 4242);
	report_free(&back);
	report_free(&r);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, format_of)
{
	cr_assert_eq(report_format_of("-"), REPORT_JSON);
	cr_assert_eq(report_format_of("r.json"), REPORT_JSON);
	cr_assert_eq(report_format_of("dir.d/R.Json"), REPORT_JSON);
	cr_assert_eq(report_format_of("r.html"), REPORT_HTML);
	cr_assert_eq(report_format_of("/tmp/r.htm"), REPORT_HTML);
	cr_assert_eq(report_format_of("report"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of("dir.json/report"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of("r.txt"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of(".json.bak"), REPORT_UNKNOWN);
}

Test(json, summary)
{
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	sample_report(&r, false);
	snprintf(r.verdict.advice, sizeof(r.verdict.advice), "evil\033[2J advice");
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	report_summary_write(f, &r);
	cr_assert_eq(fclose(f), 0);
	cr_assert_not_null(strstr(buf, "verdict: async (confidence 0.81)"), "%s", buf);
	cr_assert_not_null(strstr(buf, "event-loop -> async (already fits)"), "%s", buf);
	cr_assert_not_null(strstr(buf, "io_fraction 0.9 (threshold 0.5) -> io_bound"), "%s", buf);
	cr_assert_not_null(strstr(buf, "wait_p50_ms 12.5 ms (threshold 1 ms) -> io_very_slow"),
			   "%s", buf);
	cr_assert_not_null(strstr(buf, "in 2.5 s wall; target exited with status 3"), "%s", buf);
	cr_assert_null(strchr(buf, '\033'), "an escape reached the terminal: %s", buf);
	free(buf);
	report_free(&r);
}
