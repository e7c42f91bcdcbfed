// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The evidence behind the verdict, the HTML report's sections after the
 * decision: where the time went, the timeline, the busiest processes and
 * threads, the syscalls and the connections. Sums the page shows that the
 * document does not hold (a process's time, a thread's I/O, the threads
 * counted) are made here from the document's own numbers.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "html.h"
#include "text.h"

#define TOP_ROWS 20
#define SYSCALL_ROWS 40

static void put_pct(FILE *f, double part, double whole)
{
	double pct = whole > 0 ? 100.0 * part / whole : 0;

	if (pct <= 0)
		fputs("<span class=\"dim\">\u2013</span>", f);
	else if (pct < 0.1)
		fputs("&lt;0.1%", f);
	else
		fprintf(f, "%.1f%%", pct);
}

static void put_more(FILE *f, size_t shown, size_t all, const char *what)
{
	if (all > shown)
		fprintf(f, "<p class=\"lede\">%zu more %s are in the JSON report.</p>", all - shown,
			what);
}

static void put_state_legend(FILE *f)
{
	fputs("<ul class=\"legend\"><li><span class=\"sw s-cpu\"></span>on CPU</li>"
	      "<li><span class=\"sw s-runq\"></span>runnable</li>"
	      "<li><span class=\"sw s-io\"></span>I/O</li>"
	      "<li><span class=\"sw s-other\"></span>other blocked</li></ul>",
	      f);
}

/* ---- histograms in tables ---- */

/* Widens [lo, hi] to cover the used slots of a histogram. */
static void hist_extend(const __u64 *slots, unsigned int *lo, unsigned int *hi)
{
	for (unsigned int k = 0; k < MAX_SLOTS; k++) {
		if (!slots[k])
			continue;
		if (k < *lo)
			*lo = k;
		if (k > *hi)
			*hi = k;
	}
}

/* Settles a range for a table's histograms: at least eight slots wide. */
static void hist_settle(unsigned int *lo, unsigned int *hi)
{
	if (*lo > *hi) {
		*lo = 10; /* about 1 µs .. 1 s when nothing was recorded */
		*hi = 29;
	}
	while (*hi - *lo < 7) {
		if (*hi < MAX_SLOTS - 1)
			(*hi)++;
		if (*hi - *lo < 7 && *lo > 0)
			(*lo)--;
	}
}

static void put_hist_header(FILE *f, const char *what, unsigned int lo, unsigned int hi)
{
	char a[FMT_LEN], b[FMT_LEN];

	fprintf(f, "<th class=\"histh\">%s<span class=\"range\"><span>%s</span>"
		   "<span>%s</span></span></th>",
		what, fmt_ns_coarse(a, sizeof(a), 1ULL << lo),
		fmt_ns_coarse(b, sizeof(b), 2ULL << hi));
}

/* ---- (3) where the time went ---- */

static const char *const cause_classes[NR_CAUSES] = {
	[CAUSE_NET] = "s-net",	   [CAUSE_DISK] = "s-disk",   [CAUSE_POLL] = "s-poll",
	[CAUSE_LOCK] = "s-lock",   [CAUSE_SLEEP] = "s-sleep", [CAUSE_CHILD] = "s-child",
	[CAUSE_IPC] = "s-ipc",	   [CAUSE_OTHER] = "s-other-c",
};

static const char *const cause_help[NR_CAUSES] = {
	[CAUSE_NET] = "sockets: recv, send, accept, connect",
	[CAUSE_DISK] = "files and block devices, major page faults",
	[CAUSE_POLL] = "epoll, poll, select: an event loop waiting",
	[CAUSE_LOCK] = "futex, flock, fcntl locks, semop",
	[CAUSE_SLEEP] = "nanosleep, pause, sigsuspend",
	[CAUSE_CHILD] = "wait4, waitid",
	[CAUSE_IPC] = "pipes, FIFOs, message queues, character devices",
	[CAUSE_OTHER] = "any other syscall",
};

/* The time's totals ("time" of the document), split into the bar's segments in drawing order. */
static size_t time_segments(const struct json_object *t, struct html_segment *seg)
{
	__u64 all[NR_CAUSES], internal[NR_CAUSES];
	size_t n = 0;

	doc_causes(t, "blocked_ns", all);
	doc_causes(t, "internal_ns", internal);
	seg[n++] = (struct html_segment){ "s-cpu", "on CPU", doc_u64(t, "cpu_ns"), false };
	seg[n++] = (struct html_segment){ "s-wake", "runnable after wakeup",
					  doc_u64(t, "runq_wakeup_ns"), false };
	seg[n++] = (struct html_segment){ "s-preempt", "runnable after preemption",
					  doc_u64(t, "runq_preempt_ns"), false };
	for (int c = 0; c < NR_CAUSES; c++) {
		__u64 in = internal[c] < all[c] ? internal[c] : all[c];

		seg[n++] = (struct html_segment){ cause_classes[c], doc_cause_names[c],
						  all[c] - in, false };
		seg[n++] = (struct html_segment){ cause_classes[c], doc_cause_names[c], in, true };
	}
	return n;
}

static size_t count_threads(const struct json_object *doc)
{
	size_t n = 0;

	for (size_t i = 0; i < doc_len(doc, "processes"); i++)
		n += doc_len(doc_at(doc, "processes", i), "threads");
	return n;
}

/* A row of the states table that is not a wait: on CPU, or runnable. */
static void put_state_row(FILE *f, const char *cls, const char *name, __u64 ns, __u64 all)
{
	fprintf(f, "<tr><td class=\"name\"><span class=\"sw %s\"></span>%s</td>", cls, name);
	html_td_ns(f, ns);
	fputs("<td class=\"num\">", f);
	put_pct(f, ns, all);
	fputs("</td><td></td><td></td><td></td><td></td></tr>", f);
}

/* The table of states and causes, with each cause's waits and their lengths. */
static void put_states_table(FILE *f, const struct json_object *doc, __u64 all)
{
	const struct json_object *t = doc_get(doc, "time");
	__u64 slots[NR_CAUSES][MAX_SLOTS], blocked[NR_CAUSES], internal[NR_CAUSES];
	unsigned int lo = MAX_SLOTS, hi = 0;
	char path[64];

	doc_causes(t, "blocked_ns", blocked);
	doc_causes(t, "internal_ns", internal);
	for (int c = 0; c < NR_CAUSES; c++) {
		snprintf(path, sizeof(path), "waits.%s.hist_log2_ns", doc_cause_names[c]);
		doc_u64s(doc, path, slots[c], MAX_SLOTS);
		hist_extend(slots[c], &lo, &hi);
	}
	hist_settle(&lo, &hi);

	fputs("<div class=\"tw\"><table class=\"states\"><thead><tr><th>State</th>"
	      "<th class=\"num\">Time</th><th class=\"num\">Share</th>"
	      "<th class=\"num\">Internal</th><th class=\"num\">Waits</th>"
	      "<th class=\"num\">Longest</th>",
	      f);
	put_hist_header(f, "Wait lengths", lo, hi);
	fputs("</tr></thead><tbody>", f);
	put_state_row(f, "s-cpu", "on CPU", doc_u64(t, "cpu_ns"), all);
	put_state_row(f, "s-wake",
		      "runnable after wakeup<span class=\"sub\">scheduling latency</span>",
		      doc_u64(t, "runq_wakeup_ns"), all);
	put_state_row(f, "s-preempt",
		      "runnable after preemption<span class=\"sub\">CPU contention</span>",
		      doc_u64(t, "runq_preempt_ns"), all);
	fputs("<tr class=\"grp\"><td colspan=\"7\">blocked</td></tr>", f);
	for (int c = 0; c < NR_CAUSES; c++) {
		const struct json_object *w;
		__u64 count;

		snprintf(path, sizeof(path), "waits.%s", doc_cause_names[c]);
		w = doc_get(doc, path);
		count = doc_u64(w, "count");
		fprintf(f, "<tr><td class=\"name\"><span class=\"sw %s\"></span>%s%s"
			   "<span class=\"sub\">%s</span></td>",
			cause_classes[c], doc_cause_names[c],
			CAUSE_IS_IO(c) ? "<span class=\"tag\">I/O</span>" : "", cause_help[c]);
		html_td_ns(f, blocked[c]);
		fputs("<td class=\"num\">", f);
		put_pct(f, blocked[c], all);
		fputs("</td>", f);
		html_td_ns(f, internal[c]);
		html_td_count(f, count);
		html_td_ns(f, doc_u64(w, "max_ns"));
		fputs("<td>", f);
		if (count)
			html_svg_hist(f, slots[c], lo, hi);
		fputs("</td></tr>", f);
	}
	fputs("</tbody><tfoot><tr class=\"total\"><td>all threads</td>", f);
	html_td_ns(f, all);
	fputs("<td class=\"num\">100%</td><td></td><td></td><td></td><td></td></tr></tfoot>"
	      "</table></div>",
	      f);
}

void html_write_time(FILE *f, const struct json_object *doc)
{
	struct html_segment seg[HTML_MAX_SEGMENTS];
	size_t nr = time_segments(doc_get(doc, "time"), seg);
	size_t nr_threads = count_threads(doc);
	double io_fraction = doc_double(doc, "verdict.drivers.io_fraction");
	__u64 all = 0;

	for (size_t i = 0; i < nr; i++)
		all += seg[i].ns;

	fputs("<section id=\"time\"><h2>Where the time went</h2><p class=\"lede\">", f);
	html_put_ns(f, all);
	fprintf(f, " of thread time over %zu thread%s. Hatched parts are waits that another "
		   "thread of the program ended (a pipe to a sibling, a lock, a child): internal "
		   "dependencies, not I/O. I/O is external net, disk, poll and ipc waits: ",
		nr_threads, nr_threads == 1 ? "" : "s");
	if (isfinite(io_fraction))
		fprintf(f, "%.1f%%", io_fraction * 100);
	else
		fputs("?", f);
	fputs(" of the busy threads' time.</p>", f);
	html_svg_state_bar(f, seg, nr);

	fputs("<ul class=\"legend\">", f);
	for (size_t i = 0; i < nr; i++) {
		if (!seg[i].ns)
			continue;
		fprintf(f, "<li><span class=\"sw %s%s\"></span>%s%s</li>", seg[i].cls,
			seg[i].internal ? " int" : "", seg[i].label,
			seg[i].internal ? " (internal)" : "");
	}
	fputs("</ul>", f);
	put_states_table(f, doc, all);
	fputs("</section>\n", f);
}

/* ---- (4) the timeline ---- */

int html_write_timeline(FILE *f, const struct json_object *doc)
{
	int err;

	fputs("<section id=\"timeline\"><h2>Timeline</h2>", f);
	if (!doc_len(doc, "timeline.buckets") || !doc_u64(doc, "timeline.bucket_ns")) {
		fputs("<p class=\"lede\">No timeline was recorded for this run.</p>"
		      "</section>\n",
		      f);
		return 0;
	}
	fputs("<p class=\"lede\">Threads in each state over the run (", f);
	html_put_ns(f, doc_u64(doc, "timeline.bucket_ns"));
	fputs(" buckets, merged on long runs); the dashed line is the CPU count when it is in "
	      "range.</p>",
	      f);
	err = html_svg_timeline(f, doc);
	if (err)
		return err;
	put_state_legend(f);
	fputs("</section>\n", f);
	return 0;
}

/* ---- (5) the busiest threads and processes ---- */

struct ranked {
	const struct json_object *proc;
	const struct json_object *thread; /* NULL for a process */
	size_t order; /* in the document: ties keep it */
	__u64 cpu, runq, io, other, key;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? 1 : -1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* A thread's time in the bar's four states: I/O is its external net, disk, poll, ipc. */
static void rank_thread(struct ranked *k, const struct json_object *proc,
			const struct json_object *t)
{
	__u64 blocked[NR_CAUSES], sum = 0;

	doc_causes(t, "blocked_ns", blocked);
	for (int c = 0; c < NR_CAUSES; c++)
		sum += blocked[c];
	k->proc = proc;
	k->thread = t;
	k->cpu = doc_u64(t, "cpu_ns");
	k->runq = doc_u64(t, "runq_wakeup_ns") + doc_u64(t, "runq_preempt_ns");
	k->io = doc_io_ns(t);
	k->other = sum > k->io ? sum - k->io : 0;
	k->key = k->cpu + k->io;
}

static void write_ranked_cells(FILE *f, const struct ranked *k, __u64 max)
{
	html_td_ns(f, k->cpu);
	html_td_ns(f, k->runq);
	html_td_ns(f, k->io);
	html_td_ns(f, k->other);
	fputs("<td>", f);
	html_svg_mini_bar(f, k->cpu, k->runq, k->io, k->other, max);
	fputs("</td>", f);
}

static __u64 ranked_max(const struct ranked *k, size_t nr)
{
	__u64 max = 0;

	for (size_t i = 0; i < nr; i++) {
		__u64 s = k[i].cpu + k[i].runq + k[i].io + k[i].other;

		if (s > max)
			max = s;
	}
	return max;
}

static void write_processes(FILE *f, const struct ranked *procs, size_t nr)
{
	size_t n = nr < TOP_ROWS ? nr : TOP_ROWS;
	__u64 max = ranked_max(procs, n);

	fputs("<h3>Processes</h3><div class=\"tw\"><table class=\"sortable\" id=\"processes\">"
	      "<thead><tr><th class=\"num\">PID</th><th class=\"num\">PPID</th><th>Command</th>"
	      "<th class=\"num\">Threads</th><th class=\"num\">CPU</th>"
	      "<th class=\"num\">Runnable</th>"
	      "<th class=\"num\">I/O</th><th class=\"num\">Other blocked</th><th>States</th>"
	      "<th>Exit</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct json_object *proc = procs[i].proc;
		unsigned long long pid = doc_u64(proc, "pid"), ppid = doc_u64(proc, "ppid");
		const char *exe = doc_str(proc, "exe"), *argv0 = doc_str(proc, "argv0");

		fprintf(f, "<tr><td class=\"num\" data-v=\"%llu\">%llu</td><td class=\"num\" "
			   "data-v=\"%llu\">%llu</td><td class=\"wrapok\"><b>",
			pid, pid, ppid, ppid);
		text_html_escape(f, doc_str(proc, "comm"));
		fputs("</b>", f);
		if (*exe || *argv0) {
			fputs("<span class=\"sub mono\">", f);
			text_html_escape(f, *exe ? exe : argv0);
			if (*exe && *argv0 && strcmp(exe, argv0)) {
				fputs(" (argv[0] ", f);
				text_html_escape(f, argv0);
				fputs(")", f);
			}
			fputs("</span>", f);
		}
		fputs("</td>", f);
		html_td_count(f, doc_len(proc, "threads"));
		write_ranked_cells(f, &procs[i], max);
		fputs("<td class=\"dim\">", f);
		html_put_exit(f, proc);
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, nr, "processes");
}

static void write_threads(FILE *f, const struct ranked *threads, size_t nr)
{
	size_t n = nr < TOP_ROWS ? nr : TOP_ROWS;
	__u64 max = ranked_max(threads, n);

	fputs("<h3>Threads</h3><div class=\"tw\"><table class=\"sortable\" id=\"threads\">"
	      "<thead><tr><th class=\"num\">TID</th><th class=\"num\">PID</th><th>Name</th>"
	      "<th class=\"num\">CPU</th><th class=\"num\">Runnable</th><th class=\"num\">I/O</th>"
	      "<th class=\"num\">Other blocked</th><th>States</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		unsigned long long tid = doc_u64(threads[i].thread, "tid");
		unsigned long long pid = doc_u64(threads[i].proc, "pid");

		fprintf(f, "<tr><td class=\"num\" data-v=\"%llu\">%llu</td><td class=\"num\" "
			   "data-v=\"%llu\">%llu</td><td class=\"wrapok\">",
			tid, tid, pid, pid);
		text_html_escape(f, doc_str(threads[i].thread, "comm"));
		fputs("</td>", f);
		write_ranked_cells(f, &threads[i], max);
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, nr, "threads");
}

int html_write_busiest(FILE *f, const struct json_object *doc)
{
	size_t nr_procs = doc_len(doc, "processes"), nr_threads = count_threads(doc), n = 0;
	struct ranked *procs, *threads;

	procs = calloc(nr_procs + 1, sizeof(*procs));
	threads = calloc(nr_threads + 1, sizeof(*threads));
	if (!procs || !threads) {
		free(procs);
		free(threads);
		return -ENOMEM;
	}
	/* a process's time is the sum of its threads' */
	for (size_t i = 0; i < nr_procs; i++) {
		const struct json_object *proc = doc_at(doc, "processes", i);
		struct ranked *pk = &procs[i];

		pk->proc = proc;
		pk->order = i;
		for (size_t j = 0; j < doc_len(proc, "threads"); j++) {
			struct ranked *tk = &threads[n];

			rank_thread(tk, proc, doc_at(proc, "threads", j));
			tk->order = n++;
			pk->cpu += tk->cpu;
			pk->runq += tk->runq;
			pk->io += tk->io;
			pk->other += tk->other;
		}
		pk->key = pk->cpu + pk->io;
	}
	if (nr_procs > 1)
		qsort(procs, nr_procs, sizeof(*procs), ranked_cmp);
	if (nr_threads > 1)
		qsort(threads, nr_threads, sizeof(*threads), ranked_cmp);

	fputs("<section id=\"busiest\"><h2>Busiest processes and threads</h2>"
	      "<p class=\"lede\">Ranked by time on CPU plus time in I/O.</p>",
	      f);
	put_state_legend(f);
	write_processes(f, procs, nr_procs);
	write_threads(f, threads, nr_threads);
	fputs("</section>\n", f);
	free(procs);
	free(threads);
	return 0;
}

/* ---- (6) syscalls ---- */

static void put_syscall_name(FILE *f, const struct json_object *s)
{
	const char *name = doc_str(s, "name");
	long long nr = doc_int(s, "nr", 0);

	if (*name)
		text_html_escape(f, name);
	else if (nr < 0)
		fputs("(page fault)", f);
	else
		fprintf(f, "#%lld", nr);
}

/* The syscalls at key (an array of the document), the first SYSCALL_ROWS of them. */
static void write_syscall_table(FILE *f, const struct json_object *doc, const char *key,
				const char *id, bool all_calls)
{
	size_t nr = doc_len(doc, key), n = nr < SYSCALL_ROWS ? nr : SYSCALL_ROWS;
	unsigned int lo = MAX_SLOTS, hi = 0;
	__u64 slots[MAX_SLOTS];

	/* one range for the rows shown, so that their histograms line up */
	for (size_t i = 0; i < n; i++) {
		doc_u64s(doc_at(doc, key, i), "hist_log2_ns", slots, MAX_SLOTS);
		hist_extend(slots, &lo, &hi);
	}
	hist_settle(&lo, &hi);
	fprintf(f, "<div class=\"tw\"><table class=\"sortable\" id=\"%s\"><thead><tr>"
		   "<th>Syscall</th><th class=\"num\">%s</th>",
		id, all_calls ? "Calls" : "Waits");
	if (all_calls)
		fputs("<th class=\"num\">Errors</th>", f);
	fputs("<th class=\"num\">Total</th><th class=\"num\">Mean</th><th class=\"num\">Max</th>",
	      f);
	put_hist_header(f, all_calls ? "Latency" : "Wait lengths", lo, hi);
	fputs("</tr></thead><tbody>", f);
	for (size_t i = 0; i < n; i++) {
		const struct json_object *s = doc_at(doc, key, i);
		__u64 count = doc_u64(s, "count"), total = doc_u64(s, "total_ns");

		fputs("<tr><td class=\"name\"><code>", f);
		put_syscall_name(f, s);
		fputs("</code></td>", f);
		html_td_count(f, count);
		if (all_calls)
			html_td_count(f, doc_u64(s, "errors"));
		html_td_ns(f, total);
		html_td_ns(f, count ? total / count : 0);
		html_td_ns(f, doc_u64(s, "max_ns"));
		fputs("<td>", f);
		doc_u64s(s, "hist_log2_ns", slots, MAX_SLOTS);
		html_svg_hist(f, slots, lo, hi);
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, nr, "syscalls");
}

void html_write_syscalls(FILE *f, const struct json_object *doc)
{
	fputs("<section id=\"syscalls\"><h2>Syscall waits</h2>"
	      "<p class=\"lede\">The syscalls threads were blocked in when they left the CPU, by "
	      "total wait.</p>",
	      f);
	if (doc_len(doc, "syscall_waits"))
		write_syscall_table(f, doc, "syscall_waits", "syscall-waits", false);
	else
		fputs("<p class=\"dim\">No thread blocked in a syscall.</p>", f);
	/* the key is there only when every syscall was counted (-S) */
	if (doc_get(doc, "syscalls")) {
		fputs("<h3 id=\"all-syscalls\">Every syscall (-S)</h3><p class=\"lede\">Count, "
		      "errors and latency of every call, blocking or not.</p>",
		      f);
		if (doc_len(doc, "syscalls"))
			write_syscall_table(f, doc, "syscalls", "syscalls-all", true);
		else
			fputs("<p class=\"dim\">No syscalls were counted.</p>", f);
	}
	fputs("</section>\n", f);
}

/* ---- (7) connections ---- */

void html_write_connections(FILE *f, const struct json_object *doc)
{
	const struct json_object *c = doc_get(doc, "connections");
	bool tcp = doc_bool(c, "tcp_counted"), unx = doc_bool(c, "unix_counted");
	double many = doc_double(doc, "thresholds.many_conns");

	fputs("<section id=\"connections\"><h2>Connections</h2>", f);
	if (!tcp && !unx) {
		fputs("<p class=\"lede\">Connections were not counted in this run (no cgroup could "
		      "be made for it).</p></section>\n",
		      f);
		return;
	}
	fprintf(f, "<p class=\"lede\">%s stream connections opened by the program's accept and "
		   "connect calls.</p>",
		tcp && unx ? "TCP and Unix" : tcp ? "TCP" : "Unix");
	fputs("<dl class=\"kpis\" id=\"conn-figures\">", f);
	fputs("<div><dt>Peak open at once</dt><dd>", f);
	html_put_count(f, doc_u64(c, "peak_open"));
	fputs("</dd><dd class=\"sub\">many from ", f);
	if (isfinite(many))
		fprintf(f, "%.0f", many);
	else
		fputs("?", f);
	fputs("</dd></div>", f);
	fputs("<div><dt>Accepted</dt><dd>", f);
	html_put_count(f, doc_u64(c, "accepted"));
	fputs("</dd></div><div><dt>Connected</dt><dd>", f);
	html_put_count(f, doc_u64(c, "connected"));
	fputs("</dd></div><div><dt>Closed</dt><dd>", f);
	html_put_count(f, doc_u64(c, "closed"));
	fputs("</dd></div><div><dt>Distinct peers</dt><dd>", f);
	html_put_count(f, doc_u64(c, "distinct_peers"));
	fputs("</dd></div></dl></section>\n", f);
}
