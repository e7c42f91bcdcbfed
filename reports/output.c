// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Where a report goes: the format from the file's extension, and the file
 * itself, closed with every error checked so that a full disk is an error
 * and not a truncated report.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "report.h"

enum report_format report_format_of(const char *path)
{
	const char *dot, *slash;

	if (!strcmp(path, "-"))
		return REPORT_JSON;
	dot = strrchr(path, '.');
	slash = strrchr(path, '/');
	if (!dot || (slash && dot < slash)) {
		struct stat st;

		/* /dev/stdout, /dev/full, a shell's >(jq .): a stream takes JSON */
		if (!stat(path, &st) && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
			return REPORT_JSON;
		return REPORT_UNKNOWN;
	}
	if (!strcasecmp(dot, ".json"))
		return REPORT_JSON;
	if (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm"))
		return REPORT_HTML;
	if (!strcasecmp(dot, ".xml"))
		return REPORT_JUNIT;
	if (!strcasecmp(dot, ".md"))
		return REPORT_MARKDOWN;
	if (!strcasecmp(dot, ".folded"))
		return REPORT_FOLDED;
	if (!strcasecmp(dot, ".sarif"))
		return REPORT_SARIF;
	/* the one extension of two parts */
	if (!strcasecmp(dot, ".gz") && dot - path >= 3 && !strncasecmp(dot - 3, ".pb", 3) &&
	    (!slash || dot - 3 > slash))
		return REPORT_PPROF;
	return REPORT_UNKNOWN;
}

static int write_format(FILE *f, enum report_format fmt, const struct json_object *doc)
{
	switch (fmt) {
	case REPORT_JSON:
		return report_json_write(f, doc);
	case REPORT_HTML:
		return report_html_write(f, doc);
	case REPORT_JUNIT:
		return report_junit_write(f, doc);
	case REPORT_MARKDOWN:
		return report_markdown_write(f, doc);
	case REPORT_FOLDED:
		return report_folded_write(f, doc);
	case REPORT_SARIF:
		return report_sarif_write(f, doc);
	case REPORT_PPROF:
		return report_pprof_write(f, doc);
	default:
		return -EINVAL;
	}
}

int report_write_path(const char *path, const struct json_object *doc)
{
	enum report_format fmt = report_format_of(path);
	FILE *f;
	int err;

	if (fmt == REPORT_UNKNOWN)
		return -EINVAL;
	if (!strcmp(path, "-")) {
		err = write_format(stdout, fmt, doc);
		errno = 0;
		if (fflush(stdout) == EOF && !err)
			err = errno ? -errno : -EIO;
		if (ferror(stdout) && !err)
			err = -EIO;
		return err;
	}

	f = fopen(path, "we");
	if (!f)
		return -errno;
	err = write_format(f, fmt, doc);
	errno = 0;
	if (fflush(f) == EOF && !err)
		err = errno ? -errno : -EIO;
	if (ferror(f) && !err)
		err = -EIO;
	/* fclose reports what the last flush could not, e.g. NFS write-back */
	errno = 0;
	if (fclose(f) == EOF && !err)
		err = errno ? -errno : -EIO;
	return err;
}
