// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The perf map of a JIT (probes/perfmap.h): its entries sorted by start,
 * each with the farthest end of it and every entry before it, so a lookup
 * walks back from the last entry starting at or below the address only as
 * long as some earlier entry can still reach it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "perfmap.h"

struct perfmap_entry {
	__u64 start, end;
	__u64 reach; /* the largest end of this entry and those sorted before it */
	size_t seq; /* its line's order in the file: a later one wins */
	char *name;
};

struct perfmap {
	struct perfmap_entry *e;
	size_t nr;
};

static int cmp_start(const void *pa, const void *pb)
{
	const struct perfmap_entry *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* "START SIZE NAME": hex numbers (an 0x allowed), the name the rest of the line */
static int line_parse(char *line, struct perfmap_entry *e)
{
	char *p = line, *end;
	size_t len;

	errno = 0;
	e->start = strtoull(p, &end, 16);
	if (end == p || *end != ' ' || errno)
		return -1;
	p = end + 1;
	e->end = strtoull(p, &end, 16);
	if (end == p || *end != ' ' || errno || !e->end || e->start + e->end < e->start)
		return -1;
	e->end += e->start;
	p = end + 1;
	len = strcspn(p, "\r\n");
	if (!len)
		return -1;
	if (len > PERFMAP_NAME_MAX)
		len = PERFMAP_NAME_MAX;
	e->name = strndup(p, len);
	return e->name ? 0 : -ENOMEM;
}

struct perfmap *perfmap_parse(FILE *f, size_t *skipped)
{
	struct perfmap *m = calloc(1, sizeof(*m));
	size_t cap = 0, bad = 0, linecap = 0;
	char *line = NULL;
	ssize_t n;

	if (!m)
		return NULL;
	while ((n = getline(&line, &linecap, f)) > 0) {
		struct perfmap_entry e = { .seq = m->nr + bad };
		int rc = line_parse(line, &e);

		if (rc == -ENOMEM)
			goto out_nomem;
		if (rc) {
			bad++;
			continue;
		}
		if (m->nr == cap) {
			struct perfmap_entry *ne;

			cap = cap ? cap * 2 : 64;
			ne = realloc(m->e, cap * sizeof(*ne));
			if (!ne) {
				free(e.name);
				goto out_nomem;
			}
			m->e = ne;
		}
		m->e[m->nr++] = e;
	}
	free(line);
	if (m->nr > 1)
		qsort(m->e, m->nr, sizeof(*m->e), cmp_start);
	for (size_t i = 0; i < m->nr; i++)
		m->e[i].reach = i && m->e[i - 1].reach > m->e[i].end ? m->e[i - 1].reach : m->e[i].end;
	if (skipped)
		*skipped = bad;
	return m;

out_nomem:
	free(line);
	perfmap_free(m);
	errno = ENOMEM;
	return NULL;
}

struct perfmap *perfmap_open(pid_t pid)
{
	char path[64];
	struct perfmap *m;
	struct stat st;
	FILE *f;
	int fd, e;

	snprintf(path, sizeof(path), PERFMAP_PATH_FMT, (int)pid);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	f = fdopen(fd, "r");
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	/* at most PERFMAP_MAX_BYTES: a runtime writing on and on is cut there */
	if (st.st_size > PERFMAP_MAX_BYTES) {
		char *buf = malloc(PERFMAP_MAX_BYTES);
		size_t got = buf ? fread(buf, 1, PERFMAP_MAX_BYTES, f) : 0;
		FILE *mf = buf ? fmemopen(buf, got, "r") : NULL;

		fclose(f);
		m = mf ? perfmap_parse(mf, NULL) : NULL;
		if (mf)
			fclose(mf);
		free(buf);
		if (!mf && !m)
			errno = ENOMEM;
		return m;
	}
	m = perfmap_parse(f, NULL);
	e = errno;
	fclose(f);
	errno = e;
	return m;
}

const char *perfmap_lookup(const struct perfmap *m, __u64 addr)
{
	size_t lo = 0, hi = m ? m->nr : 0;
	const struct perfmap_entry *best = NULL;

	/* lo: the number of entries starting at or below addr */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->e[mid].start <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i > 0 && m->e[i - 1].reach > addr; i--) {
		const struct perfmap_entry *e = &m->e[i - 1];

		if (addr < e->end && (!best || e->seq > best->seq))
			best = e;
	}
	return best ? best->name : NULL;
}

size_t perfmap_size(const struct perfmap *m)
{
	return m ? m->nr : 0;
}

void perfmap_free(struct perfmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nr; i++)
		free(m->e[i].name);
	free(m->e);
	free(m);
}
