/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Reports and files for the gate tests (test_policy.c, test_repeat.c,
 * test_junit.c): a small decided report whose numbers a test can set, with
 * hostile strings from the target, its document, and temporary files.
 */
#ifndef ADVISOR_TESTS_GATES_FIXTURE_H
#define ADVISOR_TESTS_GATES_FIXTURE_H

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <json-c/json.h>

#include "advisor/document.h"
#include "advisor/gating.h"
#include "advisor/policy.h"
#include "reports/report.h"

#define FX_THIS_FILE "tests/unit/gates_fixture.h"

/* The source tree, from where this header was compiled: "" when relative. */
static inline const char *fx_src_root(void)
{
	static char root[4096];
	size_t len = strlen(__FILE__), tail = strlen(FX_THIS_FILE);

	if (len >= tail && !strcmp(__FILE__ + len - tail, FX_THIS_FILE))
		snprintf(root, sizeof(root), "%.*s", (int)(len - tail), __FILE__);
	return root;
}

static inline char *fx_strdup(const char *s)
{
	char *d = strdup(s);

	cr_assert_not_null(d);
	return d;
}

/*
 * A report of one process "srv" (pid 4242) with two threads; the command
 * carries Markdown, HTML and control characters. cpu_ns is the first
 * thread's CPU time; the verdict is model with these drivers.
 */
static inline void fx_report(struct report *r, enum model model, double io_fraction, __u64 cpu_ns)
{
	struct profile *p = &r->profile;
	struct verdict *v = &r->verdict;
	struct process_profile *proc;

	memset(r, 0, sizeof(*r));
	thresholds_default(&r->thresholds);
	p->nr_command = 3;
	p->command = calloc(p->nr_command + 1, sizeof(*p->command));
	cr_assert_not_null(p->command);
	p->command[0] = fx_strdup("./srv");
	p->command[1] = fx_strdup("--x=<script>alert(1)</script>|`rm`*_[a](b)#!~&");
	p->command[2] = fx_strdup("line\nbreak\x01\x1b[31m \xff\xfe \xe2\x80\xae"
				  "evil");
	snprintf(p->kernel, sizeof(p->kernel), "6.1.0");
	p->cpus = 4;
	p->created_at = 1700000000;
	p->target_pid = 4242;
	p->target_exited = true;
	p->exit_code = 0;
	p->duration_ns = 1000000000ULL;
	p->bucket_ns = 100000000ULL;

	p->nr_processes = 1;
	p->processes = calloc(1, sizeof(*p->processes));
	cr_assert_not_null(p->processes);
	proc = &p->processes[0];
	proc->pid = 4242;
	proc->ppid = 1;
	snprintf(proc->comm, sizeof(proc->comm), "srv");
	proc->exe = fx_strdup("/usr/bin/srv");
	proc->argv0 = fx_strdup("./srv");
	proc->exited = true;
	proc->nr_threads = 2;
	proc->threads = calloc(2, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	proc->threads[0].tid = 4242;
	snprintf(proc->threads[0].comm, sizeof(proc->threads[0].comm), "srv");
	proc->threads[0].cpu_ns = cpu_ns;
	proc->threads[0].blocked_ns[CAUSE_NET] = 300000000;
	proc->threads[1].tid = 4243;
	snprintf(proc->threads[1].comm, sizeof(proc->threads[1].comm), "<b>|w`");
	proc->threads[1].cpu_ns = 1000;
	proc->threads[1].blocked_ns[CAUSE_DISK] = 2000;

	p->nr_syscall_waits = 2;
	p->syscall_waits = calloc(2, sizeof(*p->syscall_waits));
	cr_assert_not_null(p->syscall_waits);
	snprintf(p->syscall_waits[0].name, sizeof(p->syscall_waits[0].name), "read");
	p->syscall_waits[0].count = 10;
	p->syscall_waits[0].total_ns = 300000000;
	p->syscall_waits[0].max_ns = 90000000;
	snprintf(p->syscall_waits[1].name, sizeof(p->syscall_waits[1].name), "fsync");
	p->syscall_waits[1].count = 2;
	p->syscall_waits[1].total_ns = 2000;
	p->syscall_waits[1].max_ns = 1500;
	snprintf(p->overhead.mode, sizeof(p->overhead.mode), "sched+sockops");
	p->conns.peak_open = 3;

	v->model = model;
	v->confidence = 0.75;
	v->io_fraction = io_fraction;
	v->wait_p50_ns = 2000000;
	v->peak_open = 3;
	v->busy_threads = 1.5;
	if (model == MODEL_INCONCLUSIVE)
		snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "asleep");
	snprintf(v->current_model, sizeof(v->current_model), "single-threaded");
	snprintf(v->runtime, sizeof(v->runtime), "native");
	v->nr_path = 2;
	snprintf(v->path[0].metric, sizeof(v->path[0].metric), "io_fraction");
	v->path[0].value = io_fraction;
	v->path[0].threshold = 0.5;
	snprintf(v->path[0].branch, sizeof(v->path[0].branch), "io_bound");
	snprintf(v->path[1].metric, sizeof(v->path[1].metric), "wait_p50_ms");
	v->path[1].value = 2;
	v->path[1].threshold = 1;
	snprintf(v->path[1].branch, sizeof(v->path[1].branch), "async");
	v->speedup_bound = 2;
	snprintf(v->rationale, sizeof(v->rationale), "Rationale with <html> and | pipes");
}

/* A new temporary directory; caller frees the string. */
static inline char *fx_tmp_dir(void)
{
	char *dir = fx_strdup("/tmp/advisor-gates-XXXXXX");

	cr_assert_not_null(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	return dir;
}

/* dir/name holding text; caller frees the path. */
static inline char *fx_put_file(const char *dir, const char *name, const char *text)
{
	char *path;
	FILE *f;

	cr_assert(asprintf(&path, "%s/%s", dir, name) > 0);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s: %s", path, strerror(errno));
	cr_assert_eq(fputs(text, f) >= 0, true);
	cr_assert_eq(fclose(f), 0);
	return path;
}

static inline void fx_rm_tree(const char *dir)
{
	char *cmd;

	cr_assert(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
	cr_assert_eq(system(cmd), 0);
	free(cmd);
}

/* The document of r; caller frees with json_object_put(). */
static inline struct json_object *fx_doc(const struct report *r)
{
	struct json_object *doc = document_build(r);

	cr_assert_not_null(doc, "document_build: %s", strerror(errno));
	return doc;
}

/* What a writer made of doc, as a string; caller frees. */
static inline char *fx_render(int (*write)(FILE *, const struct json_object *),
			      const struct json_object *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(write(f, doc), 0);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

/* What a writer made of r's document, as a string; caller frees. */
static inline char *fx_render_report(int (*write)(FILE *, const struct json_object *),
				     const struct report *r)
{
	struct json_object *doc = fx_doc(r);
	char *buf = fx_render(write, doc);

	json_object_put(doc);
	return buf;
}

/*
 * doc saved as dir/name by the JSON writer and read back as `advisor check`
 * reads it; caller frees with json_object_put().
 */
static inline struct json_object *fx_doc_reread(const struct json_object *doc, const char *dir,
						const char *name)
{
	char *text = fx_render(report_json_write, doc), *path = fx_put_file(dir, name, text);
	struct json_object *back;
	char err[512] = "";

	back = document_read(path, err, sizeof(err));
	cr_assert_not_null(back, "%s", err);
	free(path);
	free(text);
	return back;
}

/* The exit status of a shell command. */
static inline int fx_system(const char *cmd)
{
	int st = system(cmd);

	cr_assert_neq(st, -1, "system: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif /* ADVISOR_TESTS_GATES_FIXTURE_H */
