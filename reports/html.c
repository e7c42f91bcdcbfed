// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The HTML report (SPEC section 6): one self-contained page that loads
 * nothing, with the verdict first and the evidence after it. Every string
 * that came from the target goes through html_escape(). The page reads
 * without JavaScript; one small inline script, allowed by its hash in the
 * Content-Security-Policy, only makes the tables sortable.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "html.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

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

static void put_ns(FILE *f, __u64 ns)
{
	char buf[HTML_NS_LEN];

	fputs(html_fmt_ns(buf, sizeof(buf), ns), f);
}

static void put_count(FILE *f, __u64 n)
{
	char buf[32];

	fputs(html_fmt_count(buf, sizeof(buf), n), f);
}

/* A table cell holding a duration, sortable by its raw value. */
static void td_ns(FILE *f, __u64 ns)
{
	if (!ns) {
		fputs("<td class=\"num dim\" data-v=\"0\">\u2013</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" data-v=\"%llu\">", (unsigned long long)ns);
	put_ns(f, ns);
	fputs("</td>", f);
}

static void td_count(FILE *f, __u64 n)
{
	if (!n) {
		fputs("<td class=\"num dim\" data-v=\"0\">\u2013</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" data-v=\"%llu\">", (unsigned long long)n);
	put_count(f, n);
	fputs("</td>", f);
}

/* One argument as a shell would need it, so the command can be copied. */
static void put_shell_arg(FILE *f, const char *arg)
{
	bool plain = *arg != '\0';

	for (const char *c = arg; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			       "0123456789_-+=./:,@%",
			       *c) != NULL;
	if (plain) {
		html_escape(f, arg);
		return;
	}
	fputs("&#39;", f);
	for (const char *c = arg; *c;) {
		size_t n = strcspn(c, "'");

		html_escape_n(f, c, n);
		c += n;
		if (*c == '\'') {
			fputs("&#39;\\&#39;&#39;", f);
			c++;
		}
	}
	fputs("&#39;", f);
}

static void put_command(FILE *f, const struct profile *p)
{
	if (!p->command || !p->nr_command) {
		fputs("(unknown)", f);
		return;
	}
	for (size_t i = 0; i < p->nr_command && p->command[i]; i++) {
		if (i)
			fputc(' ', f);
		put_shell_arg(f, p->command[i]);
	}
}

static const char *model_name(enum model m)
{
	return m >= 0 && m < NR_MODELS && model_names[m] ? model_names[m] : "unknown";
}

static void put_runtime(FILE *f, const char *rt)
{
	static const char *const names[][2] = {
		{ "cpython", "CPython" }, { "nodejs", "Node.js" }, { "go", "Go" },
		{ "jvm", "JVM" },	  { "native", "native" },
	};

	if (!rt || !*rt) {
		fputs("unknown", f);
		return;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(rt, names[i][0])) {
			fputs(names[i][1], f);
			return;
		}
	html_escape(f, rt);
}

static const char *inconclusive_text(const char *reason)
{
	static const char *const texts[][2] = {
		{ "asleep", "the program was mostly asleep" },
		{ "children", "the program mostly waited for its child processes" },
		{ "locks", "the program mostly waited on locks" },
		{ "too-short", "the run was too short to judge" },
		{ "idle", "the program did almost nothing" },
	};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (!strcmp(reason, texts[i][0]))
			return texts[i][1];
	return NULL;
}

static void put_exit(FILE *f, bool exited, int code, int sig)
{
	if (!exited) {
		fputs("still running", f);
	} else if (sig > 0) {
		const char *abbrev = sigabbrev_np(sig);

		if (abbrev)
			fprintf(f, "killed by SIG%s (%d)", abbrev, sig);
		else
			fprintf(f, "killed by signal %d", sig);
	} else {
		fprintf(f, "exited with status %d", code);
	}
}

/* ---- the time account ---- */

static bool is_io_cause(int c)
{
	return c == CAUSE_NET || c == CAUSE_DISK || c == CAUSE_POLL || c == CAUSE_IPC;
}

static __u64 ext_ns(__u64 all, __u64 internal)
{
	return all > internal ? all - internal : 0;
}

__u64 html_thread_io_ns(const struct thread_profile *t)
{
	__u64 io = 0;

	for (int c = 0; c < NR_CAUSES; c++)
		if (is_io_cause(c))
			io += ext_ns(t->blocked_ns[c], t->internal_ns[c]);
	return io;
}

static __u64 thread_blocked_ns(const struct thread_profile *t)
{
	__u64 sum = 0;

	for (int c = 0; c < NR_CAUSES; c++)
		sum += t->blocked_ns[c];
	return sum;
}

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

size_t html_segments(const struct profile_totals *t, struct html_segment *seg)
{
	size_t n = 0;

	seg[n++] = (struct html_segment){ "s-cpu", "on CPU", t->cpu_ns, false };
	seg[n++] = (struct html_segment){ "s-wake", "runnable after wakeup", t->runq_wakeup_ns,
					  false };
	seg[n++] = (struct html_segment){ "s-preempt", "runnable after preemption",
					  t->runq_preempt_ns, false };
	for (int c = 0; c < NR_CAUSES; c++) {
		seg[n++] = (struct html_segment){ cause_classes[c], cause_names[c],
						  ext_ns(t->blocked_ns[c], t->internal_ns[c]),
						  false };
		seg[n++] = (struct html_segment){ cause_classes[c], cause_names[c],
						  t->blocked_ns[c] > t->internal_ns[c] ?
							  t->internal_ns[c] :
							  t->blocked_ns[c],
						  true };
	}
	return n;
}

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
	char a[HTML_NS_LEN], b[HTML_NS_LEN];

	fprintf(f, "<th class=\"histh\">%s<span class=\"range\"><span>%s</span>"
		   "<span>%s</span></span></th>",
		what, html_fmt_ns_coarse(a, sizeof(a), 1ULL << lo),
		html_fmt_ns_coarse(b, sizeof(b), 2ULL << hi));
}

/* ---- the page ---- */

/*
 * The only script: sorts a table by a header click. The CSP allows exactly
 * this text by its SHA-256 (base64); change both together, the browser test
 * (tests/browser/check_page.sh) checks that they match.
 */
static const char sort_js[] =
	"document.documentElement.setAttribute('data-js','on');"
	"document.querySelectorAll('table.sortable th').forEach(function(th){"
	"th.tabIndex=0;"
	"function go(){var t=th.closest('table'),b=t.tBodies[0],i=th.cellIndex,"
	"d=th.getAttribute('aria-sort')==='descending'?1:-1;"
	"t.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});"
	"th.setAttribute('aria-sort',d<0?'descending':'ascending');"
	"Array.prototype.slice.call(b.rows).sort(function(x,y){"
	"var p=x.cells[i],q=y.cells[i];if(!p||!q)return 0;"
	"var u=p.getAttribute('data-v'),w=q.getAttribute('data-v');"
	"return d*(u!==null&&w!==null?u-w:p.textContent.localeCompare(q.textContent));"
	"}).forEach(function(r){b.appendChild(r);});}"
	"th.addEventListener('click',go);"
	"th.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){"
	"e.preventDefault();go();}});});";
#define SORT_JS_SHA256 "FtQFVMTPVKpN7kY2nZoJIlgZ6KKcvak4+KiSYkLHzZo="

static const char page_css[] =
	":root{color-scheme:light dark;"
	"--bg:#fff;--fg:#1b1f24;--muted:#5b636e;--line:#d8dde3;--soft:#f4f6f8;--card:#fff;"
	"--accent:#0072b2;--accent-bg:#e6f1f8;--warn:#9a4a00;--warn-bg:#fff4e5;"
	"--c-cpu:#0072b2;--c-wake:#e69f00;--c-preempt:#d55e00;--c-io:#009e73;--c-other:#a3a9b0;"
	"--c-net:#009e73;--c-disk:#56b4e9;--c-poll:#cc79a7;--c-ipc:#f0e442;"
	"--c-lock:#5f6670;--c-sleep:#b4bac1;--c-child:#868d96;--c-otherc:#d3d8dd;"
	"--hatch:rgba(255,255,255,.6);--bad:#b93d0b;--bad-bg:#fdf0e9;--on-bad:#fff}"
	"@media (prefers-color-scheme:dark){:root{"
	"--bg:#121417;--fg:#e6e9ed;--muted:#9aa3ad;--line:#2f353c;--soft:#1b1f24;--card:#171a1e;"
	"--accent:#56b4e9;--accent-bg:#15293a;--warn:#f0b35a;--warn-bg:#2b2112;"
	"--c-cpu:#3b9ddb;--c-lock:#7d8590;--c-sleep:#a9b1ba;--c-child:#5c646d;"
	"--c-otherc:#c5ccd3;--c-other:#7d8590;--hatch:rgba(18,20,23,.55);"
	"--bad:#ff9c6b;--bad-bg:#2e1a12;--on-bad:#121417}}"
	"*{box-sizing:border-box}"
	"html{-webkit-text-size-adjust:100%}"
	"body{margin:0;background:var(--bg);color:var(--fg);line-height:1.5;"
	"font:15px/1.5 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue','Noto Sans',"
	"'Liberation Sans',Arial,sans-serif}"
	"code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'DejaVu Sans Mono',"
	"'Liberation Mono',monospace;font-size:.92em}"
	".wrap{max-width:1080px;margin:0 auto;padding:0 24px}"
	"header.top{border-bottom:1px solid var(--line);background:var(--soft)}"
	"header.top .wrap{display:flex;flex-wrap:wrap;align-items:baseline;gap:4px 16px;"
	"padding-top:14px;padding-bottom:14px}"
	".brand{font-weight:700;letter-spacing:.02em}"
	".brand span{color:var(--muted);font-weight:400}"
	".cmd{flex:1 1 320px;min-width:0;overflow-wrap:anywhere;color:var(--muted)}"
	".cmd code{color:var(--fg)}"
	"nav.toc{font-size:13px;display:flex;flex-wrap:wrap;gap:2px 14px;padding:10px 0 0}"
	"nav.toc a{color:var(--muted);text-decoration:none}"
	"nav.toc a:hover{color:var(--accent);text-decoration:underline}"
	"main{padding-bottom:48px}"
	"section{padding:28px 0 8px;border-top:1px solid var(--line);break-inside:avoid-page}"
	"section:first-child{border-top:0}"
	"h1,h2,h3{line-height:1.2;margin:0 0 10px}"
	"h2{font-size:19px}h3{font-size:15px;margin-top:22px}"
	".lede{color:var(--muted);margin:0 0 14px;max-width:75ch}"
	".verdict{margin-top:22px;padding:22px 24px;border:1px solid var(--line);"
	"border-left:5px solid var(--accent);border-radius:10px;background:var(--card)}"
	".v-top{display:flex;flex-wrap:wrap;align-items:flex-end;gap:8px 28px}"
	".v-label{display:block;font-size:12px;font-weight:600;text-transform:uppercase;"
	"letter-spacing:.08em;color:var(--muted);margin-bottom:4px}"
	".v-model{font-size:38px;font-weight:750;margin:0;letter-spacing:-.01em}"
	".m-inconclusive .v-model{color:var(--warn)}"
	".conf{min-width:200px}"
	".meter{display:block;height:8px;border-radius:4px;background:var(--line);"
	"overflow:hidden;margin-top:6px}"
	".meter span{display:block;height:100%;background:var(--accent)}"
	".v-move{font-size:17px;margin:16px 0 4px}"
	".v-move .arrow{color:var(--muted);padding:0 .35em}"
	".v-move b{font-weight:650}"
	".pill{display:inline-block;font-size:12px;font-weight:600;padding:1px 8px;"
	"border-radius:999px;background:var(--accent-bg);color:var(--accent);"
	"vertical-align:2px;margin-left:6px}"
	".v-advice{font-size:17px;font-weight:600;margin:10px 0 6px;max-width:80ch}"
	".v-advice::first-letter,.v-rationale::first-letter{text-transform:uppercase}"
	".v-rationale{margin:0 0 16px;max-width:80ch}"
	".note{padding:10px 14px;border-radius:8px;background:var(--warn-bg);color:var(--fg);"
	"border:1px solid var(--line);margin:12px 0;max-width:80ch}"
	".note b{color:var(--warn)}"
	".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;"
	"margin:8px 0 4px;padding:0}"
	".kpis>div{background:var(--soft);border-radius:8px;padding:10px 12px;min-width:0}"
	".kpis dt{font-size:12px;color:var(--muted)}"
	".kpis dd{margin:0;font-size:20px;font-weight:650;font-variant-numeric:tabular-nums;"
	"overflow-wrap:anywhere}"
	".kpis dd.sub{font-size:12px;font-weight:400;color:var(--muted)}"
	".kpis dd small{font-size:13px;font-weight:500;color:var(--muted)}"
	".basis{font-size:13px;color:var(--muted);margin:8px 0 0;max-width:100ch}"
	".basis b{font-weight:600}"
	"figure{margin:0}"
	".tree-wrap svg{display:block;width:100%;height:auto;max-width:760px;margin:0 auto}"
	"svg .node rect{fill:var(--card);stroke:var(--line);stroke-width:1.5}"
	"svg .node text{fill:var(--fg);text-anchor:middle;font-size:14px}"
	"svg .node .t-title{font-weight:650;font-size:15px}"
	"svg .node.leaf .t-line{fill:var(--muted);font-size:13px}"
	".decided svg .node:not(.taken){opacity:.5}"
	"svg .node.taken rect{stroke:var(--accent);stroke-width:3;fill:var(--accent-bg)}"
	"svg .edge path{fill:none;stroke:var(--line);stroke-width:2}"
	"svg .edge text{fill:var(--muted);font-size:13px;text-anchor:middle}"
	"svg .edge.taken path{stroke:var(--accent);stroke-width:4}"
	"svg .edge.taken text{fill:var(--accent);font-weight:700}"
	".path{margin:14px 0 0;padding:0;list-style:none;counter-reset:p;font-size:14px}"
	".path li{padding:3px 0}"
	".path li::before{counter-increment:p;content:counter(p);display:inline-block;"
	"width:1.5em;height:1.5em;line-height:1.5em;text-align:center;border-radius:50%;"
	"background:var(--accent-bg);color:var(--accent);font-size:12px;font-weight:700;"
	"margin-right:8px}"
	"svg.statebar{display:block;width:100%;height:40px;border-radius:6px}"
	"svg.statebar rect{stroke:var(--bg);stroke-width:1;vector-effect:non-scaling-stroke}"
	"svg .empty{fill:var(--line)}"
	".hatch{fill:url(#hatch)}.hatch-line{fill:var(--hatch)}"
	"svg.defs{position:absolute;width:0;height:0;overflow:hidden}"
	".s-cpu{fill:var(--c-cpu);background:var(--c-cpu)}"
	".s-wake,.s-runq{fill:var(--c-wake);background:var(--c-wake)}"
	".s-preempt{fill:var(--c-preempt);background:var(--c-preempt)}"
	".s-io{fill:var(--c-io);background:var(--c-io)}"
	".s-other{fill:var(--c-other);background:var(--c-other)}"
	".s-net{fill:var(--c-net);background:var(--c-net)}"
	".s-disk{fill:var(--c-disk);background:var(--c-disk)}"
	".s-poll{fill:var(--c-poll);background:var(--c-poll)}"
	".s-ipc{fill:var(--c-ipc);background:var(--c-ipc)}"
	".s-lock{fill:var(--c-lock);background:var(--c-lock)}"
	".s-sleep{fill:var(--c-sleep);background:var(--c-sleep)}"
	".s-child{fill:var(--c-child);background:var(--c-child)}"
	".s-other-c{fill:var(--c-otherc);background:var(--c-otherc)}"
	".legend{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;"
	"margin:10px 0 16px;font-size:13px;color:var(--muted)}"
	".sw{display:inline-block;width:12px;height:12px;border-radius:3px;margin-right:6px;"
	"vertical-align:-1px}"
	".sw.int{background-image:repeating-linear-gradient(45deg,var(--hatch) 0 2.5px,"
	"transparent 2.5px 5px)}"
	".tw{overflow-x:auto;margin:0 0 8px;-webkit-overflow-scrolling:touch}"
	"table{border-collapse:collapse;width:100%;font-size:14px;"
	"font-variant-numeric:tabular-nums}"
	"th,td{padding:6px 10px;text-align:left;border-bottom:1px solid var(--line);"
	"vertical-align:middle}"
	"th{font-size:12px;font-weight:600;color:var(--muted);white-space:nowrap;"
	"border-bottom-width:2px}"
	"td.num,th.num{text-align:right;white-space:nowrap}"
	"tbody tr:hover{background:var(--soft)}"
	"tr.total td{font-weight:650;border-top:2px solid var(--line)}"
	"tr.grp td{background:var(--soft);font-size:12px;font-weight:600;color:var(--muted);"
	"text-transform:uppercase;letter-spacing:.05em;padding:4px 10px}"
	"td.name{white-space:nowrap}"
	"td.wrapok{overflow-wrap:anywhere;min-width:16ch;max-width:40ch}"
	"td.wrapok b{white-space:nowrap}"
	".tag{display:inline-block;font-size:11px;font-weight:600;padding:0 6px;"
	"border-radius:4px;background:var(--accent-bg);color:var(--accent);margin-left:6px}"
	".dim{color:var(--muted)}"
	".sub{display:block;font-size:12px;color:var(--muted)}"
	"html[data-js=on] table.sortable th{cursor:pointer}"
	"html[data-js=on] table.sortable th:hover{color:var(--fg)}"
	"th[aria-sort=descending]::after{content:' \\25BE'}"
	"th[aria-sort=ascending]::after{content:' \\25B4'}"
	"svg.hist{display:block;width:120px;height:24px}"
	"svg.hist rect{fill:var(--accent)}"
	"svg.hist .base{stroke:var(--line)}"
	"th.histh{min-width:120px}"
	".range{display:flex;justify-content:space-between;font-weight:400;font-size:11px;"
	"width:120px}"
	"svg.minibar{display:block;width:120px;height:12px;background:var(--soft);"
	"border-radius:2px}"
	".tl-wrap svg{display:block;width:100%;height:auto}"
	"svg .grid{stroke:var(--line);stroke-width:1}"
	"svg .axis{stroke:var(--muted);stroke-width:1}"
	"svg .ytick{fill:var(--muted);font-size:12px;text-anchor:end}"
	"svg .xtick:not([text-anchor]){text-anchor:middle}"
	"svg .xtick{fill:var(--muted);font-size:12px}"
	"svg .cpus{stroke:var(--fg);stroke-dasharray:5 4;stroke-width:1.2}"
	"svg .cpus-label{fill:var(--fg);font-size:12px;text-anchor:end}"
	"svg.narrow{display:none}"
	"svg.narrow .node text{font-size:12.5px}svg.narrow .node .t-title{font-size:13.5px}"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 24px;margin:0;"
	"font-size:14px}"
	"dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}"
	"ol.argv{margin:0;padding:0;list-style:none;display:flex;flex-wrap:wrap;gap:4px 6px}"
	"ol.argv code{background:var(--soft);border:1px solid var(--line);border-radius:4px;"
	"padding:0 5px;white-space:pre-wrap}"
	".v-agree{display:block;font-size:20px;font-weight:650}"
	".conf .sub,.v-runs .sub{margin-top:4px}"
	".g-head{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px;font-size:22px;"
	"padding-left:12px;border-left:5px solid var(--accent)}"
	".g-head.fail{border-left-color:var(--bad)}"
	".res{display:inline-block;font-size:12px;font-weight:700;padding:1px 8px;"
	"border-radius:999px;white-space:nowrap}"
	".res.pass{background:var(--accent-bg);color:var(--accent)}"
	".res.fail{background:var(--bad);color:var(--on-bad)}"
	".g-head .res{font-size:16px;padding:2px 10px}"
	"tr.failed td{background:var(--bad-bg)}"
	"tbody tr.failed:hover td{background:var(--soft)}"
	"td.rule{overflow-wrap:break-word;min-width:14ch;max-width:34ch}"
	"table.fit{width:auto;min-width:min(100%,640px)}"
	"td.val{overflow-wrap:break-word;min-width:12ch;max-width:28ch}"
	"td.msg{overflow-wrap:anywhere;min-width:24ch}"
	".bad-text{color:var(--bad);font-weight:600}"
	"footer{border-top:1px solid var(--line);color:var(--muted);font-size:12px;"
	"padding:14px 0 28px}"
	"@media (max-width:640px){body{font-size:14px}.wrap{padding:0 14px}"
	".verdict{padding:16px;border-radius:8px}.v-model{font-size:30px}"
	".kpis{grid-template-columns:1fr 1fr}.kpis dd{font-size:17px}"
	"svg.wide{display:none}svg.narrow{display:block}"
	"dl.facts{grid-template-columns:1fr;gap:0}dl.facts dd{margin-bottom:8px}"
	"th,td{padding:5px 7px}}"
	"@media print{:root{--bg:#fff;--fg:#000;--card:#fff;--soft:#f3f3f3}"
	"body{font-size:11pt}nav.toc{display:none}header.top{background:none}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	".tw{overflow:visible}section{break-inside:auto}table{break-inside:auto}"
	"tr,svg,.verdict{break-inside:avoid}}";

static void write_head(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
	fputs("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'; script-src 'sha256-" SORT_JS_SHA256 "'; "
	      "img-src data:; base-uri 'none'; form-action 'none'\">\n",
	      f);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta name=\"generator\" content=\"advisor " ADVISOR_VERSION "\">\n",
	      f);
	fprintf(f, "<title>%s \u2014 advisor: ", model_name(r->verdict.model));
	if (p->command && p->nr_command && p->command[0])
		html_escape(f, p->command[0]);
	fputs("</title>\n<style>", f);
	fputs(page_css, f);
	fputs("</style>\n</head>\n", f);
}

static void write_header(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;

	fputs("<header class=\"top\"><div class=\"wrap\">"
	      "<div class=\"brand\">advisor <span>report</span></div>"
	      "<div class=\"cmd\"><code id=\"command\">",
	      f);
	put_command(f, p);
	fputs("</code></div></div>"
	      "<div class=\"wrap\"><nav class=\"toc\" aria-label=\"sections\">"
	      "<a href=\"#verdict\">Verdict</a>",
	      f);
	if (r->gates.evaluated)
		fputs("<a href=\"#gates\">Gates</a>", f);
	else if (html_has_gates(r))
		fputs("<a href=\"#gates\">Runs</a>", f);
	fputs("<a href=\"#decision\">Decision</a>"
	      "<a href=\"#time\">Where the time went</a><a href=\"#timeline\">Timeline</a>"
	      "<a href=\"#busiest\">Threads</a><a href=\"#syscalls\">Syscalls</a>"
	      "<a href=\"#connections\">Connections</a><a href=\"#facts\">Run</a>"
	      "</nav></div></header>\n",
	      f);
}

/* A driver's median and range over the repeated runs, under its value. */
static void put_repeated_dd(FILE *f, const struct report *r, const char *path,
			    enum html_unit unit)
{
	char buf[HTML_REPEATED_LEN];

	if (html_fmt_repeated(buf, sizeof(buf), r, path, unit))
		fprintf(f, "<dd class=\"sub rep\">%s</dd>", buf);
}

/* A target that failed is said first: the profile and the gates are of a failed run. */
static void put_target_failed(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	unsigned int first;

	if (!report_target_failed(r, &first))
		return;
	fputs("<p class=\"note\" id=\"target-failed\"><b>The target failed:</b> ", f);
	if (r->repeat.runs) {
		const struct repeat_run *x = &r->repeat.per_run[first];

		fprintf(f, "run %u of %u ", first + 1, r->repeat.runs);
		put_exit(f, x->exited, x->exit_code, x->signal);
	} else {
		fputs("it ", f);
		put_exit(f, p->target_exited, p->exit_code, p->signal);
	}
	fputs(". What follows is what advisor measured of that run.</p>", f);
}

/* (1) the verdict */
static void write_verdict(FILE *f, const struct report *r)
{
	const struct verdict *v = &r->verdict;
	const struct thresholds *th = &r->thresholds;
	const struct profile *p = &r->profile;
	const char *model = model_name(v->model);
	double conf = v->confidence < 0 ? 0 : v->confidence > 1 ? 1 : v->confidence;
	char rep[HTML_REPEATED_LEN];

	fprintf(f, "<section id=\"verdict\" class=\"verdict m-%s\" "
		   "aria-labelledby=\"verdict-model\">",
		model);
	fputs("<div class=\"v-top\"><div><span class=\"v-label\">Verdict</span>", f);
	fprintf(f, "<h1 class=\"v-model\" id=\"verdict-model\">%s</h1></div>", model);
	fprintf(f, "<div class=\"conf\"><span class=\"v-label\">Confidence %.0f%%</span>"
		   "<span class=\"meter\" role=\"meter\" aria-valuemin=\"0\" aria-valuemax=\"100\" "
		   "aria-valuenow=\"%.0f\"><span style=\"width:%.1f%%\"></span></span>",
		conf * 100, conf * 100, conf * 100);
	if (html_fmt_repeated(rep, sizeof(rep), r, "verdict.confidence", HTML_UNIT_PERCENT))
		fprintf(f, "<span class=\"sub\">%s</span>", rep);
	fputs("</div>", f);
	if (r->repeat.runs) {
		char agree[32];

		fprintf(f, "<div class=\"v-runs\" id=\"agreement\"><span class=\"v-label\">"
			   "Repeated runs</span><span class=\"v-agree\">%s runs agree</span>"
			   "<span class=\"sub\">run %u shown</span></div>",
			report_agreement(r, agree, sizeof(agree)), r->repeat.main_run + 1);
	}
	fputs("</div>", f);
	put_target_failed(f, r);

	if (v->model == MODEL_INCONCLUSIVE) {
		const char *why = inconclusive_text(v->inconclusive_reason);

		fputs("<p class=\"note\" id=\"inconclusive\"><b>No model fits this run:</b> ", f);
		if (why)
			fputs(why, f);
		else if (*v->inconclusive_reason)
			html_escape_n(f, v->inconclusive_reason, sizeof(v->inconclusive_reason));
		else
			fputs("the measured profile does not say", f);
		fputs(".</p>", f);
	}
	if (v->current_model[0] && v->model != MODEL_INCONCLUSIVE) {
		fputs("<p class=\"v-move\">", f);
		if (v->already_fits) {
			fputs("<b>", f);
			html_escape_n(f, v->current_model, sizeof(v->current_model));
			fprintf(f, "</b> already fits <b>%s</b>"
				   "<span class=\"pill\">no change</span>",
				model);
		} else {
			fputs("<b>", f);
			html_escape_n(f, v->current_model, sizeof(v->current_model));
			fprintf(f, "</b><span class=\"arrow\" aria-label=\"to\">\u2192</span>"
				   "<b>%s</b>",
				model);
		}
		fputs("</p>", f);
	}
	if (v->advice[0]) {
		const char *advice = v->advice;
		char move[128];
		int n;

		/* the line above already says "X → Y": keep only what to do */
		n = snprintf(move, sizeof(move), "from %.32s to %s: ", v->current_model, model);
		if (!v->already_fits && n > 0 && (size_t)n < sizeof(move) &&
		    !strncmp(advice, move, n) && advice[n])
			advice += n;
		fputs("<p class=\"v-advice\">", f);
		html_escape_n(f, advice, sizeof(v->advice) - (advice - v->advice));
		fputs("</p>", f);
	}
	if (v->rationale[0]) {
		fputs("<p class=\"v-rationale\">", f);
		html_escape_n(f, v->rationale, sizeof(v->rationale));
		fputs("</p>", f);
	}
	if (p->overhead.dropped)
		fprintf(f,
			"<p class=\"note\"><b>%llu events were dropped.</b> The times below are "
			"lower bounds and the verdict is less certain.</p>",
			(unsigned long long)p->overhead.dropped);

	fputs("<dl class=\"kpis\">", f);
	fprintf(f, "<div><dt>I/O share of busy time</dt><dd>%.1f%%</dd>"
		   "<dd class=\"sub\">I/O-bound from %.0f%%</dd>",
		v->io_fraction * 100, th->io_bound_min * 100);
	put_repeated_dd(f, r, "io_fraction", HTML_UNIT_PERCENT);
	fputs("</div><div><dt>Median I/O wait</dt><dd>", f);
	put_ns(f, v->wait_p50_ns);
	fputs("</dd><dd class=\"sub\">slow from ", f);
	put_ns(f, (__u64)(th->slow_wait_ms * 1e6));
	fputs("</dd>", f);
	put_repeated_dd(f, r, "wait_p50_ns", HTML_UNIT_NS);
	fputs("</div>", f);
	fputs("<div><dt>Peak open connections</dt><dd>", f);
	if (p->conns.tcp_counted || p->conns.unix_counted)
		put_count(f, v->peak_open);
	else
		fputs("not counted", f);
	fprintf(f, "</dd><dd class=\"sub\">many from %.0f</dd>", th->many_conns);
	put_repeated_dd(f, r, "peak_open", HTML_UNIT_COUNT);
	fputs("</div><div><dt>Gain bound</dt><dd>", f);
	if (v->speedup_bound > 0)
		fprintf(f, "<small>up to</small> %.1f\u00d7", v->speedup_bound);
	else
		fputs("\u2014", f);
	fputs("</dd><dd class=\"sub\">faster, at most</dd></div>", f);
	fprintf(f, "<div><dt>Threads busy at once</dt><dd>%.1f</dd>"
		   "<dd class=\"sub\">on average, of %d CPUs</dd>",
		v->busy_threads, p->cpus);
	put_repeated_dd(f, r, "busy_threads", HTML_UNIT_DECIMAL);
	fputs("</div>", f);
	fputs("<div><dt>Runtime</dt><dd>", f);
	put_runtime(f, v->runtime[0] ? v->runtime : p->runtime);
	fputs("</dd></div></dl>", f);
	if (v->speedup_basis[0]) {
		fputs("<p class=\"basis\" id=\"gain-basis\"><b>Gain bound:</b> ", f);
		html_escape_n(f, v->speedup_basis, sizeof(v->speedup_basis));
		fputs("</p>", f);
	}
	if (v->confidence_basis[0]) {
		fputs("<p class=\"basis\"><b>Confidence:</b> ", f);
		html_escape_n(f, v->confidence_basis, sizeof(v->confidence_basis));
		fputs("</p>", f);
	}
	fputs("</section>\n", f);
}

/* (2) the decision tree */
static void write_decision(FILE *f, const struct report *r)
{
	const struct verdict *v = &r->verdict;

	fputs("<section id=\"decision\"><h2>How the verdict was reached</h2>"
	      "<p class=\"lede\">The decision tree with each node's measured value against its "
	      "threshold",
	      f);
	if (v->model == MODEL_INCONCLUSIVE)
		fputs("; no path is highlighted because the run was inconclusive.</p>", f);
	else
		fputs("; the path taken is highlighted.</p>", f);
	fputs("<figure id=\"decision-tree\">", f);
	html_svg_tree(f, r);
	fputs("</figure>", f);
	if (v->nr_path) {
		fputs("<ol class=\"path\" id=\"decision-path\">", f);
		for (size_t i = 0; i < v->nr_path && i < MAX_PATH; i++) {
			const struct path_node *n = &v->path[i];

			fputs("<li><code>", f);
			html_escape_n(f, n->metric, sizeof(n->metric));
			fprintf(f, "</code> = %.3g against %.3g \u2192 <b>", n->value,
				n->threshold);
			html_escape_n(f, n->branch, sizeof(n->branch));
			fputs("</b></li>", f);
		}
		fputs("</ol>", f);
	}
	fputs("</section>\n", f);
}

/* (3) where the time went */
static void write_time(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	struct profile_totals t;
	struct html_segment seg[HTML_MAX_SEGMENTS];
	size_t nr;
	__u64 all = 0;
	unsigned int lo = MAX_SLOTS, hi = 0;

	profile_totals(p, &t);
	nr = html_segments(&t, seg);
	for (size_t i = 0; i < nr; i++)
		all += seg[i].ns;

	fputs("<section id=\"time\"><h2>Where the time went</h2><p class=\"lede\">", f);
	put_ns(f, all);
	fprintf(f, " of thread time over %zu thread%s. Hatched parts are waits that another "
		   "thread of the program ended (a pipe to a sibling, a lock, a child): internal "
		   "dependencies, not I/O. I/O is external net, disk, poll and ipc waits: "
		   "%.1f%% of the busy threads' time.</p>",
		t.nr_threads, t.nr_threads == 1 ? "" : "s", r->verdict.io_fraction * 100);
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

	for (int c = 0; c < NR_CAUSES; c++)
		hist_extend(p->waits[c].all.slots, &lo, &hi);
	hist_settle(&lo, &hi);

	fputs("<div class=\"tw\"><table class=\"states\"><thead><tr><th>State</th>"
	      "<th class=\"num\">Time</th><th class=\"num\">Share</th>"
	      "<th class=\"num\">Internal</th><th class=\"num\">Waits</th>"
	      "<th class=\"num\">Longest</th>",
	      f);
	put_hist_header(f, "Wait lengths", lo, hi);
	fputs("</tr></thead><tbody>", f);
	fputs("<tr><td class=\"name\"><span class=\"sw s-cpu\"></span>on CPU</td>", f);
	td_ns(f, t.cpu_ns);
	fputs("<td class=\"num\">", f);
	put_pct(f, t.cpu_ns, all);
	fputs("</td><td></td><td></td><td></td><td></td></tr>", f);
	fputs("<tr><td class=\"name\"><span class=\"sw s-wake\"></span>runnable after wakeup"
	      "<span class=\"sub\">scheduling latency</span></td>",
	      f);
	td_ns(f, t.runq_wakeup_ns);
	fputs("<td class=\"num\">", f);
	put_pct(f, t.runq_wakeup_ns, all);
	fputs("</td><td></td><td></td><td></td><td></td></tr>", f);
	fputs("<tr><td class=\"name\"><span class=\"sw s-preempt\"></span>runnable after "
	      "preemption<span class=\"sub\">CPU contention</span></td>",
	      f);
	td_ns(f, t.runq_preempt_ns);
	fputs("<td class=\"num\">", f);
	put_pct(f, t.runq_preempt_ns, all);
	fputs("</td><td></td><td></td><td></td><td></td></tr>", f);
	fputs("<tr class=\"grp\"><td colspan=\"7\">blocked</td></tr>", f);
	for (int c = 0; c < NR_CAUSES; c++) {
		const struct wait_hist *w = &p->waits[c].all;

		fprintf(f, "<tr><td class=\"name\"><span class=\"sw %s\"></span>%s%s"
			   "<span class=\"sub\">%s</span></td>",
			cause_classes[c], cause_names[c],
			is_io_cause(c) ? "<span class=\"tag\">I/O</span>" : "", cause_help[c]);
		td_ns(f, t.blocked_ns[c]);
		fputs("<td class=\"num\">", f);
		put_pct(f, t.blocked_ns[c], all);
		fputs("</td>", f);
		td_ns(f, t.internal_ns[c]);
		td_count(f, w->count);
		td_ns(f, w->max_ns);
		fputs("<td>", f);
		if (w->count)
			html_svg_hist(f, w->slots, lo, hi);
		fputs("</td></tr>", f);
	}
	fputs("</tbody><tfoot><tr class=\"total\"><td>all threads</td>", f);
	td_ns(f, all);
	fputs("<td class=\"num\">100%</td><td></td><td></td><td></td><td></td></tr></tfoot>"
	      "</table></div></section>\n",
	      f);
}

static void put_state_legend(FILE *f)
{
	fputs("<ul class=\"legend\"><li><span class=\"sw s-cpu\"></span>on CPU</li>"
	      "<li><span class=\"sw s-runq\"></span>runnable</li>"
	      "<li><span class=\"sw s-io\"></span>I/O</li>"
	      "<li><span class=\"sw s-other\"></span>other blocked</li></ul>",
	      f);
}

/* (4) the timeline */
static int write_timeline(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	int err;

	fputs("<section id=\"timeline\"><h2>Timeline</h2>", f);
	if (!p->nr_buckets || !p->bucket_ns) {
		fputs("<p class=\"lede\">No timeline was recorded for this run.</p>"
		      "</section>\n",
		      f);
		return 0;
	}
	fputs("<p class=\"lede\">Threads in each state over the run (", f);
	put_ns(f, p->bucket_ns);
	fputs(" buckets, merged on long runs); the dashed line is the CPU count when it is in "
	      "range.</p>",
	      f);
	err = html_svg_timeline(f, p);
	if (err)
		return err;
	put_state_legend(f);
	fputs("</section>\n", f);
	return 0;
}

/* (5) the busiest threads and processes */
struct ranked {
	const struct process_profile *proc;
	const struct thread_profile *thread; /* NULL for a process */
	__u64 cpu, runq, io, other, key;
};

static int ranked_cmp(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	return x->key < y->key ? 1 : x->key > y->key ? -1 : 0;
}

static void rank_thread(struct ranked *k, const struct process_profile *proc,
			const struct thread_profile *t)
{
	__u64 blocked = thread_blocked_ns(t);

	k->proc = proc;
	k->thread = t;
	k->cpu = t->cpu_ns;
	k->runq = t->runq_wakeup_ns + t->runq_preempt_ns;
	k->io = html_thread_io_ns(t);
	k->other = blocked > k->io ? blocked - k->io : 0;
	k->key = k->cpu + k->io;
}

static void write_ranked_cells(FILE *f, const struct ranked *k, __u64 max)
{
	td_ns(f, k->cpu);
	td_ns(f, k->runq);
	td_ns(f, k->io);
	td_ns(f, k->other);
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

static void put_more(FILE *f, size_t shown, size_t all, const char *what)
{
	if (all > shown)
		fprintf(f, "<p class=\"lede\">%zu more %s are in the JSON report.</p>", all - shown,
			what);
}

static int write_busiest(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	struct ranked *procs, *threads;
	size_t nr_threads = 0, n;
	__u64 max;

	for (size_t i = 0; i < p->nr_processes; i++)
		nr_threads += p->processes[i].nr_threads;
	procs = calloc(p->nr_processes + 1, sizeof(*procs));
	threads = calloc(nr_threads + 1, sizeof(*threads));
	if (!procs || !threads) {
		free(procs);
		free(threads);
		return -ENOMEM;
	}
	n = 0;
	for (size_t i = 0; i < p->nr_processes; i++) {
		const struct process_profile *proc = &p->processes[i];
		struct ranked *pk = &procs[i];

		pk->proc = proc;
		for (size_t j = 0; j < proc->nr_threads; j++) {
			struct ranked *tk = &threads[n++];

			rank_thread(tk, proc, &proc->threads[j]);
			pk->cpu += tk->cpu;
			pk->runq += tk->runq;
			pk->io += tk->io;
			pk->other += tk->other;
		}
		pk->key = pk->cpu + pk->io;
	}
	qsort(procs, p->nr_processes, sizeof(*procs), ranked_cmp);
	qsort(threads, nr_threads, sizeof(*threads), ranked_cmp);

	fputs("<section id=\"busiest\"><h2>Busiest processes and threads</h2>"
	      "<p class=\"lede\">Ranked by time on CPU plus time in I/O.</p>",
	      f);
	put_state_legend(f);

	n = p->nr_processes < TOP_ROWS ? p->nr_processes : TOP_ROWS;
	max = ranked_max(procs, n);
	fputs("<h3>Processes</h3><div class=\"tw\"><table class=\"sortable\" id=\"processes\">"
	      "<thead><tr><th class=\"num\">PID</th><th class=\"num\">PPID</th><th>Command</th>"
	      "<th class=\"num\">Threads</th><th class=\"num\">CPU</th>"
	      "<th class=\"num\">Runnable</th>"
	      "<th class=\"num\">I/O</th><th class=\"num\">Other blocked</th><th>States</th>"
	      "<th>Exit</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct process_profile *proc = procs[i].proc;

		fprintf(f, "<tr><td class=\"num\" data-v=\"%u\">%u</td><td class=\"num\" "
			   "data-v=\"%u\">%u</td><td class=\"wrapok\"><b>",
			proc->pid, proc->pid, proc->ppid, proc->ppid);
		html_escape_n(f, proc->comm, sizeof(proc->comm));
		fputs("</b>", f);
		if (proc->exe || proc->argv0) {
			fputs("<span class=\"sub mono\">", f);
			html_escape(f, proc->exe ? proc->exe : proc->argv0);
			if (proc->exe && proc->argv0 && strcmp(proc->exe, proc->argv0)) {
				fputs(" (argv[0] ", f);
				html_escape(f, proc->argv0);
				fputs(")", f);
			}
			fputs("</span>", f);
		}
		fputs("</td>", f);
		td_count(f, proc->nr_threads);
		write_ranked_cells(f, &procs[i], max);
		fputs("<td class=\"dim\">", f);
		put_exit(f, proc->exited, proc->exit_code, proc->signal);
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, p->nr_processes, "processes");

	n = nr_threads < TOP_ROWS ? nr_threads : TOP_ROWS;
	max = ranked_max(threads, n);
	fputs("<h3>Threads</h3><div class=\"tw\"><table class=\"sortable\" id=\"threads\">"
	      "<thead><tr><th class=\"num\">TID</th><th class=\"num\">PID</th><th>Name</th>"
	      "<th class=\"num\">CPU</th><th class=\"num\">Runnable</th><th class=\"num\">I/O</th>"
	      "<th class=\"num\">Other blocked</th><th>States</th></tr></thead><tbody>",
	      f);
	for (size_t i = 0; i < n; i++) {
		const struct thread_profile *t = threads[i].thread;

		fprintf(f, "<tr><td class=\"num\" data-v=\"%u\">%u</td><td class=\"num\" "
			   "data-v=\"%u\">%u</td><td class=\"wrapok\">",
			t->tid, t->tid, threads[i].proc->pid, threads[i].proc->pid);
		html_escape_n(f, t->comm, sizeof(t->comm));
		fputs("</td>", f);
		write_ranked_cells(f, &threads[i], max);
		fputs("</tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, nr_threads, "threads");
	fputs("</section>\n", f);
	free(procs);
	free(threads);
	return 0;
}

/* (6) syscalls */
static void write_syscall_table(FILE *f, const char *id, const struct syscall_stat *s,
				size_t nr, bool all_calls)
{
	unsigned int lo = MAX_SLOTS, hi = 0;
	size_t n = nr < SYSCALL_ROWS ? nr : SYSCALL_ROWS;

	for (size_t i = 0; i < n; i++)
		hist_extend(s[i].hist, &lo, &hi);
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
		fputs("<tr><td class=\"name\"><code>", f);
		if (s[i].name[0])
			html_escape_n(f, s[i].name, sizeof(s[i].name));
		else if (s[i].nr < 0)
			fputs("(page fault)", f);
		else
			fprintf(f, "#%d", s[i].nr);
		fputs("</code></td>", f);
		td_count(f, s[i].count);
		if (all_calls)
			td_count(f, s[i].errors);
		td_ns(f, s[i].total_ns);
		td_ns(f, s[i].count ? s[i].total_ns / s[i].count : 0);
		td_ns(f, s[i].max_ns);
		fputs("<td>", f);
		html_svg_hist(f, s[i].hist, lo, hi);
		fputs("</td></tr>", f);
	}
	fputs("</tbody></table></div>", f);
	put_more(f, n, nr, "syscalls");
}

static void write_syscalls(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;

	fputs("<section id=\"syscalls\"><h2>Syscall waits</h2>"
	      "<p class=\"lede\">The syscalls threads were blocked in when they left the CPU, by "
	      "total wait.</p>",
	      f);
	if (p->nr_syscall_waits)
		write_syscall_table(f, "syscall-waits", p->syscall_waits, p->nr_syscall_waits,
				    false);
	else
		fputs("<p class=\"dim\">No thread blocked in a syscall.</p>", f);
	if (p->syscalls_enabled) {
		fputs("<h3 id=\"all-syscalls\">Every syscall (-S)</h3><p class=\"lede\">Count, "
		      "errors and latency of every call, blocking or not.</p>",
		      f);
		if (p->nr_syscalls)
			write_syscall_table(f, "syscalls-all", p->syscalls, p->nr_syscalls, true);
		else
			fputs("<p class=\"dim\">No syscalls were counted.</p>", f);
	}
	fputs("</section>\n", f);
}

/* (7) connections */
static void write_connections(FILE *f, const struct report *r)
{
	const struct connections *c = &r->profile.conns;

	fputs("<section id=\"connections\"><h2>Connections</h2>", f);
	if (!c->tcp_counted && !c->unix_counted) {
		fputs("<p class=\"lede\">Connections were not counted in this run (no cgroup could "
		      "be made for it).</p></section>\n",
		      f);
		return;
	}
	fprintf(f, "<p class=\"lede\">%s stream connections opened by the program's accept and "
		   "connect calls.</p>",
		c->tcp_counted && c->unix_counted ? "TCP and Unix" :
		c->tcp_counted			  ? "TCP" :
						    "Unix");
	fputs("<dl class=\"kpis\" id=\"conn-figures\">", f);
	fputs("<div><dt>Peak open at once</dt><dd>", f);
	put_count(f, c->peak_open);
	fprintf(f, "</dd><dd class=\"sub\">many from %.0f</dd></div>", r->thresholds.many_conns);
	fputs("<div><dt>Accepted</dt><dd>", f);
	put_count(f, c->accepted);
	fputs("</dd></div><div><dt>Connected</dt><dd>", f);
	put_count(f, c->connected);
	fputs("</dd></div><div><dt>Closed</dt><dd>", f);
	put_count(f, c->closed);
	fputs("</dd></div><div><dt>Distinct peers</dt><dd>", f);
	put_count(f, c->distinct_peers);
	fputs("</dd></div></dl></section>\n", f);
}

/* (8) the run's facts */
static void write_facts(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	const struct overhead *o = &p->overhead;

	fputs("<section id=\"facts\"><h2>The run</h2><dl class=\"facts\">", f);
	fputs("<dt>Command</dt><dd><code>", f);
	put_command(f, p);
	fputs("</code></dd>", f);
	/* each argument as it was, unquoted, to be read or searched for */
	if (p->command && p->nr_command) {
		fputs("<dt>Arguments</dt><dd><ol class=\"argv\" start=\"0\">", f);
		for (size_t i = 0; i < p->nr_command && p->command[i]; i++) {
			fputs("<li><code>", f);
			html_escape(f, p->command[i]);
			fputs("</code></li>", f);
		}
		fputs("</ol></dd>", f);
	}
	fprintf(f, "<dt>Mode</dt><dd>%s</dd>", p->attached ? "attached to a running process" :
							      "started by advisor");
	fprintf(f, "<dt>Target</dt><dd>pid %u, ", p->target_pid);
	put_exit(f, p->target_exited, p->exit_code, p->signal);
	if (!p->target_exited && p->stopped_at_duration)
		fputs(" when profiling stopped at --duration", f);
	fputs("</dd><dt>Duration</dt><dd>", f);
	put_ns(f, p->duration_ns);
	fputs("</dd>", f);
	if (p->created_at) {
		struct tm tm;
		char when[64];

		if (gmtime_r(&p->created_at, &tm) &&
		    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
			fprintf(f, "<dt>Recorded</dt><dd>%s</dd>", when);
	}
	fputs("<dt>Kernel</dt><dd>", f);
	html_escape_n(f, p->kernel, sizeof(p->kernel));
	fprintf(f, "</dd><dt>CPUs online</dt><dd>%d</dd>", p->cpus);
	fputs("<dt>Runtime</dt><dd>", f);
	put_runtime(f, p->runtime);
	fputs("</dd><dt>Probe mode</dt><dd><code>", f);
	html_escape_n(f, o->mode, sizeof(o->mode));
	fputs("</code></dd><dt>Events</dt><dd>", f);
	put_count(f, o->events);
	fputs("</dd><dt>Dropped</dt><dd>", f);
	put_count(f, o->dropped);
	if (o->anomalies || o->recursion_misses) {
		fputs("</dd><dt>Anomalies</dt><dd>", f);
		put_count(f, o->anomalies);
		fputs(" state anomalies, ", f);
		put_count(f, o->recursion_misses);
		fputs(" recursion misses", f);
	}
	fputs("</dd><dt>Thresholds</dt><dd><code>", f);
	for (size_t i = 0; i < NR_THRESHOLDS; i++) {
		const struct threshold_def *d = &threshold_defs[i];
		double val = *(const double *)((const char *)&r->thresholds + d->offset);

		fprintf(f, "%s%s=%g", i ? " " : "", d->name, val);
	}
	fputs("</code></dd><dt>advisor</dt><dd>" ADVISOR_VERSION ", report schema "
	      REPORT_SCHEMA "</dd></dl></section>\n", f);
}

int report_html_write(FILE *f, const struct report *r)
{
	int err;

	write_head(f, r);
	fputs("<body>\n", f);
	html_svg_defs(f);
	write_header(f, r);
	fputs("<main class=\"wrap\">\n", f);
	write_verdict(f, r);
	html_write_gates(f, r);
	write_decision(f, r);
	write_time(f, r);
	err = write_timeline(f, r);
	if (!err)
		err = write_busiest(f, r);
	if (err)
		return err;
	write_syscalls(f, r);
	write_connections(f, r);
	write_facts(f, r);
	fputs("</main>\n<footer><div class=\"wrap\">Made by advisor " ADVISOR_VERSION
	      ". This page is self-contained: it loads nothing from the network.</div></footer>\n",
	      f);
	fprintf(f, "<script>%s</script>\n</body>\n</html>\n", sort_js);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}
