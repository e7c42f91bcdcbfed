// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The HTML report (README, "Reports"): one self-contained page that loads
 * nothing, with the verdict first and the evidence after it, drawn from the
 * report document alone, so a saved report renders as the fresh one did.
 * Every string that came from the target or from a saved report goes
 * through text_html_escape(). The page reads without JavaScript; one small
 * inline script, allowed by its hash in the Content-Security-Policy, only
 * makes the tables sortable.
 *
 * This file is the page's frame and the run's facts; the sections are in
 * html_verdict.c, html_gates.c and html_evidence.c.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "doc.h"
#include "html.h"
#include "report.h"
#include "text.h"

#ifndef ADVISOR_VERSION
#define ADVISOR_VERSION "unknown"
#endif

/* Argument i of the command; "" when it is not a string. */
static const char *command_arg(const struct json_object *doc, size_t i)
{
	struct json_object *a = doc_at(doc, "command", i);

	return json_object_is_type(a, json_type_string) ? json_object_get_string(a) : "";
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
		text_html_escape(f, arg);
		return;
	}
	fputs("&#39;", f);
	for (const char *c = arg; *c;) {
		size_t n = strcspn(c, "'");

		text_html_escape_n(f, c, n);
		c += n;
		if (*c == '\'') {
			fputs("&#39;\\&#39;&#39;", f);
			c++;
		}
	}
	fputs("&#39;", f);
}

static void put_command(FILE *f, const struct json_object *doc)
{
	size_t n = doc_len(doc, "command");

	if (!n) {
		fputs("(unknown)", f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(' ', f);
		put_shell_arg(f, command_arg(doc, i));
	}
}

static void write_head(FILE *f, const struct json_object *doc)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n", f);
	fprintf(f, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", html_csp);
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"color-scheme\" content=\"light dark\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta name=\"generator\" content=\"advisor " ADVISOR_VERSION "\">\n",
	      f);
	fprintf(f, "<title>%s \u2014 advisor: ", html_model(doc));
	if (doc_len(doc, "command"))
		text_html_escape(f, command_arg(doc, 0));
	fputs("</title>\n<style>", f);
	fputs(html_css, f);
	fputs("</style>\n</head>\n", f);
}

static void write_header(FILE *f, const struct json_object *doc)
{
	fputs("<header class=\"top\"><div class=\"wrap\">"
	      "<div class=\"brand\">advisor <span>report</span></div>"
	      "<div class=\"cmd\"><code id=\"command\">",
	      f);
	put_command(f, doc);
	fputs("</code></div></div>"
	      "<div class=\"wrap\"><nav class=\"toc\" aria-label=\"sections\">"
	      "<a href=\"#verdict\">Verdict</a>",
	      f);
	if (doc_get(doc, "gates"))
		fputs("<a href=\"#gates\">Gates</a>", f);
	else if (html_has_gates(doc))
		fputs("<a href=\"#gates\">Runs</a>", f);
	fputs("<a href=\"#decision\">Decision</a>"
	      "<a href=\"#time\">Where the time went</a><a href=\"#timeline\">Timeline</a>"
	      "<a href=\"#busiest\">Threads</a><a href=\"#syscalls\">Syscalls</a>"
	      "<a href=\"#connections\">Connections</a><a href=\"#facts\">Run</a>"
	      "</nav></div></header>\n",
	      f);
}

/*
 * When the profile was taken, from the document's ISO 8601 UTC. The epoch
 * stands for a time that was not known (a profile without a clock), as it
 * did when it was a time_t of 0: then nothing is shown.
 */
static void put_recorded(FILE *f, const struct json_object *doc)
{
	const char *iso = doc_str(doc, "created_at");
	struct tm tm = { 0 };
	const char *end;
	char when[64];

	if (!*iso || !strcmp(iso, "1970-01-01T00:00:00Z"))
		return;
	end = strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end && !*end && strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm))
		fprintf(f, "<dt>Recorded</dt><dd>%s</dd>", when);
}

/* The thresholds the decision used, each as name=value, in the document's order. */
static void put_thresholds(FILE *f, const struct json_object *doc)
{
	struct json_object *th = doc_get(doc, "thresholds");
	bool first = true;

	if (!json_object_is_type(th, json_type_object))
		return;
	json_object_object_foreach(th, name, val)
	{
		double v = doc_double(val, "");

		fputs(first ? "" : " ", f);
		text_html_escape(f, name);
		if (isfinite(v))
			fprintf(f, "=%g", v);
		else
			fputs("=?", f);
		first = false;
	}
}

/* (8) the run's facts */
static void write_facts(FILE *f, const struct json_object *doc)
{
	size_t nr_command = doc_len(doc, "command");
	const char *version = doc_str(doc, "advisor_version");
	const char *schema = doc_str(doc, "schema");

	fputs("<section id=\"facts\"><h2>The run</h2><dl class=\"facts\">", f);
	fputs("<dt>Command</dt><dd><code>", f);
	put_command(f, doc);
	fputs("</code></dd>", f);
	/* each argument as it was, unquoted, to be read or searched for */
	if (nr_command) {
		fputs("<dt>Arguments</dt><dd><ol class=\"argv\" start=\"0\">", f);
		for (size_t i = 0; i < nr_command; i++) {
			fputs("<li><code>", f);
			text_html_escape(f, command_arg(doc, i));
			fputs("</code></li>", f);
		}
		fputs("</ol></dd>", f);
	}
	fprintf(f, "<dt>Mode</dt><dd>%s</dd>",
		doc_bool(doc, "attached") ? "attached to a running process" : "started by advisor");
	fprintf(f, "<dt>Target</dt><dd>pid %llu, ", (unsigned long long)doc_u64(doc, "target.pid"));
	html_put_exit(f, doc_get(doc, "target"));
	if (!doc_bool(doc, "target.exited") && doc_bool(doc, "stopped_at_duration"))
		fputs(" when profiling stopped at --duration", f);
	fputs("</dd><dt>Duration</dt><dd>", f);
	html_put_ns(f, doc_u64(doc, "duration_ns"));
	fputs("</dd>", f);
	put_recorded(f, doc);
	fputs("<dt>Kernel</dt><dd>", f);
	text_html_escape(f, doc_str(doc, "host.kernel"));
	fprintf(f, "</dd><dt>CPUs online</dt><dd>%lld</dd>", doc_int(doc, "host.cpus", 0));
	fputs("<dt>Runtime</dt><dd>", f);
	html_put_runtime(f, doc_str(doc, "verdict.runtime"));
	fputs("</dd><dt>Probe mode</dt><dd><code>", f);
	text_html_escape(f, doc_str(doc, "overhead.mode"));
	fputs("</code></dd><dt>Events</dt><dd>", f);
	html_put_count(f, doc_u64(doc, "overhead.events"));
	fputs("</dd><dt>Dropped</dt><dd>", f);
	html_put_count(f, doc_u64(doc, "overhead.dropped"));
	if (doc_u64(doc, "overhead.anomalies") || doc_u64(doc, "overhead.recursion_misses")) {
		fputs("</dd><dt>Anomalies</dt><dd>", f);
		html_put_count(f, doc_u64(doc, "overhead.anomalies"));
		fputs(" state anomalies, ", f);
		html_put_count(f, doc_u64(doc, "overhead.recursion_misses"));
		fputs(" recursion misses", f);
	}
	fputs("</dd><dt>Thresholds</dt><dd><code>", f);
	put_thresholds(f, doc);
	/* the advisor that measured, which may be older than the one drawing the page */
	fputs("</code></dd><dt>advisor</dt><dd>", f);
	text_html_escape(f, *version ? version : "unknown");
	fputs(", report schema ", f);
	text_html_escape(f, *schema ? schema : REPORT_SCHEMA);
	fputs("</dd></dl></section>\n", f);
}

int report_html_write(FILE *f, const struct json_object *doc)
{
	int err;

	write_head(f, doc);
	fputs("<body>\n", f);
	html_svg_defs(f);
	write_header(f, doc);
	fputs("<main class=\"wrap\">\n", f);
	html_write_verdict(f, doc);
	html_write_gates(f, doc);
	html_write_decision(f, doc);
	html_write_time(f, doc);
	err = html_write_timeline(f, doc);
	if (!err)
		err = html_write_busiest(f, doc);
	if (err)
		return err;
	html_write_syscalls(f, doc);
	html_write_connections(f, doc);
	err = html_write_flames(f, doc);
	if (err)
		return err;
	write_facts(f, doc);
	fputs("</main>\n<footer><div class=\"wrap\">Made by advisor " ADVISOR_VERSION
	      ". This page is self-contained: it loads nothing from the network.</div></footer>\n",
	      f);
	fprintf(f, "<script>%s</script>\n</body>\n</html>\n", html_sort_js);
	if (fflush(f) == EOF || ferror(f))
		return -EIO;
	return 0;
}
