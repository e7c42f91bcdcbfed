// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Small text pieces that several sections of the HTML report write the
 * same way: durations, counts and their table cells, how a process ended,
 * a runtime's name. Durations and counts come from reports/format.h and
 * escaping from reports/text.h, as in every other format.
 */
#include <math.h>
#include <signal.h>
#include <string.h>

#include "doc.h"
#include "format.h"
#include "html.h"
#include "text.h"

const char *html_model(const struct json_object *doc)
{
	const char *m = doc_model(doc, "verdict.model");

	/* anything else in a saved report is shown as unknown */
	return m ? m : "unknown";
}

double html_slow_wait_ns(const struct json_object *doc)
{
	double ms = doc_double(doc, "thresholds.slow_wait_ms");

	return ms >= 0 && ms * 1e6 < 18446744073709551616.0 ? (double)(__u64)(ms * 1e6) : NAN;
}

void html_put_ns(FILE *f, double ns)
{
	char buf[FMT_LEN];

	fputs(fmt_ns(buf, sizeof(buf), ns), f);
}

void html_put_count(FILE *f, __u64 n)
{
	char buf[FMT_LEN];

	fputs(fmt_count(buf, sizeof(buf), n), f);
}

void html_td_ns(FILE *f, __u64 ns)
{
	if (!ns) {
		fputs("<td class=\"num dim\" data-v=\"0\">\u2013</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" data-v=\"%llu\">", (unsigned long long)ns);
	html_put_ns(f, ns);
	fputs("</td>", f);
}

void html_td_count(FILE *f, __u64 n)
{
	if (!n) {
		fputs("<td class=\"num dim\" data-v=\"0\">\u2013</td>", f);
		return;
	}
	fprintf(f, "<td class=\"num\" data-v=\"%llu\">", (unsigned long long)n);
	html_put_count(f, n);
	fputs("</td>", f);
}

void html_put_exit(FILE *f, const struct json_object *o)
{
	long long sig = doc_int(o, "signal", 0);

	if (!doc_bool(o, "exited")) {
		fputs("still running", f);
	} else if (sig > 0) {
		const char *abbrev = sig < NSIG ? sigabbrev_np((int)sig) : NULL;

		if (abbrev)
			fprintf(f, "killed by SIG%s (%lld)", abbrev, sig);
		else
			fprintf(f, "killed by signal %lld", sig);
	} else {
		fprintf(f, "exited with status %lld", doc_int(o, "exit_code", 0));
	}
}

void html_put_runtime(FILE *f, const char *rt)
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
	text_html_escape(f, rt);
}
