// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The JSON report, the report document printed: a saved report reads back
 * to the same document and is written again as the same text, it is valid
 * JSON and UTF-8 whatever the target's strings hold, it matches the shipped
 * schema, the reader refuses broken or hostile files with one line, and a
 * full disk is an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "reports/report.h"
#include "reports/text.h"
#include "gates_fixture.h"

#define PYTHON "/usr/bin/python3"

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
	p->command[0] = fx_strdup("./server");
	p->command[1] = fx_strdup("--name=<script>alert(\"x\")</script>");
	p->command[2] = fx_strdup("bad \xff\xfe utf8\n\x01\ttab \xc3\xa9t\xc3\xa9 \xe2\x82");
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
	proc->exe = fx_strdup("/usr/local/bin/ser\xffver \"quoted\"");
	proc->argv0 = fx_strdup("./server");
	proc->exited = true;
	proc->exit_code = 3;
	proc->start_ns = 0;
	proc->end_ns = 2500000000ULL;
	proc->nr_threads = 2;
	proc->threads = calloc(2, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	fill_thread(&proc->threads[0], 4242, "server", 1);
	/* 13 bytes that grow to 17 in the document: more than comm holds */
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


/* The document of r; caller frees with json_object_put(). */
static struct json_object *build(const struct report *r)
{
	struct json_object *doc = document_build(r);

	cr_assert_not_null(doc, "document_build: %s", strerror(errno));
	return doc;
}

/* The JSON text of doc; caller frees. */
static char *to_json(const struct json_object *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int err;

	cr_assert_not_null(f);
	err = report_json_write(f, doc);
	cr_assert_eq(err, 0, "report_json_write: %s", strerror(-err));
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* The JSON text of the document of r; caller frees. */
static char *report_to_json(const struct report *r)
{
	struct json_object *doc = build(r);
	char *text = to_json(doc);

	json_object_put(doc);
	return text;
}

static char *tmp_dir(void)
{
	char tmpl[] = "/tmp/advisor-test-json-XXXXXX";
	char *d = mkdtemp(tmpl);

	cr_assert_not_null(d, "mkdtemp: %s", strerror(errno));
	return fx_strdup(d);
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

/* Reads a report that must be good; caller frees with json_object_put(). */
static struct json_object *read_good(const char *path)
{
	char err[512] = "";
	struct json_object *doc = document_read(path, err, sizeof(err));

	cr_assert_not_null(doc, "document_read: %s (%s)", err, strerror(errno));
	return doc;
}

/* Exit status of the schema check; quiet leaves out its messages. */
static int validate(const char *report_path, bool quiet)
{
	char *cmd;
	int st;

	cr_assert(asprintf(&cmd, "%s %stests/unit/validate_schema.py %sreports/schema/report-1.json '%s'%s",
			   PYTHON, fx_src_root(), fx_src_root(), report_path,
			   quiet ? " 2>/dev/null" : "") > 0);
	st = system(cmd);
	free(cmd);
	cr_assert_neq(st, -1, "system: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/*
 * Finds "a.0.b" (objects by key, arrays by index) below root. With last,
 * stops one short: returns the parent and puts the last key in *last
 * (caller frees).
 */
static struct json_object *find(struct json_object *root, const char *path, char **last)
{
	char *p = fx_strdup(path), *save = NULL, *tok, *next;
	struct json_object *o = root;

	tok = strtok_r(p, ".", &save);
	for (;;) {
		next = strtok_r(NULL, ".", &save);
		if (!next && last)
			break;
		if (json_object_is_type(o, json_type_array)) {
			cr_assert_lt((size_t)atoi(tok), json_object_array_length(o), "no %s in %s",
				     tok, path);
			o = json_object_array_get_idx(o, atoi(tok));
		} else {
			cr_assert(json_object_object_get_ex(o, tok, &o), "no %s in %s", tok, path);
		}
		if (!next)
			break;
		tok = next;
	}
	if (last)
		*last = fx_strdup(tok);
	free(p);
	return o;
}

/* The value at path, which must be there (NULL is JSON null). */
static struct json_object *get(struct json_object *root, const char *path)
{
	return find(root, path, NULL);
}

static __u64 get_u64(struct json_object *root, const char *path)
{
	struct json_object *v = get(root, path);

	cr_assert(json_object_is_type(v, json_type_int), "%s is not an integer", path);
	cr_assert_geq(json_object_get_int64(v), 0, "%s is negative", path);
	return json_object_get_uint64(v);
}

static long long get_int(struct json_object *root, const char *path)
{
	struct json_object *v = get(root, path);

	cr_assert(json_object_is_type(v, json_type_int), "%s is not an integer", path);
	return json_object_get_int64(v);
}

static double get_double(struct json_object *root, const char *path)
{
	struct json_object *v = get(root, path);

	cr_assert(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int),
		  "%s is not a number", path);
	return json_object_get_double(v);
}

static const char *get_str(struct json_object *root, const char *path)
{
	struct json_object *v = get(root, path);

	cr_assert(json_object_is_type(v, json_type_string), "%s is not a string", path);
	return json_object_get_string(v);
}

static size_t get_len(struct json_object *root, const char *path)
{
	struct json_object *v = get(root, path);

	cr_assert(json_object_is_type(v, json_type_array), "%s is not an array", path);
	return json_object_array_length(v);
}

static bool has(struct json_object *root, const char *key)
{
	return json_object_object_get_ex(root, key, NULL);
}

/*
 * a and b hold the same values. Numbers compare by value: a double that is
 * whole prints as an integer ("1") and reads back as one.
 */
static void assert_same_doc(struct json_object *a, struct json_object *b, const char *path)
{
	enum json_type ta = json_object_get_type(a), tb = json_object_get_type(b);
	char sub[512];

	if ((ta == json_type_int || ta == json_type_double) &&
	    (tb == json_type_int || tb == json_type_double)) {
		if (ta == json_type_int && tb == json_type_int)
			cr_assert(json_object_equal(a, b), "%s: %s, read back %s", path,
				  json_object_to_json_string(a), json_object_to_json_string(b));
		else
			cr_assert_eq(json_object_get_double(a), json_object_get_double(b),
				     "%s: %s, read back %s", path, json_object_to_json_string(a),
				     json_object_to_json_string(b));
		return;
	}
	cr_assert_eq(ta, tb, "%s: %s, read back %s", path, json_object_to_json_string(a),
		     json_object_to_json_string(b));
	if (ta == json_type_array) {
		cr_assert_eq(json_object_array_length(a), json_object_array_length(b), "%s", path);
		for (size_t i = 0; i < json_object_array_length(a); i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			assert_same_doc(json_object_array_get_idx(a, i),
					json_object_array_get_idx(b, i), sub);
		}
	} else if (ta == json_type_object) {
		cr_assert_eq(json_object_object_length(a), json_object_object_length(b), "%s",
			     path);
		json_object_object_foreach(a, key, val)
		{
			struct json_object *other;

			snprintf(sub, sizeof(sub), "%s%s%s", path, *path ? "." : "", key);
			cr_assert(json_object_object_get_ex(b, key, &other), "%s: not read back",
				  sub);
			assert_same_doc(val, other, sub);
		}
	} else {
		cr_assert(json_object_equal(a, b), "%s: %s, read back %s", path,
			  json_object_to_json_string(a), json_object_to_json_string(b));
	}
}

/* The numbers of the document read back are those of the struct it was built from. */
static void assert_numbers(struct json_object *y, const struct report *x)
{
	const struct profile *p = &x->profile;
	const struct syscall_stat *sw = &p->syscall_waits[0];
	char key[64];

	cr_assert_eq(get_u64(y, "duration_ns"), p->duration_ns);
	cr_assert_str_eq(get_str(y, "created_at"), "2023-11-14T22:13:20Z");
	cr_assert_eq(get_int(y, "host.cpus"), 8);
	cr_assert_eq(get_u64(y, "target.pid"), 4242);
	cr_assert_eq(get_int(y, "target.exit_code"), 3);
	cr_assert_eq(get_len(y, "command"), 3);
	cr_assert_str_eq(get_str(y, "command.0"), "./server");
	cr_assert_eq(get_len(y, "processes"), 2);
	cr_assert_str_eq(get_str(y, "processes.1.exe"), "", "an unknown exe is \"\"");
	cr_assert_eq(get_int(y, "processes.1.signal"), 9);
	cr_assert_eq(get_int(y, "processes.1.exit_code"), -1);
	cr_assert_eq(get_u64(y, "processes.0.threads.1.tid"), 4243);
	cr_assert_eq(get_u64(y, "processes.0.threads.1.cpu_ns"), p->processes[0].threads[1].cpu_ns);
	cr_assert_eq(get_u64(y, "processes.0.threads.1.runq_ns"), 2 * 11 + 2 * 13);
	cr_assert_eq(get_u64(y, "processes.0.threads.1.blocked_ns.ipc"),
		     p->processes[0].threads[1].blocked_ns[CAUSE_IPC]);
	cr_assert_eq(get_u64(y, "time.cpu_ns"), 3000001ULL * 3, "the sum of every thread");
	cr_assert_eq(get_u64(y, "time.blocked_ns.net"), 1009ULL * 3);
	cr_assert_eq(get_u64(y, "syscall_waits.0.total_ns"), UINT64_MAX);
	cr_assert_eq(get_int(y, "syscall_waits.1.nr"), -1);
	cr_assert_eq(get_len(y, "syscall_waits.0.hist_log2_ns"), MAX_SLOTS);
	for (int k = 0; k < MAX_SLOTS; k++) {
		snprintf(key, sizeof(key), "syscall_waits.0.hist_log2_ns.%d", k);
		cr_assert_eq(get_u64(y, key), sw->hist[k], "%s", key);
	}
	cr_assert_eq(get_u64(y, "syscall_waits.1.hist_log2_ns.39"), 7);
	cr_assert_eq(has(y, "syscalls"), p->syscalls_enabled);
	if (p->syscalls_enabled) {
		cr_assert_eq(get_len(y, "syscalls"), 1);
		cr_assert_eq(get_u64(y, "syscalls.0.errors"), 12);
		cr_assert_eq(get_u64(y, "syscalls.0.max_ns"), 888888);
	}
	cr_assert_eq(get_u64(y, "waits.poll.count"), p->waits[CAUSE_POLL].all.count);
	cr_assert_eq(get_u64(y, "waits.poll.external.total_ns"), p->waits[CAUSE_POLL].ext.total_ns);
	cr_assert_eq(get_u64(y, "connections.peak_open"), 70);
	cr_assert(json_object_get_boolean(get(y, "connections.tcp_counted")));
	cr_assert_not(json_object_get_boolean(get(y, "connections.unix_counted")));
	cr_assert_eq(get_len(y, "timeline.buckets"), 3);
	cr_assert_eq(get_u64(y, "timeline.buckets.2.runq_ns"), 20);
	cr_assert_str_eq(get_str(y, "verdict.model"), "async");
	cr_assert_eq(get_double(y, "verdict.confidence"), 0.8125);
	cr_assert_str_eq(get_str(y, "verdict.agreement"), "1/1");
	cr_assert_null(get(y, "verdict.speedup_bound"), "not finite is null");
	cr_assert_null(get(y, "verdict.inconclusive_reason"));
	cr_assert_eq(get_len(y, "verdict.path"), 2);
	cr_assert_eq(get_double(y, "verdict.path.1.value"), 12.5);
	cr_assert_eq(get_double(y, "verdict.drivers.io_fraction"), 0.9);
	cr_assert_eq(get_u64(y, "verdict.drivers.wait_p50_ns"), 12500000);
	cr_assert_eq(get_double(y, "verdict.drivers.busy_threads"), 1.25);
	cr_assert_str_eq(get_str(y, "verdict.runtime"), "native");
	cr_assert_eq(get_double(y, "thresholds.many_conns"), 64);
	cr_assert_eq(get_double(y, "thresholds.busy_min"), 0.01);
	cr_assert_eq(get_u64(y, "overhead.anomalies"), 2);
	cr_assert_not(has(y, "repeat"), "no repeat without --repeat");
	cr_assert_not(has(y, "gates"), "no gates unless one was asked for");
}

static void assert_round_trip(bool syscalls)
{
	struct json_object *xd, *yd;
	struct report x;
	char *dir = tmp_dir(), *a, *b, *path;

	sample_report(&x, syscalls);
	xd = build(&x);
	a = to_json(xd);
	path = put_file(dir, "report.json", a, strlen(a));
	yd = read_good(path);
	b = to_json(yd);
	cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);
	assert_same_doc(xd, yd, "");
	assert_numbers(yd, &x);

	json_object_put(yd);
	json_object_put(xd);
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
	struct json_object *yd;
	struct report x;
	char *dir = tmp_dir(), *a, *b, *path;

	sample_report(&x, false);
	thresholds_default(&x.thresholds);
	cr_assert_eq(decide_model(&x.profile, &x.thresholds, &x.verdict), 0);
	a = report_to_json(&x);
	path = put_file(dir, "report.json", a, strlen(a));
	yd = read_good(path);
	b = to_json(yd);
	cr_assert_str_eq(b, a, "written again, the report changed:\n%s\n---\n%s", a, b);
	cr_assert_str_eq(get_str(yd, "verdict.rationale"), x.verdict.rationale);
	cr_assert_eq(validate(path, false), 0);

	json_object_put(yd);
	report_free(&x);
	free(a);
	free(b);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, syscalls_key_only_with_syscalls)
{
	struct json_object *root;
	struct report r;
	char *a;

	sample_report(&r, false);
	a = report_to_json(&r);
	root = json_tokener_parse(a);
	cr_assert_not_null(root);
	cr_assert_not(has(root, "syscalls"));
	cr_assert(has(root, "syscall_waits"));
	json_object_put(root);
	free(a);
	report_free(&r);

	sample_report(&r, true);
	r.profile.nr_syscalls = 0; /* -S with nothing counted is an empty table */
	root = build(&r);
	cr_assert_eq(get_len(root, "syscalls"), 0);
	json_object_put(root);
	report_free(&r);
}

Test(json, hostile_strings_give_valid_json_and_utf8)
{
	struct json_tokener *tok;
	struct json_object *root;
	struct report r;
	char *a;

	sample_report(&r, true);
	/* comm as the kernel's fixed array, here with no NUL at all */
	memcpy(r.profile.processes[0].comm, "<script>\xff\"\n\x01\x7f" "abc", COMM_LEN);
	a = report_to_json(&r);

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

	cr_assert_str_eq(get_str(root, "processes.0.comm"),
			 "<script>\xef\xbf\xbd\"\n\x01\x7f" "abc");
	cr_assert_str_eq(get_str(root, "processes.0.threads.1.comm"),
			 "\xef\xbf\xbd\xef\xbf\xbd<script>\x01\"q");
	cr_assert_str_eq(get_str(root, "command.1"), "--name=<script>alert(\"x\")</script>");
	/* each invalid byte, and the truncated sequence at the end, is U+FFFD */
	cr_assert_str_eq(get_str(root, "command.2"),
			 "bad \xef\xbf\xbd\xef\xbf\xbd utf8\n\x01\ttab \xc3\xa9t\xc3\xa9 "
			 "\xef\xbf\xbd\xef\xbf\xbd");
	cr_assert_str_eq(get_str(root, "processes.0.exe"),
			 "/usr/local/bin/ser\xef\xbf\xbdver \"quoted\"");
	cr_assert_str_eq(get_str(root, "processes.1.exe"), "");
	cr_assert_str_eq(get_str(root, "processes.1.comm"), "worker\n");

	/* not finite is null, not NaN (which is not JSON) */
	cr_assert_null(get(root, "verdict.speedup_bound"));
	cr_assert_null(strstr(a, "NaN"));
	cr_assert_null(strstr(a, "nan"));

	json_object_put(root);
	free(a);
	report_free(&r);
}

Test(json, utf8_sanitize)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
		{ "plain", SIZE_MAX, "plain" },
		{ "", SIZE_MAX, "" },
		{ "\xc3\xa9", SIZE_MAX, "\xc3\xa9" },
		{ "\xf0\x9f\x98\x80", SIZE_MAX, "\xf0\x9f\x98\x80" }, /* U+1F600 */
		{ "\xc0\xaf", SIZE_MAX, "\xef\xbf\xbd\xef\xbf\xbd" }, /* overlong '/' */
		/* a surrogate */
		{ "\xed\xa0\x80", SIZE_MAX, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xf4\x90\x80\x80", SIZE_MAX,
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* past U+10FFFF */
		{ "a\x80z", SIZE_MAX, "a\xef\xbf\xbdz" },
		{ "\xe2\x82", SIZE_MAX, "\xef\xbf\xbd\xef\xbf\xbd" },
		/* len cuts, even inside a sequence, and a NUL ends the string */
		{ "abcdef", 3, "abc" },
		{ "\xc3\xa9t\xc3\xa9", 4, "\xc3\xa9t\xef\xbf\xbd" },
		{ "ab\0cd", SIZE_MAX, "ab" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = text_utf8_sanitize(cases[i].in, cases[i].len);

		cr_assert_not_null(s);
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
		a = report_to_json(&r);
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

/* Makes sure the check above can fail at all, and that advisor's own check agrees. */
Test(json, schema_rejects_a_broken_report)
{
	struct json_object *root;
	struct report r;
	char err[256], *dir = tmp_dir(), *path;
	const char *text;

	sample_report(&r, true);
	root = build(&r);
	json_object_object_add(root, "duration_ns", json_object_new_int64(-1));
	text = json_object_to_json_string(root);
	path = put_file(dir, "report.json", text, strlen(text));
	cr_assert_eq(validate(path, true), 1);
	cr_assert_eq(document_check(root, "broken", err, sizeof(err)), -EINVAL);
	cr_assert_str_eq(err, "broken: key 'duration_ns' must be at least 0");

	json_object_put(root);
	free(path);
	report_free(&r);
	rm_tree(dir);
	free(dir);
}

/* Sets the value at path "a.0.b" (objects by key, arrays by index); DELETE removes it. */
static void set_path(struct json_object *root, const char *path, struct json_object *v)
{
	char *last;
	struct json_object *o = find(root, path, &last);

	if (json_object_is_type(o, json_type_array))
		json_object_array_put_idx(o, atoi(last), v);
	else if (v == (struct json_object *)&set_path) /* marker: delete */
		json_object_object_del(o, last);
	else
		json_object_object_add(o, last, v);
	free(last);
}

#define DELETE ((struct json_object *)&set_path)

struct bad_case {
	const char *path; /* key to change in a good report, or NULL */
	const char *value; /* JSON text of its new value ("" deletes), or the whole file */
	const char *want; /* in the message */
};

static const struct bad_case bad_cases[] = {
	{ NULL, "", "malformed JSON at offset 0 (unexpected end of input)" },
	{ NULL, "{\"schema\": \"advisor-report/1\", \"host\": {\"ker", "malformed JSON at offset 44" },
	{ NULL, "{\"schema\": \"advisor-report/1\",,}", "malformed JSON at offset" },
	{ NULL, "[1, 2, 3]", "not an advisor report (not a JSON object)" },
	{ NULL, "\"advisor-report/1\"", "not an advisor report (not a JSON object)" },
	{ NULL, "{}", "not an advisor report (schema is missing)" },
	{ NULL, "{\"schema\": \"advisor-report/2\"}",
	  "not an advisor report (schema is not 'advisor-report/1')" },
	{ NULL, "{\"schema\": 1}", "not an advisor report (schema is not" },
	{ NULL, "{\"schema\": \"advisor-report/1\"}", "key 'advisor_version' is missing" },
	{ NULL, "{\"schema\": \"advisor-report/1\"} trailing",
	  "malformed JSON at offset 31" },
	{ NULL, "{\"schema\": \"advisor-\xff\"}", "malformed JSON at offset" },
	/* not JSON, but json-c takes NaN and Infinity even when strict: the check refuses them */
	{ NULL, "{\"schema\": NaN}", "not an advisor report (schema is not" },
	{ "duration_ns", "\"1000\"", "key 'duration_ns' must be an integer" },
	{ "duration_ns", "-5", "key 'duration_ns' must be at least 0" },
	{ "duration_ns", "1.5", "key 'duration_ns' must be an integer" },
	{ "duration_ns", "null", "key 'duration_ns' must be an integer" },
	{ "duration_ns", "", "key 'duration_ns' is missing" },
	{ "created_at", "\"yesterday\"", "key 'created_at' must match" },
	{ "host", "[]", "key 'host' must be an object" },
	{ "host.cpus", "\"8\"", "key 'host.cpus' must be an integer" },
	{ "target.pid", "4294967296", "key 'target.pid' must be at most 4294967295" },
	{ "command", "{}", "key 'command' must be an array" },
	{ "command.1", "7", "key 'command[1]' must be a string" },
	{ "attached", "1", "key 'attached' must be true or false" },
	{ "processes.0", "1", "key 'processes[0]' must be an object" },
	{ "processes.1.threads.0.cpu_ns", "1.5",
	  "key 'processes[1].threads[0].cpu_ns' must be an integer" },
	{ "processes.0.threads.1.blocked_ns.ipc", "" /* deleted */,
	  "key 'processes[0].threads[1].blocked_ns.ipc' is missing" },
	{ "processes.0.threads.1.internal_ns.net", "-1",
	  "key 'processes[0].threads[1].internal_ns.net' must be at least 0" },
	{ "processes.0.comm", "[\"x\"]", "key 'processes[0].comm' must be a string" },
	{ "syscall_waits.0.hist_log2_ns",
	  "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1]",
	  "key 'syscall_waits[0].hist_log2_ns' must have at most 40 elements" },
	{ "syscall_waits.0.hist_log2_ns", "[1, -1]",
	  "key 'syscall_waits[0].hist_log2_ns[1]' must be at least 0" },
	/* a schema that is a "$ref" with more keys beside it, itself named by a "$ref" */
	{ "syscall_waits.0.name", "7", "key 'syscall_waits[0].name' must be a string" },
	{ "syscall_waits.1.nr", "", "key 'syscall_waits[1].nr' is missing" },
	{ "syscall_waits.1.count", "", "key 'syscall_waits[1].count' is missing" },
	{ "syscalls.0.errors", "-1", "key 'syscalls[0].errors' must be at least 0" },
	{ "syscalls.0.name", "", "key 'syscalls[0].name' is missing" },
	{ "syscalls.0.hist_log2_ns.3", "-1",
	  "key 'syscalls[0].hist_log2_ns[3]' must be at least 0" },
	{ "waits.net.external", "", "key 'waits.net.external' is missing" },
	{ "waits.net.count", "", "key 'waits.net.count' is missing" },
	{ "time.internal_ns.disk", "\"x\"", "key 'time.internal_ns.disk' must be an integer" },
	{ "waits.poll.external.max_ns", "true",
	  "key 'waits.poll.external.max_ns' must be an integer" },
	{ "syscalls", "\"all\"", "key 'syscalls' must be an array" },
	{ "timeline.buckets.2", "[]", "key 'timeline.buckets[2]' must be an object" },
	{ "verdict.model", "\"fast\"",
	  "key 'verdict.model' must be one of inconclusive, async, multithreading, "
	  "multiprocessing" },
	{ "verdict.confidence", "\"high\"", "key 'verdict.confidence' fits none of its forms" },
	{ "verdict.confidence", "1.5", "key 'verdict.confidence' fits none of its forms" },
	{ "verdict.agreement", "\"1/0\"", "key 'verdict.agreement' must match" },
	{ "verdict.path", "[{}, {}, {}, {}, {}]",
	  "key 'verdict.path' must have at most 4 elements" },
	{ "verdict.path.0.value", "{}", "key 'verdict.path[0].value' must be a number or null" },
	{ "verdict.inconclusive_reason", "3",
	  "key 'verdict.inconclusive_reason' must be a string or null" },
	{ "thresholds.many_conns", "[64]", "key 'thresholds.many_conns' must be a number or null" },
	{ "thresholds.busy_min", "NaN", "key 'thresholds.busy_min' must be a number or null" },
	{ "verdict.drivers.busy_threads", "-Infinity",
	  "key 'verdict.drivers.busy_threads' must be a number or null" },
	{ "overhead.dropped", "-1", "key 'overhead.dropped' must be at least 0" },
};

/* Numbers json-c cannot hold as they are: put in as text. */
static const char *const odd_numbers[] = {
	"1e400", "123456789012345678901234567890", "-123456789012345678901234567890",
	"18446744073709551616", "-0", "0x10", "01", "+1", "1.", ".5", "Infinity", "-",
};

/* The reader refuses the file with one line that names it and says want. */
static void assert_refused(const char *dir, const char *text, size_t len, const char *want,
			   const char *label)
{
	char err[512], *path = put_file(dir, "report.json", text, len);
	struct json_object *doc;

	memset(err, 'x', sizeof(err));
	errno = 0;
	doc = document_read(path, err, sizeof(err));
	if (doc) {
		cr_expect_null(doc, "%s: taken", label);
		json_object_put(doc);
		free(path);
		return;
	}
	cr_expect_eq(errno, EINVAL, "%s: errno %d, err '%s'", label, errno, err);
	cr_expect(!strncmp(err, path, strlen(path)) && !strncmp(err + strlen(path), ": ", 2),
		  "%s: message does not start with the file name: '%s'", label, err);
	cr_expect_not_null(strstr(err, want), "%s: want '%s' in '%s'", label, want, err);
	cr_expect_null(strchr(err, '\n'), "%s: message is not one line: '%s'", label, err);
	free(path);
}

Test(json, malformed_inputs_are_refused)
{
	struct report good;
	char *dir = tmp_dir(), *a;

	sample_report(&good, true);
	a = report_to_json(&good);
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct json_object *root, *v;
		char label[128], err[512], *want;
		const char *text;
		int rc;

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

		/* the check alone says the same of the tree, under the name it is given */
		err[0] = '\0';
		rc = document_check(root, "doc", err, sizeof(err));
		cr_assert(asprintf(&want, "doc: %s", c->want) > 0);
		cr_expect(rc == -EINVAL && !strncmp(err, want, strlen(want)),
			  "%s: document_check gave %d '%s', want '%s'", label, rc, err, want);
		free(want);
		json_object_put(root);
	}
	for (size_t i = 0; i < sizeof(odd_numbers) / sizeof(odd_numbers[0]); i++) {
		const char *key = "\"duration_ns\": ";
		const char *at = strstr(a, key);
		struct json_object *doc, *v;
		char *raw, *path, err[256] = "";

		cr_assert_not_null(at);
		at += strlen(key);
		cr_assert(asprintf(&raw, "%.*s%s%s", (int)(at - a), a, odd_numbers[i],
				   strchr(at, ',')) > 0);
		path = put_file(dir, "report.json", raw, strlen(raw));
		/*
		 * -0 is 0 to json-c, and it saturates integers beyond 64 bits:
		 * what matters is no crash, no negative and no wrap-around
		 */
		doc = document_read(path, err, sizeof(err));
		if (doc) {
			v = get(doc, "duration_ns");
			cr_assert(json_object_is_type(v, json_type_int) &&
					  (json_object_get_uint64(v) == 0 ||
					   json_object_get_uint64(v) == UINT64_MAX),
				  "duration_ns %s read as %s", odd_numbers[i],
				  json_object_to_json_string(v));
		} else {
			cr_assert_eq(errno, EINVAL, "duration_ns %s: %s", odd_numbers[i], err);
			cr_assert(err[0] && !strchr(err, '\n'), "duration_ns %s: '%s'",
				  odd_numbers[i], err);
		}
		json_object_put(doc);
		free(path);
		free(raw);
	}
	free(a);
	report_free(&good);
	rm_tree(dir);
	free(dir);
}

/*
 * The exit status of the schema check of each of dir/0.json .. dir/(n-1).json
 * in st[], from one Python (starting one per file takes most of a second).
 */
static void validate_many(const char *dir, size_t n, int *st)
{
	char *cmd;
	FILE *p;

	cr_assert(asprintf(&cmd,
			   "%s -c 'import sys\n"
			   "sys.path.insert(0, sys.argv[1])\n"
			   "import validate_schema as v\n"
			   "for i in range(int(sys.argv[4])):\n"
			   "    f = \"%%s/%%d.json\" %% (sys.argv[3], i)\n"
			   "    print(v.main([\"\", sys.argv[2], f]))'"
			   " %stests/unit %sreports/schema/report-1.json '%s' %zu 2>/dev/null",
			   PYTHON, fx_src_root(), fx_src_root(), dir, n) > 0);
	p = popen(cmd, "r");
	cr_assert_not_null(p, "popen: %s", strerror(errno));
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(fscanf(p, "%d", &st[i]), 1, "no status for %s/%zu.json", dir, i);
	cr_assert_eq(pclose(p), 0, "%s", cmd);
	free(cmd);
}

/* Each changed key above breaks the schema itself, as the reference validator reads it. */
Test(json, bad_cases_break_the_schema)
{
	const size_t n = sizeof(bad_cases) / sizeof(bad_cases[0]);
	struct report good;
	char *dir = tmp_dir(), *a;
	int st[sizeof(bad_cases) / sizeof(bad_cases[0])];

	sample_report(&good, true);
	a = report_to_json(&good);
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &bad_cases[i];
		struct json_object *root;
		const char *text = c->value;
		char name[32];

		if (c->path) {
			root = json_tokener_parse(a);
			cr_assert_not_null(root);
			set_path(root, c->path, *c->value ? json_tokener_parse(c->value) : DELETE);
			text = json_object_to_json_string(root);
		}
		snprintf(name, sizeof(name), "%zu.json", i);
		free(put_file(dir, name, text, strlen(text)));
		if (c->path)
			json_object_put(root);
	}
	validate_many(dir, n, st);
	for (size_t i = 0; i < n; i++) {
		const struct bad_case *c = &bad_cases[i];

		/* Python takes NaN and Infinity for numbers: not JSON, refused by advisor alone */
		if (strstr(c->value, "NaN") || strstr(c->value, "Infinity"))
			continue;
		/* 2: not JSON at all */
		cr_expect(st[i] == 1 || (!c->path && st[i] == 2),
			  "case %zu (%s = %s): the schema check gave %d", i,
			  c->path ? c->path : "file", c->value, st[i]);
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
	a = report_to_json(&good);
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
	assert_refused(dir, nul, sizeof(nul) - 1, "malformed JSON at offset 30", "NUL inside");
	free(deep);
	rm_tree(dir);
	free(dir);
}

/* Parsing alone takes any JSON; the check makes it a report. */
Test(json, parse_file_does_not_check)
{
	struct json_object *doc;
	char err[256], *dir = tmp_dir(), *path;

	path = put_file(dir, "list.json", "[1, 2]\n", 7);
	doc = document_parse_file(path, err, sizeof(err));
	cr_assert_not_null(doc, "%s", err);
	cr_assert(json_object_is_type(doc, json_type_array));
	json_object_put(doc);
	cr_assert_null(document_read(path, err, sizeof(err)));
	cr_assert_not_null(strstr(err, "not an advisor report"), "%s", err);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, unreadable_files)
{
	char err[256];
	char *dir = tmp_dir(), *missing, *want;

	cr_assert(asprintf(&missing, "%s/none.json", dir) > 0);
	errno = 0;
	cr_assert_null(document_read(missing, err, sizeof(err)));
	cr_assert_eq(errno, ENOENT);
	cr_assert(asprintf(&want, "%s: cannot open: %s", missing, strerror(ENOENT)) > 0);
	cr_assert_str_eq(err, want);
	free(want);

	errno = 0;
	cr_assert_null(document_read(dir, err, sizeof(err)));
	cr_assert_eq(errno, EISDIR);
	cr_assert(asprintf(&want, "%s: cannot read: %s", dir, strerror(EISDIR)) > 0);
	cr_assert_str_eq(err, want);
	free(want);

	/* a message longer than the buffer is cut, never overrun */
	memset(err, 'x', sizeof(err));
	cr_assert_null(document_read(missing, err, 8));
	cr_assert_eq(errno, ENOENT);
	cr_assert_eq(strlen(err), 7);
	cr_assert_eq(err[8], 'x');
	/* and no buffer at all is fine */
	cr_assert_null(document_read(missing, NULL, 0));
	cr_assert_eq(errno, ENOENT);
	free(missing);
	rm_tree(dir);
	free(dir);
}

/* A file past the limit is refused, whatever it holds (a sparse file: no disk used). */
Test(json, too_large_is_refused, .timeout = 60)
{
	char err[256], *dir = tmp_dir(), *path, *want;
	int fd;

	cr_assert(asprintf(&path, "%s/huge.json", dir) > 0);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0, "%s: %s", path, strerror(errno));
	cr_assert_eq(ftruncate(fd, (256LL << 20) + 1), 0);
	close(fd);
	errno = 0;
	cr_assert_null(document_read(path, err, sizeof(err)));
	cr_assert_eq(errno, EINVAL);
	cr_assert(asprintf(&want, "%s: too large for a report (over 256 MiB)", path) > 0);
	cr_assert_str_eq(err, want);
	free(want);
	free(path);
	rm_tree(dir);
	free(dir);
}

Test(json, full_disk_is_an_error)
{
	struct json_object *doc;
	struct report r;
	FILE *f;
	char *dir = tmp_dir(), *link_path;
	int rc;

	sample_report(&r, true);
	doc = build(&r);
	f = fopen("/dev/full", "w");
	cr_assert_not_null(f, "/dev/full: %s", strerror(errno));
	rc = report_json_write(f, doc);
	cr_assert(rc == -ENOSPC || rc == -EIO, "report_json_write to /dev/full gave %d", rc);
	fclose(f);

	/* through a path with a report's extension, as -o would use it */
	cr_assert(asprintf(&link_path, "%s/full.json", dir) > 0);
	cr_assert_eq(symlink("/dev/full", link_path), 0);
	rc = report_write_path(link_path, doc);
	cr_assert(rc == -ENOSPC || rc == -EIO, "report_write_path to /dev/full gave %d", rc);
	free(link_path);
	/* and to the device itself, which takes JSON */
	rc = report_write_path("/dev/full", doc);
	cr_assert(rc == -ENOSPC || rc == -EIO, "report_write_path(/dev/full) gave %d", rc);

	cr_assert(asprintf(&link_path, "%s/no/such/dir/r.json", dir) > 0);
	cr_assert_eq(report_write_path(link_path, doc), -ENOENT);
	free(link_path);
	cr_assert(asprintf(&link_path, "%s/r.txt", dir) > 0);
	cr_assert_eq(report_write_path(link_path, doc), -EINVAL);
	cr_assert_eq(access(link_path, F_OK), -1, "a file of an unknown format was made");
	free(link_path);

	json_object_put(doc);
	report_free(&r);
	rm_tree(dir);
	free(dir);
}

Test(json, write_path_writes_the_report)
{
	struct json_object *doc, *back;
	struct report r;
	char *dir = tmp_dir(), *path, *a, *b;

	sample_report(&r, false);
	doc = build(&r);
	cr_assert(asprintf(&path, "%s/out.JSON", dir) > 0);
	cr_assert_eq(report_write_path(path, doc), 0);
	back = read_good(path);
	cr_assert_eq(get_u64(back, "target.pid"), 4242);
	a = to_json(doc);
	b = to_json(back);
	cr_assert_str_eq(a, b);
	json_object_put(back);
	json_object_put(doc);
	report_free(&r);
	free(a);
	free(b);
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
	cr_assert_eq(report_format_of("r.xml"), REPORT_JUNIT);
	cr_assert_eq(report_format_of("r.MD"), REPORT_MARKDOWN);
	cr_assert_eq(report_format_of("/dev/full"), REPORT_JSON, "a stream takes JSON");
	cr_assert_eq(report_format_of("report"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of("dir.json/report"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of("r.txt"), REPORT_UNKNOWN);
	cr_assert_eq(report_format_of(".json.bak"), REPORT_UNKNOWN);
}

/* The summary's wording is its own business: its verdict line, and nothing raw from the target. */
Test(json, summary)
{
	struct json_object *doc;
	struct report r;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	sample_report(&r, false);
	snprintf(r.verdict.advice, sizeof(r.verdict.advice), "evil\033[2J advice");
	snprintf(r.verdict.current_model, sizeof(r.verdict.current_model), "event\033]0;x\007loop");
	doc = build(&r);
	f = open_memstream(&buf, &len);
	cr_assert_not_null(f);
	report_summary_write(f, doc);
	cr_assert_eq(fclose(f), 0);
	cr_assert(!strncmp(buf, "advisor: verdict: ", 18), "%s", buf);
	cr_assert_not_null(strstr(buf, "async"), "%s", buf);
	cr_assert_null(strchr(buf, '\033'), "an escape reached the terminal: %s", buf);
	cr_assert_null(strchr(buf, '\007'), "a bell reached the terminal: %s", buf);
	free(buf);
	json_object_put(doc);
	report_free(&r);
}
