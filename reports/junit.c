// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * JUnit XML for CI (-o gate.xml): one testsuite, a testcase for the target's
 * own exit status (an <error> when it failed), and one per gate rule (a
 * <failure> when it failed, with what was measured, the limit and the
 * message). Jenkins, GitLab and GitHub's test reporters read the common
 * subset checked in the tests against tests/unit/junit.xsd.
 *
 * Every string from the target or a saved report is escaped: bytes that are
 * not UTF-8, characters XML 1.0 cannot carry at all (C0 controls, U+FFFE,
 * U+FFFF) and the bidi controls that make text read backwards become U+FFFD.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

#define REPLACEMENT "\xef\xbf\xbd"

/* U+202A..U+202E and U+2066..U+2069, as UTF-8 */
static bool is_bidi_control(const unsigned char *u)
{
	return u[0] == 0xe2 && ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
				(u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9));
}

/* s as XML text or attribute value (attr keeps tab and newline as references). */
static void xml_put(FILE *f, const char *s, size_t len, bool attr)
{
	char *clean = report_utf8_sanitize(s ? s : "", len);
	const unsigned char *u = (const unsigned char *)clean;

	if (!clean) {
		fputs(REPLACEMENT, f);
		return;
	}
	for (size_t i = 0; u[i]; i++) {
		unsigned char c = u[i];

		if (c == '&')
			fputs("&amp;", f);
		else if (c == '<')
			fputs("&lt;", f);
		else if (c == '>')
			fputs("&gt;", f);
		else if (c == '"')
			fputs("&quot;", f);
		else if (c == '\'')
			fputs("&apos;", f);
		else if (attr && (c == '\n' || c == '\t' || c == '\r'))
			fprintf(f, "&#%d;", c);
		else if (c < 0x20 && c != '\n' && c != '\t' && c != '\r')
			fputs(REPLACEMENT, f);
		else if ((c == 0xef && u[i + 1] == 0xbf &&
			  (u[i + 2] == 0xbe || u[i + 2] == 0xbf)) ||
			 is_bidi_control(u + i)) {
			fputs(REPLACEMENT, f); /* U+FFFE, U+FFFF; text that reads backwards */
			i += 2;
		} else
			fputc(c, f);
	}
	free(clean);
}

static void xml_text(FILE *f, const char *s)
{
	xml_put(f, s, SIZE_MAX, false);
}

static void xml_attr(FILE *f, const char *name, const char *s)
{
	fprintf(f, " %s=\"", name);
	xml_put(f, s, SIZE_MAX, true);
	fputc('"', f);
}

static void property(FILE *f, const char *name, const char *value)
{
	fputs("      <property", f);
	xml_attr(f, "name", name);
	xml_attr(f, "value", value);
	fputs("/>\n", f);
}

static const char *rule_class(const struct gate_rule *g)
{
	switch (g->kind) {
	case GATE_EXPECT:
		return "advisor.expect";
	case GATE_LIMIT:
		return "advisor.policy";
	default:
		return "advisor.baseline";
	}
}

/* "target exited with status 3", "target killed by signal 9 (Killed)" */
static void target_text(char *buf, size_t len, const struct report *r, unsigned int run)
{
	bool exited = r->profile.target_exited;
	int code = r->profile.exit_code, sig = r->profile.signal;
	char where[48] = "";

	if (r->repeat.runs) {
		const struct repeat_run *x = &r->repeat.per_run[run];

		exited = x->exited;
		code = x->exit_code;
		sig = x->signal;
		snprintf(where, sizeof(where), "run %u of %u: ", run + 1, r->repeat.runs);
	}
	if (sig)
		snprintf(buf, len, "%starget killed by signal %d (%s)", where, sig, strsignal(sig));
	else if (exited)
		snprintf(buf, len, "%starget exited with status %d", where, code);
	else
		snprintf(buf, len, "%starget did not exit", where);
}

static void command_text(char *buf, size_t len, const struct profile *p)
{
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < p->nr_command && n + 1 < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " " : "", p->command[i]);
}

int report_junit_write(FILE *f, const struct report *r)
{
	const struct profile *p = &r->profile;
	const struct gate_results *gr = &r->gates;
	char buf[512], cmd[512], ts[32], secs[32], title[GATE_PATH_LEN + 32];
	unsigned int first_failed;
	bool has_target = !p->attached;
	bool target_failed = report_target_failed(r, &first_failed);
	size_t tests = gr->nr + has_target;
	char *out = NULL;
	size_t out_len = 0;
	FILE *mem;
	struct tm tm;

	snprintf(secs, sizeof(secs), "%.3f", p->duration_ns / 1e9);
	if (!gmtime_r(&p->created_at, &tm) || !strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(ts, sizeof(ts), "1970-01-01T00:00:00");
	command_text(cmd, sizeof(cmd), p);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
		"<testsuites name=\"advisor\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" "
		"time=\"%s\">\n",
		tests, gr->nr_failed, target_failed, secs);
	snprintf(buf, sizeof(buf), "advisor: %s", cmd);
	fputs("  <testsuite", f);
	xml_attr(f, "name", buf);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"0\" time=\"%s\"", tests,
		gr->nr_failed, target_failed, secs);
	xml_attr(f, "timestamp", ts);
	fputs(">\n", f);

	fputs("    <properties>\n", f);
	property(f, "command", cmd);
	property(f, "verdict",
		 (unsigned int)r->verdict.model < NR_MODELS ? model_names[r->verdict.model] : "?");
	property(f, "confidence", gate_fmt_number(buf, sizeof(buf), r->verdict.confidence));
	property(f, "agreement", report_agreement(r, buf, sizeof(buf)));
	property(f, "io_fraction", gate_fmt_number(buf, sizeof(buf), r->verdict.io_fraction));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->verdict.wait_p50_ns);
	property(f, "wait_p50_ns", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->verdict.peak_open);
	property(f, "peak_open", buf);
	property(f, "busy_threads", gate_fmt_number(buf, sizeof(buf), r->verdict.busy_threads));
	if (gr->policy[0])
		property(f, "policy", gr->policy);
	if (gr->baseline[0])
		property(f, "baseline", gr->baseline);
	fputs("    </properties>\n", f);

	if (has_target) {
		fprintf(f, "    <testcase name=\"target\" classname=\"advisor.target\" time=\"%s\"",
			secs);
		if (target_failed) {
			target_text(buf, sizeof(buf), r, first_failed);
			fputs(">\n      <error", f);
			xml_attr(f, "message", buf);
			fputs(" type=\"target\">", f);
			xml_text(f, buf);
			fputs("</error>\n    </testcase>\n", f);
		} else {
			fputs("/>\n", f);
		}
	}

	for (size_t i = 0; i < gr->nr; i++) {
		const struct gate_rule *g = &gr->rules[i];

		fputs("    <testcase", f);
		xml_attr(f, "name", gate_rule_title(g, title, sizeof(title)));
		xml_attr(f, "classname", rule_class(g));
		fputs(" time=\"0\"", f);
		if (g->passed) {
			fputs("/>\n", f);
			continue;
		}
		fputs(">\n      <failure", f);
		xml_attr(f, "message", g->message);
		xml_attr(f, "type",
			 gate_kind_names[(unsigned int)g->kind < NR_GATE_KINDS ? g->kind : 0]);
		fputs(">measured: ", f);
		xml_text(f, gate_rule_measured(g, buf, sizeof(buf)));
		fputs("\nlimit: ", f);
		xml_text(f, gate_rule_limit(g, buf, sizeof(buf)));
		fputc('\n', f);
		xml_text(f, g->message);
		fputs("</failure>\n    </testcase>\n", f);
	}

	/* what the terminal showed, for the CI page's log view */
	mem = open_memstream(&out, &out_len);
	if (mem) {
		report_summary_write(mem, r);
		report_gates_write(mem, r, false);
		if (fclose(mem) == 0 && out) {
			fputs("    <system-out>", f);
			xml_text(f, out);
			fputs("</system-out>\n", f);
		}
		free(out);
	}
	fputs("  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -EIO : 0;
}
