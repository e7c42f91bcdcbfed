// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * JUnit XML for CI (-o gate.xml): one testsuite, a testcase for the target's
 * own exit status (an <error> when it failed), and one per gate rule (a
 * <failure> when it failed, with what was measured, the limit and the
 * message). Jenkins, GitLab and GitHub's test reporters read the common
 * subset checked in the tests against tests/unit/junit.xsd. Written from the
 * report document alone, so a saved report gives the same XML.
 *
 * Every string from the target or a saved report goes through
 * text_xml_escape(): bytes that are not UTF-8, characters XML 1.0 cannot
 * carry at all (C0 controls, U+FFFE, U+FFFF), C1 controls and the bidi
 * controls that make text read backwards become U+FFFD.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "doc.h"
#include "format.h"
#include "gate_text.h"
#include "report.h"
#include "text.h"

static void xml_text(FILE *f, const char *s)
{
	text_xml_escape(f, s, false);
}

static void xml_attr(FILE *f, const char *name, const char *s)
{
	fprintf(f, " %s=\"", name);
	text_xml_escape(f, s, true);
	fputc('"', f);
}

static void property(FILE *f, const char *name, const char *value)
{
	fputs("      <property", f);
	xml_attr(f, "name", name);
	xml_attr(f, "value", value);
	fputs("/>\n", f);
}

static const char *rule_class(const struct json_object *rule)
{
	switch (gate_text_kind(rule)) {
	case GATE_TEXT_EXPECT:
		return "advisor.expect";
	case GATE_TEXT_LIMIT:
		return "advisor.policy";
	default:
		return "advisor.baseline";
	}
}

/* The failure's type: the rule's kind as the document names it. */
static const char *rule_type(const struct json_object *rule)
{
	static const char *const types[] = {
	    [GATE_TEXT_EXPECT] = "expect",
	    [GATE_TEXT_LIMIT] = "limit",
	    [GATE_TEXT_MODEL] = "model",
	    [GATE_TEXT_CHANGE] = "change",
	};

	return types[gate_text_kind(rule)];
}

/* "target exited with status 3", "run 2 of 5: target killed by signal 9 (Killed)" */
static void target_text(char *buf, size_t len, const struct json_object *doc, unsigned int run,
			int code, int sig)
{
	char where[48] = "";

	if (json_object_is_type(doc_get(doc, "repeat"), json_type_object))
		snprintf(where, sizeof(where), "run %u of %llu: ", run + 1,
			 (unsigned long long)doc_u64(doc, "repeat.runs"));
	/* a failed run was killed or exited: report_target_failed() says no more */
	if (sig)
		snprintf(buf, len, "%starget killed by signal %d (%s)", where, sig, strsignal(sig));
	else
		snprintf(buf, len, "%starget exited with status %d", where, code);
}

static void command_text(char *buf, size_t len, const struct json_object *doc)
{
	size_t n = 0, nr = doc_len(doc, "command");

	buf[0] = '\0';
	for (size_t i = 0; i < nr && n + 1 < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " " : "",
			      doc_str(doc_at(doc, "command", i), ""));
}

/*
 * The suite's timestamp: the report's created_at without its "Z" (JUnit's
 * ISO 8601 has no zone), the epoch when it is not a UTC time.
 */
static void timestamp(char *buf, size_t len, const struct json_object *doc)
{
	struct tm tm = {0};
	const char *end = strptime(doc_str(doc, "created_at"), "%Y-%m-%dT%H:%M:%SZ", &tm);
	time_t t;

	/* through time_t, as the report's time always went: "02-30" is read as March 1st */
	if (end && !*end) {
		t = timegm(&tm);
		if (gmtime_r(&t, &tm) && strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm))
			return;
	}
	snprintf(buf, len, "1970-01-01T00:00:00");
}

/* What the terminal showed, for the CI page's log view. */
static void put_system_out(FILE *f, const struct json_object *doc)
{
	char *out = NULL;
	size_t out_len = 0;
	FILE *mem = open_memstream(&out, &out_len);

	if (!mem)
		return;
	report_summary_write(mem, doc);
	report_gates_write(mem, doc, false);
	if (fclose(mem) == 0 && out) {
		fputs("    <system-out>", f);
		xml_text(f, out);
		fputs("</system-out>\n", f);
	}
	free(out);
}

static void put_properties(FILE *f, const struct json_object *doc)
{
	const char *model = doc_str(doc, "verdict.model");
	const char *policy = doc_str(doc, "gates.policy");
	const char *baseline = doc_str(doc, "gates.baseline");
	char buf[FMT_LEN], cmd[512];

	command_text(cmd, sizeof(cmd), doc);
	fputs("    <properties>\n", f);
	property(f, "command", cmd);
	property(f, "verdict", model[0] ? model : "?");
	property(f, "confidence",
		 fmt_number(buf, sizeof(buf), doc_double(doc, "verdict.confidence")));
	property(f, "agreement", report_agreement(doc, buf, sizeof(buf)));
	property(f, "io_fraction",
		 fmt_number(buf, sizeof(buf), doc_double(doc, "verdict.drivers.io_fraction")));
	snprintf(buf, sizeof(buf), "%llu",
		 (unsigned long long)doc_u64(doc, "verdict.drivers.wait_p50_ns"));
	property(f, "wait_p50_ns", buf);
	snprintf(buf, sizeof(buf), "%llu",
		 (unsigned long long)doc_u64(doc, "verdict.drivers.peak_open"));
	property(f, "peak_open", buf);
	property(f, "busy_threads",
		 fmt_number(buf, sizeof(buf), doc_double(doc, "verdict.drivers.busy_threads")));
	if (policy[0])
		property(f, "policy", policy);
	if (baseline[0])
		property(f, "baseline", baseline);
	fputs("    </properties>\n", f);
}

static void put_rule(FILE *f, const struct json_object *rule)
{
	char buf[GATE_TEXT_LEN];

	fputs("    <testcase", f);
	xml_attr(f, "name", gate_text_title(rule, buf, sizeof(buf)));
	xml_attr(f, "classname", rule_class(rule));
	fputs(" time=\"0\"", f);
	if (doc_bool(rule, "passed")) {
		fputs("/>\n", f);
		return;
	}
	fputs(">\n      <failure", f);
	xml_attr(f, "message", doc_str(rule, "message"));
	xml_attr(f, "type", rule_type(rule));
	fputs(">measured: ", f);
	xml_text(f, gate_text_measured(rule, buf, sizeof(buf)));
	fputs("\nlimit: ", f);
	xml_text(f, gate_text_limit(rule, buf, sizeof(buf)));
	fputc('\n', f);
	xml_text(f, doc_str(rule, "message"));
	fputs("</failure>\n    </testcase>\n", f);
}

int report_junit_write(FILE *f, const struct json_object *doc)
{
	struct json_object *gates = doc_get(doc, "gates");
	size_t nr_rules = doc_len(gates, "rules");
	size_t failures = gate_text_failed(gates);
	char buf[512], cmd[512], ts[32], secs[32];
	unsigned int first_failed;
	int code, sig;
	bool has_target = !doc_bool(doc, "attached");
	bool target_failed = report_target_failed(doc, &first_failed, &code, &sig);
	size_t tests = nr_rules + has_target;

	snprintf(secs, sizeof(secs), "%.3f", doc_u64(doc, "duration_ns") / 1e9);
	timestamp(ts, sizeof(ts), doc);
	command_text(cmd, sizeof(cmd), doc);

	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f,
		"<testsuites name=\"advisor\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" "
		"time=\"%s\">\n",
		tests, failures, target_failed, secs);
	/* cut where the whole name reaches the buffer's end, as it always was */
	snprintf(buf, sizeof(buf), "advisor: %.*s", (int)sizeof(buf) - 10, cmd);
	fputs("  <testsuite", f);
	xml_attr(f, "name", buf);
	fprintf(f, " tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"0\" time=\"%s\"", tests,
		failures, target_failed, secs);
	xml_attr(f, "timestamp", ts);
	fputs(">\n", f);
	put_properties(f, doc);

	if (has_target) {
		fprintf(f, "    <testcase name=\"target\" classname=\"advisor.target\" time=\"%s\"",
			secs);
		if (target_failed) {
			target_text(buf, sizeof(buf), doc, first_failed, code, sig);
			fputs(">\n      <error", f);
			xml_attr(f, "message", buf);
			fputs(" type=\"target\">", f);
			xml_text(f, buf);
			fputs("</error>\n    </testcase>\n", f);
		} else {
			fputs("/>\n", f);
		}
	}
	for (size_t i = 0; i < nr_rules; i++)
		put_rule(f, doc_at(gates, "rules", i));
	put_system_out(f, doc);
	fputs("  </testsuite>\n</testsuites>\n", f);
	return ferror(f) ? -EIO : 0;
}
