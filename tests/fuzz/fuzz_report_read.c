// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * libFuzzer harness of the saved-report reader (advisor/document_read.c),
 * which reads files that may come from anywhere (`advisor report`, `check`,
 * `--baseline`). For each input:
 *   - document_read() either fails with a one-line, non-empty reason, or
 *     succeeds;
 *   - what it accepted, every writer (JSON, HTML, Markdown, JUnit, the
 *     summary and the gates' lines) takes without a fault (ASan, UBSan);
 *   - the JSON written from it is read back, and writing that gives the same
 *     text again (the reader and writer agree).
 * Run by `make fuzz` (tests/fuzz/fuzz.mk) for FUZZ_SECONDS.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json-c/json.h>

#include "advisor/document.h"
#include "reports/report.h"

/* An in-memory file with a path that open() takes. */
struct memfile {
	int fd;
	char path[64];
};

static void memfile_init(struct memfile *m, const char *name)
{
	m->fd = memfd_create(name, MFD_CLOEXEC);
	if (m->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(m->path, sizeof(m->path), "/proc/self/fd/%d", m->fd);
}

static void memfile_set(struct memfile *m, const void *data, size_t len)
{
	if (ftruncate(m->fd, 0) || (len && pwrite(m->fd, data, len, 0) != (ssize_t)len)) {
		perror("memfd write");
		abort();
	}
}

/* Writes doc as JSON into m; returns the text (caller frees). */
static char *write_json(struct memfile *m, const struct json_object *doc, size_t *len)
{
	FILE *f;
	char *text;
	off_t end;

	memfile_set(m, NULL, 0);
	f = fopen(m->path, "w");
	if (!f || report_json_write(f, doc) || fclose(f)) {
		fprintf(stderr, "fuzz: cannot write the JSON of an accepted report\n");
		abort();
	}
	end = lseek(m->fd, 0, SEEK_END);
	text = malloc(end + 1);
	if (!text || pread(m->fd, text, end, 0) != end)
		abort();
	text[end] = 0;
	*len = end;
	return text;
}

static void check_error(const char *what, const char *err)
{
	if (!err[0] || strchr(err, '\n')) {
		fprintf(stderr, "fuzz: %s: the reason is not one non-empty line: '%s'\n", what,
			err);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memfile in, out;
	static FILE *null;
	struct json_object *doc, *again;
	char err[512], *first, *second;
	size_t first_len, second_len;

	if (!null) {
		memfile_init(&in, "report.json");
		memfile_init(&out, "written.json");
		null = fopen("/dev/null", "w");
		if (!null)
			abort();
	}
	memfile_set(&in, data, size);
	doc = document_read(in.path, err, sizeof(err));
	if (!doc) {
		check_error("rejected input", err);
		return 0;
	}
	/* what `advisor report` does with it: every writer reads the document */
	report_summary_write(null, doc);
	report_gates_write(null, doc, false);
	if (report_html_write(null, doc) || report_markdown_write(null, doc) ||
	    report_junit_write(null, doc)) {
		fprintf(stderr, "fuzz: a writer failed on an accepted report\n");
		abort();
	}

	first = write_json(&out, doc, &first_len);
	again = document_read(out.path, err, sizeof(err));
	if (!again) {
		fprintf(stderr, "fuzz: the JSON written from an accepted report is refused: %s\n",
			err);
		abort();
	}
	second = write_json(&out, again, &second_len);
	if (first_len != second_len || memcmp(first, second, first_len)) {
		fprintf(stderr, "fuzz: read(write(report)) writes different JSON\n");
		abort();
	}
	free(first);
	free(second);
	json_object_put(again);
	json_object_put(doc);
	return 0;
}
