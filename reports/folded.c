// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Folded stacks (-o x.folded), the input of flamegraph.pl, inferno and
 * speedscope: one line per stack of the report, its frames outermost first
 * joined by ';', a space, and its time in nanoseconds. The first frame says
 * what the time is: "[net]" ... "[other]" for a cause's waits that no thread
 * of the tree ended (I/O, for the I/O causes), "[net internal]" for those a
 * thread of the tree ended, "[cpu]" for time on CPU. So one file makes one
 * flame graph with a tower per cause, and grep '^\[cpu\];' picks one.
 *
 * A frame is its function, or "[module]" or "[unknown]" without one; a
 * kernel frame (--kernel-stacks) ends in "_[k]", which flame graph tools
 * colour as the kernel's. The
 * names come from the target's binaries: ';' would split a frame and a line
 * break a line, so ';' becomes ':' and every control character '?'.
 */
#include <errno.h>
#include <string.h>

#include <json-c/json.h>

#include "doc.h"
#include "report.h"

static void put_frame(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == ';')
			c = ':';
		else if (c < 0x20 || c == 0x7f)
			c = '?';
		fputc(c, f);
	}
}

static void put_entry(FILE *f, const char *kind, bool internal, const struct json_object *e)
{
	size_t n = doc_len(e, "frames");
	char buf[300];

	fprintf(f, "[%s%s]", kind, internal ? " internal" : "");
	/* frames are innermost first: folded lines read from the root */
	for (size_t k = n; k-- > 0;) {
		fputc(';', f);
		const struct json_object *fr = doc_at(e, "frames", k);

		put_frame(f, doc_frame_name(fr, buf, sizeof(buf)));
		if (doc_bool(fr, "kernel"))
			fputs("_[k]", f);
	}
	fprintf(f, " %llu\n", (unsigned long long)doc_stack_time(e));
}

int report_folded_write(FILE *f, const struct json_object *doc)
{
	const struct json_object *stacks = doc_get(doc, "stacks");

	for (int c = 0; c < DOC_NR_STACK_KINDS; c++) {
		const char *kind = doc_stack_kinds[c];
		size_t n = doc_len(stacks, kind);

		for (size_t i = 0; i < n; i++) {
			const struct json_object *e = doc_at(stacks, kind, i);

			if (!doc_stack_time(e))
				continue;
			put_entry(f, kind, c != DOC_STACK_CPU && !doc_bool(e, "external"), e);
		}
	}
	return ferror(f) ? -EIO : 0;
}
