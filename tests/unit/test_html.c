// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The HTML report from a synthetic profile: self-contained, hostile names
 * shown as text, valid UTF-8, sections in the order the README gives. The
 * fixtures are advisor's structs made into the report document by
 * document_build(), as a run makes them; the page is drawn from the
 * document alone, so a saved report draws the same page, and a document
 * without the keys added since the first reports still draws one.
 *
 * How durations and counts read and the escaping rules themselves are
 * tested with reports/format.c and reports/text.c (test_format.c); here,
 * that what reaches the page through them is safe.
 *
 * With HTML_SAMPLE_OUT=FILE in the environment, html/sample_page also writes
 * its hostile sample page there, for tests/browser/check_page.sh.
 */
#include <criterion/criterion.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "advisor/document.h"
#include "reports/report.h"
#include "reports/text.h"

#define HOSTILE "<script>alert(1)</script>"
/* what tests/browser/check_page.sh looks for: the title must not change */
#define HOSTILE_TITLE "<script>document.title='PWNED'</script>"
/* invalid UTF-8: a lone continuation byte, a truncated sequence, an overlong slash */
#define BAD_UTF8 "bad\x80name\xe2\x82-\xc0\xaf"

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	cr_assert_not_null(d);
	return d;
}

/* As the kernel stores a comm: cut to COMM_LEN - 1 bytes. */
static void comm_set(char *comm, const char *name)
{
	size_t n = strlen(name);

	if (n > COMM_LEN - 1)
		n = COMM_LEN - 1;
	memcpy(comm, name, n);
	comm[n] = '\0';
}

static void hist_fill(__u64 *slots, unsigned int lo, unsigned int hi, __u64 peak)
{
	for (unsigned int k = lo; k <= hi; k++)
		slots[k] = peak / (1 + (k > (lo + hi) / 2 ? k - (lo + hi) / 2 : (lo + hi) / 2 - k));
}

static void thread_fill(struct thread_profile *t, __u32 tid, const char *comm, __u64 cpu,
			__u64 net, __u64 poll, __u64 lock_internal)
{
	t->tid = tid;
	comm_set(t->comm, comm);
	t->cpu_ns = cpu;
	t->runq_wakeup_ns = cpu / 20;
	t->runq_preempt_ns = cpu / 50;
	t->blocked_ns[CAUSE_NET] = net;
	t->blocked_ns[CAUSE_POLL] = poll;
	t->blocked_ns[CAUSE_LOCK] = lock_internal;
	t->internal_ns[CAUSE_LOCK] = lock_internal;
	t->blocked_ns[CAUSE_IPC] = net / 10;
	t->internal_ns[CAUSE_IPC] = net / 20;
	t->blocked_ns[CAUSE_SLEEP] = 40000000;
}

static void syscall_fill(struct syscall_stat *s, const char *name, int nr, __u64 count,
			 __u64 total, unsigned int lo, unsigned int hi)
{
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->nr = nr;
	s->count = count;
	s->errors = count / 100;
	s->total_ns = total;
	s->max_ns = 2ULL << hi;
	hist_fill(s->hist, lo, hi, count);
}

/* A two-process tree with hostile names, judged async. */
static void sample_build(struct report *r, enum model model)
{
	struct profile *p = &r->profile;
	struct verdict *v = &r->verdict;
	struct process_profile *proc;

	memset(r, 0, sizeof(*r));
	thresholds_default(&r->thresholds);

	p->nr_command = 4;
	p->command = calloc(p->nr_command + 1, sizeof(char *));
	cr_assert_not_null(p->command);
	p->command[0] = xstrdup("./server");
	p->command[1] = xstrdup("--name=" HOSTILE);
	p->command[2] = xstrdup(BAD_UTF8 " it's \x1b[31mred");
	p->command[3] = xstrdup(HOSTILE_TITLE);
	snprintf(p->kernel, sizeof(p->kernel), "6.1.0-test #1 SMP");
	p->cpus = 8;
	p->created_at = 1700000000;
	p->target_pid = 4242;
	p->target_exited = true;
	p->exit_code = 0;
	p->duration_ns = 5000000000ULL;

	p->nr_processes = 2;
	p->processes = calloc(2, sizeof(*p->processes));
	cr_assert_not_null(p->processes);
	proc = &p->processes[0];
	proc->pid = 4242;
	proc->ppid = 100;
	comm_set(proc->comm, HOSTILE);
	proc->exe = xstrdup("/opt/" HOSTILE "/bin");
	proc->argv0 = xstrdup(BAD_UTF8);
	proc->exited = true;
	proc->nr_threads = 3;
	proc->threads = calloc(3, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	thread_fill(&proc->threads[0], 4242, HOSTILE, 900000000, 2500000000ULL, 600000000, 0);
	thread_fill(&proc->threads[1], 4243, "worker\xff", 400000000, 3100000000ULL, 0, 300000000);
	thread_fill(&proc->threads[2], 4244, "gc", 50000000, 0, 0, 4000000000ULL);

	proc = &p->processes[1];
	proc->pid = 4250;
	proc->ppid = 4242;
	snprintf(proc->comm, sizeof(proc->comm), "helper");
	proc->exe = xstrdup("/usr/bin/helper");
	proc->exited = true;
	proc->exit_code = -1;
	proc->signal = 9;
	proc->nr_threads = 1;
	proc->threads = calloc(1, sizeof(*proc->threads));
	cr_assert_not_null(proc->threads);
	thread_fill(&proc->threads[0], 4250, "helper", 300000000, 200000000, 0, 0);
	proc->threads[0].blocked_ns[CAUSE_DISK] = 350000000;

	hist_fill(p->waits[CAUSE_NET].all.slots, 18, 24, 4000);
	p->waits[CAUSE_NET].all.count = 9000;
	p->waits[CAUSE_NET].all.max_ns = 40000000;
	hist_fill(p->waits[CAUSE_POLL].all.slots, 20, 27, 300);
	p->waits[CAUSE_POLL].all.count = 600;
	p->waits[CAUSE_POLL].all.max_ns = 200000000;
	hist_fill(p->waits[CAUSE_LOCK].all.slots, 12, 30, 50);
	p->waits[CAUSE_LOCK].all.count = 200;
	p->waits[CAUSE_LOCK].all.max_ns = 1500000000;
	hist_fill(p->waits[CAUSE_DISK].all.slots, 14, 19, 80);
	p->waits[CAUSE_DISK].all.count = 120;
	p->waits[CAUSE_DISK].all.max_ns = 900000;
	p->waits[CAUSE_NET].ext = p->waits[CAUSE_NET].all;
	p->waits[CAUSE_POLL].ext = p->waits[CAUSE_POLL].all;
	p->waits[CAUSE_DISK].ext = p->waits[CAUSE_DISK].all;

	p->nr_syscall_waits = 3;
	p->syscall_waits = calloc(3, sizeof(*p->syscall_waits));
	cr_assert_not_null(p->syscall_waits);
	syscall_fill(&p->syscall_waits[0], "recvfrom", 45, 8800, 5400000000ULL, 18, 24);
	syscall_fill(&p->syscall_waits[1], "futex", 202, 200, 4300000000ULL, 12, 30);
	syscall_fill(&p->syscall_waits[2], "", -1, 12, 3000000, 16, 19);
	p->syscalls_enabled = true;
	p->nr_syscalls = 2;
	p->syscalls = calloc(2, sizeof(*p->syscalls));
	cr_assert_not_null(p->syscalls);
	syscall_fill(&p->syscalls[0], "recvfrom", 45, 12000, 5500000000ULL, 9, 24);
	syscall_fill(&p->syscalls[1], "write", 1, 30000, 80000000, 8, 14);

	p->conns.tcp_counted = true;
	p->conns.accepted = 120;
	p->conns.connected = 3;
	p->conns.peak_open = 80;
	p->conns.closed = 118;
	p->conns.distinct_peers = 17;

	p->bucket_ns = 100000000;
	p->nr_buckets = 50;
	p->buckets = calloc(p->nr_buckets, sizeof(*p->buckets));
	cr_assert_not_null(p->buckets);
	for (size_t i = 0; i < p->nr_buckets; i++) {
		p->buckets[i].cpu_ns = 20000000 + (i % 7) * 6000000;
		p->buckets[i].runq_ns = 3000000 + (i % 3) * 1000000;
		p->buckets[i].io_ns = 110000000 + (i % 5) * 15000000;
		p->buckets[i].other_ns = 60000000;
	}
	snprintf(p->runtime, sizeof(p->runtime), "cpython");
	snprintf(p->overhead.mode, sizeof(p->overhead.mode), "sched+sockops+syscalls");
	p->overhead.events = 1234567;

	v->model = model;
	v->confidence = 0.82;
	snprintf(v->confidence_basis, sizeof(v->confidence_basis),
		 "io_fraction 0.28 above its threshold, 5 s run, no drops");
	v->io_fraction = 0.78;
	v->wait_p50_ns = 3200000;
	v->peak_open = 80;
	v->busy_threads = 1.3;
	snprintf(v->current_model, sizeof(v->current_model), "single-threaded");
	snprintf(v->runtime, sizeof(v->runtime), "cpython");
	if (model == MODEL_INCONCLUSIVE)
		snprintf(v->inconclusive_reason, sizeof(v->inconclusive_reason), "asleep");
	v->nr_path = 2;
	snprintf(v->path[0].metric, sizeof(v->path[0].metric), "io_fraction");
	v->path[0].value = 0.78;
	v->path[0].threshold = 0.5;
	snprintf(v->path[0].branch, sizeof(v->path[0].branch), "io_bound");
	snprintf(v->path[1].metric, sizeof(v->path[1].metric), "wait_p50_ms");
	v->path[1].value = 3.2;
	v->path[1].threshold = 1;
	snprintf(v->path[1].branch, sizeof(v->path[1].branch), "io_very_slow");
	v->speedup_bound = 6.5;
	snprintf(v->speedup_basis, sizeof(v->speedup_basis),
		 "78%% of wall time was serial waiting that could overlap");
	snprintf(v->advice, sizeof(v->advice),
		 "Move from blocking calls in one thread to an event loop (asyncio).");
	snprintf(v->rationale, sizeof(v->rationale),
		 "%s spent 78%% of its busy time waiting on sockets; half of that wait was in "
		 "waits of 3.2 ms or more, and up to 80 connections were open at once.",
		 HOSTILE);
}

/* The document of r; the caller frees it with json_object_put(). */
static struct json_object *doc_of(const struct report *r)
{
	struct json_object *doc = document_build(r);

	cr_assert_not_null(doc, "document_build: %s", strerror(errno));
	return doc;
}

/* Renders a document into a NUL-terminated string the caller frees. */
static char *render_doc(const struct json_object *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	cr_assert_eq(report_html_write(f, doc), 0);
	cr_assert_eq(fclose(f), 0);
	cr_assert_eq(strlen(buf), len, "a NUL byte in the page");
	return buf;
}

/* Renders r's document, as a run does. */
static char *render(const struct report *r)
{
	struct json_object *doc = doc_of(r);
	char *page = render_doc(doc);

	json_object_put(doc);
	return page;
}

/* Renders a document given as JSON text, as a saved report is read. */
static char *render_json(const char *text)
{
	struct json_object *doc = json_tokener_parse(text);
	char *page;

	cr_assert_not_null(doc, "bad JSON in the test: %s", text);
	page = render_doc(doc);
	json_object_put(doc);
	return page;
}

static char *render_sample(enum model model)
{
	struct report r;
	char *page;

	sample_build(&r, model);
	page = render(&r);
	report_free(&r);
	return page;
}

static char *escape(const char *s, size_t len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	cr_assert_not_null(f);
	text_html_escape_n(f, s, len);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static bool is_valid_utf8(const unsigned char *s)
{
	while (*s) {
		unsigned int n, cp;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if (*s >= 0xc2 && *s <= 0xdf)
			n = 1, cp = *s & 0x1f;
		else if (*s >= 0xe0 && *s <= 0xef)
			n = 2, cp = *s & 0x0f;
		else if (*s >= 0xf0 && *s <= 0xf4)
			n = 3, cp = *s & 0x07;
		else
			return false;
		for (unsigned int i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		s += n + 1;
	}
	return true;
}

static size_t count_of(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The page's escaper keeps valid text and makes everything else visible and inert. */
Test(html, escape_invalid_utf8)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "caf\xc3\xa9", "caf\xc3\xa9" },		     /* valid é is kept */
		{ "\xf0\x9f\x90\x8d", "\xf0\x9f\x90\x8d" },	     /* valid 4-byte is kept */
		{ "a\xff" "b", "a\xef\xbf\xbd" "b" },		     /* invalid byte */
		{ "\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd" },	     /* overlong '/' */
		{ "\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" }, /* surrogate */
		{ "x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd" },	     /* truncated */
		{ "\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\x1b[0m", "\xe2\x90\x9b[0m" },		     /* ESC shows as ␛ */
		{ "a\tb\nc\rd", "a\tb\nc\xe2\x90\x8d" "d" },	     /* CR shows as ␍ */
		{ "\x7f", "\xe2\x90\xa1" },			     /* DEL shows as ␡ */
		{ "\xc2\x85", "\xef\xbf\xbd" },			     /* C1 control */
		{ "ab\xe2\x80\xae" "cd", "ab\xef\xbf\xbd" "cd" },    /* right-to-left override */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = escape(cases[i].in, strlen(cases[i].in));

		cr_assert_str_eq(s, cases[i].out, "case %zu", i);
		cr_assert(is_valid_utf8((const unsigned char *)s), "case %zu", i);
		free(s);
	}
}

/* Random bytes, biased towards markup and UTF-8 lead bytes, always come out as safe text. */
Test(html, escape_random_bytes)
{
	static const unsigned char pick[] = { '<', '>', '&', '"', '\'', 0x1b, 0x7f, 0x80, 0xbf,
					      0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xff, 'a' };
	unsigned int seed = 12345;
	unsigned char in[64];

	for (int round = 0; round < 20000; round++) {
		size_t len = 1 + round % sizeof(in);
		char *s;

		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245 + 12345;
			in[i] = (seed >> 16) & 1 ? pick[(seed >> 17) % sizeof(pick)] :
						  (unsigned char)(seed >> 20) | 1;
		}
		s = escape((const char *)in, len);
		cr_assert(is_valid_utf8((const unsigned char *)s), "round %d", round);
		cr_assert_null(strpbrk(s, "<>\"'\x1b\x7f"), "round %d: %s", round, s);
		for (const char *a = strchr(s, '&'); a; a = strchr(a + 1, '&'))
			cr_assert(!strncmp(a, "&amp;", 5) || !strncmp(a, "&lt;", 4) ||
					  !strncmp(a, "&gt;", 4) || !strncmp(a, "&quot;", 6) ||
					  !strncmp(a, "&#39;", 5),
				  "round %d: bare &", round);
		free(s);
	}
}

Test(html, csp_first_and_strict)
{
	char *page = render_sample(MODEL_ASYNC);
	char *csp = strstr(page, "http-equiv=\"Content-Security-Policy\"");

	cr_assert_not_null(csp);
	cr_assert_not_null(strstr(csp, "default-src 'none'"));
	cr_assert_not_null(strstr(csp, "base-uri 'none'"));
	cr_assert(csp < strstr(page, "<style>"), "the CSP must come before any content");
	cr_assert(csp < strstr(page, "<title>"));
	free(page);
}

Test(html, loads_nothing)
{
	char *page = render_sample(MODEL_ASYNC);

	cr_assert_null(strstr(page, "http://"));
	cr_assert_null(strstr(page, "https://"));
	cr_assert_null(strstr(page, "src="), "nothing is loaded by src");
	cr_assert_null(strstr(page, "@import"));
	cr_assert_null(strstr(page, "<link"));
	cr_assert_null(strstr(page, "<img"));
	cr_assert_null(strstr(page, "<iframe"));
	for (const char *p = strstr(page, "href=\""); p; p = strstr(p + 1, "href=\""))
		cr_assert_eq(p[6], '#', "only in-page links: %.40s", p);
	for (const char *p = strstr(page, "url("); p; p = strstr(p + 1, "url("))
		cr_assert_eq(p[4], '#', "only in-page references: %.40s", p);
	free(page);
}

Test(html, hostile_names_are_text)
{
	char *page = render_sample(MODEL_ASYNC);

	cr_assert_null(strstr(page, "<script>alert"));
	cr_assert_null(strstr(page, "<script>document.title"));
	cr_assert_not_null(strstr(page, "&lt;script&gt;document.title=&#39;"));
	cr_assert_eq(count_of(page, "<script"), 1, "only the page's own sorting script");
	cr_assert_not_null(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	/* the comm is cut at 15 bytes, still escaped */
	cr_assert_not_null(strstr(page, "<b>&lt;script&gt;alert(1</b>"));
	cr_assert_null(strstr(page, "\x1b"), "raw escape sequences reach the page");
	cr_assert_not_null(strstr(page, "\xe2\x90\x9b[31mred"));
	free(page);
}

Test(html, invalid_utf8_replaced)
{
	char *page = render_sample(MODEL_ASYNC);

	cr_assert(is_valid_utf8((const unsigned char *)page), "the page is not valid UTF-8");
	cr_assert_not_null(strstr(page, "bad\xef\xbf\xbdname"));
	cr_assert_not_null(strstr(page, "worker\xef\xbf\xbd"));
	free(page);
}

Test(html, sections_in_order)
{
	static const char *const ids[] = {
		"id=\"verdict\"",  "id=\"decision\"", "id=\"time\"",	    "id=\"timeline\"",
		"id=\"busiest\"",  "id=\"syscalls\"", "id=\"all-syscalls\"", "id=\"connections\"",
		"id=\"facts\"",
	};
	char *page = render_sample(MODEL_ASYNC);
	const char *last = page;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const char *at = strstr(page, ids[i]);

		cr_assert_not_null(at, "%s missing", ids[i]);
		cr_assert_eq(count_of(page, ids[i]), 1, "%s twice", ids[i]);
		cr_assert(at > last, "%s out of order", ids[i]);
		last = at;
	}
	free(page);
}

Test(html, verdict_shows_its_parts)
{
	char *page = render_sample(MODEL_ASYNC);
	const char *verdict = strstr(page, "<section id=\"verdict\"");
	const char *end = strstr(page, "<section id=\"decision\"");

	cr_assert_not_null(verdict);
	cr_assert_not_null(strstr(page, "id=\"verdict-model\">async</h1>"));
	cr_assert_not_null(strstr(verdict, "Confidence 82%"));
	cr_assert_not_null(strstr(verdict, "<b>single-threaded</b>"));
	cr_assert_not_null(strstr(verdict, "CPython"));
	cr_assert_not_null(strstr(verdict, "<small>up to</small> 6.5\u00d7"));
	cr_assert_not_null(strstr(verdict, "serial waiting that could overlap"));
	cr_assert_not_null(strstr(verdict, "an event loop (asyncio)"));
	cr_assert(strstr(verdict, "3.20 ms") < end);
	free(page);
}

/* The leaves of each drawing of the tree, in the order the tree is written. */
static void assert_leaf_taken(const char *page, const char *model, bool taken)
{
	char want[96];

	snprintf(want, sizeof(want), "class=\"node leaf%s\" data-model=\"%s\"",
		 taken ? " taken" : "", model);
	/* the tree is drawn twice: wide and narrow */
	cr_assert_eq(count_of(page, want), 2, "leaf %s taken=%d", model, taken);
}

Test(html, tree_highlights_path)
{
	static const struct {
		enum model model;
		const char *leaf;
		size_t taken_edges;
	} cases[] = {
		{ MODEL_ASYNC, "async", 2 },
		{ MODEL_MULTITHREADING, "multithreading", 2 },
		{ MODEL_MULTIPROCESSING, "multiprocessing", 1 },
	};
	static const char *const leaves[] = { "async", "multithreading", "multiprocessing" };

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *page = render_sample(cases[i].model);
		const char *tree = strstr(page, "id=\"decision-tree\"");

		cr_assert_not_null(tree);
		for (size_t j = 0; j < 3; j++)
			assert_leaf_taken(page, leaves[j], !strcmp(leaves[j], cases[i].leaf));
		cr_assert_eq(count_of(page, "class=\"edge taken\""), 2 * cases[i].taken_edges);
		cr_assert_not_null(strstr(tree, "io_fraction 78.0% \u2265 50%"));
		cr_assert_not_null(strstr(tree, "wait_p50 3.20 ms \u2265 1.00 ms"));
		cr_assert_not_null(strstr(tree, "peak open 80 \u2265 64"));
		free(page);
	}
}

Test(html, inconclusive_takes_no_path)
{
	char *page = render_sample(MODEL_INCONCLUSIVE);

	cr_assert_null(strstr(page, " taken"));
	cr_assert_not_null(strstr(page, "id=\"inconclusive\""));
	cr_assert_not_null(strstr(page, "mostly asleep"));
	free(page);
}

Test(html, empty_profile)
{
	struct report r;
	char *page;

	memset(&r, 0, sizeof(r));
	thresholds_default(&r.thresholds);
	page = render(&r);
	cr_assert_not_null(strstr(page, "No timeline was recorded"));
	cr_assert_not_null(strstr(page, "</html>"));
	cr_assert(is_valid_utf8((const unsigned char *)page));
	free(page);
}

/* A word of printf's that is not a number ("nan", "-inf") or of a NULL string. */
static void assert_no_garbage(const char *page)
{
	static const char *const words[] = { "nan", "inf" };

	cr_assert_null(strstr(page, "(null)"));
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		for (const char *p = strstr(page, words[i]); p; p = strstr(p + 1, words[i])) {
			bool word = (p == page || !isalpha((unsigned char)p[-1])) &&
				    !isalpha((unsigned char)p[strlen(words[i])]);

			cr_assert(!word, "printed %.40s", p - (p - page < 20 ? p - page : 20));
		}
}

/*
 * A saved report from before keys were added (no agreement, no split of the
 * run queue, no internal waits, no stopped_at_duration), an empty document
 * and one with numbers of the wrong type: each still draws a whole page,
 * with nothing made up.
 */
Test(html, document_with_keys_missing)
{
	static const char *const docs[] = {
		"{}",
		"[]",
		"{\"schema\": \"advisor-report/1\", \"command\": [\"./a\", 7, null],"
		" \"host\": {\"kernel\": \"6.1\", \"cpus\": 4},"
		" \"time\": {\"cpu_ns\": 2000000, \"blocked_ns\": {\"net\": 6000000}},"
		" \"processes\": [{\"pid\": 1, \"comm\": \"a\", \"threads\": [{\"tid\": 1,"
		" \"cpu_ns\": 2000000, \"blocked_ns\": {\"net\": 6000000}}]}],"
		" \"waits\": {\"net\": {\"count\": 3, \"max_ns\": 4000000,"
		" \"hist_log2_ns\": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,"
		" 0, 0, 0, 3]}},"
		" \"timeline\": {\"bucket_ns\": 100000000, \"buckets\": [{\"cpu_ns\": 2000000}]},"
		" \"verdict\": {\"model\": \"async\", \"confidence\": 0.7,"
		" \"path\": [{\"metric\": \"io_fraction\", \"value\": null}],"
		" \"drivers\": {\"io_fraction\": 0.75}},"
		" \"thresholds\": {\"io_bound_min\": 0.5}}",
		"{\"verdict\": {\"model\": 3, \"confidence\": \"high\", \"speedup_bound\": null,"
		" \"drivers\": {\"io_fraction\": \"x\", \"busy_threads\": null}},"
		" \"thresholds\": {\"slow_wait_ms\": -1, \"many_conns\": null},"
		" \"connections\": {\"tcp_counted\": true}, \"host\": {\"cpus\": -3},"
		" \"timeline\": {\"bucket_ns\": 5, \"buckets\": [1, null, {}]},"
		" \"processes\": [7, {\"threads\": {}}], \"syscalls\": 5,"
		" \"created_at\": \"yesterday\", \"target\": {\"exited\": true, \"signal\": 999}}",
	};

	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		char *page = render_json(docs[i]);

		cr_assert_not_null(strstr(page, "</html>"), "doc %zu", i);
		cr_assert(is_valid_utf8((const unsigned char *)page), "doc %zu", i);
		assert_no_garbage(page);
		free(page);
	}
}

/* A model the schema does not name is shown as unknown, never as markup. */
Test(html, unknown_model_is_not_markup)
{
	char *page = render_json("{\"verdict\": {\"model\": \"<img src=x>\"}}");

	cr_assert_not_null(strstr(page, "class=\"verdict m-unknown\""));
	cr_assert_not_null(strstr(page, "id=\"verdict-model\">unknown</h1>"));
	cr_assert_null(strstr(page, "<img"));
	cr_assert_null(strstr(page, "&lt;img"), "the model is not shown at all");
	free(page);
}

Test(html, long_timeline_is_bounded)
{
	struct report r;
	char *page;

	sample_build(&r, MODEL_MULTIPROCESSING);
	free(r.profile.buckets);
	r.profile.nr_buckets = 100000; /* almost 3 hours of 100 ms buckets */
	r.profile.buckets = calloc(r.profile.nr_buckets, sizeof(*r.profile.buckets));
	cr_assert_not_null(r.profile.buckets);
	for (size_t i = 0; i < r.profile.nr_buckets; i++)
		r.profile.buckets[i].cpu_ns = (i % 100) * 1000000;
	page = render(&r);
	cr_assert_lt(strlen(page), 1024 * 1024, "the page grows with the run");
	report_free(&r);
	free(page);
}

Test(html, full_disk_is_an_error)
{
	struct json_object *doc;
	struct report r;
	FILE *f = fopen("/dev/full", "w");

	cr_assert_not_null(f);
	sample_build(&r, MODEL_ASYNC);
	doc = doc_of(&r);
	cr_assert_eq(report_html_write(f, doc), -EIO);
	fclose(f);
	json_object_put(doc);
	report_free(&r);
}

/* ---- gates and --repeat (issue 9) ---- */

static void gate_add(struct report *r, const struct gate_rule *g)
{
	cr_assert_eq(gate_results_add(&r->gates, g), 0);
}

/*
 * --expect async and a policy of limits, all passing; with fail, one more
 * limit that fails with a hostile message, as a saved report could carry.
 */
static void gates_build(struct report *r, bool fail)
{
	unsigned int counts[NR_MODELS] = { [MODEL_ASYNC] = 1 };
	struct gate_rule g;

	r->gates.evaluated = true;
	snprintf(r->gates.expect, sizeof(r->gates.expect), "async");
	snprintf(r->gates.policy, sizeof(r->gates.policy), "ci/" HOSTILE ".json");
	gate_expect(&g, MODEL_ASYNC, r->verdict.model, "", counts, 1, 1);
	gate_add(r, &g);
	gate_limit(&g, "io_fraction", 0.78, 0.5, NAN);
	gate_add(r, &g);
	if (!fail)
		return;
	gate_limit(&g, "syscalls[name=<img src=x>].max_ns", 6e9, NAN, 5e9);
	snprintf(g.message, sizeof(g.message), "%s \x1b[31m %s", HOSTILE_TITLE, BAD_UTF8);
	gate_add(r, &g);
}

/* --baseline: the model changed, a duration grew past its tolerance, a fraction stayed within. */
static void baseline_build(struct report *r)
{
	struct gate_rule g;

	r->gates.evaluated = true;
	snprintf(r->gates.baseline, sizeof(r->gates.baseline), "base.json");
	gate_model(&g, MODEL_MULTITHREADING, r->verdict.model);
	gate_add(r, &g);
	gate_change(&g, "duration_ns", 1e9, 1.5e9, NAN, 0.2, GATE_WORSE_HIGHER);
	gate_add(r, &g);
	gate_change(&g, "io_fraction", 0.5, 0.45, 0.1, NAN, GATE_WORSE_HIGHER);
	gate_add(r, &g);
}

/* Five runs, four async and one multithreading; run 3 exited with status 3. */
static void repeat_build(struct report *r)
{
	static const char *const paths[] = { "io_fraction", "wait_p50_ns", "peak_open",
					     "busy_threads", "verdict.confidence" };
	static const double io[] = { 0.78, 0.7, 0.8, 0.75, 0.79 };

	cr_assert_eq(repeat_init(&r->repeat, 5, paths, 5), 0);
	for (unsigned int i = 0; i < 5; i++) {
		struct repeat_run run = {
			.model = i == 1 ? MODEL_MULTITHREADING : MODEL_ASYNC,
			.confidence = 0.8 + i * 0.01,
			.exited = true,
			.exit_code = i == 2 ? 3 : 0,
		};
		double v[] = { io[i], 3000000.0 + i * 100000, 80 + i, 1.3, run.confidence };

		repeat_set_run(&r->repeat, i, &run, v);
	}
	repeat_finish(&r->repeat);
	r->verdict.model = r->repeat.model;
}

/* The gates section, as its own string; NULL when the page has none. */
static char *gates_section(const char *page)
{
	const char *at = strstr(page, "<section id=\"gates\"");
	const char *end = at ? strstr(at, "</section>") : NULL;

	return at && end ? strndup(at, end - at) : NULL;
}

/* The gates section comes right after the verdict, before the decision tree. */
static void assert_gates_placed(const char *page)
{
	const char *verdict = strstr(page, "<section id=\"verdict\"");
	const char *gates = strstr(page, "<section id=\"gates\"");
	const char *decision = strstr(page, "<section id=\"decision\"");

	cr_assert_not_null(gates);
	cr_assert(verdict && verdict < gates && gates < decision, "gates out of place");
	cr_assert_eq(count_of(page, "id=\"gates\""), 1);
	cr_assert_not_null(strstr(page, "<a href=\"#gates\">"), "no link in the contents");
	cr_assert(is_valid_utf8((const unsigned char *)page));
}

Test(html, no_gates_no_section)
{
	char *page = render_sample(MODEL_ASYNC);

	cr_assert_null(strstr(page, "id=\"gates\""));
	cr_assert_null(strstr(page, "href=\"#gates\""));
	cr_assert_null(strstr(page, "Gates "));
	cr_assert_null(strstr(page, "runs agree"));
	cr_assert_null(strstr(page, "median "));
	cr_assert_null(strstr(page, "id=\"target-failed\""));
	free(page);
}

Test(html, gates_passed)
{
	struct gate_rule g;
	struct report r;
	char *page, *sec;

	sample_build(&r, MODEL_ASYNC);
	gates_build(&r, false);
	/* "_ns" in a selector's value does not make the metric a duration */
	gate_limit(&g, "processes[comm=a_ns.b].exit_code", 0, 0, 0);
	gate_add(&r, &g);
	page = render(&r);
	assert_gates_placed(page);
	sec = gates_section(page);
	cr_assert_not_null(strstr(sec, "Gates passed <span class=\"dim\">(3 of 3)</span>"));
	cr_assert_null(strstr(sec, "FAIL"));
	cr_assert_eq(count_of(sec, "<span class=\"res pass\">\u2713 pass</span>"), 3);
	cr_assert_null(strstr(sec, " ns</span>"));
	cr_assert_not_null(strstr(sec, "<b>async</b>"), "the expected model");
	cr_assert_not_null(strstr(sec, "<span class=\"sub\">limit</span><code>io_fraction</code>"));
	cr_assert_not_null(strstr(sec, "io_fraction 0.78 is within min 0.5"));
	cr_assert_not_null(strstr(sec, "&gt;= 0.5"));
	cr_assert_null(strstr(sec, "id=\"baseline\""), "no baseline was given");
	cr_assert_null(strstr(sec, "id=\"repeat\""), "not repeated");
	cr_assert_not_null(strstr(page, "<a href=\"#gates\">Gates</a>"));
	free(sec);
	free(page);
	report_free(&r);
}

Test(html, gates_failed_hostile_message_escaped)
{
	struct report r;
	char *page, *sec;

	sample_build(&r, MODEL_ASYNC);
	gates_build(&r, true);
	page = render(&r);
	assert_gates_placed(page);
	sec = gates_section(page);
	cr_assert_not_null(strstr(sec, "Gates FAILED (1 of 3)</h2>"));
	cr_assert_not_null(strstr(sec, "<h2 class=\"g-head fail\""));
	cr_assert_eq(count_of(sec, "<tr class=\"failed\">"), 1);
	cr_assert_eq(count_of(sec, "\u2717 FAIL"), 1);
	/* the message, the path and the policy's name are text */
	cr_assert_not_null(strstr(sec, "&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"));
	cr_assert_not_null(strstr(sec, "\xe2\x90\x9b[31m"), "ESC shows as a picture");
	cr_assert_not_null(strstr(sec, "bad\xef\xbf\xbdname"));
	cr_assert_not_null(strstr(sec, "syscalls<wbr>[name=&lt;img src=x&gt;].<wbr>max_ns"));
	cr_assert_not_null(strstr(sec, "ci/&lt;script&gt;alert(1)&lt;/script&gt;.json"));
	cr_assert_eq(count_of(page, "<script"), 1, "only the page's own sorting script");
	cr_assert_null(strstr(page, "<img"));
	cr_assert_null(strstr(page, "\x1b"));
	/* a limit on nanoseconds also reads as durations */
	cr_assert_not_null(strstr(sec, "<span class=\"sub\">6.00 s</span>"));
	cr_assert_not_null(strstr(sec, "<span class=\"sub\">at most 5.00 s</span>"));
	free(sec);
	free(page);
	report_free(&r);
}

Test(html, baseline_changes_table)
{
	struct report r;
	char *page, *sec;
	const char *table;

	sample_build(&r, MODEL_ASYNC);
	baseline_build(&r);
	page = render(&r);
	assert_gates_placed(page);
	sec = gates_section(page);
	cr_assert_not_null(strstr(sec, "Gates FAILED (2 of 3)"));
	cr_assert_not_null(strstr(sec, "Baseline <code>base.json</code>."));
	table = strstr(sec, "<table class=\"baseline\" id=\"baseline\">");
	cr_assert_not_null(table);
	cr_assert_not_null(strstr(table, "<b>multithreading</b></td><td class=\"num\"><b>async</b>"
					 "</td><td class=\"num\">changed</td>"));
	/* old, new, change, allowed and result of a duration */
	cr_assert_not_null(strstr(table, "<code>duration_ns</code></td>"
					 "<td class=\"num\" title=\"1000000000\">1.00 s</td>"
					 "<td class=\"num\" title=\"1500000000\">1.50 s</td>"
					 "<td class=\"num\">+500 ms<span class=\"sub\">+50.0%</span></td>"
					 "<td class=\"num\">+200 ms<span class=\"sub\">higher is worse"
					 "</span></td><td data-v=\"0\"><span class=\"res fail\">"));
	/* a fraction that went down, the good way: within */
	cr_assert_not_null(strstr(table, "<td class=\"num\" title=\"0.5\">0.5</td>"
					 "<td class=\"num\" title=\"0.45\">0.45</td>"
					 "<td class=\"num\">\u22120.05<span class=\"sub\">\u221210.0%</span>"
					 "</td><td class=\"num\">+0.1<span class=\"sub\">higher is worse"
					 "</span></td><td data-v=\"1\"><span class=\"res pass\">"));
	cr_assert_eq(count_of(table, "<tr class=\"failed\">"), 2);
	free(sec);
	free(page);
	report_free(&r);
}

Test(html, repeat_agreement_and_medians)
{
	struct report r;
	char *page, *sec;
	const char *kpis;

	sample_build(&r, MODEL_ASYNC);
	repeat_build(&r);
	page = render(&r);
	assert_gates_placed(page);
	cr_assert_not_null(strstr(page, "<a href=\"#gates\">Runs</a>"));
	cr_assert_not_null(strstr(page, "<span class=\"v-agree\">4/5 runs agree</span>"));
	/* each driver: the shown run's value, then the median (min–max) over the runs */
	kpis = strstr(page, "<dl class=\"kpis\">");
	cr_assert_not_null(kpis);
	cr_assert_not_null(strstr(kpis, "<dd class=\"sub rep\">median 78.0% (70.0%\u201380.0%)"));
	cr_assert_not_null(strstr(kpis, "median 3.20 ms (3.00 ms\u20133.40 ms)"));
	cr_assert_not_null(strstr(kpis, "median 82 (80\u201384)"));
	cr_assert_not_null(strstr(kpis, "median 1.3 (1.3\u20131.3)"));
	cr_assert_not_null(strstr(page, "median 82.0% (80.0%\u201384.0%)"), "confidence");
	/* a run of the target failed: said first */
	cr_assert_not_null(strstr(page, "id=\"target-failed\"><b>The target failed:</b> run 3 "
					"of 5 exited with status 3"));
	cr_assert(strstr(page, "id=\"target-failed\"") < strstr(page, "<dl class=\"kpis\">"));

	sec = gates_section(page);
	cr_assert_not_null(strstr(sec, "<h2 id=\"repeat\">Repeated runs</h2>"));
	cr_assert_null(strstr(sec, "Gates "), "no gate ran");
	cr_assert_not_null(strstr(sec, "<b>4/5 runs agree</b> on async (4 async, 1 multithreading)"));
	cr_assert_eq(count_of(sec, "<tr"), 1 + 5 + 1 + 5, "five runs, five metrics");
	cr_assert_eq(count_of(sec, "<span class=\"tag\">shown</span>"), 1);
	cr_assert_not_null(strstr(sec, "exit 3"));
	free(sec);
	free(page);
	report_free(&r);
}

/* Gates and repeats together: the repeat part is a subsection of the gates. */
Test(html, gates_with_repeat)
{
	struct report r;
	char *page, *sec;

	sample_build(&r, MODEL_ASYNC);
	repeat_build(&r);
	gates_build(&r, true);
	page = render(&r);
	assert_gates_placed(page);
	sec = gates_section(page);
	cr_assert_not_null(strstr(sec, "Gates FAILED (1 of 3)"));
	cr_assert_not_null(strstr(sec, "<h3 id=\"repeat\">Repeated runs</h3>"));
	cr_assert_not_null(strstr(sec, "the gates held the medians"));
	free(sec);
	free(page);
	report_free(&r);
}

/*
 * The page is drawn from the document alone: the report saved as JSON and
 * read back draws the same bytes as the fresh one (tests/browser and
 * `make test-browser` check the same of a real run).
 */
Test(html, saved_report_renders_the_same)
{
	struct json_object *doc, *back;
	char *fresh, *saved, *text = NULL;
	size_t len = 0;
	struct report r;
	FILE *f;

	sample_build(&r, MODEL_ASYNC);
	repeat_build(&r);
	gates_build(&r, true);
	doc = doc_of(&r);
	fresh = render_doc(doc);

	f = open_memstream(&text, &len);
	cr_assert_not_null(f);
	cr_assert_eq(report_json_write(f, doc), 0);
	cr_assert_eq(fclose(f), 0);
	back = json_tokener_parse(text);
	cr_assert_not_null(back, "the saved report does not parse");
	saved = render_doc(back);
	cr_assert_str_eq(saved, fresh);

	json_object_put(back);
	json_object_put(doc);
	free(text);
	free(saved);
	free(fresh);
	report_free(&r);
}

/*
 * The page tests/browser/check_page.sh renders: the hostile sample, with
 * gates (one failing with a hostile message) and five repeated runs.
 */
Test(html, sample_page)
{
	const char *out = getenv("HTML_SAMPLE_OUT");
	struct report r;
	char *page;
	FILE *f;

	sample_build(&r, MODEL_ASYNC);
	repeat_build(&r);
	gates_build(&r, true);
	baseline_build(&r);
	page = render(&r);
	report_free(&r);

	if (out) {
		f = fopen(out, "w");
		cr_assert_not_null(f, "cannot open %s", out);
		cr_assert_eq(fputs(page, f) >= 0, true);
		cr_assert_eq(fclose(f), 0);
	}
	free(page);
}
